//! Synthetic catalogs: deterministic, realistic in shape, as large as asked.
//!
//! For benchmarks, load tests and `unisono gen`. The same [`Shape`] gives the same document on every
//! platform: the only chance is a [`SplitMix64`] seeded from the shape, and amounts are integer cents.
//!
//! The retailer: two markets, Italy and Germany (both EUR with the 30-day prior-price rule; Italy
//! also wants unit prices), eleven channels each (web, app, email, TV, print, feed, marketplace,
//! social and one per store), one warehouse and three stores per market. Products spread over
//! sixteen categories of a two-level tree, with GS1-valid GTIN-13s; some are sold by weight or
//! volume, some are perishable, most were launched before 2026 and the rest during it. Over 2026
//! each product's price changes about three times per market, and a few have store-only prices.
//! About a tenth of the products are in SKU promotions of every mechanic and audience, and a
//! handful of category-wide campaigns (Black Friday, summer sales) cover whole branches. Stock is
//! counted two or three times a year per product and location. Catalog v2 (CONTRACT §10–§12), drawn
//! from a stream of its own so that the rest of a document is as before: about one product in eight
//! is in a family (of up to four neighbours, each its own variant), one in seven has an RRP, one in
//! sixteen a volume price from 6 units and as many a `b2b` group price; Germany has an anchor date
//! (2026-05-02, web and app), and gold members get 5% off home goods in the autumn. Every document
//! compiles.
//!
//! A document holds about 7.5 price entries and 6 stock snapshots per product: 100 000 products
//! make about 170 MB of JSON.
// A generator of benchmark data: it indexes its own constant tables with in-range numbers and
// takes a seed, never untrusted input.
#![allow(clippy::indexing_slicing)]

#[cfg(feature = "gen")]
mod renderings;
#[cfg(feature = "gen")]
pub use renderings::{Generated, Plan, Planted, renderings};

use chrono::{Datelike, Days, NaiveDate};
use chrono_tz::Tz;

use crate::catalog::document::{
    Audience, CatalogDocument, ChannelEntry, ChannelKind, LocationEntry, LocationKind, MarketEntry,
    Measure, MechanicEntry, Meta, MultiBuy, PriceEntry, ProductEntry, PromotionEntry,
    StockSnapshot, Title, UnitEntry,
};
use crate::gtin::Gtin;
use crate::time::{local_midnight, rfc3339_in};

/// The year of price history.
const YEAR: i32 = 2026;
/// Price changes fall before this day of the year (0-based), so the last price lasts a while.
const LAST_CHANGE_DAY: u32 = 358;
/// Products were launched up to this many days before the year.
const LAUNCH_HISTORY_DAYS: u32 = 1095;

/// How big and which catalog to generate. Start from [`Shape::new`] and change fields as needed.
///
/// ```
/// let mut shape = unisono::synthetic::Shape::new(1_000, 42);
/// shape.promoted_percent = 25;
/// assert_eq!(unisono::synthetic::catalog(&shape).products.len(), 1_000);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Shape {
    /// Number of products.
    pub products: usize,
    /// Seed: the same shape gives the same document, another seed another one.
    pub seed: u64,
    /// Price changes per product and market over the year (default 3; at most one a day).
    pub price_changes: u32,
    /// Share of products in SKU-targeted promotions, in per cent (default 10).
    pub promoted_percent: u32,
}

impl Shape {
    /// `products` products from `seed`, with the defaults: three price changes a year, a tenth of
    /// the products promoted.
    ///
    /// ```
    /// let shape = unisono::synthetic::Shape::new(100, 7);
    /// assert_eq!((shape.price_changes, shape.promoted_percent), (3, 10));
    /// ```
    pub fn new(products: usize, seed: u64) -> Shape {
        Shape {
            products,
            seed,
            price_changes: 3,
            promoted_percent: 10,
        }
    }
}

/// SplitMix64 (Steele, Lea and Flood, OOPSLA 2014; the seeder of `java.util.SplittableRandom`): 64
/// bits of state, a few nanoseconds a number, the same sequence on every platform. Good for
/// synthetic data, not for anything secret.
///
/// ```
/// use unisono::synthetic::SplitMix64;
/// let (mut a, mut b) = (SplitMix64::new(7), SplitMix64::new(7));
/// assert_eq!(a.next_u64(), b.next_u64());
/// ```
#[doc(hidden)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    /// A generator whose sequence is fixed by `seed`.
    ///
    /// ```
    /// let mut rng = unisono::synthetic::SplitMix64::new(0);
    /// assert_eq!(rng.next_u64(), 0xe220_a839_7b1d_cdaf);
    /// ```
    pub fn new(seed: u64) -> SplitMix64 {
        SplitMix64 { state: seed }
    }

    /// The next 64 random bits.
    ///
    /// ```
    /// let mut rng = unisono::synthetic::SplitMix64::new(1);
    /// assert_ne!(rng.next_u64(), rng.next_u64());
    /// ```
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0), by multiply-shift (Lemire 2019): one multiplication,
    /// and a bias below `n / 2^64`.
    ///
    /// ```
    /// let mut rng = unisono::synthetic::SplitMix64::new(1);
    /// assert!((0..1000).all(|_| rng.below(6) < 6));
    /// ```
    pub fn below(&mut self, n: u64) -> u64 {
        // The high half of the 128-bit product with n is below n, so it fits a u64.
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// A number in `lo..=hi`.
    fn between(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi.saturating_sub(lo) + 1)
    }

    /// [`SplitMix64::below`] for the small numbers of days and indexes used here.
    fn below_u32(&mut self, n: u32) -> u32 {
        // Below n, which is a u32.
        self.below(u64::from(n)) as u32
    }

    /// True `percent` times in a hundred.
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// One of `items`, which must not be empty (the tables of this module never are).
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

