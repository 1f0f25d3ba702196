//! From document to compiled catalog: every check, every problem at once, then the indexes.

use std::collections::{BTreeMap, BTreeSet};

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use rust_decimal::Decimal;
use rustc_hash::FxHashMap;

use super::document::{CatalogDocument, MechanicEntry};
use super::{
    Catalog, Channel, ChannelKey, ChannelSpans, Ids, Location, LocationKey, Market, MarketKey,
    Mechanic, PriceBook, PriceSpan, Problem, ProblemKind, Product, ProductIndex, ProductKey,
    Promotion, PromotionKey, Run, StockRun, Store, Unit,
};
use crate::catalog::CatalogError;
use crate::gtin::Gtin;
use crate::money::{Currency, Money};
use crate::time::{DateEdge, Window, parse_instant, parse_instant_or_date};

/// Problems found so far, kept in document order (section, then entry, then discovery).
#[derive(Default)]
struct Problems {
    found: Vec<((usize, usize, usize), Problem)>,
}

const SECTIONS: [&str; 7] = [
    "markets",
    "locations",
    "channels",
    "products",
    "prices",
    "promotions",
    "stock",
];

impl Problems {
    fn push(
        &mut self,
        section: &str,
        index: usize,
        field: &str,
        kind: ProblemKind,
        message: String,
    ) {
        let order = SECTIONS
            .iter()
            .position(|s| *s == section)
            .unwrap_or(SECTIONS.len());
        let path = if field.is_empty() {
            format!("{section}[{index}]")
        } else {
            format!("{section}[{index}].{field}")
        };
        let seq = self.found.len();
        self.found.push((
            (order, index, seq),
            Problem {
                path,
                kind,
                message,
            },
        ));
    }

    fn into_sorted(mut self) -> Vec<Problem> {
        self.found.sort_by_key(|(key, _)| *key);
        self.found.into_iter().map(|(_, problem)| problem).collect()
    }
}

/// The compiler's working state: ids interned so far and problems found.
struct Compiler<'d> {
    doc: &'d CatalogDocument,
    problems: Problems,
    ids: Ids,
    last_sku: Option<(&'d str, ProductKey)>,
    /// Local dates already placed in a zone: a catalog names a few hundred dates a million times.
    dates: FxHashMap<(NaiveDate, Tz, bool), Option<DateTime<Utc>>>,
}

