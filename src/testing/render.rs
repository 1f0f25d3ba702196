//! The reference renderer: what a correct channel shows of an offer.
//!
//! [`render`] states, claim by claim, what the rules of CONTRACT §7 and the README ask of a
//! channel, from the offer and the catalog's public API only: it does not call the validator, so
//! that the validator can be tested against it. The mistakes of `mutate` are planted against the
//! same [`Facts`].

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use rust_decimal::{Decimal, RoundingStrategy};

use crate::catalog::{Audience, ChannelKind, Measure, Mechanic, MultiBuy, PromotionKey};
use crate::gtin::Gtin;
use crate::money::{Currency, Money};
use crate::offer::listing::Listing;
use crate::offer::{Availability, Offer};
use crate::rendering::{
    Claim, ClaimValue, CouponClaim, CouponReduction, DateOrInstant, GroupPriceClaim, Instant,
    Quantity, Rendering, Shown, TierPriceClaim, UnitPrice, Variant, VolumePriceClaim,
};
use crate::time::{local_midnight, rfc3339_in};

/// The complete, correct rendering a channel of `kind` shows of `offer` at the offer's instant
/// (`shown: {"at": offer.at}`), claims in this order:
///
/// - `price`, the public price, and `member_price` when the members' price differs;
/// - when a reduction is in progress (the public price below the regular price) and is a real
///   reduction against its base, `reference_price` and `percent_off`: the base is the prior price
///   where the prior-price rule applies (Directive 98/6/EC art. 6a: a market with
///   `reference_price_days`, a product that is not perishable), the regular price elsewhere; the
///   reference price is that prior price, the regular price in a market without the rule, and is not
///   shown for perishables (exempt); the percent is the real one rounded half up to an integer
///   (CJEU C-330/23 measures it from the prior price). Nothing is announced when the reduction has
///   no history (no prior price to show), when the price is not below its base, or when the
///   reduction rounds to 0 %;
/// - `multi_buy`, the first multi-buy in force;
/// - `valid_until`, the end of what the rendering advertises: the multi-buy shown, else the
///   discount shown (the end of the reduction, [`Offer::reduction_window`]), else the price
///   ([`Offer::valid_until`]). A local date where the end is a local midnight (`"2026-11-30"` for
///   `2026-12-01T00:00+01:00`), else the instant; left out when open-ended, and when the multi-buy
///   and the discount shown end at different times (one `valid_until` could not say both);
/// - `unit_price` per 1 kg, 1 l, 1 m, 1 m2 or 1 m3 for goods sold by quantity: the public price ÷
///   the net quantity, rounded half away from zero (Directive 98/6/EC art. 3);
/// - of catalog v2 (CONTRACT §10–§12): `tier_price` for each loyalty tier a promotion of the
///   product is for (the public price, then that tier's promotions, where lower), `group_price` for
///   each customer group with a price entry of the product in the market (one unit), `volume_price`
///   for each public `min_quantity` above 1 in force whose entry is the one selected for it, `rrp`
///   where no discount is shown (a discount beside an RRP is a saving from it), `anchor_price` where
///   the market wants it on this kind of channel, `coupon` for each coupon that is not public and
///   runs (where no discount is shown: a discount beside a coupon claim is the coupon's), and for
///   a product of a family `price_from` and `percent_off_up_to` (rounded half up, from 1 %);
/// - `availability`, and `stock_quantity` ("only 3 left") at `low_stock`;
/// - `gtin` (GTIN-14) when the product has one, and `title` in the market's locale;
/// - `variant` for a product of a family that its variant picks alone: the rendering is then of
///   the family (`family`, no `sku`).
///
/// The channel kind decides what an advertisement shows (`tv`, `radio`, `print`, `email`,
/// `social`): no "only N left", and, with nothing available, no price at all (UCPD Annex I 5, bait
/// advertising), only the product and its availability. Pass the kind of the offer's own channel for
/// a rendering the validator finds nothing in. Availability is the offer's: make the offer with the
/// low-stock threshold of the policy it is checked under.
///
/// ```
/// use unisono::testing::render;
/// let catalog = unisono::Catalog::from_json(include_str!("../../examples/data/catalog.json"))?;
/// let at = unisono::time::parse_instant("2026-11-28T10:00:00+01:00")?;
/// let offer = catalog.offer("LAPTOP-14", "web-it", at)?;
/// let rendering = render(&offer, unisono::catalog::ChannelKind::Web);
/// assert_eq!(
///     serde_json::to_string(&rendering.claims)?,
///     r#"[{"price":"719.20 EUR"},{"reference_price":"899.00 EUR"},{"percent_off":"20"},{"valid_until":"2026-11-30"},{"availability":"in_stock"},{"gtin":"08012345678907"},{"title":"Notebook Acme 14"}]"#
/// );
/// assert!(unisono::validate(&catalog, &rendering).is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn render(offer: &Offer<'_>, kind: ChannelKind) -> Rendering {
    Facts::of(offer, kind).rendering()
}

