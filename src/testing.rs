//! Test support for users' own suites (feature `testing`): proptest strategies that generate valid
//! catalogs.
//!
//! [`arb_catalog_document`] generates [`CatalogDocument`]s that always compile: one or two markets
//! (`IT` in euros; a second one in yen, `JP`, to exercise a currency without decimals, or in
//! euros, `DE`), channels of every kind served from shared locations, products with valid GTINs,
//! categories, launch dates and assortments, market-wide and channel-specific price lists that
//! never overlap within one scope, promotions of every mechanic and audience with random priorities
//! and exclusive flags, and stock snapshots (some with more reserved than on hand).
//!
//! Every instant lies on a coarse grid: whole hours of [`ArbConfig::span`] (a year from 2026-01-01
//! by default), and most start and end instants are drawn from a handful of anchors per document
//! (some of them local midnights, sometimes written as local dates), so that price entries,
//! promotions and stock counts start and end together often: the interesting cases are at the
//! boundaries. [`document_instants`] lists those boundaries and [`arb_instant_near`] aims at them.
//!
//! ```
//! use proptest::prelude::*;
//! use unisono::testing::arb_catalog_document;
//!
//! proptest!(ProptestConfig::with_cases(16), |(doc in arb_catalog_document())| {
//!     prop_assert!(unisono::Catalog::compile(&doc).is_ok());
//! });
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::ops::RangeInclusive;

use chrono::{DateTime, Duration, SecondsFormat, TimeZone, Utc};
use chrono_tz::Tz;
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::Index;
use rust_decimal::Decimal;

use crate::catalog::document::{
    Audience, CatalogDocument, ChannelEntry, ChannelKind, DecimalText, LocationEntry, LocationKind,
    MarketEntry, Measure, MechanicEntry, MultiBuy, PriceEntry, ProductEntry, PromotionEntry,
    StockSnapshot, Title, UnitEntry,
};
use crate::gtin::Gtin;
use crate::money::Currency;
use crate::time::{DateEdge, Window, local_midnight, parse_instant, parse_instant_or_date};

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

// ---------------------------------------------------------------------------------------------
// Plans: the random choices behind a document, drawn by proptest (and shrunk by it), then
// turned into a valid document by `build`. References are `Index`es or bit masks, resolved
// against whatever the document ends up holding, so that every plan builds.
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone)]
struct Plan {
    markets: Vec<MarketPlan>,
    /// Per location: whether it is a store.
    locations: Vec<bool>,
    /// Per market (two drawn, the extra one unused).
    channels: Vec<Vec<ChannelPlan>>,
    products: Vec<ProductPlan>,
    promotions: Vec<PromotionPlan>,
    anchors: Vec<AnchorPlan>,
}

/// A point of the time grid: one of the document's anchors, or any whole hour.
#[derive(Debug, Clone)]
enum TimePick {
    Anchor(Index),
    Hour(Index),
}

/// A boundary instant many entries share: a local midnight of one of the markets, or a whole hour.
#[derive(Debug, Clone)]
struct AnchorPlan {
    day: Index,
    kind: u8,
    hour: Index,
}

#[derive(Debug, Clone)]
struct MarketPlan {
    /// For the second market: yen (`JP`) rather than euros (`DE`).
    yen: bool,
    reference_price_days: Option<u32>,
    prices_include_tax: bool,
    unit_price_required: bool,
    locale: bool,
}

#[derive(Debug, Clone)]
struct ChannelPlan {
    kind: Index,
    locations: u32,
}

/// An amount in minor units of the market's currency, and how it is written.
#[derive(Debug, Clone)]
struct AmountPlan {
    minor: u32,
    /// `"12.3 EUR"` rather than `"12.30 EUR"`.
    short: bool,
}

#[derive(Debug, Clone)]
struct EntryPlan {
    amount: AmountPlan,
    /// Leave this stretch without a price.
    gap: bool,
    /// 0: `Z`; 1: the market's offset; 2: a local date where the instant is a local midnight.
    form: u8,
}

