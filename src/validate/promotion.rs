//! `promotion.*`: the promotion a rendering names or implies must be running, on this channel, and be
//! the kind of promotion the rendering shows.

use chrono::{DateTime, Utc};

use super::{Check, Rule, Value};
use crate::catalog::{Audience, Mechanic, MultiBuy, Promotion, PromotionKey};
use crate::rendering::ClaimKind;

/// What kind of promotion a claim needs to be running.
#[derive(Clone, Copy)]
pub(super) enum Wanted {
    /// One that changes the public price (a discount claim).
    Discount,
    /// A multi-buy.
    MultiBuy,
}

impl Wanted {
    fn matches(self, p: &Promotion) -> bool {
        let is_multi_buy = matches!(p.mechanic, Mechanic::MultiBuy(_));
        p.audience == Audience::Everyone
            && match self {
                Wanted::Discount => !is_multi_buy,
                Wanted::MultiBuy => is_multi_buy,
            }
    }

    fn name(self) -> &'static str {
        match self {
            Wanted::Discount => "price reduction",
            Wanted::MultiBuy => "multi-buy",
        }
    }
}

impl Check<'_, '_> {
    /// Promotions of the product in the channel's market that run at `t` on other channels only.
    fn running_elsewhere(
        &self,
        t: DateTime<Utc>,
        wanted: impl Fn(&Promotion) -> bool,
    ) -> Vec<&str> {
        let catalog = self.v.catalog;
        catalog
            .promotions_of(self.listing.product)
            .iter()
            .map(|&k| catalog.promotion_at(k))
            .filter(|p| wanted(p) && p.window.contains(t))
            .filter(|p| {
                p.markets
                    .as_ref()
                    .is_none_or(|m| m.contains(&self.listing.market))
            })
            .filter(|p| !p.covers_channel(self.listing.channel, self.listing.market))
            .map(|p| p.id.as_str())
            .collect()
    }

    /// Reports that no promotion of the wanted kind runs on this channel in segment `s`.
    pub(super) fn no_promotion(&mut self, i: usize, s: usize, wanted: Wanted) {
        let Some(at) = self.segments.get(s).map(|(w, _)| w.from) else {
            return;
        };
        let found = self.r.claims.get(i).map(|c| c.value.value_text());
        let shown = self
            .r
            .claims
            .get(i)
            .map(|c| c.value.display_text())
            .unwrap_or_default();
        let elsewhere = self.running_elsewhere(at, |p| wanted.matches(p));
        let explanation = self.price_lines(s);
        if elsewhere.is_empty() {
            if !self.wants(Rule::PromotionNotActive) {
                return;
            }
            let message = format!(
                "{} shows {shown}, but no {} of {} runs on it at {}",
                self.channel.id,
                wanted.name(),
                self.product.sku,
                self.when(at)
            );
            self.report(
                Rule::PromotionNotActive,
                Some(i),
                at,
                None,
                found.map(Value::Text),
                message,
                explanation,
            );
        } else {
            if !self.wants(Rule::PromotionNotOnChannel) {
                return;
            }
            let message = format!(
                "{} shows {shown}, but {} runs on other channels, not on {}",
                self.channel.id,
                elsewhere.join(", "),
                self.channel.id
            );
            self.report(
                Rule::PromotionNotOnChannel,
                Some(i),
                at,
                None,
                found.map(Value::Text),
                message,
                explanation,
            );
        }
    }

    pub(super) fn multi_buy(&mut self, i: usize, shown: MultiBuy) {
        for s in 0..self.segments.len() {
            let in_force: Vec<MultiBuy> = self
                .segments
                .get(s)
                .map_or(&[][..], |(_, st)| st.multi_buys.as_slice())
                .iter()
                .filter_map(|&k| match self.v.catalog.promotion_at(k).mechanic {
                    Mechanic::MultiBuy(m) => Some(m),
                    _ => None,
                })
                .collect();
            if in_force.is_empty() {
                self.no_promotion(i, s, Wanted::MultiBuy);
                return;
            }
            if !in_force.contains(&shown) {
                let Some(at) = self.segments.get(s).map(|(w, _)| w.from) else {
                    return;
                };
                let running: Vec<String> = in_force.iter().map(|m| m.to_string()).collect();
                if !self.wants(Rule::PromotionMismatch) {
                    return;
                }
                let message = format!(
                    "{} shows {shown}; the multi-buy running is {}",
                    self.channel.id,
                    running.join(", ")
                );
                let explanation = self.price_lines(s);
                self.report(
                    Rule::PromotionMismatch,
                    Some(i),
                    at,
                    running.first().cloned().map(Value::Text),
                    Some(Value::Text(shown.to_string())),
                    message,
                    explanation,
                );
                return;
            }
        }
    }

