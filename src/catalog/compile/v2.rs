//! What catalog v2 adds to compiling (CONTRACT §10–§12): anchor dates, families and variants,
//! recommended retail prices, customer-group and volume price entries, coupon and tier audiences.

use std::collections::BTreeMap;

use chrono_tz::Tz;

use super::{Compiler, Section, key_u32};
use crate::catalog::document::{Audience, ChannelKind, MarketEntry};
use crate::catalog::{
    Anchor, ChannelKey, GroupKey, MarketKey, PriceSpan, ProblemKind, ProductKey, TieredSpan,
};
use crate::money::Money;

/// What the compiler keeps of v2 until the end.
#[derive(Default)]
pub(crate) struct Pending {
    pub(super) tiered: Vec<TieredSpan>,
    pub(super) groups: Vec<String>,
    pub(super) families: BTreeMap<String, Vec<ProductKey>>,
}

impl Compiler {
    /// The anchor rule of a market entry (its time zone compiled as `zone`).
    pub(super) fn anchor(&mut self, m: &MarketEntry, zone: Tz, i: usize) -> Option<Anchor> {
        let Some(text) = m.anchor_price_date.as_deref() else {
            if m.anchor_price_channels.is_some() {
                let message =
                    "anchor_price_channels without anchor_price_date: give the date whose price is the anchor".to_owned();
                self.problems.push(
                    Section::Markets,
                    i,
                    "anchor_price_channels",
                    ProblemKind::Value,
                    message,
                );
            }
            return None;
        };
        let placed = crate::time::parse_local_date(text)
            .and_then(|date| crate::time::local_midnight(date, zone).map(|at| (date, at)));
        let Some((date, at)) = placed else {
            let message = format!("{text:?} is not a local date like \"2025-05-02\"");
            self.problems.push(
                Section::Markets,
                i,
                "anchor_price_date",
                ProblemKind::Time,
                message,
            );
            return None;
        };
        let mut kinds = match &m.anchor_price_channels {
            Some(kinds) if kinds.is_empty() => {
                let message =
                    "is empty: leave it out for every channel kind, or name the kinds".to_owned();
                self.problems.push(
                    Section::Markets,
                    i,
                    "anchor_price_channels",
                    ProblemKind::Value,
                    message,
                );
                return None;
            }
            Some(kinds) => kinds.clone(),
            None => ChannelKind::ALL.to_vec(),
        };
        kinds.sort_unstable();
        kinds.dedup();
        Some(Anchor { date, at, kinds })
    }

    /// Checks a product's family, variant and RRPs; notes it in its family.
    pub(super) fn product_v2(
        &mut self,
        i: usize,
        family: Option<&str>,
        variant: Option<&BTreeMap<String, String>>,
        rrp: Option<&BTreeMap<String, String>>,
    ) -> Vec<(MarketKey, Money)> {
        let key = ProductKey(key_u32(i));
        match (family, variant) {
            (Some(""), _) => self.problems.push(
                Section::Products,
                i,
                "family",
                ProblemKind::Value,
                "family is empty".to_owned(),
            ),
            (Some(family), _) => self
                .v2
                .families
                .entry(family.to_owned())
                .or_default()
                .push(key),
            (None, Some(_)) => self.problems.push(
                Section::Products,
                i,
                "variant",
                ProblemKind::Value,
                "a variant needs a family: give the product a \"family\"".to_owned(),
            ),
            (None, None) => {}
        }
        if let Some(variant) = variant {
            for (name, value) in variant {
                if name.is_empty() || value.is_empty() {
                    let message =
                        format!("{name:?}: {value:?}: names and values must not be empty");
                    self.problems.push(
                        Section::Products,
                        i,
                        "variant",
                        ProblemKind::Value,
                        message,
                    );
                }
            }
        }
        let mut out = Vec::new();
        for (market, amount) in rrp.into_iter().flatten() {
            let field = format!("rrp.{market}");
            let Some(market_key) = self.market_ref(market, (Section::Products, i, &field)) else {
                continue;
            };
            let currency = self.markets.get(market_key.0 as usize).map(|m| m.currency);
            if let Some(money) = self.price_amount(amount, currency, (Section::Products, i, &field))
            {
                out.push((market_key, money));
            }
        }
        out.sort_unstable_by_key(|(m, _)| *m);
        out
    }