/// The market-wide price list of one product in one market: contiguous stretches, some left out.
#[derive(Debug, Clone)]
struct LanePlan {
    priced: bool,
    /// `None`: from the start of the grid, so that most of the year has a price.
    start: Option<TimePick>,
    first: EntryPlan,
    steps: Vec<(TimePick, EntryPlan)>,
    open_ended: bool,
}

#[derive(Debug, Clone)]
struct ChannelPricePlan {
    market: Index,
    channels: u32,
    from: TimePick,
    until: Option<TimePick>,
    entry: EntryPlan,
}

#[derive(Debug, Clone)]
struct StockPlan {
    location: Index,
    as_of: TimePick,
    on_hand: i64,
    reserved: i64,
}

#[derive(Debug, Clone)]
struct ProductPlan {
    gtin: Option<(usize, u64)>,
    localized_title: bool,
    brand: bool,
    category: Option<Index>,
    launched: Option<TimePick>,
    unit: Option<(Index, Index)>,
    perishable: bool,
    channels: Option<u32>,
    lanes: Vec<LanePlan>,
    channel_prices: Vec<ChannelPricePlan>,
    stock: Vec<StockPlan>,
}

#[derive(Debug, Clone)]
enum MechanicPlan {
    PercentOff(Decimal),
    /// Per mille of the lowest price the promotion can meet.
    AmountOff(u32),
    FixedPrice(AmountPlan),
    MultiBuy(u32, u32),
}

#[derive(Debug, Clone)]
struct PromotionPlan {
    letter: char,
    named: bool,
    markets: Option<u8>,
    channels: Option<u32>,
    skus: u32,
    categories: u32,
    from: TimePick,
    until: Option<TimePick>,
    mechanic: MechanicPlan,
    /// For a money mechanic in a document of two currencies: which one.
    currency: Index,
    audience: Audience,
    priority: i32,
    exclusive: bool,
    /// How its start and end are written, as [`EntryPlan::form`] (local dates only where its
    /// markets share a time zone).
    form: u8,
}

const CATEGORIES: [&str; 6] = [
    "food",
    "food/fruit",
    "food/dairy/cheese",
    "computers/laptops",
    "computers/tablets",
    "garden",
];

const MEASURES: [(Measure, &[&str]); 5] = [
    (Measure::Item, &["1", "6"]),
    (Measure::Kilogram, &["0.5", "1", "2.25"]),
    (Measure::Gram, &["125", "500"]),
    (Measure::Litre, &["0.75", "1.5"]),
    (Measure::Millilitre, &["330"]),
];

fn time_pick() -> impl Strategy<Value = TimePick> {
    prop_oneof![
        3 => any::<Index>().prop_map(TimePick::Anchor),
        2 => any::<Index>().prop_map(TimePick::Hour),
    ]
}

fn anchor_plan() -> impl Strategy<Value = AnchorPlan> {
    (any::<Index>(), 0_u8..4, any::<Index>()).prop_map(|(day, kind, hour)| AnchorPlan {
        day,
        kind,
        hour,
    })
}

fn market_plan() -> impl Strategy<Value = MarketPlan> {
    let days = prop_oneof![1 => Just(None), 3 => (1_u32..=45).prop_map(Some)];
    (
        any::<bool>(),
        days,
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            |(yen, reference_price_days, prices_include_tax, unit_price_required, locale)| {
                MarketPlan {
                    yen,
                    reference_price_days,
                    prices_include_tax,
                    unit_price_required,
                    locale,
                }
            },
        )
}

fn channel_plan() -> impl Strategy<Value = ChannelPlan> {
    (any::<Index>(), any::<u32>()).prop_map(|(kind, locations)| ChannelPlan { kind, locations })
}

fn amount_plan() -> impl Strategy<Value = AmountPlan> {
    let minor = prop_oneof![
        1 => 1_u32..=150,
        6 => 150_u32..=99_999,
        1 => 100_000_u32..=2_000_000,
    ];
    (minor, any::<bool>()).prop_map(|(minor, short)| AmountPlan { minor, short })
}

fn entry_plan() -> impl Strategy<Value = EntryPlan> {
    (amount_plan(), prop::bool::weighted(0.15), 0_u8..3).prop_map(|(amount, gap, form)| EntryPlan {
        amount,
        gap,
        form,
    })
}

