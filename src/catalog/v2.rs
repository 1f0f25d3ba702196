//! What catalog v2 adds to the compiled catalog (CONTRACT §10–§12): customer-group and volume
//! price entries, product families, recommended retail prices and anchor prices.
//!
//! Kept beside the v1 indexes rather than in them: a v1 query (the public price for one unit)
//! never reads these tables, so v1 catalogs cost what they cost before.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};

use super::{Catalog, ChannelKey, ChannelKind, MarketKey, PriceSpan, ProductKey};

/// Index of a customer group in its catalog.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct GroupKey(pub(crate) u32);

/// A price entry with a customer group or a `min_quantity` above 1, as it applies to one product,
/// market and scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TieredSpan {
    /// The product.
    pub product: ProductKey,
    /// The market.
    pub market: MarketKey,
    /// The channel of a channel-specific entry; `None` for a market-wide one.
    pub channel: Option<ChannelKey>,
    /// The customer group; `None` for a public (volume) entry.
    pub group: Option<GroupKey>,
    /// The quantity from which it applies (at least 1).
    pub min_quantity: u32,
    /// Its window, amount and entry.
    pub span: PriceSpan,
}

/// The anchor price rule of a market (CONTRACT §12; Croatia, 2025).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchor {
    /// The local date written.
    pub date: NaiveDate,
    /// Its local start: the anchor price is the public price at this instant.
    pub at: DateTime<Utc>,
    /// The channel kinds that must show it, sorted.
    pub kinds: Vec<ChannelKind>,
}

impl Anchor {
    /// Whether channels of `kind` must show the anchor price.
    pub fn covers(&self, kind: ChannelKind) -> bool {
        self.kinds.contains(&kind)
    }
}

/// The v2 tables of a compiled catalog.
#[derive(Debug, Clone, Default)]
pub(crate) struct Extras {
    /// Sorted by product, market, channel, group, min_quantity, start.
    pub(crate) tiered: Vec<TieredSpan>,
    /// Customer groups named by price entries or promotions, by key.
    pub(crate) groups: Vec<String>,
    /// Families, each with its products in document order.
    pub(crate) families: BTreeMap<String, Vec<ProductKey>>,
}

impl Catalog {
    /// The key of a customer group named in the catalog.
    pub fn group_key(&self, group: &str) -> Option<GroupKey> {
        self.extras
            .groups
            .iter()
            .position(|g| g == group)
            .and_then(|i| u32::try_from(i).ok())
            .map(GroupKey)
    }

    /// The name of a customer group.
    pub fn group_name(&self, key: GroupKey) -> &str {
        self.extras
            .groups
            .get(key.0 as usize)
            .map_or("", String::as_str)
    }

    /// The products of a family, in document order; empty for an unknown family.
    ///
    /// ```
    /// let catalog = unisono::Catalog::from_json(r#"{
    ///   "products": [{"sku": "T-S", "title": "T-shirt", "family": "TEE", "variant": {"size": "S"}},
    ///                {"sku": "T-M", "title": "T-shirt", "family": "TEE", "variant": {"size": "M"}}]
    /// }"#)?;
    /// let skus: Vec<&str> = catalog.family("TEE").iter().map(|k| catalog.product_at(*k).sku.as_str()).collect();
    /// assert_eq!(skus, ["T-S", "T-M"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn family(&self, family: &str) -> &[ProductKey] {
        self.extras.families.get(family).map_or(&[], Vec::as_slice)
    }

    /// Every family and its products, by family name.
    pub fn families(&self) -> impl Iterator<Item = (&str, &[ProductKey])> {
        self.extras
            .families
            .iter()
            .map(|(name, keys)| (name.as_str(), keys.as_slice()))
    }

    /// The products of `family` whose variant includes every pair of `selected`.
    pub fn variants_matching(
        &self,
        family: &str,
        selected: &BTreeMap<String, String>,
    ) -> Vec<ProductKey> {
        self.family(family)
            .iter()
            .copied()
            .filter(|&k| {
                let variant = &self.product_at(k).variant;
                selected
                    .iter()
                    .all(|(name, value)| variant.get(name) == Some(value))
            })
            .collect()
    }

    /// The group and volume price entries of a product, sorted by market, channel, group,
    /// min_quantity and start.
    pub(crate) fn tiered_of(&self, product: ProductKey) -> &[TieredSpan] {
        let rows = &self.extras.tiered;
        let start = rows.partition_point(|r| r.product < product);
        let end = rows.partition_point(|r| r.product <= product);
        rows.get(start..end).unwrap_or(&[])
    }
}

