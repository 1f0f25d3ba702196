//! Correct renderings drawn from a catalog, and single mistakes planted in them, each with the rule
//! that must catch it: the two halves of testing a validator (soundness: nothing is found in what
//! [`render`] makes; sensitivity: every planted mistake is found).

use std::collections::BTreeSet;
use std::sync::Arc;

use chrono::Duration;
use proptest::prelude::*;
use proptest::sample::Index;
use rust_decimal::Decimal;

use super::pick::{OfferPick, arb_offer_pick};
use super::render::{End, Facts, PriorRule, render};
use crate::catalog::{Catalog, ChannelKind, MultiBuy};
use crate::gtin::Gtin;
use crate::money::{Currency, Money};
use crate::offer::{Availability, Offer};
use crate::rendering::{
    ClaimValue, CouponClaim, CouponReduction, DateOrInstant, GroupPriceClaim, Rendering,
    TierPriceClaim, UnitPrice, Variant, VolumePriceClaim,
};
use crate::validate::Rule;

/// Consistent renderings of `catalog`: [`render`] of the offer of a random listed product on a random
/// channel (as a channel of its own kind shows it) at a random instant where the offer exists, aimed
/// at the boundaries of its prices, promotions and stock counts (see [`OfferPick`]). The validator
/// finds nothing in them under the default policy.
///
/// The catalog is cloned into the strategy. One without any offer (no listed product ever has a
/// price) rejects every case, and proptest gives up.
///
/// ```
/// use proptest::prelude::*;
/// let catalog = unisono::Catalog::from_json(include_str!("../../examples/data/catalog.json"))?;
/// proptest!(ProptestConfig::with_cases(32), |(r in unisono::testing::arb_rendering(&catalog))| {
///     prop_assert_eq!(unisono::validate(&catalog, &r), vec![]);
/// });
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn arb_rendering(catalog: &Catalog) -> impl Strategy<Value = Rendering> + use<> {
    let catalog = Arc::new(catalog.clone());
    arb_offer_pick().prop_filter_map("the catalog has no offer", move |pick| {
        let offer = pick.offer(&catalog)?;
        Some(render(&offer, own_kind(&offer)))
    })
}

/// The kind of the offer's own channel.
fn own_kind(offer: &Offer<'_>) -> ChannelKind {
    offer.catalog().channel_at(offer.channel_key()).kind
}

/// One wrong claim planted in the rendering [`render`] makes of an offer, and the rule that must
/// report it.
#[derive(Debug, Clone, PartialEq)]
pub struct Mutation {
    /// The rendering with the mistake.
    pub rendering: Rendering,
    /// The index of the wrong claim in `rendering` (an added claim comes last); for a claim
    /// removed, the index it had.
    pub claim: usize,
    /// Whether the mistake is a claim left out (a reference price, a unit price), reported on
    /// another claim.
    pub removed: bool,
    /// The rule that must fire.
    pub rule: Rule,
    /// The mistake, for people: `price 719.20 EUR -> 719.23 EUR`.
    pub what: String,
}

