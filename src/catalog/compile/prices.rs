//! Price list entries: checked one at a time, and built into each product's price books as soon
//! as the entries of the next product begin (documents list prices grouped by product, as
//! `unisono gen` writes them), so that the rows of one product at a time are held and sorted. When
//! a product's prices come back after another's, the books built are turned back into rows and
//! every row is sorted once at the end, as if none had been built.

use chrono_tz::Tz;

use super::{Compiler, Section, key_u32};
use crate::catalog::document::PriceEntry;
use crate::catalog::{
    ChannelKey, ChannelSpans, MarketKey, PriceBook, PriceSpan, ProblemKind, ProductIndex,
    ProductKey, Run, Store,
};

/// One row per span and scope (market-wide, or one channel), sorted, then grouped.
pub(crate) type Rows = Vec<(ProductKey, MarketKey, Option<ChannelKey>, PriceSpan)>;

/// The price books built so far.
#[derive(Default)]
pub(crate) struct Books {
    /// Books, channel spans and spans (the rest of the store stays empty).
    store: Store,
    /// Each product's books in `store.books`, in the order they were built.
    runs: Vec<(ProductKey, Run)>,
    /// Products whose books are built, by key.
    built: Vec<bool>,
    /// Whether a product's prices came back after another's: then all rows wait for the end.
    unsorted: bool,
}

impl Books {
    /// Makes room for the books of about `entries` price entries of `products` products in
    /// `markets` markets, as far as memory allows.
    pub(crate) fn reserve(&mut self, entries: usize, products: usize, markets: usize) {
        // A product has at most one book per market, and one run of books.
        let books = products.saturating_mul(markets);
        let _ = self.store.spans.try_reserve(entries);
        let _ = self
            .store
            .books
            .try_reserve(books.saturating_sub(self.store.books.len()));
        let _ = self
            .runs
            .try_reserve(products.saturating_sub(self.runs.len()));
    }
}

/// A price entry's fields, borrowed: from a [`PriceEntry`], or from the text it was read from.
#[derive(Clone, Copy)]
pub(crate) struct PriceRef<'a> {
    pub(crate) sku: &'a str,
    pub(crate) market: &'a str,
    pub(crate) channels: Option<&'a [String]>,
    pub(crate) amount: &'a str,
    pub(crate) from: &'a str,
    pub(crate) until: Option<&'a str>,
}

impl<'a> From<&'a PriceEntry> for PriceRef<'a> {
    fn from(p: &'a PriceEntry) -> PriceRef<'a> {
        PriceRef {
            sku: &p.sku,
            market: &p.market,
            channels: p.channels.as_deref(),
            amount: &p.amount,
            from: &p.from,
            until: p.until.as_deref(),
        }
    }
}