fn lane_plan(config: &ArbConfig) -> impl Strategy<Value = LanePlan> + use<> {
    (
        prop::bool::weighted(0.9),
        proptest::option::of(time_pick()),
        entry_plan(),
        vec(
            (time_pick(), entry_plan()),
            config.prices_per_product.clone(),
        ),
        any::<bool>(),
    )
        .prop_map(|(priced, start, first, steps, open_ended)| LanePlan {
            priced,
            start,
            first,
            steps,
            open_ended,
        })
}

fn channel_price_plan() -> impl Strategy<Value = ChannelPricePlan> {
    (
        any::<Index>(),
        any::<u32>(),
        time_pick(),
        proptest::option::weighted(0.8, time_pick()),
        entry_plan(),
    )
        .prop_map(|(market, channels, from, until, entry)| ChannelPricePlan {
            market,
            channels,
            from,
            until,
            entry,
        })
}

fn stock_plan() -> impl Strategy<Value = StockPlan> {
    let reserved = prop_oneof![Just(0_i64), 0_i64..=40];
    (any::<Index>(), time_pick(), 0_i64..=30, reserved).prop_map(
        |(location, as_of, on_hand, reserved)| StockPlan {
            location,
            as_of,
            on_hand,
            reserved,
        },
    )
}

fn product_plan(config: &ArbConfig) -> impl Strategy<Value = ProductPlan> + use<> {
    let gtin = proptest::option::weighted(0.8, (0_usize..4, any::<u64>()));
    let unit = proptest::option::of((any::<Index>(), any::<Index>()));
    let identity = (
        gtin,
        any::<bool>(),
        any::<bool>(),
        proptest::option::weighted(0.8, any::<Index>()),
        proptest::option::weighted(0.3, time_pick()),
        unit,
        prop::bool::weighted(0.2),
        proptest::option::weighted(0.3, any::<u32>()),
    );
    let offers = (
        vec(lane_plan(config), 2..=2),
        vec(
            channel_price_plan(),
            config.channel_prices_per_product.clone(),
        ),
        vec(stock_plan(), config.stock_snapshots.clone()),
    );
    (identity, offers).prop_map(
        |(
            (gtin, localized_title, brand, category, launched, unit, perishable, channels),
            (lanes, channel_prices, stock),
        )| ProductPlan {
            gtin,
            localized_title,
            brand,
            category,
            launched,
            unit,
            perishable,
            channels,
            lanes,
            channel_prices,
            stock,
        },
    )
}

fn mechanic_plan() -> impl Strategy<Value = MechanicPlan> {
    // Round percentages land on half a minor unit often (50% of 0.05 EUR), where rounding shows.
    let percent = prop_oneof![
        2 => proptest::sample::select(&[5_i64, 10, 15, 25, 50, 75][..]).prop_map(Decimal::from),
        2 => (1_i64..=99).prop_map(Decimal::from),
        1 => (1_i64..=9_999).prop_map(|hundredths| Decimal::new(hundredths, 2)),
    ];
    let multi_buy = (1_u32..=4, 1_u32..=3).prop_map(|(pay, more)| (pay + more, pay));
    prop_oneof![
        percent.prop_map(MechanicPlan::PercentOff),
        (1_u32..=999).prop_map(MechanicPlan::AmountOff),
        amount_plan().prop_map(MechanicPlan::FixedPrice),
        multi_buy.prop_map(|(buy, pay)| MechanicPlan::MultiBuy(buy, pay)),
    ]
}

