//! Inputs found by the fuzz targets in `fuzz/` (see fuzz/README section of the main README), each
//! minimized and fed back to the entry point that failed. Every test states the target that found it
//! and what went wrong; it asserts that the call returns (no panic) with the expected `Ok` or `Err`.

use chrono::{DateTime, Utc};
use unisono::time::Window;
use unisono::{Catalog, Policy, Validator};

const DEMO_CATALOG: &str = include_str!("../examples/data/catalog.json");
const DEMO_RENDERINGS: &str = include_str!("../examples/data/renderings.json");

fn demo() -> Catalog {
    Catalog::from_json(DEMO_CATALOG).expect("the demo catalog compiles")
}

/// Validates and writes the report in its three forms, as the `renderings_json`, `policy_json` and
/// structured targets do.
fn validate_and_report(catalog: &Catalog, policy: &Policy, renderings: &[unisono::Rendering]) {
    let report = Validator::new(catalog, policy).validate_all(renderings);
    let _ = unisono::report::json(&report);
    let _ = unisono::report::human(&report, false);
    let _ = unisono::report::human(&report, true);
    let _ = unisono::report::junit(&report, renderings);
}

// ---------------------------------------------------------------------------------------------
// Found while writing `catalog_json` (its first version asked for offers at chrono's extreme
// instants): `Catalog::offer` at `DateTime::<Utc>::MAX_UTC` / `MIN_UTC`. No JSON text can write
// these (RFC 3339 has four-digit years), but `offer` and `timeline` take any `DateTime`.
// Panic: "Local time out of range for `NaiveDateTime`" in chrono's `naive_local`, called from
// `unisono::time::rfc3339_in` (src/time.rs) when the offer is serialized.
// ---------------------------------------------------------------------------------------------

#[test]
fn offer_at_the_last_instant_chrono_knows() {
    let catalog = demo();
    let at = DateTime::<Utc>::MAX_UTC;
    // LAPTOP-14's price list entry is open-ended: there is an offer.
    let offer = catalog
        .offer("LAPTOP-14", "web-it", at)
        .expect("an open-ended price covers it");
    let _ = serde_json::to_string(&offer).expect("an offer serializes");
    let _ = offer.explanation();
    let _ = offer.prior_explanation();
}

#[test]
fn offer_at_the_first_instant_chrono_knows() {
    let catalog = demo();
    let at = DateTime::<Utc>::MIN_UTC;
    // Long before any price: the error names the instant, in the market's time zone.
    let err = catalog
        .offer("LAPTOP-14", "web-it", at)
        .expect_err("no price before 2026");
    assert!(
        matches!(err, unisono::OfferError::NoPrice { .. }),
        "{err:?}"
    );
    let _ = err.to_string();
}

#[test]
fn timeline_over_all_of_chrono_time() {
    let catalog = demo();
    let all = Window::new(DateTime::<Utc>::MIN_UTC, Some(DateTime::<Utc>::MAX_UTC));
    let segments = catalog
        .timeline("LAPTOP-14", "web-it", all)
        .expect("listed");
    assert!(!segments.is_empty());
    let open = Window::new(DateTime::<Utc>::MIN_UTC, None);
    assert!(catalog.timeline("LAPTOP-14", "web-it", open).is_ok());
}