struct MarketSpec {
    id: &'static str,
    suffix: &'static str,
    zone: Tz,
    locale: &'static str,
    unit_price_required: bool,
    warehouse: &'static str,
    stores: [&'static str; 3],
}

#[rustfmt::skip]
const MARKETS: [MarketSpec; 2] = [
    MarketSpec { id: "IT", suffix: "it", zone: chrono_tz::Europe::Rome, locale: "it-IT",
        unit_price_required: true, warehouse: "wh-milano",
        stores: ["store-milano", "store-roma", "store-napoli"] },
    MarketSpec { id: "DE", suffix: "de", zone: chrono_tz::Europe::Berlin, locale: "de-DE",
        unit_price_required: false, warehouse: "wh-leipzig",
        stores: ["store-berlin", "store-muenchen", "store-hamburg"] },
];

/// Channels of each market besides its stores; print advertises what the stores hold.
#[rustfmt::skip]
const REMOTE: [ChannelKind; 8] = [
    ChannelKind::Web, ChannelKind::App, ChannelKind::Email, ChannelKind::Tv, ChannelKind::Print,
    ChannelKind::Feed, ChannelKind::Marketplace, ChannelKind::Social,
];

/// The channels a promotion is often limited to, by kind.
#[rustfmt::skip]
const PROMOTION_CHANNELS: [&[ChannelKind]; 4] = [
    &[ChannelKind::Web, ChannelKind::App, ChannelKind::Email],
    &[ChannelKind::Store],
    &[ChannelKind::Tv, ChannelKind::Print, ChannelKind::Web, ChannelKind::App],
    &[ChannelKind::Feed, ChannelKind::Marketplace],
];

struct Category {
    path: &'static str,
    code: &'static str,
    /// Range of regular prices in the first market, in cents.
    cents: (u64, u64),
    /// Net quantities it is sold by; empty: by the piece.
    units: &'static [(&'static str, Measure)],
    perishable_percent: u64,
    brands: &'static [&'static str],
    /// (Italian, German) names.
    nouns: &'static [(&'static str, &'static str)],
}

use Measure::{Gram as G, Kilogram as KG, Litre as L, Millilitre as ML};

#[rustfmt::skip]
const CATEGORIES: [Category; 16] = [
    Category { path: "food/fruit", code: "FRU", cents: (99, 599), perishable_percent: 80,
        units: &[("1", KG), ("500", G), ("1.5", KG)], brands: &["Campo Verde", "Frische Ernte", "Melinda"],
        nouns: &[("Mele Golden", "Golden-Äpfel"), ("Arance Tarocco", "Tarocco-Orangen"), ("Pere Abate", "Abate-Birnen")] },
    Category { path: "food/dairy", code: "DAI", cents: (89, 899), perishable_percent: 90,
        units: &[("250", G), ("500", G), ("1", L)], brands: &["Caseificio Emilia", "Alpenmilch", "Latteria Sole"],
        nouns: &[("Parmigiano Reggiano", "Parmesan"), ("Mozzarella", "Mozzarella"), ("Latte intero", "Vollmilch")] },
    Category { path: "food/beverages", code: "BEV", cents: (49, 2499), perishable_percent: 0,
        units: &[("1.5", L), ("330", ML), ("750", ML)], brands: &["Fonte Alta", "Bergquelle", "Cantina Rossi"],
        nouns: &[("Acqua minerale", "Mineralwasser"), ("Succo d'arancia", "Orangensaft"), ("Vino rosso", "Rotwein")] },
    Category { path: "food/pantry", code: "PAN", cents: (79, 999), perishable_percent: 0,
        units: &[("500", G), ("1", KG), ("250", G)], brands: &["Pastificio Gallo", "Mühle Krone"],
        nouns: &[("Spaghetti", "Spaghetti"), ("Caffè macinato", "Gemahlener Kaffee"), ("Riso Carnaroli", "Carnaroli-Reis")] },
    Category { path: "electronics/phones", code: "PHO", cents: (9900, 129_900), perishable_percent: 0,
        units: &[], brands: &["Acme", "Voltera", "Nordtek"],
        nouns: &[("Smartphone", "Smartphone"), ("Telefono pieghevole", "Faltbares Telefon")] },
    Category { path: "electronics/computers", code: "COM", cents: (29_900, 249_900), perishable_percent: 0,
        units: &[], brands: &["Acme", "Nordtek", "Lumio"],
        nouns: &[("Notebook", "Notebook"), ("PC desktop", "Desktop-PC"), ("Tablet", "Tablet")] },
    Category { path: "electronics/tv", code: "TVS", cents: (19_900, 299_900), perishable_percent: 0,
        units: &[], brands: &["Acme", "Visio", "Nordtek"],
        nouns: &[("Televisore 4K", "4K-Fernseher"), ("Televisore OLED", "OLED-Fernseher")] },
    Category { path: "electronics/audio", code: "AUD", cents: (1990, 39_900), perishable_percent: 0,
        units: &[], brands: &["Acme", "Klangwerk", "Sonora"],
        nouns: &[("Auricolari", "Ohrhörer"), ("Cuffie", "Kopfhörer"), ("Altoparlante", "Lautsprecher")] },
    Category { path: "home/kitchen", code: "KIT", cents: (990, 79_900), perishable_percent: 0,
        units: &[], brands: &["Barista", "Küchenmeister", "Casa Bella"],
        nouns: &[("Macchina espresso", "Espressomaschine"), ("Frullatore", "Standmixer"), ("Padella", "Pfanne")] },
    Category { path: "home/furniture", code: "FUR", cents: (2990, 149_900), perishable_percent: 0,
        units: &[], brands: &["Legno & Co", "Wohnform"],
        nouns: &[("Sedia", "Stuhl"), ("Libreria", "Bücherregal"), ("Divano", "Sofa")] },
    Category { path: "home/garden", code: "GAR", cents: (290, 29_900), perishable_percent: 0,
        units: &[], brands: &["Verde Vivo", "Gartenfreund"],
        nouns: &[("Tagliaerba", "Rasenmäher"), ("Vaso", "Blumentopf"), ("Annaffiatoio", "Gießkanne")] },
    Category { path: "fashion/shoes", code: "SHO", cents: (2990, 19_900), perishable_percent: 0,
        units: &[], brands: &["Passo", "Laufwerk", "Acme Sport"],
        nouns: &[("Scarpe da corsa", "Laufschuhe"), ("Stivali", "Stiefel"), ("Sneaker", "Sneaker")] },
    Category { path: "fashion/clothing", code: "CLO", cents: (990, 14_900), perishable_percent: 0,
        units: &[], brands: &["Sartoria Blu", "Nordmode"],
        nouns: &[("Maglione", "Pullover"), ("Giacca", "Jacke"), ("Camicia", "Hemd")] },
    Category { path: "beauty/skincare", code: "SKI", cents: (490, 8990), perishable_percent: 0,
        units: &[("50", ML), ("200", ML)], brands: &["Bella Pelle", "Hautnah"],
        nouns: &[("Crema viso", "Gesichtscreme"), ("Siero", "Serum"), ("Crema solare", "Sonnencreme")] },
    Category { path: "toys/games", code: "TOY", cents: (990, 14_990), perishable_percent: 0,
        units: &[], brands: &["Giocomania", "Spielwerk"],
        nouns: &[("Gioco da tavolo", "Brettspiel"), ("Puzzle", "Puzzle"), ("Costruzioni", "Bausteine")] },
    Category { path: "sports/outdoor", code: "SPO", cents: (990, 49_900), perishable_percent: 0,
        units: &[], brands: &["Vetta", "Bergsport"],
        nouns: &[("Zaino", "Rucksack"), ("Tenda", "Zelt"), ("Bicicletta", "Fahrrad")] },
];