fn promotion_plan() -> impl Strategy<Value = PromotionPlan> {
    let audience = prop_oneof![
        3 => Just(Audience::Everyone),
        2 => Just(Audience::Members),
        1 => Just(Audience::Coupon),
    ];
    let scope = (
        proptest::char::range('A', 'Z'),
        any::<bool>(),
        proptest::option::of(any::<u8>()),
        proptest::option::of(any::<u32>()),
        any::<u32>(),
        prop_oneof![Just(0_u32), any::<u32>()],
    );
    let rest = (
        time_pick(),
        proptest::option::weighted(0.8, time_pick()),
        mechanic_plan(),
        any::<Index>(),
        audience,
        -2_i32..=3,
        prop::bool::weighted(0.3),
        0_u8..3,
    );
    (scope, rest).prop_map(
        |(
            (letter, named, markets, channels, skus, categories),
            (from, until, mechanic, currency, audience, priority, exclusive, form),
        )| PromotionPlan {
            letter,
            named,
            markets,
            channels,
            skus,
            categories,
            from,
            until,
            mechanic,
            currency,
            audience,
            priority,
            exclusive,
            form,
        },
    )
}

// ---------------------------------------------------------------------------------------------
// Building: a plan becomes a document that compiles.
// ---------------------------------------------------------------------------------------------

/// The time grid of one document.
struct Grid {
    start: DateTime<Utc>,
    hours: usize,
    anchors: Vec<DateTime<Utc>>,
}

impl Grid {
    fn new(config: &ArbConfig, plans: &[AnchorPlan], zones: &[Tz]) -> Grid {
        let hours = config.hours();
        let start = config.start;
        let anchors = plans
            .iter()
            .map(|a| {
                let day = a.day.index(config.days.max(1) as usize);
                let midnight = |zone: Tz| {
                    let date = (start + Duration::days(day as i64))
                        .with_timezone(&zone)
                        .date_naive();
                    local_midnight(date, zone).filter(|t| *t >= start && *t <= config.end())
                };
                let hourly = start + Duration::hours((day * 24 + a.hour.index(24)) as i64);
                let t = match a.kind {
                    0 => zones.first().and_then(|z| midnight(*z)),
                    1 => zones.last().and_then(|z| midnight(*z)),
                    _ => None,
                };
                t.unwrap_or(hourly).min(config.end())
            })
            .collect();
        Grid {
            start,
            hours,
            anchors,
        }
    }

    fn at(&self, pick: &TimePick) -> DateTime<Utc> {
        match pick {
            TimePick::Anchor(i) if !self.anchors.is_empty() => {
                self.anchors[i.index(self.anchors.len())]
            }
            TimePick::Anchor(i) | TimePick::Hour(i) => {
                self.start + Duration::hours(i.index(self.hours + 1) as i64)
            }
        }
    }

    /// A non-empty window from two picks: swapped if backwards, open-ended if they coincide.
    fn window(&self, from: &TimePick, until: Option<&TimePick>) -> Window {
        let from = self.at(from);
        match until.map(|u| self.at(u)) {
            None => Window::new(from, None),
            Some(until) if until > from => Window::new(from, Some(until)),
            Some(until) if until < from => Window::new(until, Some(from)),
            Some(_) => Window::new(from, None),
        }
    }
}

/// A market as built, with what the rest of the document needs to know of it.
struct BuiltMarket {
    id: String,
    currency: Currency,
    zone: Tz,
    /// Indexes of its channels in the document.
    channels: Vec<usize>,
}

/// A price entry as built, for the amount-off bound.
struct BuiltPrice {
    product: usize,
    market: usize,
    minor: u32,
}

fn subset<T: Clone>(items: &[T], mask: u32) -> Vec<T> {
    items
        .iter()
        .enumerate()
        .filter(|(i, _)| mask >> (i % 32) & 1 == 1)
        .map(|(_, item)| item.clone())
        .collect()
}

/// A non-empty subset of a non-empty list: the masked items, or one of them if the mask picks none.
fn some_of<T: Clone>(items: &[T], mask: u32) -> Vec<T> {
    let picked = subset(items, mask);
    if picked.is_empty() && !items.is_empty() {
        vec![items[mask as usize % items.len()].clone()]
    } else {
        picked
    }
}

fn money_text(minor: u32, currency: Currency, short: bool) -> String {
    let mut amount = Decimal::new(i64::from(minor), currency.minor_units());
    if short {
        amount = amount.normalize();
    }
    format!("{amount} {currency}")
}

