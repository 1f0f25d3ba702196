//! Strategies for valid catalog documents: [`arb_catalog_document`] and its configuration, and
//! instants aimed at a document's boundaries.
//!
//! A document is drawn as a *plan* (`plan`: the random choices, references as indexes and bit
//! masks, so that proptest shrinks them freely) and then *built* (`build`: the plan becomes a
//! document that always compiles).

mod build;
mod plan;

use std::collections::BTreeSet;
use std::ops::RangeInclusive;

use chrono::{DateTime, Duration, TimeZone, Utc};
use chrono_tz::Tz;
use proptest::collection::vec;
use proptest::prelude::*;

use crate::Catalog;

use crate::catalog::document::CatalogDocument;
use crate::time::{DateEdge, Window, parse_instant, parse_instant_or_date};
use build::build;
use plan::{Plan, anchor_plan, channel_plan, market_plan, product_plan, promotion_plan};

// ---------------------------------------------------------------------------------------------
// Configuration
// ---------------------------------------------------------------------------------------------

/// Sizes and time span of the documents [`arb_catalog_document_with`] generates.
///
/// ```
/// use unisono::testing::ArbConfig;
/// let small = ArbConfig { products: 1..=2, promotions: 0..=3, ..ArbConfig::default() };
/// assert_eq!(small.span().from.to_rfc3339(), "2026-01-01T00:00:00+00:00");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArbConfig {
    /// Number of markets, within `1..=2`: `IT` (EUR, Europe/Rome), then `JP` (JPY, Asia/Tokyo) or
    /// `DE` (EUR, Europe/Berlin).
    pub markets: RangeInclusive<usize>,
    /// Channels of each market.
    pub channels_per_market: RangeInclusive<usize>,
    /// Stock locations, shared by every market's channels.
    pub locations: RangeInclusive<usize>,
    /// Products.
    pub products: RangeInclusive<usize>,
    /// Market-wide price entries of each product in each market, at most (at least one where the
    /// product is priced; about one product in ten has no price in a market).
    pub prices_per_product: RangeInclusive<usize>,
    /// Channel-specific price entries tried for each product; those that would overlap an entry
    /// already kept on one of their channels are left out.
    pub channel_prices_per_product: RangeInclusive<usize>,
    /// Promotions.
    pub promotions: RangeInclusive<usize>,
    /// Stock snapshots of each product (over all locations).
    pub stock_snapshots: RangeInclusive<usize>,
    /// Customer-group (`b2b`) and volume (`min_quantity` above 1) price entries tried for each
    /// product (CONTRACT §11); those that would overlap an entry of the same scope are left out.
    pub tiered_prices_per_product: RangeInclusive<usize>,
    /// First instant of the grid; every generated instant is this plus whole hours.
    pub start: DateTime<Utc>,
    /// Length of the grid in days.
    pub days: u32,
}

impl Default for ArbConfig {
    fn default() -> Self {
        ArbConfig {
            markets: 1..=2,
            channels_per_market: 1..=3,
            locations: 1..=3,
            products: 1..=4,
            prices_per_product: 1..=4,
            channel_prices_per_product: 0..=2,
            promotions: 0..=6,
            stock_snapshots: 0..=6,
            tiered_prices_per_product: 0..=2,
            start: Utc
                .with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
                .single()
                .unwrap_or_default(),
            days: 365,
        }
    }
}

impl ArbConfig {
    /// The window every generated instant falls in: `[start, start + days]`, its end included
    /// (an entry may end exactly there).
    pub fn span(&self) -> Window {
        Window::new(self.start, Some(self.end() + Duration::hours(1)))
    }

    fn hours(&self) -> usize {
        self.days as usize * 24
    }

    fn end(&self) -> DateTime<Utc> {
        self.start + Duration::days(i64::from(self.days))
    }

    fn market_count(&self) -> RangeInclusive<usize> {
        let low = (*self.markets.start()).clamp(1, 2);
        let high = (*self.markets.end()).clamp(low, 2);
        low..=high
    }
}

// ---------------------------------------------------------------------------------------------
// Public strategies
// ---------------------------------------------------------------------------------------------

