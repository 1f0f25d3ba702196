//! The canonical offer: what a product costs and how available it is on a channel at an instant,
//! and the timeline of its prices over a window.

pub(crate) mod explain;
pub(crate) mod listing;
pub(crate) mod prior;
mod v2;

use chrono::{DateTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};

use crate::catalog::{Catalog, ChannelKey, PriceSpan, ProductKey, PromotionKey};
use crate::money::Money;
use crate::time::{Window, rfc3339_in};
use listing::{Listing, Step};

pub use prior::{Exemption, PriorPrice, Reduction};
pub use v2::{Buyer, FamilyOffer, SelectedPrice, TierPrice};

/// Where the prior price is looked for (CONTRACT §6 `reference_scope`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReferenceScope {
    /// The lowest price on the rendering's own channel.
    #[default]
    Channel,
    /// The lowest price on any channel of the market that sells the product.
    Market,
}

/// The settings that change an offer; the validator takes them from its policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OfferOptions {
    /// Where the prior price is looked for.
    pub reference_scope: ReferenceScope,
    /// Units at or below which availability is `low_stock` (default 5).
    pub low_stock_threshold: u64,
}

impl Default for OfferOptions {
    fn default() -> Self {
        OfferOptions {
            reference_scope: ReferenceScope::Channel,
            low_stock_threshold: 5,
        }
    }
}

/// Availability, as offers and renderings state it (schema.org / Google Merchant Center values).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Availability {
    /// More than the low-stock threshold available.
    InStock,
    /// Nothing available.
    OutOfStock,
    /// Some, at most the low-stock threshold.
    LowStock,
    /// Orderable before release.
    Preorder,
    /// Orderable, shipped when restocked.
    Backorder,
}

impl Availability {
    /// The status of `units` available (CONTRACT §5): out of stock at 0, low stock up to `threshold`.
    pub fn of_units(units: u64, threshold: u64) -> Availability {
        match units {
            0 => Availability::OutOfStock,
            n if n <= threshold => Availability::LowStock,
            _ => Availability::InStock,
        }
    }

    /// The name used in JSON, e.g. `"low_stock"`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Availability::InStock => "in_stock",
            Availability::OutOfStock => "out_of_stock",
            Availability::LowStock => "low_stock",
            Availability::Preorder => "preorder",
            Availability::Backorder => "backorder",
        }
    }
}

/// Why no offer could be given.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OfferError {
    /// No product has this SKU.
    #[error("product {sku:?} is not in the catalog")]
    UnknownProduct {
        /// The SKU asked for.
        sku: String,
    },
    /// No channel has this id.
    #[error("channel {channel:?} is not in the catalog")]
    UnknownChannel {
        /// The channel asked for.
        channel: String,
    },
    /// The channel does not sell the product.
    #[error("product {sku:?} is not sold on channel {channel:?}")]
    NotListed {
        /// The product.
        sku: String,
        /// The channel.
        channel: String,
    },
    /// No price list entry covers the instant.
    #[error("product {sku:?} has no price on channel {channel:?} at {at}")]
    NoPrice {
        /// The product.
        sku: String,
        /// The channel.
        channel: String,
        /// The instant, RFC 3339 in the market's time zone.
        at: String,
    },
}

impl OfferError {
    /// Which failure, as a code for programs in other languages (the bindings): `unknown_product`,
    /// `unknown_channel`, `not_listed` or `no_price`.
    ///
    /// ```
    /// let catalog = unisono::Catalog::from_json(include_str!("../../examples/data/catalog.json"))?;
    /// let at = unisono::time::parse_instant("2026-11-28T10:00:00+01:00")?;
    /// let error = catalog.offer("NOPE", "web-it", at).unwrap_err();
    /// assert_eq!(error.code(), "unknown_product");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn code(&self) -> &'static str {
        match self {
            OfferError::UnknownProduct { .. } => "unknown_product",
            OfferError::UnknownChannel { .. } => "unknown_channel",
            OfferError::NotListed { .. } => "not_listed",
            OfferError::NoPrice { .. } => "no_price",
        }
    }
}