pub(super) fn compile(doc: &CatalogDocument) -> Result<Catalog, CatalogError> {
    let mut c = Compiler {
        doc,
        problems: Problems::default(),
        ids: Ids::default(),
        last_sku: None,
        dates: FxHashMap::default(),
    };
    let sections = [
        ("markets", doc.markets.len()),
        ("locations", doc.locations.len()),
        ("channels", doc.channels.len()),
        ("products", doc.products.len()),
        ("prices", doc.prices.len()),
        ("promotions", doc.promotions.len()),
        ("stock", doc.stock.len()),
    ];
    let too_many: Vec<Problem> = sections
        .iter()
        .filter(|(_, n)| *n > crate::limits::MAX_ENTRIES)
        .map(|(section, n)| Problem {
            path: (*section).to_owned(),
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
    let markets = c.markets();
    let locations = c.locations();
    let channels = c.channels(&markets);
    let products = c.products();
    let mut index: Vec<ProductIndex> = vec![ProductIndex::default(); products.len()];
    let mut store = Store::default();
    c.prices(&markets, &channels, &mut index, &mut store);
    let promotions = c.promotions(&markets, &channels, &products, &mut index, &mut store);
    c.stock(&mut index, &mut store);
    assortments(&products, &mut index, &mut store);

    let problems = c.problems.into_sorted();
    if !problems.is_empty() {
        return Err(CatalogError::Invalid { problems });
    }
    let mut catalog = Catalog {
        markets,
        locations,
        channels,
        products,
        promotions,
        index,
        store,
        ids: c.ids,
        lints: vec![],
    };
    catalog.lints = super::lint::lints(&catalog, doc);
    Ok(catalog)
}

/// Points each product's index at its (shared) assortment.
fn assortments(products: &[Product], index: &mut [ProductIndex], store: &mut Store) {
    let mut seen: FxHashMap<*const ChannelKey, u32> = FxHashMap::default();
    for (product, entry) in products.iter().zip(index.iter_mut()) {
        entry.assortment = product.assortment.as_ref().map(|list| {
            *seen.entry(list.as_ptr()).or_insert_with(|| {
                store.assortments.push(Arc::clone(list));
                key_u32(store.assortments.len() - 1)
            })
        });
    }
}

/// Interns `id`, or reports that it is taken.
fn intern<K: Copy>(
    map: &mut FxHashMap<Box<str>, K>,
    id: &str,
    key: K,
    problems: &mut Problems,
    (section, index): (&str, usize),
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
    } else if map.contains_key(id) {
        problems.push(
            section,
            index,
            what,
            ProblemKind::Duplicate,
            format!("{id:?} is already used by another entry: {what}s must be unique"),
        );
    } else {
        map.insert(id.into(), key);
    }
}

fn key_u32(i: usize) -> u32 {
    // Documents are limited far below 2^32 entries by memory long before this could truncate.
    u32::try_from(i).unwrap_or(u32::MAX)
}

impl<'d> Compiler<'d> {
    fn markets(&mut self) -> Vec<Market> {
        let mut out = Vec::with_capacity(self.doc.markets.len());
        for (i, m) in self.doc.markets.iter().enumerate() {
            let at = ("markets", i);
            intern(
                &mut self.ids.markets,
                &m.id,
                MarketKey(key_u32(i)),
                &mut self.problems,
                at,
                "id",
            );
            let currency = Currency::from_code(&m.currency).unwrap_or_else(|e| {
                self.problems.push(
                    "markets",
                    i,
                    "currency",
                    ProblemKind::Currency,
                    e.to_string(),
                );
                Currency::EUR
            });
            let time_zone = m.time_zone.parse::<Tz>().unwrap_or_else(|_| {
                let message = format!(
                    "{:?} is not an IANA time zone, like \"Europe/Rome\"",
                    m.time_zone
                );
                self.problems
                    .push("markets", i, "time_zone", ProblemKind::Value, message);
                Tz::UTC
            });
            if let Some(days) = m.reference_price_days
                && !(1..=3660).contains(&days)
            {
                let message = format!(
                    "{days} days: expected 1 to 3660 days, or null for a market without the prior-price rule"
                );
                self.problems.push(
                    "markets",
                    i,
                    "reference_price_days",
                    ProblemKind::Value,
                    message,
                );
            }
            out.push(Market {
                id: m.id.clone(),
                currency,
                time_zone,
                locale: m.locale.clone(),
                prices_include_tax: m.prices_include_tax,
                reference_price_days: m.reference_price_days,
                unit_price_required: m.unit_price_required,
            });
        }
        out
    }

    fn locations(&mut self) -> Vec<Location> {
        let mut out = Vec::with_capacity(self.doc.locations.len());
        for (i, l) in self.doc.locations.iter().enumerate() {
            intern(
                &mut self.ids.locations,
                &l.id,
                LocationKey(key_u32(i)),
                &mut self.problems,
                ("locations", i),
                "id",
            );
            out.push(Location {
                id: l.id.clone(),
                kind: l.kind,
            });
        }
        out
    }

    fn market_ref(
        &mut self,
        id: &str,
        (section, i, field): (&str, usize, &str),
    ) -> Option<MarketKey> {
        let key = self.ids.markets.get(id).copied();
        if key.is_none() {
            let message = format!("market {id:?} is not in markets");
            self.problems
                .push(section, i, field, ProblemKind::UnknownReference, message);
        }
        key
    }

    fn channels(&mut self, markets: &[Market]) -> Vec<Channel> {
        let mut out = Vec::with_capacity(self.doc.channels.len());
        for (i, ch) in self.doc.channels.iter().enumerate() {
            intern(
                &mut self.ids.channels,
                &ch.id,
                ChannelKey(key_u32(i)),
                &mut self.problems,
                ("channels", i),
                "id",
            );
            let market = self
                .market_ref(&ch.market, ("channels", i, "market"))
                .unwrap_or(MarketKey(0));
            let mut locations = Vec::with_capacity(ch.locations.len());
            for (j, id) in ch.locations.iter().enumerate() {
                match self.ids.locations.get(id.as_str()) {
                    Some(key) if locations.contains(key) => {
                        let message = format!("location {id:?} is listed twice");
                        self.problems.push(
                            "channels",
                            i,
                            &format!("locations[{j}]"),
                            ProblemKind::Duplicate,
                            message,
                        );
                    }
                    Some(&key) => locations.push(key),
                    None => {
                        let message = format!("location {id:?} is not in locations");
                        let field = format!("locations[{j}]");
                        self.problems.push(
                            "channels",
                            i,
                            &field,
                            ProblemKind::UnknownReference,
                            message,
                        );
                    }
                }
            }
            debug_assert!(markets.is_empty() || (market.0 as usize) < markets.len());
            out.push(Channel {
                id: ch.id.clone(),
                kind: ch.kind,
                market,
                locations,
            });
        }
        out
    }

    /// Resolves a list of channel ids; with `market`, each must belong to it.
    fn channel_list(
        &mut self,
        ids: &[String],
        channels: &[Channel],
        market: Option<(MarketKey, &str)>,
        (section, i): (&str, usize),
    ) -> Vec<ChannelKey> {
        if ids.is_empty() {
            let message = "is empty: leave it out or write null for every channel".to_owned();
            self.problems
                .push(section, i, "channels", ProblemKind::Value, message);
        }
        let mut out = Vec::with_capacity(ids.len());
        for (j, id) in ids.iter().enumerate() {
            let field = format!("channels[{j}]");
            match self.ids.channels.get(id.as_str()).copied() {
                None => {
                    let message = format!("channel {id:?} is not in channels");
                    self.problems
                        .push(section, i, &field, ProblemKind::UnknownReference, message);
                }
                Some(key) => {
                    let channel_market = channels.get(key.0 as usize).map(|c| c.market);
                    if let Some((market, market_id)) = market
                        && channel_market != Some(market)
                    {
                        let message = format!("channel {id:?} is not in market {market_id:?}");
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

    fn products(&mut self) -> Vec<Product> {
        let mut out = Vec::with_capacity(self.doc.products.len());
        let mut gtin_owner: FxHashMap<Gtin, usize> = FxHashMap::default();
        for (i, p) in self.doc.products.iter().enumerate() {
            intern(
                &mut self.ids.skus,
                &p.sku,
                ProductKey(key_u32(i)),
                &mut self.problems,
                ("products", i),
                "sku",
            );
            let gtin = p
                .gtin
                .as_deref()
                .and_then(|text| match text.parse::<Gtin>() {
                    Ok(gtin) => Some(gtin),
                    Err(e) => {
                        self.problems
                            .push("products", i, "gtin", ProblemKind::Gtin, e.to_string());
                        None
                    }
                });
            if let Some(gtin) = gtin {
                if let Some(&first) = gtin_owner.get(&gtin) {
                    let message = format!("GTIN {gtin} is also products[{first}]'s");
                    self.problems
                        .push("products", i, "gtin", ProblemKind::Gtin, message);
                } else {
                    gtin_owner.insert(gtin, i);
                    self.ids.gtins.insert(gtin, ProductKey(key_u32(i)));
                }
            }
            if p.title.for_locale(None).trim().is_empty() {
                self.problems.push(
                    "products",
                    i,
                    "title",
                    ProblemKind::Value,
                    "title is empty".to_owned(),
                );
            }
            let launched = p.launched.as_deref().and_then(|text| {
                self.instant(text, None, DateEdge::Start, ("products", i, "launched"))
            });
            let unit = p
                .unit
                .as_ref()
                .and_then(|u| match u.quantity.0.parse::<Decimal>() {
                    Ok(q) if q > Decimal::ZERO && q < Decimal::from(1_000_000) => Some(Unit {
                        quantity: q,
                        measure: u.measure,
                    }),
                    _ => {
                        let message = format!(
                            "{:?} is not a positive quantity below 1000000",
                            u.quantity.0
                        );
                        self.problems.push(
                            "products",
                            i,
                            "unit.quantity",
                            ProblemKind::Value,
                            message,
                        );
                        None
                    }
                });
            out.push(Product {
                sku: p.sku.clone(),
                gtin,
                title: p.title.clone(),
                brand: p.brand.clone(),
                category: p.category.clone(),
                launched,
                unit,
                perishable: p.perishable,
                assortment: None,
            });
        }
        // Assortments refer to channels, interned before products. A catalog has few distinct
        // assortments: equal lists share one allocation, which stays in cache.
        let mut shared: FxHashMap<Vec<ChannelKey>, Arc<[ChannelKey]>> = FxHashMap::default();
        for (i, p) in self.doc.products.iter().enumerate() {
            if let Some(ids) = &p.channels {
                let list = self.channel_list(ids, &[], None, ("products", i));
                let list = shared
                    .entry(list)
                    .or_insert_with_key(|list| Arc::from(list.as_slice()))
                    .clone();
                if let Some(product) = out.get_mut(i) {
                    product.assortment = Some(list);
                }
            }
        }
        out
    }

    fn instant(
        &mut self,
        text: &str,
        zone: Option<Tz>,
        edge: DateEdge,
        (section, i, field): (&str, usize, &str),
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
        (section, i): (&str, usize),
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
        (section, i, field): (&str, usize, &str),
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

    fn prices(
        &mut self,
        markets: &[Market],
        channels: &[Channel],
        index: &mut [ProductIndex],
        store: &mut Store,
    ) {
        // One row per span and scope (market-wide, or one channel), sorted once, then grouped.
        let mut rows: Vec<(ProductKey, MarketKey, Option<ChannelKey>, PriceSpan)> =
            Vec::with_capacity(self.doc.prices.len());
        for (i, p) in self.doc.prices.iter().enumerate() {
            let product = self.sku(&p.sku);
            if product.is_none() {
                let message = format!("product {:?} is not in products", p.sku);
                self.problems
                    .push("prices", i, "sku", ProblemKind::UnknownReference, message);
            }
            let market = self.market_ref(&p.market, ("prices", i, "market"));
            let market_info = market.and_then(|m| markets.get(m.0 as usize));
            let channel_keys = p.channels.as_ref().map(|ids| {
                self.channel_list(
                    ids,
                    channels,
                    market.map(|m| (m, p.market.as_str())),
                    ("prices", i),
                )
            });
            let amount = self.price_amount(
                &p.amount,
                market_info.map(|m| m.currency),
                ("prices", i, "amount"),
            );
            let window = self.window(
                &p.from,
                p.until.as_deref(),
                market_info.map(|m| m.time_zone),
                ("prices", i),
            );
            let (Some(product), Some(market), Some(amount), Some(window)) =
                (product, market, amount, window)
            else {
                continue;
            };
            let span = PriceSpan {
                window,
                amount,
                entry: key_u32(i),
                channel_specific: channel_keys.is_some(),
            };
            match channel_keys {
                None => rows.push((product, market, None, span)),
                Some(keys) => rows.extend(
                    keys.into_iter()
                        .map(|key| (product, market, Some(key), span)),
                ),
            }
        }
        rows.sort_unstable_by_key(|(p, m, c, span)| (*p, *m, *c, span.window.from, span.entry));

        let mut reported = rustc_hash::FxHashSet::default();
        let mut rest = rows.as_slice();
        while let Some(&(product, market, _, _)) = rest.first() {
            let in_book = rest
                .iter()
                .take_while(|r| r.0 == product && r.1 == market)
                .count();
            let (book_rows, after) = rest.split_at(in_book);
            rest = after;
            let mut book = PriceBook {
                market,
                market_wide: Run::default(),
                channels: Run::new(store.channel_spans.len(), store.channel_spans.len()),
            };
            let mut scope_rows = book_rows;
            while let Some(&(_, _, channel, _)) = scope_rows.first() {
                let in_scope = scope_rows.iter().take_while(|r| r.2 == channel).count();
                let (scope, after) = scope_rows.split_at(in_scope);
                scope_rows = after;
                let start = store.spans.len();
                store.spans.extend(scope.iter().map(|r| r.3));
                let spans = Run::new(start, store.spans.len());
                self.report_overlaps(
                    spans.of(&store.spans),
                    market,
                    channel,
                    markets,
                    channels,
                    &mut reported,
                );
                match channel {
                    None => book.market_wide = spans,
                    Some(channel) => store.channel_spans.push(ChannelSpans { channel, spans }),
                }
            }
            book.channels.end = key_u32(store.channel_spans.len());
            if let Some(entry) = index.get_mut(product.0 as usize) {
                if entry.books == Run::default() {
                    entry.books = Run::new(store.books.len(), store.books.len());
                }
                store.books.push(book);
                entry.books.end = key_u32(store.books.len());
            }
        }
    }

    /// Reports entries of one scope (sorted by start) that overlap in time, each pair once.
    fn report_overlaps(
        &mut self,
        spans: &[PriceSpan],
        market: MarketKey,
        channel: Option<ChannelKey>,
        markets: &[Market],
        channels: &[Channel],
        reported: &mut rustc_hash::FxHashSet<(u32, u32)>,
    ) {
        for pair in spans.windows(2) {
            let &[a, b] = pair else { continue };
            if !a.window.overlaps(&b.window) || !reported.insert((a.entry, b.entry)) {
                continue;
            }
            let scope = match channel {
                Some(c) => format!(
                    "channel {:?}",
                    channels.get(c.0 as usize).map_or("", |c| c.id.as_str())
                ),
                None => format!(
                    "market-wide in {:?}",
                    markets.get(market.0 as usize).map_or("", |m| m.id.as_str())
                ),
            };
            let zone = markets
                .get(market.0 as usize)
                .map_or(Tz::UTC, |m| m.time_zone);
            let message = format!(
                "overlaps prices[{}] ({scope}, same product) from {}: entries of one scope must not overlap in time",
                a.entry,
                crate::time::rfc3339_in(b.window.from, zone)
            );
            self.problems.push(
                "prices",
                b.entry as usize,
                "from",
                ProblemKind::Overlap,
                message,
            );
        }
    }

    fn promotions(
        &mut self,
        markets: &[Market],
        channels: &[Channel],
        products: &[Product],
        index: &mut [ProductIndex],
        store: &mut Store,
    ) -> Vec<Promotion> {
        // Each category path and every ancestor of it -> the products filed under it.
        let mut by_category: BTreeMap<&str, Vec<ProductKey>> = BTreeMap::new();
        for (i, p) in products.iter().enumerate() {
            if let Some(category) = p.category.as_deref() {
                for (cut, _) in category.match_indices('/').chain([(category.len(), "")]) {
                    by_category
                        .entry(&category[..cut])
                        .or_default()
                        .push(ProductKey(key_u32(i)));
                }
            }
        }
        let mut out = Vec::with_capacity(self.doc.promotions.len());
        let mut targeting: Vec<(ProductKey, PromotionKey)> = Vec::new();
        for (i, p) in self.doc.promotions.iter().enumerate() {
            let at = ("promotions", i);
            intern(
                &mut self.ids.promotions,
                &p.id,
                PromotionKey(key_u32(i)),
                &mut self.problems,
                at,
                "id",
            );
            let market_keys = p.markets.as_ref().map(|ids| {
                if ids.is_empty() {
                    let message =
                        "is empty: leave it out or write null for every market".to_owned();
                    self.problems
                        .push("promotions", i, "markets", ProblemKind::Value, message);
                }
                let mut keys: Vec<MarketKey> = ids
                    .iter()
                    .enumerate()
                    .filter_map(|(j, id)| {
                        self.market_ref(id, ("promotions", i, &format!("markets[{j}]")))
                    })
                    .collect();
                keys.sort_unstable();
                keys.dedup();
                keys
            });
            let in_scope: Vec<&Market> = match &market_keys {
                Some(keys) => keys
                    .iter()
                    .filter_map(|k| markets.get(k.0 as usize))
                    .collect(),
                None => markets.iter().collect(),
            };
            let channel_keys = p
                .channels
                .as_ref()
                .map(|ids| self.channel_list(ids, channels, None, at));
            if let (Some(channel_keys), Some(market_keys)) = (&channel_keys, &market_keys) {
                for (j, key) in channel_keys.iter().enumerate() {
                    let channel = channels.get(key.0 as usize);
                    if let Some(channel) = channel.filter(|c| !market_keys.contains(&c.market)) {
                        let message =
                            format!("channel {:?} is not in the promotion's markets", channel.id);
                        self.problems.push(
                            "promotions",
                            i,
                            &format!("channels[{j}]"),
                            ProblemKind::UnknownReference,
                            message,
                        );
                    }
                }
            }
            // Local dates need one zone: that of its markets, when they share one.
            let zones: BTreeSet<&str> = in_scope.iter().map(|m| m.time_zone.name()).collect();
            let zone = if zones.len() == 1 {
                in_scope.first().map(|m| m.time_zone)
            } else {
                None
            };
            let window = self.window(&p.from, p.until.as_deref(), zone, at);
            let mechanic = self.mechanic(&p.mechanic, &in_scope, i);

            let mut targets: BTreeSet<ProductKey> = BTreeSet::new();
            for (j, sku) in p.skus.iter().enumerate() {
                match self.ids.skus.get(sku.as_str()) {
                    Some(&k) => {
                        targets.insert(k);
                    }
                    None => {
                        let message = format!("product {sku:?} is not in products");
                        self.problems.push(
                            "promotions",
                            i,
                            &format!("skus[{j}]"),
                            ProblemKind::UnknownReference,
                            message,
                        );
                    }
                }
            }
            for (j, category) in p.categories.iter().enumerate() {
                match by_category.get(category.as_str()) {
                    Some(keys) => targets.extend(keys.iter().copied()),
                    None => {
                        let message = format!("no product is in category {category:?} or below it");
                        let field = format!("categories[{j}]");
                        self.problems.push(
                            "promotions",
                            i,
                            &field,
                            ProblemKind::UnknownReference,
                            message,
                        );
                    }
                }
            }
            let (Some(window), Some(mechanic)) = (window, mechanic) else {
                continue;
            };
            let promotion = Promotion {
                id: p.id.clone(),
                name: p.name.clone(),
                markets: market_keys,
                channels: channel_keys,
                window,
                mechanic,
                audience: p.audience,
                priority: p.priority,
                exclusive: p.exclusive,
            };
            if let Mechanic::AmountOff(off) = mechanic {
                self.check_amount_off(&promotion, off, &targets, index, store, channels, i);
            }
            let key = PromotionKey(key_u32(out.len()));
            targeting.extend(targets.iter().map(|&target| (target, key)));
            out.push(promotion);
        }
        // Keys are positions in `out`. Stacking order: priority high first, then id.
        let order = |k: &PromotionKey| {
            out.get(k.0 as usize)
                .map(|p| (std::cmp::Reverse(p.priority), p.id.as_str()))
        };
        targeting
            .sort_unstable_by(|a, b| a.0.cmp(&b.0).then_with(|| order(&a.1).cmp(&order(&b.1))));
        let mut rest = targeting.as_slice();
        while let Some(&(product, _)) = rest.first() {
            let run = rest.iter().take_while(|(p, _)| *p == product).count();
            let start = store.promotions.len();
            store
                .promotions
                .extend(rest.iter().take(run).map(|(_, k)| *k));
            if let Some(entry) = index.get_mut(product.0 as usize) {
                entry.promotions = Run::new(start, store.promotions.len());
            }
            rest = rest.get(run..).unwrap_or(&[]);
        }
        out
    }

    fn mechanic(
        &mut self,
        entry: &MechanicEntry,
        markets: &[&Market],
        i: usize,
    ) -> Option<Mechanic> {
        let money = |this: &mut Self, text: &str, field: &str| -> Option<Money> {
            let currencies: BTreeSet<Currency> = markets.iter().map(|m| m.currency).collect();
            let expected = (currencies.len() == 1)
                .then(|| currencies.first().copied())
                .flatten();
            let money = this.price_amount(text, expected, ("promotions", i, field))?;
            if currencies.len() > 1 {
                let message = format!(
                    "{text:?} is one currency, but the promotion's markets use {}",
                    currencies.len()
                );
                this.problems
                    .push("promotions", i, field, ProblemKind::Currency, message);
                return None;
            }
            Some(money)
        };
        match entry {
            MechanicEntry::PercentOff(text) => match text.0.parse::<Decimal>() {
                Ok(p) if p > Decimal::ZERO && p < Decimal::ONE_HUNDRED => {
                    Some(Mechanic::PercentOff(p))
                }
                _ => {
                    let message = format!(
                        "{:?} per cent: expected more than 0 and less than 100",
                        text.0
                    );
                    self.problems.push(
                        "promotions",
                        i,
                        "mechanic.percent_off",
                        ProblemKind::Promotion,
                        message,
                    );
                    None
                }
            },
            MechanicEntry::AmountOff(text) => {
                money(self, text, "mechanic.amount_off").map(Mechanic::AmountOff)
            }
            MechanicEntry::FixedPrice(text) => {
                money(self, text, "mechanic.fixed_price").map(Mechanic::FixedPrice)
            }
            MechanicEntry::MultiBuy(m) => {
                if m.pay >= 1 && m.buy > m.pay && m.buy <= 1000 {
                    Some(Mechanic::MultiBuy(*m))
                } else {
                    let message = format!(
                        "buy {} pay {}: expected 1 <= pay < buy <= 1000",
                        m.buy, m.pay
                    );
                    self.problems.push(
                        "promotions",
                        i,
                        "mechanic.multi_buy",
                        ProblemKind::Promotion,
                        message,
                    );
                    None
                }
            }
        }
    }

    /// An amount off as large as a price it meets would price that product at or below zero.
    #[allow(clippy::too_many_arguments)]
    fn check_amount_off(
        &mut self,
        promotion: &Promotion,
        off: Money,
        targets: &BTreeSet<ProductKey>,
        index: &[ProductIndex],
        store: &Store,
        channels: &[Channel],
        i: usize,
    ) {
        for target in targets {
            let Some(entry) = index.get(target.0 as usize) else {
                continue;
            };
            for book in entry.books.of(&store.books) {
                if promotion
                    .markets
                    .as_ref()
                    .is_some_and(|m| !m.contains(&book.market))
                {
                    continue;
                }
                let covered = |c: &ChannelSpans| {
                    channels
                        .get(c.channel.0 as usize)
                        .is_some_and(|ch| promotion.covers_channel(c.channel, ch.market))
                };
                let channel_spans = book
                    .channels
                    .of(&store.channel_spans)
                    .iter()
                    .filter(|c| covered(c));
                let spans = book
                    .market_wide
                    .of(&store.spans)
                    .iter()
                    .chain(channel_spans.flat_map(|c| c.spans.of(&store.spans).iter()));
                if let Some(span) = spans
                    .filter(|s| {
                        s.window.overlaps(&promotion.window) && s.amount.amount() <= off.amount()
                    })
                    .min_by_key(|s| s.entry)
                {
                    let sku = self
                        .doc
                        .products
                        .get(target.0 as usize)
                        .map_or("", |p| p.sku.as_str());
                    let message = format!(
                        "{off} off would price {sku:?} at or below zero: prices[{}] is {}",
                        span.entry, span.amount
                    );
                    self.problems.push(
                        "promotions",
                        i,
                        "mechanic.amount_off",
                        ProblemKind::Promotion,
                        message,
                    );
                    return;
                }
            }
        }
    }

    fn stock(&mut self, index: &mut [ProductIndex], store: &mut Store) {
        let mut rows: Vec<(ProductKey, LocationKey, DateTime<Utc>, usize, u64)> =
            Vec::with_capacity(self.doc.stock.len());
        for (i, s) in self.doc.stock.iter().enumerate() {
            let product = self.sku(&s.sku);
            if product.is_none() {
                let message = format!("product {:?} is not in products", s.sku);
                self.problems
                    .push("stock", i, "sku", ProblemKind::UnknownReference, message);
            }
            let location = self.ids.locations.get(s.location.as_str()).copied();
            if location.is_none() {
                let message = format!("location {:?} is not in locations", s.location);
                self.problems.push(
                    "stock",
                    i,
                    "location",
                    ProblemKind::UnknownReference,
                    message,
                );
            }
            for (field, value) in [("on_hand", s.on_hand), ("reserved", s.reserved)] {
                if value < 0 {
                    let message = format!("{value} is negative: expected 0 or more units");
                    self.problems
                        .push("stock", i, field, ProblemKind::Stock, message);
                }
            }
            let as_of = self.instant(&s.as_of, None, DateEdge::Start, ("stock", i, "as_of"));
            let (Some(product), Some(location), Some(as_of)) = (product, location, as_of) else {
                continue;
            };
            let available = u64::try_from(s.on_hand.saturating_sub(s.reserved).max(0)).unwrap_or(0);
            rows.push((product, location, as_of, i, available));
        }
        rows.sort_unstable_by_key(|(p, l, t, i, _)| (*p, *l, *t, *i));
        for pair in rows.windows(2) {
            let [a, b] = pair else { continue };
            if (a.0, a.1, a.2) == (b.0, b.1, b.2) {
                let s = self.doc.stock.get(b.3);
                let message = format!(
                    "stock[{}] already counts {:?} at {:?} at this instant",
                    a.3,
                    s.map_or("", |s| s.sku.as_str()),
                    s.map_or("", |s| s.location.as_str())
                );
                self.problems
                    .push("stock", b.3, "as_of", ProblemKind::Duplicate, message);
            }
        }
        let mut rest = rows.as_slice();
        while let Some(&(product, _, _, _, _)) = rest.first() {
            let of_product = rest.iter().take_while(|r| r.0 == product).count();
            let (product_rows, after) = rest.split_at(of_product);
            rest = after;
            let first_run = store.stock.len();
            let mut location_rows = product_rows;
            while let Some(&(_, location, _, _, _)) = location_rows.first() {
                let n = location_rows.iter().take_while(|r| r.1 == location).count();
                let (run, after) = location_rows.split_at(n);
                location_rows = after;
                let start = store.snapshots.len();
                store.snapshots.extend(run.iter().map(|r| (r.2, r.4)));
                store.stock.push(StockRun {
                    location,
                    snapshots: Run::new(start, store.snapshots.len()),
                });
            }
            if let Some(entry) = index.get_mut(product.0 as usize) {
                entry.stock = Run::new(first_run, store.stock.len());
            }
        }
    }

    /// The key of a SKU, remembering the last one: prices and stock come grouped by product.
    fn sku(&mut self, sku: &'d str) -> Option<ProductKey> {
        if let Some((last, key)) = self.last_sku
            && last == sku
        {
            return Some(key);
        }
        let key = self.ids.skus.get(sku).copied()?;
        self.last_sku = Some((sku, key));
        Some(key)
    }
}