/// Whether a channel of this kind advertises (UCPD Annex I 5 bait advertising; CONTRACT §7
/// `stock.bait_advertising`), rather than sells.
pub(super) fn advertises(kind: ChannelKind) -> bool {
    matches!(
        kind,
        ChannelKind::Tv
            | ChannelKind::Radio
            | ChannelKind::Print
            | ChannelKind::Email
            | ChannelKind::Social
    )
}

/// Whether reductions of this offer must show the prior price (CONTRACT §8).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum PriorRule {
    /// The market has `reference_price_days`: reductions count from the prior price.
    Applies,
    /// The market has no prior-price rule: a reference price is the regular price.
    NoRule,
    /// Perishable goods are exempt: no reference price, reductions count from the regular price.
    Perishable,
}

/// A reduction the rendering announces.
#[derive(Debug, Clone, Copy)]
pub(super) struct Discount {
    /// The struck-through price, where one is due.
    pub(super) reference: Option<Money>,
    /// The real reduction from its base, in per cent, unrounded.
    pub(super) real_percent: Decimal,
    /// The percent shown: the real one rounded half up.
    pub(super) percent: Decimal,
}

/// When what a rendering advertises ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum End {
    /// At this instant (exclusive).
    At(DateTime<Utc>),
    /// Never: open-ended.
    Never,
    /// Not one instant (a multi-buy and a discount that end apart): no `valid_until` is shown.
    Unclear,
}

/// Everything a correct rendering of one offer says, before it is written as claims.
#[derive(Debug, Clone)]
pub(super) struct Facts {
    pub(super) id: String,
    pub(super) channel: String,
    pub(super) sku: String,
    pub(super) at: DateTime<Utc>,
    pub(super) zone: Tz,
    pub(super) currency: Currency,
    /// Whether a price is shown at all (not by an advertisement with nothing behind it).
    pub(super) shows_price: bool,
    pub(super) price: Money,
    pub(super) member_price: Money,
    pub(super) regular_price: Money,
    /// Whether the public price is below the regular price.
    pub(super) reduced: bool,
    pub(super) prior_price: Option<Money>,
    pub(super) rule: PriorRule,
    pub(super) discount: Option<Discount>,
    /// The multi-buy shown, and every multi-buy in force.
    pub(super) multi_buy: Option<MultiBuy>,
    pub(super) multi_buys_in_force: Vec<MultiBuy>,
    pub(super) end: End,
    pub(super) unit_price: Option<UnitPrice>,
    pub(super) unit_price_required: bool,
    pub(super) availability: Availability,
    pub(super) available: u64,
    pub(super) shows_stock_quantity: bool,
    pub(super) gtin: Option<Gtin>,
    pub(super) title: String,
    /// Every title of the product, in every locale.
    pub(super) titles: Vec<String>,
    /// The price of each loyalty tier a promotion of the product is for (CONTRACT §11).
    pub(super) tier_prices: Vec<TierPriceClaim>,
    /// The price of each customer group with a price entry of the product in the market.
    pub(super) group_prices: Vec<GroupPriceClaim>,
    /// The public volume prices in force, each from the `min_quantity` of its entry.
    pub(super) volume_prices: Vec<VolumePriceClaim>,
    /// The recommended retail price, shown where no discount is (a discount beside an RRP would
    /// be a saving from it, CONTRACT §12).
    pub(super) rrp: Option<Money>,
    /// The anchor price, where the market wants it shown on this kind of channel.
    pub(super) anchor_price: Option<Money>,
    /// The coupons (not public) that run on the channel for the product, with what they take off,
    /// shown where no discount is (a discount beside a coupon claim is the coupon's, CONTRACT §15).
    pub(super) coupons: Vec<CouponClaim>,
    /// The product's family and variant: a product of a family is shown as its family with the
    /// variant selected (CONTRACT §10).
    pub(super) family: Option<(String, Variant)>,
    /// The lowest public price of the family's products the channel lists and prices.
    pub(super) price_from: Option<Money>,
    /// Their largest real reduction, rounded half up, where it is 1 % or more.
    pub(super) percent_off_up_to: Option<Decimal>,
    /// That reduction, not rounded.
    pub(super) real_percent_off_up_to: Option<Decimal>,
}

