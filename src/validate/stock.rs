//! `stock.*`: availability, "only N left" and pickup must be true at every instant shown, and an
//! advertisement needs stock behind its price (UCPD Annex I 5 bait advertising, 7 false urgency).

use chrono::{DateTime, Duration, Utc};

use super::{Check, Rule, Value};
use crate::catalog::{ChannelKind, LocationKey};
use crate::offer::Availability;
use crate::rendering::ClaimKind;

impl<'c> Check<'_, 'c> {
    /// The instants inside `shown` at which the stock of `locations` can change, `shown.from` first.
    /// Lazily, and without holding the check, which reports while they are walked.
    fn stock_instants<'l>(
        &self,
        locations: &'l [LocationKey],
    ) -> impl Iterator<Item = DateTime<Utc>> + use<'l, 'c> {
        let (listing, shown) = (self.listing, self.shown);
        // One instant shown: nothing can change inside it.
        let one_instant = shown
            .from
            .checked_add_signed(Duration::nanoseconds(1))
            .is_some_and(|next| shown.until.is_some_and(|until| until <= next));
        std::iter::successors(Some(shown.from), move |&t| {
            if one_instant {
                return None;
            }
            listing
                .next_stock_change(locations, t)
                .filter(|&next| shown.until.is_none_or(|until| next < until))
        })
    }

    fn stock_explanation(&self, t: DateTime<Utc>, locations: &[LocationKey]) -> Vec<String> {
        let catalog = self.v.catalog;
        locations
            .iter()
            .map(|&l| {
                format!(
                    "{}: {} available at {}",
                    catalog.location_at(l).id,
                    self.listing.available_at(l, t),
                    self.when(t)
                )
            })
            .collect()
    }

    pub(super) fn availability(&mut self, i: usize, shown: Availability) {
        let locations: &'c [LocationKey] = &self.channel.locations;
        let threshold = self.v.policy.low_stock_threshold;
        for t in self.stock_instants(locations) {
            let available = self.listing.available(t);
            let rule = match shown {
                Availability::InStock | Availability::LowStock if available == 0 => {
                    Rule::StockUnavailable
                }
                Availability::LowStock if available > threshold => Rule::StockFalseScarcity,
                Availability::OutOfStock if available > 0 => Rule::StockUnderstated,
                _ => continue,
            };
            let expected = Availability::of_units(available, threshold);
            if !self.wants(rule) {
                return;
            }
            let message = format!(
                "{} says {}, but {available} {} available to it",
                self.channel.id,
                shown.as_str(),
                if available == 1 { "is" } else { "are" }
            );
            let explanation = self.stock_explanation(t, locations);
            self.report(
                rule,
                Some(i),
                t,
                Some(Value::from(expected.as_str())),
                Some(Value::from(shown.as_str())),
                message,
                explanation,
            );
            return;
        }
    }

    pub(super) fn stock_quantity(&mut self, i: usize, shown: u64) {
        let locations: &'c [LocationKey] = &self.channel.locations;
        for t in self.stock_instants(locations) {
            let available = self.listing.available(t);
            let rule = match shown.cmp(&available) {
                std::cmp::Ordering::Less => Rule::StockFalseScarcity,
                std::cmp::Ordering::Greater => Rule::StockOverstated,
                std::cmp::Ordering::Equal => continue,
            };
            if !self.wants(rule) {
                return;
            }
            let message = format!(
                "{} says only {shown} left; {available} are available to it",
                self.channel.id
            );
            let explanation = self.stock_explanation(t, locations);
            self.report(
                rule,
                Some(i),
                t,
                Some(Value::Integer(available)),
                Some(Value::Integer(shown)),
                message,
                explanation,
            );
            return;
        }
    }

    pub(super) fn pickup_at(&mut self, i: usize, location: &str) {
        let Some(key) = self.v.catalog.location_key(location) else {
            if !self.wants(Rule::StockUnavailable) {
                return;
            }
            let message = format!(
                "{} offers pickup at {location:?}, which is not a location of the catalog",
                self.channel.id
            );
            let at = self.shown.from;
            self.report(
                Rule::StockUnavailable,
                Some(i),
                at,
                None,
                Some(Value::from(location)),
                message,
                vec![],
            );
            return;
        };
        for t in self.stock_instants(&[key]) {
            if self.listing.available_at(key, t) == 0 {
                if !self.wants(Rule::StockUnavailable) {
                    return;
                }
                let message = format!(
                    "{} offers pickup at {location}, which has none of {}",
                    self.channel.id, self.product.sku
                );
                let explanation = self.stock_explanation(t, &[key]);
                self.report(
                    Rule::StockUnavailable,
                    Some(i),
                    t,
                    Some(Value::Integer(0)),
                    Some(Value::from(location)),
                    message,
                    explanation,
                );
                return;
            }
        }
    }

    /// `stock.bait_advertising`: an advertisement's price needs stock behind it when it starts.
    pub(super) fn bait_advertising(&mut self) {
        let advertises = matches!(
            self.channel.kind,
            ChannelKind::Tv
                | ChannelKind::Radio
                | ChannelKind::Print
                | ChannelKind::Email
                | ChannelKind::Social
        );
        let Some(i) = self.first_claim(&[ClaimKind::Price]).filter(|_| advertises) else {
            return;
        };
        let at = self.shown.from;
        let available = self.listing.available(at);
        let wanted = self.v.policy.min_advertised_stock;
        if available < wanted {
            if !self.wants(Rule::StockBaitAdvertising) {
                return;
            }
            let message = format!(
                "{} ({}) advertises a price of {} with {available} available when it starts (the policy wants at least {wanted})",
                self.channel.id, self.channel.kind, self.product.sku
            );
            let locations: &'c [LocationKey] = &self.channel.locations;
            let explanation = self.stock_explanation(at, locations);
            self.report(
                Rule::StockBaitAdvertising,
                Some(i),
                at,
                Some(Value::Text(format!("at least {wanted}"))),
                Some(Value::Integer(available)),
                message,
                explanation,
            );
        }
    }
}