/// A category-wide campaign. Never an amount off or a fixed price: those are per product.
struct Campaign {
    id: &'static str,
    name: &'static str,
    categories: &'static [&'static str],
    /// `None`: both markets.
    market: Option<&'static str>,
    /// (month, day) of the first day, in `YEAR`.
    first: (u32, u32),
    days: u64,
    mechanic: CampaignMechanic,
    audience: Audience,
    priority: i32,
    exclusive: bool,
}

#[derive(Clone, Copy)]
enum CampaignMechanic {
    PercentOff(&'static str),
    MultiBuy(u32, u32),
}

use Audience::{Coupon, Everyone, Members};
use CampaignMechanic::{MultiBuy as BuyPay, PercentOff as Off};

#[rustfmt::skip]
const CAMPAIGNS: [Campaign; 6] = [
    Campaign { id: "BF26-ELECTRONICS", name: "Black Friday", categories: &["electronics"], market: None,
        first: (11, 27), days: 4, mechanic: Off("20"), audience: Everyone, priority: 30, exclusive: true },
    Campaign { id: "SALDI-ESTIVI-26", name: "Saldi estivi", categories: &["fashion"], market: Some("IT"),
        first: (7, 4), days: 42, mechanic: Off("30"), audience: Everyone, priority: 5, exclusive: false },
    Campaign { id: "SSV-26", name: "Sommerschlussverkauf", categories: &["fashion/clothing", "fashion/shoes", "sports"],
        market: Some("DE"), first: (7, 27), days: 14, mechanic: Off("25"), audience: Everyone, priority: 5, exclusive: false },
    Campaign { id: "FRUTTA-SOCI", name: "Frutta di stagione per i soci", categories: &["food/fruit"], market: Some("IT"),
        first: (5, 1), days: 31, mechanic: Off("10"), audience: Members, priority: 0, exclusive: false },
    Campaign { id: "GETRAENKE-3FUER2", name: "3 für 2 Getränke", categories: &["food/beverages"], market: Some("DE"),
        first: (6, 1), days: 30, mechanic: BuyPay(3, 2), audience: Everyone, priority: 0, exclusive: false },
    Campaign { id: "SCUOLA26", name: "Back to school", categories: &["toys", "electronics/computers"], market: None,
        first: (9, 1), days: 15, mechanic: Off("10"), audience: Coupon, priority: 0, exclusive: false },
];

/// (Italian, German) names of promotions, by month of start.
#[rustfmt::skip]
const MONTH_NAMES: [(&str, &str); 12] = [
    ("Saldi invernali", "Winterschlussverkauf"), ("San Valentino", "Valentinstag"),
    ("Primavera", "Frühlingsangebote"), ("Pasqua", "Ostern"), ("Festa della mamma", "Muttertag"),
    ("Inizio estate", "Sommerstart"), ("Saldi estivi", "Sommerschlussverkauf"),
    ("Ferragosto", "Ferienangebote"), ("Rientro", "Schulanfang"), ("Autunno", "Herbstangebote"),
    ("Black Week", "Black Week"), ("Natale", "Weihnachten"),
];

/// Times of the stock counts, early in the morning.
const COUNT_TIMES: [&str; 4] = ["T04:00:00Z", "T04:30:00Z", "T05:00:00Z", "T06:30:00Z"];

/// Which channels sell a product.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Reach {
    /// Every channel of both markets.
    Everywhere,
    /// Every channel of one market.
    Only(usize),
    /// Web, app, email, feed, marketplace and social of both markets.
    Online,
}

impl Reach {
    fn markets(self) -> &'static [usize] {
        match self {
            Reach::Everywhere | Reach::Online => &[0, 1],
            Reach::Only(0) => &[0],
            Reach::Only(_) => &[1],
        }
    }
}

/// Channel ids, computed once.
struct Layout {
    /// (kind, market, id) of every channel, in document order.
    channels: Vec<(ChannelKind, usize, String)>,
    /// Every channel of each market.
    by_market: [Vec<String>; 2],
    online: Vec<String>,
}

impl Layout {
    fn new() -> Layout {
        let mut channels = Vec::new();
        for (m, spec) in MARKETS.iter().enumerate() {
            for kind in REMOTE {
                channels.push((kind, m, format!("{kind}-{}", spec.suffix)));
            }
            for store in spec.stores {
                channels.push((ChannelKind::Store, m, store.to_owned()));
            }
        }
        let mut layout = Layout {
            channels,
            by_market: [vec![], vec![]],
            online: vec![],
        };
        layout.by_market = [0, 1].map(|m| layout.ids(|_, market| market == m));
        layout.online = layout.ids(|kind, _| {
            !matches!(
                kind,
                ChannelKind::Tv | ChannelKind::Print | ChannelKind::Store
            )
        });
        layout
    }

    fn ids(&self, keep: impl Fn(ChannelKind, usize) -> bool) -> Vec<String> {
        self.channels
            .iter()
            .filter(|(kind, m, _)| keep(*kind, *m))
            .map(|c| c.2.clone())
            .collect()
    }
}