impl Facts {
    pub(super) fn of(offer: &Offer<'_>, kind: ChannelKind) -> Facts {
        let catalog = offer.catalog();
        let channel = catalog.channel_at(offer.channel_key());
        let market = catalog.market_at(channel.market);
        let product = catalog.product_at(offer.product_key());
        let rule = match (product.perishable, market.reference_price_days) {
            (true, _) => PriorRule::Perishable,
            (false, Some(_)) => PriorRule::Applies,
            (false, None) => PriorRule::NoRule,
        };
        let reduced = offer.price < offer.regular_price;
        let discount = if reduced {
            discount(offer.price, offer.regular_price, offer.prior_price, rule)
        } else {
            None
        };
        let multi_buys_in_force: Vec<MultiBuy> = offer
            .multi_buy_keys()
            .iter()
            .filter_map(|&k| multi_buy_of(offer, k))
            .collect();
        let multi_buy = multi_buys_in_force.first().copied();
        let end = advertised_end(offer, discount.is_some(), multi_buy);
        let shows_price = !(advertises(kind) && offer.available == 0);
        let family = product.family.as_deref().map(|f| {
            catalog.family_offer_of(
                f,
                catalog.family(f),
                offer.channel_key(),
                offer.at,
                &crate::offer::OfferOptions::default(),
            )
        });
        let titles = match &product.title {
            crate::catalog::Title::One(t) => vec![t.clone()],
            crate::catalog::Title::ByLocale(map) => map.values().cloned().collect(),
        };
        Facts {
            id: format!(
                "{}/{}@{}",
                channel.id,
                product.sku,
                rfc3339_in(offer.at, market.time_zone)
            ),
            channel: channel.id.clone(),
            sku: product.sku.clone(),
            at: offer.at,
            zone: market.time_zone,
            currency: market.currency,
            shows_price,
            price: offer.price,
            member_price: offer.member_price,
            regular_price: offer.regular_price,
            reduced,
            prior_price: offer.prior_price,
            rule,
            discount,
            multi_buy,
            multi_buys_in_force,
            end,
            unit_price: product
                .unit
                .and_then(|u| unit_price(offer.price, u.quantity, u.measure)),
            unit_price_required: market.unit_price_required,
            availability: offer.availability,
            available: offer.available,
            shows_stock_quantity: offer.availability == Availability::LowStock && !advertises(kind),
            gtin: product.gtin,
            title: product
                .title
                .for_locale(market.locale.as_deref())
                .to_owned(),
            titles,
            tier_prices: tier_prices(offer),
            group_prices: group_prices(offer),
            volume_prices: volume_prices(offer),
            rrp: offer.rrp().filter(|_| discount.is_none()),
            anchor_price: offer
                .anchor_price()
                .filter(|_| market.anchor.as_ref().is_some_and(|a| a.covers(kind))),
            coupons: if discount.is_none() {
                coupons(offer)
            } else {
                Vec::new()
            },
            // Shown as its family where its variant picks it alone.
            family: product
                .family
                .clone()
                .filter(|f| catalog.variants_matching(f, &product.variant).len() == 1)
                .map(|f| (f, Variant(product.variant.clone()))),
            price_from: family.as_ref().and_then(|f| f.price_from),
            percent_off_up_to: family
                .as_ref()
                .and_then(|f| f.percent_off_up_to)
                .map(|p| p.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero))
                .filter(|p| *p >= Decimal::ONE),
            real_percent_off_up_to: family.as_ref().and_then(|f| f.percent_off_up_to),
        }
    }

    /// The claims, in the order [`render`] documents.
    pub(super) fn claims(&self) -> Vec<ClaimValue> {
        let mut claims = Vec::new();
        if self.shows_price {
            claims.push(ClaimValue::Price(self.price));
            if self.member_price != self.price {
                claims.push(ClaimValue::MemberPrice(self.member_price));
            }
            if let Some(discount) = self.discount {
                if let Some(reference) = discount.reference {
                    claims.push(ClaimValue::ReferencePrice(reference));
                }
                claims.push(ClaimValue::PercentOff(discount.percent));
            }
            if let Some(m) = self.multi_buy {
                claims.push(ClaimValue::MultiBuy(m));
            }
            if let End::At(end) = self.end {
                claims.push(ClaimValue::ValidUntil(valid_until(end, self.zone)));
            }
            if let Some(u) = self.unit_price {
                claims.push(ClaimValue::UnitPrice(u));
            }
            for t in &self.tier_prices {
                claims.push(ClaimValue::TierPrice(Box::new(t.clone())));
            }
            for g in &self.group_prices {
                claims.push(ClaimValue::GroupPrice(Box::new(g.clone())));
            }
            for v in &self.volume_prices {
                claims.push(ClaimValue::VolumePrice(Box::new(v.clone())));
            }
            if let Some(rrp) = self.rrp {
                claims.push(ClaimValue::Rrp(rrp));
            }
            if let Some(anchor) = self.anchor_price {
                claims.push(ClaimValue::AnchorPrice(anchor));
            }
            for c in &self.coupons {
                claims.push(ClaimValue::Coupon(Box::new(c.clone())));
            }
            if let Some(from) = self.price_from {
                claims.push(ClaimValue::PriceFrom(from));
            }
            if let Some(up_to) = self.percent_off_up_to {
                claims.push(ClaimValue::PercentOffUpTo(up_to));
            }
        }
        claims.push(ClaimValue::Availability(self.availability));
        if self.shows_stock_quantity {
            claims.push(ClaimValue::StockQuantity(self.available));
        }
        if let Some(gtin) = self.gtin {
            claims.push(ClaimValue::Gtin(gtin.to_string()));
        }
        claims.push(ClaimValue::Title(self.title.clone()));
        if let Some((_, variant)) = &self.family {
            claims.push(ClaimValue::Variant(variant.clone()));
        }
        claims
    }

    /// The rendering of these claims, shown at the offer's instant.
    pub(super) fn rendering_of(&self, claims: Vec<ClaimValue>) -> Rendering {
        Rendering {
            id: self.id.clone(),
            channel: self.channel.clone(),
            sku: self.family.is_none().then(|| self.sku.clone()),
            gtin: None,
            family: self.family.as_ref().map(|(f, _)| f.clone()),
            shown: Shown::At {
                at: Instant(self.at),
            },
            claims: claims.into_iter().map(Claim::from).collect(),
            meta: None,
            evidence: None,
        }
    }

    fn rendering(&self) -> Rendering {
        self.rendering_of(self.claims())
    }
}

