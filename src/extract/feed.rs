//! Renderings from merchant feeds: Google Merchant Center RSS 2.0 (`g:` namespace) and TSV.
//!
//! One rendering per item, id and sku the item's `id` (or `PAGE#item-N` without one), read with the
//! same [`Context`] and giving the same [`Extracted`] as [web pages](super::html). An RSS item's
//! fields are its direct children (`g:shipping`'s own `g:price` is not the item's price); `g:title`
//! wins over RSS's `title`. A TSV feed is a header line of attribute names, then one item per line.
//!
//! | attribute | claim |
//! |---|---|
//! | `title` | `title` |
//! | `gtin` | `gtin` (and the rendering's gtin) |
//! | `price` | `price`, or `reference_price` while a sale runs |
//! | `sale_price` + `sale_price_effective_date` | while the sale runs at the first instant shown: `price`, `valid_from`, `valid_until` |
//! | `availability` | `availability` |
//! | `availability_date` | the rendering's `meta.availability_date` (no claim kind says when stock arrives) |
//! | `unit_pricing_measure` + `unit_pricing_base_measure` | `unit_price`: the shown price ÷ measure × base, rounded half away from zero |
//!
//! `sale_price_effective_date` follows Google's rules: `start/end` in ISO 8601; a date without a time
//! starts at 00:00 and runs through 23:59 of the end date (until the next midnight); a time without a
//! zone is UTC.

use std::str::FromStr;

use chrono::{DateTime, Days, NaiveDate, NaiveDateTime, Utc};
use quick_xml::events::Event;
use rust_decimal::{Decimal, RoundingStrategy};

use crate::catalog::Measure;
use crate::money::Money;
use crate::rendering::{Claim, ClaimValue, DateOrInstant, Quantity, Rendering, UnitPrice};
use crate::time::Window;

pub use super::html::{Context, Extracted, Unread};
use super::html::{normal_gtin, plain_decimal, schema_availability, written_year};

/// The largest feed read, in bytes: 1 GiB. A longer feed gives no rendering and one [`Unread`].
pub const MAX_FEED_BYTES: usize = 1 << 30;

/// Reads a Google Merchant Center feed: RSS 2.0 / Atom when it starts with `<`, else TSV.
///
/// ```
/// use unisono::extract::feed::extract;
/// use unisono::extract::html::Context;
/// use unisono::ClaimValue;
/// let feed = r#"<rss xmlns:g="http://base.google.com/ns/1.0" version="2.0"><channel><item>
///   <g:id>LAPTOP-14</g:id><g:title>Notebook Acme 14</g:title>
///   <g:price>899.00 EUR</g:price><g:sale_price>719.20 EUR</g:sale_price>
///   <g:sale_price_effective_date>2026-11-27T00:00+01:00/2026-12-01T00:00+01:00</g:sale_price_effective_date>
///   <g:availability>in stock</g:availability>
/// </item></channel></rss>"#;
/// let at = unisono::time::parse_instant("2026-11-28T10:00:00+01:00")?;
/// let read = extract(feed, &Context::at("feed", "google-it", at));
/// let r = &read.renderings[0];
/// assert_eq!(r.id, "LAPTOP-14");
/// assert_eq!(r.claims[1].value, ClaimValue::Price("719.20 EUR".parse()?));
/// assert_eq!(r.claims[2].value, ClaimValue::ReferencePrice("899.00 EUR".parse()?));
/// assert_eq!(r.claims[1].source.as_deref(), Some("item[0]/g:sale_price"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn extract(feed: &str, context: &Context) -> Extracted {
    let mut out = Extracted::default();
    if feed.len() > MAX_FEED_BYTES {
        out.unread.push(Unread::new(
            "feed",
            "",
            format!(
                "the feed is {} bytes; feeds of at most {MAX_FEED_BYTES} bytes are read",
                feed.len()
            ),
        ));
        return out;
    }
    let feed = feed.strip_prefix('\u{feff}').unwrap_or(feed);
    let items = if feed.trim_start().starts_with('<') {
        xml_items(feed, &mut out.unread)
    } else {
        tsv_items(feed, &mut out.unread)
    };
    for (n, item) in items.iter().enumerate() {
        let rendering = item.rendering(n, context, &mut out.unread);
        out.renderings.push(rendering);
    }
    out
}

/// One item's fields as written: (qualified name, text).
struct FeedItem {
    source: String,
    fields: Vec<(String, String)>,
}

