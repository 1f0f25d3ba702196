//! The canonical catalog: compiled once from a [`CatalogDocument`], then queried many times.
//!
//! Compiling checks every reference, window, amount and GTIN and reports every problem at once,
//! each with its JSON path. The compiled [`Catalog`] is immutable and `Send + Sync`: ids are
//! interned, each product keeps its price spans sorted by time per market and channel, and its
//! promotions pre-sorted in stacking order, so an offer is a few binary searches.

pub(crate) mod compile;
pub mod document;
mod error;
mod lint;
mod skus;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use rust_decimal::Decimal;
use rustc_hash::FxHashMap;

use crate::gtin::Gtin;
use crate::money::{Currency, Money};
use crate::time::Window;

pub use document::{
    Audience, CatalogDocument, ChannelKind, LocationKind, Measure, MultiBuy, Title,
};
pub use error::{CatalogError, Problem, ProblemKind};

/// Index of a market in its catalog.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MarketKey(pub(crate) u32);
/// Index of a channel in its catalog.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ChannelKey(pub(crate) u32);
/// Index of a location in its catalog.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LocationKey(pub(crate) u32);
/// Index of a product in its catalog.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ProductKey(pub(crate) u32);
/// Index of a promotion in its catalog.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PromotionKey(pub(crate) u32);

/// A market, compiled.
#[derive(Debug, Clone)]
pub struct Market {
    /// Its id.
    pub id: String,
    /// Its currency.
    pub currency: Currency,
    /// Its time zone.
    pub time_zone: Tz,
    /// Its locale, if given.
    pub locale: Option<String>,
    /// Whether amounts include tax.
    pub prices_include_tax: bool,
    /// The Omnibus prior-price window in days, if the market has the rule.
    pub reference_price_days: Option<u32>,
    /// Whether unit prices are required beside prices of goods sold by quantity.
    pub unit_price_required: bool,
}

/// A location, compiled.
#[derive(Debug, Clone)]
pub struct Location {
    /// Its id.
    pub id: String,
    /// Warehouse or store.
    pub kind: LocationKind,
}

/// A channel, compiled.
#[derive(Debug, Clone)]
pub struct Channel {
    /// Its id.
    pub id: String,
    /// Its kind.
    pub kind: ChannelKind,
    /// Its market.
    pub market: MarketKey,
    /// The locations whose stock it sells, without repeats.
    pub locations: Vec<LocationKey>,
}

/// A product, compiled.
#[derive(Debug, Clone)]
pub struct Product {
    /// Its SKU.
    pub sku: String,
    /// Its GTIN, if any.
    pub gtin: Option<Gtin>,
    /// Its title.
    pub title: Title,
    /// Its brand.
    pub brand: Option<String>,
    /// Its category path.
    pub category: Option<String>,
    /// Its launch instant.
    pub launched: Option<DateTime<Utc>>,
    /// Its net quantity.
    pub unit: Option<Unit>,
    /// Whether it is perishable (exempt from the prior-price rule).
    pub perishable: bool,
    /// The channels that sell it, sorted; `None` = every channel. Equal lists are shared.
    pub assortment: Option<std::sync::Arc<[ChannelKey]>>,
}

/// A net quantity: `0.5 kg`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unit {
    /// Positive.
    pub quantity: Decimal,
    /// Its measure.
    pub measure: Measure,
}

/// What a promotion does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mechanic {
    /// A percentage off the price, `0 < p < 100`.
    PercentOff(Decimal),
    /// An amount off the price.
    AmountOff(Money),
    /// The price becomes this amount (never raised by it).
    FixedPrice(Money),
    /// Buy `buy`, pay `pay`: leaves the unit price unchanged.
    MultiBuy(MultiBuy),
}

