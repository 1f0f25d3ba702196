//! From document to compiled catalog, one entry at a time: every check, every problem at once, then
//! the indexes.
//!
//! Entries are added section by section; an entry may be added once every section it refers to
//! ([`Section::needs`]) is complete. [`Compiler::finish`] then sorts what needs sorting and builds the
//! indexes. The compiler owns everything it keeps, so a reader can drop each entry once it is added:
//! [`compile`] drives it over a document in memory, `super::stream` over JSON as it is read.

mod places;
mod prices;
mod products;
mod promotions;
mod stock;

pub(crate) use prices::PriceRef;
pub(crate) use products::ProductRef;
pub(crate) use stock::StockRef;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use rust_decimal::Decimal;
use rustc_hash::FxHashMap;

use super::document::CatalogDocument;
use super::{
    Catalog, Channel, ChannelKey, Ids, Location, Market, MarketKey, Problem, ProblemKind, Product,
    ProductIndex, ProductKey, Store,
};
use crate::catalog::CatalogError;
use crate::money::{Currency, Money};
use crate::time::{DateEdge, Window, parse_instant, parse_instant_or_date};

/// A section of the catalog document, in the order problems are listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Section {
    Markets,
    Locations,
    Channels,
    Products,
    Prices,
    Promotions,
    Stock,
}

impl Section {
    pub(crate) const ALL: [Section; 7] = [
        Section::Markets,
        Section::Locations,
        Section::Channels,
        Section::Products,
        Section::Prices,
        Section::Promotions,
        Section::Stock,
    ];

    /// Its key in the document.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Section::Markets => "markets",
            Section::Locations => "locations",
            Section::Channels => "channels",
            Section::Products => "products",
            Section::Prices => "prices",
            Section::Promotions => "promotions",
            Section::Stock => "stock",
        }
    }

    /// The sections its entries refer to: complete before its first entry is added. (Promotions
    /// also meet prices, in the amount-off check, which waits for [`Compiler::finish`].)
    pub(crate) fn needs(self) -> &'static [Section] {
        match self {
            Section::Markets | Section::Locations => &[],
            Section::Channels => &[Section::Markets, Section::Locations],
            Section::Products => &[Section::Markets, Section::Locations, Section::Channels],
            Section::Prices | Section::Promotions => &[
                Section::Markets,
                Section::Locations,
                Section::Channels,
                Section::Products,
            ],
            Section::Stock => &[
                Section::Markets,
                Section::Locations,
                Section::Channels,
                Section::Products,
            ],
        }
    }
}

/// Problems found so far, kept in document order (section, then entry, then discovery).
#[derive(Default)]
struct Problems {
    found: Vec<((Section, usize, usize), Problem)>,
}

impl Problems {
    fn push(
        &mut self,
        section: Section,
        index: usize,
        field: &str,
        kind: ProblemKind,
        message: String,
    ) {
        let name = section.name();
        let path = if field.is_empty() {
            format!("{name}[{index}]")
        } else {
            format!("{name}[{index}].{field}")
        };
        let seq = self.found.len();
        self.found.push((
            (section, index, seq),
            Problem {
                path,
                kind,
                message,
            },
        ));
    }

    fn into_sorted(mut self) -> Vec<Problem> {
        self.found
            .sort_by_key(|((section, index, seq), _)| (*section as usize, *index, *seq));
        self.found.into_iter().map(|(_, problem)| problem).collect()
    }
}

/// The compiler's working state: what is compiled so far, ids interned and problems found.
#[derive(Default)]
pub(crate) struct Compiler {
    problems: Problems,
    ids: Ids,
    /// Entries added, per section.
    counts: [usize; 7],
    markets: Vec<Market>,
    locations: Vec<Location>,
    channels: Vec<Channel>,
    products: Vec<Product>,
    /// Equal assortments share one allocation.
    assortments: FxHashMap<Vec<ChannelKey>, std::sync::Arc<[ChannelKey]>>,
    /// The product of the last SKU looked up: prices and stock come grouped by product.
    last_sku: Option<ProductKey>,
    /// The rows of the product being read (or of all, once prices come out of order).
    prices: prices::Rows,
    /// The price books built so far.
    books: prices::Books,
    promotions: promotions::Pending,
    stock: stock::Rows,
    /// Local dates already placed in a zone: a catalog names a few hundred dates a million times.
    dates: FxHashMap<(NaiveDate, Tz, bool), Option<DateTime<Utc>>>,
}

/// Compiles a document in memory: its entries added in section order.
pub(crate) fn compile(doc: &CatalogDocument) -> Result<Catalog, CatalogError> {
    let mut c = Compiler::default();
    doc.markets.iter().for_each(|e| c.add_market(e));
    doc.locations.iter().for_each(|e| c.add_location(e));
    doc.channels.iter().for_each(|e| c.add_channel(e));
    doc.products.iter().for_each(|e| c.add_product(e.into()));
    doc.prices.iter().for_each(|e| c.add_price(e.into()));
    doc.promotions.iter().for_each(|e| c.add_promotion(e));
    doc.stock.iter().for_each(|e| c.add_stock(e.into()));
    c.finish()
}