impl FeedItem {
    /// The `g:` field, else the plain one (`g:title`, then RSS's `title`); empty ones are absent.
    fn get(&self, name: &str) -> Option<(&str, String)> {
        let google = format!("g:{name}");
        [google.as_str(), name].into_iter().find_map(|wanted| {
            self.fields
                .iter()
                .find(|(n, t)| n == wanted && !t.trim().is_empty())
                .map(|(n, t)| (t.trim(), format!("{}/{n}", self.source)))
        })
    }

    fn rendering(&self, n: usize, context: &Context, unread: &mut Vec<Unread>) -> Rendering {
        let mut claims = Vec::new();
        let id = self.get("id").map(|(id, _)| id.to_owned());
        if let Some((title, source)) = self.get("title") {
            claims.push(claim(ClaimValue::Title(title.to_owned()), source));
        }
        let gtin = self.get("gtin");
        if let Some((gtin, source)) = &gtin {
            let shown = normal_gtin(gtin).unwrap_or_else(|| (*gtin).to_owned());
            claims.push(claim(ClaimValue::Gtin(shown), source.clone()));
        }
        let price = self.money("price", unread);
        let sale = self.money("sale_price", unread);
        let sale_window = self
            .get("sale_price_effective_date")
            .and_then(|(text, source)| match effective_dates(text) {
                Ok(window) => Some(window),
                Err(reason) => {
                    unread.push(Unread::new(&source, text, reason));
                    None
                }
            });
        let t = context.first_instant();
        let on_sale = sale.is_some()
            && sale_window.is_none_or(|(from, until)| from <= t && t < until)
            && (self.get("sale_price_effective_date").is_none() || sale_window.is_some());
        let mut shown_price = None;
        match (on_sale, &sale, &price) {
            (true, Some((sale, sale_source)), price) => {
                shown_price = Some(*sale);
                claims.push(claim(ClaimValue::Price(*sale), sale_source.clone()));
                if let Some((price, source)) = price {
                    claims.push(claim(ClaimValue::ReferencePrice(*price), source.clone()));
                }
                if let (Some((from, until)), Some((_, source))) =
                    (sale_window, self.get("sale_price_effective_date"))
                {
                    claims.push(claim(
                        ClaimValue::ValidFrom(DateOrInstant::Instant(from)),
                        source.clone(),
                    ));
                    claims.push(claim(
                        ClaimValue::ValidUntil(DateOrInstant::Instant(until)),
                        source,
                    ));
                }
            }
            (_, _, Some((price, source))) => {
                shown_price = Some(*price);
                claims.push(claim(ClaimValue::Price(*price), source.clone()));
            }
            _ => {}
        }
        if let Some((text, source)) = self.get("availability") {
            match schema_availability(text) {
                Some(a) => claims.push(claim(ClaimValue::Availability(a), source)),
                None => unread.push(Unread::new(
                    &source,
                    text,
                    "not a Merchant Center availability (in_stock, out_of_stock, preorder, backorder)",
                )),
            }
        }
        if let Some((measure, source)) = self.get("unit_pricing_measure") {
            match (self.get("unit_pricing_base_measure"), shown_price) {
                (Some((base, _)), Some(price)) => match unit_price(price, measure, base) {
                    Ok(unit) => claims.push(claim(ClaimValue::UnitPrice(unit), source)),
                    Err(reason) => unread.push(Unread::new(&source, measure, reason)),
                },
                (None, _) => unread.push(Unread::new(
                    &source,
                    measure,
                    "unit_pricing_measure without unit_pricing_base_measure: the base Google shows depends on the country",
                )),
                (Some(_), None) => unread.push(Unread::new(
                    &source,
                    measure,
                    "unit_pricing_measure without a price",
                )),
            }
        }
        let mut meta = None;
        if let Some((text, source)) = self.get("availability_date") {
            match gmc_instant(text, false) {
                Some(at) => {
                    let mut map = serde_json::Map::new();
                    map.insert(
                        "availability_date".to_owned(),
                        serde_json::Value::String(DateOrInstant::Instant(at).to_string()),
                    );
                    meta = Some(map);
                }
                None => unread.push(Unread::new(
                    &source,
                    text,
                    "not an ISO 8601 date or date and time",
                )),
            }
        }
        Rendering {
            id: id
                .clone()
                .unwrap_or_else(|| format!("{}#item-{}", context.page, n + 1)),
            channel: context.channel.clone(),
            sku: id,
            gtin: gtin.and_then(|(g, _)| normal_gtin(g)),
            family: None,
            shown: context.shown,
            claims,
            meta,
            evidence: None,
        }
    }

