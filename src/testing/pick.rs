//! Offers drawn from a catalog: a listed product, on a channel, at an instant where it has a price.

use chrono::{DateTime, Duration, Utc};
use proptest::prelude::*;
use proptest::sample::Index;

use crate::catalog::{Catalog, ChannelKey, ProductKey};
use crate::offer::{Offer, OfferOptions};
use crate::time::Window;

/// Where in a stretch of constant prices an offer is taken: at the boundaries, where mistakes hide,
/// or anywhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Spot {
    /// The stretch's first instant.
    Start,
    /// One second before it ends.
    LastSecond,
    /// One of the instants the caller aims at inside it (stock counts, say).
    Mark,
    /// Any whole hour after its start.
    Hour,
}

/// One offer of a catalog, drawn independently of the catalog: proptest shrinks the catalog and the
/// pick separately, and [`OfferPick::offer`] resolves the pick against whatever catalog it is given.
///
/// A pick names a listing (a product on a channel that lists it), a stretch of that listing's
/// timeline in which it has a price (price entries, promotions and multi-buys starting and ending),
/// and a spot in it: its first instant, its last second, one of the instants the caller aims at
/// inside it (see [`OfferPick::offer_near`]), or any whole hour.
///
/// ```
/// use proptest::prelude::*;
/// use unisono::testing::arb_offer_pick;
/// let catalog = unisono::Catalog::from_json(include_str!("../../examples/data/catalog.json"))?;
/// proptest!(ProptestConfig::with_cases(32), |(pick in arb_offer_pick())| {
///     let offer = pick.offer(&catalog).expect("the demo catalog has offers");
///     prop_assert!(offer.price <= offer.regular_price);
/// });
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct OfferPick {
    listing: Index,
    stretch: Index,
    spot: Spot,
    hour: Index,
}

/// Picks of offers; see [`OfferPick`].
pub fn arb_offer_pick() -> impl Strategy<Value = OfferPick> {
    let spot = prop_oneof![
        2 => Just(Spot::Start),
        1 => Just(Spot::LastSecond),
        1 => Just(Spot::Mark),
        3 => Just(Spot::Hour),
    ];
    (any::<Index>(), any::<Index>(), spot, any::<Index>()).prop_map(
        |(listing, stretch, spot, hour)| OfferPick {
            listing,
            stretch,
            spot,
            hour,
        },
    )
}

/// How far into an open-ended stretch an hour is picked.
const OPEN_ENDED_DAYS: i64 = 400;

impl OfferPick {
    /// The offer this pick stands for in `catalog`, with the default [`OfferOptions`]: the listing it
    /// names, or the next one (in product, then channel order) that has a price at some time. `None`
    /// only when no listed product ever has a price.
    pub fn offer<'c>(&self, catalog: &'c Catalog) -> Option<Offer<'c>> {
        self.offer_near(catalog, &[])
    }

    /// As [`OfferPick::offer`], aiming also at `marks`: instants where something the timeline of
    /// prices does not show can change, such as the stock counts of [`document_instants`].
    ///
    /// [`document_instants`]: super::document_instants
    pub fn offer_near<'c>(
        &self,
        catalog: &'c Catalog,
        marks: &[DateTime<Utc>],
    ) -> Option<Offer<'c>> {
        let (product, channel, stretch) = self.resolve(catalog)?;
        let t = self.instant_in(stretch, marks);
        catalog
            .offer_of(product, channel, t, &OfferOptions::default())
            .ok()
    }

    /// The listing and the priced stretch of its timeline the pick names.
    fn resolve(&self, catalog: &Catalog) -> Option<(ProductKey, ChannelKey, Window)> {
        let listings: Vec<(ProductKey, ChannelKey)> = catalog
            .products()
            .iter()
            .filter_map(|p| catalog.product_key(&p.sku))
            .flat_map(|p| {
                catalog
                    .channels()
                    .iter()
                    .filter_map(|c| catalog.channel_key(&c.id))
                    .map(move |c| (p, c))
            })
            .filter(|&(p, c)| catalog.is_listed(p, c))
            .collect();
        if listings.is_empty() {
            return None;
        }
        let first = self.listing.index(listings.len());
        let all_time = Window::new(DateTime::<Utc>::UNIX_EPOCH, None);
        (0..listings.len()).find_map(|i| {
            let (product, channel) = listings[(first + i) % listings.len()];
            let priced: Vec<Window> = catalog
                .timeline_of(product, channel, all_time)
                .into_iter()
                .filter(|s| s.price.is_some())
                .map(|s| s.window)
                .collect();
            if priced.is_empty() {
                return None;
            }
            Some((product, channel, priced[self.stretch.index(priced.len())]))
        })
    }

    /// The instant the pick's spot names in `stretch`.
    fn instant_in(&self, stretch: Window, marks: &[DateTime<Utc>]) -> DateTime<Utc> {
        let second = Duration::seconds(1);
        let length = stretch
            .until
            .map_or(Duration::days(OPEN_ENDED_DAYS), |u| u - stretch.from);
        match self.spot {
            Spot::Start => stretch.from,
            Spot::LastSecond => match stretch.until {
                Some(until) if length > second => until - second,
                _ => stretch.from,
            },
            Spot::Mark => {
                let inside: Vec<DateTime<Utc>> = marks
                    .iter()
                    .copied()
                    .filter(|t| stretch.contains(*t))
                    .collect();
                if inside.is_empty() {
                    stretch.from
                } else {
                    inside[self.hour.index(inside.len())]
                }
            }
            Spot::Hour => {
                // Whole hours from the start that fall inside the stretch.
                let hours = (length - Duration::nanoseconds(1)).num_hours().max(0) as usize + 1;
                stretch.from + Duration::hours(self.hour.index(hours) as i64)
            }
        }
    }
}
