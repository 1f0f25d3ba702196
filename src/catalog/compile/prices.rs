//! Price list entries: checked one at a time, then sorted once into each product's price books.

use chrono_tz::Tz;

use super::{Compiler, Section, key_u32};
use crate::catalog::document::PriceEntry;
use crate::catalog::{
    ChannelKey, ChannelSpans, MarketKey, PriceBook, PriceSpan, ProblemKind, ProductIndex,
    ProductKey, Run, Store,
};

/// One row per span and scope (market-wide, or one channel), sorted once at the end, then grouped.
pub(super) type Rows = Vec<(ProductKey, MarketKey, Option<ChannelKey>, PriceSpan)>;

impl Compiler {
    pub(in crate::catalog) fn add_price(&mut self, p: &PriceEntry) {
        let i = self.next(Section::Prices);
        let product = self.sku(&p.sku);
        if product.is_none() {
            let message = format!("product {:?} is not in products", p.sku);
            self.problems.push(
                Section::Prices,
                i,
                "sku",
                ProblemKind::UnknownReference,
                message,
            );
        }
        let market = self.market_ref(&p.market, (Section::Prices, i, "market"));
        let market_info = market
            .and_then(|m| self.markets.get(m.0 as usize))
            .map(|m| (m.currency, m.time_zone));
        let channel_keys = p.channels.as_ref().map(|ids| {
            self.channel_list(
                ids,
                market.map(|m| (m, p.market.as_str())),
                (Section::Prices, i),
            )
        });
        let amount = self.price_amount(
            &p.amount,
            market_info.map(|(currency, _)| currency),
            (Section::Prices, i, "amount"),
        );
        let window = self.window(
            &p.from,
            p.until.as_deref(),
            market_info.map(|(_, zone)| zone),
            (Section::Prices, i),
        );
        let (Some(product), Some(market), Some(amount), Some(window)) =
            (product, market, amount, window)
        else {
            return;
        };
        let span = PriceSpan {
            window,
            amount,
            entry: key_u32(i),
            channel_specific: channel_keys.is_some(),
        };
        match channel_keys {
            None => self.prices.push((product, market, None, span)),
            Some(keys) => self.prices.extend(
                keys.into_iter()
                    .map(|key| (product, market, Some(key), span)),
            ),
        }
    }

    /// Sorts the rows into each product's price books, reporting entries of one scope that overlap.
    pub(super) fn price_books(&mut self, index: &mut [ProductIndex], store: &mut Store) {
        let mut rows = std::mem::take(&mut self.prices);
        rows.sort_unstable_by_key(|(p, m, c, span)| (*p, *m, *c, span.window.from, span.entry));
        // Sized once: growing by doubling would hold up to twice the spans at the peak.
        store.spans.reserve_exact(rows.len());

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
                self.report_overlaps(spans.of(&store.spans), market, channel, &mut reported);
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
                    self.channels
                        .get(c.0 as usize)
                        .map_or("", |c| c.id.as_str())
                ),
                None => format!(
                    "market-wide in {:?}",
                    self.markets
                        .get(market.0 as usize)
                        .map_or("", |m| m.id.as_str())
                ),
            };
            let zone = self
                .markets
                .get(market.0 as usize)
                .map_or(Tz::UTC, |m| m.time_zone);
            let message = format!(
                "overlaps prices[{}] ({scope}, same product) from {}: entries of one scope must not overlap in time",
                a.entry,
                crate::time::rfc3339_in(b.window.from, zone)
            );
            self.problems.push(
                Section::Prices,
                b.entry as usize,
                "from",
                ProblemKind::Overlap,
                message,
            );
        }
    }
}
