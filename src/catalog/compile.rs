//! From document to compiled catalog: every check, every problem at once, then the indexes.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use rust_decimal::Decimal;
use rustc_hash::FxHashMap;

use super::document::{CatalogDocument, MechanicEntry};
use super::{
    Catalog, Channel, ChannelKey, Ids, Location, LocationKey, LocationStock, Market, MarketKey,
    MarketPrices, Mechanic, PriceSpan, Problem, ProblemKind, Product, ProductIndex, ProductKey,
    Promotion, PromotionKey, Unit,
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
}

pub(super) fn compile(doc: &CatalogDocument) -> Result<Catalog, CatalogError> {
    let mut c = Compiler {
        doc,
        problems: Problems::default(),
        ids: Ids::default(),
    };
    let markets = c.markets();
    let locations = c.locations();
    let channels = c.channels(&markets);
    let products = c.products();
    let mut index: Vec<ProductIndex> = vec![ProductIndex::default(); products.len()];
    c.prices(&markets, &channels, &mut index);
    let promotions = c.promotions(&markets, &channels, &products, &mut index);
    c.stock(&mut index);

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
        ids: c.ids,
        lints: vec![],
    };
    catalog.lints = super::lint::lints(&catalog, doc);
    Ok(catalog)
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
        // Assortments refer to channels, interned before products.
        for (i, p) in self.doc.products.iter().enumerate() {
            if let Some(ids) = &p.channels {
                let list = self.channel_list(ids, &[], None, ("products", i));
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
        let parsed = match zone {
            Some(_) => parse_instant_or_date(text, zone, edge),
            None => parse_instant(text),
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

    fn prices(&mut self, markets: &[Market], channels: &[Channel], index: &mut [ProductIndex]) {
        // (product, market, channel or none) -> spans, kept in a BTreeMap for a deterministic build.
        let mut scopes: BTreeMap<(ProductKey, MarketKey, Option<ChannelKey>), Vec<PriceSpan>> =
            BTreeMap::new();
        for (i, p) in self.doc.prices.iter().enumerate() {
            let product = self.ids.skus.get(p.sku.as_str()).copied();
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
                None => scopes
                    .entry((product, market, None))
                    .or_default()
                    .push(span),
                Some(keys) => {
                    for key in keys {
                        scopes
                            .entry((product, market, Some(key)))
                            .or_default()
                            .push(span);
                    }
                }
            }
        }
        let mut reported = BTreeSet::new();
        for ((product, market, channel), mut spans) in scopes {
            spans.sort_by_key(|s| (s.window.from, s.entry));
            for pair in spans.windows(2) {
                let (a, b) = (pair[0], pair[1]);
                if a.window.overlaps(&b.window) && reported.insert((a.entry, b.entry)) {
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
            let Some(entry) = index.get_mut(product.0 as usize) else {
                continue;
            };
            let book = match entry.prices.binary_search_by_key(&market, |(m, _)| *m) {
                Ok(at) => &mut entry.prices[at].1,
                Err(at) => {
                    entry.prices.insert(at, (market, MarketPrices::default()));
                    &mut entry.prices[at].1
                }
            };
            match channel {
                None => book.market_wide = spans,
                // Scopes come out of the BTreeMap sorted by channel.
                Some(c) => book.by_channel.push((c, spans)),
            }
        }
    }

    fn promotions(
        &mut self,
        markets: &[Market],
        channels: &[Channel],
        products: &[Product],
        index: &mut [ProductIndex],
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
                self.check_amount_off(&promotion, off, &targets, index, channels, i);
            }
            let key = PromotionKey(key_u32(out.len()));
            for target in &targets {
                if let Some(entry) = index.get_mut(target.0 as usize) {
                    entry.promotions.push(key);
                }
            }
            out.push(promotion);
        }
        // Re-key: promotions dropped for errors never reach a catalog, so keys equal document indexes
        // whenever compiling succeeds. Stacking order: priority high first, then id.
        for entry in index.iter_mut() {
            entry.promotions.sort_by(|a, b| {
                let (pa, pb) = (&out[a.0 as usize], &out[b.0 as usize]);
                pb.priority
                    .cmp(&pa.priority)
                    .then_with(|| pa.id.cmp(&pb.id))
            });
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
    fn check_amount_off(
        &mut self,
        promotion: &Promotion,
        off: Money,
        targets: &BTreeSet<ProductKey>,
        index: &[ProductIndex],
        channels: &[Channel],
        i: usize,
    ) {
        for target in targets {
            let Some(entry) = index.get(target.0 as usize) else {
                continue;
            };
            for (market, book) in &entry.prices {
                if promotion
                    .markets
                    .as_ref()
                    .is_some_and(|m| !m.contains(market))
                {
                    continue;
                }
                let covered = |c: &ChannelKey| {
                    channels
                        .get(c.0 as usize)
                        .is_some_and(|ch| promotion.covers_channel(*c, ch.market))
                };
                let spans = book.market_wide.iter().chain(
                    book.by_channel
                        .iter()
                        .filter(|(c, _)| covered(c))
                        .flat_map(|(_, spans)| spans.iter()),
                );
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

    fn stock(&mut self, index: &mut [ProductIndex]) {
        let mut seen: BTreeMap<(ProductKey, LocationKey, DateTime<Utc>), usize> = BTreeMap::new();
        for (i, s) in self.doc.stock.iter().enumerate() {
            let product = self.ids.skus.get(s.sku.as_str()).copied();
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
                    self.problems.push(
                        "stock",
                        i,
                        field,
                        ProblemKind::Stock,
                        format!("{value} is negative"),
                    );
                }
            }
            let as_of = self.instant(&s.as_of, None, DateEdge::Start, ("stock", i, "as_of"));
            let (Some(product), Some(location), Some(as_of)) = (product, location, as_of) else {
                continue;
            };
            if let Some(first) = seen.insert((product, location, as_of), i) {
                let message = format!(
                    "stock[{first}] already counts {:?} at {:?} at this instant",
                    s.sku, s.location
                );
                self.problems
                    .push("stock", i, "as_of", ProblemKind::Duplicate, message);
                continue;
            }
            let available = u64::try_from(s.on_hand.saturating_sub(s.reserved).max(0)).unwrap_or(0);
            let Some(entry) = index.get_mut(product.0 as usize) else {
                continue;
            };
            match entry.stock.binary_search_by_key(&location, |l| l.location) {
                Ok(at) => entry.stock[at].snapshots.push((as_of, available)),
                Err(at) => entry.stock.insert(
                    at,
                    LocationStock {
                        location,
                        snapshots: vec![(as_of, available)],
                    },
                ),
            }
        }
        for entry in index.iter_mut() {
            for location in &mut entry.stock {
                location.snapshots.sort_by_key(|(t, _)| *t);
            }
        }
    }
}
