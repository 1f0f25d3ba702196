//! Promotions: checked one at a time; the amount-off check, which meets prices, and the stacking
//! order of each product's promotions wait for the end.

use std::collections::BTreeSet;

use rust_decimal::Decimal;
use rustc_hash::FxHashMap;

use super::{Compiler, Section, intern, key_u32};
use crate::catalog::document::{MechanicEntry, PromotionEntry};
use crate::catalog::{
    ChannelSpans, Market, MarketKey, Mechanic, ProblemKind, Product, ProductIndex, ProductKey,
    Promotion, PromotionKey, Run, Store,
};
use crate::money::{Currency, Money};

/// Promotions compiled so far, and what waits for the end.
#[derive(Default)]
pub(crate) struct Pending {
    compiled: Vec<Promotion>,
    /// Each promotion's targets, for the stacking order.
    targeting: Vec<(ProductKey, PromotionKey)>,
    /// Amounts off, to check against the prices they meet once every price is in.
    amount_off: Vec<AmountOff>,
    /// Each category path and every ancestor of it -> the products filed under it; built at the
    /// first promotion, products being complete by then.
    by_category: Option<FxHashMap<Box<str>, Vec<ProductKey>>>,
    /// Entries that name neither SKUs nor categories (a lint).
    untargeted: Vec<usize>,
}

struct AmountOff {
    entry: usize,
    promotion: PromotionKey,
    off: Money,
    /// Sorted.
    targets: Vec<ProductKey>,
}

/// Each category path and every ancestor of it -> the products filed under it.
fn categories(products: &[Product]) -> FxHashMap<Box<str>, Vec<ProductKey>> {
    let mut by_category: FxHashMap<Box<str>, Vec<ProductKey>> = FxHashMap::default();
    for (i, p) in products.iter().enumerate() {
        if let Some(category) = p.category.as_deref() {
            for (cut, _) in category.match_indices('/').chain([(category.len(), "")]) {
                let path = category.get(..cut).unwrap_or(category);
                match by_category.get_mut(path) {
                    Some(keys) => keys.push(ProductKey(key_u32(i))),
                    None => {
                        by_category.insert(path.into(), vec![ProductKey(key_u32(i))]);
                    }
                }
            }
        }
    }
    by_category
}