/// The canonical offer of one product on one channel at one instant.
///
/// Serializes to the JSON of CONTRACT §5 (instants in the market's time zone):
///
/// ```
/// let catalog = unisono::Catalog::from_json(include_str!("../../examples/data/catalog.json"))?;
/// let at = unisono::time::parse_instant("2026-11-28T10:00:00+01:00")?;
/// let offer = catalog.offer("LAPTOP-14", "web-it", at)?;
/// assert_eq!(offer.price.to_string(), "719.20 EUR");
/// assert_eq!(offer.prior_price.map(|p| p.to_string()).as_deref(), Some("899.00 EUR"));
/// assert_eq!(offer.promotions(), ["BF26"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Offer<'c> {
    catalog: &'c Catalog,
    product: ProductKey,
    channel: ChannelKey,
    /// The instant asked for.
    pub at: DateTime<Utc>,
    /// The price list entry in force.
    pub regular: PriceSpan,
    /// The price list's price (channel-specific entry before market-wide).
    pub regular_price: Money,
    /// The public price: the regular price after the promotions for everyone.
    pub price: Money,
    /// The members' price: after promotions for everyone and for members.
    pub member_price: Money,
    /// The lowest public price before the reduction in progress (Omnibus), when there is one and the
    /// market has the rule and the product is not perishable.
    pub prior_price: Option<Money>,
    /// The reduction in progress, if the public price is below the regular price.
    pub reduction: Option<Reduction>,
    /// Units available to the channel.
    pub available: u64,
    /// What those units mean for a customer.
    pub availability: Availability,
    /// The next instant the public price changes; `None` if it never does.
    pub valid_until: Option<DateTime<Utc>>,
    /// The price of the buyer's loyalty tier, when asked for ([`Catalog::offer_for`]).
    pub tier_price: Option<TierPrice>,
    /// The price of the buyer's customer group for the quantity, when asked for.
    pub group_price: Option<SelectedPrice>,
    /// The public price for the quantity asked for (a volume price), when asked for.
    pub volume_price: Option<SelectedPrice>,
    steps: Vec<Step>,
    member_steps: Vec<Step>,
    multi_buys: Vec<PromotionKey>,
}

impl<'c> Offer<'c> {
    /// The catalog it came from.
    pub fn catalog(&self) -> &'c Catalog {
        self.catalog
    }

    /// The product's SKU.
    pub fn sku(&self) -> &'c str {
        &self.catalog.product_at(self.product).sku
    }

    /// The channel's id.
    pub fn channel(&self) -> &'c str {
        &self.catalog.channel_at(self.channel).id
    }

    /// The product's key.
    pub fn product_key(&self) -> ProductKey {
        self.product
    }

    /// The channel's key.
    pub fn channel_key(&self) -> ChannelKey {
        self.channel
    }

    /// The promotions for everyone that shaped the price, in the order applied, then the multi-buys
    /// in force.
    pub fn promotions(&self) -> Vec<&'c str> {
        self.promotion_keys()
            .map(|k| self.catalog.promotion_at(k).id.as_str())
            .collect()
    }

    /// Keys of [`Offer::promotions`].
    pub fn promotion_keys(&self) -> impl Iterator<Item = PromotionKey> + '_ {
        self.steps
            .iter()
            .map(|(k, _)| *k)
            .chain(self.multi_buys.iter().copied())
    }

    /// Keys of the promotions that made the members' price, in the order applied.
    pub fn member_promotion_keys(&self) -> impl Iterator<Item = PromotionKey> + '_ {
        self.member_steps.iter().map(|(k, _)| *k)
    }

    /// Keys of the multi-buys in force.
    pub fn multi_buy_keys(&self) -> &[PromotionKey] {
        &self.multi_buys
    }

    /// How the price came to be, one line a step: the price entry, then each promotion in the order
    /// applied, then the members' promotions and multi-buys.
    pub fn explanation(&self) -> Vec<String> {
        explain::price_lines(
            self.catalog,
            self.channel,
            &self.regular,
            &self.steps,
            &self.member_steps,
            &self.multi_buys,
        )
    }

    /// The stretch of time, around [`Offer::at`], over which the discount of this offer holds:
    /// what "until Sunday" next to a discount must match. `None` when the price is not reduced.
    ///
    /// The public price stays reduced throughout. The stretch ends where it stops being reduced,
    /// or where one of the promotions applied ends and the public price changes with it (and
    /// begins symmetrically): a list price changing under a running promotion does not end the
    /// discount ("-20% until Sunday" stays true), nor does a promotion that ends while another
    /// keeps the price where it is.
    ///
    /// ```
    /// let catalog = unisono::Catalog::from_json(include_str!("../../examples/data/catalog.json"))?;
    /// let at = unisono::time::parse_instant("2026-11-28T10:00:00+01:00")?;
    /// let offer = catalog.offer("LAPTOP-14", "web-it", at)?;
    /// let stretch = offer.reduction_window().expect("Black Friday reduces the laptop");
    /// assert_eq!(stretch.until, offer.valid_until);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn reduction_window(&self) -> Option<Window> {
        let applied: Vec<PromotionKey> = self.steps.iter().map(|(k, _)| *k).collect();
        Listing::new(self.catalog, self.product, self.channel).discount_stretch(self.at, &applied)
    }

    /// Where the prior price came from, for people: the window searched and the price found.
    pub fn prior_explanation(&self) -> Option<String> {
        self.reduction
            .as_ref()
            .map(|r| r.explain(self.catalog, self.channel))
    }
}