/// A promotion, compiled.
#[derive(Debug, Clone)]
pub struct Promotion {
    /// Its id (and code, for coupons).
    pub id: String,
    /// Its name.
    pub name: Option<String>,
    /// Its markets; `None` = every market.
    pub markets: Option<Vec<MarketKey>>,
    /// Its channels; `None` = every channel of its markets.
    pub channels: Option<Vec<ChannelKey>>,
    /// When it runs.
    pub window: Window,
    /// What it does.
    pub mechanic: Mechanic,
    /// Who gets it.
    pub audience: Audience,
    /// Higher applies first.
    pub priority: i32,
    /// Applies alone.
    pub exclusive: bool,
}

impl Promotion {
    /// Whether it runs on `channel` (of `market`), whatever the time.
    pub fn covers_channel(&self, channel: ChannelKey, market: MarketKey) -> bool {
        self.markets.as_ref().is_none_or(|m| m.contains(&market))
            && self.channels.as_ref().is_none_or(|c| c.contains(&channel))
    }
}

/// One price list entry as it applies to one product and market: the same amount over a window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PriceSpan {
    /// When it applies.
    pub window: Window,
    /// The amount.
    pub amount: Money,
    /// Its index in the document's `prices`.
    pub entry: u32,
    /// Whether the entry names channels (and so wins over market-wide entries on them).
    pub channel_specific: bool,
}

/// A range of one of the catalog-wide arrays of [`Store`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Run {
    pub(crate) start: u32,
    pub(crate) end: u32,
}

impl Run {
    pub(crate) fn new(start: usize, end: usize) -> Run {
        // Arrays are limited far below 2^32 entries by memory long before this could truncate.
        Run {
            start: u32::try_from(start).unwrap_or(u32::MAX),
            end: u32::try_from(end).unwrap_or(u32::MAX),
        }
    }

    pub(crate) fn of<T>(self, items: &[T]) -> &[T] {
        items
            .get(self.start as usize..self.end as usize)
            .unwrap_or(&[])
    }
}

/// The prices of one product in one market: market-wide spans, and the channel-specific lists.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PriceBook {
    pub(crate) market: MarketKey,
    /// Into `Store::spans`, sorted by start, never overlapping.
    pub(crate) market_wide: Run,
    /// Into `Store::channel_spans`, sorted by channel.
    pub(crate) channels: Run,
}

/// The channel-specific spans of one product on one channel.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ChannelSpans {
    pub(crate) channel: ChannelKey,
    /// Into `Store::spans`, sorted by start, never overlapping.
    pub(crate) spans: Run,
}

/// The stock counts of one product at one location.
#[derive(Debug, Clone, Copy)]
pub(crate) struct StockRun {
    pub(crate) location: LocationKey,
    /// Into `Store::snapshots`, sorted by `as_of`.
    pub(crate) snapshots: Run,
}

/// Where one product's data lies in the [`Store`].
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct ProductIndex {
    /// Into `Store::books`, sorted by market.
    pub(crate) books: Run,
    /// Into `Store::promotions`: the promotions targeting it, in stacking order (priority high
    /// first, then id).
    pub(crate) promotions: Run,
    /// Into `Store::stock`, sorted by location.
    pub(crate) stock: Run,
    /// Into `Store::assortments`; `None` = every channel.
    pub(crate) assortment: Option<u32>,
}