/// Interns `id`, or reports that it is taken.
fn intern<K: Copy, M: IdMap<K>>(
    map: &mut M,
    id: &str,
    key: K,
    problems: &mut Problems,
    (section, index): (Section, usize),
    what: &str,
) {
    if id.is_empty() {
        problems.push(
            section,
            index,
            what,
            ProblemKind::Value,
            format!("{what} is empty"),
        );
    } else if map.has(id) {
        problems.push(
            section,
            index,
            what,
            ProblemKind::Duplicate,
            format!("{id:?} is already used by another entry: {what}s must be unique"),
        );
    } else {
        map.put(id, key);
    }
}

/// A map of ids to keys, as [`intern`] fills it.
trait IdMap<K> {
    fn has(&self, id: &str) -> bool;
    fn put(&mut self, id: &str, key: K);
}

impl<K> IdMap<K> for FxHashMap<Box<str>, K> {
    fn has(&self, id: &str) -> bool {
        self.contains_key(id)
    }

    fn put(&mut self, id: &str, key: K) {
        self.insert(id.into(), key);
    }
}

impl IdMap<ProductKey> for crate::catalog::skus::SkuMap {
    fn has(&self, id: &str) -> bool {
        self.get(id).is_some()
    }

    fn put(&mut self, id: &str, key: ProductKey) {
        self.insert(id, key);
    }
}

fn key_u32(i: usize) -> u32 {
    // Documents are limited far below 2^32 entries by memory long before this could truncate.
    u32::try_from(i).unwrap_or(u32::MAX)
}

impl Compiler {
    /// The SKU of a product compiled already ("" for a key it does not hold), for messages.
    fn sku_of(&self, product: ProductKey) -> &str {
        self.products
            .get(product.0 as usize)
            .map_or("", |p| p.sku.as_str())
    }

    /// Makes room for about `entries` more entries of `section` in the tables that grow with it,
    /// as far as memory allows (these are written in order, so room not used is address space
    /// only). Hash maps, which would be written all over, are left to grow.
    pub(crate) fn reserve(&mut self, section: Section, entries: usize) {
        // Reserving is an optimisation: when it fails, the tables grow as they would have.
        match section {
            Section::Products => {
                let _ = self.products.try_reserve(entries);
            }
            Section::Prices => self
                .books
                .reserve(entries, self.products.len(), self.markets.len()),
            Section::Stock => self.stock.reserve(entries),
            Section::Markets | Section::Locations | Section::Channels | Section::Promotions => {}
        }
    }

    /// The index of the next entry of `section`, counted.
    fn next(&mut self, section: Section) -> usize {
        match self.counts.get_mut(section as usize) {
            Some(count) => {
                *count += 1;
                *count - 1
            }
            None => 0,
        }
    }

    /// The catalog, or every problem found, sorted by path.
    ///
    /// # Errors
    /// [`CatalogError::Invalid`] listing every problem, each with its path.
    pub(crate) fn finish(mut self) -> Result<Catalog, CatalogError> {
        let too_many: Vec<Problem> = Section::ALL
            .iter()
            .zip(self.counts)
            .filter(|(_, n)| *n > crate::limits::MAX_ENTRIES)
            .map(|(section, n)| Problem {
                path: section.name().to_owned(),
                kind: ProblemKind::Value,
                message: format!(
                    "{n} entries: a catalog section holds at most {}",
                    crate::limits::MAX_ENTRIES
                ),
            })
            .collect();
        if !too_many.is_empty() {
            return Err(CatalogError::Invalid { problems: too_many });
        }
        let mut index: Vec<ProductIndex> = vec![ProductIndex::default(); self.products.len()];
        let mut store = Store::default();
        self.price_books(&mut index, &mut store);
        let (promotions, untargeted) = self.stacking(&mut index, &mut store);
        self.stock_runs(&mut index, &mut store);
        products::assortments(&self.products, &mut index, &mut store);

        let problems = std::mem::take(&mut self.problems).into_sorted();
        if !problems.is_empty() {
            return Err(CatalogError::Invalid { problems });
        }
        let mut catalog = Catalog {
            markets: self.markets,
            locations: self.locations,
            channels: self.channels,
            products: self.products,
            promotions,
            index,
            store,
            ids: self.ids,
            lints: vec![],
        };
        catalog.lints = super::lint::lints(&catalog, &untargeted);
        Ok(catalog)
    }

    fn market_ref(
        &mut self,
        id: &str,
        (section, i, field): (Section, usize, &str),
    ) -> Option<MarketKey> {
        let key = self.ids.markets.get(id).copied();
        if key.is_none() {
            let message = format!("market {id:?} is not in markets");
            self.problems
                .push(section, i, field, ProblemKind::UnknownReference, message);
        }
        key
    }

