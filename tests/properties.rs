//! Property tests of the catalog and offers, over documents from `unisono::testing`.
//!
//! Expectations are computed independently of the library's internals where the contract states
//! them directly (stock and the stacking of promotions from the document, the prior-price window
//! from CONTRACT §8), and otherwise checked against each other: an offer against its timeline, an
//! offer against a shuffled document.
//!
//! 1. generated documents compile (and the generator reaches every feature);
//! 2. the order of promotions, prices and stock in the document changes no offer;
//! 3. the prior price is the lowest public price of its lookback window;
//! 4. timelines tile their window and agree with offers;
//! 5. `valid_until` is the next change of the public price;
//! 6. prices are bounded (minor unit ≤ members' ≤ public ≤ regular) and stock adds up;
//! 7. the public price follows the stacking rules of CONTRACT §2.
//!
//! A failure prints the shrunk document as JSON, ready for `unisono offer`.

mod common;

use common::cases;

use std::ops::RangeInclusive;

use chrono::{DateTime, Days, Duration, LocalResult, TimeZone, Utc};
use chrono_tz::Tz;
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::TestCaseError;
use rust_decimal::{Decimal, RoundingStrategy};
use unisono::catalog::document::{Audience, CatalogDocument, MechanicEntry};
use unisono::testing::{ArbConfig, arb_catalog_document, document_instants};
use unisono::time::{DateEdge, Window, parse_instant, parse_instant_or_date};
use unisono::{Availability, Catalog, Money, OfferError, OfferOptions, ReferenceScope, Segment};

type Instants = Vec<DateTime<Utc>>;
type Checked = Result<(), TestCaseError>;

const NANO: Duration = Duration::nanoseconds(1);

/// Where to look in a document: one of the instants it names (or an hour either side), or any
/// whole hour of the grid. Drawn independently of the document so that both shrink well.
#[derive(Debug, Clone)]
struct InstantPick {
    at_boundary: bool,
    which: Index,
    shift: i64,
}

fn instant_picks(count: RangeInclusive<usize>) -> impl Strategy<Value = Vec<InstantPick>> {
    vec(
        (any::<bool>(), any::<Index>(), -1_i64..=1).prop_map(|(at_boundary, which, shift)| {
            InstantPick {
                at_boundary,
                which,
                shift,
            }
        }),
        count,
    )
}

/// The instants the picks stand for in `doc`.
fn instants_in(doc: &CatalogDocument, picks: &[InstantPick]) -> Instants {
    let marks = document_instants(doc);
    let span = ArbConfig::default().span();
    let hours = (span.until.expect("the grid has an end") - span.from).num_hours() as usize;
    picks
        .iter()
        .map(|p| {
            if p.at_boundary && !marks.is_empty() {
                marks[p.which.index(marks.len())] + Duration::hours(p.shift)
            } else {
                span.from + Duration::hours(p.which.index(hours) as i64)
            }
        })
        .collect()
}

/// A document, and instants aimed at its boundaries.
fn doc_and_instants(
    count: RangeInclusive<usize>,
) -> impl Strategy<Value = (CatalogDocument, Vec<InstantPick>)> {
    (arb_catalog_document(), instant_picks(count))
}

/// Adds the document, as JSON, to a failure: the shrunk case is then one `unisono offer` away.
fn on_failure_show(doc: &CatalogDocument, checked: Checked) -> Checked {
    checked.map_err(|e| match e {
        TestCaseError::Fail(message) => TestCaseError::fail(format!(
            "{message}\ndocument: {}",
            serde_json::to_string(doc).unwrap_or_default()
        )),
        reject => reject,
    })
}

fn timeline(
    catalog: &Catalog,
    sku: &str,
    channel: &str,
    from: DateTime<Utc>,
    until: Option<DateTime<Utc>>,
) -> Result<Vec<Segment>, TestCaseError> {
    catalog
        .timeline(sku, channel, Window::new(from, until))
        .map_err(|e| TestCaseError::fail(format!("timeline: {e}")))
}

fn compiled(doc: &CatalogDocument) -> Result<Catalog, TestCaseError> {
    Catalog::compile(doc)
        .map_err(|e| TestCaseError::fail(format!("generated document does not compile: {e:?}")))
}