/// Catalog documents that always compile, of the default [`ArbConfig`] sizes.
///
/// ```no_run
/// use proptest::prelude::*;
/// proptest!(|(doc in unisono::testing::arb_catalog_document())| {
///     let catalog = unisono::Catalog::compile(&doc).expect("generated documents compile");
///     prop_assert_eq!(catalog.products().len(), doc.products.len());
/// });
/// ```
pub fn arb_catalog_document() -> impl Strategy<Value = CatalogDocument> {
    arb_catalog_document_with(ArbConfig::default())
}

/// Catalog documents that always compile, of the sizes `config` sets.
///
/// ```
/// use proptest::prelude::*;
/// use unisono::testing::{arb_catalog_document_with, ArbConfig};
/// let config = ArbConfig { markets: 2..=2, products: 3..=3, ..ArbConfig::default() };
/// proptest!(ProptestConfig::with_cases(8), |(doc in arb_catalog_document_with(config.clone()))| {
///     prop_assert_eq!((doc.markets.len(), doc.products.len()), (2, 3));
/// });
/// ```
pub fn arb_catalog_document_with(config: ArbConfig) -> impl Strategy<Value = CatalogDocument> {
    let markets = vec(market_plan(), config.market_count());
    let locations = vec(any::<bool>(), config.locations.clone());
    let channels = vec(
        vec(channel_plan(), config.channels_per_market.clone()),
        2..=2,
    );
    let products = vec(product_plan(&config), config.products.clone());
    let promotions = vec(promotion_plan(), config.promotions.clone());
    let anchors = vec(anchor_plan(), 3..=8);
    (markets, locations, channels, products, promotions, anchors).prop_map(
        move |(markets, locations, channels, products, promotions, anchors)| {
            let plan = Plan {
                markets,
                locations,
                channels,
                products,
                promotions,
                anchors,
            };
            build(&config, &plan)
        },
    )
}

/// Instants on whole hours from `from` (rounded up to the hour) until `until`, exclusive; `from`
/// itself when no whole hour lies in between.
///
/// ```
/// use proptest::prelude::*;
/// use unisono::testing::arb_instant_in;
/// let from = unisono::time::parse_instant("2026-11-27T00:00:00+01:00")?;
/// let until = unisono::time::parse_instant("2026-12-01T00:00:00+01:00")?;
/// proptest!(ProptestConfig::with_cases(32), |(t in arb_instant_in(from, until))| {
///     prop_assert!(from <= t && t < until);
///     prop_assert_eq!(t.timestamp() % 3600, 0);
/// });
/// # Ok::<(), unisono::time::TimeError>(())
/// ```
pub fn arb_instant_in(
    from: DateTime<Utc>,
    until: DateTime<Utc>,
) -> impl Strategy<Value = DateTime<Utc>> {
    let on_the_hour = from.timestamp().rem_euclid(3600) == 0 && from.timestamp_subsec_nanos() == 0;
    let first_hour = from.timestamp().div_euclid(3600) + i64::from(!on_the_hour);
    let first = DateTime::<Utc>::from_timestamp(first_hour * 3600, 0).unwrap_or(from);
    let hours = if first < until {
        (until - first - Duration::nanoseconds(1)).num_hours()
    } else {
        -1
    };
    if hours < 0 {
        Just(from).boxed()
    } else {
        (0..=hours)
            .prop_map(move |h| first + Duration::hours(h))
            .boxed()
    }
}

/// Compiled catalogs: [`arb_catalog_document`], compiled (generated documents always compile).
///
/// ```
/// use proptest::prelude::*;
/// proptest!(ProptestConfig::with_cases(8), |(catalog in unisono::testing::arb_catalog())| {
///     prop_assert!(!catalog.products().is_empty());
/// });
/// ```
pub fn arb_catalog() -> impl Strategy<Value = Catalog> {
    arb_catalog_with(ArbConfig::default())
}

/// Compiled catalogs of the given shape.
pub fn arb_catalog_with(config: ArbConfig) -> impl Strategy<Value = Catalog> {
    arb_catalog_document_with(config)
        .prop_map(|doc| Catalog::compile(&doc).expect("generated catalog documents always compile"))
}

