//! Explanation lines: how a price came to be, in words a marketer can act on.

use crate::catalog::{Catalog, ChannelKey, Mechanic, PriceSpan, PromotionKey};
use crate::time::local_label;

use super::listing::Step;

/// `price 899.00 EUR (IT, from 2026-01-01)`, then one line per promotion applied.
pub(crate) fn price_lines(
    catalog: &Catalog,
    channel: ChannelKey,
    regular: &PriceSpan,
    steps: &[Step],
    member_steps: &[Step],
    multi_buys: &[PromotionKey],
) -> Vec<String> {
    let mut lines = Vec::with_capacity(1 + steps.len() + multi_buys.len());
    lines.push(price_entry(catalog, channel, regular));
    lines.extend(steps.iter().map(|step| promotion_step(catalog, step, "")));
    if member_steps != steps {
        lines.extend(
            member_steps
                .iter()
                .map(|step| promotion_step(catalog, step, "members: ")),
        );
    }
    for &key in multi_buys {
        let promotion = catalog.promotion_at(key);
        if let Mechanic::MultiBuy(m) = promotion.mechanic {
            lines.push(format!(
                "promotion {} {m} in force (unit price unchanged)",
                promotion.id
            ));
        }
    }
    lines
}

pub(crate) fn price_entry(catalog: &Catalog, channel: ChannelKey, span: &PriceSpan) -> String {
    let channel_info = catalog.channel_at(channel);
    let market = catalog.market_at(channel_info.market);
    let zone = market.time_zone;
    let scope = if span.channel_specific {
        format!("{}, {}", market.id, channel_info.id)
    } else {
        market.id.clone()
    };
    let from = local_label(span.window.from, zone);
    match span.window.until {
        Some(until) => format!(
            "price {} ({scope}, from {from} until {})",
            span.amount,
            local_label(until, zone)
        ),
        None => format!("price {} ({scope}, from {from})", span.amount),
    }
}

fn promotion_step(catalog: &Catalog, (key, after): &Step, prefix: &str) -> String {
    let promotion = catalog.promotion_at(*key);
    let what = match promotion.mechanic {
        Mechanic::PercentOff(p) => format!("-{}%", p.normalize()),
        Mechanic::AmountOff(m) => format!("-{m}"),
        Mechanic::FixedPrice(m) => format!("fixed price {m}"),
        Mechanic::MultiBuy(m) => m.to_string(),
    };
    format!("{prefix}promotion {} {what} -> {after}", promotion.id)
}