/// Catalog-wide arrays, each product's data contiguous and in product order: an offer touches a few
/// cache lines instead of chasing a pointer per list.
#[derive(Debug, Clone, Default)]
pub(crate) struct Store {
    pub(crate) books: Vec<PriceBook>,
    pub(crate) channel_spans: Vec<ChannelSpans>,
    pub(crate) spans: Vec<PriceSpan>,
    pub(crate) promotions: Vec<PromotionKey>,
    pub(crate) stock: Vec<StockRun>,
    /// `(as_of, max(0, on_hand - reserved))`.
    pub(crate) snapshots: Vec<(DateTime<Utc>, u64)>,
    /// The distinct assortments, each sorted.
    pub(crate) assortments: Vec<std::sync::Arc<[ChannelKey]>>,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Ids {
    pub(crate) markets: FxHashMap<Box<str>, MarketKey>,
    pub(crate) locations: FxHashMap<Box<str>, LocationKey>,
    pub(crate) channels: FxHashMap<Box<str>, ChannelKey>,
    pub(crate) skus: skus::SkuMap,
    pub(crate) gtins: FxHashMap<Gtin, ProductKey>,
    pub(crate) promotions: FxHashMap<Box<str>, PromotionKey>,
}

/// The compiled, immutable catalog. Cheap to share between threads (`Send + Sync`).
///
/// ```
/// let catalog = unisono::Catalog::from_json(r#"{
///   "markets": [{"id": "IT", "currency": "EUR", "time_zone": "Europe/Rome", "reference_price_days": 30}],
///   "channels": [{"id": "web-it", "kind": "web", "market": "IT"}],
///   "products": [{"sku": "LAPTOP-14", "title": "Notebook Acme 14"}],
///   "prices": [{"sku": "LAPTOP-14", "market": "IT", "amount": "899.00 EUR", "from": "2026-01-01T00:00:00+01:00"}]
/// }"#)?;
/// let offer = catalog.offer("LAPTOP-14", "web-it", unisono::time::parse_instant("2026-11-28T10:00:00+01:00")?)?;
/// assert_eq!(offer.price.to_string(), "899.00 EUR");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Catalog {
    pub(crate) markets: Vec<Market>,
    pub(crate) locations: Vec<Location>,
    pub(crate) channels: Vec<Channel>,
    pub(crate) products: Vec<Product>,
    pub(crate) promotions: Vec<Promotion>,
    pub(crate) index: Vec<ProductIndex>,
    pub(crate) store: Store,
    pub(crate) ids: Ids,
    pub(crate) lints: Vec<Problem>,
}

impl Catalog {
    /// Reads and compiles a catalog document (CONTRACT §2). Each entry is compiled as it is read
    /// (see [`Catalog::from_reader`]).
    ///
    /// # Errors
    /// [`CatalogError::Syntax`] for JSON that is not a catalog document (with line, column and path),
    /// [`CatalogError::Invalid`] listing every problem found while compiling.
    pub fn from_json(text: &str) -> Result<Catalog, CatalogError> {
        crate::read::catalog::from_str(text)
    }

    /// Reads and compiles a catalog document (CONTRACT §2) from a reader, a file or standard input,
    /// without holding its text: each entry is compiled as it is read and dropped, so memory grows
    /// with the compiled catalog only (below the size of the JSON). The reader is buffered here.
    ///
    /// Entries are compiled as they come when each section follows those it refers to (markets,
    /// locations, channels, products, then prices, promotions, stock); a section that comes before
    /// them is kept until the end. The catalog and the errors are those of [`Catalog::from_json`].
    ///
    /// ```
    /// let file = std::fs::File::open("examples/data/catalog.json")?;
    /// let catalog = unisono::Catalog::from_reader(file)?;
    /// assert!(catalog.product("LAPTOP-14").is_some());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// As [`Catalog::from_json`]: [`CatalogError::Syntax`] (with line, column and path),
    /// [`CatalogError::Invalid`] listing every problem. A reader that fails is a
    /// [`CatalogError::Syntax`] at path `.`, line and column 0, naming the failure.
    pub fn from_reader(reader: impl std::io::Read) -> Result<Catalog, CatalogError> {
        crate::read::catalog::from_reader(reader, None)
    }

