//! The price claims of v2 (CONTRACT §11, §12, §15): tier, group and volume prices, coupons, the
//! recommended retail price and the savings measured from it, and the anchor price.

use chrono::{DateTime, Utc};

use super::discount::{RealReduction, judge};
use super::{Check, Rule, Value};
use crate::catalog::{Audience, Mechanic, Promotion};
use crate::money::Money;
use crate::rendering::{
    ClaimKind, ClaimValue, CouponClaim, CouponReduction, GroupPriceClaim, TierPriceClaim,
    VolumePriceClaim,
};

impl<'c> Check<'_, 'c> {
    /// The instants of `shown` at which a price of the listing may change, group and volume entries
    /// included: its start, then every boundary inside it.
    fn instants(&self) -> Vec<DateTime<Utc>> {
        let mut out = vec![self.shown.from];
        let mut t = self.shown.from;
        while let Some(next) = self.listing.next_boundary_v2(t) {
            if self.shown.until.is_some_and(|until| next >= until) || self.shown.is_empty() {
                break;
            }
            out.push(next);
            t = next;
        }
        out
    }

    /// Reports at the first instant where `expected` is not `shown`.
    fn compare_over_time(
        &mut self,
        i: usize,
        rule: Rule,
        shown: Money,
        expected: impl Fn(&Self, DateTime<Utc>) -> Option<(Money, Vec<String>)>,
        message: impl Fn(&Self, Option<Money>) -> String,
    ) {
        if !self.wants(rule) {
            return;
        }
        for t in self.instants() {
            let found = expected(self, t);
            if found.as_ref().map(|(m, _)| *m) == Some(shown) {
                continue;
            }
            let (amount, explanation) = match found {
                Some((m, lines)) => (Some(m), lines),
                None => (None, Vec::new()),
            };
            let text = message(self, amount);
            self.report(
                rule,
                Some(i),
                t,
                amount.map(Value::Money),
                Some(Value::Money(shown)),
                text,
                explanation,
            );
            return;
        }
    }

    fn step_lines(&self, steps: &[(crate::catalog::PromotionKey, Money)]) -> Vec<String> {
        steps
            .iter()
            .map(|(k, price)| {
                let p = self.v.catalog.promotion_at(*k);
                format!("promotion {} -> {price}", p.id)
            })
            .collect()
    }

    pub(super) fn tier_price(&mut self, i: usize, claim: &TierPriceClaim) {
        self.compare_over_time(
            i,
            Rule::PriceTierMismatch,
            claim.price,
            |c, t| {
                let (price, steps) = c.listing.tier_at(&claim.tier, t)?;
                let mut lines = vec![format!(
                    "tier {}: the public price, then its promotions",
                    claim.tier
                )];
                lines.extend(c.step_lines(&steps));
                Some((price, lines))
            },
            |c, expected| {
                format!(
                    "{} shows {} for tier {}; the catalog's is {}",
                    c.channel.id,
                    claim.price,
                    claim.tier,
                    super::price::text(expected)
                )
            },
        );
    }

    pub(super) fn group_price(&mut self, i: usize, claim: &GroupPriceClaim) {
        let quantity = claim.min_quantity.unwrap_or(1);
        self.compare_over_time(
            i,
            Rule::PriceGroupMismatch,
            claim.price,
            |c, t| {
                let (span, price, steps) = c.listing.group_at(&claim.group, quantity, t)?;
                let mut lines = vec![format!(
                    "price {} (prices[{}]) for group {} from {quantity}",
                    span.amount, span.entry, claim.group
                )];
                lines.extend(c.step_lines(&steps));
                Some((price, lines))
            },
            |c, expected| {
                format!(
                    "{} shows {} for group {}; the catalog's is {}",
                    c.channel.id,
                    claim.price,
                    claim.group,
                    super::price::text(expected)
                )
            },
        );
    }

    pub(super) fn volume_price(&mut self, i: usize, claim: &VolumePriceClaim) {
        if !self.wants(Rule::PriceVolumeMismatch) {
            return;
        }
        let quantity = claim.min_quantity.max(1);
        for t in self.instants() {
            let selected = match &claim.group {
                Some(group) => self.listing.group_at(group, quantity, t),
                None => self.listing.volume_at(quantity, t),
            };
            let min_of = |entry: u32| {
                self.v
                    .catalog
                    .tiered_of(self.listing.product)
                    .iter()
                    .find(|r| r.span.entry == entry)
                    .map_or(1, |r| r.min_quantity)
            };
            let (expected, from, lines) = match &selected {
                Some((span, price, steps)) => {
                    let mut lines = vec![format!(
                        "price {} (prices[{}]) from {} units",
                        span.amount,
                        span.entry,
                        min_of(span.entry)
                    )];
                    lines.extend(self.step_lines(steps));
                    (Some(*price), min_of(span.entry), lines)
                }
                None => (None, 0, Vec::new()),
            };
            let no_entry = quantity > 1 && from != quantity;
            if expected == Some(claim.price) && !no_entry {
                continue;
            }
            let message = if no_entry && expected.is_some() {
                format!(
                    "{} shows {} from {quantity} units; no price entry starts at {quantity} units: {} is the price for {quantity} (from {from})",
                    self.channel.id,
                    claim.price,
                    super::price::text(expected)
                )
            } else {
                format!(
                    "{} shows {} from {quantity} units; the catalog's is {}",
                    self.channel.id,
                    claim.price,
                    super::price::text(expected)
                )
            };
            self.report(
                Rule::PriceVolumeMismatch,
                Some(i),
                t,
                expected.map(Value::Money),
                Some(Value::Money(claim.price)),
                message,
                lines,
            );
            return;
        }
    }

    /// The coupon promotion a code names on this channel at `t`, if one runs.
    fn coupon_at(&self, code: &str, t: DateTime<Utc>) -> Option<&'c Promotion> {
        self.listing.coupons_at(code, t).next().map(|(_, p)| p)
    }

    pub(super) fn coupon(&mut self, i: usize, claim: &CouponClaim) {
        if !self.wants(Rule::PromotionCouponMismatch) {
            return;
        }
        for t in self.instants() {
            let promotion = self.coupon_at(&claim.code, t);
            let (ok, expected) = match (promotion, claim.reduction) {
                (None, _) => (false, None),
                (Some(p), None) => (true, Some(mechanic_text(&p.mechanic))),
                (Some(p), Some(shown)) => {
                    let same = match (shown, p.mechanic) {
                        (CouponReduction::PercentOff(a), Mechanic::PercentOff(b)) => a == b,
                        (CouponReduction::AmountOff(a), Mechanic::AmountOff(b)) => a == b,
                        _ => false,
                    };
                    (same, Some(mechanic_text(&p.mechanic)))
                }
            };
            if ok {
                continue;
            }
            let message = match &expected {
                None => format!(
                    "{} shows coupon {}, but no coupon {} runs on {} then",
                    self.channel.id, claim.code, claim.code, self.channel.id
                ),
                Some(real) => format!(
                    "{} shows coupon {}; the coupon takes {real}",
                    self.channel.id, claim
                ),
            };
            self.report(
                Rule::PromotionCouponMismatch,
                Some(i),
                t,
                expected.map(Value::Text),
                Some(Value::Text(claim.to_string())),
                message,
                Vec::new(),
            );
            return;
        }
    }

    /// The public coupon a `coupon` claim of the rendering names at `t`, if one runs.
    fn public_coupon_at(&self, t: DateTime<Utc>) -> Option<&'c Promotion> {
        self.r.claims.iter().find_map(|c| match &c.value {
            ClaimValue::Coupon(claim) => self
                .coupon_at(&claim.code, t)
                .filter(|p| matches!(p.audience, Audience::Code { public: true, .. })),
            _ => None,
        })
    }

    /// Whether the rendering announces a coupon (then its discounts are the coupon's).
    pub(super) fn has_coupon_claim(&self) -> bool {
        self.first_claim(&[ClaimKind::Coupon]).is_some()
    }

    /// The reduction a public coupon makes at `t`: from the prior price of the public price (§8, or
    /// the coupon's start when the public price was not reduced before it) to the price after it.
    fn coupon_reduction(
        &self,
        t: DateTime<Utc>,
    ) -> Option<(RealReduction, Option<crate::offer::Reduction>)> {
        let coupon = self.public_coupon_at(t)?;
        let (regular, public) = self.listing.public_at(t)?;
        let after = self.listing.after_coupon(coupon, t)?;
        let reduction = self.prior_price_rule_applies().then(|| {
            let scope = self.v.options.reference_scope;
            if public < regular {
                crate::offer::prior::reduction(&self.listing, t, scope)
            } else {
                crate::offer::prior::reduction_since(&self.listing, coupon.window.from, scope)
            }
        });
        let base = reduction
            .as_ref()
            .and_then(|r| r.prior)
            .map_or(regular, |p| p.amount);
        Some((RealReduction::between(base, after)?, reduction))
    }

    /// A `percent_off` / `amount_off` beside a public coupon claim (CONTRACT §15).
    pub(super) fn coupon_discount(&mut self, i: usize, claim: &ClaimValue) {
        for t in self.instants() {
            let Some((real, reduction)) = self.coupon_reduction(t) else {
                // No public coupon runs: the coupon claim's own finding says so.
                continue;
            };
            let Some(rule) = judge(claim, &real) else {
                continue;
            };
            if !self.wants(rule) {
                return;
            }
            let base_name = if reduction.as_ref().is_some_and(|r| r.prior.is_some()) {
                "prior price"
            } else {
                "regular price"
            };
            let message = format!(
                "{} shows {} with the coupon; {} after it, from the {base_name} {}, is -{}%",
                self.channel.id,
                claim.display_text(),
                real.price,
                real.base,
                real.percent
                    .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
                    .normalize()
            );
            let explanation = reduction
                .iter()
                .map(|r| r.explain(self.v.catalog, self.listing.channel))
                .collect();
            self.report(
                rule,
                Some(i),
                t,
                expected_value(claim, &real),
                Some(found_value(claim)),
                message,
                explanation,
            );
            return;
        }
    }

    /// A `reference_price` beside a public coupon while the public price is not reduced: the prior
    /// price of the reduction the coupon starts. `false` when the v1 check applies instead.
    pub(super) fn coupon_reference(&mut self, i: usize, shown: Money) -> bool {
        let t = self.shown.from;
        let Some(coupon) = self.public_coupon_at(t) else {
            return false;
        };
        if self
            .listing
            .public_at(t)
            .is_none_or(|(regular, public)| public < regular)
            || !self.prior_price_rule_applies()
        {
            return false;
        }
        let reduction = crate::offer::prior::reduction_since(
            &self.listing,
            coupon.window.from,
            self.v.options.reference_scope,
        );
        let prior = reduction.prior.map(|p| p.amount);
        if prior == Some(shown) {
            return true;
        }
        let rule = if prior.is_some() {
            Rule::ReferenceNotLowestPrior
        } else {
            Rule::ReferenceNoHistory
        };
        if !self.wants(rule) {
            return true;
        }
        let message = format!(
            "{} shows {shown} as the reference price of coupon {}; the lowest price before it is {}",
            self.channel.id,
            coupon.id,
            super::price::text(prior)
        );
        let explanation = vec![reduction.explain(self.v.catalog, self.listing.channel)];
        self.report(
            rule,
            Some(i),
            t,
            prior.map(Value::Money),
            Some(Value::Money(shown)),
            message,
            explanation,
        );
        true
    }

    /// `reference.missing` for a public coupon announced with its reduction in the coupon claim
    /// alone (a discount claim beside it is the v1 check's).
    pub(super) fn coupon_reference_missing(&mut self) {
        if !self.wants(Rule::ReferenceMissing) {
            return;
        }
        let discount_beside = self
            .first_claim(&[ClaimKind::PercentOff, ClaimKind::AmountOff])
            .is_some();
        if discount_beside
            || !self.prior_price_rule_applies()
            || self.first_claim(&[ClaimKind::ReferencePrice]).is_some()
        {
            return;
        }
        let Some(i) = self.r.claims.iter().position(
            |c| matches!(&c.value, ClaimValue::Coupon(coupon) if coupon.reduction.is_some()),
        ) else {
            return;
        };
        if self.public_coupon_at(self.shown.from).is_none() {
            return;
        }
        let days = self.market.reference_price_days.unwrap_or_default();
        let message = format!(
            "{} announces a public coupon with its reduction without the lowest price of the {days} days before it",
            self.channel.id
        );
        let at = self.shown.from;
        self.report(
            Rule::ReferenceMissing,
            Some(i),
            at,
            None,
            None,
            message,
            Vec::new(),
        );
    }

    pub(super) fn rrp(&mut self, i: usize, shown: Money) {
        let expected = self.product.rrp_in(self.listing.market);
        if expected == Some(shown) || !self.wants(Rule::RrpMismatch) {
            return;
        }
        let message = match expected {
            Some(rrp) => format!(
                "{} shows an RRP of {shown}; the catalog's is {rrp}",
                self.channel.id
            ),
            None => format!(
                "{} shows an RRP of {shown}; the catalog has no RRP for {} in {}",
                self.channel.id, self.product.sku, self.market.id
            ),
        };
        let at = self.shown.from;
        self.report(
            Rule::RrpMismatch,
            Some(i),
            at,
            expected.map(Value::Money),
            Some(Value::Money(shown)),
            message,
            Vec::new(),
        );
    }

    /// Whether the rendering's discounts are savings from an RRP: an `rrp` claim and no
    /// `reference_price` (CONTRACT §12).
    pub(super) fn is_rrp_saving(&self) -> bool {
        self.first_claim(&[ClaimKind::Rrp]).is_some()
            && self.first_claim(&[ClaimKind::ReferencePrice]).is_none()
    }

    /// A saving measured from the RRP: `discount.rrp_overstated` when larger than the real one.
    pub(super) fn rrp_discount(&mut self, i: usize, claim: &ClaimValue) {
        if !self.wants(Rule::DiscountRrpOverstated) {
            return;
        }
        let Some(rrp) = self.product.rrp_in(self.listing.market) else {
            // No RRP: the `rrp` claim's finding says so.
            return;
        };
        for t in self.instants() {
            let Some((_, price)) = self.listing.public_at(t) else {
                continue;
            };
            let Some(real) = RealReduction::between(rrp, price) else {
                continue;
            };
            if judge(claim, &real) != Some(Rule::DiscountOverstated) {
                continue;
            }
            let message = format!(
                "{} shows a saving of {} from the RRP {rrp}; {price} is -{}% from it",
                self.channel.id,
                claim.display_text(),
                real.percent
                    .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
                    .normalize()
            );
            self.report(
                Rule::DiscountRrpOverstated,
                Some(i),
                t,
                expected_value(claim, &real),
                Some(found_value(claim)),
                message,
                vec![format!("RRP {rrp} ({})", self.market.id)],
            );
            return;
        }
    }

    /// The anchor price of the product on this channel, if the market has the rule and the product
    /// had a public price then.
    fn anchor(&self) -> Option<(Money, String)> {
        let anchor = self.market.anchor.as_ref()?;
        let (_, price) = self.listing.public_at(anchor.at)?;
        let line = format!(
            "anchor price {price}: the public price on {} at the start of {}",
            self.channel.id, anchor.date
        );
        Some((price, line))
    }

    pub(super) fn anchor_price(&mut self, i: usize, shown: Money) {
        if !self.wants(Rule::AnchorMismatch) {
            return;
        }
        let expected = self.anchor();
        if expected.as_ref().map(|(m, _)| *m) == Some(shown) {
            return;
        }
        let message = match (&expected, &self.market.anchor) {
            (Some((price, _)), _) => format!(
                "{} shows an anchor price of {shown}; the catalog's is {price}",
                self.channel.id
            ),
            (None, Some(anchor)) => format!(
                "{} shows an anchor price of {shown}; {} had no price on {}",
                self.channel.id, self.product.sku, anchor.date
            ),
            (None, None) => format!(
                "{} shows an anchor price of {shown}; market {} has no anchor date",
                self.channel.id, self.market.id
            ),
        };
        let at = self.shown.from;
        let (amount, explanation) = match expected {
            Some((m, line)) => (Some(Value::Money(m)), vec![line]),
            None => (None, Vec::new()),
        };
        self.report(
            Rule::AnchorMismatch,
            Some(i),
            at,
            amount,
            Some(Value::Money(shown)),
            message,
            explanation,
        );
    }

    /// `anchor.missing`: a price shown on an anchor channel without the anchor price.
    pub(super) fn anchor_missing(&mut self) {
        let Some(anchor) = &self.market.anchor else {
            return;
        };
        if !self.wants(Rule::AnchorMissing)
            || !anchor.covers(self.channel.kind)
            || self.first_claim(&[ClaimKind::AnchorPrice]).is_some()
        {
            return;
        }
        let Some(i) = self.first_claim(&[ClaimKind::Price]) else {
            return;
        };
        let Some((price, line)) = self.anchor() else {
            return;
        };
        let message = format!(
            "{} shows a price without the anchor price {price} of {}",
            self.channel.id, anchor.date
        );
        let at = self.shown.from;
        self.report(
            Rule::AnchorMissing,
            Some(i),
            at,
            Some(Value::Money(price)),
            None,
            message,
            vec![line],
        );
    }
}

fn mechanic_text(mechanic: &Mechanic) -> String {
    match mechanic {
        Mechanic::PercentOff(p) => format!("-{}%", p.normalize()),
        Mechanic::AmountOff(m) => format!("-{m}"),
        Mechanic::FixedPrice(m) => format!("the price to {m}"),
        Mechanic::MultiBuy(m) => m.to_string(),
    }
}

/// The real figure in the claim's terms, as `discount.*` gives it: a whole percent, or an amount.
fn expected_value(claim: &ClaimValue, real: &RealReduction) -> Option<Value> {
    use rust_decimal::{Decimal, RoundingStrategy};
    match claim {
        ClaimValue::AmountOff(_) => {
            Money::new(real.amount.max(Decimal::ZERO), real.base.currency())
                .ok()
                .map(Value::Money)
        }
        _ => Some(Value::Text(
            real.percent
                .max(Decimal::ZERO)
                .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
                .to_string(),
        )),
    }
}

/// What a discount claim shows: an amount as money, a percent as text.
fn found_value(claim: &ClaimValue) -> Value {
    claim
        .money()
        .map_or_else(|| Value::Text(claim.value_text()), Value::Money)
}