/// The price of every loyalty tier a promotion of the product is for, by tier name: the public
/// price, then that tier's promotions, where lower (CONTRACT §11).
fn tier_prices(offer: &Offer<'_>) -> Vec<TierPriceClaim> {
    let catalog = offer.catalog();
    let tiers: BTreeSet<&str> = catalog
        .promotions_of(offer.product_key())
        .iter()
        .filter_map(|&k| match &catalog.promotion_at(k).audience {
            Audience::Tier(tier) => Some(tier.as_str()),
            _ => None,
        })
        .collect();
    let listing = Listing::new(catalog, offer.product_key(), offer.channel_key());
    tiers
        .into_iter()
        .filter_map(|tier| {
            let (price, _) = listing.tier_at(tier, offer.at)?;
            Some(TierPriceClaim {
                tier: tier.to_owned(),
                price,
            })
        })
        .collect()
}

/// The price of every customer group with a price entry of the product in the channel's market,
/// for one unit, by group name.
fn group_prices(offer: &Offer<'_>) -> Vec<GroupPriceClaim> {
    let catalog = offer.catalog();
    let market = catalog.channel_at(offer.channel_key()).market;
    let groups: BTreeSet<&str> = catalog
        .tiered_of(offer.product_key())
        .iter()
        .filter(|r| r.market == market)
        .filter_map(|r| r.group.map(|g| catalog.group_name(g)))
        .collect();
    let listing = Listing::new(catalog, offer.product_key(), offer.channel_key());
    groups
        .into_iter()
        .filter_map(|group| {
            let (_, price, _) = listing.group_at(group, 1, offer.at)?;
            Some(GroupPriceClaim {
                group: group.to_owned(),
                price,
                min_quantity: None,
            })
        })
        .collect()
}