    /// [`Catalog::from_reader`] for a document of about `size` bytes (a file's length): the
    /// compiled catalog's tables are sized from it as each section begins, rather than grown as
    /// its entries come, which on a large catalog saves much of the time spent copying and in the
    /// kernel. The size is a hint: a wrong one costs time or address space, never a different
    /// catalog or error.
    ///
    /// ```
    /// let file = std::fs::File::open("examples/data/catalog.json")?;
    /// let size = file.metadata()?.len();
    /// let catalog = unisono::Catalog::from_reader_sized(file, size)?;
    /// assert!(catalog.product("LAPTOP-14").is_some());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// As [`Catalog::from_reader`].
    #[doc(hidden)]
    pub fn from_reader_sized(
        reader: impl std::io::Read,
        size: u64,
    ) -> Result<Catalog, CatalogError> {
        let size = size.min(crate::limits::MAX_DOCUMENT_BYTES as u64);
        crate::read::catalog::from_reader(reader, Some(size))
    }

    /// Compiles a document already in memory.
    ///
    /// # Errors
    /// [`CatalogError::Invalid`] listing every problem, each with its path.
    pub fn compile(document: &CatalogDocument) -> Result<Catalog, CatalogError> {
        compile::compile(document)
    }

    /// Advice that does not stop the catalog from compiling (a product with no price, a promotion that
    /// targets nothing, a channel with no location), sorted by path.
    pub fn lints(&self) -> &[Problem] {
        &self.lints
    }

    /// From the first to the last instant the catalog names (a price or promotion starting or ending,
    /// a stock count); open-ended when a price or promotion is. `None` for a catalog with none.
    ///
    /// ```
    /// let catalog = unisono::Catalog::from_json(include_str!("../../examples/data/catalog.json"))?;
    /// let span = catalog.span().expect("the demo has prices");
    /// assert_eq!(span.from, unisono::time::parse_instant("2026-01-01T00:00:00+01:00")?);
    /// assert_eq!(span.until, None); // the price lists are open-ended
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn span(&self) -> Option<Window> {
        let windows = self
            .store
            .spans
            .iter()
            .map(|s| s.window)
            .chain(self.promotions.iter().map(|p| p.window));
        let counts = self
            .store
            .snapshots
            .iter()
            .map(|(t, _)| Window::new(*t, Some(*t)));
        let mut span: Option<Window> = None;
        for w in windows.chain(counts) {
            span = Some(match span {
                None => w,
                Some(s) => Window::new(
                    s.from.min(w.from),
                    match (s.until, w.until) {
                        (Some(a), Some(b)) => Some(a.max(b)),
                        _ => None,
                    },
                ),
            });
        }
        span
    }

    /// The market with this id.
    pub fn market(&self, id: &str) -> Option<&Market> {
        self.ids.markets.get(id).map(|&k| self.market_at(k))
    }

    /// The channel with this id.
    pub fn channel(&self, id: &str) -> Option<&Channel> {
        self.channel_key(id).map(|k| self.channel_at(k))
    }

    /// The product with this SKU.
    pub fn product(&self, sku: &str) -> Option<&Product> {
        self.product_key(sku).map(|k| self.product_at(k))
    }

    /// The product with this GTIN (any length; compared as GTIN-14).
    pub fn product_by_gtin(&self, gtin: Gtin) -> Option<&Product> {
        self.ids.gtins.get(&gtin).map(|&k| self.product_at(k))
    }

    /// The promotion with this id.
    pub fn promotion(&self, id: &str) -> Option<&Promotion> {
        self.ids.promotions.get(id).map(|&k| self.promotion_at(k))
    }

    /// The location with this id.
    pub fn location(&self, id: &str) -> Option<&Location> {
        self.ids.locations.get(id).map(|&k| self.location_at(k))
    }

    /// Every market, in document order.
    pub fn markets(&self) -> &[Market] {
        &self.markets
    }

    /// Every channel, in document order.
    pub fn channels(&self) -> &[Channel] {
        &self.channels
    }

    /// Every product, in document order.
    pub fn products(&self) -> &[Product] {
        &self.products
    }

    /// Every promotion, in document order.
    pub fn promotions(&self) -> &[Promotion] {
        &self.promotions
    }

    /// Every location, in document order.
    pub fn locations(&self) -> &[Location] {
        &self.locations
    }