/// Dates as the document writes them, formatted once: formatting would otherwise be most of the
/// cost of a large catalog. Days count from January 1st of `YEAR` and may be negative.
struct Calendar {
    /// Index of January 1st of `YEAR`.
    year_start: i64,
    /// `YYYY-MM-DD`.
    dates: Vec<String>,
    /// Local midnight of each date in RFC 3339, per market.
    midnights: [Vec<String>; 2],
}

impl Calendar {
    fn new() -> Calendar {
        let year_start = i64::from(LAUNCH_HISTORY_DAYS) + 1;
        let first = Calendar::naive(-year_start);
        let dates: Vec<NaiveDate> = first
            .iter_days()
            .take(year_start as usize + 2 * 366)
            .collect();
        let midnights = [0, 1].map(|m| {
            dates
                .iter()
                .map(|d| midnight(*d, MARKETS[m].zone))
                .collect()
        });
        Calendar {
            year_start,
            dates: dates.iter().map(|d| d.to_string()).collect(),
            midnights,
        }
    }

    fn naive(day: i64) -> NaiveDate {
        let first = NaiveDate::from_ymd_opt(YEAR, 1, 1).unwrap_or_default();
        let shifted = match u64::try_from(day) {
            Ok(after) => first.checked_add_days(Days::new(after)),
            Err(_) => first.checked_sub_days(Days::new(day.unsigned_abs())),
        };
        shifted.unwrap_or(first)
    }

    fn slot(&self, day: i64) -> Option<usize> {
        usize::try_from(self.year_start + day).ok()
    }

    /// `YYYY-MM-DD` of a day.
    fn date(&self, day: i64) -> String {
        match self.slot(day).and_then(|i| self.dates.get(i)) {
            Some(date) => date.clone(),
            None => Calendar::naive(day).to_string(),
        }
    }

    /// Local midnight at the start of a day in a market, in RFC 3339.
    fn midnight(&self, day: i64, market: usize) -> String {
        match self.slot(day).and_then(|i| self.midnights[market].get(i)) {
            Some(instant) => instant.clone(),
            None => midnight(Calendar::naive(day), MARKETS[market].zone),
        }
    }
}

/// Local midnight of `d` in RFC 3339 with the zone's offset.
fn midnight(d: NaiveDate, zone: Tz) -> String {
    match local_midnight(d, zone) {
        Some(t) => rfc3339_in(t, zone),
        None => format!("{d}T00:00:00Z"),
    }
}

/// Generates the catalog of `shape`. It always compiles; the same shape gives the same document.
///
/// ```
/// use unisono::synthetic::{catalog, Shape};
/// let doc = catalog(&Shape::new(20, 42));
/// assert_eq!(doc.products.len(), 20);
/// assert!(unisono::Catalog::compile(&doc).is_ok());
/// ```
pub fn catalog(shape: &Shape) -> CatalogDocument {
    let mut g = Generator {
        rng: SplitMix64::new(shape.seed),
        layout: Layout::new(),
        calendar: Calendar::new(),
        changes: shape.price_changes.min(LAST_CHANGE_DAY),
        days: Vec::new(),
    };
    let n = shape.products;
    let mut doc = CatalogDocument {
        markets: markets(),
        locations: locations(),
        channels: channels(&g.layout),
        products: Vec::with_capacity(n),
        prices: Vec::with_capacity(n * 2 * (g.changes as usize + 1) + n / 10),
        promotions: Vec::with_capacity(n * shape.promoted_percent as usize / 300 + 8),
        stock: Vec::with_capacity(n * 6),
        meta: Some(meta(shape)),
    };
    // GTINs are a seeded offset plus the product's index: unique below 10^10 products.
    let gtin_base = g.rng.below(10_000_000_000);
    let mut present = [false; CATEGORIES.len()];
    let mut group = Group::default();
    // Catalog v2 is drawn from a stream of its own: the v1 part of a document does not change.
    let mut v2 = SplitMix64::new(shape.seed ^ 0x0076_3200_0000_0002);
    for i in 0..n {
        let c = g.rng.below(CATEGORIES.len() as u64) as usize;
        present[c] = true;
        let reach = match g.rng.below(100) {
            0..75 => Reach::Everywhere,
            75..85 => Reach::Only(0),
            85..90 => Reach::Only(1),
            _ => Reach::Online,
        };
        let (product, launch_day) = g.product(&CATEGORIES[c], reach, i, gtin_base + i as u64);
        let first_price = doc.prices.len();
        let min_cents = g.prices(
            &CATEGORIES[c],
            reach,
            &product.sku,
            launch_day,
            &mut doc.prices,
        );
        let mut product = product;
        extras_v2(
            &mut v2,
            &g.calendar,
            i,
            &mut product,
            first_price,
            &mut doc.prices,
        );
        g.stock(reach, &product.sku, launch_day, &mut doc.stock);
        if g.rng.chance(u64::from(shape.promoted_percent)) {
            group.add(&mut g.rng, product.sku.clone(), min_cents);
            if group.is_full() {
                let number = doc.promotions.len() + 1;
                doc.promotions.push(group.promotion(&mut g, number));
            }
        }
        doc.products.push(product);
    }
    if !group.skus.is_empty() {
        let number = doc.promotions.len() + 1;
        doc.promotions.push(group.promotion(&mut g, number));
    }
    doc.promotions.extend(campaigns(&present, &g.calendar));
    doc
}