    /// The group of a price entry, interned; `Err` when it is empty (reported).
    pub(super) fn group(&mut self, group: &str, i: usize) -> Result<GroupKey, ()> {
        if group.is_empty() {
            self.problems.push(
                Section::Prices,
                i,
                "group",
                ProblemKind::Value,
                "group is empty: leave it out for the public price list".to_owned(),
            );
            return Err(());
        }
        let at = match self.v2.groups.iter().position(|g| g == group) {
            Some(at) => at,
            None => {
                self.v2.groups.push(group.to_owned());
                self.v2.groups.len() - 1
            }
        };
        Ok(GroupKey(key_u32(at)))
    }

    /// Checks a promotion's audience; `{"tier": "members"}` becomes `"members"`.
    pub(super) fn audience(&mut self, audience: &Audience, i: usize) -> Audience {
        let empty = match audience {
            Audience::Tier(name) | Audience::Group(name) => name.is_empty(),
            Audience::Code { code, .. } => code.is_empty(),
            Audience::Everyone | Audience::Members | Audience::Coupon => false,
        };
        if empty {
            self.problems.push(
                Section::Promotions,
                i,
                "audience",
                ProblemKind::Value,
                "the audience's name is empty".to_owned(),
            );
        }
        match audience {
            Audience::Tier(tier) if tier == "members" => Audience::Members,
            other => other.clone(),
        }
    }

    /// Adds the rows of a group or volume price entry.
    pub(super) fn add_tiered(
        &mut self,
        product: ProductKey,
        market: MarketKey,
        channels: Option<Vec<ChannelKey>>,
        group: Option<GroupKey>,
        min_quantity: u32,
        span: PriceSpan,
    ) {
        let row = |channel| TieredSpan {
            product,
            market,
            channel,
            group,
            min_quantity,
            span,
        };
        match channels {
            None => self.v2.tiered.push(row(None)),
            Some(keys) => self
                .v2
                .tiered
                .extend(keys.into_iter().map(|k| row(Some(k)))),
        }
    }

    /// Sorts the group and volume rows and reports entries of one scope and one `min_quantity`
    /// that overlap in time.
    pub(super) fn finish_v2(&mut self) -> crate::catalog::v2::Extras {
        let pending = std::mem::take(&mut self.v2);
        let mut tiered = pending.tiered;
        let scope = |r: &TieredSpan| (r.product, r.market, r.channel, r.group, r.min_quantity);
        tiered.sort_unstable_by_key(|r| (scope(r), r.span.window.from, r.span.entry));
        let mut reported = rustc_hash::FxHashSet::default();
        for pair in tiered.windows(2) {
            let &[a, b] = pair else { continue };
            if scope(&a) != scope(&b)
                || !a.span.window.overlaps(&b.span.window)
                || !reported.insert((a.span.entry, b.span.entry))
            {
                continue;
            }
            let group = b
                .group
                .and_then(|g| pending.groups.get(g.0 as usize))
                .map_or(String::new(), |g| format!(", group {g:?}"));
            let zone = self
                .markets
                .get(b.market.0 as usize)
                .map_or(Tz::UTC, |m| m.time_zone);
            let message = format!(
                "overlaps prices[{}] (same product, scope{group} and min_quantity {}) from {}: entries of one scope and one min_quantity must not overlap in time",
                a.span.entry,
                b.min_quantity,
                crate::time::rfc3339_in(b.span.window.from, zone)
            );
            self.problems.push(
                Section::Prices,
                b.span.entry as usize,
                "from",
                ProblemKind::Overlap,
                message,
            );
        }
        crate::catalog::v2::Extras {
            tiered,
            groups: pending.groups,
            families: pending.families,
        }
    }
}