/// The public volume prices in force: for each `min_quantity` above 1 of a public entry of the
/// product on this channel at the offer's instant, the price for that quantity, where the entry
/// selected for it starts at that quantity (CONTRACT §11, §15).
fn volume_prices(offer: &Offer<'_>) -> Vec<VolumePriceClaim> {
    let catalog = offer.catalog();
    let channel = offer.channel_key();
    let market = catalog.channel_at(channel).market;
    let rows = catalog.tiered_of(offer.product_key());
    let quantities: BTreeSet<u32> = rows
        .iter()
        .filter(|r| {
            r.market == market
                && r.group.is_none()
                && r.channel.is_none_or(|c| c == channel)
                && r.min_quantity > 1
                && r.span.window.contains(offer.at)
        })
        .map(|r| r.min_quantity)
        .collect();
    let listing = Listing::new(catalog, offer.product_key(), channel);
    quantities
        .into_iter()
        .filter_map(|quantity| {
            let (span, price, _) = listing.volume_at(quantity, offer.at)?;
            let from = rows
                .iter()
                .find(|r| r.span.entry == span.entry)
                .map_or(1, |r| r.min_quantity);
            (from == quantity).then_some(VolumePriceClaim {
                min_quantity: quantity,
                price,
                group: None,
            })
        })
        .collect()
}

/// The coupons redeemed with a code that is not announced to everyone (`"coupon"`, or a code not
/// public) running for the product on the channel at the offer's instant, by code, each with what
/// it takes off (a percentage or an amount; nothing for another mechanic).
fn coupons(offer: &Offer<'_>) -> Vec<CouponClaim> {
    let catalog = offer.catalog();
    let listing = Listing::new(catalog, offer.product_key(), offer.channel_key());
    let codes: BTreeSet<&str> = catalog
        .promotions_of(offer.product_key())
        .iter()
        .filter_map(|&k| match &catalog.promotion_at(k).audience {
            Audience::Coupon => Some(catalog.promotion_at(k).id.as_str()),
            Audience::Code {
                code,
                public: false,
            } => Some(code.as_str()),
            _ => None,
        })
        .collect();
    codes
        .into_iter()
        .filter_map(|code| {
            let (_, promotion) = listing.coupons_at(code, offer.at).next()?;
            let reduction = match promotion.mechanic {
                Mechanic::PercentOff(p) => Some(CouponReduction::PercentOff(p)),
                Mechanic::AmountOff(m) => Some(CouponReduction::AmountOff(m)),
                Mechanic::FixedPrice(_) | Mechanic::MultiBuy(_) => None,
            };
            Some(CouponClaim {
                code: code.to_owned(),
                reduction,
            })
        })
        .collect()
}

/// The multi-buy a promotion of the offer's catalog makes, if it makes one.
fn multi_buy_of(offer: &Offer<'_>, key: PromotionKey) -> Option<MultiBuy> {
    match offer.catalog().promotion_at(key).mechanic {
        Mechanic::MultiBuy(m) => Some(m),
        _ => None,
    }
}