fn instant_text(t: DateTime<Utc>, zone: Option<Tz>) -> String {
    match zone {
        Some(zone) => t
            .with_timezone(&zone)
            .to_rfc3339_opts(SecondsFormat::Secs, false),
        None => t.to_rfc3339_opts(SecondsFormat::Secs, true),
    }
}

/// A price entry's start or end: in UTC, in the market's offset, or as a local date where the
/// instant is a local midnight (as an end, a date stands for the next midnight: the day before).
fn bound_text(t: DateTime<Utc>, zone: Tz, edge: DateEdge, form: u8) -> String {
    let date = t.with_timezone(&zone).date_naive();
    match form {
        0 => instant_text(t, None),
        2 if local_midnight(date, zone) == Some(t) => match edge {
            DateEdge::Start => date.format("%Y-%m-%d").to_string(),
            DateEdge::End => date.pred_opt().map_or_else(
                || instant_text(t, Some(zone)),
                |d| d.format("%Y-%m-%d").to_string(),
            ),
        },
        _ => instant_text(t, Some(zone)),
    }
}

fn gtin_text((kind, digits): (usize, u64)) -> Option<String> {
    let length = [8_usize, 12, 13, 14][kind % 4];
    let data = format!(
        "{:0width$}",
        digits % 10_u64.pow(length as u32 - 1),
        width = length - 1
    );
    Gtin::check_digit(&data).map(|check| format!("{data}{check}"))
}

fn build(config: &ArbConfig, plan: &Plan) -> CatalogDocument {
    let mut doc = CatalogDocument::default();

    // Markets.
    let mut markets: Vec<BuiltMarket> = Vec::new();
    for (i, m) in plan.markets.iter().enumerate().take(2) {
        let (id, code, zone, locale) = match (i, m.yen) {
            (0, _) => ("IT", "EUR", chrono_tz::Europe::Rome, "it-IT"),
            (_, true) => ("JP", "JPY", chrono_tz::Asia::Tokyo, "ja-JP"),
            (_, false) => ("DE", "EUR", chrono_tz::Europe::Berlin, "de-DE"),
        };
        doc.markets.push(MarketEntry {
            id: id.to_owned(),
            currency: code.to_owned(),
            time_zone: zone.name().to_owned(),
            locale: m.locale.then(|| locale.to_owned()),
            prices_include_tax: m.prices_include_tax,
            reference_price_days: m.reference_price_days,
            unit_price_required: m.unit_price_required,
            meta: None,
        });
        markets.push(BuiltMarket {
            id: id.to_owned(),
            currency: Currency::from_code(code).unwrap_or(Currency::EUR),
            zone,
            channels: Vec::new(),
        });
    }
    let zones: Vec<Tz> = markets.iter().map(|m| m.zone).collect();
    let grid = Grid::new(config, &plan.anchors, &zones);

    // Locations and channels.
    for (i, &store) in plan.locations.iter().enumerate() {
        let (kind, prefix) = if store {
            (LocationKind::Store, "store")
        } else {
            (LocationKind::Warehouse, "wh")
        };
        doc.locations.push(LocationEntry {
            id: format!("{prefix}-{i}"),
            kind,
            meta: None,
        });
    }
    let location_ids: Vec<String> = doc.locations.iter().map(|l| l.id.clone()).collect();
    for (m, market) in markets.iter_mut().enumerate() {
        for (j, c) in plan.channels.get(m).into_iter().flatten().enumerate() {
            let kind = ChannelKind::ALL[c.kind.index(ChannelKind::ALL.len())];
            market.channels.push(doc.channels.len());
            doc.channels.push(ChannelEntry {
                id: format!("{kind}-{}-{j}", market.id.to_lowercase()),
                kind,
                market: market.id.clone(),
                locations: subset(&location_ids, c.locations),
                meta: None,
            });
        }
    }
    let channel_ids: Vec<String> = doc.channels.iter().map(|c| c.id.clone()).collect();

    // Products, their prices and stock.
    let mut prices: Vec<BuiltPrice> = Vec::new();
    let mut gtins = BTreeSet::new();
    for (p, plan) in plan.products.iter().enumerate() {
        let sku = format!("SKU-{p}");
        let gtin = plan.gtin.and_then(gtin_text).filter(|text| {
            text.parse::<Gtin>()
                .is_ok_and(|normal| gtins.insert(normal))
        });
        let title = if plan.localized_title {
            Title::ByLocale(BTreeMap::from([
                ("en".to_owned(), format!("Product {p}")),
                ("it".to_owned(), format!("Prodotto {p}")),
            ]))
        } else {
            Title::One(format!("Product {p}"))
        };
        let unit = plan.unit.as_ref().map(|(measure, quantity)| {
            let (measure, quantities) = MEASURES[measure.index(MEASURES.len())];
            UnitEntry {
                quantity: DecimalText(quantities[quantity.index(quantities.len())].to_owned()),
                measure,
            }
        });
        doc.products.push(ProductEntry {
            sku: sku.clone(),
            gtin,
            title,
            brand: plan.brand.then(|| "Acme".to_owned()),
            category: plan
                .category
                .as_ref()
                .map(|c| CATEGORIES[c.index(CATEGORIES.len())].to_owned()),
            launched: plan
                .launched
                .as_ref()
                .map(|t| instant_text(grid.at(t), None)),
            unit,
            perishable: plan.perishable,
            channels: plan
                .channels
                .filter(|_| !channel_ids.is_empty())
                .map(|mask| some_of(&channel_ids, mask)),
            meta: None,
        });
        build_lanes(&mut doc, &mut prices, &grid, &markets, p, plan);
        build_channel_prices(&mut doc, &mut prices, &grid, &markets, p, plan);
        build_stock(&mut doc, &grid, &location_ids, &sku, plan);
    }

    // Promotions.
    for (i, promotion) in plan.promotions.iter().enumerate() {
        let entry = build_promotion(&doc, &prices, &grid, &markets, i, promotion);
        doc.promotions.push(entry);
    }
    doc
}

