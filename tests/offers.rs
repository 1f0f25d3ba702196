//! Offers checked against values computed by hand from CONTRACT §2, §5 and §8.
//!
//! The first half reads the demo catalog (`examples/data/catalog.json`); the second builds small
//! catalogs inline, one per stacking or prior-price edge case. Every expected value in this file was
//! worked out on paper from the data and the contract's rules, never copied from the library's output;
//! the arithmetic is in the comments.

use chrono::{DateTime, FixedOffset, Utc};
use serde_json::{Value, json};
use unisono::time::Window;
use unisono::{Availability, Catalog, Money, OfferError, OfferOptions, ReferenceScope, Segment};

const DEMO: &str = include_str!("../examples/data/catalog.json");

fn demo() -> Catalog {
    Catalog::from_json(DEMO).unwrap_or_else(|e| panic!("the demo catalog must compile: {e}"))
}

/// An instant written as in the contract, parsed by chrono (not by the library under test).
fn at(text: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(text)
        .unwrap_or_else(|e| panic!("test instant {text:?} is not RFC 3339: {e}"))
}

fn utc(text: &str) -> DateTime<Utc> {
    at(text).to_utc()
}

fn window(from: &str, until: &str) -> Window {
    Window::new(utc(from), Some(utc(until)))
}

fn money(text: &str) -> Money {
    text.parse()
        .unwrap_or_else(|e| panic!("test amount {text:?}: {e}"))
}

/// An optional amount as the contract writes it, to compare `Option<Money>` with text.
fn shown(amount: Option<Money>) -> Option<String> {
    amount.map(|m| m.to_string())
}

