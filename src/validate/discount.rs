//! `discount.*`: "-20%" and "10 € off" must be true of the price, measured from the prior price where
//! the prior-price rule applies (CJEU C-330/23), else from the regular price.

use rust_decimal::{Decimal, RoundingStrategy};

use super::{Check, Rule, Value};
use crate::money::Money;
use crate::rendering::ClaimValue;

/// The reduction a price really is against its base.
pub(super) struct RealReduction {
    pub(super) base: Money,
    pub(super) price: Money,
    pub(super) amount: Decimal,
    pub(super) percent: Decimal,
}

impl RealReduction {
    /// From `base` to `price`.
    pub(super) fn between(base: Money, price: Money) -> Option<RealReduction> {
        let amount = base.amount() - price.amount();
        let percent = base.percent_of(Money::new(amount, base.currency()).ok()?)?;
        Some(RealReduction {
            base,
            price,
            amount,
            percent,
        })
    }
}

impl Check<'_, '_> {
    pub(super) fn discount(&mut self, i: usize, claim: &ClaimValue) {
        for s in 0..self.segments.len() {
            if self
                .segments
                .get(s)
                .is_some_and(|(_, st)| st.steps.is_empty())
            {
                // No promotion shapes the price here: the claim announces one that is not running.
                self.no_promotion(i, s, super::promotion::Wanted::Discount);
                return;
            }
            let Some(real) = self.real_reduction(s) else {
                continue;
            };
            if let Some(rule) = judge(claim, &real) {
                self.discount_finding(i, s, claim, &real, rule);
                return;
            }
        }
    }

    /// The base a reduction is measured from in segment `s`, and the reduction.
    fn real_reduction(&mut self, s: usize) -> Option<RealReduction> {
        let (_, state) = self.segments.get(s)?;
        let (price, regular) = (state.price?, state.regular?.amount);
        let prior = if self.prior_price_rule_applies() {
            self.reduction(s).and_then(|r| r.prior).map(|p| p.amount)
        } else {
            None
        };
        RealReduction::between(prior.unwrap_or(regular), price)
    }

    fn discount_finding(
        &mut self,
        i: usize,
        s: usize,
        claim: &ClaimValue,
        real: &RealReduction,
        rule: Rule,
    ) {
        let Some(at) = self.segments.get(s).map(|(w, _)| w.from) else {
            return;
        };
        if !self.wants(rule) {
            return;
        }
        let prior_rule = self.prior_price_rule_applies();
        let base_name = if prior_rule && self.reduction(s).and_then(|r| r.prior).is_some() {
            "prior price"
        } else {
            "regular price"
        };
        let shown = claim.value_text();
        let (expected, shown_text) = match claim {
            ClaimValue::PercentOff(_) => (
                Some(Value::Text(
                    real.percent
                        .max(Decimal::ZERO)
                        .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
                        .to_string(),
                )),
                format!("-{shown}%"),
            ),
            _ => (
                Money::new(real.amount.max(Decimal::ZERO), real.base.currency())
                    .ok()
                    .map(Value::Money),
                format!("-{shown}"),
            ),
        };
        let message = if real.amount <= Decimal::ZERO {
            format!(
                "{} shows {shown_text}, but {} is not below the {base_name} {}: there is no reduction",
                self.channel.id, real.price, real.base
            )
        } else {
            format!(
                "{} shows {shown_text}; {} from the {base_name} {} is -{}% ({} less)",
                self.channel.id,
                real.price,
                real.base,
                real.percent
                    .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
                    .normalize(),
                Money::new(real.amount, real.base.currency())
                    .map(|m| m.to_string())
                    .unwrap_or_default(),
            )
        };
        let mut explanation = self.price_lines(s);
        let (channel, catalog) = (self.listing.channel, self.v.catalog);
        if let Some(reduction) = self.reduction(s) {
            explanation.push(reduction.explain(catalog, channel));
        }
        self.report(
            rule,
            Some(i),
            at,
            expected,
            Some(claim.money().map_or(Value::Text(shown), Value::Money)),
            message,
            explanation,
        );
    }
}

/// The rule a discount claim breaks against the real reduction, if any. A percent claim equal to the
/// real percent rounded half up to an integer is true (CONTRACT §7).
pub(super) fn judge(claim: &ClaimValue, real: &RealReduction) -> Option<Rule> {
    let one_point = Decimal::ONE;
    match claim {
        ClaimValue::PercentOff(p) => {
            let rounded = real
                .percent
                .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero);
            if *p > real.percent && *p != rounded {
                Some(Rule::DiscountOverstated)
            } else if
            // `real.percent` comes from money, so it is small: subtract from it, not from the claim,
            // which is read as written and may be any decimal.
            real
                .percent
                .checked_sub(one_point)
                .is_some_and(|limit| *p <= limit)
            {
                Some(Rule::DiscountUnderstated)
            } else {
                None
            }
        }
        ClaimValue::AmountOff(off) => {
            let missing_points = real
                .base
                .percent_of(Money::new(real.amount - off.amount(), off.currency()).ok()?)?;
            if off.amount() > real.amount {
                Some(Rule::DiscountOverstated)
            } else if missing_points >= one_point {
                Some(Rule::DiscountUnderstated)
            } else {
                None
            }
        }
        _ => None,
    }
}