/// Lints of v2: promotions that can never change a price, and variants that cannot be told apart.
pub(super) fn lints(catalog: &Catalog) -> Vec<super::Problem> {
    use super::{Mechanic, Problem, ProblemKind};
    let lint = |path: String, message: String| Problem {
        path,
        kind: ProblemKind::Lint,
        message,
    };
    let mut out = Vec::new();
    // Per promotion: whether it targets a product, meets a price entry, meets one above its fixed price.
    let mut seen = vec![(false, false, false); catalog.promotions.len()];
    for product in
        (0..catalog.products.len()).map(|i| ProductKey(u32::try_from(i).unwrap_or(u32::MAX)))
    {
        let books = catalog.books_of(product);
        let tiered = catalog.tiered_of(product);
        for &key in catalog.promotions_of(product) {
            let promotion = catalog.promotion_at(key);
            let in_market =
                |m: MarketKey| promotion.markets.as_ref().is_none_or(|ms| ms.contains(&m));
            let on_channel = |c: Option<ChannelKey>| {
                c.is_none_or(|c| promotion.channels.as_ref().is_none_or(|cs| cs.contains(&c)))
            };
            let Some(state) = seen.get_mut(key.0 as usize) else {
                continue;
            };
            state.0 = true;
            let wide = books.iter().filter(|b| in_market(b.market)).flat_map(|b| {
                let own = b.market_wide.of(&catalog.store.spans).iter();
                let by_channel = b
                    .channels
                    .of(&catalog.store.channel_spans)
                    .iter()
                    .filter(|c| on_channel(Some(c.channel)))
                    .flat_map(|c| c.spans.of(&catalog.store.spans).iter());
                own.chain(by_channel)
            });
            let others = tiered
                .iter()
                .filter(|r| in_market(r.market) && on_channel(r.channel))
                .map(|r| &r.span);
            for span in wide
                .chain(others)
                .filter(|s| s.window.overlaps(&promotion.window))
            {
                state.1 = true;
                if let Mechanic::FixedPrice(fixed) = promotion.mechanic
                    && span.amount > fixed
                {
                    state.2 = true;
                }
            }
        }
    }
    for (i, (promotion, (targets, meets, below))) in catalog.promotions.iter().zip(seen).enumerate()
    {
        if !targets {
            continue;
        }
        if !meets {
            out.push(lint(
                format!("promotions[{i}]"),
                format!(
                    "promotion {:?} runs outside every price entry of its products: it can never change a price",
                    promotion.id
                ),
            ));
        } else if let Mechanic::FixedPrice(fixed) = promotion.mechanic
            && !below
        {
            out.push(lint(
                format!("promotions[{i}].mechanic.fixed_price"),
                format!(
                    "promotion {:?} fixes the price at {fixed}, at or above every regular price it meets: it can never change a price",
                    promotion.id
                ),
            ));
        }
    }
    for (family, keys) in &catalog.extras.families {
        for (n, &key) in keys.iter().enumerate() {
            let variant = &catalog.product_at(key).variant;
            if let Some(&first) = keys
                .iter()
                .take(n)
                .find(|&&k| catalog.product_at(k).variant == *variant)
            {
                out.push(lint(
                    format!("products[{}].variant", key.0),
                    format!(
                        "product {:?} has the variant of {:?} in family {family:?}: a variant claim cannot tell them apart",
                        catalog.product_at(key).sku,
                        catalog.product_at(first).sku
                    ),
                ));
            }
        }
    }
    out
}
