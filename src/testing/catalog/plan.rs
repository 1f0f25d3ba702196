//! Plans: the random choices behind a document, drawn by proptest (and shrunk by it), then turned
//! into a valid document by `build`. References are `Index`es or bit masks, resolved against
//! whatever the document ends up holding, so that every plan builds.

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::Index;
use rust_decimal::Decimal;

use super::ArbConfig;
use crate::catalog::document::{Audience, Measure};

#[derive(Debug, Clone)]
pub(super) struct Plan {
    pub(super) markets: Vec<MarketPlan>,
    /// Per location: whether it is a store.
    pub(super) locations: Vec<bool>,
    /// Per market (two drawn, the extra one unused).
    pub(super) channels: Vec<Vec<ChannelPlan>>,
    pub(super) products: Vec<ProductPlan>,
    pub(super) promotions: Vec<PromotionPlan>,
    pub(super) anchors: Vec<AnchorPlan>,
}

/// A point of the time grid: one of the document's anchors, or any whole hour.
#[derive(Debug, Clone)]
pub(super) enum TimePick {
    Anchor(Index),
    Hour(Index),
}

/// A boundary instant many entries share: a local midnight of one of the markets, or a whole hour.
#[derive(Debug, Clone)]
pub(super) struct AnchorPlan {
    pub(super) day: Index,
    pub(super) kind: u8,
    pub(super) hour: Index,
}

#[derive(Debug, Clone)]
pub(super) struct MarketPlan {
    /// For the second market: yen (`JP`) rather than euros (`DE`).
    pub(super) yen: bool,
    pub(super) reference_price_days: Option<u32>,
    pub(super) prices_include_tax: bool,
    pub(super) unit_price_required: bool,
    pub(super) locale: bool,
    /// An anchor date (CONTRACT §12): a day of the grid, and a mask of the channel kinds that
    /// must show it (`None`: every kind).
    pub(super) anchor: Option<(Index, Option<u32>)>,
}

#[derive(Debug, Clone)]
pub(super) struct ChannelPlan {
    pub(super) kind: Index,
    pub(super) locations: u32,
}

/// An amount in minor units of the market's currency, and how it is written.
#[derive(Debug, Clone)]
pub(super) struct AmountPlan {
    pub(super) minor: u32,
    /// `"12.3 EUR"` rather than `"12.30 EUR"`.
    pub(super) short: bool,
}

#[derive(Debug, Clone)]
pub(super) struct EntryPlan {
    pub(super) amount: AmountPlan,
    /// Leave this stretch without a price.
    pub(super) gap: bool,
    /// 0: `Z`; 1: the market's offset; 2: a local date where the instant is a local midnight.
    pub(super) form: u8,
}

/// The market-wide price list of one product in one market: contiguous stretches, some left out.
#[derive(Debug, Clone)]
pub(super) struct LanePlan {
    pub(super) priced: bool,
    /// `None`: from the start of the grid, so that most of the year has a price.
    pub(super) start: Option<TimePick>,
    pub(super) first: EntryPlan,
    pub(super) steps: Vec<(TimePick, EntryPlan)>,
    pub(super) open_ended: bool,
}

#[derive(Debug, Clone)]
pub(super) struct ChannelPricePlan {
    pub(super) market: Index,
    pub(super) channels: u32,
    pub(super) from: TimePick,
    pub(super) until: Option<TimePick>,
    pub(super) entry: EntryPlan,
}

/// A customer group's price entry (group `b2b`) or a public volume price (`min_quantity` above
/// 1), market-wide (CONTRACT §11).
#[derive(Debug, Clone)]
pub(super) struct TieredPlan {
    pub(super) market: Index,
    /// A group entry rather than a volume one.
    pub(super) group: bool,
    /// From this quantity (a volume entry: at least 2; a group entry: 1 or more).
    pub(super) min_quantity: u32,
    pub(super) from: TimePick,
    pub(super) until: Option<TimePick>,
    pub(super) entry: EntryPlan,
}

#[derive(Debug, Clone)]
pub(super) struct StockPlan {
    pub(super) location: Index,
    pub(super) as_of: TimePick,
    pub(super) on_hand: i64,
    pub(super) reserved: i64,
}

#[derive(Debug, Clone)]
pub(super) struct ProductPlan {
    pub(super) gtin: Option<(usize, u64)>,
    pub(super) localized_title: bool,
    pub(super) brand: bool,
    pub(super) category: Option<Index>,
    pub(super) launched: Option<TimePick>,
    pub(super) unit: Option<(Index, Index)>,
    pub(super) perishable: bool,
    pub(super) channels: Option<u32>,
    pub(super) lanes: Vec<LanePlan>,
    pub(super) channel_prices: Vec<ChannelPricePlan>,
    pub(super) stock: Vec<StockPlan>,
    pub(super) tiered: Vec<TieredPlan>,
    /// Per market: an RRP this many per mille above the product's highest price there.
    pub(super) rrp: Vec<Option<u32>>,
    /// One of two families (`FAM-0`, `FAM-1`), with a variant of its own (CONTRACT §10).
    pub(super) family: Option<bool>,
}

#[derive(Debug, Clone)]
pub(super) enum MechanicPlan {
    PercentOff(Decimal),
    /// Per mille of the lowest price the promotion can meet.
    AmountOff(u32),
    FixedPrice(AmountPlan),
    MultiBuy(u32, u32),
}