impl Compiler {
    pub(crate) fn add_price(&mut self, p: PriceRef<'_>) {
        let i = self.next(Section::Prices);
        let product = self.sku(p.sku);
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
        let market = self.market_ref(p.market, (Section::Prices, i, "market"));
        let market_info = market
            .and_then(|m| self.markets.get(m.0 as usize))
            .map(|m| (m.currency, m.time_zone));
        let channel_keys = p
            .channels
            .map(|ids| self.channel_list(ids, market.map(|m| (m, p.market)), (Section::Prices, i)));
        let amount = self.price_amount(
            p.amount,
            market_info.map(|(currency, _)| currency),
            (Section::Prices, i, "amount"),
        );
        let window = self.window(
            p.from,
            p.until,
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
        self.rows_of(product);
        match channel_keys {
            None => self.prices.push((product, market, None, span)),
            Some(keys) => self.prices.extend(
                keys.into_iter()
                    .map(|key| (product, market, Some(key), span)),
            ),
        }
    }

    /// Before a row of `product`: builds the books of the product whose rows are held, if it is
    /// another.
    fn rows_of(&mut self, product: ProductKey) {
        if self.books.unsorted {
            return;
        }
        let Some(&(held, ..)) = self.prices.first() else {
            self.note_built(product);
            return;
        };
        if held == product {
            return;
        }
        let mut rows = std::mem::take(&mut self.prices);
        let mut books = std::mem::take(&mut self.books);
        sort(&mut rows);
        build(&rows, &mut books.store, &mut books.runs);
        rows.clear();
        self.prices = rows;
        self.books = books;
        self.note_built(product);
    }

    /// Notes that the rows of `product` begin: out of order if its books are built already.
    fn note_built(&mut self, product: ProductKey) {
        let i = product.0 as usize;
        if self.books.built.len() <= i {
            self.books
                .built
                .resize(self.products.len().max(i + 1), false);
        }
        match self.books.built.get_mut(i) {
            Some(built) if *built => self.books.unsorted = true,
            Some(built) => *built = true,
            None => {}
        }
    }

    /// Sorts the rows into each product's price books, reporting entries of one scope that overlap.
    pub(crate) fn price_books(&mut self, index: &mut [ProductIndex], store: &mut Store) {
        let mut rows = std::mem::take(&mut self.prices);
        let mut books = std::mem::take(&mut self.books);
        if books.unsorted {
            // Back to rows, in the order the books hold them, and sorted once with the rest.
            rows.reserve_exact(books.store.spans.len());
            for &(product, run) in &books.runs {
                for book in run.of(&books.store.books) {
                    let wide = book.market_wide.of(&books.store.spans);
                    rows.extend(wide.iter().map(|s| (product, book.market, None, *s)));
                    for channel in book.channels.of(&books.store.channel_spans) {
                        let spans = channel.spans.of(&books.store.spans);
                        rows.extend(
                            spans
                                .iter()
                                .map(|s| (product, book.market, Some(channel.channel), *s)),
                        );
                    }
                }
            }
            books = Books::default();
        }
        sort(&mut rows);
        build(&rows, &mut books.store, &mut books.runs);
        drop(rows);
        for &(product, run) in &books.runs {
            if let Some(entry) = index.get_mut(product.0 as usize) {
                entry.books = run;
            }
        }
        let mut reported = rustc_hash::FxHashSet::default();
        for &(_, run) in &books.runs {
            for book in run.of(&books.store.books) {
                let spans = book.market_wide.of(&books.store.spans);
                self.report_overlaps(spans, book.market, None, &mut reported);
                for channel in book.channels.of(&books.store.channel_spans) {
                    let spans = channel.spans.of(&books.store.spans);
                    self.report_overlaps(spans, book.market, Some(channel.channel), &mut reported);
                }
            }
        }
        store.books = books.store.books;
        store.channel_spans = books.store.channel_spans;
        store.spans = books.store.spans;
        store.books.shrink_to_fit();
        store.channel_spans.shrink_to_fit();
        store.spans.shrink_to_fit();
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

/// Sorts rows by product, market, scope, start and entry.
fn sort(rows: &mut Rows) {
    rows.sort_unstable_by_key(|(p, m, c, span)| (*p, *m, *c, span.window.from, span.entry));
}

/// Groups sorted rows into price books in `store`, noting each product's in `runs`.
fn build(
    rows: &[(ProductKey, MarketKey, Option<ChannelKey>, PriceSpan)],
    store: &mut Store,
    runs: &mut Vec<(ProductKey, Run)>,
) {
    let mut rest = rows;
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
            match channel {
                None => book.market_wide = spans,
                Some(channel) => store.channel_spans.push(ChannelSpans { channel, spans }),
            }
        }
        book.channels.end = key_u32(store.channel_spans.len());
        match runs.last_mut() {
            Some((last, run)) if *last == product => {
                store.books.push(book);
                run.end = key_u32(store.books.len());
            }
            _ => {
                let start = store.books.len();
                store.books.push(book);
                runs.push((product, Run::new(start, store.books.len())));
            }
        }
    }
}