    /// `"15.00 EUR"`: Merchant Center's form of money.
    fn money(&self, name: &str, unread: &mut Vec<Unread>) -> Option<(Money, String)> {
        let (text, source) = self.get(name)?;
        match Money::from_str(text) {
            Ok(money) => Some((money, source)),
            Err(e) => {
                unread.push(Unread::new(&source, text, e.to_string()));
                None
            }
        }
    }
}

fn claim(value: ClaimValue, source: String) -> Claim {
    Claim {
        value,
        source: Some(source),
    }
}

/// `start/end` (Google: a date without a time runs from 00:00 of the start date through 23:59 of the
/// end date; no zone is UTC). The end is exclusive.
fn effective_dates(text: &str) -> Result<(DateTime<Utc>, DateTime<Utc>), String> {
    let bad = || {
        "not an ISO 8601 interval start/end, like 2026-11-27T00:00+01:00/2026-12-01T00:00+01:00"
            .to_owned()
    };
    let (start, end) = text.split_once('/').ok_or_else(bad)?;
    let from = gmc_instant(start, false).ok_or_else(bad)?;
    let until = gmc_instant(end, true).ok_or_else(bad)?;
    if Window::new(from, Some(until)).is_empty() {
        return Err("the sale ends before it starts".to_owned());
    }
    Ok((from, until))
}

/// An ISO 8601 date or date and time as Merchant Center takes them: minutes without seconds, a zone
/// or none (UTC). A date alone is its midnight, or with `end_of_day` the next midnight.
fn gmc_instant(text: &str, end_of_day: bool) -> Option<DateTime<Utc>> {
    gmc_instant_any_year(text.trim(), end_of_day)
        .filter(|t| written_year(&DateOrInstant::Instant(*t)))
}

fn gmc_instant_any_year(text: &str, end_of_day: bool) -> Option<DateTime<Utc>> {
    if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        let day = if end_of_day {
            date.checked_add_days(Days::new(1))?
        } else {
            date
        };
        return Some(day.and_hms_opt(0, 0, 0)?.and_utc());
    }
    let zoned = match text.strip_suffix(['Z', 'z']) {
        Some(rest) => format!("{rest}+00:00"),
        None => text.to_owned(),
    };
    for format in [
        "%Y-%m-%dT%H:%M:%S%.f%:z",
        "%Y-%m-%dT%H:%M%:z",
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%dT%H:%M%z",
    ] {
        if let Ok(t) = DateTime::parse_from_str(&zoned, format) {
            return Some(t.with_timezone(&Utc));
        }
    }
    for format in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(text, format) {
            return Some(t.and_utc());
        }
    }
    None
}

/// Merchant Center's units as unisono's measures, with the factor to that measure.
fn gmc_measure(unit: &str) -> Option<(Measure, Decimal)> {
    Some(match unit {
        "mg" => (Measure::Gram, Decimal::new(1, 3)),
        "g" => (Measure::Gram, Decimal::ONE),
        "kg" => (Measure::Kilogram, Decimal::ONE),
        "ml" => (Measure::Millilitre, Decimal::ONE),
        "cl" => (Measure::Millilitre, Decimal::TEN),
        "l" => (Measure::Litre, Decimal::ONE),
        "cm" => (Measure::Metre, Decimal::new(1, 2)),
        "m" => (Measure::Metre, Decimal::ONE),
        "sqm" => (Measure::SquareMetre, Decimal::ONE),
        "cbm" => (Measure::CubicMetre, Decimal::ONE),
        _ => return None,
    })
}

/// A measure in grams, millilitres, metres, m² or m³, for dividing one by another.
fn in_base_units(q: Quantity) -> Option<(u8, Decimal)> {
    let (dimension, factor) = match q.measure {
        Measure::Gram => (0, Decimal::ONE),
        Measure::Kilogram => (0, Decimal::ONE_THOUSAND),
        Measure::Millilitre => (1, Decimal::ONE),
        Measure::Litre => (1, Decimal::ONE_THOUSAND),
        Measure::Metre => (2, Decimal::ONE),
        Measure::SquareMetre => (3, Decimal::ONE),
        Measure::CubicMetre => (4, Decimal::ONE),
        Measure::Item => return None,
    };
    Some((dimension, q.amount.checked_mul(factor)?))
}