/// Every (sku, channel) pair of the document.
fn listings(doc: &CatalogDocument) -> Vec<(String, String)> {
    doc.products
        .iter()
        .flat_map(|p| doc.channels.iter().map(|c| (p.sku.clone(), c.id.clone())))
        .collect()
}

/// Whether the document's assortment puts the product on the channel.
fn listed_in(doc: &CatalogDocument, sku: &str, channel: &str) -> bool {
    doc.products.iter().find(|p| p.sku == sku).is_some_and(|p| {
        p.channels
            .as_ref()
            .is_none_or(|c| c.iter().any(|c| c == channel))
    })
}

/// CONTRACT §2: Σ over the channel's locations of max(0, on_hand − reserved) of the latest snapshot
/// at or before `at`, per (sku, location); computed from the document alone.
fn available_by_hand(doc: &CatalogDocument, sku: &str, channel: &str, at: DateTime<Utc>) -> u64 {
    let Some(channel) = doc.channels.iter().find(|c| c.id == channel) else {
        return 0;
    };
    channel
        .locations
        .iter()
        .map(|location| {
            doc.stock
                .iter()
                .filter(|s| s.sku == sku && &s.location == location)
                .filter_map(|s| parse_instant(&s.as_of).ok().map(|t| (t, s)))
                .filter(|(t, _)| *t <= at)
                .max_by_key(|(t, _)| *t)
                .map_or(0, |(_, s)| (s.on_hand - s.reserved).max(0) as u64)
        })
        .sum()
}

/// `t` moved back `days` calendar days in `zone` (CONTRACT §8: D calendar days in the market's time
/// zone); `None` where the local time the shift lands on is skipped or repeated by a DST change.
fn calendar_days_before(t: DateTime<Utc>, days: u32, zone: Tz) -> Option<DateTime<Utc>> {
    let local = t.with_timezone(&zone).naive_local();
    let shifted = local.checked_sub_days(Days::new(u64::from(days)))?;
    match zone.from_local_datetime(&shifted) {
        LocalResult::Single(s) => Some(s.with_timezone(&Utc)),
        _ => None,
    }
}

proptest! {
    #![proptest_config(cases(300))]

    /// Property 1: the strategy's own promise: every generated document compiles, also through
    /// its JSON.
    #[test]
    fn generated_documents_compile(doc in arb_catalog_document()) {
        let catalog = compiled(&doc)?;
        prop_assert_eq!(catalog.products().len(), doc.products.len());
        prop_assert_eq!(catalog.promotions().len(), doc.promotions.len());
        let json = serde_json::to_string(&doc).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let again = Catalog::from_json(&json);
        prop_assert!(again.is_ok(), "{:?}\n{}", again.err(), json);
    }
}