/// Every single-claim mistake that can be planted in `render(offer, kind)`, each moving an amount by
/// `size` (minor units of money, units of stock, minutes or days, percentage points; at least 1):
///
/// | mistake | rule |
/// |---|---|
/// | price ± size | `price.mismatch` |
/// | a money claim in another currency | `price.currency_mismatch` |
/// | members' price ± size (added where not shown) | `price.member_mismatch` |
/// | reference price ± size (added where none is due) | `reference.not_lowest_prior`; `reference.mismatch` without the prior-price rule |
/// | percent above the real one rounded (by points, or half a point), or a point or more below it | `discount.overstated`, `discount.understated` |
/// | `valid_until` later, earlier (by minutes; by days as a local date; added where open-ended) | `validity.overstated`, `validity.understated` |
/// | `in_stock`/`low_stock` with none, `out_of_stock` with some, `low_stock` with plenty | `stock.unavailable`, `stock.understated`, `stock.false_scarcity` |
/// | "only N left" below, above the stock (added where not shown) | `stock.false_scarcity`, `stock.overstated` |
/// | another valid GTIN (added where the product has none) | `identity.gtin_mismatch` |
/// | an unrelated title | `identity.title_mismatch` |
/// | unit price ± size | `unit_price.mismatch` |
/// | another multi-buy | `promotion.mismatch` |
/// | the reference price left out of a discount | `reference.missing` |
/// | the unit price left out where required | `unit_price.missing` |
/// | a tier, group or volume price ± size | `price.tier_mismatch`, `price.group_mismatch`, `price.volume_mismatch` |
/// | the RRP ± size | `rrp.mismatch` |
/// | a percent off added beside the RRP, above the saving from it | `discount.rrp_overstated` |
/// | the anchor price ± size, and left out | `anchor.mismatch`, `anchor.missing` |
/// | a coupon with another reduction, or under a code that runs nowhere | `promotion.coupon_mismatch` |
/// | a variant no product of the family has | `family.unknown_variant` |
/// | the family's lowest price ± size | `family.price_from_mismatch` |
/// | the family's largest reduction above the real one rounded, a point below the real one | `discount.up_to_overstated`, `discount.up_to_understated` |
///
/// ```
/// use unisono::catalog::ChannelKind;
/// let catalog = unisono::Catalog::from_json(include_str!("../../examples/data/catalog.json"))?;
/// let at = unisono::time::parse_instant("2026-11-28T10:00:00+01:00")?;
/// let offer = catalog.offer("LAPTOP-14", "web-it", at)?;
/// let validator = unisono::Validator::new(&catalog, &unisono::Policy::default());
/// for m in unisono::testing::mutations(&offer, ChannelKind::Web, 3) {
///     let rules: Vec<_> = validator.validate(&m.rendering).iter().map(|f| f.rule).collect();
///     assert!(rules.contains(&m.rule), "{}: {rules:?}", m.what);
/// }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn mutations(offer: &Offer<'_>, kind: ChannelKind, size: u32) -> Vec<Mutation> {
    let facts = Facts::of(offer, kind);
    let mut planter = Planter {
        claims: facts.claims(),
        facts: &facts,
        size: size.max(1),
        out: Vec::new(),
    };
    planter.prices();
    planter.currency();
    planter.reference();
    planter.percent();
    planter.validity();
    planter.stock();
    planter.identity();
    planter.unit_price();
    planter.multi_buy();
    planter.v2_prices();
    planter.rrp();
    planter.anchor();
    planter.coupon();
    planter.family();
    planter.out
}

/// The rules that [`mutations`] plants no mistake for, and why: each is about something a single
/// claim of a rendering made by [`render`](super::render) cannot get wrong. Every other rule of
/// [`Rule::ALL`] has a mutation (a test checks it), so a new rule needs one or a line here.
pub const NOT_PLANTED: &[(Rule, &str)] = &[
    (
        Rule::ReferenceNoHistory,
        "about the catalog's history, not a claim",
    ),
    (
        Rule::PromotionNotActive,
        "needs a promotion claim where none runs; renderings claim what runs",
    ),
    (
        Rule::PromotionNotOnChannel,
        "needs another channel's promotion",
    ),
    (Rule::ValidityNotStarted, "the renderer shows no valid_from"),
    (
        Rule::StockBaitAdvertising,
        "about the rendering's channel and stock, not a claim",
    ),
    (
        Rule::IdentityUnknownProduct,
        "about the rendering's product, not a claim",
    ),
    (
        Rule::IdentityUnknownChannel,
        "about the rendering's channel, not a claim",
    ),
    (
        Rule::IdentityNotListed,
        "about the channel's assortment, not a claim",
    ),
    (Rule::CrossPriceDivergence, "needs two renderings"),
    (Rule::InputMalformed, "about a line that is not a rendering"),
    (Rule::InputDuplicateId, "needs two renderings"),
];

/// Which mistake to plant, and how big: drawn by [`arb_mutation_pick`].
#[derive(Debug, Clone)]
pub struct MutationPick {
    rule: Index,
    which: Index,
    size: u32,
}