/// `"750ml"`, `"1.5 kg"`, `"75cl"`.
fn gmc_quantity(text: &str) -> Result<Quantity, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let unit = unit.trim().to_ascii_lowercase();
    let amount = plain_decimal(number)
        .filter(|a| *a > Decimal::ZERO)
        .ok_or_else(|| format!("{text:?} is not a positive number and a unit"))?;
    let (measure, factor) = gmc_measure(&unit).ok_or_else(|| {
        format!("{unit:?}: unisono reads the metric units mg, g, kg, ml, cl, l, cm, m, sqm, cbm")
    })?;
    let amount = amount
        .checked_mul(factor)
        .ok_or_else(|| format!("{text:?} is out of range"))?;
    Ok(Quantity { amount, measure })
}

/// The unit price Google shows: price ÷ measure × base, rounded to the minor unit.
fn unit_price(price: Money, measure: &str, base: &str) -> Result<UnitPrice, String> {
    let measure = gmc_quantity(measure)?;
    let per = gmc_quantity(base)?;
    let (Some((d1, m)), Some((d2, b))) = (in_base_units(measure), in_base_units(per)) else {
        return Err("not a measure".to_owned());
    };
    if d1 != d2 {
        return Err(format!(
            "unit_pricing_measure {measure} and unit_pricing_base_measure {per} measure different things"
        ));
    }
    let amount = price
        .amount()
        .checked_mul(b)
        .and_then(|x| x.checked_div(m))
        .ok_or_else(|| "out of range".to_owned())?
        .round_dp_with_strategy(
            price.currency().minor_units(),
            RoundingStrategy::MidpointAwayFromZero,
        );
    let price = Money::new(amount, price.currency()).map_err(|e| e.to_string())?;
    Ok(UnitPrice { price, per })
}

/// The items of an RSS 2.0 (`item`) or Atom (`entry`) feed. An XML error ends the reading: the
/// items before it are kept, the error is listed.
fn xml_items(xml: &str, unread: &mut Vec<Unread>) -> Vec<FeedItem> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut items = Vec::new();
    let mut depth = 0_usize;
    // The open item's depth and fields, and the open field's name and text.
    let mut item: Option<(usize, FeedItem)> = None;
    let mut field: Option<(String, String)> = None;
    loop {
        let event = match reader.read_event() {
            Ok(event) => event,
            Err(e) => {
                let source = match &item {
                    Some((_, open)) => open.source.clone(),
                    None => "feed".to_owned(),
                };
                unread.push(Unread::new(
                    &source,
                    "",
                    format!(
                        "XML error at byte {}: {e}; reading stops here",
                        reader.error_position()
                    ),
                ));
                break;
            }
        };
        match event {
            Event::Start(start) => {
                depth += 1;
                let name = String::from_utf8_lossy(start.name().as_ref()).into_owned();
                match &item {
                    None if matches!(local(&name), "item" | "entry") => {
                        item = Some((
                            depth,
                            FeedItem {
                                source: format!("item[{}]", items.len()),
                                fields: Vec::new(),
                            },
                        ));
                    }
                    Some((at, _)) if depth == at + 1 => field = Some((name, String::new())),
                    _ => {}
                }
            }
            Event::Empty(start) => {
                if let Some((at, open)) = &mut item
                    && depth == *at
                {
                    let name = String::from_utf8_lossy(start.name().as_ref()).into_owned();
                    open.fields.push((name, String::new()));
                }
            }
            Event::End(_) => {
                match &mut item {
                    Some((at, open)) if depth == *at + 1 => {
                        if let Some(done) = field.take() {
                            open.fields.push(done);
                        }
                    }
                    Some((at, _)) if depth == *at => {
                        if let Some((_, done)) = item.take() {
                            items.push(done);
                        }
                    }
                    _ => {}
                }
                depth = depth.saturating_sub(1);
            }
            Event::Text(text) => {
                if let (Some((_, value)), Some((at, _))) = (&mut field, &item)
                    && depth == at + 1
                {
                    value.push_str(&String::from_utf8_lossy(text.as_ref()));
                }
            }
            Event::CData(text) => {
                if let (Some((_, value)), Some((at, _))) = (&mut field, &item)
                    && depth == at + 1
                {
                    value.push_str(&String::from_utf8_lossy(text.as_ref()));
                }
            }
            Event::GeneralRef(reference) => {
                if let (Some((_, value)), Some((at, _))) = (&mut field, &item)
                    && depth == at + 1
                {
                    let name = String::from_utf8_lossy(reference.as_ref()).into_owned();
                    match entity(&name) {
                        Some(c) => value.push(c),
                        None => {
                            value.push('&');
                            value.push_str(&name);
                            value.push(';');
                        }
                    }
                }
            }
            Event::Eof => {
                if let Some((_, open)) = item.take() {
                    unread.push(Unread::new(
                        &open.source,
                        "",
                        "the feed ends inside this item: not read",
                    ));
                }
                break;
            }
            _ => {}
        }
    }
    items
}