/// What catalog v2 adds to a product (CONTRACT §10–§12): now and then a family (of up to four
/// consecutive products, each its own variant), an RRP above its highest price in each market,
/// a volume price from 6 units and a `b2b` group price below its lowest, from January 1st on.
fn extras_v2(
    rng: &mut SplitMix64,
    calendar: &Calendar,
    i: usize,
    product: &mut ProductEntry,
    first_price: usize,
    prices: &mut Vec<PriceEntry>,
) {
    if rng.chance(12) {
        let mut family = String::from("FAM-");
        push_digits(&mut family, (i / 4) as u64, 1);
        product.family = Some(family);
        product.variant = Some([("sku".to_owned(), product.sku.clone())].into());
    }
    let (rrp, volume, group) = (rng.chance(15), rng.chance(6), rng.chance(6));
    if !(rrp || volume || group) {
        return;
    }
    let cents = |amount: &str| -> Option<u64> {
        let (whole, fraction) = amount.split(' ').next()?.split_once('.')?;
        Some(whole.parse::<u64>().ok()? * 100 + fraction.parse::<u64>().ok()?)
    };
    let mut by_market: Vec<(String, u64, u64)> = Vec::new();
    for entry in prices.get(first_price..).unwrap_or(&[]) {
        let Some(amount) = cents(&entry.amount) else {
            continue;
        };
        match by_market.iter_mut().find(|(m, _, _)| *m == entry.market) {
            Some((_, low, high)) => {
                *low = (*low).min(amount);
                *high = (*high).max(amount);
            }
            None => by_market.push((entry.market.clone(), amount, amount)),
        }
    }
    let extra =
        |market: &str, amount: u64, group: Option<&str>, min_quantity: Option<u32>| PriceEntry {
            sku: product.sku.clone(),
            market: market.to_owned(),
            channels: None,
            amount: money(amount.max(1)),
            from: calendar.date(0),
            until: None,
            group: group.map(str::to_owned),
            min_quantity,
            meta: None,
        };
    let mut rrps = std::collections::BTreeMap::new();
    for (market, low, high) in &by_market {
        if rrp {
            let above = 110 + rng.below(40);
            rrps.insert(market.clone(), money(high * above / 100));
        }
        if volume {
            prices.push(extra(market, low * 90 / 100, None, Some(6)));
        }
        if group {
            prices.push(extra(market, low * 85 / 100, Some("b2b"), None));
        }
    }
    if !rrps.is_empty() {
        product.rrp = Some(rrps);
    }
}

fn meta(shape: &Shape) -> Meta {
    let mut meta = Meta::new();
    meta.insert("generator".into(), "unisono::synthetic".into());
    meta.insert("products".into(), shape.products.into());
    meta.insert("seed".into(), shape.seed.into());
    meta.insert("price_changes".into(), shape.price_changes.into());
    meta.insert("promoted_percent".into(), shape.promoted_percent.into());
    meta
}

fn markets() -> Vec<MarketEntry> {
    MARKETS
        .iter()
        .map(|m| MarketEntry {
            id: m.id.to_owned(),
            currency: "EUR".to_owned(),
            time_zone: m.zone.name().to_owned(),
            locale: Some(m.locale.to_owned()),
            prices_include_tax: true,
            reference_price_days: Some(30),
            unit_price_required: m.unit_price_required,
            // Germany gets an anchor date (CONTRACT §12) shown on its web shop and app.
            anchor_price_date: (m.id == "DE").then(|| "2026-05-02".to_owned()),
            anchor_price_channels: (m.id == "DE").then(|| vec![ChannelKind::Web, ChannelKind::App]),
            meta: None,
        })
        .collect()
}

fn locations() -> Vec<LocationEntry> {
    let location = |id: &str, kind| LocationEntry {
        id: id.to_owned(),
        kind,
        meta: None,
    };
    MARKETS
        .iter()
        .flat_map(|m| {
            let stores = m
                .stores
                .iter()
                .map(move |s| location(s, LocationKind::Store));
            [location(m.warehouse, LocationKind::Warehouse)]
                .into_iter()
                .chain(stores)
        })
        .collect()
}

fn channels(layout: &Layout) -> Vec<ChannelEntry> {
    layout
        .channels
        .iter()
        .map(|(kind, m, id)| {
            let spec = &MARKETS[*m];
            let locations = match kind {
                ChannelKind::Store => vec![id.clone()],
                ChannelKind::Print => spec.stores.iter().map(|s| s.to_string()).collect(),
                _ => vec![spec.warehouse.to_owned()],
            };
            ChannelEntry {
                id: id.clone(),
                kind: *kind,
                market: spec.id.to_owned(),
                locations,
                meta: None,
            }
        })
        .collect()
}

/// The generator's state between products.
struct Generator {
    rng: SplitMix64,
    layout: Layout,
    calendar: Calendar,
    /// Price changes per product and market.
    changes: u32,
    /// Scratch list of days.
    days: Vec<u32>,
}

impl Generator {
    /// Product number `i`, and the day of `YEAR` from which it is sold (0 if launched before).
    fn product(
        &mut self,
        category: &Category,
        reach: Reach,
        i: usize,
        gtin_number: u64,
    ) -> (ProductEntry, u32) {
        let rng = &mut self.rng;
        let mut sku = String::with_capacity(12);
        sku.push_str(category.code);
        sku.push('-');
        push_digits(&mut sku, i as u64, 7);
        // GS1 prefixes 800-839 are Italy's, 400-440 Germany's.
        let prefix = if reach == Reach::Only(1) { "40" } else { "80" };
        let gtin = rng.chance(97).then(|| {
            let mut digits = String::with_capacity(13);
            digits.push_str(prefix);
            push_digits(&mut digits, gtin_number % 10_000_000_000, 10);
            let check = Gtin::check_digit(&digits).map_or(0, u64::from);
            push_digits(&mut digits, check, 1);
            digits
        });
        let brand = *rng.pick(category.brands);
        let (noun_it, noun_de) = *rng.pick(category.nouns);
        let quantity = (!category.units.is_empty()).then(|| *rng.pick(category.units));
        let mut variant = String::with_capacity(8);
        match quantity {
            Some((amount, measure)) => {
                variant.push_str(amount);
                variant.push(' ');
                variant.push_str(measure.symbol());
            }
            None => {
                variant.push(char::from(*rng.pick(b"ABCDEFGHKLMNPRSTVXZ")));
                push_digits(&mut variant, rng.between(1, 99), 1);
            }
        }
        let title = |noun: &str| [noun, brand, &variant].join(" ");
        let title = if rng.chance(20) {
            Title::ByLocale(
                [
                    ("de-DE".to_owned(), title(noun_de)),
                    ("it-IT".to_owned(), title(noun_it)),
                ]
                .into(),
            )
        } else if reach == Reach::Only(1) {
            Title::One(title(noun_de))
        } else {
            Title::One(title(noun_it))
        };
        let unit = match quantity {
            Some((amount, measure)) => Some(UnitEntry {
                quantity: amount.into(),
                measure,
            }),
            None => rng.chance(50).then(|| UnitEntry {
                quantity: "1".into(),
                measure: Measure::Item,
            }),
        };
        let (launched, launch_day) = match rng.below(100) {
            0..85 => (Some(-i64::from(1 + rng.below_u32(LAUNCH_HISTORY_DAYS))), 0),
            85..97 => {
                let day = rng.below_u32(300);
                (Some(i64::from(day)), day)
            }
            _ => (None, 0),
        };
        let home = usize::from(reach == Reach::Only(1));
        let channels = match reach {
            Reach::Everywhere => None,
            Reach::Only(m) => Some(self.layout.by_market[m].clone()),
            Reach::Online => Some(self.layout.online.clone()),
        };
        let entry = ProductEntry {
            sku,
            gtin,
            title,
            brand: Some(brand.to_owned()),
            category: Some(category.path.to_owned()),
            launched: launched.map(|day| self.calendar.midnight(day, home)),
            unit,
            perishable: rng.chance(category.perishable_percent),
            channels,
            family: None,
            variant: None,
            rrp: None,
            meta: None,
        };
        (entry, launch_day)
    }

