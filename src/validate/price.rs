//! `price.*`: the price and the members' price shown, and the currency of every money claim.

use super::{Check, Rule};
use crate::money::Money;

/// The text of an optional amount: `719.20 EUR`, or `no price`.
pub(super) fn text(money: Option<Money>) -> String {
    money.map_or_else(|| "no price".to_owned(), |m| m.to_string())
}

impl Check<'_, '_> {
    pub(super) fn price(&mut self, i: usize, shown: Money) {
        let failing = self
            .segments
            .iter()
            .position(|(_, state)| state.price != Some(shown));
        if let Some(s) = failing {
            let (window, state) = &self.segments[s];
            let (at, expected) = (window.from, state.price);
            let message = match expected {
                Some(p) => format!(
                    "{} shows {shown}; the catalog's price is {p}",
                    self.channel.id
                ),
                None => format!(
                    "{} shows {shown}; the catalog has no price for {} then",
                    self.channel.id, self.product.sku
                ),
            };
            let explanation = self.price_lines(s);
            self.report(
                Rule::PriceMismatch,
                Some(i),
                at,
                expected.map(|p| p.to_string()),
                Some(shown.to_string()),
                message,
                explanation,
            );
        }
    }

    pub(super) fn member_price(&mut self, i: usize, shown: Money) {
        let failing = self
            .segments
            .iter()
            .position(|(_, state)| state.member_price != Some(shown));
        if let Some(s) = failing {
            let (window, state) = &self.segments[s];
            let (at, expected) = (window.from, state.member_price);
            let message = format!(
                "{} shows a members' price of {shown}; the catalog's is {}",
                self.channel.id,
                text(expected)
            );
            let explanation = self.price_lines(s);
            self.report(
                Rule::PriceMemberMismatch,
                Some(i),
                at,
                expected.map(|p| p.to_string()),
                Some(shown.to_string()),
                message,
                explanation,
            );
        }
    }

    pub(super) fn currency_mismatch(&mut self, i: usize, shown: Money) {
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
            Some(expected.to_string()),
            Some(shown.currency().to_string()),
            message,
            vec![],
        );
    }
}