    /// The promotion a `promotion` claim names, if the catalog has it.
    pub(super) fn named_promotion(&self) -> Option<(usize, PromotionKey)> {
        self.named
    }

    pub(super) fn promotion(&mut self, i: usize, id: &str) {
        let catalog = self.v.catalog;
        let at = self.shown.from;
        let Some(key) = catalog.promotion_key(id) else {
            if !self.wants(Rule::PromotionNotActive) {
                return;
            }
            let message = format!(
                "{} names promotion {id:?}, which is not in the catalog",
                self.channel.id
            );
            self.report(
                Rule::PromotionNotActive,
                Some(i),
                at,
                None,
                Some(Value::from(id)),
                message,
                vec![],
            );
            return;
        };
        let promotion = catalog.promotion_at(key);
        let targets = catalog.promotions_of(self.listing.product).contains(&key);
        if !targets {
            if !self.wants(Rule::PromotionNotActive) {
                return;
            }
            let message = format!(
                "{} names promotion {id}, which does not apply to {}",
                self.channel.id, self.product.sku
            );
            self.report(
                Rule::PromotionNotActive,
                Some(i),
                at,
                None,
                Some(Value::from(id)),
                message,
                vec![],
            );
            return;
        }
        let on_channel = promotion.covers_channel(self.listing.channel, self.listing.market);
        let in_market = promotion
            .markets
            .as_ref()
            .is_none_or(|m| m.contains(&self.listing.market));
        // Promotion boundaries are segment boundaries: whether it runs is constant in a segment.
        let inactive = self
            .segments
            .iter()
            .map(|(w, _)| w.from)
            .find(|t| !promotion.window.contains(*t));
        if let Some(t) = inactive {
            if !self.wants(Rule::PromotionNotActive) {
                return;
            }
            let message = format!(
                "{} names promotion {id}, which runs {}; it is not running at {}",
                self.channel.id,
                describe_window(promotion, self.market.time_zone),
                self.when(t)
            );
            self.report(
                Rule::PromotionNotActive,
                Some(i),
                t,
                None,
                Some(Value::from(id)),
                message,
                vec![],
            );
            return;
        }
        if !on_channel {
            let rule = if in_market {
                Rule::PromotionNotOnChannel
            } else {
                Rule::PromotionNotActive
            };
            if !self.wants(rule) {
                return;
            }
            let message = format!(
                "{} names promotion {id}, which does not run on {}",
                self.channel.id, self.channel.id
            );
            self.report(
                rule,
                Some(i),
                at,
                None,
                Some(Value::from(id)),
                message,
                vec![],
            );
            return;
        }
        // The kind shown must be the promotion's kind: a multi-buy is not a discount, and vice versa.
        let is_multi_buy = matches!(promotion.mechanic, Mechanic::MultiBuy(_));
        let shows_discount = self.first_claim(&[ClaimKind::PercentOff, ClaimKind::AmountOff]);
        let shows_multi_buy = self.first_claim(&[ClaimKind::MultiBuy]);
        let clash = if is_multi_buy {
            shows_discount
        } else {
            shows_multi_buy
        };
        if let Some(j) = clash {
            let shown = self
                .r
                .claims
                .get(j)
                .map(|c| c.value.display_text())
                .unwrap_or_default();
            let kind = if is_multi_buy {
                "a multi-buy"
            } else {
                "a price reduction"
            };
            if !self.wants(Rule::PromotionMismatch) {
                return;
            }
            let message = format!(
                "{} names promotion {id}, which is {kind}, but shows {shown}",
                self.channel.id
            );
            self.report(
                Rule::PromotionMismatch,
                Some(i),
                at,
                Some(Value::Text(mechanic_text(&promotion.mechanic))),
                Some(Value::Text(shown)),
                message,
                vec![],
            );
        }
    }
}

fn describe_window(p: &Promotion, zone: chrono_tz::Tz) -> String {
    let from = crate::time::local_label(p.window.from, zone);
    match p.window.until {
        Some(until) => format!(
            "from {from} until {}",
            crate::time::local_label(until, zone)
        ),
        None => format!("from {from}"),
    }
}

pub(super) fn mechanic_text(m: &Mechanic) -> String {
    match m {
        Mechanic::PercentOff(p) => format!("-{}%", p.normalize()),
        Mechanic::AmountOff(a) => format!("-{a}"),
        Mechanic::FixedPrice(f) => format!("fixed price {f}"),
        Mechanic::MultiBuy(m) => m.to_string(),
    }
}