/// When what the rendering advertises ends: the multi-buy shown (every one in force with its
/// mechanic ends then, else it is unclear which is meant), the discount shown (the end of the
/// reduction: [`Offer::reduction_window`]), both (when they end together), else the price.
fn advertised_end(offer: &Offer<'_>, discount: bool, multi_buy: Option<MultiBuy>) -> End {
    let catalog = offer.catalog();
    let multi_buys = offer.multi_buy_keys();
    let discount_end = discount.then(|| offer.reduction_window().and_then(|w| w.until));
    // `Some(None)`: several multi-buys of the mechanic shown, ending apart.
    let multi_buy_end = multi_buy.map(|shown| {
        let ends: BTreeSet<Option<DateTime<Utc>>> = multi_buys
            .iter()
            .filter(|&&k| multi_buy_of(offer, k) == Some(shown))
            .map(|&k| catalog.promotion_at(k).window.until)
            .collect();
        match ends.into_iter().collect::<Vec<_>>()[..] {
            [end] => Some(end),
            _ => None,
        }
    });
    let known = |end: Option<DateTime<Utc>>| end.map_or(End::Never, End::At);
    match (multi_buy_end, discount_end) {
        (Some(Some(m)), Some(d)) if m == d => known(m),
        (Some(_), Some(_)) | (Some(None), None) => End::Unclear,
        (Some(Some(m)), None) => known(m),
        (None, Some(d)) => known(d),
        (None, None) => known(offer.valid_until),
    }
}

/// The reduction announced of `price`, if any: from the prior price where the rule applies (none
/// without a prior price: no history), else from the regular price.
fn discount(
    price: Money,
    regular: Money,
    prior: Option<Money>,
    rule: PriorRule,
) -> Option<Discount> {
    let (base, reference) = match rule {
        PriorRule::Applies => (prior?, prior),
        PriorRule::NoRule => (regular, Some(regular)),
        PriorRule::Perishable => (regular, None),
    };
    if price >= base || base.amount() <= Decimal::ZERO {
        return None;
    }
    let real_percent = (base.amount() - price.amount())
        .checked_mul(Decimal::ONE_HUNDRED)?
        .checked_div(base.amount())?;
    let percent = real_percent.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero);
    (percent >= Decimal::ONE).then_some(Discount {
        reference,
        real_percent,
        percent,
    })
}

/// The price per 1 kg, 1 l, 1 m, 1 m2 or 1 m3 of a pack of `quantity` `measure` at `price`, rounded
/// half away from zero; `None` for goods sold by the item.
fn unit_price(price: Money, quantity: Decimal, measure: Measure) -> Option<UnitPrice> {
    let thousand = Decimal::ONE_THOUSAND;
    let (pack, per) = match measure {
        Measure::Kilogram => (quantity, Measure::Kilogram),
        Measure::Gram => (quantity.checked_div(thousand)?, Measure::Kilogram),
        Measure::Litre => (quantity, Measure::Litre),
        Measure::Millilitre => (quantity.checked_div(thousand)?, Measure::Litre),
        Measure::Metre => (quantity, Measure::Metre),
        Measure::SquareMetre => (quantity, Measure::SquareMetre),
        Measure::CubicMetre => (quantity, Measure::CubicMetre),
        Measure::Item => return None,
    };
    let amount = price.amount().checked_div(pack)?;
    Some(UnitPrice {
        price: Money::new(amount, price.currency()).ok()?.round_to_minor(),
        per: Quantity {
            amount: Decimal::ONE,
            measure: per,
        },
    })
}

/// An end as people write it: the local date where it is a local midnight (a date as an end is the
/// end of that day), else the instant.
pub(super) fn valid_until(end: DateTime<Utc>, zone: Tz) -> DateOrInstant {
    let date = end.with_timezone(&zone).date_naive();
    match date.pred_opt() {
        Some(day_before) if local_midnight(date, zone) == Some(end) => {
            DateOrInstant::Date(day_before)
        }
        _ => DateOrInstant::Instant(end),
    }
}
