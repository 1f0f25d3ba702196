//! What v2 adds to offers (CONTRACT §10–§12): the prices of a loyalty tier, a customer group and
//! a quantity, the recommended retail price, the anchor price, and the view of a product family.

use chrono::{DateTime, TimeZone, Utc};
use rust_decimal::Decimal;
use serde::Serialize;

use super::listing::{Listing, Step};
use super::{Offer, OfferError, OfferOptions};
use crate::catalog::{Catalog, ChannelKey, ProductKey, PromotionKey};
use crate::money::Money;
use crate::time::rfc3339_in;

/// Who buys, and how many (CONTRACT §11): selects the tier, group and volume prices of an offer.
///
/// ```
/// let catalog = unisono::Catalog::from_json(r#"{
///   "markets": [{"id": "IT", "currency": "EUR", "time_zone": "Europe/Rome"}],
///   "channels": [{"id": "web-it", "kind": "web", "market": "IT"}],
///   "products": [{"sku": "PEN", "title": "Pen"}],
///   "prices": [{"sku": "PEN", "market": "IT", "amount": "2.00 EUR", "from": "2026-01-01"},
///              {"sku": "PEN", "market": "IT", "amount": "1.50 EUR", "from": "2026-01-01", "min_quantity": 10},
///              {"sku": "PEN", "market": "IT", "amount": "1.20 EUR", "from": "2026-01-01", "group": "b2b"}]
/// }"#)?;
/// let at = unisono::time::parse_instant("2026-03-01T10:00:00+01:00")?;
/// let buyer = unisono::offer::Buyer { group: Some("b2b".into()), tier: None, quantity: Some(12) };
/// let offer = catalog.offer_for("PEN", "web-it", at, &Default::default(), &buyer)?;
/// assert_eq!(offer.price.to_string(), "2.00 EUR");
/// assert_eq!(offer.volume_price.as_ref().map(|v| v.price.to_string()).as_deref(), Some("1.50 EUR"));
/// assert_eq!(offer.group_price.as_ref().map(|g| g.price.to_string()).as_deref(), Some("1.20 EUR"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Buyer {
    /// A customer group: its price list and its promotions.
    #[serde(default)]
    pub group: Option<String>,
    /// A loyalty tier: the public price, then that tier's promotions.
    #[serde(default)]
    pub tier: Option<String>,
    /// Units bought (default 1): selects volume prices.
    #[serde(default)]
    pub quantity: Option<u32>,
}

/// The price of one loyalty tier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TierPrice {
    /// The tier.
    pub tier: String,
    /// Its price.
    pub price: Money,
    /// The promotions that made it, in the order applied.
    pub promotions: Vec<PromotionKey>,
}

/// A price selected by group and quantity (CONTRACT §11): a group price or a volume price.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelectedPrice {
    /// The customer group, for a group price.
    pub group: Option<String>,
    /// The quantity asked for.
    pub quantity: u32,
    /// The `min_quantity` of the entry selected.
    pub min_quantity: u32,
    /// The selected entry's index in the document's `prices`.
    pub entry: u32,
    /// The price after the promotions that apply to it.
    pub price: Money,
    /// Those promotions, in the order applied.
    pub promotions: Vec<PromotionKey>,
}