impl Compiler {
    pub(crate) fn add_promotion(&mut self, p: &PromotionEntry) {
        let i = self.next(Section::Promotions);
        let at = (Section::Promotions, i);
        if p.skus.is_empty() && p.categories.is_empty() {
            self.promotions.untargeted.push(i);
        }
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
                let message = "is empty: leave it out or write null for every market".to_owned();
                self.problems.push(
                    Section::Promotions,
                    i,
                    "markets",
                    ProblemKind::Value,
                    message,
                );
            }
            let mut keys: Vec<MarketKey> = ids
                .iter()
                .enumerate()
                .filter_map(|(j, id)| {
                    self.market_ref(id, (Section::Promotions, i, &format!("markets[{j}]")))
                })
                .collect();
            keys.sort_unstable();
            keys.dedup();
            keys
        });
        let in_scope: Vec<&Market> = match &market_keys {
            Some(keys) => keys
                .iter()
                .filter_map(|k| self.markets.get(k.0 as usize))
                .collect(),
            None => self.markets.iter().collect(),
        };
        // Local dates need one zone: that of its markets, when they share one.
        let zones: BTreeSet<&str> = in_scope.iter().map(|m| m.time_zone.name()).collect();
        let zone = if zones.len() == 1 {
            in_scope.first().map(|m| m.time_zone)
        } else {
            None
        };
        let currencies: BTreeSet<Currency> = in_scope.iter().map(|m| m.currency).collect();
        let channel_keys = p
            .channels
            .as_ref()
            .map(|ids| self.channel_list(ids, None, at));
        if let (Some(channel_keys), Some(market_keys)) = (&channel_keys, &market_keys) {
            for (j, key) in channel_keys.iter().enumerate() {
                let channel = self.channels.get(key.0 as usize);
                if let Some(channel) = channel.filter(|c| !market_keys.contains(&c.market)) {
                    let message =
                        format!("channel {:?} is not in the promotion's markets", channel.id);
                    self.problems.push(
                        Section::Promotions,
                        i,
                        &format!("channels[{j}]"),
                        ProblemKind::UnknownReference,
                        message,
                    );
                }
            }
        }
        let window = self.window(&p.from, p.until.as_deref(), zone, at);
        let mechanic = self.mechanic(&p.mechanic, &currencies, i);

        let mut targets: BTreeSet<ProductKey> = BTreeSet::new();
        for (j, sku) in p.skus.iter().enumerate() {
            match self.ids.skus.get(sku.as_str()) {
                Some(k) => {
                    targets.insert(k);
                }
                None => {
                    let message = format!("product {sku:?} is not in products");
                    self.problems.push(
                        Section::Promotions,
                        i,
                        &format!("skus[{j}]"),
                        ProblemKind::UnknownReference,
                        message,
                    );
                }
            }
        }
        let products = &self.products;
        let by_category = self
            .promotions
            .by_category
            .get_or_insert_with(|| categories(products));
        for (j, category) in p.categories.iter().enumerate() {
            match by_category.get(category.as_str()) {
                Some(keys) => targets.extend(keys.iter().copied()),
                None => {
                    let message = format!("no product is in category {category:?} or below it");
                    let field = format!("categories[{j}]");
                    self.problems.push(
                        Section::Promotions,
                        i,
                        &field,
                        ProblemKind::UnknownReference,
                        message,
                    );
                }
            }
        }
        let (Some(window), Some(mechanic)) = (window, mechanic) else {
            return;
        };
        let key = PromotionKey(key_u32(self.promotions.compiled.len()));
        if let Mechanic::AmountOff(off) = mechanic {
            self.promotions.amount_off.push(AmountOff {
                entry: i,
                promotion: key,
                off,
                targets: targets.iter().copied().collect(),
            });
        }
        self.promotions
            .targeting
            .extend(targets.iter().map(|&target| (target, key)));
        self.promotions.compiled.push(Promotion {
            id: p.id.clone(),
            name: p.name.clone(),
            markets: market_keys,
            channels: channel_keys,
            window,
            mechanic,
            audience: p.audience,
            priority: p.priority,
            exclusive: p.exclusive,
        });
    }

    fn mechanic(
        &mut self,
        entry: &MechanicEntry,
        currencies: &BTreeSet<Currency>,
        i: usize,
    ) -> Option<Mechanic> {
        let money = |this: &mut Self, text: &str, field: &str| -> Option<Money> {
            let expected = (currencies.len() == 1)
                .then(|| currencies.first().copied())
                .flatten();
            let money = this.price_amount(text, expected, (Section::Promotions, i, field))?;
            if currencies.len() > 1 {
                let message = format!(
                    "{text:?} is one currency, but the promotion's markets use {}",
                    currencies.len()
                );
                this.problems.push(
                    Section::Promotions,
                    i,
                    field,
                    ProblemKind::Currency,
                    message,
                );
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
                        Section::Promotions,
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
                        Section::Promotions,
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

    /// Checks amounts off against the price books, then lays out each product's promotions in
    /// stacking order. Returns the promotions and the entries that target nothing.
    pub(crate) fn stacking(
        &mut self,
        index: &mut [ProductIndex],
        store: &mut Store,
    ) -> (Vec<Promotion>, Vec<usize>) {
        let pending = std::mem::take(&mut self.promotions);
        for check in &pending.amount_off {
            if let Some(promotion) = pending.compiled.get(check.promotion.0 as usize) {
                self.check_amount_off(promotion, check, index, store);
            }
        }
        let out = pending.compiled;
        let mut targeting = pending.targeting;
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
        (out, pending.untargeted)
    }

    /// An amount off as large as a price it meets would price that product at or below zero.
    fn check_amount_off(
        &mut self,
        promotion: &Promotion,
        check: &AmountOff,
        index: &[ProductIndex],
        store: &Store,
    ) {
        let off = check.off;
        for target in &check.targets {
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
                    self.channels
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
                    let sku = self.sku_of(*target);
                    let message = format!(
                        "{off} off would price {sku:?} at or below zero: prices[{}] is {}",
                        span.entry, span.amount
                    );
                    self.problems.push(
                        Section::Promotions,
                        check.entry,
                        "mechanic.amount_off",
                        ProblemKind::Promotion,
                        message,
                    );
                    return;
                }
            }
        }
    }
}