/// The generator reaches every feature the properties rely on: over a fixed-seed sample, each one
/// shows up at least once (a strategy that silently lost a mechanic would make every property
/// below weaker without failing it).
#[test]
fn generated_documents_cover_every_feature() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;

    let mut runner = TestRunner::deterministic();
    let strategy = arb_catalog_document();
    let mut seen = std::collections::BTreeSet::new();
    for _ in 0..200 {
        let doc = strategy
            .new_tree(&mut runner)
            .expect("the strategy has no filter, so it always yields a value")
            .current();
        let mut mark = |feature: &'static str, present: bool| {
            if present {
                seen.insert(feature);
            }
        };
        mark("two markets", doc.markets.len() == 2);
        mark("JPY", doc.markets.iter().any(|m| m.currency == "JPY"));
        mark(
            "no prior-price rule",
            doc.markets.iter().any(|m| m.reference_price_days.is_none()),
        );
        mark(
            "prior-price rule",
            doc.markets.iter().any(|m| m.reference_price_days.is_some()),
        );
        mark("perishable", doc.products.iter().any(|p| p.perishable));
        mark(
            "launched",
            doc.products.iter().any(|p| p.launched.is_some()),
        );
        mark(
            "assortment",
            doc.products.iter().any(|p| p.channels.is_some()),
        );
        mark("gtin", doc.products.iter().any(|p| p.gtin.is_some()));
        mark(
            "channel price",
            doc.prices.iter().any(|p| p.channels.is_some()),
        );
        mark(
            "open-ended price",
            doc.prices.iter().any(|p| p.until.is_none()),
        );
        mark(
            "price as local date",
            doc.prices.iter().any(|p| p.from.len() == 10),
        );
        mark(
            "reserved above on hand",
            doc.stock.iter().any(|s| s.reserved > s.on_hand),
        );
        for p in &doc.promotions {
            mark(
                match p.mechanic {
                    MechanicEntry::PercentOff(_) => "percent_off",
                    MechanicEntry::AmountOff(_) => "amount_off",
                    MechanicEntry::FixedPrice(_) => "fixed_price",
                    MechanicEntry::MultiBuy(_) => "multi_buy",
                },
                true,
            );
            mark(
                match p.audience {
                    Audience::Everyone => "everyone",
                    Audience::Members => "members",
                    Audience::Coupon => "coupon",
                    Audience::Tier(_) => "tier",
                    Audience::Group(_) => "group",
                    Audience::Code { .. } => "coupon code",
                },
                true,
            );
            mark("exclusive", p.exclusive);
            mark("promotion as local date", p.from.len() == 10);
            mark("skus", !p.skus.is_empty());
            mark("categories", !p.categories.is_empty());
            mark("channel promotion", p.channels.is_some());
            mark(
                "amount_off in JPY",
                matches!(&p.mechanic, MechanicEntry::AmountOff(a) if a.ends_with("JPY")),
            );
        }
    }
    let all = [
        "two markets",
        "JPY",
        "no prior-price rule",
        "prior-price rule",
        "perishable",
        "launched",
        "assortment",
        "gtin",
        "channel price",
        "open-ended price",
        "price as local date",
        "reserved above on hand",
        "percent_off",
        "amount_off",
        "fixed_price",
        "multi_buy",
        "everyone",
        "members",
        "coupon",
        "exclusive",
        "skus",
        "categories",
        "channel promotion",
        "amount_off in JPY",
        "promotion as local date",
    ];
    let missing: Vec<&str> = all.iter().copied().filter(|f| !seen.contains(f)).collect();
    assert!(missing.is_empty(), "never generated: {missing:?}");
}

/// Reorders `items` by the sort keys `keys` (cycled); all-equal keys, where shrinking heads, keep
/// the order.
fn reordered<T: Clone>(items: &[T], keys: &[u32]) -> Vec<T> {
    let mut keyed: Vec<(u32, &T)> = items
        .iter()
        .enumerate()
        .map(|(i, item)| (keys.get(i % keys.len().max(1)).copied().unwrap_or(0), item))
        .collect();
    keyed.sort_by_key(|(key, _)| *key);
    keyed.into_iter().map(|(_, item)| item.clone()).collect()
}

/// Sort keys for [`reordered`]: one per promotion, price and stock snapshot (cycled when fewer).
type Shuffle = (Vec<u32>, Vec<u32>, Vec<u32>);

fn shuffles() -> impl Strategy<Value = Shuffle> {
    let keys = || vec(any::<u32>(), 1..=16);
    (keys(), keys(), keys())
}

/// A timeline with promotions named by id (keys are document positions, which a shuffle moves).
fn timeline_by_id(
    catalog: &Catalog,
    sku: &str,
    channel: &str,
    window: Window,
) -> Result<Vec<String>, OfferError> {
    let ids = |keys: &[unisono::catalog::PromotionKey]| -> Vec<String> {
        keys.iter()
            .map(|&k| catalog.promotion_at(k).id.clone())
            .collect()
    };
    Ok(catalog
        .timeline(sku, channel, window)?
        .iter()
        .map(|s| {
            format!(
                "{} {:?} {:?} {:?} {:?} {:?} {:?}",
                s.window,
                s.regular_price,
                s.price,
                s.member_price,
                ids(&s.promotions),
                ids(&s.member_promotions),
                ids(&s.multi_buys)
            )
        })
        .collect())
}

