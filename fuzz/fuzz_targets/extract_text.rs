//! `extract::text::{extract, extract_at, parse_price, find_currency}` on any text, in every locale
//! and none: no panic, every source a byte range of the text on character boundaries, every claim
//! reads back from its JSON, and the same text gives the same claims twice.
#![no_main]

use chrono::NaiveDate;
use libfuzzer_sys::fuzz_target;
use unisono::extract::text::{Locale, extract, extract_at, find_currency, parse_price};

const LOCALES: &[&str] = &[
    "it-IT", "en-GB", "en-US", "en", "de-DE", "de-CH", "fr-FR", "es-ES", "es-MX",
];

fn check_range(text: &str, source: &str) {
    let (a, b) = source.split_once("..").expect("a source is start..end");
    let (a, b): (usize, usize) = (a.parse().expect("start"), b.parse().expect("end"));
    assert!(
        a <= b && b <= text.len(),
        "{source} outside a text of {} bytes",
        text.len()
    );
    assert!(
        text.is_char_boundary(a) && text.is_char_boundary(b),
        "{source} cuts a character"
    );
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let locale: Option<Locale> = LOCALES
        .get(usize::from(selector) % (LOCALES.len() + 1))
        .map(|tag| tag.parse().expect("a known locale"));
    // The reference date moves with the selector, across a year end and a leap day.
    let today = NaiveDate::from_ymd_opt(2024, 1, 1).expect("a date")
        + chrono::Days::new(u64::from(selector) * 3);
    let read = extract_at(text, locale.as_ref(), today);
    for claim in &read.claims {
        check_range(
            text,
            claim.source.as_deref().expect("every claim has a source"),
        );
        // What `unisono extract text` prints, `unisono validate` reads back as the same claim.
        let json = serde_json::to_string(claim).expect("a claim serialises");
        let back: unisono::Claim = serde_json::from_str(&json).expect("a claim reads back");
        assert_eq!(&back, claim, "{json}");
    }
    for unread in &read.unread {
        check_range(text, &unread.source);
        assert!(unread.text.len() <= 200);
    }
    let _ = serde_json::to_string(&read).expect("a reading serialises");
    assert_eq!(
        read,
        extract_at(text, locale.as_ref(), today),
        "the same text read twice differs"
    );
    let _ = extract(text, locale.as_ref());
    if let Ok(price) = parse_price(text, locale.as_ref()) {
        check_range(text, &price.source);
    }
    let _ = find_currency(text, locale.as_ref());
});