    /// The price list of a product from its launch, in each of its markets: about `changes`
    /// market-wide changes, and now and then a store price. Returns its lowest price in cents.
    fn prices(
        &mut self,
        category: &Category,
        reach: Reach,
        sku: &str,
        launch_day: u32,
        out: &mut Vec<PriceEntry>,
    ) -> u64 {
        let drawn = self.rng.between(category.cents.0, category.cents.1);
        let first_cents = snap(&mut self.rng, drawn);
        let mut min_cents = u64::MAX;
        for &m in reach.markets() {
            // The second market's prices start between -5% and +10% of the first's.
            let base = if m == 0 {
                first_cents
            } else {
                let near = first_cents * self.rng.between(95, 110) / 100;
                snap(&mut self.rng, near)
            };
            let mut cents = base;
            min_cents = min_cents.min(cents);
            let mut from = launch_day;
            spread_days(
                &mut self.rng,
                launch_day + 7,
                LAST_CHANGE_DAY,
                self.changes,
                &mut self.days,
            );
            for k in 0..self.days.len() {
                let day = self.days[k];
                out.push(self.price(sku, m, None, cents, from, Some(day - 1)));
                cents = changed(&mut self.rng, cents);
                min_cents = min_cents.min(cents);
                from = day;
            }
            out.push(self.price(sku, m, None, cents, from, None));

            if reach != Reach::Online && self.rng.chance(5) {
                let stores = &MARKETS[m].stores;
                let mut only = vec![self.rng.pick(stores).to_string()];
                let other = *self.rng.pick(stores);
                if self.rng.chance(30) && only[0] != other {
                    only.push(other.to_owned());
                }
                let below = base * self.rng.between(88, 97) / 100;
                let cents = snap(&mut self.rng, below);
                min_cents = min_cents.min(cents);
                let from = launch_day + 1 + self.rng.below_u32(330_u32.saturating_sub(launch_day));
                let until = self
                    .rng
                    .chance(70)
                    .then(|| from + 13 + self.rng.below_u32(48));
                out.push(self.price(sku, m, Some(only), cents, from, until));
            }
        }
        min_cents
    }

    fn price(
        &self,
        sku: &str,
        market: usize,
        channels: Option<Vec<String>>,
        cents: u64,
        from: u32,
        until: Option<u32>,
    ) -> PriceEntry {
        PriceEntry {
            sku: sku.to_owned(),
            market: MARKETS[market].id.to_owned(),
            channels,
            amount: money(cents),
            from: self.calendar.date(i64::from(from)),
            // A local date as an end means the end of that day.
            until: until.map(|day| self.calendar.date(i64::from(day))),
            group: None,
            min_quantity: None,
            meta: None,
        }
    }

    /// Two or three stock counts of a product at the warehouse of each of its markets, and
    /// sometimes at a store.
    fn stock(&mut self, reach: Reach, sku: &str, launch_day: u32, out: &mut Vec<StockSnapshot>) {
        for &m in reach.markets() {
            let spec = &MARKETS[m];
            let store = (reach != Reach::Online && self.rng.chance(30))
                .then(|| *self.rng.pick(&spec.stores));
            for location in [spec.warehouse].into_iter().chain(store) {
                let count = 2 + self.rng.below_u32(2);
                let first = launch_day + self.rng.below_u32(10);
                spread_days(
                    &mut self.rng,
                    first + 30,
                    LAST_CHANGE_DAY,
                    count - 1,
                    &mut self.days,
                );
                self.days.insert(0, first);
                for k in 0..self.days.len() {
                    let rng = &mut self.rng;
                    let on_hand = match rng.below(100) {
                        0..10 => 0,
                        10..25 => rng.between(1, 5),
                        _ => rng.between(6, 250),
                    };
                    // Now and then more is promised than is there.
                    let reserved = if rng.chance(3) {
                        on_hand + rng.between(1, 5)
                    } else {
                        rng.below(on_hand / 3 + 1)
                    };
                    let mut as_of = self.calendar.date(i64::from(self.days[k]));
                    let time = *rng.pick(&COUNT_TIMES);
                    as_of.push_str(time);
                    out.push(StockSnapshot {
                        sku: sku.to_owned(),
                        location: location.to_owned(),
                        // Both below 256.
                        on_hand: on_hand as i64,
                        reserved: reserved as i64,
                        as_of,
                        meta: None,
                    });
                }
            }
        }
    }
}

