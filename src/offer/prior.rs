//! The prior price of a reduction (Directive 98/6/EC art. 6a, Codice del Consumo art. 17-bis;
//! CONTRACT §8): the lowest public price over the D days before the reduction began.

use chrono::{DateTime, Utc};

use super::ReferenceScope;
use super::listing::Listing;
use crate::catalog::{Catalog, ChannelKey};
use crate::money::Money;
use crate::time::{Window, days_before, local_label};

/// A reduction in progress: the public price is below the regular price.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reduction {
    /// When the uninterrupted reduction began; progressive steps keep the start of the first.
    pub since: DateTime<Utc>,
    /// Why no prior price is due, if none is.
    pub exemption: Option<Exemption>,
    /// The window searched: `[max(since − D days, launched), since)`; `None` when exempt.
    pub lookback: Option<Window>,
    /// Whether the launch date, not the D days, opened the lookback.
    pub since_launch: bool,
    /// The lowest public price found in the lookback; `None` when exempt or when there was no price
    /// in it (no history).
    pub prior: Option<PriorPrice>,
    scope: ReferenceScope,
}

/// Why a reduction needs no prior price.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Exemption {
    /// The market has no prior-price rule: a reference price must be the regular price.
    NoRule,
    /// Perishable goods are exempt (Codice del Consumo art. 17-bis c. 3); reductions count from the
    /// regular price.
    Perishable,
}

/// The lowest public price of the lookback, and where it was seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PriorPrice {
    /// The amount.
    pub amount: Money,
    /// The channel that showed it.
    pub channel: ChannelKey,
    /// The first stretch of the lookback in which it was the public price.
    pub stretch: Window,
}

pub(crate) fn reduction(
    listing: &Listing<'_>,
    at: DateTime<Utc>,
    scope: ReferenceScope,
) -> Reduction {
    reduction_since(listing, listing.reduction_since(at), scope)
}

/// The prior price of a reduction that started at `since` (a public coupon's start, CONTRACT §15).
pub(crate) fn reduction_since(
    listing: &Listing<'_>,
    since: DateTime<Utc>,
    scope: ReferenceScope,
) -> Reduction {
    let catalog = listing.catalog;
    let market = catalog.market_at(listing.market);
    let product = catalog.product_at(listing.product);
    let mut reduction = Reduction {
        since,
        exemption: None,
        lookback: None,
        since_launch: false,
        prior: None,
        scope,
    };
    let Some(days) = market.reference_price_days else {
        reduction.exemption = Some(Exemption::NoRule);
        return reduction;
    };
    if product.perishable {
        reduction.exemption = Some(Exemption::Perishable);
        return reduction;
    }
    let start = days_before(since, days, market.time_zone);
    let (from, since_launch) = match product.launched {
        Some(launched) if launched > start => (launched.min(since), true),
        _ => (start, false),
    };
    let lookback = Window::new(from, Some(since));
    reduction.lookback = Some(lookback);
    reduction.since_launch = since_launch;
    if lookback.is_empty() {
        return reduction;
    }
    let lowest_on = |channel: ChannelKey| {
        Listing::new(catalog, listing.product, channel)
            .lowest_price(lookback)
            .map(|(amount, stretch)| PriorPrice {
                amount,
                channel,
                stretch,
            })
    };
    reduction.prior = match scope {
        ReferenceScope::Channel => lowest_on(listing.channel),
        ReferenceScope::Market => catalog
            .channels()
            .iter()
            .enumerate()
            .filter(|(_, c)| c.market == listing.market)
            .filter_map(|(i, _)| u32::try_from(i).ok().map(ChannelKey))
            .filter(|&c| catalog.is_listed(listing.product, c))
            .filter_map(lowest_on)
            .min_by(|a, b| {
                a.amount
                    .amount()
                    .cmp(&b.amount.amount())
                    .then(a.stretch.from.cmp(&b.stretch.from))
            }),
    };
    reduction
}

impl Reduction {
    /// One line for people: the price found and the window it was looked for in.
    pub fn explain(&self, catalog: &Catalog, channel: ChannelKey) -> String {
        let channel_info = catalog.channel_at(channel);
        let market = catalog.market_at(channel_info.market);
        let zone = market.time_zone;
        let since = local_label(self.since, zone);
        match (self.exemption, self.lookback, &self.prior) {
            (Some(Exemption::NoRule), _, _) => {
                format!("market {} has no prior-price rule: a reference price must be the regular price", market.id)
            }
            (Some(Exemption::Perishable), _, _) => {
                "perishable product: exempt from the prior-price rule; reductions count from the regular price"
                    .to_owned()
            }
            (None, Some(lookback), prior) => {
                let from = local_label(lookback.from, zone);
                let opened = if self.since_launch { format!("launch on {from}") } else { from };
                let place = match self.scope {
                    ReferenceScope::Channel => channel_info.id.clone(),
                    ReferenceScope::Market => format!("any channel of {}", market.id),
                };
                match prior {
                    Some(p) => format!(
                        "prior price {}: lowest public price on {place} from {opened} to {since}, before the reduction that started {since}{}",
                        p.amount,
                        match self.scope {
                            ReferenceScope::Market => format!(" (seen on {})", catalog.channel_at(p.channel).id),
                            ReferenceScope::Channel => String::new(),
                        }
                    ),
                    None => format!("no public price on {place} from {opened} to {since}, before the reduction that started {since}"),
                }
            }
            (None, None, _) => format!("reduction since {since}"),
        }
    }
}