impl Serialize for Offer<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Json<'a> {
            sku: &'a str,
            channel: &'a str,
            at: String,
            regular_price: Money,
            price: Money,
            member_price: Money,
            prior_price: Option<Money>,
            promotions: Vec<&'a str>,
            available: u64,
            availability: Availability,
            valid_until: Option<String>,
            explanation: Vec<String>,
            #[serde(flatten)]
            extra: v2::Extra,
        }
        let zone = self
            .catalog
            .market_at(self.catalog.channel_at(self.channel).market)
            .time_zone;
        Json {
            sku: self.sku(),
            channel: self.channel(),
            at: rfc3339_in(self.at, zone),
            regular_price: self.regular_price,
            price: self.price,
            member_price: self.member_price,
            prior_price: self.prior_price,
            promotions: self.promotions(),
            available: self.available,
            availability: self.availability,
            valid_until: self.valid_until.map(|t| rfc3339_in(t, zone)),
            explanation: self.explanation(),
            extra: self.extra(),
        }
        .serialize(serializer)
    }
}

/// A stretch of time over which every price of a listing is constant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    /// When.
    pub window: Window,
    /// The price list's price; `None` where no entry covers the stretch.
    pub regular_price: Option<Money>,
    /// The public price.
    pub price: Option<Money>,
    /// The members' price.
    pub member_price: Option<Money>,
    /// Promotions for everyone that shaped the price, in the order applied.
    pub promotions: Vec<PromotionKey>,
    /// Promotions that made the members' price, in the order applied.
    pub member_promotions: Vec<PromotionKey>,
    /// Multi-buys in force.
    pub multi_buys: Vec<PromotionKey>,
}

