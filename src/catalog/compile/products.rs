//! Products: SKUs and GTINs, titles, net quantities, assortments.

use std::sync::Arc;

use rust_decimal::Decimal;
use rustc_hash::FxHashMap;

use super::{Compiler, Section, intern, key_u32};
use crate::catalog::document::{ProductEntry, Title, UnitEntry};
use crate::catalog::{ChannelKey, ProblemKind, Product, ProductIndex, ProductKey, Store, Unit};
use crate::gtin::Gtin;
use crate::time::DateEdge;

/// A product's fields, borrowed: from a [`ProductEntry`], or from the text it was read from.
#[derive(Clone, Copy)]
pub(crate) struct ProductRef<'a> {
    pub(crate) sku: &'a str,
    pub(crate) gtin: Option<&'a str>,
    pub(crate) title: &'a Title,
    pub(crate) brand: Option<&'a str>,
    pub(crate) category: Option<&'a str>,
    pub(crate) launched: Option<&'a str>,
    pub(crate) unit: Option<&'a UnitEntry>,
    pub(crate) perishable: bool,
    pub(crate) channels: Option<&'a [String]>,
}

impl<'a> From<&'a ProductEntry> for ProductRef<'a> {
    fn from(p: &'a ProductEntry) -> ProductRef<'a> {
        ProductRef {
            sku: &p.sku,
            gtin: p.gtin.as_deref(),
            title: &p.title,
            brand: p.brand.as_deref(),
            category: p.category.as_deref(),
            launched: p.launched.as_deref(),
            unit: p.unit.as_ref(),
            perishable: p.perishable,
            channels: p.channels.as_deref(),
        }
    }
}

impl Compiler {
    pub(crate) fn add_product(&mut self, p: ProductRef<'_>) {
        let i = self.next(Section::Products);
        intern(
            &mut self.ids.skus,
            p.sku,
            ProductKey(key_u32(i)),
            &mut self.problems,
            (Section::Products, i),
            "sku",
        );
        let gtin = p.gtin.and_then(|text| match text.parse::<Gtin>() {
            Ok(gtin) => Some(gtin),
            Err(e) => {
                self.problems.push(
                    Section::Products,
                    i,
                    "gtin",
                    ProblemKind::Gtin,
                    e.to_string(),
                );
                None
            }
        });
        if let Some(gtin) = gtin {
            if let Some(first) = self.ids.gtins.get(&gtin) {
                let message = format!("GTIN {gtin} is also products[{}]'s", first.0);
                self.problems
                    .push(Section::Products, i, "gtin", ProblemKind::Gtin, message);
            } else {
                self.ids.gtins.insert(gtin, ProductKey(key_u32(i)));
            }
        }
        if p.title.for_locale(None).trim().is_empty() {
            self.problems.push(
                Section::Products,
                i,
                "title",
                ProblemKind::Value,
                "title is empty".to_owned(),
            );
        }
        let launched = p.launched.and_then(|text| {
            self.instant(
                text,
                None,
                DateEdge::Start,
                (Section::Products, i, "launched"),
            )
        });
        let unit = p.unit.and_then(|u| match u.quantity.0.parse::<Decimal>() {
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
                    Section::Products,
                    i,
                    "unit.quantity",
                    ProblemKind::Value,
                    message,
                );
                None
            }
        });
        // A catalog has few distinct assortments: equal lists share one allocation, which stays
        // in cache.
        let assortment = p.channels.map(|ids| {
            let list = self.channel_list(ids, None, (Section::Products, i));
            self.assortments
                .entry(list)
                .or_insert_with_key(|list| Arc::from(list.as_slice()))
                .clone()
        });
        self.products.push(Product {
            sku: p.sku.to_owned(),
            gtin,
            title: p.title.clone(),
            brand: p.brand.map(str::to_owned),
            category: p.category.map(str::to_owned),
            launched,
            unit,
            perishable: p.perishable,
            assortment,
        });
    }
}

/// Points each product's index at its (shared) assortment.
pub(crate) fn assortments(products: &[Product], index: &mut [ProductIndex], store: &mut Store) {
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
