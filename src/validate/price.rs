//! `price.*`: the price and the members' price shown, and the currency of every money claim.

use super::{Check, Rule, Value};
use crate::money::Money;
use crate::offer::listing::PriceState;

/// The text of an optional amount: `719.20 EUR`, or `no price`.
pub(super) fn text(money: Option<Money>) -> String {
    money.map_or_else(|| "no price".to_owned(), |m| m.to_string())
}

impl Check<'_, '_> {
    pub(super) fn price(&mut self, i: usize, shown: Money) {
        self.compare_price(
            i,
            shown,
            Rule::PriceMismatch,
            |state| state.price,
            |channel, expected| match expected {
                Some(p) => format!("{channel} shows {shown}; the catalog's price is {p}"),
                None => format!("{channel} shows {shown}; the catalog has no price then"),
            },
        );
    }

    pub(super) fn member_price(&mut self, i: usize, shown: Money) {
        self.compare_price(
            i,
            shown,
            Rule::PriceMemberMismatch,
            |state| state.member_price,
            |channel, expected| {
                format!(
                    "{channel} shows a members' price of {shown}; the catalog's is {}",
                    text(expected)
                )
            },
        );
    }

    /// Reports the first segment in which the price `select` picks is not `shown`.
    fn compare_price(
        &mut self,
        i: usize,
        shown: Money,
        rule: Rule,
        select: impl Fn(&PriceState) -> Option<Money>,
        message: impl Fn(&str, Option<Money>) -> String,
    ) {
        let Some(s) = self
            .segments
            .iter()
            .position(|(_, state)| select(state) != Some(shown))
        else {
            return;
        };
        let Some((window, state)) = self.segments.get(s) else {
            return;
        };
        let (at, expected) = (window.from, select(state));
        if !self.wants(rule) {
            return;
        }
        let message = message(&self.channel.id, expected);
        let explanation = self.price_lines(s);
        self.report(
            rule,
            Some(i),
            at,
            expected.map(Value::Money),
            Some(Value::Money(shown)),
            message,
            explanation,
        );
    }

    pub(super) fn currency_mismatch(&mut self, i: usize, shown: Money) {
        if !self.wants(Rule::PriceCurrencyMismatch) {
            return;
        }
        let expected = self.market.currency;
        let message = format!(
            "{} shows {shown} in {}; market {} prices in {expected}",
            self.channel.id,
            shown.currency(),
            self.market.id
        );
        let at = self.shown.from;
        self.report(
            Rule::PriceCurrencyMismatch,
            Some(i),
            at,
            Some(Value::Text(expected.to_string())),
            Some(Value::Text(shown.currency().to_string())),
            message,
            vec![],
        );
    }
}
