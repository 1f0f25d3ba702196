//! `validity.*`: "until Sunday" and "from Monday" must be when the advertised offer really ends and
//! starts. Too late an end misleads; too early an end with the offer going on is false urgency (UCPD
//! Annex I 7; UK CMA 2023 on countdown timers).

use chrono::{DateTime, Utc};

use super::{Check, Rule, Value};
use crate::catalog::Mechanic;
use crate::rendering::{ClaimKind, ClaimValue, DateOrInstant};
use crate::time::{DateEdge, local_label};

/// What a rendering advertises, whose start and end its validity claims state.
enum Advertised<'c> {
    /// A promotion it names (or the multi-buy in force that it shows).
    Promotion {
        id: &'c str,
        from: DateTime<Utc>,
        until: Option<DateTime<Utc>>,
    },
    /// The discount it shows, over the stretch it holds.
    Discount {
        from: DateTime<Utc>,
        until: Option<DateTime<Utc>>,
        /// The promotion applied that starts at `from`, if one does.
        started_by: Option<&'c str>,
        /// The promotion applied that ends at `until`, if one does.
        ended_by: Option<&'c str>,
    },
    /// The price it shows.
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
        let shown_multi_buy = self.first_claim(&[ClaimKind::MultiBuy]).and_then(|i| {
            match self.r.claims.get(i).map(|c| &c.value) {
                Some(ClaimValue::MultiBuy(m)) => Some(*m),
                _ => None,
            }
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
        let shows_discount = self
            .first_claim(&[ClaimKind::PercentOff, ClaimKind::AmountOff])
            .is_some();
        if shows_discount {
            // The discount holds while the price stays reduced, until a promotion applied ends and
            // the price changes with it (`Listing::discount_stretch`).
            let Some((window, st)) = self.segments.get(s) else {
                return Advertised::Unknown;
            };
            let applied: Vec<_> = st.steps.iter().map(|(k, _)| *k).collect();
            let Some(stretch) = self.listing.discount_stretch(window.from, &applied) else {
                return Advertised::Unknown;
            };
            // Name the promotion that starts or ends it, when one does.
            let named = |edge: fn(&crate::time::Window) -> Option<DateTime<Utc>>,
                         at: Option<DateTime<Utc>>| {
                applied
                    .iter()
                    .map(|&k| catalog.promotion_at(k))
                    .find(|p| at.is_some() && edge(&p.window) == at)
                    .map(|p| p.id.as_str())
            };
            return Advertised::Discount {
                from: stretch.from,
                until: stretch.until,
                started_by: named(|w| Some(w.from), Some(stretch.from)),
                ended_by: named(|w| w.until, stretch.until),
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
            let (what, end) = match self.advertised(s) {
                Advertised::Promotion { id, until, .. } => (What::Promotion(id), until),
                Advertised::Discount {
                    until, ended_by, ..
                } => (
                    ended_by.map_or(What::Reduction(price), What::Promotion),
                    until,
                ),
                Advertised::Price => (
                    What::Price(price),
                    self.listing.price_changes_after(at, price),
                ),
                Advertised::Unknown => continue,
            };
            if end.is_some_and(|end| end == end_claimed) {
                continue;
            }
            let shown = claimed.display_in(zone);
            let end_value = end.map_or_else(
                || Value::from("open-ended"),
                |e| Value::Instant(crate::time::in_zone(e, zone)),
            );
            let end_label = end.map_or_else(|| "no end".to_owned(), |e| local_label(e, zone));
            let explanation = self.price_lines(s);
            match end {
                Some(end) if end_claimed > end => {
                    if !self.wants(Rule::ValidityOverstated) {
                        return;
                    }
                    let message = format!(
                        "{} says valid until {shown}, but {what} ends at {end_label} (exclusive)",
                        self.channel.id
                    );
                    self.report(
                        Rule::ValidityOverstated,
                        Some(i),
                        at,
                        Some(end_value.clone()),
                        Some(Value::Text(shown)),
                        message,
                        explanation,
                    );
                    return;
                }
                end if end.is_none_or(|end| end_claimed < end) => {
                    if !self.wants(Rule::ValidityUnderstated) {
                        return;
                    }
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
                        Some(end_value.clone()),
                        Some(Value::Text(shown)),
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
            let (what, start) = match self.advertised(s) {
                Advertised::Promotion { id, from, .. } => (What::Promotion(id), from),
                Advertised::Discount {
                    from, started_by, ..
                } => (
                    started_by.map_or(What::Reduction(price), What::Promotion),
                    from,
                ),
                Advertised::Price => (What::Price(price), self.listing.price_since(at, price)),
                Advertised::Unknown => continue,
            };
            if start_claimed < start {
                let shown = claimed.display_in(zone);
                if !self.wants(Rule::ValidityNotStarted) {
                    return;
                }
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
                    Some(Value::Instant(crate::time::in_zone(start, zone))),
                    Some(Value::Text(shown)),
                    message,
                    explanation,
                );
                return;
            }
        }
    }
}

/// What is advertised, for people: `promotion BF26`, `the discount (price 719.20 EUR)` or `the price
/// 719.20 EUR`.
enum What<'c> {
    Promotion(&'c str),
    Reduction(Option<crate::money::Money>),
    Price(Option<crate::money::Money>),
}

impl std::fmt::Display for What<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            What::Promotion(id) => write!(f, "promotion {id}"),
            What::Reduction(price) => {
                write!(f, "the discount (price {})", super::price::text(*price))
            }
            What::Price(price) => write!(f, "the price {}", super::price::text(*price)),
        }
    }
}