#[derive(Debug, Clone)]
pub(super) struct PromotionPlan {
    pub(super) letter: char,
    pub(super) named: bool,
    pub(super) markets: Option<u8>,
    pub(super) channels: Option<u32>,
    pub(super) skus: u32,
    pub(super) categories: u32,
    pub(super) from: TimePick,
    pub(super) until: Option<TimePick>,
    pub(super) mechanic: MechanicPlan,
    /// For a money mechanic in a document of two currencies: which one.
    pub(super) currency: Index,
    pub(super) audience: Audience,
    pub(super) priority: i32,
    pub(super) exclusive: bool,
    /// How its start and end are written, as [`EntryPlan::form`] (local dates only where its
    /// markets share a time zone).
    pub(super) form: u8,
}

/// The loyalty tier of generated tier promotions.
pub(super) const TIER: &str = "gold";

/// The customer group of generated group price entries and promotions.
pub(super) const GROUP: &str = "b2b";

pub(super) const CATEGORIES: [&str; 6] = [
    "food",
    "food/fruit",
    "food/dairy/cheese",
    "computers/laptops",
    "computers/tablets",
    "garden",
];

pub(super) const MEASURES: [(Measure, &[&str]); 5] = [
    (Measure::Item, &["1", "6"]),
    (Measure::Kilogram, &["0.5", "1", "2.25"]),
    (Measure::Gram, &["125", "500"]),
    (Measure::Litre, &["0.75", "1.5"]),
    (Measure::Millilitre, &["330"]),
];

pub(super) fn time_pick() -> impl Strategy<Value = TimePick> {
    prop_oneof![
        3 => any::<Index>().prop_map(TimePick::Anchor),
        2 => any::<Index>().prop_map(TimePick::Hour),
    ]
}

pub(super) fn anchor_plan() -> impl Strategy<Value = AnchorPlan> {
    (any::<Index>(), 0_u8..4, any::<Index>()).prop_map(|(day, kind, hour)| AnchorPlan {
        day,
        kind,
        hour,
    })
}

pub(super) fn market_plan() -> impl Strategy<Value = MarketPlan> {
    let days = prop_oneof![1 => Just(None), 3 => (1_u32..=45).prop_map(Some)];
    let anchor =
        proptest::option::weighted(0.3, (any::<Index>(), proptest::option::of(any::<u32>())));
    (
        any::<bool>(),
        days,
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        anchor,
    )
        .prop_map(
            |(
                yen,
                reference_price_days,
                prices_include_tax,
                unit_price_required,
                locale,
                anchor,
            )| {
                MarketPlan {
                    yen,
                    reference_price_days,
                    prices_include_tax,
                    unit_price_required,
                    locale,
                    anchor,
                }
            },
        )
}

pub(super) fn channel_plan() -> impl Strategy<Value = ChannelPlan> {
    (any::<Index>(), any::<u32>()).prop_map(|(kind, locations)| ChannelPlan { kind, locations })
}

pub(super) fn amount_plan() -> impl Strategy<Value = AmountPlan> {
    let minor = prop_oneof![
        1 => 1_u32..=150,
        6 => 150_u32..=99_999,
        1 => 100_000_u32..=2_000_000,
    ];
    (minor, any::<bool>()).prop_map(|(minor, short)| AmountPlan { minor, short })
}

pub(super) fn entry_plan() -> impl Strategy<Value = EntryPlan> {
    (amount_plan(), prop::bool::weighted(0.15), 0_u8..3).prop_map(|(amount, gap, form)| EntryPlan {
        amount,
        gap,
        form,
    })
}

pub(super) fn lane_plan(config: &ArbConfig) -> impl Strategy<Value = LanePlan> + use<> {
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

pub(super) fn channel_price_plan() -> impl Strategy<Value = ChannelPricePlan> {
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

pub(super) fn tiered_plan() -> impl Strategy<Value = TieredPlan> {
    (
        any::<Index>(),
        any::<bool>(),
        1_u32..=11,
        time_pick(),
        proptest::option::weighted(0.5, time_pick()),
        entry_plan(),
    )
        .prop_map(
            |(market, group, min_quantity, from, until, entry)| TieredPlan {
                market,
                group,
                min_quantity: if group {
                    min_quantity
                } else {
                    min_quantity + 1
                },
                from,
                until,
                entry,
            },
        )
}

pub(super) fn stock_plan() -> impl Strategy<Value = StockPlan> {
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

pub(super) fn product_plan(config: &ArbConfig) -> impl Strategy<Value = ProductPlan> + use<> {
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
    let v2 = (
        vec(tiered_plan(), config.tiered_prices_per_product.clone()),
        vec(proptest::option::weighted(0.3, 0_u32..=600), 2..=2),
        proptest::option::weighted(0.4, any::<bool>()),
    );
    (identity, offers, v2).prop_map(
        |(
            (gtin, localized_title, brand, category, launched, unit, perishable, channels),
            (lanes, channel_prices, stock),
            (tiered, rrp, family),
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
            tiered,
            rrp,
            family,
        },
    )
}

pub(super) fn mechanic_plan() -> impl Strategy<Value = MechanicPlan> {
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

pub(super) fn promotion_plan() -> impl Strategy<Value = PromotionPlan> {
    let audience = prop_oneof![
        3 => Just(Audience::Everyone),
        2 => Just(Audience::Members),
        1 => Just(Audience::Coupon),
        1 => Just(Audience::Tier(TIER.to_owned())),
        1 => Just(Audience::Group(GROUP.to_owned())),
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