/// Whole hours within `catalog`'s span ([`Catalog::span`]; a year from its start when open-ended).
///
/// ```
/// use proptest::prelude::*;
/// let catalog = unisono::Catalog::from_json(include_str!("../../examples/data/catalog.json"))?;
/// let span = catalog.span().expect("the demo has prices");
/// proptest!(ProptestConfig::with_cases(16), |(t in unisono::testing::arb_instant(&catalog))| {
///     prop_assert!(span.contains(t));
/// });
/// # Ok::<(), unisono::CatalogError>(())
/// ```
pub fn arb_instant(catalog: &Catalog) -> impl Strategy<Value = DateTime<Utc>> + use<> {
    let span = catalog
        .span()
        .unwrap_or_else(|| ArbConfig::default().span());
    let until = span.until.unwrap_or(span.from + Duration::days(366));
    arb_instant_in(span.from, until)
}

/// Instants aimed at boundaries: half of them one of `instants` (or an hour before or after it),
/// the others any whole hour of `span` (which must have an end).
///
/// ```
/// use proptest::prelude::*;
/// use unisono::testing::{arb_instant_near, ArbConfig};
/// let span = ArbConfig::default().span();
/// let marks = vec![unisono::time::parse_instant("2026-06-01T00:00:00Z")?];
/// proptest!(ProptestConfig::with_cases(32), |(t in arb_instant_near(marks.clone(), span))| {
///     prop_assert!(span.contains(t) || (t - marks[0]).num_hours().abs() <= 1);
/// });
/// # Ok::<(), unisono::time::TimeError>(())
/// ```
pub fn arb_instant_near(
    instants: Vec<DateTime<Utc>>,
    span: Window,
) -> impl Strategy<Value = DateTime<Utc>> {
    let until = span.until.unwrap_or(span.from + Duration::days(366));
    let anywhere = arb_instant_in(span.from, until);
    if instants.is_empty() {
        return anywhere.boxed();
    }
    let near =
        (proptest::sample::select(instants), -1_i64..=1).prop_map(|(t, h)| t + Duration::hours(h));
    prop_oneof![near, anywhere].boxed()
}

/// Every instant a document names: starts and ends of price entries and promotions (local dates
/// read in their markets' time zones), launches and stock counts; sorted, without repeats. Values
/// that do not parse are left out.
///
/// ```
/// let doc: unisono::CatalogDocument = serde_json::from_str(r#"{
///   "markets": [{"id": "IT", "currency": "EUR", "time_zone": "Europe/Rome"}],
///   "prices": [{"sku": "A", "market": "IT", "amount": "1.00 EUR",
///               "from": "2026-01-01", "until": "2026-01-31"}]
/// }"#)?;
/// let marks: Vec<String> =
///     unisono::testing::document_instants(&doc).iter().map(|t| t.to_rfc3339()).collect();
/// assert_eq!(marks, ["2025-12-31T23:00:00+00:00", "2026-01-31T23:00:00+00:00"]);
/// # Ok::<(), serde_json::Error>(())
/// ```
pub fn document_instants(doc: &CatalogDocument) -> Vec<DateTime<Utc>> {
    let zone_of = |id: &str| {
        doc.markets
            .iter()
            .find(|m| m.id == id)
            .and_then(|m| m.time_zone.parse::<Tz>().ok())
    };
    let mut out = BTreeSet::new();
    let mut read = |text: &str, zone: Option<Tz>, edge: DateEdge| {
        if let Ok(t) = parse_instant_or_date(text, zone, edge) {
            out.insert(t);
        }
    };
    for price in &doc.prices {
        let zone = zone_of(&price.market);
        read(&price.from, zone, DateEdge::Start);
        if let Some(until) = &price.until {
            read(until, zone, DateEdge::End);
        }
    }
    for promotion in &doc.promotions {
        // Local dates of a promotion are read in the zone its markets share, if they share one.
        let zones: BTreeSet<&str> = match &promotion.markets {
            Some(ids) => ids
                .iter()
                .filter_map(|id| zone_of(id))
                .map(|z| z.name())
                .collect(),
            None => doc.markets.iter().map(|m| m.time_zone.as_str()).collect(),
        };
        let zone = match zones.first() {
            Some(name) if zones.len() == 1 => name.parse::<Tz>().ok(),
            _ => None,
        };
        read(&promotion.from, zone, DateEdge::Start);
        if let Some(until) = &promotion.until {
            read(until, zone, DateEdge::End);
        }
    }
    let instants = doc
        .products
        .iter()
        .filter_map(|p| p.launched.as_deref())
        .chain(doc.stock.iter().map(|s| s.as_of.as_str()));
    for text in instants {
        if let Ok(t) = parse_instant(text) {
            out.insert(t);
        }
    }
    out.into_iter().collect()
}