/// The market-wide price list of one product in each market: contiguous stretches between sorted
/// boundaries, some left out as gaps, the last one sometimes open-ended.
fn build_lanes(
    doc: &mut CatalogDocument,
    prices: &mut Vec<BuiltPrice>,
    grid: &Grid,
    markets: &[BuiltMarket],
    product: usize,
    plan: &ProductPlan,
) {
    for (m, (market, lane)) in markets.iter().zip(&plan.lanes).enumerate() {
        if !lane.priced {
            continue;
        }
        let start = lane.start.as_ref().map_or(grid.start, |t| grid.at(t));
        let bounds: BTreeSet<DateTime<Utc>> = std::iter::once(start)
            .chain(lane.steps.iter().map(|(t, _)| grid.at(t)))
            .collect();
        let bounds: Vec<DateTime<Utc>> = bounds.into_iter().collect();
        let entries: Vec<&EntryPlan> = std::iter::once(&lane.first)
            .chain(lane.steps.iter().map(|(_, e)| e))
            .collect();
        let mut windows: Vec<(Window, &EntryPlan)> = bounds
            .windows(2)
            .zip(&entries)
            .map(|(pair, entry)| (Window::new(pair[0], Some(pair[1])), *entry))
            .collect();
        if windows.is_empty() || lane.open_ended {
            let last = bounds.last().copied().unwrap_or(grid.start);
            let entry = entries.get(windows.len()).copied().unwrap_or(&lane.first);
            match windows.last_mut() {
                Some((window, _)) if lane.open_ended => window.until = None,
                _ => windows.push((Window::new(last, None), entry)),
            }
        }
        let kept: Vec<&(Window, &EntryPlan)> = windows.iter().filter(|(_, e)| !e.gap).collect();
        let kept = if kept.is_empty() {
            windows.iter().take(1).collect()
        } else {
            kept
        };
        for (window, entry) in kept {
            push_price(doc, prices, market, m, product, None, *window, entry);
        }
    }
}