/// Picks of mistakes; sizes are small (1 to 3) or anything up to 10,000.
pub fn arb_mutation_pick() -> impl Strategy<Value = MutationPick> {
    let size = prop_oneof![1_u32..=3, 1_u32..=10_000];
    (any::<Index>(), any::<Index>(), size).prop_map(|(rule, which, size)| MutationPick {
        rule,
        which,
        size,
    })
}

impl MutationPick {
    /// One of [`mutations`]`(offer, kind, size)`: first a rule among those the mistakes trigger, so
    /// that rare ones (`reference.missing` needs a discount shown) come up as often as common ones,
    /// then a mistake for it. `None` if there is none.
    pub fn mutation(&self, offer: &Offer<'_>, kind: ChannelKind) -> Option<Mutation> {
        let mut all = mutations(offer, kind, self.size);
        let rules: BTreeSet<Rule> = all.iter().map(|m| m.rule).collect();
        let rule = *rules.iter().nth(self.rule.index(rules.len().max(1)))?;
        all.retain(|m| m.rule == rule);
        let i = self.which.index(all.len());
        Some(all.swap_remove(i))
    }
}

/// Mistakes planted in consistent renderings of `catalog` (see [`arb_rendering`] and
/// [`mutations`]), each with the rule that must catch it.
///
/// ```
/// use proptest::prelude::*;
/// let catalog = unisono::Catalog::from_json(include_str!("../../examples/data/catalog.json"))?;
/// proptest!(ProptestConfig::with_cases(32), |(m in unisono::testing::arb_mutation(&catalog))| {
///     let findings = unisono::validate(&catalog, &m.rendering);
///     prop_assert!(findings.iter().any(|f| f.rule == m.rule), "{}", m.what);
/// });
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn arb_mutation(catalog: &Catalog) -> impl Strategy<Value = Mutation> + use<> {
    let catalog = Arc::new(catalog.clone());
    (arb_offer_pick(), arb_mutation_pick()).prop_filter_map(
        "the catalog has no offer",
        move |(offer, mutation): (OfferPick, MutationPick)| {
            let offer = offer.offer(&catalog)?;
            mutation.mutation(&offer, own_kind(&offer))
        },
    )
}

/// Titles that share no letter pair with the generated ones (`Product 3`, `Prodotto 3`) nor most
/// real ones; the first that shares none with the product's is used.
const UNRELATED_TITLES: [&str; 3] = ["Jazz kayak xylophone", "Qwixz vjy", "Zygmunt fjord quiz"];

/// Plants mistakes in a copy of the correct claims.
struct Planter<'f> {
    facts: &'f Facts,
    claims: Vec<ClaimValue>,
    size: u32,
    out: Vec<Mutation>,
}