    /// Resolves a list of channel ids; with `market`, each must belong to it.
    fn channel_list(
        &mut self,
        ids: &[String],
        market: Option<(MarketKey, &str)>,
        (section, i): (Section, usize),
    ) -> Vec<ChannelKey> {
        if ids.is_empty() {
            let message = "is empty: leave it out or write null for every channel".to_owned();
            self.problems
                .push(section, i, "channels", ProblemKind::Value, message);
        }
        let mut out = Vec::with_capacity(ids.len());
        for (j, id) in ids.iter().enumerate() {
            match self.ids.channels.get(id.as_str()).copied() {
                None => {
                    let message = format!("channel {id:?} is not in channels");
                    let field = format!("channels[{j}]");
                    self.problems
                        .push(section, i, &field, ProblemKind::UnknownReference, message);
                }
                Some(key) => {
                    let channel_market = self.channels.get(key.0 as usize).map(|c| c.market);
                    if let Some((market, market_id)) = market
                        && channel_market != Some(market)
                    {
                        let message = format!("channel {id:?} is not in market {market_id:?}");
                        let field = format!("channels[{j}]");
                        self.problems.push(
                            section,
                            i,
                            &field,
                            ProblemKind::UnknownReference,
                            message,
                        );
                    }
                    out.push(key);
                }
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The key of a SKU, remembering the last one: prices and stock come grouped by product, and
    /// mostly in the order of the products (then the next product is the one looked up, and is
    /// read from memory in order rather than from all over the SKU map).
    fn sku(&mut self, sku: &str) -> Option<ProductKey> {
        if let Some(key) = self.last_sku {
            // The next product's SKU is its own only if every product's SKU was interned (none
            // empty or taken).
            let next = (self.ids.skus.len() == self.products.len())
                .then(|| ProductKey(key.0.wrapping_add(1)));
            for key in std::iter::once(key).chain(next) {
                if self
                    .products
                    .get(key.0 as usize)
                    .is_some_and(|p| p.sku == sku)
                {
                    self.last_sku = Some(key);
                    return Some(key);
                }
            }
        }
        let key = self.ids.skus.get(sku)?;
        self.last_sku = Some(key);
        Some(key)
    }

    fn instant(
        &mut self,
        text: &str,
        zone: Option<Tz>,
        edge: DateEdge,
        (section, i, field): (Section, usize, &str),
    ) -> Option<DateTime<Utc>> {
        let parsed = match (zone, crate::time::parse_local_date(text)) {
            (Some(zone), Some(date)) => {
                let end = edge == DateEdge::End;
                let placed = *self.dates.entry((date, zone, end)).or_insert_with(|| {
                    let day = if end { date.succ_opt() } else { Some(date) };
                    day.and_then(|day| crate::time::local_midnight(day, zone))
                });
                placed.ok_or_else(|| crate::time::TimeError::Syntax {
                    input: text.to_owned(),
                })
            }
            (Some(_), None) => parse_instant_or_date(text, zone, edge),
            (None, _) => parse_instant(text),
        };
        parsed
            .map_err(|e| {
                self.problems
                    .push(section, i, field, ProblemKind::Time, e.to_string())
            })
            .ok()
    }

    /// `from` and `until` of an entry as a non-empty window.
    fn window(
        &mut self,
        from: &str,
        until: Option<&str>,
        zone: Option<Tz>,
        (section, i): (Section, usize),
    ) -> Option<Window> {
        let from_t = self.instant(from, zone, DateEdge::Start, (section, i, "from"));
        let until_t = until.map(|u| self.instant(u, zone, DateEdge::End, (section, i, "until")));
        match (from_t, until_t) {
            (Some(f), None) => Some(Window::new(f, None)),
            (Some(f), Some(Some(u))) if f < u => Some(Window::new(f, Some(u))),
            (Some(_), Some(Some(_))) => {
                let message = format!(
                    "from {from:?} is not before until {:?}",
                    until.unwrap_or_default()
                );
                self.problems
                    .push(section, i, "until", ProblemKind::EmptyWindow, message);
                None
            }
            _ => None,
        }
    }

    /// Money that must be exact, positive and in `currency`.
    fn price_amount(
        &mut self,
        text: &str,
        currency: Option<Currency>,
        (section, i, field): (Section, usize, &str),
    ) -> Option<Money> {
        let money = match Money::parse_exact(text) {
            Ok(m) => m,
            Err(e) => {
                self.problems
                    .push(section, i, field, ProblemKind::Money, e.to_string());
                return None;
            }
        };
        if money.amount() <= Decimal::ZERO {
            self.problems.push(
                section,
                i,
                field,
                ProblemKind::Money,
                format!("{text:?} is not a positive amount"),
            );
            return None;
        }
        if let Some(expected) = currency
            && money.currency() != expected
        {
            let message = format!(
                "{text:?} is in {}, the market's currency is {expected}",
                money.currency()
            );
            self.problems
                .push(section, i, field, ProblemKind::Currency, message);
            return None;
        }
        Some(money)
    }
}
