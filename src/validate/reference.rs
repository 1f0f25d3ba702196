//! `reference.*`: the struck-through "was" price of a reduction (Directive 98/6/EC art. 6a; Codice del
//! Consumo art. 17-bis; CJEU C-330/23): the lowest public price of the 30 days before the reduction.

use super::{Check, Rule, Value};
use crate::money::Money;
use crate::rendering::ClaimKind;

impl Check<'_, '_> {
    /// Whether the rendering's reduction claims are subject to the prior-price rule at all.
    pub(super) fn prior_price_rule_applies(&self) -> bool {
        self.market.reference_price_days.is_some() && !self.product.perishable
    }

    pub(super) fn reference_price(&mut self, i: usize, shown: Money) {
        if self.product.perishable {
            // Perishable goods are exempt from the prior-price rule (CONTRACT §8.4).
            return;
        }
        for s in 0..self.segments.len() {
            let Some((window, state)) = self.segments.get(s) else {
                break;
            };
            let (at, price, regular) = (window.from, state.price, state.regular.map(|r| r.amount));
            if self.market.reference_price_days.is_none() {
                if regular != Some(shown) {
                    if !self.wants(Rule::ReferenceMismatch) {
                        return;
                    }
                    let message = format!(
                        "{} shows {shown} as the reference price; market {} has no prior-price rule, so it must be the regular price {}",
                        self.channel.id,
                        self.market.id,
                        super::price::text(regular)
                    );
                    let explanation = self.price_lines(s);
                    self.report(
                        Rule::ReferenceMismatch,
                        Some(i),
                        at,
                        regular.map(Value::Money),
                        Some(Value::Money(shown)),
                        message,
                        explanation,
                    );
                    return;
                }
                continue;
            }
            let channel = self.listing.channel;
            let catalog = self.v.catalog;
            let Some(reduction) = self.reduction(s) else {
                if !self.wants(Rule::ReferenceNotLowestPrior) {
                    return;
                }
                let message = format!(
                    "{} shows {shown} as the reference price, but no reduction is in progress: {} is the regular price",
                    self.channel.id,
                    super::price::text(price)
                );
                let explanation = self.price_lines(s);
                self.report(
                    Rule::ReferenceNotLowestPrior,
                    Some(i),
                    at,
                    None,
                    Some(Value::Money(shown)),
                    message,
                    explanation,
                );
                return;
            };
            let prior = reduction.prior.map(|p| p.amount);
            if prior == Some(shown) {
                continue;
            }
            let why = reduction.explain(catalog, channel);
            match prior {
                None => {
                    if !self.wants(Rule::ReferenceNoHistory) {
                        return;
                    }
                    let message = format!(
                        "{} shows {shown} as the reference price, but the catalog has no price before the reduction",
                        self.channel.id
                    );
                    let mut explanation = self.price_lines(s);
                    explanation.push(why);
                    self.report(
                        Rule::ReferenceNoHistory,
                        Some(i),
                        at,
                        None,
                        Some(Value::Money(shown)),
                        message,
                        explanation,
                    );
                    return;
                }
                Some(prior) => {
                    if !self.wants(Rule::ReferenceNotLowestPrior) {
                        return;
                    }
                    let message = format!(
                        "{} shows {shown} as the reference price; the lowest price of the prior-price window is {prior}",
                        self.channel.id
                    );
                    let mut explanation = self.price_lines(s);
                    explanation.push(why);
                    self.report(
                        Rule::ReferenceNotLowestPrior,
                        Some(i),
                        at,
                        Some(Value::Money(prior)),
                        Some(Value::Money(shown)),
                        message,
                        explanation,
                    );
                    return;
                }
            }
        }
    }

    /// `reference.missing`: a reduction announced without a reference price, where the rule applies.
    pub(super) fn reference_missing(&mut self) {
        if !self.prior_price_rule_applies()
            || self.first_claim(&[ClaimKind::ReferencePrice]).is_some()
        {
            return;
        }
        let Some(i) = self.first_claim(&[ClaimKind::PercentOff, ClaimKind::AmountOff]) else {
            return;
        };
        if self.is_rrp_saving() {
            // A saving from the RRP is not a reduction in the sense of Omnibus (CONTRACT §12).
            return;
        }
        let announced = self
            .r
            .claims
            .get(i)
            .map(|c| c.value.display_text())
            .unwrap_or_default();
        let reduced = self.segments.iter().position(|(_, st)| st.is_reduced());
        let (channel, catalog, at) = (self.listing.channel, self.v.catalog, self.shown.from);
        let reduction = reduced.and_then(|s| self.reduction(s).cloned());
        if let Some(reduction) = reduction.as_ref().filter(|r| r.prior.is_none()) {
            if !self.wants(Rule::ReferenceNoHistory) {
                return;
            }
            let message = format!(
                "{} announces a reduction ({announced}), but the catalog has no price before it to compare with",
                self.channel.id
            );
            let explanation = vec![reduction.explain(catalog, channel)];
            self.report(
                Rule::ReferenceNoHistory,
                Some(i),
                at,
                None,
                None,
                message,
                explanation,
            );
            return;
        }
        let days = self.market.reference_price_days.unwrap_or_default();
        if !self.wants(Rule::ReferenceMissing) {
            return;
        }
        let message = format!(
            "{} announces a reduction ({announced}) without the lowest price of the {days} days before it",
            self.channel.id
        );
        let expected = reduction
            .as_ref()
            .and_then(|r| r.prior)
            .map(|p| Value::Money(p.amount));
        let explanation = reduction
            .iter()
            .map(|r| r.explain(catalog, channel))
            .collect();
        self.report(
            Rule::ReferenceMissing,
            Some(i),
            at,
            expected,
            None,
            message,
            explanation,
        );
    }
}