impl Planter<'_> {
    fn find(&self, kind: impl Fn(&ClaimValue) -> bool) -> Option<usize> {
        self.claims.iter().position(kind)
    }

    fn change(&mut self, i: usize, value: ClaimValue, rule: Rule, what: String) {
        let mut claims = self.claims.clone();
        claims[i] = value;
        self.push(claims, i, false, rule, what);
    }

    fn add(&mut self, value: ClaimValue, rule: Rule, what: String) {
        let mut claims = self.claims.clone();
        claims.push(value);
        let i = claims.len() - 1;
        self.push(claims, i, false, rule, what);
    }

    fn remove(&mut self, i: usize, rule: Rule, what: String) {
        let mut claims = self.claims.clone();
        claims.remove(i);
        self.push(claims, i, true, rule, what);
    }

    fn push(
        &mut self,
        claims: Vec<ClaimValue>,
        claim: usize,
        removed: bool,
        rule: Rule,
        what: String,
    ) {
        self.out.push(Mutation {
            rendering: self.facts.rendering_of(claims),
            claim,
            removed,
            rule,
            what,
        });
    }

    /// `m` moved up or down by `size` minor units; up where down would reach zero.
    fn shifted(&self, m: Money, up: bool) -> Option<Money> {
        let delta = m.currency().minor_unit() * Decimal::from(self.size);
        let down = m.amount() - delta;
        let amount = if up || down <= Decimal::ZERO {
            m.amount() + delta
        } else {
            down
        };
        Money::new(amount, m.currency()).ok()
    }

    /// The price and the members' price, up and down.
    fn prices(&mut self) {
        let f = self.facts;
        let Some(i) = self.find(|c| matches!(c, ClaimValue::Price(_))) else {
            return;
        };
        for up in [true, false] {
            if let Some(wrong) = self.shifted(f.price, up) {
                let what = format!("price {} -> {wrong}", f.price);
                self.change(i, ClaimValue::Price(wrong), Rule::PriceMismatch, what);
            }
            if let Some(wrong) = self.shifted(f.member_price, up) {
                let what = format!("members' price {} -> {wrong}", f.member_price);
                let claim = ClaimValue::MemberPrice(wrong);
                match self.find(|c| matches!(c, ClaimValue::MemberPrice(_))) {
                    Some(j) => self.change(j, claim, Rule::PriceMemberMismatch, what),
                    None => self.add(claim, Rule::PriceMemberMismatch, what),
                }
            }
        }
    }

    /// One money claim (chosen by size) in another currency, same amount.
    fn currency(&mut self) {
        let money: Vec<(usize, Money)> = self
            .claims
            .iter()
            .enumerate()
            .filter(|(_, c)| {
                matches!(
                    c,
                    ClaimValue::Price(_)
                        | ClaimValue::MemberPrice(_)
                        | ClaimValue::ReferencePrice(_)
                        | ClaimValue::AmountOff(_)
                        | ClaimValue::UnitPrice(_)
                )
            })
            .filter_map(|(i, c)| c.money().map(|m| (i, m)))
            .collect();
        if money.is_empty() {
            return;
        }
        let (i, m) = money[self.size as usize % money.len()];
        let other = ["USD", "EUR"]
            .iter()
            .filter_map(|code| Currency::from_code(code).ok())
            .find(|c| *c != self.facts.currency);
        let Some(wrong) = other.and_then(|c| Money::new(m.amount(), c).ok()) else {
            return;
        };
        let value = match self.claims[i] {
            ClaimValue::Price(_) => ClaimValue::Price(wrong),
            ClaimValue::MemberPrice(_) => ClaimValue::MemberPrice(wrong),
            ClaimValue::ReferencePrice(_) => ClaimValue::ReferencePrice(wrong),
            ClaimValue::AmountOff(_) => ClaimValue::AmountOff(wrong),
            ClaimValue::UnitPrice(u) => ClaimValue::UnitPrice(UnitPrice { price: wrong, ..u }),
            _ => return,
        };
        let what = format!("{} {m} -> {wrong}", self.claims[i].kind());
        self.change(i, value, Rule::PriceCurrencyMismatch, what);
    }

    /// The reference price off its due value, added where none is shown, and left out of a
    /// discount where the prior-price rule wants it.
    fn reference(&mut self) {
        let f = self.facts;
        let rule = match f.rule {
            PriorRule::Applies => Rule::ReferenceNotLowestPrior,
            PriorRule::NoRule => Rule::ReferenceMismatch,
            // Exempt: any reference price goes.
            PriorRule::Perishable => return,
        };
        let shown = self.find(|c| matches!(c, ClaimValue::ReferencePrice(_)));
        // The reference due: the prior price (the regular price without the rule), or, with no
        // reduction in progress, none at all (any amount is wrong; shift the regular price).
        let due = match (f.rule, f.reduced, f.prior_price) {
            (PriorRule::Applies, true, Some(prior)) => prior,
            // A reduction without history: a reference is `reference.no_history`'s.
            (PriorRule::Applies, true, None) => return,
            _ => f.regular_price,
        };
        if shown.is_none() && !f.shows_price {
            return;
        }
        for up in [true, false] {
            let Some(wrong) = self.shifted(due, up) else {
                continue;
            };
            let what = format!("reference price {due} -> {wrong}");
            match shown {
                Some(i) => self.change(i, ClaimValue::ReferencePrice(wrong), rule, what),
                None => self.add(ClaimValue::ReferencePrice(wrong), rule, what),
            }
        }
        let percent = self.find(|c| matches!(c, ClaimValue::PercentOff(_)));
        if let (PriorRule::Applies, Some(i), Some(_)) = (f.rule, shown, percent) {
            let what = format!("reference price {due} left out of a discount");
            self.remove(i, Rule::ReferenceMissing, what);
        }
    }

    /// The percentage off above the real one rounded (by whole points, and by the half point that
    /// rounding half up never reaches), and a point or more below the real one (whole points down,
    /// and exactly one point below it).
    fn percent(&mut self) {
        let Some(discount) = self.facts.discount else {
            return;
        };
        let Some(i) = self.find(|c| matches!(c, ClaimValue::PercentOff(_))) else {
            return;
        };
        let points = Decimal::from(1 + (self.size - 1) % 50);
        let (real, shown) = (discount.real_percent, discount.percent);
        let half = Decimal::new(5, 1);
        let mut wrong = vec![
            (shown + points, Rule::DiscountOverstated),
            (shown + half, Rule::DiscountOverstated),
        ];
        if real >= Decimal::ONE {
            wrong.push((
                (real.floor() - points).max(Decimal::ZERO),
                Rule::DiscountUnderstated,
            ));
            wrong.push((real - Decimal::ONE, Rule::DiscountUnderstated));
        }
        for (percent, rule) in wrong {
            let what = format!("percent off {shown} -> {percent} (real {real})");
            self.change(i, ClaimValue::PercentOff(percent), rule, what);
        }
    }

    /// `valid_until` later and earlier than the end of what is advertised; an end added to what
    /// never ends.
    fn validity(&mut self) {
        let f = self.facts;
        let delta = Duration::minutes(i64::from(self.size));
        let shown = self.find(|c| matches!(c, ClaimValue::ValidUntil(_)));
        match (f.end, shown) {
            (End::At(end), Some(i)) => {
                // A local date is the end of that day: a day later or earlier is wrong too.
                if let ClaimValue::ValidUntil(DateOrInstant::Date(day)) = self.claims[i] {
                    let days = chrono::Days::new(u64::from(1 + (self.size - 1) % 30));
                    let wrong = [
                        (day.checked_add_days(days), Rule::ValidityOverstated),
                        (day.checked_sub_days(days), Rule::ValidityUnderstated),
                    ];
                    for (other, rule) in wrong {
                        if let Some(other) = other {
                            let what = format!("valid until {day} -> {other}");
                            let value = ClaimValue::ValidUntil(DateOrInstant::Date(other));
                            self.change(i, value, rule, what);
                        }
                    }
                }
                let later = end + delta;
                let what = format!("valid until {end} -> {later}");
                let value = ClaimValue::ValidUntil(DateOrInstant::Instant(later));
                self.change(i, value, Rule::ValidityOverstated, what);
                // Earlier, but not before the instant shown.
                let earlier = (end - delta).max(f.at);
                let what = format!("valid until {end} -> {earlier}");
                let value = ClaimValue::ValidUntil(DateOrInstant::Instant(earlier));
                self.change(i, value, Rule::ValidityUnderstated, what);
            }
            (End::Never, None) if f.shows_price => {
                let until = f.at + delta;
                let what = format!("valid until {until} added to an open-ended offer");
                let value = ClaimValue::ValidUntil(DateOrInstant::Instant(until));
                self.add(value, Rule::ValidityUnderstated, what);
            }
            _ => {}
        }
    }

    /// Availability and "only N left" against the units available.
    fn stock(&mut self) {
        let f = self.facts;
        if let Some(i) = self.find(|c| matches!(c, ClaimValue::Availability(_))) {
            let wrong: &[(Availability, Rule)] = match f.availability {
                Availability::OutOfStock => &[
                    (Availability::InStock, Rule::StockUnavailable),
                    (Availability::LowStock, Rule::StockUnavailable),
                ],
                Availability::LowStock => &[(Availability::OutOfStock, Rule::StockUnderstated)],
                Availability::InStock => &[
                    (Availability::OutOfStock, Rule::StockUnderstated),
                    (Availability::LowStock, Rule::StockFalseScarcity),
                ],
                Availability::Preorder | Availability::Backorder => &[],
            };
            for &(shown, rule) in wrong {
                let what = format!(
                    "availability {} -> {} ({} available)",
                    f.availability.as_str(),
                    shown.as_str(),
                    f.available
                );
                self.change(i, ClaimValue::Availability(shown), rule, what);
            }
        }
        let size = u64::from(self.size);
        let mut wrong = vec![(f.available.saturating_add(size), Rule::StockOverstated)];
        if f.available > 0 {
            let fewer = f.available - (1 + (size - 1) % f.available);
            wrong.push((fewer, Rule::StockFalseScarcity));
        }
        let shown = self.find(|c| matches!(c, ClaimValue::StockQuantity(_)));
        for (n, rule) in wrong {
            let what = format!("only {n} left ({} available)", f.available);
            match shown {
                Some(i) => self.change(i, ClaimValue::StockQuantity(n), rule, what),
                None => self.add(ClaimValue::StockQuantity(n), rule, what),
            }
        }
    }

    /// Another valid GTIN, and an unrelated title.
    fn identity(&mut self) {
        let f = self.facts;
        let digits = f
            .gtin
            .map_or_else(|| "0".repeat(14), |g| g.digits())
            .chars()
            .take(13)
            .collect::<String>();
        let data = digits.parse::<u64>().unwrap_or(0);
        let other = format!("{:013}", (data + u64::from(self.size)) % 10_u64.pow(13));
        let gtin = Gtin::check_digit(&other)
            .map(|check| format!("{other}{check}"))
            .filter(|text| text.parse::<Gtin>().is_ok_and(|g| Some(g) != f.gtin));
        if let Some(gtin) = gtin {
            let what = format!(
                "GTIN {} -> {gtin}",
                f.gtin.map_or_else(|| "none".to_owned(), |g| g.to_string())
            );
            match self.find(|c| matches!(c, ClaimValue::Gtin(_))) {
                Some(i) => self.change(i, ClaimValue::Gtin(gtin), Rule::IdentityGtinMismatch, what),
                None => self.add(ClaimValue::Gtin(gtin), Rule::IdentityGtinMismatch, what),
            }
        }
        let unrelated = UNRELATED_TITLES
            .iter()
            .find(|t| f.titles.iter().all(|title| shares_no_pair(t, title)));
        if let (Some(i), Some(title)) =
            (self.find(|c| matches!(c, ClaimValue::Title(_))), unrelated)
        {
            let what = format!("title {:?} -> {title:?}", f.title);
            let value = ClaimValue::Title((*title).to_owned());
            self.change(i, value, Rule::IdentityTitleMismatch, what);
        }
    }

    /// The unit price off by `size` minor units, and left out where the market requires it.
    fn unit_price(&mut self) {
        let f = self.facts;
        let (Some(i), Some(due)) = (
            self.find(|c| matches!(c, ClaimValue::UnitPrice(_))),
            f.unit_price,
        ) else {
            return;
        };
        for up in [true, false] {
            if let Some(wrong) = self.shifted(due.price, up) {
                let what = format!("unit price {} -> {wrong} per {}", due.price, due.per);
                let value = ClaimValue::UnitPrice(UnitPrice {
                    price: wrong,
                    ..due
                });
                self.change(i, value, Rule::UnitPriceMismatch, what);
            }
        }
        if f.unit_price_required {
            let what = format!("unit price {due} left out");
            self.remove(i, Rule::UnitPriceMissing, what);
        }
    }

    /// A multi-buy that is not the one in force.
    fn multi_buy(&mut self) {
        let f = self.facts;
        let (Some(i), Some(shown)) = (
            self.find(|c| matches!(c, ClaimValue::MultiBuy(_))),
            f.multi_buy,
        ) else {
            return;
        };
        let other = (self.size..self.size.saturating_add(64))
            .filter_map(|k| shown.buy.checked_add(k))
            .map(|buy| MultiBuy {
                buy,
                pay: shown.pay,
            })
            .find(|m| !f.multi_buys_in_force.contains(m));
        if let Some(other) = other {
            let what = format!("multi-buy {shown} -> {other}");
            self.change(
                i,
                ClaimValue::MultiBuy(other),
                Rule::PromotionMismatch,
                what,
            );
        }
    }

    /// Tier, group and volume prices shown, each up and down.
    fn v2_prices(&mut self) {
        let shown: Vec<(usize, ClaimValue)> = self
            .claims
            .iter()
            .enumerate()
            .filter(|(_, c)| {
                matches!(
                    c,
                    ClaimValue::TierPrice(_)
                        | ClaimValue::GroupPrice(_)
                        | ClaimValue::VolumePrice(_)
                )
            })
            .map(|(i, c)| (i, c.clone()))
            .collect();
        for (i, claim) in shown {
            for up in [true, false] {
                let (value, rule, what) = match &claim {
                    ClaimValue::TierPrice(t) => {
                        let Some(wrong) = self.shifted(t.price, up) else {
                            continue;
                        };
                        let what = format!("tier {} price {} -> {wrong}", t.tier, t.price);
                        let value = ClaimValue::TierPrice(Box::new(TierPriceClaim {
                            tier: t.tier.clone(),
                            price: wrong,
                        }));
                        (value, Rule::PriceTierMismatch, what)
                    }
                    ClaimValue::GroupPrice(g) => {
                        let Some(wrong) = self.shifted(g.price, up) else {
                            continue;
                        };
                        let what = format!("group {} price {} -> {wrong}", g.group, g.price);
                        let value = ClaimValue::GroupPrice(Box::new(GroupPriceClaim {
                            price: wrong,
                            ..(**g).clone()
                        }));
                        (value, Rule::PriceGroupMismatch, what)
                    }
                    ClaimValue::VolumePrice(v) => {
                        let Some(wrong) = self.shifted(v.price, up) else {
                            continue;
                        };
                        let what = format!(
                            "volume price from {} units {} -> {wrong}",
                            v.min_quantity, v.price
                        );
                        let value = ClaimValue::VolumePrice(Box::new(VolumePriceClaim {
                            price: wrong,
                            ..(**v).clone()
                        }));
                        (value, Rule::PriceVolumeMismatch, what)
                    }
                    _ => continue,
                };
                self.change(i, value, rule, what);
            }
        }
    }

    /// The RRP shown up and down; a saving from it above the real one added beside it.
    fn rrp(&mut self) {
        let f = self.facts;
        let (Some(i), Some(rrp)) = (self.find(|c| matches!(c, ClaimValue::Rrp(_))), f.rrp) else {
            return;
        };
        for up in [true, false] {
            if let Some(wrong) = self.shifted(rrp, up) {
                let what = format!("RRP {rrp} -> {wrong}");
                self.change(i, ClaimValue::Rrp(wrong), Rule::RrpMismatch, what);
            }
        }
        // The renderer shows an RRP only where it shows no discount and no reference price.
        let saving = Money::new(rrp.amount() - f.price.amount(), rrp.currency())
            .ok()
            .and_then(|off| rrp.percent_of(off));
        // Beside a coupon claim a discount is the coupon's: not a saving from the RRP.
        let coupon = self.find(|c| matches!(c, ClaimValue::Coupon(_)));
        if let (Some(real), None) = (saving.filter(|p| *p >= Decimal::ZERO), coupon) {
            let points = Decimal::from(1 + (self.size - 1) % 50);
            let percent = real.ceil() + points;
            let what = format!("saving of {percent}% from the RRP {rrp} (real {real})");
            self.add(
                ClaimValue::PercentOff(percent),
                Rule::DiscountRrpOverstated,
                what,
            );
        }
    }

    /// The anchor price shown up and down, and left out.
    fn anchor(&mut self) {
        let f = self.facts;
        let (Some(i), Some(anchor)) = (
            self.find(|c| matches!(c, ClaimValue::AnchorPrice(_))),
            f.anchor_price,
        ) else {
            return;
        };
        for up in [true, false] {
            if let Some(wrong) = self.shifted(anchor, up) {
                let what = format!("anchor price {anchor} -> {wrong}");
                self.change(
                    i,
                    ClaimValue::AnchorPrice(wrong),
                    Rule::AnchorMismatch,
                    what,
                );
            }
        }
        let what = format!("anchor price {anchor} left out");
        self.remove(i, Rule::AnchorMissing, what);
    }

    /// A coupon shown with another reduction than its own, and under a code that runs nowhere.
    fn coupon(&mut self) {
        let shown: Vec<(usize, CouponClaim)> = self
            .claims
            .iter()
            .enumerate()
            .filter_map(|(i, c)| match c {
                ClaimValue::Coupon(c) => Some((i, (**c).clone())),
                _ => None,
            })
            .collect();
        let points = Decimal::from(1 + (self.size - 1) % 50);
        for (i, claim) in shown {
            let other = match claim.reduction {
                Some(CouponReduction::PercentOff(p)) => {
                    Some(CouponReduction::PercentOff(p + points))
                }
                Some(CouponReduction::AmountOff(m)) => {
                    self.shifted(m, true).map(CouponReduction::AmountOff)
                }
                None => None,
            };
            if let Some(other) = other {
                let wrong = CouponClaim {
                    reduction: Some(other),
                    ..claim.clone()
                };
                let what = format!("coupon {claim} -> {wrong}");
                let value = ClaimValue::Coupon(Box::new(wrong));
                self.change(i, value, Rule::PromotionCouponMismatch, what);
            }
            let wrong = CouponClaim {
                code: format!("{}-{}", claim.code, self.size),
                ..claim.clone()
            };
            let what = format!("coupon {claim} -> {wrong} (no such code)");
            let value = ClaimValue::Coupon(Box::new(wrong));
            self.change(i, value, Rule::PromotionCouponMismatch, what);
        }
    }

    /// A variant no product of the family has; the family's lowest price up and down; its
    /// largest reduction above the real one rounded, and a point or more below it.
    fn family(&mut self) {
        let f = self.facts;
        if let (Some(i), Some((family, variant))) = (
            self.find(|c| matches!(c, ClaimValue::Variant(_))),
            &f.family,
        ) {
            let mut wrong = variant.0.clone();
            for value in wrong.values_mut() {
                value.push_str(&format!("-{}", self.size));
            }
            let wrong = Variant(wrong);
            let what = format!("variant {variant} -> {wrong} of family {family}");
            self.change(
                i,
                ClaimValue::Variant(wrong),
                Rule::FamilyUnknownVariant,
                what,
            );
        }
        if let (Some(i), Some(from)) = (
            self.find(|c| matches!(c, ClaimValue::PriceFrom(_))),
            f.price_from,
        ) {
            for up in [true, false] {
                if let Some(wrong) = self.shifted(from, up) {
                    let what = format!("price from {from} -> {wrong}");
                    self.change(
                        i,
                        ClaimValue::PriceFrom(wrong),
                        Rule::FamilyPriceFromMismatch,
                        what,
                    );
                }
            }
        }
        if let (Some(i), Some(up_to)) = (
            self.find(|c| matches!(c, ClaimValue::PercentOffUpTo(_))),
            f.percent_off_up_to,
        ) {
            let points = Decimal::from(1 + (self.size - 1) % 50);
            let what = format!("percent off up to {up_to} -> {}", up_to + points);
            let value = ClaimValue::PercentOffUpTo(up_to + points);
            self.change(i, value, Rule::DiscountUpToOverstated, what);
            // A point below the real one.
            let below = f
                .real_percent_off_up_to
                .map_or(Decimal::NEGATIVE_ONE, |real| real - Decimal::ONE);
            if below >= Decimal::ZERO {
                let what = format!("percent off up to {up_to} -> {below}");
                let value = ClaimValue::PercentOffUpTo(below);
                self.change(i, value, Rule::DiscountUpToUnderstated, what);
            }
        }
    }
}

/// Whether two titles share no pair of adjacent characters once lower-cased, words of letters and
/// digits one space apart: then they are 0 % alike by any measure of shared pairs.
fn shares_no_pair(a: &str, b: &str) -> bool {
    let pairs = |text: &str| {
        let normal: Vec<char> = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
            .chars()
            .flat_map(char::to_lowercase)
            .collect();
        normal
            .windows(2)
            .map(|w| (w[0], w[1]))
            .collect::<std::collections::BTreeSet<_>>()
    };
    pairs(a).is_disjoint(&pairs(b))
}
