//! Synthetic renderings of a catalog, with inconsistencies planted at a known rate and an answer
//! key: for `unisono gen`, the large-scale precision and recall check, and benchmarks.
//!
//! Each rendering is what the reference renderer ([`crate::testing::render`]) shows of the offer of a
//! random listed product on a random channel at its own instant; a share of them carries one planted
//! mistake ([`crate::testing::mutations`]), and a smaller share is a pair of renderings of one
//! product at one instant on two channels, the second with a wrong price, planted for the
//! cross-channel rule. Instants are distinct (one every few seconds through the catalog's year)
//! unless more renderings are asked than there are seconds, so that no unplanned pair of renderings
//! ever meets.

use chrono::{DateTime, Duration, Utc};

use super::SplitMix64;
use crate::catalog::{Catalog, ChannelKey, ProductKey};
use crate::offer::OfferOptions;
use crate::rendering::{Claim, ClaimValue, Rendering};
use crate::testing::{mutations, render};
use crate::validate::Rule;

/// How many renderings, how many mistakes.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Plan {
    /// Renderings to generate.
    pub renderings: usize,
    /// Seed of the only source of chance.
    pub seed: u64,
    /// Per thousand renderings, how many carry one planted mistake (default 20: 2%).
    pub mistakes_per_mille: u32,
    /// Per thousand renderings, how many start a planted cross-channel pair (default 2).
    pub pairs_per_mille: u32,
    /// The first instant; renderings spread over the year after it.
    pub from: DateTime<Utc>,
}

impl Plan {
    /// `renderings` renderings from `seed`, with the default rates, through 2026.
    pub fn new(renderings: usize, seed: u64) -> Plan {
        Plan {
            renderings,
            seed,
            mistakes_per_mille: 20,
            pairs_per_mille: 2,
            from: DateTime::from_timestamp(1_767_225_600, 0).unwrap_or_default(), // 2026-01-01T00:00:00Z
        }
    }
}

/// A planted inconsistency: the rendering (its id) and the rule that must report it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Planted {
    /// The id of the rendering the finding names first.
    pub rendering: String,
    /// The rule.
    pub rule: Rule,
}

/// One generated rendering and what was planted in it.
#[derive(Debug, Clone)]
pub struct Generated {
    /// The rendering.
    pub rendering: Rendering,
    /// What the validator must report about it (empty for a consistent one).
    pub planted: Vec<Planted>,
}