/// Channel-specific entries, each kept unless it overlaps one already kept on a channel it names.
fn build_channel_prices(
    doc: &mut CatalogDocument,
    prices: &mut Vec<BuiltPrice>,
    grid: &Grid,
    markets: &[BuiltMarket],
    product: usize,
    plan: &ProductPlan,
) {
    let mut taken: BTreeMap<usize, Vec<Window>> = BTreeMap::new();
    for c in &plan.channel_prices {
        let m = c.market.index(markets.len());
        let market = &markets[m];
        if market.channels.is_empty() {
            continue;
        }
        let channels = some_of(&market.channels, c.channels);
        let window = grid.window(&c.from, c.until.as_ref());
        let clash = channels.iter().any(|ch| {
            taken
                .get(ch)
                .is_some_and(|ws| ws.iter().any(|w| w.overlaps(&window)))
        });
        if clash {
            continue;
        }
        for ch in &channels {
            taken.entry(*ch).or_default().push(window);
        }
        let ids = channels
            .iter()
            .map(|&ch| doc.channels[ch].id.clone())
            .collect();
        push_price(doc, prices, market, m, product, Some(ids), window, &c.entry);
    }
}

#[allow(clippy::too_many_arguments)] // One entry: every field of it comes from somewhere else.
fn push_price(
    doc: &mut CatalogDocument,
    prices: &mut Vec<BuiltPrice>,
    market: &BuiltMarket,
    m: usize,
    product: usize,
    channels: Option<Vec<String>>,
    window: Window,
    entry: &EntryPlan,
) {
    let minor = entry.amount.minor;
    doc.prices.push(PriceEntry {
        sku: doc.products[product].sku.clone(),
        market: market.id.clone(),
        channels,
        amount: money_text(minor, market.currency, entry.amount.short),
        from: bound_text(window.from, market.zone, DateEdge::Start, entry.form),
        until: window
            .until
            .map(|u| bound_text(u, market.zone, DateEdge::End, entry.form)),
        meta: None,
    });
    prices.push(BuiltPrice {
        product,
        market: m,
        minor,
    });
}

fn build_stock(
    doc: &mut CatalogDocument,
    grid: &Grid,
    locations: &[String],
    sku: &str,
    plan: &ProductPlan,
) {
    if locations.is_empty() {
        return;
    }
    let mut counted = BTreeSet::new();
    for s in &plan.stock {
        let location = s.location.index(locations.len());
        let as_of = grid.at(&s.as_of);
        // One count per product, location and instant: a second one would contradict it.
        if !counted.insert((location, as_of)) {
            continue;
        }
        doc.stock.push(StockSnapshot {
            sku: sku.to_owned(),
            location: locations[location].clone(),
            on_hand: s.on_hand,
            reserved: s.reserved,
            as_of: instant_text(as_of, None),
            meta: None,
        });
    }
}