/// Property 2: the order of promotions, prices and stock snapshots in the document changes no
/// offer.
fn check_order(doc: &CatalogDocument, shuffle: &Shuffle, instants: &[DateTime<Utc>]) -> Checked {
    let mut other = doc.clone();
    other.promotions = reordered(&doc.promotions, &shuffle.0);
    other.prices = reordered(&doc.prices, &shuffle.1);
    other.stock = reordered(&doc.stock, &shuffle.2);
    let (a, b) = (compiled(doc)?, compiled(&other)?);
    let market_scope = OfferOptions {
        reference_scope: ReferenceScope::Market,
        ..OfferOptions::default()
    };
    for (sku, channel) in listings(doc) {
        for &t in instants {
            for options in [OfferOptions::default(), market_scope] {
                let json = |catalog: &Catalog| {
                    catalog
                        .offer_with(&sku, &channel, t, &options)
                        .map(|o| serde_json::to_value(&o).ok())
                };
                prop_assert_eq!(json(&a), json(&b), "{} on {} at {}", sku, channel, t);
            }
        }
        let span = ArbConfig::default().span();
        prop_assert_eq!(
            timeline_by_id(&a, &sku, &channel, span),
            timeline_by_id(&b, &sku, &channel, span),
            "timeline of {} on {}",
            sku,
            channel
        );
    }
    Ok(())
}

/// Property 3: the prior price is the lowest public price of its lookback window on the channel,
/// and never above any of them (CONTRACT §8, default reference scope `channel`; `market` is
/// checked too); the window is `[max(S − D days, launched), S)`, and S starts the uninterrupted
/// reduction.
fn check_prior_price(doc: &CatalogDocument, instants: &[DateTime<Utc>]) -> Checked {
    let catalog = compiled(doc)?;
    let marks = document_instants(doc);
    for (sku, channel) in listings(doc) {
        let product = catalog.product(&sku).expect("sku from the document");
        let channel_key = catalog
            .channel(&channel)
            .expect("channel from the document");
        let market = catalog.market_at(channel_key.market);
        for &t in instants {
            let Ok(offer) = catalog.offer(&sku, &channel, t) else {
                continue;
            };
            let at = format!("{sku} on {channel} at {t}");
            prop_assert_eq!(
                offer.reduction.is_some(),
                offer.price < offer.regular_price,
                "{}",
                at
            );
            let Some(reduction) = &offer.reduction else {
                prop_assert_eq!(offer.prior_price, None, "{}", at);
                continue;
            };
            prop_assert_eq!(
                offer.prior_price,
                reduction.prior.map(|p| p.amount),
                "{}",
                at
            );

            // §8.2: reduced all along from S up to t, and not just before S. The public price only
            // changes at instants the document names, so offers there (and at S and t) tell.
            let since = reduction.since;
            prop_assert!(since <= t, "{}: reduction since {}", at, since);
            let changes = marks.iter().copied().filter(|m| since < *m && *m < t);
            for u in std::iter::once(since).chain(changes).chain([t]) {
                let reduced_at = catalog
                    .offer(&sku, &channel, u)
                    .is_ok_and(|o| o.price < o.regular_price);
                prop_assert!(
                    reduced_at,
                    "{}: reduction since {}, but not at {}",
                    at,
                    since,
                    u
                );
            }
            let reduced_before = catalog
                .offer(&sku, &channel, since - NANO)
                .is_ok_and(|o| o.price < o.regular_price);
            prop_assert!(!reduced_before, "{}: already reduced before {}", at, since);

            // §8.4 and §2: no prior price without the rule, nor for perishable goods.
            let days = match (market.reference_price_days, product.perishable) {
                (Some(days), false) => days,
                _ => {
                    prop_assert_eq!(offer.prior_price, None, "{}: exempt", at);
                    prop_assert_eq!(reduction.lookback, None, "{}: exempt", at);
                    continue;
                }
            };
            // §8.3: the lookback window.
            let Some(lookback) = reduction.lookback else {
                return Err(TestCaseError::fail(format!("{at}: no lookback")));
            };
            prop_assert_eq!(lookback.until, Some(since), "{}", at);
            if let Some(start) = calendar_days_before(since, days, market.time_zone) {
                let from = product.launched.map_or(start, |l| start.max(l)).min(since);
                prop_assert_eq!(lookback.from, from, "{}: lookback", at);
            }
            let mut lowest = None;
            if !lookback.is_empty() {
                for segment in timeline(&catalog, &sku, &channel, lookback.from, lookback.until)? {
                    let Some(price) = segment.price else { continue };
                    if let Some(prior) = offer.prior_price {
                        prop_assert!(
                            prior <= price,
                            "{}: prior {} above {} in {}",
                            at,
                            prior,
                            price,
                            segment.window
                        );
                    }
                    if lowest.is_none_or(|l: Money| price < l) {
                        lowest = Some(price);
                    }
                }
            }
            prop_assert_eq!(
                offer.prior_price,
                lowest,
                "{}: lowest public price of the timeline over {}",
                at,
                lookback
            );
            // The same minimum from offers alone, at the start of the window and at every instant
            // inside it where the document says a price may change.
            let mut lowest_offered: Option<Money> = None;
            if !lookback.is_empty() {
                let changes = marks.iter().copied().filter(|m| lookback.contains(*m));
                for u in std::iter::once(lookback.from).chain(changes) {
                    if let Ok(then) = catalog.offer(&sku, &channel, u)
                        && lowest_offered.is_none_or(|l| then.price < l)
                    {
                        lowest_offered = Some(then.price);
                    }
                }
            }
            prop_assert_eq!(
                offer.prior_price,
                lowest_offered,
                "{}: lowest public price offered over {}",
                at,
                lookback
            );

            // §8.3 with `reference_scope: market`: the lowest over every channel of the market that
            // sells the product, over the same window.
            let market_scope = OfferOptions {
                reference_scope: ReferenceScope::Market,
                ..OfferOptions::default()
            };
            let wide = catalog
                .offer_with(&sku, &channel, t, &market_scope)
                .map_err(|e| TestCaseError::fail(format!("{at}: {e}")))?;
            let mut lowest_in_market: Option<Money> = None;
            if !lookback.is_empty() {
                let siblings = doc
                    .channels
                    .iter()
                    .filter(|c| c.market == market.id && listed_in(doc, &sku, &c.id));
                for sibling in siblings {
                    let stretches =
                        timeline(&catalog, &sku, &sibling.id, lookback.from, lookback.until)?;
                    for price in stretches.iter().filter_map(|s| s.price) {
                        if lowest_in_market.is_none_or(|l| price < l) {
                            lowest_in_market = Some(price);
                        }
                    }
                }
            }
            prop_assert_eq!(
                wide.prior_price,
                lowest_in_market,
                "{}: lowest public price in market {} over {}",
                at,
                &market.id,
                lookback
            );
        }
    }
    Ok(())
}