    /// The key of a channel id.
    pub fn channel_key(&self, id: &str) -> Option<ChannelKey> {
        self.ids.channels.get(id).copied()
    }

    /// The key of a location id.
    pub fn location_key(&self, id: &str) -> Option<LocationKey> {
        self.ids.locations.get(id).copied()
    }

    /// The key of a SKU.
    pub fn product_key(&self, sku: &str) -> Option<ProductKey> {
        self.ids.skus.get(sku)
    }

    /// The key of a GTIN.
    pub fn product_key_by_gtin(&self, gtin: Gtin) -> Option<ProductKey> {
        self.ids.gtins.get(&gtin).copied()
    }

    /// The key of a promotion id.
    pub fn promotion_key(&self, id: &str) -> Option<PromotionKey> {
        self.ids.promotions.get(id).copied()
    }

    // Keys are minted by this catalog and index its own arrays; a key of another catalog is a caller
    // bug, documented under `# Panics` below, not something input can cause.

    /// The market of a key from this catalog.
    ///
    /// # Panics
    /// If the key comes from another catalog with more markets.
    #[allow(clippy::indexing_slicing)]
    pub fn market_at(&self, key: MarketKey) -> &Market {
        &self.markets[key.0 as usize]
    }

    /// The channel of a key from this catalog.
    ///
    /// # Panics
    /// If the key comes from another catalog with fewer channels.
    #[allow(clippy::indexing_slicing)]
    pub fn channel_at(&self, key: ChannelKey) -> &Channel {
        &self.channels[key.0 as usize]
    }

    /// The product of a key from this catalog.
    ///
    /// # Panics
    /// If the key comes from another catalog with fewer products.
    #[allow(clippy::indexing_slicing)]
    pub fn product_at(&self, key: ProductKey) -> &Product {
        &self.products[key.0 as usize]
    }

    /// The promotion of a key from this catalog.
    ///
    /// # Panics
    /// If the key comes from another catalog with fewer promotions.
    #[allow(clippy::indexing_slicing)]
    pub fn promotion_at(&self, key: PromotionKey) -> &Promotion {
        &self.promotions[key.0 as usize]
    }

    /// The location of a key from this catalog.
    ///
    /// # Panics
    /// If the key comes from another catalog with fewer locations.
    #[allow(clippy::indexing_slicing)]
    pub fn location_at(&self, key: LocationKey) -> &Location {
        &self.locations[key.0 as usize]
    }

    /// Whether the product is in the channel's assortment.
    pub fn is_listed(&self, product: ProductKey, channel: ChannelKey) -> bool {
        // The compact index, not the product record: one cache line less per offer.
        match self.index_at(product).assortment {
            None => true,
            Some(a) => self
                .store
                .assortments
                .get(a as usize)
                .is_some_and(|a| a.binary_search(&channel).is_ok()),
        }
    }

    fn index_at(&self, key: ProductKey) -> ProductIndex {
        self.index.get(key.0 as usize).copied().unwrap_or_default()
    }