impl Catalog {
    /// The canonical offer of `sku` on `channel` at `at`, with the default [`OfferOptions`].
    ///
    /// ```
    /// let catalog = unisono::Catalog::from_json(include_str!("../../examples/data/catalog.json"))?;
    /// let at = unisono::time::parse_instant("2026-11-20T12:00:00+01:00")?;
    /// let offer = catalog.offer("LAPTOP-14", "web-it", at)?;
    /// assert_eq!((offer.price.to_string(), offer.prior_price), ("899.00 EUR".to_owned(), None));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`OfferError`] when the product or channel is unknown, the channel does not sell the product,
    /// or no price covers the instant.
    pub fn offer<Z: TimeZone>(
        &self,
        sku: &str,
        channel: &str,
        at: DateTime<Z>,
    ) -> Result<Offer<'_>, OfferError> {
        self.offer_with(sku, channel, at, &OfferOptions::default())
    }

    /// The canonical offer with explicit options.
    ///
    /// # Errors
    /// As [`Catalog::offer`].
    pub fn offer_with<Z: TimeZone>(
        &self,
        sku: &str,
        channel: &str,
        at: DateTime<Z>,
        options: &OfferOptions,
    ) -> Result<Offer<'_>, OfferError> {
        let (product, channel) = self.resolve(sku, channel)?;
        self.offer_of(product, channel, at.with_timezone(&Utc), options)
    }

    /// The canonical offer by keys: the fast path for callers that resolved ids once.
    ///
    /// # Errors
    /// [`OfferError::NotListed`] or [`OfferError::NoPrice`].
    pub fn offer_of(
        &self,
        product: ProductKey,
        channel: ChannelKey,
        at: DateTime<Utc>,
        options: &OfferOptions,
    ) -> Result<Offer<'_>, OfferError> {
        if !self.is_listed(product, channel) {
            return Err(self.not_listed(product, channel));
        }
        let listing = Listing::new(self, product, channel);
        let state = listing.state_at(at);
        let (Some(regular), Some(price), Some(member_price)) =
            (state.regular, state.price, state.member_price)
        else {
            let zone = self.market_at(listing.market).time_zone;
            return Err(OfferError::NoPrice {
                sku: self.product_at(product).sku.clone(),
                channel: self.channel_at(channel).id.clone(),
                at: rfc3339_in(at, zone),
            });
        };
        let reduction = state
            .is_reduced()
            .then(|| prior::reduction(&listing, at, options.reference_scope));
        let available = listing.available(at);
        Ok(Offer {
            catalog: self,
            product,
            channel,
            at,
            regular,
            regular_price: regular.amount,
            price,
            member_price,
            prior_price: reduction
                .as_ref()
                .and_then(|r| r.prior.as_ref())
                .map(|p| p.amount),
            reduction,
            available,
            availability: Availability::of_units(available, options.low_stock_threshold),
            valid_until: listing.price_changes_after(at, Some(price)),
            tier_price: None,
            group_price: None,
            volume_price: None,
            steps: state.steps,
            member_steps: state.member_steps,
            multi_buys: state.multi_buys,
        })
    }

    /// The prices of `sku` on `channel` over `window`, as stretches of constant prices that tile the
    /// window without gap or overlap. Adjacent stretches always differ.
    ///
    /// ```
    /// use unisono::time::{parse_instant, Window};
    /// let catalog = unisono::Catalog::from_json(include_str!("../../examples/data/catalog.json"))?;
    /// let week = Window::new(parse_instant("2026-11-23T00:00:00+01:00")?, Some(parse_instant("2026-11-30T00:00:00+01:00")?));
    /// let prices: Vec<String> = catalog.timeline("LAPTOP-14", "web-it", week)?
    ///     .iter().map(|s| s.price.map(|p| p.to_string()).unwrap_or_default()).collect();
    /// assert_eq!(prices, ["899.00 EUR", "719.20 EUR"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`OfferError`] when the product or channel is unknown or the channel does not sell the product.
    pub fn timeline(
        &self,
        sku: &str,
        channel: &str,
        window: Window,
    ) -> Result<Vec<Segment>, OfferError> {
        let (product, channel) = self.resolve(sku, channel)?;
        if !self.is_listed(product, channel) {
            return Err(self.not_listed(product, channel));
        }
        Ok(self.timeline_of(product, channel, window))
    }

    /// [`Catalog::timeline`] by keys, whether or not the channel lists the product.
    pub fn timeline_of(
        &self,
        product: ProductKey,
        channel: ChannelKey,
        window: Window,
    ) -> Vec<Segment> {
        Listing::new(self, product, channel)
            .segments(window)
            .into_iter()
            .map(|(window, state)| Segment {
                window,
                regular_price: state.regular.map(|r| r.amount),
                price: state.price,
                member_price: state.member_price,
                promotions: state.steps.iter().map(|(k, _)| *k).collect(),
                member_promotions: state.member_steps.iter().map(|(k, _)| *k).collect(),
                multi_buys: state.multi_buys,
            })
            .collect()
    }

    fn resolve(&self, sku: &str, channel: &str) -> Result<(ProductKey, ChannelKey), OfferError> {
        let product = self
            .product_key(sku)
            .ok_or_else(|| OfferError::UnknownProduct {
                sku: sku.to_owned(),
            })?;
        let channel = self
            .channel_key(channel)
            .ok_or_else(|| OfferError::UnknownChannel {
                channel: channel.to_owned(),
            })?;
        Ok((product, channel))
    }

    fn not_listed(&self, product: ProductKey, channel: ChannelKey) -> OfferError {
        OfferError::NotListed {
            sku: self.product_at(product).sku.clone(),
            channel: self.channel_at(channel).id.clone(),
        }
    }
}