/// Property 4: a timeline tiles its window with stretches that each differ from the next, and the
/// offer at any instant of a stretch has the stretch's prices.
fn check_timeline(doc: &CatalogDocument, window: Window, inside: &[Index]) -> Checked {
    let catalog = compiled(doc)?;
    for (sku, channel) in listings(doc) {
        if !listed_in(doc, &sku, &channel) {
            let not_listed = OfferError::NotListed {
                sku: sku.clone(),
                channel: channel.clone(),
            };
            prop_assert_eq!(
                catalog.timeline(&sku, &channel, window).err(),
                Some(not_listed.clone())
            );
            prop_assert_eq!(
                catalog.offer(&sku, &channel, window.from).err(),
                Some(not_listed)
            );
            continue;
        }
        let segments = timeline(&catalog, &sku, &channel, window.from, window.until)?;
        let of = format!("timeline of {sku} on {channel} over {window}");
        prop_assert!(!segments.is_empty(), "{}", of);
        prop_assert_eq!(segments[0].window.from, window.from, "{}", of);
        prop_assert_eq!(
            segments[segments.len() - 1].window.until,
            window.until,
            "{}",
            of
        );
        for pair in segments.windows(2) {
            prop_assert_eq!(pair[0].window.until, Some(pair[1].window.from), "{}", of);
            let key = |s: &Segment| {
                (
                    s.regular_price,
                    s.price,
                    s.member_price,
                    s.promotions.clone(),
                    s.member_promotions.clone(),
                    s.multi_buys.clone(),
                )
            };
            prop_assert_ne!(
                key(&pair[0]),
                key(&pair[1]),
                "{}: alike on both sides of {}",
                of,
                pair[1].window.from
            );
        }
        for (i, segment) in segments.iter().enumerate() {
            prop_assert!(
                !segment.window.is_empty(),
                "{}: empty {}",
                of,
                segment.window
            );
            prop_assert_eq!(segment.price.is_some(), segment.regular_price.is_some());
            prop_assert_eq!(
                segment.member_price.is_some(),
                segment.regular_price.is_some()
            );
            let end = segment
                .window
                .until
                .unwrap_or(segment.window.from + Duration::days(400));
            let hours = (end - segment.window.from).num_hours().max(1) as usize;
            let pick = inside[i % inside.len()].index(hours) as i64;
            let somewhere = segment.window.from + Duration::hours(pick);
            for t in [segment.window.from, somewhere, end - NANO] {
                match catalog.offer(&sku, &channel, t) {
                    Ok(offer) => {
                        let at = format!("{of}, at {t} in {}", segment.window);
                        prop_assert_eq!(Some(offer.price), segment.price, "{}", at);
                        prop_assert_eq!(Some(offer.member_price), segment.member_price, "{}", at);
                        prop_assert_eq!(Some(offer.regular_price), segment.regular_price, "{}", at);
                        let keys: Vec<_> = segment
                            .promotions
                            .iter()
                            .chain(&segment.multi_buys)
                            .copied()
                            .collect();
                        prop_assert_eq!(offer.promotion_keys().collect::<Vec<_>>(), keys, "{}", at);
                    }
                    Err(OfferError::NoPrice { .. }) => {
                        prop_assert_eq!(segment.price, None, "{}: no offer at {}", of, t);
                    }
                    Err(other) => return Err(TestCaseError::fail(format!("{other} at {t}"))),
                }
            }
        }
    }
    Ok(())
}