fn build_promotion(
    doc: &CatalogDocument,
    prices: &[BuiltPrice],
    grid: &Grid,
    markets: &[BuiltMarket],
    i: usize,
    plan: &PromotionPlan,
) -> PromotionEntry {
    let (market_scope, in_scope) = promotion_markets(markets, plan);
    let (skus, categories, targets) = promotion_targets(doc, plan);
    let currency = markets[in_scope[0]].currency;
    let mechanic = match &plan.mechanic {
        MechanicPlan::PercentOff(p) => MechanicEntry::PercentOff(DecimalText(p.to_string())),
        MechanicPlan::AmountOff(per_mille) => {
            // Smaller than every price it can meet: below the lowest price of its targets in its
            // markets; a percentage where the lowest is one minor unit.
            let lowest = prices
                .iter()
                .filter(|p| targets.contains(&p.product) && in_scope.contains(&p.market))
                .map(|p| p.minor)
                .min();
            match lowest {
                None => MechanicEntry::AmountOff(money_text(*per_mille, currency, false)),
                Some(lowest) if lowest >= 2 => {
                    let off = (u64::from(lowest) * u64::from(*per_mille) / 1000)
                        .clamp(1, u64::from(lowest) - 1);
                    let off = u32::try_from(off).unwrap_or(1);
                    MechanicEntry::AmountOff(money_text(off, currency, false))
                }
                Some(_) => MechanicEntry::PercentOff(DecimalText((per_mille % 99 + 1).to_string())),
            }
        }
        MechanicPlan::FixedPrice(amount) => {
            MechanicEntry::FixedPrice(money_text(amount.minor, currency, amount.short))
        }
        MechanicPlan::MultiBuy(buy, pay) => MechanicEntry::MultiBuy(MultiBuy {
            buy: *buy,
            pay: *pay,
        }),
    };
    let eligible: Vec<String> = in_scope
        .iter()
        .flat_map(|&m| &markets[m].channels)
        .map(|&c| doc.channels[c].id.clone())
        .collect();
    let channels = plan
        .channels
        .filter(|_| !eligible.is_empty())
        .map(|mask| some_of(&eligible, mask));
    let window = grid.window(&plan.from, plan.until.as_ref());
    // Local dates are read in the time zone its markets share; without one, instants only.
    let zones: BTreeSet<&str> = in_scope.iter().map(|&m| markets[m].zone.name()).collect();
    let form = if zones.len() == 1 {
        plan.form
    } else {
        plan.form.min(1)
    };
    let zone = markets[in_scope[0]].zone;
    PromotionEntry {
        id: format!("{}{i}", plan.letter),
        name: plan.named.then(|| format!("Promotion {i}")),
        markets: market_scope.map(|ms| ms.iter().map(|&m| markets[m].id.clone()).collect()),
        channels,
        skus,
        categories,
        from: bound_text(window.from, zone, DateEdge::Start, form),
        until: window
            .until
            .map(|u| bound_text(u, zone, DateEdge::End, form)),
        mechanic,
        audience: plan.audience,
        priority: plan.priority,
        exclusive: plan.exclusive,
        meta: None,
    }
}

/// The markets a promotion names (`None`: every market) and the markets it runs in. Money is in one
/// currency, so a promotion with a money mechanic keeps to the markets of one currency.
fn promotion_markets(
    markets: &[BuiltMarket],
    plan: &PromotionPlan,
) -> (Option<Vec<usize>>, Vec<usize>) {
    let all: Vec<usize> = (0..markets.len()).collect();
    let currencies: Vec<Currency> = markets
        .iter()
        .map(|m| m.currency)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let is_money = matches!(
        plan.mechanic,
        MechanicPlan::AmountOff(_) | MechanicPlan::FixedPrice(_)
    );
    if is_money && currencies.len() > 1 {
        let currency = currencies[plan.currency.index(currencies.len())];
        let same: Vec<usize> = all
            .into_iter()
            .filter(|&m| markets[m].currency == currency)
            .collect();
        return (Some(same.clone()), same);
    }
    match plan.markets {
        None => (None, all),
        Some(mask) => {
            let chosen = some_of(&all, u32::from(mask));
            (Some(chosen.clone()), chosen)
        }
    }
}

/// The skus and categories a promotion targets (at least one of them), and the products they cover
/// (a category covers its sub-categories).
fn promotion_targets(
    doc: &CatalogDocument,
    plan: &PromotionPlan,
) -> (Vec<String>, Vec<String>, Vec<usize>) {
    let paths: BTreeSet<&str> = doc
        .products
        .iter()
        .filter_map(|p| p.category.as_deref())
        .flat_map(|c| c.match_indices('/').map(|(cut, _)| &c[..cut]).chain([c]))
        .collect();
    let paths: Vec<String> = paths.into_iter().map(str::to_owned).collect();
    let categories = subset(&paths, plan.categories);
    let all_skus: Vec<String> = doc.products.iter().map(|p| p.sku.clone()).collect();
    let mut skus = subset(&all_skus, plan.skus);
    if skus.is_empty() && categories.is_empty() {
        skus = some_of(&all_skus, plan.skus);
    }
    let under = |category: &str, target: &str| {
        category
            .strip_prefix(target)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    };
    let targets = doc
        .products
        .iter()
        .enumerate()
        .filter(|(_, p)| {
            skus.contains(&p.sku)
                || p.category
                    .as_deref()
                    .is_some_and(|c| categories.iter().any(|t| under(c, t)))
        })
        .map(|(i, _)| i)
        .collect();
    (skus, categories, targets)
}