/// Appends `n` in decimal, left-padded with zeros to `width` digits.
fn push_digits(out: &mut String, mut n: u64, width: usize) {
    let mut digits = [b'0'; 20];
    let mut start = digits.len();
    loop {
        start -= 1;
        // A remainder by 10 is a digit.
        digits[start] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    let start = start.min(digits.len().saturating_sub(width));
    out.extend(digits[start..].iter().map(|&d| char::from(d)));
}

/// `count` distinct days in `lo..hi`, increasing, one in each of `count` equal slots.
fn spread_days(rng: &mut SplitMix64, lo: u32, hi: u32, count: u32, out: &mut Vec<u32>) {
    out.clear();
    if lo >= hi || count == 0 {
        return;
    }
    let count = count.min(hi - lo);
    let slot = (hi - lo) / count;
    out.extend((0..count).map(|i| lo + i * slot + rng.below_u32(slot)));
}

/// A shelf price near `cents`: whole units and .99, .90, .49 or .00.
fn snap(rng: &mut SplitMix64, cents: u64) -> u64 {
    let snapped = (cents / 100) * 100 + rng.pick(&[99_u64, 99, 90, 49, 0]);
    if snapped == 0 { 99 } else { snapped }
}

/// A new price: up 5 to 15 per cent or down 5 to 20, and never the same.
fn changed(rng: &mut SplitMix64, cents: u64) -> u64 {
    let percent = *rng.pick(&[80_u64, 85, 90, 95, 105, 108, 110, 115]);
    let next = snap(rng, cents * percent / 100);
    if next == cents { cents + 100 } else { next }
}

/// `"12.34 EUR"`.
fn money(cents: u64) -> String {
    let mut out = String::with_capacity(16);
    push_digits(&mut out, cents / 100, 1);
    out.push('.');
    push_digits(&mut out, cents % 100, 2);
    out.push_str(" EUR");
    out
}

/// Products waiting for their SKU promotion.
#[derive(Default)]
struct Group {
    skus: Vec<String>,
    /// The lowest price any of them ever has: an amount off stays below it.
    min_cents: u64,
    size: usize,
}

impl Group {
    fn add(&mut self, rng: &mut SplitMix64, sku: String, min_cents: u64) {
        if self.skus.is_empty() {
            self.size = rng.between(1, 6) as usize;
            self.min_cents = min_cents;
        }
        self.min_cents = self.min_cents.min(min_cents);
        self.skus.push(sku);
    }

    fn is_full(&self) -> bool {
        self.skus.len() >= self.size
    }

    /// The promotion of the products gathered so far, which it takes.
    fn promotion(&mut self, g: &mut Generator, number: usize) -> PromotionEntry {
        let rng = &mut g.rng;
        let market = match rng.below(100) {
            0..40 => None,
            40..75 => Some(0),
            _ => Some(1),
        };
        let channels = rng.chance(45).then(|| {
            let kinds = *rng.pick(&PROMOTION_CHANNELS);
            g.layout
                .ids(|kind, m| kinds.contains(&kind) && market.is_none_or(|x| x == m))
        });
        let audience = match rng.below(100) {
            0..70 => Audience::Everyone,
            70..88 => Audience::Members,
            _ => Audience::Coupon,
        };
        let min = self.min_cents;
        let mechanic = match rng.below(100) {
            0..40 => {
                let percent = *rng.pick(&["10", "15", "20", "25", "30", "40", "50", "12.5"]);
                MechanicEntry::PercentOff(percent.into())
            }
            40..55 if min > 1 => {
                // Whole euros where the prices allow, always below the lowest price.
                let off = min * rng.between(10, 40) / 100;
                let off = if off >= 100 {
                    off / 100 * 100
                } else {
                    off.max(1)
                };
                MechanicEntry::AmountOff(money(off))
            }
            55..70 => {
                let below = min * rng.between(70, 90) / 100;
                MechanicEntry::FixedPrice(money(snap(rng, below)))
            }
            _ => {
                let (buy, pay) = *rng.pick(&[(3, 2), (2, 1), (4, 3)]);
                MechanicEntry::MultiBuy(MultiBuy { buy, pay })
            }
        };
        let first = rng.between(31, 340) as i64;
        let days = rng.between(2, 28) as i64;
        let open_ended = audience == Audience::Members && rng.chance(10);
        let month = Calendar::naive(first).month0() as usize;
        let name = match market {
            Some(1) => MONTH_NAMES[month].1,
            _ => MONTH_NAMES[month].0,
        };
        let mut id = String::from(if audience == Audience::Coupon {
            "CPN"
        } else {
            "PR"
        });
        push_digits(&mut id, number as u64, 6);
        let zone = market.unwrap_or(0);
        PromotionEntry {
            id,
            name: Some(name.to_owned()),
            markets: market.map(|m| vec![MARKETS[m].id.to_owned()]),
            channels,
            skus: std::mem::take(&mut self.skus),
            categories: vec![],
            from: g.calendar.midnight(first, zone),
            until: (!open_ended).then(|| g.calendar.midnight(first + days, zone)),
            mechanic,
            audience,
            priority: *rng.pick(&[0, 0, 5, 10, 20]),
            exclusive: rng.chance(15),
            meta: None,
        }
    }
}

/// The campaigns, each on those of its categories that have products.
fn campaigns(present: &[bool; CATEGORIES.len()], calendar: &Calendar) -> Vec<PromotionEntry> {
    let has_products = |category: &str| {
        CATEGORIES.iter().zip(present).any(|(c, &p)| {
            let rest = c.path.strip_prefix(category);
            p && rest.is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        })
    };
    let mut out = Vec::new();
    for c in &CAMPAIGNS {
        let categories: Vec<String> = c
            .categories
            .iter()
            .filter(|path| has_products(path))
            .map(|path| path.to_string())
            .collect();
        let first = NaiveDate::from_ymd_opt(YEAR, c.first.0, c.first.1);
        let Some(first) = first.filter(|_| !categories.is_empty()) else {
            continue;
        };
        let first = i64::from(first.ordinal0());
        let zone = MARKETS.iter().position(|m| Some(m.id) == c.market);
        out.push(PromotionEntry {
            id: c.id.to_owned(),
            name: Some(c.name.to_owned()),
            markets: c.market.map(|m| vec![m.to_owned()]),
            channels: None,
            skus: vec![],
            categories,
            from: calendar.midnight(first, zone.unwrap_or(0)),
            until: Some(calendar.midnight(first + c.days as i64, zone.unwrap_or(0))),
            mechanic: match c.mechanic {
                Off(percent) => MechanicEntry::PercentOff(percent.into()),
                BuyPay(buy, pay) => MechanicEntry::MultiBuy(MultiBuy { buy, pay }),
            },
            audience: c.audience.clone(),
            priority: c.priority,
            exclusive: c.exclusive,
            meta: None,
        });
    }
    // A loyalty tier's promotion (CONTRACT §11): gold members get 5% off home goods in autumn.
    if has_products("home") {
        out.push(PromotionEntry {
            id: "GOLD-CASA-26".to_owned(),
            name: Some("Gold: casa".to_owned()),
            markets: None,
            channels: None,
            skus: vec![],
            categories: vec!["home".to_owned()],
            from: calendar.midnight(243, 0),
            until: Some(calendar.midnight(334, 0)),
            mechanic: MechanicEntry::PercentOff("5".into()),
            audience: Audience::Tier("gold".to_owned()),
            priority: 0,
            exclusive: false,
            meta: None,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use super::*;
    use crate::Catalog;

    #[test]
    fn every_shape_compiles() {
        for products in [0, 1, 7, 120, 3000] {
            for seed in [0, 1, 42, u64::MAX] {
                let mut shape = Shape::new(products, seed);
                let doc = catalog(&shape);
                assert_eq!(doc.products.len(), products);
                if let Err(e) = Catalog::compile(&doc) {
                    panic!("{products} products, seed {seed}: {e:?}");
                }
                // A change a day, everything promoted; no change, nothing promoted.
                if products <= 120 {
                    shape.price_changes = 400;
                    shape.promoted_percent = 100;
                    if let Err(e) = Catalog::compile(&catalog(&shape)) {
                        panic!("{shape:?}: {e:?}");
                    }
                }
                shape.price_changes = 0;
                shape.promoted_percent = 0;
                if let Err(e) = Catalog::compile(&catalog(&shape)) {
                    panic!("{shape:?}: {e:?}");
                }
            }
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_document() {
        let json = |seed| serde_json::to_string(&catalog(&Shape::new(500, seed))).unwrap();
        assert_eq!(json(9), json(9));
        assert_ne!(json(9), json(10));
    }

    #[test]
    fn dates_and_amounts_are_written_as_the_contract_says() {
        let calendar = Calendar::new();
        assert_eq!(calendar.date(0), "2026-01-01");
        assert_eq!(calendar.date(-1), "2025-12-31");
        assert_eq!(calendar.date(364), "2026-12-31");
        assert_eq!(calendar.midnight(330, 0), "2026-11-27T00:00:00+01:00");
        assert_eq!(calendar.midnight(180, 1), "2026-06-30T00:00:00+02:00");
        assert_eq!(calendar.date(10_000), "2053-05-19");
        assert_eq!(money(89_999), "899.99 EUR");
        assert_eq!(money(5), "0.05 EUR");
        assert_eq!(money(100), "1.00 EUR");
    }

    #[test]
    fn the_shape_is_that_of_a_retailer() {
        let doc = catalog(&Shape::new(3000, 5));
        let markets: Vec<&str> = doc.markets.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(markets, ["IT", "DE"]);
        for market in markets {
            let kinds: BTreeSet<ChannelKind> = doc
                .channels
                .iter()
                .filter(|c| c.market == market)
                .map(|c| c.kind)
                .collect();
            assert_eq!(kinds.len(), 9, "{market}: {kinds:?}");
        }
        let measures: BTreeSet<&str> = doc
            .products
            .iter()
            .filter_map(|p| p.unit.as_ref())
            .map(|u| u.measure.symbol())
            .collect();
        assert_eq!(measures, BTreeSet::from(["g", "item", "kg", "l", "ml"]));
        let perishable = doc.products.iter().filter(|p| p.perishable).count();
        assert!((200..500).contains(&perishable), "{perishable}");
        // Four entries per product and market, and a few store prices.
        let per_product = doc.prices.len() as f64 / 3000.0;
        assert!((7.0..8.0).contains(&per_product), "{per_product}");
        assert!(doc.prices.iter().filter(|p| p.channels.is_some()).count() > 100);
        let promoted: BTreeSet<&str> = doc
            .promotions
            .iter()
            .flat_map(|p| &p.skus)
            .map(String::as_str)
            .collect();
        assert!((240..360).contains(&promoted.len()), "{}", promoted.len());
        let mechanics: BTreeSet<&str> = doc
            .promotions
            .iter()
            .map(|p| match p.mechanic {
                MechanicEntry::PercentOff(_) => "percent_off",
                MechanicEntry::AmountOff(_) => "amount_off",
                MechanicEntry::FixedPrice(_) => "fixed_price",
                MechanicEntry::MultiBuy(_) => "multi_buy",
            })
            .collect();
        assert_eq!(mechanics.len(), 4);
        let audiences: BTreeSet<String> = doc
            .promotions
            .iter()
            .map(|p| format!("{:?}", p.audience))
            .collect();
        // Everyone, members, coupon, and the gold tier of v2.
        assert_eq!(audiences.len(), 4);
        assert!(doc.promotions.iter().any(|p| p.exclusive));
        let campaigns = doc.promotions.iter().filter(|p| !p.categories.is_empty());
        assert_eq!(campaigns.count(), CAMPAIGNS.len() + 1);
        // Catalog v2: families, RRPs, volume and group prices.
        let families = doc.products.iter().filter(|p| p.family.is_some()).count();
        assert!((240..480).contains(&families), "{families}");
        let rrps = doc.products.iter().filter(|p| p.rrp.is_some()).count();
        assert!((300..600).contains(&rrps), "{rrps}");
        assert!(doc.prices.iter().any(|p| p.min_quantity == Some(6)));
        assert!(doc.prices.iter().any(|p| p.group.as_deref() == Some("b2b")));
        // Two or three counts per product and location.
        let mut counts: BTreeMap<(&str, &str), usize> = BTreeMap::new();
        for s in &doc.stock {
            *counts.entry((&s.sku, &s.location)).or_default() += 1;
        }
        assert!(counts.values().all(|c| (2..=3).contains(c)));
        assert!(counts.len() > 6000, "{}", counts.len());
    }
}