/// Property 5: `valid_until` is the next instant the public price changes: the price holds until
/// then, and differs (or is gone) there.
fn check_valid_until(doc: &CatalogDocument, instants: &[DateTime<Utc>]) -> Checked {
    let catalog = compiled(doc)?;
    for (sku, channel) in listings(doc) {
        for &t in instants {
            let Ok(offer) = catalog.offer(&sku, &channel, t) else {
                continue;
            };
            let at = format!(
                "{sku} on {channel} at {t}, valid until {:?}",
                offer.valid_until
            );
            if let Some(until) = offer.valid_until {
                prop_assert!(until > t, "{}", at);
                match catalog.offer(&sku, &channel, until) {
                    Ok(next) => prop_assert_ne!(next.price, offer.price, "{}", at),
                    Err(OfferError::NoPrice { .. }) => {}
                    Err(other) => return Err(TestCaseError::fail(format!("{at}: {other}"))),
                }
            }
            for segment in timeline(&catalog, &sku, &channel, t, offer.valid_until)? {
                prop_assert_eq!(
                    segment.price,
                    Some(offer.price),
                    "{}: in {}",
                    at,
                    segment.window
                );
                let there = catalog
                    .offer(&sku, &channel, segment.window.from)
                    .map(|o| o.price)
                    .ok();
                prop_assert_eq!(
                    there,
                    Some(offer.price),
                    "{}: at {}",
                    at,
                    segment.window.from
                );
            }
        }
    }
    Ok(())
}

/// Property 6: the public price lies between one minor unit and the regular price, the members'
/// price is at most the public price, and `available` is the stock of CONTRACT §2 counted from the
/// document.
fn check_bounds_and_stock(doc: &CatalogDocument, instants: &[DateTime<Utc>]) -> Checked {
    let catalog = compiled(doc)?;
    for (sku, channel) in listings(doc) {
        let channel_key = catalog
            .channel(&channel)
            .expect("channel from the document");
        let currency = catalog.market_at(channel_key.market).currency;
        for &t in instants {
            let at = format!("{sku} on {channel} at {t}");
            let offer = match catalog.offer(&sku, &channel, t) {
                Ok(offer) => offer,
                Err(OfferError::NotListed { .. }) => {
                    prop_assert!(!listed_in(doc, &sku, &channel), "{}: listed", at);
                    continue;
                }
                Err(OfferError::NoPrice { .. }) => continue,
                Err(other) => return Err(TestCaseError::fail(format!("{at}: {other}"))),
            };
            prop_assert!(listed_in(doc, &sku, &channel), "{}: not listed", at);
            for money in [offer.price, offer.regular_price, offer.member_price] {
                prop_assert_eq!(money.currency(), currency, "{}", at);
            }
            prop_assert!(
                offer.price <= offer.regular_price,
                "{}: price {} above the regular {}",
                at,
                offer.price,
                offer.regular_price
            );
            prop_assert!(
                offer.price.amount() >= currency.minor_unit(),
                "{}: price {} below one minor unit",
                at,
                offer.price
            );
            prop_assert!(
                offer.member_price <= offer.price,
                "{}: members' price {} above the price {}",
                at,
                offer.member_price,
                offer.price
            );
            let available = available_by_hand(doc, &sku, &channel, t);
            prop_assert_eq!(offer.available, available, "{}", at);
            let availability = match available {
                0 => Availability::OutOfStock,
                1..=5 => Availability::LowStock,
                _ => Availability::InStock,
            };
            prop_assert_eq!(offer.availability, availability, "{}", at);
        }
    }
    Ok(())
}

