//! Helpers shared by the fuzz targets: the demo documents, instants derived from the input, and the
//! calls that exercise a compiled catalog and a report.

#![allow(dead_code)]

use chrono::{DateTime, Duration, Utc};
use unisono::time::Window;
use unisono::{Catalog, Policy, Rendering, Validator};

pub const DEMO_CATALOG: &str = include_str!("../../examples/data/catalog.json");
pub const DEMO_RENDERINGS: &str = include_str!("../../examples/data/renderings.json");

/// The demo catalog, compiled once per process.
pub fn demo_catalog() -> &'static Catalog {
    static CATALOG: std::sync::OnceLock<Catalog> = std::sync::OnceLock::new();
    CATALOG.get_or_init(|| Catalog::from_json(DEMO_CATALOG).expect("the demo catalog compiles"))
}

/// The demo renderings, read once per process.
pub fn demo_renderings() -> &'static [Rendering] {
    static RENDERINGS: std::sync::OnceLock<Vec<Rendering>> = std::sync::OnceLock::new();
    RENDERINGS.get_or_init(|| {
        unisono::rendering::read_renderings(DEMO_RENDERINGS).expect("the demo renderings read")
    })
}

/// A small deterministic generator seeded from the input bytes (FNV-1a, then xorshift).
pub struct Bits(u64);

impl Bits {
    pub fn new(data: &[u8]) -> Bits {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for &b in data {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        Bits(h | 1)
    }

    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next() % n }
    }
}

/// Instants a catalog cares about: launches and promotion boundaries, one nanosecond either side.
pub fn catalog_instants(catalog: &Catalog) -> Vec<DateTime<Utc>> {
    let mut out = Vec::new();
    let mut push = |t: DateTime<Utc>| {
        out.push(t);
        if let Some(before) = t.checked_sub_signed(Duration::nanoseconds(1)) {
            out.push(before);
        }
    };
    for p in catalog.products().iter().take(8) {
        if let Some(t) = p.launched {
            push(t);
        }
    }
    for p in catalog.promotions().iter().take(8) {
        push(p.window.from);
        if let Some(t) = p.window.until {
            push(t);
        }
    }
    out
}

/// One instant, derived from `bits`: near the catalog's instants, in the demo's years, anywhere in
/// chrono's range, or at its very ends.
pub fn instant(bits: &mut Bits, known: &[DateTime<Utc>]) -> DateTime<Utc> {
    match bits.below(9) {
        0 | 1 if !known.is_empty() => {
            let base = known[bits.below(known.len() as u64) as usize];
            let delta = Duration::seconds(bits.below(172_800) as i64 - 86_400);
            base.checked_add_signed(delta).unwrap_or(base)
        }
        0..=4 => {
            // 2024-01-01 .. 2028-01-01
            let secs = 1_704_067_200 + bits.below(4 * 365 * 86_400) as i64;
            DateTime::from_timestamp(secs, 0).unwrap_or_default()
        }
        5 | 6 => {
            // Anywhere RFC 3339 can write (years 0000..=9999).
            let secs = -62_167_219_200 + bits.below(315_537_897_600) as i64;
            let nanos = (bits.below(1_000_000_000)) as u32;
            DateTime::from_timestamp(secs, nanos).unwrap_or_default()
        }
        7 => {
            // The ends of what an RFC 3339 text can write: 0000-01-01T00:00:00+23:59 and
            // 9999-12-31T23:59:59.999999999-23:59.
            let first = DateTime::from_timestamp(-62_167_219_200 - 86_340, 0).unwrap_or_default();
            let last =
                DateTime::from_timestamp(253_402_300_799 + 86_340, 999_999_999).unwrap_or_default();
            if bits.below(2) == 0 { first } else { last }
        }
        _ => {
            // Only reachable from Rust (`offer` and `timeline` take any instant): chrono's ends.
            if bits.below(2) == 0 {
                DateTime::<Utc>::MIN_UTC
            } else {
                DateTime::<Utc>::MAX_UTC
            }
        }
    }
}

/// Calls every query of a compiled catalog on a few (sku, channel) pairs at instants from `data`.
pub fn exercise_catalog(catalog: &Catalog, data: &[u8]) {
    for lint in catalog.lints() {
        let _ = lint.to_string();
    }
    let mut bits = Bits::new(data);
    let known = catalog_instants(catalog);
    let mut skus: Vec<&str> = catalog
        .products()
        .iter()
        .take(4)
        .map(|p| p.sku.as_str())
        .collect();
    skus.push("NO-SUCH-SKU");
    let mut channels: Vec<&str> = catalog
        .channels()
        .iter()
        .take(4)
        .map(|c| c.id.as_str())
        .collect();
    channels.push("no-such-channel");
    for sku in &skus {
        for channel in &channels {
            for _ in 0..2 {
                let at = instant(&mut bits, &known);
                match catalog.offer(sku, channel, at) {
                    Ok(offer) => {
                        let _ = serde_json::to_string(&offer);
                        let _ = offer.explanation();
                        let _ = offer.prior_explanation();
                        let _ = offer.promotions();
                    }
                    Err(e) => {
                        let _ = e.to_string();
                    }
                }
            }
            let from = instant(&mut bits, &known);
            let until = match bits.below(3) {
                0 => None,
                _ => Some(instant(&mut bits, &known)),
            };
            if let Ok(segments) = catalog.timeline(sku, channel, Window::new(from, until)) {
                let _ = segments.len();
            }
        }
    }
}

/// Validates `renderings` and writes the report in its three forms.
pub fn validate_and_report(catalog: &Catalog, policy: &Policy, renderings: &[Rendering]) {
    let validator = Validator::new(catalog, policy);
    let report = validator.validate_all(renderings);
    let _ = unisono::report::json(&report);
    let _ = unisono::report::human(&report, false);
    let _ = unisono::report::human(&report, true);
    let xml = unisono::report::junit(&report, renderings);
    // JUnit is for CI systems' XML parsers: every character must be an XML 1.0 `Char`.
    if let Some(bad) = xml.chars().find(|&c| !is_xml_char(c)) {
        panic!(
            "junit output holds U+{:04X}, which XML 1.0 cannot carry",
            bad as u32
        );
    }
}

/// XML 1.0 §2.2: `#x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]`.
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Extracted renderings serialize to JSON that reads back as the same renderings (so that
/// `unisono extract … | unisono validate` works), on the extraction of `data` by `extract`.
pub fn extraction_round_trips(
    data: &[u8],
    extract: fn(&str, &unisono::extract::html::Context) -> unisono::extract::html::Extracted,
) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let at = DateTime::from_timestamp(1_795_000_000, 0).unwrap_or_default();
    let read = extract(
        text,
        &unisono::extract::html::Context::at("fuzz", "web-it", at),
    );
    for rendering in &read.renderings {
        let json = serde_json::to_string(rendering).expect("a rendering serializes");
        let back: Rendering =
            serde_json::from_str(&json).expect("an extracted rendering reads back");
        assert_eq!(&back, rendering);
    }
}