/// The renderings of `plan`, one at a time (nothing is held: a billion can be streamed).
///
/// ```
/// let catalog = unisono::Catalog::compile(&unisono::synthetic::catalog(&unisono::synthetic::Shape::new(200, 7)))?;
/// let generated: Vec<_> = unisono::synthetic::renderings(&catalog, &unisono::synthetic::Plan::new(1000, 7)).collect();
/// assert_eq!(generated.len(), 1000);
/// let planted = generated.iter().filter(|g| !g.planted.is_empty()).count();
/// assert!(planted > 0 && planted < 100);
/// # Ok::<(), unisono::CatalogError>(())
/// ```
pub fn renderings<'c>(catalog: &'c Catalog, plan: &Plan) -> impl Iterator<Item = Generated> + 'c {
    let mut rng = SplitMix64::new(plan.seed ^ 0x005e_ed0f_7e4d_e21e);
    let total = plan.renderings;
    let year = 365 * 24 * 3600_i64;
    // Distinct instants: one every `stride` seconds (at least one), a random offset within it.
    let stride = (year / i64::try_from(total.max(1)).unwrap_or(i64::MAX)).max(1);
    let (from, mistakes, pairs) = (
        plan.from,
        u64::from(plan.mistakes_per_mille),
        u64::from(plan.pairs_per_mille),
    );
    let mut pending: Option<Generated> = None;
    let mut made = 0_usize;
    std::iter::from_fn(move || {
        if let Some(second) = pending.take() {
            return Some(second);
        }
        if made >= total || catalog.products().is_empty() {
            return None;
        }
        let index = made;
        let slot = i64::try_from(index)
            .unwrap_or(i64::MAX)
            .saturating_mul(stride)
            % year;
        let jitter = i64::try_from(rng.below(u64::try_from(stride).unwrap_or(1))).unwrap_or(0);
        let at = from + Duration::seconds(slot + jitter);
        // A product on a channel that sells it and prices it then (a catalog where none is ever
        // priced ends the stream).
        let (product, channel) = (0..10_000).find_map(|_| pick_listing(catalog, &mut rng, at))?;
        let offer = catalog
            .offer_of(product, channel, at, &OfferOptions::default())
            .ok()?;
        let kind = catalog.channel_at(channel).kind;
        let id = format!("r{index}");
        made += 1;
        let roll = rng.below(1000);
        if roll < pairs && made < total {
            // Two renderings of one product at one instant: the second, on another channel of the
            // market, shows a price a cent above the catalog's.
            let market = catalog.channel_at(channel).market;
            let others: Vec<ChannelKey> = (0..catalog.channels().len())
                .filter_map(|c| u32::try_from(c).ok().map(ChannelKey))
                .filter(|&c| {
                    c != channel
                        && catalog.channel_at(c).market == market
                        && catalog.is_listed(product, c)
                })
                .collect();
            if let Some(&other) =
                others.get(usize::try_from(rng.below(others.len().max(1) as u64)).unwrap_or(0))
                && let Ok(second_offer) =
                    catalog.offer_of(product, other, at, &OfferOptions::default())
            {
                let mut second = render(&second_offer, catalog.channel_at(other).kind);
                if let Some(claim) = second
                    .claims
                    .iter_mut()
                    .find(|c| matches!(c.value, ClaimValue::Price(_)))
                    && let ClaimValue::Price(price) = claim.value
                {
                    let cent =
                        crate::money::Money::new(price.currency().minor_unit(), price.currency());
                    if let Ok(wrong) = cent.and_then(|cent| price.checked_add(cent)) {
                        *claim = Claim::from(ClaimValue::Price(wrong));
                        let second_id = format!("r{made}");
                        second.id = second_id.clone();
                        made += 1;
                        let mut first = render(&offer, kind);
                        first.id = id.clone();
                        let shows_price = first
                            .claims
                            .iter()
                            .any(|c| matches!(c.value, ClaimValue::Price(_)));
                        let mut planted = vec![Planted {
                            rendering: second_id.clone(),
                            rule: Rule::PriceMismatch,
                        }];
                        let cross = Planted {
                            rendering: id.clone(),
                            rule: Rule::CrossPriceDivergence,
                        };
                        pending = Some(Generated {
                            rendering: second,
                            planted: std::mem::take(&mut planted),
                        });
                        return Some(Generated {
                            rendering: first,
                            planted: if shows_price { vec![cross] } else { vec![] },
                        });
                    }
                }
            }
        }
        if roll < pairs + mistakes {
            let size = u32::try_from(rng.below(50)).unwrap_or(0) + 1;
            let candidates = mutations(&offer, kind, size);
            if !candidates.is_empty() {
                let pick = usize::try_from(rng.below(candidates.len() as u64)).unwrap_or(0);
                if let Some(mutation) = candidates.into_iter().nth(pick) {
                    let mut rendering = mutation.rendering;
                    rendering.id = id.clone();
                    return Some(Generated {
                        rendering,
                        planted: vec![Planted {
                            rendering: id,
                            rule: mutation.rule,
                        }],
                    });
                }
            }
        }
        let mut rendering = render(&offer, kind);
        rendering.id = id;
        Some(Generated {
            rendering,
            planted: Vec::new(),
        })
    })
}

/// A random product and a channel that lists it and has a price for it at `at`.
fn pick_listing(
    catalog: &Catalog,
    rng: &mut SplitMix64,
    at: DateTime<Utc>,
) -> Option<(ProductKey, ChannelKey)> {
    let products = catalog.products().len() as u64;
    let channels = catalog.channels().len() as u64;
    let product = ProductKey(u32::try_from(rng.below(products)).ok()?);
    let channel = ChannelKey(u32::try_from(rng.below(channels)).ok()?);
    (catalog.is_listed(product, channel)
        && catalog
            .offer_of(product, channel, at, &OfferOptions::default())
            .is_ok())
    .then_some((product, channel))
}