/// Promotion ids of a timeline segment, in the order applied.
fn segment_promotions(catalog: &Catalog, segment: &Segment) -> Vec<String> {
    segment
        .promotions
        .iter()
        .map(|&k| catalog.promotion_at(k).id.clone())
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Demo catalog
// ---------------------------------------------------------------------------------------------

/// CONTRACT §5: the example offer, compared as a whole JSON value.
///
/// By hand: LAPTOP-14 costs 899.00 EUR (IT, market-wide, from 2026-01-01). BF26 (electronics, web-it,
/// -20 %, exclusive) runs [2026-11-27, 2026-12-01): 899.00 × 0.8 = 719.20. The reduction began
/// 2026-11-27 00:00; the 30 days before it only saw 899.00. Stock on web-it (wh-milano only): the
/// 2026-11-15 snapshot, 20 − 12 = 8 > 5, in stock. The price next changes when BF26 ends.
#[test]
fn contract_example_offer_as_json() {
    let catalog = demo();
    let offer = catalog
        .offer("LAPTOP-14", "web-it", at("2026-11-28T10:00:00+01:00"))
        .unwrap();
    let expected = json!({
        "sku": "LAPTOP-14", "channel": "web-it", "at": "2026-11-28T10:00:00+01:00",
        "regular_price": "899.00 EUR", "price": "719.20 EUR", "member_price": "719.20 EUR",
        "prior_price": "899.00 EUR", "promotions": ["BF26"], "available": 8, "availability": "in_stock",
        "valid_until": "2026-12-01T00:00:00+01:00",
        "explanation": ["price 899.00 EUR (IT, from 2026-01-01)", "promotion BF26 -20% -> 719.20 EUR"]
    });
    assert_eq!(serde_json::to_value(&offer).unwrap(), expected);
}

/// CONTRACT §5: the instant asked for may carry any offset; the offer is the same.
#[test]
fn the_offset_of_the_instant_does_not_change_the_offer() {
    let catalog = demo();
    let rome = catalog
        .offer("LAPTOP-14", "web-it", at("2026-11-28T10:00:00+01:00"))
        .unwrap();
    let utc = catalog
        .offer("LAPTOP-14", "web-it", at("2026-11-28T09:00:00Z"))
        .unwrap();
    assert_eq!(
        serde_json::to_value(&rome).unwrap(),
        serde_json::to_value(&utc).unwrap()
    );
}

/// Before the campaign the laptop is at its regular price: no reduction, so no prior price (§5).
#[test]
fn no_reduction_means_no_prior_price() {
    let catalog = demo();
    let offer = catalog
        .offer("LAPTOP-14", "web-it", at("2026-11-20T12:00:00+01:00"))
        .unwrap();
    assert_eq!(offer.price, money("899.00 EUR"));
    assert_eq!(offer.regular_price, money("899.00 EUR"));
    assert_eq!(offer.prior_price, None);
    assert!(offer.reduction.is_none());
    assert!(offer.promotions().is_empty());
    // The public price next changes when BF26 starts.
    assert_eq!(offer.valid_until, Some(utc("2026-11-27T00:00:00+01:00")));
}

/// CONTRACT §2: BF26 runs on web, app, email and TV only; the print flyer and the stores keep 899.00.
#[test]
fn a_promotion_applies_only_on_its_channels() {
    let catalog = demo();
    for channel in ["web-it", "app-it", "email-it", "tv-it"] {
        let offer = catalog
            .offer("LAPTOP-14", channel, at("2026-11-28T10:00:00+01:00"))
            .unwrap();
        assert_eq!(offer.price, money("719.20 EUR"), "{channel}");
    }
    for channel in ["print-it", "store-roma", "store-milano"] {
        let offer = catalog
            .offer("LAPTOP-14", channel, at("2026-11-28T10:00:00+01:00"))
            .unwrap();
        assert_eq!(offer.price, money("899.00 EUR"), "{channel}");
        assert_eq!(offer.prior_price, None, "{channel}");
    }
}

/// CONTRACT §8.2, first step of a progressive campaign: WAIT26 takes 10 % off TV-55 from
/// 2026-11-20: 1299.00 × 0.9 = 1169.10. The 30 days before 2026-11-20 saw only 1299.00.
#[test]
fn progressive_campaign_first_step() {
    let catalog = demo();
    let offer = catalog
        .offer("TV-55", "web-it", at("2026-11-22T12:00:00+01:00"))
        .unwrap();
    assert_eq!(offer.regular_price, money("1299.00 EUR"));
    assert_eq!(offer.price, money("1169.10 EUR"));
    assert_eq!(offer.promotions(), ["WAIT26"]);
    assert_eq!(shown(offer.prior_price).as_deref(), Some("1299.00 EUR"));
    let reduction = offer.reduction.as_ref().unwrap();
    assert_eq!(reduction.since, utc("2026-11-20T00:00:00+01:00"));
    // WAIT26 ends and BF26 starts at the same instant: the price changes to 1039.20 then.
    assert_eq!(offer.valid_until, Some(utc("2026-11-27T00:00:00+01:00")));
}

/// CONTRACT §8.2: the second step (BF26, -20 % from 2026-11-27: 1299.00 × 0.8 = 1039.20) continues an
/// uninterrupted reduction that began 2026-11-20, so the prior price stays 1299.00 — the price
/// before the first step, not the 1169.10 of the week before the second.
#[test]
fn progressive_campaign_keeps_the_prior_price_of_the_first_step() {
    let catalog = demo();
    let offer = catalog
        .offer("TV-55", "web-it", at("2026-11-28T10:00:00+01:00"))
        .unwrap();
    assert_eq!(offer.price, money("1039.20 EUR"));
    assert_eq!(offer.promotions(), ["BF26"]);
    assert_eq!(shown(offer.prior_price).as_deref(), Some("1299.00 EUR"));
    let reduction = offer.reduction.as_ref().unwrap();
    assert_eq!(reduction.since, utc("2026-11-20T00:00:00+01:00"));
    // 2026-11-20 00:00 CET minus 30 calendar days is 2026-10-21 00:00 CEST.
    assert_eq!(
        reduction.lookback,
        Some(window(
            "2026-10-21T00:00:00+02:00",
            "2026-11-20T00:00:00+01:00"
        ))
    );
    assert!(!reduction.since_launch);
    assert_eq!(offer.valid_until, Some(utc("2026-12-01T00:00:00+01:00")));
    // TV-55 stock on web-it: wh-milano 15 − 3 = 12 (the 2026-11-29 snapshot is later).
    assert_eq!(offer.available, 12);
    assert_eq!(
        offer.explanation(),
        [
            "price 1299.00 EUR (IT, from 2026-03-01)",
            "promotion BF26 -20% -> 1039.20 EUR"
        ]
    );
}

/// WAIT26 also runs on print-it; BF26 does not. On 2026-11-28 print-it is back at 1299.00.
#[test]
fn progressive_campaign_ends_on_channels_without_the_second_step() {
    let catalog = demo();
    let during = catalog
        .offer("TV-55", "print-it", at("2026-11-22T12:00:00+01:00"))
        .unwrap();
    assert_eq!(during.price, money("1169.10 EUR"));
    let after = catalog
        .offer("TV-55", "print-it", at("2026-11-28T10:00:00+01:00"))
        .unwrap();
    assert_eq!(after.price, money("1299.00 EUR"));
    assert!(after.reduction.is_none());
    assert_eq!(after.prior_price, None);
}

/// CONTRACT §2: a channel-specific entry wins over a market-wide one for that channel. ESPRESSO-M1 is
/// 229.00 in store-roma from 2026-10-01 (prices[6]) and 249.00 everywhere else (prices[5]).
#[test]
fn channel_specific_price_wins_on_its_channel() {
    let catalog = demo();
    let roma = catalog
        .offer("ESPRESSO-M1", "store-roma", at("2026-11-20T12:00:00+01:00"))
        .unwrap();
    assert_eq!(roma.regular_price, money("229.00 EUR"));
    assert_eq!(roma.price, money("229.00 EUR"));
    assert!(roma.regular.channel_specific);
    assert_eq!(roma.regular.entry, 6);
    // A lower regular price is not a reduction: there is no promotion.
    assert!(roma.reduction.is_none());
    for channel in ["web-it", "app-it", "print-it", "store-milano"] {
        let offer = catalog
            .offer("ESPRESSO-M1", channel, at("2026-11-20T12:00:00+01:00"))
            .unwrap();
        assert_eq!(offer.regular_price, money("249.00 EUR"), "{channel}");
        assert!(!offer.regular.channel_specific, "{channel}");
        assert_eq!(offer.regular.entry, 5, "{channel}");
    }
}

/// Before its channel-specific entry starts (2026-10-01), store-roma falls back to the market-wide
/// 249.00, and the price changes when the channel's own entry begins.
#[test]
fn channel_specific_price_applies_only_inside_its_window() {
    let catalog = demo();
    let offer = catalog
        .offer("ESPRESSO-M1", "store-roma", at("2026-09-15T12:00:00+02:00"))
        .unwrap();
    assert_eq!(offer.regular_price, money("249.00 EUR"));
    assert_eq!(offer.valid_until, Some(utc("2026-10-01T00:00:00+02:00")));
}

/// ESPRESSO50 takes 50.00 EUR off on web-it and app-it from 2026-11-27: 249.00 − 50.00 = 199.00. The
/// store keeps its own 229.00. On web-it the 30 days before 2026-11-27 saw only 249.00.
#[test]
fn amount_off_on_a_channel_specific_catalog() {
    let catalog = demo();
    let web = catalog
        .offer("ESPRESSO-M1", "web-it", at("2026-11-28T10:00:00+01:00"))
        .unwrap();
    assert_eq!(web.regular_price, money("249.00 EUR"));
    assert_eq!(web.price, money("199.00 EUR"));
    assert_eq!(web.promotions(), ["ESPRESSO50"]);
    assert_eq!(shown(web.prior_price).as_deref(), Some("249.00 EUR"));
    let roma = catalog
        .offer("ESPRESSO-M1", "store-roma", at("2026-11-28T10:00:00+01:00"))
        .unwrap();
    assert_eq!(roma.price, money("229.00 EUR"));
    assert!(roma.promotions().is_empty());
}

/// CONTRACT §6/§8.3 `reference_scope: market`: the prior price is the lowest public price on any
/// channel of the market. Over [2026-10-28, 2026-11-27) store-roma showed 229.00, web-it 249.00.
#[test]
fn reference_scope_market_on_the_demo_takes_the_store_price() {
    let catalog = demo();
    let options = OfferOptions {
        reference_scope: ReferenceScope::Market,
        low_stock_threshold: 5,
    };
    let offer = catalog
        .offer_with(
            "ESPRESSO-M1",
            "web-it",
            at("2026-11-28T10:00:00+01:00"),
            &options,
        )
        .unwrap();
    assert_eq!(offer.price, money("199.00 EUR"));
    assert_eq!(shown(offer.prior_price).as_deref(), Some("229.00 EUR"));
}

/// CONTRACT §2 and §8.1: SOCI-PARMIGIANO (members, -10 %) makes a members' price of
/// 12.90 × 0.9 = 11.61; the public price stays 12.90, it is no reduction and has no prior price, and
/// it is not among the promotions that shaped the public price.
#[test]
fn members_promotion_makes_only_the_member_price() {
    let catalog = demo();
    let offer = catalog
        .offer("PARMIGIANO-500", "web-it", at("2026-11-28T10:00:00+01:00"))
        .unwrap();
    assert_eq!(offer.regular_price, money("12.90 EUR"));
    assert_eq!(offer.price, money("12.90 EUR"));
    assert_eq!(offer.member_price, money("11.61 EUR"));
    assert_eq!(offer.prior_price, None);
    assert!(offer.reduction.is_none());
    assert!(offer.promotions().is_empty());
    // The public price never changes again (the members' promotion ending does not change it).
    assert_eq!(offer.valid_until, None);
    let json = serde_json::to_value(&offer).unwrap();
    assert_eq!(json["member_price"], "11.61 EUR");
    assert_eq!(json["prior_price"], Value::Null);
    assert_eq!(json["valid_until"], Value::Null);
}

/// Before SOCI-PARMIGIANO starts (2026-11-16) members pay the public price.
#[test]
fn member_price_equals_public_price_without_a_members_promotion() {
    let catalog = demo();
    let offer = catalog
        .offer("PARMIGIANO-500", "web-it", at("2026-11-10T12:00:00+01:00"))
        .unwrap();
    assert_eq!(offer.member_price, money("12.90 EUR"));
    assert_eq!(offer.price, money("12.90 EUR"));
}

/// CONTRACT §8.3: PHONE-X was 599.00 until 2026-11-10, then 649.00. BF26 from 2026-11-27:
/// 649.00 × 0.8 = 519.20. The lookback [2026-10-28, 2026-11-27) holds 599.00 and 649.00; the lowest,
/// 599.00, is the prior price — a rise before a sale does not raise it.
#[test]
fn prior_price_after_a_price_rise_is_the_lower_old_price() {
    let catalog = demo();
    let offer = catalog
        .offer("PHONE-X", "web-it", at("2026-11-28T10:00:00+01:00"))
        .unwrap();
    assert_eq!(offer.regular_price, money("649.00 EUR"));
    assert_eq!(offer.price, money("519.20 EUR"));
    assert_eq!(shown(offer.prior_price).as_deref(), Some("599.00 EUR"));
    let reduction = offer.reduction.as_ref().unwrap();
    assert_eq!(reduction.since, utc("2026-11-27T00:00:00+01:00"));
    // 2026-11-27 00:00 CET minus 30 days: 2026-10-28 00:00 CET (after the end of summer time).
    assert_eq!(
        reduction.lookback,
        Some(window(
            "2026-10-28T00:00:00+01:00",
            "2026-11-27T00:00:00+01:00"
        ))
    );
}

/// A price rise alone is not a reduction (§8.2): no prior price on 2026-11-20.
#[test]
fn a_price_rise_is_not_a_reduction() {
    let catalog = demo();
    let offer = catalog
        .offer("PHONE-X", "web-it", at("2026-11-20T12:00:00+01:00"))
        .unwrap();
    assert_eq!(offer.price, money("649.00 EUR"));
    assert!(offer.reduction.is_none());
    assert_eq!(offer.prior_price, None);
}

/// CONTRACT §8.3: EARBUDS-PRO launched 2026-11-10. BF26 from 2026-11-27: 199.00 × 0.8 = 159.20.
/// 2026-11-27 − 30 days = 2026-10-28 is before the launch, so the lookback opens at the launch.
#[test]
fn launch_window_product_looks_back_only_to_its_launch() {
    let catalog = demo();
    let offer = catalog
        .offer("EARBUDS-PRO", "web-it", at("2026-11-28T10:00:00+01:00"))
        .unwrap();
    assert_eq!(offer.price, money("159.20 EUR"));
    assert_eq!(shown(offer.prior_price).as_deref(), Some("199.00 EUR"));
    let reduction = offer.reduction.as_ref().unwrap();
    assert_eq!(
        reduction.lookback,
        Some(window(
            "2026-11-10T00:00:00+01:00",
            "2026-11-27T00:00:00+01:00"
        ))
    );
    assert!(reduction.since_launch);
}

/// CONTRACT §8.4: FRAGOLE-500 is perishable. FRESCO30 takes 30 % off in the stores:
/// 3.49 × 0.7 = 2.443 → 2.44. The reduction is exempt: no prior price, no lookback.
#[test]
fn perishable_reduction_is_exempt_from_the_prior_price() {
    let catalog = demo();
    let offer = catalog
        .offer("FRAGOLE-500", "store-roma", at("2026-11-28T10:00:00+01:00"))
        .unwrap();
    assert_eq!(offer.regular_price, money("3.49 EUR"));
    assert_eq!(offer.price, money("2.44 EUR"));
    assert_eq!(offer.promotions(), ["FRESCO30"]);
    assert_eq!(offer.prior_price, None);
    let reduction = offer.reduction.as_ref().unwrap();
    assert_eq!(format!("{:?}", reduction.exemption), "Some(Perishable)");
    assert_eq!(reduction.lookback, None);
    assert!(reduction.prior.is_none());
}

/// CONTRACT §2: a multi-buy leaves the unit price unchanged and is no reduction, but §5 lists it in
/// `promotions` after the ones that shaped the price.
#[test]
fn multi_buy_is_listed_without_changing_the_price() {
    let catalog = demo();
    let offer = catalog
        .offer("SPAGHETTI-500", "web-it", at("2026-11-28T10:00:00+01:00"))
        .unwrap();
    assert_eq!(offer.price, money("1.29 EUR"));
    assert_eq!(offer.regular_price, money("1.29 EUR"));
    assert_eq!(offer.member_price, money("1.29 EUR"));
    assert_eq!(offer.promotions(), ["PASTA3X2"]);
    assert!(offer.reduction.is_none());
    assert_eq!(offer.prior_price, None);
    // PASTA3X2 ending (2026-12-07) does not change the public price: it never changes.
    assert_eq!(offer.valid_until, None);
    // Before PASTA3X2 (2026-11-23) nothing is listed.
    let before = catalog
        .offer("SPAGHETTI-500", "web-it", at("2026-11-20T12:00:00+01:00"))
        .unwrap();
    assert!(before.promotions().is_empty());
}

/// CONTRACT §2 `fixed_price`: FLASH-ZAINO sets 39.90 on 2026-11-28 only (every IT channel). The
/// prior price is the 59.90 of the 30 days before; the price changes back at 2026-11-29 00:00.
#[test]
fn fixed_price_flash_sale() {
    let catalog = demo();
    for channel in ["web-it", "store-roma"] {
        let offer = catalog
            .offer("ZAINO-URBAN", channel, at("2026-11-28T10:00:00+01:00"))
            .unwrap();
        assert_eq!(offer.regular_price, money("59.90 EUR"), "{channel}");
        assert_eq!(offer.price, money("39.90 EUR"), "{channel}");
        assert_eq!(offer.promotions(), ["FLASH-ZAINO"], "{channel}");
        assert_eq!(
            shown(offer.prior_price).as_deref(),
            Some("59.90 EUR"),
            "{channel}"
        );
        assert_eq!(
            offer.valid_until,
            Some(utc("2026-11-29T00:00:00+01:00")),
            "{channel}"
        );
    }
}

/// CONTRACT §2 `audience: coupon`: needs a code, never the public price — and not the members'
/// price either. BENVENUTO10 (-10 % on fashion) runs all of November and December.
#[test]
fn coupon_never_changes_any_price() {
    let catalog = demo();
    let plain = catalog
        .offer("ZAINO-URBAN", "web-it", at("2026-11-20T12:00:00+01:00"))
        .unwrap();
    assert_eq!(plain.price, money("59.90 EUR"));
    assert_eq!(plain.member_price, money("59.90 EUR"));
    assert!(plain.promotions().is_empty());
    assert!(plain.reduction.is_none());
    // During the flash sale the coupon does not stack on it either: 39.90, not 35.91.
    let flash = catalog
        .offer("ZAINO-URBAN", "web-it", at("2026-11-28T10:00:00+01:00"))
        .unwrap();
    assert_eq!(flash.price, money("39.90 EUR"));
    assert_eq!(flash.member_price, money("39.90 EUR"));
    assert_eq!(flash.promotions(), ["FLASH-ZAINO"]);
}

/// The coupon's start and end are no price changes: the timeline has exactly the flash sale.
#[test]
fn coupon_does_not_split_the_timeline() {
    let catalog = demo();
    let span = window("2026-10-15T00:00:00+02:00", "2027-01-15T00:00:00+01:00");
    let segments = catalog.timeline("ZAINO-URBAN", "web-it", span).unwrap();
    assert_tiles(&segments, span);
    let summary: Vec<(Window, Option<String>)> = segments
        .iter()
        .map(|s| (s.window, shown(s.price)))
        .collect();
    assert_eq!(
        summary,
        [
            (
                window("2026-10-15T00:00:00+02:00", "2026-11-28T00:00:00+01:00"),
                Some("59.90 EUR".to_owned())
            ),
            (
                window("2026-11-28T00:00:00+01:00", "2026-11-29T00:00:00+01:00"),
                Some("39.90 EUR".to_owned())
            ),
            (
                window("2026-11-29T00:00:00+01:00", "2027-01-15T00:00:00+01:00"),
                Some("59.90 EUR".to_owned())
            ),
        ]
    );
}

/// APP-OLIO runs on app-it only: 9.99 × 0.9 = 8.991 → 8.99 there, 9.99 on the web.
#[test]
fn app_only_promotion_rounds_to_the_cent() {
    let catalog = demo();
    let app = catalog
        .offer("OLIO-EVO-1L", "app-it", at("2026-11-28T10:00:00+01:00"))
        .unwrap();
    assert_eq!(app.price, money("8.99 EUR"));
    assert_eq!(shown(app.prior_price).as_deref(), Some("9.99 EUR"));
    let web = catalog
        .offer("OLIO-EVO-1L", "web-it", at("2026-11-28T10:00:00+01:00"))
        .unwrap();
    assert_eq!(web.price, money("9.99 EUR"));
}

// --- Stock (CONTRACT §2 and §5) --------------------------------------------------------------

/// A location with no snapshot yet contributes 0: before 2026-11-15T08:00Z nothing was counted.
#[test]
fn stock_before_the_first_snapshot_is_zero() {
    let catalog = demo();
    let offer = catalog
        .offer("LAPTOP-14", "web-it", at("2026-11-15T07:59:59Z"))
        .unwrap();
    assert_eq!(offer.available, 0);
    assert_eq!(offer.availability, Availability::OutOfStock);
}

/// The latest snapshot at or before the instant: exactly at 2026-11-15T08:00Z it counts
/// (20 − 12 = 8).
#[test]
fn stock_snapshot_counts_from_its_own_instant() {
    let catalog = demo();
    let offer = catalog
        .offer("LAPTOP-14", "web-it", at("2026-11-15T08:00:00Z"))
        .unwrap();
    assert_eq!(offer.available, 8);
    assert_eq!(offer.availability, Availability::InStock);
}

/// A later snapshot replaces the earlier one: from 2026-11-29T08:00Z wh-milano has 10 − 7 = 3.
#[test]
fn a_later_snapshot_replaces_the_earlier_one() {
    let catalog = demo();
    let offer = catalog
        .offer("LAPTOP-14", "web-it", at("2026-11-30T12:00:00+01:00"))
        .unwrap();
    assert_eq!(offer.available, 3);
    assert_eq!(offer.availability, Availability::LowStock);
}

/// print-it sells from store-roma and store-milano: PHONE-X has (6 − 1) + 4 = 9 there.
#[test]
fn stock_sums_over_the_channel_locations() {
    let catalog = demo();
    let offer = catalog
        .offer("PHONE-X", "print-it", at("2026-11-28T10:00:00+01:00"))
        .unwrap();
    assert_eq!(offer.available, 9);
    assert_eq!(offer.availability, Availability::InStock);
}

/// CONTRACT §5: `low_stock` up to the threshold (5) included: PHONE-X in store-roma has 6 − 1 = 5.
#[test]
fn low_stock_includes_the_threshold() {
    let catalog = demo();
    let offer = catalog
        .offer("PHONE-X", "store-roma", at("2026-11-28T10:00:00+01:00"))
        .unwrap();
    assert_eq!(offer.available, 5);
    assert_eq!(offer.availability, Availability::LowStock);
    // With a policy threshold of 4, five units are in stock.
    let options = OfferOptions {
        reference_scope: ReferenceScope::Channel,
        low_stock_threshold: 4,
    };
    let offer = catalog
        .offer_with(
            "PHONE-X",
            "store-roma",
            at("2026-11-28T10:00:00+01:00"),
            &options,
        )
        .unwrap();
    assert_eq!(offer.availability, Availability::InStock);
}

/// TV-55 on web-it after 2026-11-29T08:00Z: 4 on hand, 4 reserved: out of stock.
#[test]
fn everything_reserved_is_out_of_stock() {
    let catalog = demo();
    let offer = catalog
        .offer("TV-55", "web-it", at("2026-11-30T12:00:00+01:00"))
        .unwrap();
    assert_eq!(offer.available, 0);
    assert_eq!(offer.availability, Availability::OutOfStock);
    assert_eq!(
        serde_json::to_value(&offer).unwrap()["availability"],
        "out_of_stock"
    );
}

// --- Errors ----------------------------------------------------------------------------------

#[test]
fn unknown_sku_is_an_error() {
    let catalog = demo();
    let err = catalog
        .offer("NOPE-1", "web-it", at("2026-11-28T10:00:00+01:00"))
        .err();
    assert_eq!(
        err,
        Some(OfferError::UnknownProduct {
            sku: "NOPE-1".to_owned()
        })
    );
}

#[test]
fn unknown_channel_is_an_error() {
    let catalog = demo();
    let err = catalog
        .offer("LAPTOP-14", "web-fr", at("2026-11-28T10:00:00+01:00"))
        .err();
    assert_eq!(
        err,
        Some(OfferError::UnknownChannel {
            channel: "web-fr".to_owned()
        })
    );
}

/// TV-55's assortment leaves out store-milano; FRAGOLE-500's leaves out web-it.
#[test]
fn product_outside_the_channel_assortment_is_not_listed() {
    let catalog = demo();
    let t = at("2026-11-28T10:00:00+01:00");
    assert_eq!(
        catalog.offer("TV-55", "store-milano", t).err(),
        Some(OfferError::NotListed {
            sku: "TV-55".to_owned(),
            channel: "store-milano".to_owned()
        })
    );
    assert_eq!(
        catalog.offer("FRAGOLE-500", "web-it", t).err(),
        Some(OfferError::NotListed {
            sku: "FRAGOLE-500".to_owned(),
            channel: "web-it".to_owned()
        })
    );
    let span = window("2026-11-01T00:00:00+01:00", "2026-12-01T00:00:00+01:00");
    assert_eq!(
        catalog.timeline("TV-55", "store-milano", span).err(),
        Some(OfferError::NotListed {
            sku: "TV-55".to_owned(),
            channel: "store-milano".to_owned()
        })
    );
}

/// EARBUDS-PRO's first price entry starts 2026-11-10: there is no offer before it.
#[test]
fn no_price_before_the_first_price_entry() {
    let catalog = demo();
    let err = catalog
        .offer("EARBUDS-PRO", "web-it", at("2026-11-05T12:00:00+01:00"))
        .err();
    assert_eq!(
        err,
        Some(OfferError::NoPrice {
            sku: "EARBUDS-PRO".to_owned(),
            channel: "web-it".to_owned(),
            at: "2026-11-05T12:00:00+01:00".to_owned()
        })
    );
    // Exactly at the entry's start the price is there (half-open windows).
    let first = catalog
        .offer("EARBUDS-PRO", "web-it", at("2026-11-10T00:00:00+01:00"))
        .unwrap();
    assert_eq!(first.price, money("199.00 EUR"));
}

// --- Timelines -------------------------------------------------------------------------------

/// Segments tile the window without gap or overlap, and adjacent segments differ.
fn assert_tiles(segments: &[Segment], span: Window) {
    assert!(!segments.is_empty(), "a non-empty window has segments");
    assert_eq!(
        segments[0].window.from, span.from,
        "first segment starts the window"
    );
    assert_eq!(
        segments[segments.len() - 1].window.until,
        span.until,
        "last segment ends the window"
    );
    for pair in segments.windows(2) {
        assert_eq!(pair[0].window.until, Some(pair[1].window.from), "no gap");
        let prices = |s: &Segment| {
            (
                s.regular_price,
                s.price,
                s.member_price,
                s.promotions.clone(),
                s.member_promotions.clone(),
                s.multi_buys.clone(),
            )
        };
        assert_ne!(
            prices(&pair[0]),
            prices(&pair[1]),
            "adjacent segments differ"
        );
    }
}

/// TV-55 on web-it from 2026-11-15 to 2026-12-05: 1299.00, WAIT26 1169.10, BF26 1039.20, 1299.00.
#[test]
fn timeline_of_the_progressive_campaign() {
    let catalog = demo();
    let span = window("2026-11-15T00:00:00+01:00", "2026-12-05T00:00:00+01:00");
    let segments = catalog.timeline("TV-55", "web-it", span).unwrap();
    assert_tiles(&segments, span);
    let summary: Vec<(Window, Option<String>, Vec<String>)> = segments
        .iter()
        .map(|s| (s.window, shown(s.price), segment_promotions(&catalog, s)))
        .collect();
    let row = |from: &str, until: &str, price: &str, promotions: &[&str]| {
        (
            window(from, until),
            Some(price.to_owned()),
            promotions.iter().map(|p| (*p).to_owned()).collect(),
        )
    };
    assert_eq!(
        summary,
        [
            row(
                "2026-11-15T00:00:00+01:00",
                "2026-11-20T00:00:00+01:00",
                "1299.00 EUR",
                &[]
            ),
            row(
                "2026-11-20T00:00:00+01:00",
                "2026-11-27T00:00:00+01:00",
                "1169.10 EUR",
                &["WAIT26"]
            ),
            row(
                "2026-11-27T00:00:00+01:00",
                "2026-12-01T00:00:00+01:00",
                "1039.20 EUR",
                &["BF26"]
            ),
            row(
                "2026-12-01T00:00:00+01:00",
                "2026-12-05T00:00:00+01:00",
                "1299.00 EUR",
                &[]
            ),
        ]
    );
    assert!(
        segments
            .iter()
            .all(|s| s.regular_price == Some(money("1299.00 EUR")))
    );
}

/// Before EARBUDS-PRO's first price the timeline has a segment without any price.
#[test]
fn timeline_shows_the_stretch_without_a_price() {
    let catalog = demo();
    let span = window("2026-11-01T00:00:00+01:00", "2026-11-15T00:00:00+01:00");
    let segments = catalog.timeline("EARBUDS-PRO", "web-it", span).unwrap();
    assert_tiles(&segments, span);
    assert_eq!(segments.len(), 2);
    assert_eq!(
        segments[0].window,
        window("2026-11-01T00:00:00+01:00", "2026-11-10T00:00:00+01:00")
    );
    assert_eq!((segments[0].regular_price, segments[0].price), (None, None));
    assert_eq!(
        segments[1].window,
        window("2026-11-10T00:00:00+01:00", "2026-11-15T00:00:00+01:00")
    );
    assert_eq!(segments[1].price, Some(money("199.00 EUR")));
}

// ---------------------------------------------------------------------------------------------
// Inline catalogs: stacking and prior-price edge cases
// ---------------------------------------------------------------------------------------------

const NOV20: &str = "2026-11-20T00:00:00+01:00";
const DEC01: &str = "2026-12-01T00:00:00+01:00";
/// Two days into the promotions of the inline catalogs.
const NOV22: &str = "2026-11-22T12:00:00+01:00";

/// Market IT (EUR, Europe/Rome, 30-day prior-price rule), channels web-it (warehouse wh) and
/// store-it (store shop), product P, with the given prices and promotions.
fn italy(prices: Value, promotions: Value) -> Catalog {
    compile(&json!({
        "markets": [{"id": "IT", "currency": "EUR", "time_zone": "Europe/Rome",
                     "reference_price_days": 30}],
        "locations": [{"id": "wh", "kind": "warehouse"}, {"id": "shop", "kind": "store"}],
        "channels": [{"id": "web-it", "kind": "web", "market": "IT", "locations": ["wh"]},
                     {"id": "store-it", "kind": "store", "market": "IT", "locations": ["shop"]}],
        "products": [{"sku": "P", "title": "Prodotto"}],
        "prices": prices,
        "promotions": promotions
    }))
}

fn compile(document: &Value) -> Catalog {
    Catalog::from_json(&document.to_string())
        .unwrap_or_else(|e| panic!("the test catalog must compile: {e}"))
}

/// P at `amount` EUR on every channel of IT from 2026-01-01.
fn one_price(amount: &str) -> Value {
    json!([{"sku": "P", "market": "IT", "amount": amount, "from": "2026-01-01T00:00:00+01:00"}])
}

/// A promotion on P in IT for everyone, [2026-11-20, 2026-12-01), priority 0, not exclusive, with
/// `extra` fields overriding these.
fn promotion(id: &str, mechanic: Value, extra: Value) -> Value {
    let mut p = json!({"id": id, "markets": ["IT"], "skus": ["P"], "from": NOV20, "until": DEC01,
                       "mechanic": mechanic});
    if let Value::Object(fields) = extra {
        for (key, value) in fields {
            p[key] = value;
        }
    }
    p
}

fn percent(p: &str) -> Value {
    json!({"percent_off": p})
}

fn amount_off(amount: &str) -> Value {
    json!({"amount_off": amount})
}

/// CONTRACT §2: priority high first. B (priority 2, -50 %) before A (priority 1, -10.00 EUR):
/// 100.00 × 0.5 = 50.00, − 10.00 = 40.00 (the other order would give 45.00).
#[test]
fn stacking_applies_higher_priority_first() {
    let catalog = italy(
        one_price("100.00 EUR"),
        json!([
            promotion("A", amount_off("10.00 EUR"), json!({"priority": 1})),
            promotion("B", percent("50"), json!({"priority": 2}))
        ]),
    );
    let offer = catalog.offer("P", "web-it", at(NOV22)).unwrap();
    assert_eq!(offer.price, money("40.00 EUR"));
    assert_eq!(offer.promotions(), ["B", "A"]);
}

/// CONTRACT §2: on equal priority, by id. A-AMOUNT (-10.00) before B-PERCENT (-50 %):
/// 100.00 − 10.00 = 90.00, × 0.5 = 45.00 (the other order would give 40.00).
#[test]
fn stacking_breaks_priority_ties_by_id() {
    let catalog = italy(
        one_price("100.00 EUR"),
        json!([
            promotion("B-PERCENT", percent("50"), json!({})),
            promotion("A-AMOUNT", amount_off("10.00 EUR"), json!({}))
        ]),
    );
    let offer = catalog.offer("P", "web-it", at(NOV22)).unwrap();
    assert_eq!(offer.price, money("45.00 EUR"));
    assert_eq!(offer.promotions(), ["A-AMOUNT", "B-PERCENT"]);
}

/// CONTRACT §2: an exclusive promotion reached first applies and stops the walk: E (priority 10,
/// exclusive, -50 %) gives 50.00 and X (priority 5, -10 %) is not applied.
#[test]
fn exclusive_promotion_first_applies_alone() {
    let catalog = italy(
        one_price("100.00 EUR"),
        json!([
            promotion("X", percent("10"), json!({"priority": 5})),
            promotion(
                "E",
                percent("50"),
                json!({"priority": 10, "exclusive": true})
            )
        ]),
    );
    let offer = catalog.offer("P", "web-it", at(NOV22)).unwrap();
    assert_eq!(offer.price, money("50.00 EUR"));
    assert_eq!(offer.promotions(), ["E"]);
}

/// CONTRACT §2: an exclusive promotion applies only if nothing applied yet. X (priority 10, -10 %)
/// applies: 90.00; E (priority 5, exclusive, -50 %) is skipped; Y (priority 1, -10.00) still applies:
/// 80.00. (Reading: "and then stops the walk" follows "applies"; a skipped exclusive stops nothing.)
#[test]
fn exclusive_promotion_after_another_is_skipped() {
    let catalog = italy(
        one_price("100.00 EUR"),
        json!([
            promotion("X", percent("10"), json!({"priority": 10})),
            promotion(
                "E",
                percent("50"),
                json!({"priority": 5, "exclusive": true})
            ),
            promotion("Y", amount_off("10.00 EUR"), json!({"priority": 1}))
        ]),
    );
    let offer = catalog.offer("P", "web-it", at(NOV22)).unwrap();
    assert_eq!(offer.price, money("80.00 EUR"));
    assert_eq!(offer.promotions(), ["X", "Y"]);
}

/// Two exclusive promotions of equal priority: the first by id (E1, -20 %) applies and stops the walk.
#[test]
fn of_two_exclusive_promotions_only_the_first_applies() {
    let catalog = italy(
        one_price("100.00 EUR"),
        json!([
            promotion("E2", percent("30"), json!({"exclusive": true})),
            promotion("E1", percent("20"), json!({"exclusive": true}))
        ]),
    );
    let offer = catalog.offer("P", "web-it", at(NOV22)).unwrap();
    assert_eq!(offer.price, money("80.00 EUR"));
    assert_eq!(offer.promotions(), ["E1"]);
}

/// CONTRACT §2: the step's result is rounded half away from zero: 10.01 × 0.5 = 5.005 → 5.01
/// (bankers' rounding would give 5.00).
#[test]
fn percent_off_rounds_half_away_from_zero() {
    let catalog = italy(
        one_price("10.01 EUR"),
        json!([promotion("HALF", percent("50"), json!({}))]),
    );
    let offer = catalog.offer("P", "web-it", at(NOV22)).unwrap();
    assert_eq!(offer.price, money("5.01 EUR"));
    assert_eq!(offer.price.to_string(), "5.01 EUR");
}

/// CONTRACT §2: each step rounds. 10.01 → -50 % → 5.005 → 5.01 → -50 % → 2.505 → 2.51. Rounding only
/// at the end would give 10.01 × 0.25 = 2.5025 → 2.50.
#[test]
fn every_stacking_step_rounds() {
    let catalog = italy(
        one_price("10.01 EUR"),
        json!([
            promotion("H1", percent("50"), json!({})),
            promotion("H2", percent("50"), json!({}))
        ]),
    );
    let offer = catalog.offer("P", "web-it", at(NOV22)).unwrap();
    assert_eq!(offer.price, money("2.51 EUR"));
    assert_eq!(
        offer.explanation(),
        [
            "price 10.01 EUR (IT, from 2026-01-01)",
            "promotion H1 -50% -> 5.01 EUR",
            "promotion H2 -50% -> 2.51 EUR"
        ]
    );
}

/// CONTRACT §2: a price never goes below one minor unit. Two 6.00 EUR amounts off a 10.00 price
/// (each smaller than the price, so the catalog is valid): 10.00 − 6.00 = 4.00, − 6.00 → 0.01.
#[test]
fn stacked_amounts_off_stop_at_one_cent() {
    let catalog = italy(
        one_price("10.00 EUR"),
        json!([
            promotion("OFF-A", amount_off("6.00 EUR"), json!({})),
            promotion("OFF-B", amount_off("6.00 EUR"), json!({}))
        ]),
    );
    let offer = catalog.offer("P", "web-it", at(NOV22)).unwrap();
    assert_eq!(offer.price, money("0.01 EUR"));
    assert_eq!(offer.price.to_string(), "0.01 EUR");
    assert_eq!(shown(offer.prior_price).as_deref(), Some("10.00 EUR"));
}

/// CONTRACT §2 `fixed_price`: it never raises a price. A fixed 39.90 on a 30.00 price leaves 30.00:
/// no reduction, no prior price.
#[test]
fn fixed_price_above_the_price_leaves_it_unchanged() {
    let catalog = italy(
        one_price("30.00 EUR"),
        json!([promotion(
            "FIX",
            json!({"fixed_price": "39.90 EUR"}),
            json!({})
        )]),
    );
    let offer = catalog.offer("P", "web-it", at(NOV22)).unwrap();
    assert_eq!(offer.price, money("30.00 EUR"));
    assert_eq!(offer.member_price, money("30.00 EUR"));
    assert!(offer.reduction.is_none());
    assert_eq!(offer.prior_price, None);
}

/// A fixed price at or above the current price does not apply: it is not listed, and an exclusive
/// one does not stop the walk (30.00 with an exclusive fixed 39.90, then -10%, is 27.00).
#[test]
fn a_fixed_price_that_would_not_lower_the_price_does_not_apply() {
    let catalog = italy(
        one_price("30.00 EUR"),
        json!([
            promotion(
                "FIX",
                json!({"fixed_price": "39.90 EUR"}),
                json!({"priority": 10, "exclusive": true})
            ),
            promotion("TEN", percent("10"), json!({"priority": 1})),
        ]),
    );
    let offer = catalog.offer("P", "web-it", at(NOV22)).unwrap();
    assert_eq!(offer.price, money("27.00 EUR"));
    assert_eq!(offer.promotions(), ["TEN"]);
}

/// Members get every promotion for everyone too: a members' promotion that would come first and so
/// block an exclusive -50% for everyone never leaves members above the public price.
#[test]
fn members_never_pay_more_than_the_public() {
    let catalog = italy(
        one_price("100.00 EUR"),
        json!([
            promotion(
                "SOCI",
                percent("10"),
                json!({"priority": 20, "audience": "members"})
            ),
            promotion(
                "HALF",
                percent("50"),
                json!({"priority": 10, "exclusive": true})
            ),
        ]),
    );
    let offer = catalog.offer("P", "web-it", at(NOV22)).unwrap();
    assert_eq!(offer.price, money("50.00 EUR"));
    assert_eq!(offer.member_price, money("50.00 EUR"));
    // Without the exclusive one, members stack theirs on top: 100 -10% = 90.00, public 100.00.
    let catalog = italy(
        one_price("100.00 EUR"),
        json!([promotion(
            "SOCI",
            percent("10"),
            json!({"audience": "members"})
        )]),
    );
    let offer = catalog.offer("P", "web-it", at(NOV22)).unwrap();
    assert_eq!(
        (offer.price, offer.member_price),
        (money("100.00 EUR"), money("90.00 EUR"))
    );
}

/// CONTRACT §1 and §2 in a currency without decimals: 1299 JPY × 0.5 = 649.5 → 650 JPY (half away
/// from zero), written without decimals; instants in Asia/Tokyo.
#[test]
fn yen_prices_have_no_decimals() {
    let catalog = compile(&json!({
        "markets": [{"id": "JP", "currency": "JPY", "time_zone": "Asia/Tokyo",
                     "reference_price_days": 30}],
        "channels": [{"id": "web-jp", "kind": "web", "market": "JP"}],
        "products": [{"sku": "P", "title": "製品"}],
        "prices": [{"sku": "P", "market": "JP", "amount": "1299 JPY",
                    "from": "2026-01-01T00:00:00+09:00"}],
        "promotions": [{"id": "HALF", "markets": ["JP"], "skus": ["P"],
                        "from": "2026-11-20T00:00:00+09:00", "until": "2026-12-01T00:00:00+09:00",
                        "mechanic": {"percent_off": 50}}]
    }));
    let offer = catalog
        .offer("P", "web-jp", at("2026-11-22T12:00:00+09:00"))
        .unwrap();
    let json = serde_json::to_value(&offer).unwrap();
    assert_eq!(
        json,
        json!({
            "sku": "P", "channel": "web-jp", "at": "2026-11-22T12:00:00+09:00",
            "regular_price": "1299 JPY", "price": "650 JPY", "member_price": "650 JPY",
            "prior_price": "1299 JPY", "promotions": ["HALF"], "available": 0,
            "availability": "out_of_stock", "valid_until": "2026-12-01T00:00:00+09:00",
            "explanation": ["price 1299 JPY (JP, from 2026-01-01)", "promotion HALF -50% -> 650 JPY"]
        })
    );
}

/// Every order of the same promotions in the document gives the same offer. By hand: C-FIXED
/// (priority 7) 100.00 → 95.00; A-PERCENT (5) 95.00 × 0.9 = 85.50; B-AMOUNT (5) − 5.00 = 80.50;
/// Z-EXCL (1, exclusive) is skipped because others applied.
#[test]
fn document_order_of_promotions_never_changes_the_offer() {
    let promotions = [
        promotion("A-PERCENT", percent("10"), json!({"priority": 5})),
        promotion("B-AMOUNT", amount_off("5.00 EUR"), json!({"priority": 5})),
        promotion(
            "C-FIXED",
            json!({"fixed_price": "95.00 EUR"}),
            json!({"priority": 7}),
        ),
        promotion(
            "Z-EXCL",
            percent("50"),
            json!({"priority": 1, "exclusive": true}),
        ),
    ];
    let mut orders = Vec::new();
    permutations(&mut [0, 1, 2, 3], 0, &mut orders);
    assert_eq!(orders.len(), 24);
    for order in orders {
        let listed: Vec<Value> = order.iter().map(|&i| promotions[i].clone()).collect();
        let catalog = italy(one_price("100.00 EUR"), Value::Array(listed));
        let offer = catalog.offer("P", "web-it", at(NOV22)).unwrap();
        assert_eq!(offer.price, money("80.50 EUR"), "order {order:?}");
        assert_eq!(
            offer.promotions(),
            ["C-FIXED", "A-PERCENT", "B-AMOUNT"],
            "order {order:?}"
        );
        assert_eq!(
            shown(offer.prior_price).as_deref(),
            Some("100.00 EUR"),
            "order {order:?}"
        );
    }
}

/// Heap's algorithm, small and deterministic.
fn permutations(items: &mut [usize; 4], k: usize, out: &mut Vec<[usize; 4]>) {
    if k == items.len() {
        out.push(*items);
        return;
    }
    for i in k..items.len() {
        items.swap(k, i);
        permutations(items, k + 1, out);
        items.swap(k, i);
    }
}

/// CONTRACT §2 `reference_price_days: null` and §5: no prior-price rule, so `prior_price` is null
/// even during a reduction (80.00 USD × 0.75 = 60.00 USD); the reduction is there, exempt.
#[test]
fn market_without_the_rule_has_no_prior_price() {
    let catalog = compile(&json!({
        "markets": [{"id": "US", "currency": "USD", "time_zone": "America/New_York"}],
        "channels": [{"id": "web-us", "kind": "web", "market": "US"}],
        "products": [{"sku": "P", "title": "Product"}],
        "prices": [{"sku": "P", "market": "US", "amount": "80.00 USD",
                    "from": "2026-01-01T00:00:00-05:00"}],
        "promotions": [{"id": "Q", "skus": ["P"], "from": "2026-11-20T00:00:00-05:00",
                        "mechanic": {"percent_off": "25"}}]
    }));
    let offer = catalog
        .offer("P", "web-us", at("2026-11-27T09:00:00-05:00"))
        .unwrap();
    assert_eq!(offer.price, money("60.00 USD"));
    assert_eq!(offer.prior_price, None);
    assert_eq!(
        serde_json::to_value(&offer).unwrap()["prior_price"],
        Value::Null
    );
    let reduction = offer.reduction.as_ref().unwrap();
    assert_eq!(reduction.since, utc("2026-11-20T00:00:00-05:00"));
    assert_eq!(format!("{:?}", reduction.exemption), "Some(NoRule)");
    // An open-ended promotion: the price never changes again.
    assert_eq!(offer.valid_until, None);
}

/// CONTRACT §6 and §8.3: with `reference_scope: market` the prior price is the lowest public price
/// on any channel of the market. STORE30 made the store 70.00 in [2026-11-01, 2026-11-05), inside
/// the lookback [2026-10-21, 2026-11-20) of WEB20's reduction on web-it (100.00 × 0.8 = 80.00).
#[test]
fn reference_scope_market_takes_the_lowest_price_of_any_channel() {
    let catalog = italy(
        one_price("100.00 EUR"),
        json!([
            promotion(
                "STORE30",
                percent("30"),
                json!({"channels": ["store-it"],
                "from": "2026-11-01T00:00:00+01:00", "until": "2026-11-05T00:00:00+01:00"})
            ),
            promotion("WEB20", percent("20"), json!({"channels": ["web-it"]}))
        ]),
    );
    let channel = catalog.offer("P", "web-it", at(NOV22)).unwrap();
    assert_eq!(channel.price, money("80.00 EUR"));
    assert_eq!(shown(channel.prior_price).as_deref(), Some("100.00 EUR"));
    let options = OfferOptions {
        reference_scope: ReferenceScope::Market,
        low_stock_threshold: 5,
    };
    let market = catalog
        .offer_with("P", "web-it", at(NOV22), &options)
        .unwrap();
    assert_eq!(market.price, money("80.00 EUR"));
    assert_eq!(shown(market.prior_price).as_deref(), Some("70.00 EUR"));
}

/// CONTRACT §8.3 with no price in the lookback: P is first priced when its reduction starts. A
/// reduction is in progress (90.00 < 100.00) but there is nothing to take a prior price from.
#[test]
fn reduction_without_history_has_no_prior_price() {
    let catalog = italy(
        json!([{"sku": "P", "market": "IT", "amount": "100.00 EUR", "from": NOV20}]),
        json!([promotion("NEW10", percent("10"), json!({}))]),
    );
    let offer = catalog.offer("P", "web-it", at(NOV22)).unwrap();
    assert_eq!(offer.price, money("90.00 EUR"));
    assert_eq!(offer.prior_price, None);
    let reduction = offer.reduction.as_ref().unwrap();
    assert_eq!(reduction.since, utc(NOV20));
    assert_eq!(reduction.exemption, None);
    assert!(reduction.prior.is_none());
    assert_eq!(
        reduction.lookback,
        Some(window("2026-10-21T00:00:00+02:00", NOV20))
    );
}

/// CONTRACT §8.3: the lookback opens at launch when that is later than S − D days. P launched
/// 2026-11-10 at 100.00 after a pre-launch 50.00 (from 2026-10-01); a -10 % from 2026-11-20 looks
/// back to the launch only, so the prior price is 100.00, not 50.00.
#[test]
fn prior_price_never_reaches_before_launch() {
    let catalog = compile(&json!({
        "markets": [{"id": "IT", "currency": "EUR", "time_zone": "Europe/Rome",
                     "reference_price_days": 30}],
        "channels": [{"id": "web-it", "kind": "web", "market": "IT"}],
        "products": [{"sku": "P", "title": "Prodotto", "launched": "2026-11-10T00:00:00+01:00"}],
        "prices": [
            {"sku": "P", "market": "IT", "amount": "50.00 EUR",
             "from": "2026-10-01T00:00:00+02:00", "until": "2026-11-10T00:00:00+01:00"},
            {"sku": "P", "market": "IT", "amount": "100.00 EUR", "from": "2026-11-10T00:00:00+01:00"}
        ],
        "promotions": [promotion("L10", percent("10"), json!({}))]
    }));
    let offer = catalog.offer("P", "web-it", at(NOV22)).unwrap();
    assert_eq!(offer.price, money("90.00 EUR"));
    assert_eq!(shown(offer.prior_price).as_deref(), Some("100.00 EUR"));
    let reduction = offer.reduction.as_ref().unwrap();
    assert!(reduction.since_launch);
    assert_eq!(
        reduction.lookback,
        Some(window("2026-11-10T00:00:00+01:00", NOV20))
    );
}

/// CONTRACT §8.3, D calendar days in the market's zone, across the end of summer time (2026-10-25):
/// a reduction from 2026-11-20 00:00 CET looks back to 2026-10-21 00:00 CEST (30 days and one
/// hour). A 80.00 price that ended exactly at that instant must not count (half-open windows).
#[test]
fn lookback_excludes_a_price_that_ended_at_its_start() {
    let catalog = italy(
        json!([
            {"sku": "P", "market": "IT", "amount": "80.00 EUR",
             "from": "2026-01-01T00:00:00+01:00", "until": "2026-10-21T00:00:00+02:00"},
            {"sku": "P", "market": "IT", "amount": "100.00 EUR", "from": "2026-10-21T00:00:00+02:00"}
        ]),
        json!([promotion("D10", percent("10"), json!({}))]),
    );
    let offer = catalog.offer("P", "web-it", at(NOV22)).unwrap();
    assert_eq!(offer.price, money("90.00 EUR"));
    assert_eq!(shown(offer.prior_price).as_deref(), Some("100.00 EUR"));
    assert_eq!(
        offer.reduction.as_ref().unwrap().lookback,
        Some(window("2026-10-21T00:00:00+02:00", NOV20))
    );
}

/// The same boundary from the other side: an 80.00 price in force for the first half hour of
/// 2026-10-21 (CEST) is inside the lookback and is the prior price. Thirty 24-hour days would start
/// the lookback one hour later, at 01:00 CEST, and miss it.
#[test]
fn lookback_counts_calendar_days_across_the_end_of_summer_time() {
    let catalog = italy(
        json!([
            {"sku": "P", "market": "IT", "amount": "100.00 EUR",
             "from": "2026-01-01T00:00:00+01:00", "until": "2026-10-21T00:00:00+02:00"},
            {"sku": "P", "market": "IT", "amount": "80.00 EUR",
             "from": "2026-10-21T00:00:00+02:00", "until": "2026-10-21T00:30:00+02:00"},
            {"sku": "P", "market": "IT", "amount": "100.00 EUR", "from": "2026-10-21T00:30:00+02:00"}
        ]),
        json!([promotion("D10", percent("10"), json!({}))]),
    );
    let offer = catalog.offer("P", "web-it", at(NOV22)).unwrap();
    assert_eq!(offer.price, money("90.00 EUR"));
    assert_eq!(shown(offer.prior_price).as_deref(), Some("80.00 EUR"));
}

/// CONTRACT §1, half-open windows: A (-10 %) runs [2026-11-20, 2026-11-27), B (-20 %) from
/// 2026-11-27. At 2026-11-27 00:00 only B applies (80.00; both would give 72.00); a second before,
/// only A (90.00).
#[test]
fn a_promotion_ending_when_another_starts_does_not_overlap_it() {
    let catalog = italy(
        one_price("100.00 EUR"),
        json!([
            promotion(
                "A",
                percent("10"),
                json!({"until": "2026-11-27T00:00:00+01:00"})
            ),
            promotion(
                "B",
                percent("20"),
                json!({"from": "2026-11-27T00:00:00+01:00"})
            )
        ]),
    );
    let before = catalog
        .offer("P", "web-it", at("2026-11-26T23:59:59+01:00"))
        .unwrap();
    assert_eq!(before.price, money("90.00 EUR"));
    assert_eq!(before.promotions(), ["A"]);
    let at_start = catalog
        .offer("P", "web-it", at("2026-11-27T00:00:00+01:00"))
        .unwrap();
    assert_eq!(at_start.price, money("80.00 EUR"));
    assert_eq!(at_start.promotions(), ["B"]);
    // The promotion's end is exclusive too: at 2026-12-01 00:00 the price is back to 100.00.
    let after = catalog
        .offer("P", "web-it", at("2026-12-01T00:00:00+01:00"))
        .unwrap();
    assert_eq!(after.price, money("100.00 EUR"));
}

/// A price entry ending exactly when a promotion starts: at that instant the new entry (120.00) is
/// in force and the promotion applies to it: 120.00 × 0.5 = 60.00.
#[test]
fn a_price_ending_when_a_promotion_starts_is_not_discounted() {
    let catalog = italy(
        json!([
            {"sku": "P", "market": "IT", "amount": "100.00 EUR",
             "from": "2026-01-01T00:00:00+01:00", "until": NOV20},
            {"sku": "P", "market": "IT", "amount": "120.00 EUR", "from": NOV20}
        ]),
        json!([promotion("HALF", percent("50"), json!({}))]),
    );
    let before = catalog
        .offer("P", "web-it", at("2026-11-19T23:59:59+01:00"))
        .unwrap();
    assert_eq!(before.price, money("100.00 EUR"));
    assert_eq!(before.valid_until, Some(utc(NOV20)));
    let start = catalog.offer("P", "web-it", at(NOV20)).unwrap();
    assert_eq!(start.regular_price, money("120.00 EUR"));
    assert_eq!(start.price, money("60.00 EUR"));
}

/// CONTRACT §1: a local date as an end means the next local midnight, exclusive
/// (`until: "2026-11-30"` = until 2026-12-01T00:00 in Rome).
#[test]
fn a_local_date_as_an_end_is_the_next_local_midnight() {
    let catalog = italy(
        json!([
            {"sku": "P", "market": "IT", "amount": "100.00 EUR", "from": "2026-01-01",
             "until": "2026-11-30"},
            {"sku": "P", "market": "IT", "amount": "120.00 EUR", "from": "2026-12-01"}
        ]),
        json!([]),
    );
    let last_second = catalog
        .offer("P", "web-it", at("2026-11-30T23:59:59+01:00"))
        .unwrap();
    assert_eq!(last_second.price, money("100.00 EUR"));
    assert_eq!(
        last_second.valid_until,
        Some(utc("2026-12-01T00:00:00+01:00"))
    );
    let next_day = catalog
        .offer("P", "web-it", at("2026-12-01T00:00:00+01:00"))
        .unwrap();
    assert_eq!(next_day.price, money("120.00 EUR"));
}

/// Two entries with the same amount back to back are one stretch: adjacent segments always differ.
#[test]
fn timeline_merges_stretches_with_the_same_prices() {
    let catalog = italy(
        json!([
            {"sku": "P", "market": "IT", "amount": "100.00 EUR",
             "from": "2026-01-01T00:00:00+01:00", "until": "2026-06-01T00:00:00+02:00"},
            {"sku": "P", "market": "IT", "amount": "100.00 EUR", "from": "2026-06-01T00:00:00+02:00"}
        ]),
        json!([]),
    );
    let span = window("2026-05-01T00:00:00+02:00", "2026-07-01T00:00:00+02:00");
    let segments = catalog.timeline("P", "web-it", span).unwrap();
    assert_eq!(segments.len(), 1);
    assert_eq!(segments[0].window, span);
    assert_eq!(segments[0].price, Some(money("100.00 EUR")));
}

/// The inline promotions tile a window into stretches that each hold one price.
#[test]
fn timeline_tiles_the_window_with_changing_prices() {
    let catalog = italy(
        one_price("100.00 EUR"),
        json!([
            promotion(
                "A",
                percent("10"),
                json!({"until": "2026-11-27T00:00:00+01:00"})
            ),
            promotion(
                "B",
                percent("20"),
                json!({"from": "2026-11-25T00:00:00+01:00"})
            )
        ]),
    );
    let span = window("2026-11-18T00:00:00+01:00", "2026-12-03T00:00:00+01:00");
    let segments = catalog.timeline("P", "web-it", span).unwrap();
    assert_tiles(&segments, span);
    // [18, 20) 100.00; [20, 25) A: 90.00; [25, 27) A then B: 90.00 × 0.8 = 72.00;
    // [27, Dec 1) B: 80.00; [Dec 1, Dec 3) 100.00.
    let prices: Vec<(Window, Option<String>)> = segments
        .iter()
        .map(|s| (s.window, shown(s.price)))
        .collect();
    let row = |from: &str, until: &str, price: &str| (window(from, until), Some(price.to_owned()));
    assert_eq!(
        prices,
        [
            row("2026-11-18T00:00:00+01:00", NOV20, "100.00 EUR"),
            row(NOV20, "2026-11-25T00:00:00+01:00", "90.00 EUR"),
            row(
                "2026-11-25T00:00:00+01:00",
                "2026-11-27T00:00:00+01:00",
                "72.00 EUR"
            ),
            row("2026-11-27T00:00:00+01:00", DEC01, "80.00 EUR"),
            row(DEC01, "2026-12-03T00:00:00+01:00", "100.00 EUR"),
        ]
    );
}

/// CONTRACT §2 stock: per location max(0, on_hand − reserved) of the latest snapshot at or before the
/// instant; a location not yet counted gives 0. The channel "omni" sells from wh and shop.
#[test]
fn stock_never_counts_a_location_below_zero() {
    let catalog = compile(&json!({
        "markets": [{"id": "IT", "currency": "EUR", "time_zone": "Europe/Rome",
                     "reference_price_days": 30}],
        "locations": [{"id": "wh", "kind": "warehouse"}, {"id": "shop", "kind": "store"}],
        "channels": [{"id": "omni", "kind": "web", "market": "IT", "locations": ["wh", "shop"]}],
        "products": [{"sku": "P", "title": "Prodotto"}],
        "prices": [{"sku": "P", "market": "IT", "amount": "10.00 EUR",
                    "from": "2026-01-01T00:00:00+01:00"}],
        "stock": [
            {"sku": "P", "location": "wh", "on_hand": 2, "reserved": 5,
             "as_of": "2026-11-15T08:00:00Z"},
            {"sku": "P", "location": "shop", "on_hand": 10, "as_of": "2026-11-16T08:00:00Z"},
            {"sku": "P", "location": "shop", "on_hand": 6, "reserved": 1,
             "as_of": "2026-11-17T08:00:00Z"}
        ]
    }));
    let units = |t: &str| {
        let offer = catalog.offer("P", "omni", at(t)).unwrap();
        (offer.available, offer.availability)
    };
    // Only wh counted, and it is oversold: 0, not −3.
    assert_eq!(units("2026-11-15T12:00:00Z"), (0, Availability::OutOfStock));
    // 0 + 10 (not −3 + 10 = 7).
    assert_eq!(units("2026-11-16T08:00:00Z"), (10, Availability::InStock));
    // 0 + (6 − 1) = 5: low stock at the threshold.
    assert_eq!(units("2026-11-17T08:00:00Z"), (5, Availability::LowStock));
}

/// CONTRACT §8.2-3: an interrupted reduction starts over. A (-10 %) ran [2026-11-01, 2026-11-05),
/// then the full price came back; B (-20 %) starts 2026-11-20, so S = 2026-11-20 and the lookback
/// [2026-10-21, 2026-11-20) holds A's 90.00: the lowest public price, hence the prior price.
#[test]
fn an_earlier_sale_inside_the_lookback_lowers_the_prior_price() {
    let catalog = italy(
        one_price("100.00 EUR"),
        json!([
            promotion(
                "A",
                percent("10"),
                json!({"from": "2026-11-01T00:00:00+01:00",
                                                   "until": "2026-11-05T00:00:00+01:00"})
            ),
            promotion("B", percent("20"), json!({}))
        ]),
    );
    let offer = catalog.offer("P", "web-it", at(NOV22)).unwrap();
    assert_eq!(offer.price, money("80.00 EUR"));
    assert_eq!(offer.reduction.as_ref().unwrap().since, utc(NOV20));
    assert_eq!(shown(offer.prior_price).as_deref(), Some("90.00 EUR"));
}

/// CONTRACT §2 and §8.1: a members' promotion stacks after the promotions for everyone in the
/// members' walk (EVERY -20 % at priority 10, then MEMB -10 %: 100.00 → 80.00 → 72.00), and only
/// the public walk makes `price`, `promotions` and the prior price.
#[test]
fn members_promotion_stacks_on_the_public_promotions() {
    let catalog = italy(
        one_price("100.00 EUR"),
        json!([
            promotion("MEMB", percent("10"), json!({"audience": "members"})),
            promotion("EVERY", percent("20"), json!({"priority": 10}))
        ]),
    );
    let offer = catalog.offer("P", "web-it", at(NOV22)).unwrap();
    assert_eq!(offer.price, money("80.00 EUR"));
    assert_eq!(offer.member_price, money("72.00 EUR"));
    assert_eq!(offer.promotions(), ["EVERY"]);
    assert_eq!(shown(offer.prior_price).as_deref(), Some("100.00 EUR"));
}

/// CONTRACT §5 `valid_until`: the next instant the public price *changes*. A (-10 %) hands over to
/// B (-10 %) at 2026-11-25 at the same 90.00, so the offer of 2026-11-22 holds until B ends.
#[test]
fn valid_until_skips_boundaries_where_the_price_stays() {
    let catalog = italy(
        one_price("100.00 EUR"),
        json!([
            promotion(
                "A",
                percent("10"),
                json!({"until": "2026-11-25T00:00:00+01:00"})
            ),
            promotion(
                "B",
                percent("10"),
                json!({"from": "2026-11-25T00:00:00+01:00"})
            )
        ]),
    );
    let offer = catalog.offer("P", "web-it", at(NOV22)).unwrap();
    assert_eq!(offer.price, money("90.00 EUR"));
    assert_eq!(offer.valid_until, Some(utc(DEC01)));
}

/// A members' promotion starting is no change of the public price: PARMIGIANO-500 on 2026-11-10
/// (SOCI-PARMIGIANO starts 2026-11-16) has no next public price change.
#[test]
fn valid_until_ignores_members_promotions() {
    let catalog = demo();
    let offer = catalog
        .offer("PARMIGIANO-500", "web-it", at("2026-11-10T12:00:00+01:00"))
        .unwrap();
    assert_eq!(offer.valid_until, None);
}
