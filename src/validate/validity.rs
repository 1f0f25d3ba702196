//! `validity.*`: "until Sunday" and "from Monday" must be when the advertised offer really ends and
//! starts. Too late an end misleads; too early an end with the offer going on is false urgency (UCPD
//! Annex I 7; UK CMA 2023 on countdown timers).

use chrono::{DateTime, Utc};

use super::{Check, Rule};
use crate::catalog::Mechanic;
use crate::rendering::{ClaimValue, DateOrInstant};
use crate::time::{DateEdge, local_label};

/// What a rendering advertises, whose start and end its validity claims state.
enum Advertised<'c> {
    /// A promotion it names (or the multi-buy in force that it shows).
    Promotion {
        id: &'c str,
        from: DateTime<Utc>,
        until: Option<DateTime<Utc>>,
    },
    /// The price it shows, and any discount of it.
    Price,
    /// Nothing that can be placed in time (the claimed multi-buy is not running): other rules report it.
    Unknown,
}

impl<'c> Check<'_, 'c> {
    fn advertised(&self, s: usize) -> Advertised<'c> {
        let catalog = self.v.catalog;
        if let Some((_, key)) = self.named_promotion() {
            let p = catalog.promotion_at(key);
            return Advertised::Promotion {
                id: p.id.as_str(),
                from: p.window.from,
                until: p.window.until,
            };
        }
        let shown_multi_buy = self.r.claims.iter().find_map(|c| match c.value {
            ClaimValue::MultiBuy(m) => Some(m),
            _ => None,
        });
        if let Some(shown) = shown_multi_buy {
            let running = self.segments.get(s).and_then(|(_, st)| {
                st.multi_buys
                    .iter()
                    .map(|&k| catalog.promotion_at(k))
                    .find(|p| matches!(p.mechanic, Mechanic::MultiBuy(m) if m == shown))
            });
            return match running {
                Some(p) => Advertised::Promotion {
                    id: p.id.as_str(),
                    from: p.window.from,
                    until: p.window.until,
                },
                None => Advertised::Unknown,
            };
        }
        let shows_discount = self.r.claims.iter().any(|c| {
            matches!(
                c.value,
                ClaimValue::PercentOff(_) | ClaimValue::AmountOff(_)
            )
        });
        if shows_discount {
            // The discount is what its promotions make it: it holds from the latest start to the
            // earliest end among the promotions applied.
            let applied = self
                .segments
                .get(s)
                .map_or(&[][..], |(_, st)| st.steps.as_slice());
            let promotions = applied.iter().map(|(k, _)| catalog.promotion_at(*k));
            let (mut first, mut from, mut until): (
                Option<&'c str>,
                Option<DateTime<Utc>>,
                Option<DateTime<Utc>>,
            ) = (None, None, None);
            for p in promotions {
                first = first.or(Some(p.id.as_str()));
                from = from.max(Some(p.window.from));
                until = match (until, p.window.until) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                };
            }
            return match (first, from) {
                (Some(id), Some(from)) => Advertised::Promotion { id, from, until },
                _ => Advertised::Unknown,
            };
        }
        Advertised::Price
    }

    pub(super) fn valid_until(&mut self, i: usize, claimed: DateOrInstant) {
        let zone = self.market.time_zone;
        let Some(end_claimed) = claimed.resolve(zone, DateEdge::End) else {
            return;
        };
        for s in 0..self.segments.len() {
            let Some((window, state)) = self.segments.get(s) else {
                break;
            };
            let (at, price) = (window.from, state.price);
            let (promotion, end) = match self.advertised(s) {
                Advertised::Promotion { id, until, .. } => (Some(id), until),
                Advertised::Price => (None, self.listing.price_changes_after(at, price)),
                Advertised::Unknown => continue,
            };
            if end.is_some_and(|end| end == end_claimed) {
                continue;
            }
            let what = what(promotion, price);
            let shown = claimed.display_in(zone);
            let end_text = end.map_or_else(|| "open-ended".to_owned(), |e| self.when(e));
            let end_label = end.map_or_else(|| "no end".to_owned(), |e| local_label(e, zone));
            let explanation = self.price_lines(s);
            match end {
                Some(end) if end_claimed > end => {
                    let message = format!(
                        "{} says valid until {shown}, but {what} ends at {end_label} (exclusive)",
                        self.channel.id
                    );
                    self.report(
                        Rule::ValidityOverstated,
                        Some(i),
                        at,
                        Some(end_text),
                        Some(shown),
                        message,
                        explanation,
                    );
                    return;
                }
                end if end.is_none_or(|end| end_claimed < end) => {
                    let message = format!(
                        "{} says valid until {shown}, but {what} goes on after it ({})",
                        self.channel.id,
                        if end.is_some() {
                            format!("until {end_label}")
                        } else {
                            end_label
                        }
                    );
                    self.report(
                        Rule::ValidityUnderstated,
                        Some(i),
                        at,
                        Some(end_text),
                        Some(shown),
                        message,
                        explanation,
                    );
                    return;
                }
                _ => {}
            }
        }
    }

    pub(super) fn valid_from(&mut self, i: usize, claimed: DateOrInstant) {
        let zone = self.market.time_zone;
        let Some(start_claimed) = claimed.resolve(zone, DateEdge::Start) else {
            return;
        };
        for s in 0..self.segments.len() {
            let Some((window, state)) = self.segments.get(s) else {
                break;
            };
            let (at, price) = (window.from, state.price);
            let (promotion, start) = match self.advertised(s) {
                Advertised::Promotion { id, from, .. } => (Some(id), from),
                Advertised::Price => (None, self.listing.price_since(at, price)),
                Advertised::Unknown => continue,
            };
            if start_claimed < start {
                let what = what(promotion, price);
                let shown = claimed.display_in(zone);
                let message = format!(
                    "{} says valid from {shown}, but {what} starts at {}",
                    self.channel.id,
                    local_label(start, zone)
                );
                let explanation = self.price_lines(s);
                self.report(
                    Rule::ValidityNotStarted,
                    Some(i),
                    at,
                    Some(self.when(start)),
                    Some(shown),
                    message,
                    explanation,
                );
                return;
            }
        }
    }
}

/// What is advertised, for people: `promotion BF26`, or `the price 719.20 EUR`.
fn what(promotion: Option<&str>, price: Option<crate::money::Money>) -> String {
    match promotion {
        Some(id) => format!("promotion {id}"),
        None => format!("the price {}", super::price::text(price)),
    }
}