impl Catalog {
    /// The offer of [`Catalog::offer_with`], with the prices of `buyer`'s tier, group and quantity.
    ///
    /// # Errors
    /// As [`Catalog::offer`].
    pub fn offer_for<Z: TimeZone>(
        &self,
        sku: &str,
        channel: &str,
        at: DateTime<Z>,
        options: &OfferOptions,
        buyer: &Buyer,
    ) -> Result<Offer<'_>, OfferError> {
        let mut offer = self.offer_with(sku, channel, at, options)?;
        let listing = Listing::new(self, offer.product, offer.channel);
        let at = offer.at;
        offer.tier_price = buyer.tier.as_ref().and_then(|tier| {
            let (price, steps) = listing.tier_at(tier, at)?;
            Some(TierPrice {
                tier: tier.clone(),
                price,
                promotions: keys(&steps),
            })
        });
        let quantity = buyer.quantity.unwrap_or(1);
        offer.group_price = buyer.group.as_ref().and_then(|group| {
            let (span, price, steps) = listing.group_at(group, quantity, at)?;
            Some(selected(
                Some(group.clone()),
                quantity,
                span,
                price,
                &steps,
                self,
                &listing,
            ))
        });
        offer.volume_price = buyer.quantity.and_then(|quantity| {
            let (span, price, steps) = listing.volume_at(quantity, at)?;
            Some(selected(
                None, quantity, span, price, &steps, self, &listing,
            ))
        });
        Ok(offer)
    }

    /// The offers of every product of `family` that `channel` lists and prices at `at`, with the
    /// family's lowest and highest public price and its largest reduction (CONTRACT §10).
    ///
    /// ```
    /// let catalog = unisono::Catalog::from_json(r#"{
    ///   "markets": [{"id": "IT", "currency": "EUR", "time_zone": "Europe/Rome"}],
    ///   "channels": [{"id": "web-it", "kind": "web", "market": "IT"}],
    ///   "products": [{"sku": "TEE-S", "title": "Tee", "family": "TEE", "variant": {"size": "S"}},
    ///                {"sku": "TEE-XL", "title": "Tee", "family": "TEE", "variant": {"size": "XL"}}],
    ///   "prices": [{"sku": "TEE-S", "market": "IT", "amount": "15.99 EUR", "from": "2026-01-01"},
    ///              {"sku": "TEE-XL", "market": "IT", "amount": "17.99 EUR", "from": "2026-01-01"}]
    /// }"#)?;
    /// let at = unisono::time::parse_instant("2026-11-28T10:00:00+01:00")?;
    /// let family = catalog.family_offer("TEE", "web-it", at, &Default::default())?;
    /// assert_eq!(family.price_from.map(|p| p.to_string()).as_deref(), Some("15.99 EUR"));
    /// assert_eq!(family.price_to.map(|p| p.to_string()).as_deref(), Some("17.99 EUR"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`OfferError::UnknownProduct`] for a family with no product (its name in `sku`),
    /// [`OfferError::UnknownChannel`].
    pub fn family_offer<Z: TimeZone>(
        &self,
        family: &str,
        channel: &str,
        at: DateTime<Z>,
        options: &OfferOptions,
    ) -> Result<FamilyOffer<'_>, OfferError> {
        let channel_key = self
            .channel_key(channel)
            .ok_or_else(|| OfferError::UnknownChannel {
                channel: channel.to_owned(),
            })?;
        let products = self.family(family);
        if products.is_empty() {
            return Err(OfferError::UnknownProduct {
                sku: family.to_owned(),
            });
        }
        Ok(self.family_offer_of(
            family,
            products,
            channel_key,
            at.with_timezone(&Utc),
            options,
        ))
    }

    /// [`Catalog::family_offer`] by keys.
    pub(crate) fn family_offer_of(
        &self,
        family: &str,
        products: &[ProductKey],
        channel: ChannelKey,
        at: DateTime<Utc>,
        options: &OfferOptions,
    ) -> FamilyOffer<'_> {
        let variants: Vec<Offer<'_>> = products
            .iter()
            .filter_map(|&p| self.offer_of(p, channel, at, options).ok())
            .collect();
        // One market, one currency: amounts compare.
        let price_from = variants.iter().map(|o| o.price).min_by_key(|p| p.amount());
        let price_to = variants.iter().map(|o| o.price).max_by_key(|p| p.amount());
        let up_to = variants.iter().filter_map(Offer::real_percent_off).max();
        FamilyOffer {
            family: family.to_owned(),
            channel,
            at,
            variants,
            price_from,
            price_to,
            percent_off_up_to: up_to,
        }
    }
}

fn keys(steps: &[Step]) -> Vec<PromotionKey> {
    steps.iter().map(|(k, _)| *k).collect()
}

fn selected(
    group: Option<String>,
    quantity: u32,
    span: crate::catalog::PriceSpan,
    price: Money,
    steps: &[Step],
    catalog: &Catalog,
    listing: &Listing<'_>,
) -> SelectedPrice {
    let min_quantity = catalog
        .tiered_of(listing.product)
        .iter()
        .find(|r| r.span.entry == span.entry)
        .map_or(1, |r| r.min_quantity);
    SelectedPrice {
        group,
        quantity,
        min_quantity,
        entry: span.entry,
        price,
        promotions: keys(steps),
    }
}