fn local(name: &str) -> &str {
    name.rsplit(':').next().unwrap_or(name)
}

/// XML's predefined entities and character references.
fn entity(name: &str) -> Option<char> {
    match name {
        "lt" => Some('<'),
        "gt" => Some('>'),
        "amp" => Some('&'),
        "apos" => Some('\''),
        "quot" => Some('"'),
        _ => {
            let number = name.strip_prefix('#')?;
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse::<u32>().ok()?,
            };
            char::from_u32(code).filter(|c| *c != '\0')
        }
    }
}

/// A TSV feed: a header line of attribute names (`g:` optional, any case), then one item per line.
fn tsv_items(tsv: &str, unread: &mut Vec<Unread>) -> Vec<FeedItem> {
    let mut lines = tsv
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty());
    let Some((_, header)) = lines.next() else {
        return Vec::new();
    };
    let names: Vec<String> = header
        .split('\t')
        .map(|n| {
            let n = unquote(n).to_ascii_lowercase();
            n.strip_prefix("g:").map(str::to_owned).unwrap_or(n)
        })
        .collect();
    let mut items = Vec::new();
    for (i, line) in lines {
        let values: Vec<&str> = line.split('\t').collect();
        if values.len() > names.len() {
            unread.push(Unread::new(
                &format!("line {}", i + 1),
                line,
                format!(
                    "{} values for {} columns: the extra ones are not read",
                    values.len(),
                    names.len()
                ),
            ));
        }
        items.push(FeedItem {
            source: format!("line {}", i + 1),
            fields: names
                .iter()
                .zip(values)
                .map(|(n, v)| (n.clone(), unquote(v)))
                .collect(),
        });
    }
    items
}

/// A TSV value, without the double quotes a spreadsheet may put around it.
fn unquote(value: &str) -> String {
    let value = value.trim();
    match value.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
        Some(inner) => inner.replace("\"\"", "\""),
        None => value.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(text: &str) -> DateTime<Utc> {
        crate::time::parse_instant(text).unwrap()
    }

    #[test]
    fn google_effective_dates() {
        assert_eq!(
            effective_dates("2011-09-01T16:00-08:00/2011-09-03T16:00-08:00"),
            Ok((t("2011-09-02T00:00:00Z"), t("2011-09-04T00:00:00Z")))
        );
        // Dates only: from the start date's midnight through the end date, UTC.
        assert_eq!(
            effective_dates("2026-11-27/2026-11-30"),
            Ok((t("2026-11-27T00:00:00Z"), t("2026-12-01T00:00:00Z")))
        );
        // No zone: UTC.
        assert_eq!(
            effective_dates("2026-11-27T08:00/2026-11-30T20:30:00Z"),
            Ok((t("2026-11-27T08:00:00Z"), t("2026-11-30T20:30:00Z")))
        );
        assert!(effective_dates("2026-11-30/2026-11-27").is_err());
        assert!(effective_dates("2026-11-27").is_err());
        assert!(effective_dates("soon/later").is_err());
    }

    #[test]
    fn unit_prices_as_google_computes_them() {
        let price: Money = "4.49 EUR".parse().unwrap();
        let unit = unit_price(price, "750ml", "1l").unwrap();
        assert_eq!(unit.to_string(), "5.99 EUR per 1 l");
        let unit = unit_price(price, "75 cl", "100ml").unwrap();
        assert_eq!(unit.to_string(), "0.60 EUR per 100 ml");
        assert!(unit_price(price, "12 oz", "1 lb").is_err());
        assert!(unit_price(price, "750ml", "1kg").is_err());
    }

    #[test]
    fn entities() {
        assert_eq!(entity("amp"), Some('&'));
        assert_eq!(entity("#x41"), Some('A'));
        assert_eq!(entity("#0"), None);
        assert_eq!(entity("nbsp"), None);
    }
}
