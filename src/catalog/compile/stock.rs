//! Stock snapshots: checked one at a time, then sorted once into runs by product and location.

use chrono::{DateTime, Utc};

use super::{Compiler, Section};
use crate::catalog::document::StockSnapshot;
use crate::catalog::{LocationKey, ProblemKind, ProductIndex, ProductKey, Run, StockRun, Store};
use crate::time::DateEdge;

/// `(product, location, as_of, entry, available)`.
pub(super) type Rows = Vec<(ProductKey, LocationKey, DateTime<Utc>, usize, u64)>;

impl Compiler {
    pub(in crate::catalog) fn add_stock(&mut self, s: &StockSnapshot) {
        let i = self.next(Section::Stock);
        let product = self.sku(&s.sku);
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
        let location = self.ids.locations.get(s.location.as_str()).copied();
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
        let as_of = self.instant(
            &s.as_of,
            None,
            DateEdge::Start,
            (Section::Stock, i, "as_of"),
        );
        let (Some(product), Some(location), Some(as_of)) = (product, location, as_of) else {
            return;
        };
        let available = u64::try_from(s.on_hand.saturating_sub(s.reserved).max(0)).unwrap_or(0);
        self.stock.push((product, location, as_of, i, available));
    }

    /// Sorts the snapshots into runs by product and location, reporting two counts of one product
    /// at one location at one instant.
    pub(super) fn stock_runs(&mut self, index: &mut [ProductIndex], store: &mut Store) {
        let mut rows = std::mem::take(&mut self.stock);
        rows.sort_unstable_by_key(|(p, l, t, i, _)| (*p, *l, *t, *i));
        for pair in rows.windows(2) {
            let [a, b] = pair else { continue };
            if (a.0, a.1, a.2) == (b.0, b.1, b.2) {
                // Both ids resolved, so they are the compiled ones, as written.
                let sku = self.sku_of(b.0);
                let location = self
                    .locations
                    .get(b.1.0 as usize)
                    .map_or("", |l| l.id.as_str());
                let message = format!(
                    "stock[{}] already counts {sku:?} at {location:?} at this instant",
                    a.3
                );
                self.problems.push(
                    Section::Stock,
                    b.3,
                    "as_of",
                    ProblemKind::Duplicate,
                    message,
                );
            }
        }
        store.snapshots.reserve_exact(rows.len());
        // At most one run per snapshot.
        let _ = store.stock.try_reserve(rows.len());
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
}
