//! Stock snapshots: checked one at a time, and built into each product's runs by location as soon
//! as the snapshots of the next product begin (documents list stock grouped by product, in the
//! order of the products, as `unisono gen` writes it), so that the snapshots of one product at a
//! time are held and sorted. When a product's snapshots come after a later product's, the runs
//! built are turned back into rows and every row is sorted once at the end, as if none had been
//! built. Either way the store is laid out in the order of the products.

use chrono::{DateTime, Utc};

use super::{Compiler, Section, key_u32};
use crate::catalog::document::StockSnapshot;
use crate::catalog::{LocationKey, ProblemKind, ProductIndex, ProductKey, Run, StockRun, Store};
use crate::time::DateEdge;

/// A stock snapshot's fields, borrowed: from a [`StockSnapshot`], or from the text it was read
/// from.
#[derive(Clone, Copy)]
pub(crate) struct StockRef<'a> {
    pub(crate) sku: &'a str,
    pub(crate) location: &'a str,
    pub(crate) on_hand: i64,
    pub(crate) reserved: i64,
    pub(crate) as_of: &'a str,
}

impl<'a> From<&'a StockSnapshot> for StockRef<'a> {
    fn from(s: &'a StockSnapshot) -> StockRef<'a> {
        StockRef {
            sku: &s.sku,
            location: &s.location,
            on_hand: s.on_hand,
            reserved: s.reserved,
            as_of: &s.as_of,
        }
    }
}

/// `(product, location, as_of, entry, available)`.
type Row = (ProductKey, LocationKey, DateTime<Utc>, usize, u64);

/// The snapshots read so far.
#[derive(Default)]
pub(crate) struct Rows {
    /// The rows of the product being read, or every row once they came out of order.
    held: Vec<Row>,
    /// Runs by location, and the snapshots they point into (the rest of the store stays empty).
    store: Store,
    /// Each snapshot's entry, beside `store.snapshots`.
    entries: Vec<u32>,
    /// Each product's runs in `store.stock`, in the order of the products.
    runs: Vec<(ProductKey, Run)>,
    /// Whether a product's snapshots came after a later product's: then all rows wait for the end.
    unsorted: bool,
}

impl Rows {
    /// Makes room for about `entries` snapshots, as far as memory allows.
    pub(crate) fn reserve(&mut self, entries: usize) {
        let _ = self.store.snapshots.try_reserve(entries);
        let _ = self.entries.try_reserve(entries);
        // At most one run per snapshot.
        let _ = self.store.stock.try_reserve(entries);
    }

    /// Takes a row, building the runs of the product held before it if it is of a later one.
    fn push(&mut self, row: Row) {
        if !self.unsorted {
            let before = self
                .held
                .first()
                .map(|r| r.0)
                .or_else(|| self.runs.last().map(|r| r.0));
            match before {
                Some(before) if before == row.0 && !self.held.is_empty() => {}
                Some(before) if before >= row.0 => self.unbuild(),
                _ => self.build(),
            }
        }
        self.held.push(row);
    }

    /// Sorts the rows held (of one product, or all) and builds their runs.
    fn build(&mut self) {
        let mut rows = std::mem::take(&mut self.held);
        rows.sort_unstable_by_key(|(p, l, t, i, _)| (*p, *l, *t, *i));
        let store = &mut self.store;
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
                self.entries.extend(run.iter().map(|r| key_u32(r.3)));
                store.stock.push(StockRun {
                    location,
                    snapshots: Run::new(start, store.snapshots.len()),
                });
            }
            self.runs
                .push((product, Run::new(first_run, store.stock.len())));
        }
        rows.clear();
        self.held = rows;
    }

    /// Turns the runs built back into rows, to be sorted with every other at the end.
    fn unbuild(&mut self) {
        self.unsorted = true;
        let built = std::mem::take(&mut self.store);
        let entries = std::mem::take(&mut self.entries);
        for (product, run) in std::mem::take(&mut self.runs) {
            for stock_run in run.of(&built.stock) {
                let range = stock_run.snapshots.start as usize..stock_run.snapshots.end as usize;
                let snapshots = built.snapshots.get(range.clone()).unwrap_or(&[]);
                let entries = entries.get(range).unwrap_or(&[]);
                self.held.extend(snapshots.iter().zip(entries).map(
                    |(&(as_of, available), &entry)| {
                        (
                            product,
                            stock_run.location,
                            as_of,
                            entry as usize,
                            available,
                        )
                    },
                ));
            }
        }
    }
}

impl Compiler {
    pub(crate) fn add_stock(&mut self, s: StockRef<'_>) {
        let i = self.next(Section::Stock);
        let product = self.sku(s.sku);
        if product.is_none() {
            let message = format!("product {:?} is not in products", s.sku);
            self.problems.push(
                Section::Stock,
                i,
                "sku",
                ProblemKind::UnknownReference,
                message,
            );
        }
        let location = self.ids.locations.get(s.location).copied();
        if location.is_none() {
            let message = format!("location {:?} is not in locations", s.location);
            self.problems.push(
                Section::Stock,
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
                    .push(Section::Stock, i, field, ProblemKind::Stock, message);
            }
        }
        let as_of = self.instant(s.as_of, None, DateEdge::Start, (Section::Stock, i, "as_of"));
        let (Some(product), Some(location), Some(as_of)) = (product, location, as_of) else {
            return;
        };
        let available = u64::try_from(s.on_hand.saturating_sub(s.reserved).max(0)).unwrap_or(0);
        self.stock.push((product, location, as_of, i, available));
    }

    /// Builds what is left into runs by product and location, reporting two counts of one
    /// product at one location at one instant, and points each product's index at its runs.
    pub(crate) fn stock_runs(&mut self, index: &mut [ProductIndex], store: &mut Store) {
        let mut rows = std::mem::take(&mut self.stock);
        rows.build();
        drop(rows.held);
        for &(product, run) in &rows.runs {
            for stock_run in run.of(&rows.store.stock) {
                let range = stock_run.snapshots.start as usize..stock_run.snapshots.end as usize;
                let snapshots = rows.store.snapshots.get(range.clone()).unwrap_or(&[]);
                let entries = rows.entries.get(range).unwrap_or(&[]);
                // Sorted by instant, then entry.
                for (pair, entries) in snapshots.windows(2).zip(entries.windows(2)) {
                    if let ([a, b], [first, again]) = (pair, entries)
                        && a.0 == b.0
                    {
                        self.report_counted_twice(product, stock_run.location, *first, *again);
                    }
                }
            }
            if let Some(entry) = index.get_mut(product.0 as usize) {
                entry.stock = run;
            }
        }
        store.stock = rows.store.stock;
        store.snapshots = rows.store.snapshots;
    }

    /// Reports stock entry `again` counting what entry `first` counts.
    fn report_counted_twice(
        &mut self,
        product: ProductKey,
        location: LocationKey,
        first: u32,
        again: u32,
    ) {
        // Both ids resolved, so they are the compiled ones, as written.
        let sku = self.sku_of(product);
        let location = self
            .locations
            .get(location.0 as usize)
            .map_or("", |l| l.id.as_str());
        let message =
            format!("stock[{first}] already counts {sku:?} at {location:?} at this instant");
        self.problems.push(
            Section::Stock,
            again as usize,
            "as_of",
            ProblemKind::Duplicate,
            message,
        );
    }
}
