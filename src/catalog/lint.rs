//! Advice on a catalog that compiles: likely mistakes that are not errors.

use std::collections::BTreeSet;

use super::{Catalog, MarketKey, Problem, ProblemKind, ProductKey};

/// `untargeted`: the promotions (by index) that name neither SKUs nor categories.
pub(super) fn lints(catalog: &Catalog, untargeted: &[usize]) -> Vec<Problem> {
    let mut out = Vec::new();
    let lint = |path: String, message: String| Problem {
        path,
        kind: ProblemKind::Lint,
        message,
    };

    for (i, channel) in catalog.channels.iter().enumerate() {
        if channel.locations.is_empty() {
            out.push(lint(
                format!("channels[{i}].locations"),
                format!(
                    "channel {:?} has no location: every product shows 0 available there",
                    channel.id
                ),
            ));
        }
    }
    for (i, product) in catalog.products.iter().enumerate() {
        let key = ProductKey(u32::try_from(i).unwrap_or(u32::MAX));
        let priced: BTreeSet<MarketKey> = catalog.books_of(key).iter().map(|b| b.market).collect();
        let unpriced: BTreeSet<&str> = catalog
            .channels
            .iter()
            .enumerate()
            .filter(|(c, ch)| {
                let listed = product
                    .assortment
                    .as_ref()
                    .is_none_or(|a| a.iter().any(|k| k.0 as usize == *c));
                listed && !priced.contains(&ch.market)
            })
            .map(|(_, ch)| catalog.market_at(ch.market).id.as_str())
            .collect();
        for market in unpriced {
            out.push(lint(
                format!("products[{i}]"),
                format!(
                    "product {:?} is sold in market {market:?} but has no price there",
                    product.sku
                ),
            ));
        }
    }
    // A catalog that compiles has compiled every promotion, so indexes agree.
    for &i in untargeted {
        if let Some(promotion) = catalog.promotions.get(i) {
            out.push(lint(
                format!("promotions[{i}]"),
                format!(
                    "promotion {:?} targets no product: give it skus or categories",
                    promotion.id
                ),
            ));
        }
    }
    out.extend(super::v2::lints(catalog));
    out
}