    /// Reads the first of a product's records that a check reads, so that they are in cache by
    /// the time it is checked: a validator calls it for a product a few renderings ahead (the
    /// catalog is far bigger than the CPU's cache, and a check is mostly waiting for memory
    /// otherwise). Level 0 reads the product and its index; level 1, once they are in cache, the
    /// heads of its price books, spans, promotions and stock, and its title. The sum read means nothing:
    /// it is only there so that the reads are made.
    pub(crate) fn touch(&self, key: ProductKey, level: u8) -> u64 {
        let first = |run: Run| u64::from(run.start);
        match level {
            0 => {
                let product = self.products.get(key.0 as usize).map_or(0, |p| p.sku.len());
                let index = self.index_at(key);
                (product as u64)
                    .wrapping_add(first(index.books))
                    .wrapping_add(first(index.stock))
            }
            _ => {
                let index = self.index_at(key);
                // A product has a book per market and a run per stock location, each with data
                // of its own: the first few of each, as the check's channel picks one of them.
                let books = index.books.of(&self.store.books).iter().take(3);
                let spans: u64 = books
                    .map(|b| {
                        let spans = b.market_wide.of(&self.store.spans).first();
                        let channels = b.channels.of(&self.store.channel_spans).first();
                        spans.map_or(0_u64, |s| s.entry.into())
                            + channels.map_or(0_u64, |c| c.channel.0.into())
                    })
                    .fold(0, u64::wrapping_add);
                let runs = index.stock.of(&self.store.stock).iter().take(4);
                let snapshots: u64 = runs
                    .filter_map(|r| r.snapshots.of(&self.store.snapshots).first())
                    .fold(0, |sum, (_, units)| sum.wrapping_add(*units));
                let promotion = index.promotions.of(&self.store.promotions).first();
                // The title's text, which a title claim is compared with.
                let title = match self.products.get(key.0 as usize).map(|p| &p.title) {
                    Some(Title::One(title)) => title.bytes().next().map_or(0, u64::from),
                    _ => 0,
                };
                title
                    .wrapping_add(spans)
                    .wrapping_add(snapshots)
                    .wrapping_add(promotion.map_or(0, |p| p.0.into()))
            }
        }
    }

    /// The product's price books, by market.
    pub(crate) fn books_of(&self, key: ProductKey) -> &[PriceBook] {
        self.index_at(key).books.of(&self.store.books)
    }

    /// The promotions targeting the product, in stacking order.
    pub(crate) fn promotions_of(&self, key: ProductKey) -> &[PromotionKey] {
        self.index_at(key).promotions.of(&self.store.promotions)
    }

    /// The product's stock counts, by location.
    pub(crate) fn stock_of(&self, key: ProductKey) -> &[StockRun] {
        self.index_at(key).stock.of(&self.store.stock)
    }
}

impl CatalogDocument {
    /// Parses a catalog document (CONTRACT §2) without compiling it: what [`Catalog::from_json`]
    /// does first. Separate so that a caller holding a large text can drop it before compiling
    /// (the CLI does: the text, the document and the compiled catalog are never all in memory).
    ///
    /// ```
    /// use unisono::catalog::CatalogDocument;
    /// let text = std::fs::read_to_string("examples/data/catalog.json")?;
    /// let document = CatalogDocument::from_json(&text)?;
    /// drop(text);
    /// let catalog = unisono::Catalog::compile(&document)?;
    /// assert!(catalog.product("LAPTOP-14").is_some());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`CatalogError::Syntax`] for text that is too large, not JSON, or not a catalog document,
    /// with the JSON path, line and column.
    pub fn from_json(text: &str) -> Result<CatalogDocument, CatalogError> {
        crate::limits::check_size(text, crate::limits::MAX_DOCUMENT_BYTES)
            .map_err(|e| too_large(e.bytes))?;
        serde_json::from_str(text).map_err(|plain| traced_error(text, plain))
    }
}

/// A document past [`crate::limits::MAX_DOCUMENT_BYTES`].
pub(crate) fn too_large(bytes: usize) -> CatalogError {
    let limit = crate::limits::MAX_DOCUMENT_BYTES;
    CatalogError::Syntax {
        path: ".".to_owned(),
        line: 1,
        column: 1,
        message: crate::limits::TooLarge { bytes, limit }.to_string(),
    }
}

/// The error of a document that failed to parse, with its path. Tracking the path of every value
/// doubles the parse: documents are parsed plainly, and again with the tracker only to say where
/// one is broken.
pub(crate) fn traced_error(text: &str, plain: serde_json::Error) -> CatalogError {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let traced: Result<CatalogDocument, _> = serde_path_to_error::deserialize(&mut deserializer);
    match traced {
        Err(e) => CatalogError::from_serde(e),
        Ok(_) => CatalogError::from_json(plain),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn catalog_is_send_and_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<super::Catalog>();
    }
}