/// The public price of CONTRACT §2, worked out from the document alone: the regular price (a
/// channel-specific entry before a market-wide one), then the promotions for everyone active on the
/// channel, by priority (high first) then id; an exclusive one applies only if nothing applied yet
/// and then ends the walk; each step rounds half away from zero to the minor unit, never below one
/// minor unit; a fixed price at or above the price does not apply. `None` where no entry covers
/// `at`.
struct ByHand {
    regular: Decimal,
    price: Decimal,
    applied: Vec<String>,
}

fn price_by_hand(
    doc: &CatalogDocument,
    sku: &str,
    channel: &str,
    at: DateTime<Utc>,
) -> Option<ByHand> {
    let channel = doc.channels.iter().find(|c| c.id == channel)?;
    let market = doc.markets.iter().find(|m| m.id == channel.market)?;
    let zone: Tz = market.time_zone.parse().ok()?;
    let minor_units = if market.currency == "JPY" { 0 } else { 2 };
    let amount = |text: &str| -> Option<Decimal> { text.split(' ').next()?.parse().ok() };
    let window = |from: &str, until: Option<&String>, zone: Option<Tz>| {
        let from = parse_instant_or_date(from, zone, DateEdge::Start).ok()?;
        let until = until.map(|u| parse_instant_or_date(u, zone, DateEdge::End).ok());
        Some(Window::new(from, until.flatten()))
    };
    let covering = |specific: bool| {
        // The public list for one unit: group and volume entries (CONTRACT §11) never make it.
        doc.prices.iter().find(|p| {
            p.sku == sku
                && p.group.is_none()
                && p.min_quantity.unwrap_or(1) == 1
                && p.market == market.id
                && match &p.channels {
                    Some(ids) => specific && ids.contains(&channel.id),
                    None => !specific,
                }
                && window(&p.from, p.until.as_ref(), Some(zone)).is_some_and(|w| w.contains(at))
        })
    };
    let regular = amount(&covering(true).or_else(|| covering(false))?.amount)?;

    let category = doc
        .products
        .iter()
        .find(|p| p.sku == sku)
        .and_then(|p| p.category.clone());
    let targets = |skus: &[String], categories: &[String]| {
        skus.iter().any(|s| s == sku)
            || category.as_deref().is_some_and(|c| {
                categories.iter().any(|t| {
                    c.strip_prefix(t.as_str())
                        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
                })
            })
    };
    let mut eligible: Vec<_> = doc
        .promotions
        .iter()
        .filter(|p| {
            let markets: Vec<&str> = match &p.markets {
                Some(ids) => ids.iter().map(String::as_str).collect(),
                None => doc.markets.iter().map(|m| m.id.as_str()).collect(),
            };
            let zones: std::collections::BTreeSet<&str> = doc
                .markets
                .iter()
                .filter(|m| markets.contains(&m.id.as_str()))
                .map(|m| m.time_zone.as_str())
                .collect();
            let zone = match zones.first() {
                Some(name) if zones.len() == 1 => name.parse::<Tz>().ok(),
                _ => None,
            };
            p.audience == Audience::Everyone
                && !matches!(p.mechanic, MechanicEntry::MultiBuy(_))
                && markets.contains(&market.id.as_str())
                && p.channels.as_ref().is_none_or(|c| c.contains(&channel.id))
                && targets(&p.skus, &p.categories)
                && window(&p.from, p.until.as_ref(), zone).is_some_and(|w| w.contains(at))
        })
        .collect();
    eligible.sort_by(|a, b| b.priority.cmp(&a.priority).then_with(|| a.id.cmp(&b.id)));

    let floor = Decimal::new(1, minor_units);
    let round =
        |d: Decimal| d.round_dp_with_strategy(minor_units, RoundingStrategy::MidpointAwayFromZero);
    let mut price = regular;
    let mut applied = Vec::new();
    for promotion in eligible {
        if promotion.exclusive && !applied.is_empty() {
            continue;
        }
        // A fixed price at or above the price does nothing, so it does not apply (and, exclusive,
        // does not end the walk).
        if let MechanicEntry::FixedPrice(fixed) = &promotion.mechanic
            && amount(fixed)? >= price
        {
            continue;
        }
        price = match &promotion.mechanic {
            MechanicEntry::PercentOff(p) => {
                let percent: Decimal = p.0.parse().ok()?;
                round(price * (Decimal::ONE_HUNDRED - percent) / Decimal::ONE_HUNDRED)
            }
            MechanicEntry::AmountOff(off) => price - amount(off)?,
            MechanicEntry::FixedPrice(fixed) => amount(fixed)?,
            MechanicEntry::MultiBuy(_) => price,
        }
        .max(floor);
        applied.push(promotion.id.clone());
        if promotion.exclusive {
            break;
        }
    }
    Some(ByHand {
        regular,
        price,
        applied,
    })
}