impl Offer<'_> {
    /// The product's recommended retail price in the channel's market (CONTRACT §12), if any.
    pub fn rrp(&self) -> Option<Money> {
        let market = self.catalog.channel_at(self.channel).market;
        self.catalog.product_at(self.product).rrp_in(market)
    }

    /// The anchor price (CONTRACT §12): the public price on this channel at the local start of
    /// the market's anchor date; `None` when the market has no anchor rule or the product had no
    /// price then.
    pub fn anchor_price(&self) -> Option<Money> {
        let channel = self.catalog.channel_at(self.channel);
        let anchor = self.catalog.market_at(channel.market).anchor.as_ref()?;
        Listing::new(self.catalog, self.product, self.channel)
            .public_at(anchor.at)
            .map(|(_, price)| price)
    }

    /// Whether the channel's market wants the anchor price shown on this channel.
    pub fn wants_anchor(&self) -> bool {
        let channel = self.catalog.channel_at(self.channel);
        self.catalog
            .market_at(channel.market)
            .anchor
            .as_ref()
            .is_some_and(|a| a.covers(channel.kind))
    }

    /// The real reduction in per cent as `discount.*` measures it: from the prior price where the
    /// prior-price rule applies and one is known, else from the regular price; `None` when the
    /// price is not reduced.
    pub fn real_percent_off(&self) -> Option<Decimal> {
        self.reduction.as_ref()?;
        let base = self.prior_price.unwrap_or(self.regular_price);
        let off = base.checked_sub(self.price).ok()?;
        base.percent_of(off).filter(|p| *p > Decimal::ZERO)
    }
}

/// The offers of a product family on one channel at one instant (CONTRACT §10).
#[derive(Debug, Clone)]
pub struct FamilyOffer<'c> {
    /// The family.
    pub family: String,
    channel: ChannelKey,
    /// The instant asked for.
    pub at: DateTime<Utc>,
    /// The offer of each product of the family the channel lists and prices, in document order.
    pub variants: Vec<Offer<'c>>,
    /// The lowest public price among them ("from 19.99").
    pub price_from: Option<Money>,
    /// The highest.
    pub price_to: Option<Money>,
    /// The largest real reduction among them, in per cent, not rounded.
    pub percent_off_up_to: Option<Decimal>,
}

impl Serialize for FamilyOffer<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Json<'a> {
            family: &'a str,
            at: Option<String>,
            price_from: Option<Money>,
            price_to: Option<Money>,
            percent_off_up_to: Option<String>,
            variants: &'a [Offer<'a>],
        }
        let zone = self.variants.first().map(|o| {
            let catalog = o.catalog;
            catalog
                .market_at(catalog.channel_at(self.channel).market)
                .time_zone
        });
        Json {
            family: &self.family,
            at: zone.map(|z| rfc3339_in(self.at, z)),
            price_from: self.price_from,
            price_to: self.price_to,
            percent_off_up_to: self.percent_off_up_to.map(|p| {
                p.round_dp_with_strategy(0, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
                    .to_string()
            }),
            variants: &self.variants,
        }
        .serialize(serializer)
    }
}

/// The JSON of the v2 prices of an offer, each only when present (a v1 offer prints as before).
#[derive(Serialize)]
pub(super) struct Extra {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) rrp: Option<Money>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) anchor_price: Option<Money>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) tier_price: Option<TierJson>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) group_price: Option<SelectedJson>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) volume_price: Option<SelectedJson>,
}

#[derive(Serialize)]
pub(super) struct TierJson {
    tier: String,
    price: Money,
    promotions: Vec<String>,
}

#[derive(Serialize)]
pub(super) struct SelectedJson {
    #[serde(skip_serializing_if = "Option::is_none")]
    group: Option<String>,
    quantity: u32,
    min_quantity: u32,
    price: Money,
    promotions: Vec<String>,
}

impl Offer<'_> {
    pub(super) fn extra(&self) -> Extra {
        let ids = |keys: &[PromotionKey]| {
            keys.iter()
                .map(|k| self.catalog.promotion_at(*k).id.clone())
                .collect()
        };
        let selected = |s: &SelectedPrice| SelectedJson {
            group: s.group.clone(),
            quantity: s.quantity,
            min_quantity: s.min_quantity,
            price: s.price,
            promotions: ids(&s.promotions),
        };
        Extra {
            rrp: self.rrp(),
            anchor_price: self.anchor_price(),
            tier_price: self.tier_price.as_ref().map(|t| TierJson {
                tier: t.tier.clone(),
                price: t.price,
                promotions: ids(&t.promotions),
            }),
            group_price: self.group_price.as_ref().map(selected),
            volume_price: self.volume_price.as_ref().map(selected),
        }
    }
}
