//! Markets, locations and channels: the places a catalog sells in and ships from.

use chrono_tz::Tz;

use super::{Compiler, Section, intern, key_u32};
use crate::catalog::document::{ChannelEntry, LocationEntry, MarketEntry};
use crate::catalog::{Channel, ChannelKey, Location, LocationKey, Market, MarketKey, ProblemKind};
use crate::money::Currency;

impl Compiler {
    pub(crate) fn add_market(&mut self, m: &MarketEntry) {
        let i = self.next(Section::Markets);
        let at = (Section::Markets, i);
        intern(
            &mut self.ids.markets,
            &m.id,
            MarketKey(key_u32(i)),
            &mut self.problems,
            at,
            "id",
        );
        let currency = Currency::from_code(&m.currency).unwrap_or_else(|e| {
            self.problems.push(
                Section::Markets,
                i,
                "currency",
                ProblemKind::Currency,
                e.to_string(),
            );
            Currency::EUR
        });
        let time_zone = m.time_zone.parse::<Tz>().unwrap_or_else(|_| {
            let message = format!(
                "{:?} is not an IANA time zone, like \"Europe/Rome\"",
                m.time_zone
            );
            self.problems.push(
                Section::Markets,
                i,
                "time_zone",
                ProblemKind::Value,
                message,
            );
            Tz::UTC
        });
        if let Some(days) = m.reference_price_days
            && !(1..=3660).contains(&days)
        {
            let message = format!(
                "{days} days: expected 1 to 3660 days, or null for a market without the prior-price rule"
            );
            self.problems.push(
                Section::Markets,
                i,
                "reference_price_days",
                ProblemKind::Value,
                message,
            );
        }
        self.markets.push(Market {
            id: m.id.clone(),
            currency,
            time_zone,
            locale: m.locale.clone(),
            prices_include_tax: m.prices_include_tax,
            reference_price_days: m.reference_price_days,
            unit_price_required: m.unit_price_required,
        });
    }

    pub(crate) fn add_location(&mut self, l: &LocationEntry) {
        let i = self.next(Section::Locations);
        intern(
            &mut self.ids.locations,
            &l.id,
            LocationKey(key_u32(i)),
            &mut self.problems,
            (Section::Locations, i),
            "id",
        );
        self.locations.push(Location {
            id: l.id.clone(),
            kind: l.kind,
        });
    }

    pub(crate) fn add_channel(&mut self, ch: &ChannelEntry) {
        let i = self.next(Section::Channels);
        intern(
            &mut self.ids.channels,
            &ch.id,
            ChannelKey(key_u32(i)),
            &mut self.problems,
            (Section::Channels, i),
            "id",
        );
        let market = self
            .market_ref(&ch.market, (Section::Channels, i, "market"))
            .unwrap_or(MarketKey(0));
        let mut locations = Vec::with_capacity(ch.locations.len());
        for (j, id) in ch.locations.iter().enumerate() {
            match self.ids.locations.get(id.as_str()) {
                Some(key) if locations.contains(key) => {
                    let message = format!("location {id:?} is listed twice");
                    self.problems.push(
                        Section::Channels,
                        i,
                        &format!("locations[{j}]"),
                        ProblemKind::Duplicate,
                        message,
                    );
                }
                Some(&key) => locations.push(key),
                None => {
                    let message = format!("location {id:?} is not in locations");
                    let field = format!("locations[{j}]");
                    self.problems.push(
                        Section::Channels,
                        i,
                        &field,
                        ProblemKind::UnknownReference,
                        message,
                    );
                }
            }
        }
        self.channels.push(Channel {
            id: ch.id.clone(),
            kind: ch.kind,
            market,
            locations,
        });
    }
}