/// Property 7: the regular and public prices, and the promotions that made the public price, are
/// those of CONTRACT §2 worked out from the document ([`price_by_hand`]).
fn check_price_by_hand(doc: &CatalogDocument, instants: &[DateTime<Utc>]) -> Checked {
    let catalog = compiled(doc)?;
    for (sku, channel) in listings(doc) {
        if !listed_in(doc, &sku, &channel) {
            continue;
        }
        for &t in instants {
            let at = format!("{sku} on {channel} at {t}");
            let expected = price_by_hand(doc, &sku, &channel, t);
            match (catalog.offer(&sku, &channel, t), expected) {
                (Ok(offer), Some(hand)) => {
                    prop_assert_eq!(
                        offer.regular_price.amount(),
                        hand.regular,
                        "{}: regular",
                        at
                    );
                    prop_assert_eq!(offer.price.amount(), hand.price, "{}: price", at);
                    let promotions = offer.promotions();
                    let shaped = &promotions[..hand.applied.len().min(promotions.len())];
                    prop_assert_eq!(shaped, &hand.applied[..], "{}: promotions", at);
                }
                (Err(OfferError::NoPrice { .. }), None) => {}
                (offer, hand) => {
                    return Err(TestCaseError::fail(format!(
                        "{at}: the catalog gives {:?}, the document {:?}",
                        offer.map(|o| o.price),
                        hand.map(|h| h.price)
                    )));
                }
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(cases(250))]

    #[test]
    fn document_order_changes_no_offer(
        (doc, picks) in doc_and_instants(3..=6),
        shuffle in shuffles(),
    ) {
        on_failure_show(&doc, check_order(&doc, &shuffle, &instants_in(&doc, &picks)))?;
    }

    #[test]
    fn prior_price_is_the_lowest_of_its_window((doc, picks) in doc_and_instants(4..=8)) {
        on_failure_show(&doc, check_prior_price(&doc, &instants_in(&doc, &picks)))?;
    }

    #[test]
    fn timeline_tiles_its_window_and_agrees_with_offers(
        (doc, picks) in doc_and_instants(2..=6),
        open_ended in any::<bool>(),
        inside in vec(any::<Index>(), 8),
    ) {
        let mut instants = instants_in(&doc, &picks);
        instants.sort();
        let from = instants[0];
        let last = instants[instants.len() - 1].max(from + Duration::hours(1));
        let until = (!open_ended).then_some(last);
        on_failure_show(&doc, check_timeline(&doc, Window::new(from, until), &inside))?;
    }

    #[test]
    fn valid_until_is_the_next_price_change((doc, picks) in doc_and_instants(4..=8)) {
        on_failure_show(&doc, check_valid_until(&doc, &instants_in(&doc, &picks)))?;
    }

    #[test]
    fn prices_are_bounded_and_stock_adds_up((doc, picks) in doc_and_instants(4..=8)) {
        on_failure_show(&doc, check_bounds_and_stock(&doc, &instants_in(&doc, &picks)))?;
    }

    #[test]
    fn prices_follow_the_stacking_rules((doc, picks) in doc_and_instants(4..=8)) {
        on_failure_show(&doc, check_price_by_hand(&doc, &instants_in(&doc, &picks)))?;
    }
}
