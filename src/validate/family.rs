//! `family.*` and `discount.up_to_*` (CONTRACT §10, §15): renderings of a product family. A family
//! rendering with a `variant` claim is checked as the product it picks; without one, its
//! family-wide claims (`price_from`, `price_range`, `percent_off_up_to`) are judged over the
//! family's listed products, and every other claim must hold for each of them.

use chrono::{DateTime, Utc};
use rust_decimal::{Decimal, RoundingStrategy};

use super::discount::RealReduction;
use super::{Check, Finding, Rule, Severity, Validator, Value};
use crate::catalog::{ChannelKey, ProductKey};
use crate::money::Money;
use crate::offer::listing::Listing;
use crate::rendering::{ClaimValue, Rendering};

/// The product a family rendering picks with its `variant` claim: the one product of the family
/// whose variant includes every pair shown.
pub(super) fn picked(v: &Validator<'_>, r: &Rendering) -> Option<ProductKey> {
    let family = r.family.as_deref()?;
    let selected = r.claims.iter().find_map(|c| match &c.value {
        ClaimValue::Variant(variant) => Some(&variant.0),
        _ => None,
    })?;
    match v.catalog.variants_matching(family, selected).as_slice() {
        [one] => Some(*one),
        _ => None,
    }
}

/// A family rendering that picks no product: unknown family or variant, or no variant claim.
pub(super) fn unpicked(
    v: &Validator<'_>,
    r: &Rendering,
    position: usize,
    channel: ChannelKey,
) -> Vec<Finding> {
    let catalog = v.catalog;
    let family = r.family.as_deref().unwrap_or_default();
    let zone = catalog
        .market_at(catalog.channel_at(channel).market)
        .time_zone;
    // The message is made only for a rule the policy wants.
    let alone =
        |rule: Rule, claim: Option<usize>, found: Option<Value>, message: &dyn Fn() -> String| {
            let severity = v.severity(rule);
            (severity != Severity::Allow)
                .then(|| Finding {
                    claim,
                    source: claim
                        .and_then(|i| r.claims.get(i))
                        .and_then(|c| c.source.clone()),
                    found,
                    ..Finding::about(
                        r,
                        position,
                        rule,
                        severity,
                        crate::time::in_zone(r.shown.window().from, zone),
                        message(),
                    )
                })
                .into_iter()
                .collect::<Vec<_>>()
        };
    let products = catalog.family(family);
    if products.is_empty() {
        return alone(
            Rule::IdentityUnknownProduct,
            None,
            Some(Value::Text(family.to_owned())),
            &|| {
                format!(
                    "{} shows family {family:?}, which is not in the catalog",
                    r.channel
                )
            },
        );
    }
    let variant = r
        .claims
        .iter()
        .enumerate()
        .find_map(|(i, c)| match &c.value {
            ClaimValue::Variant(variant) => Some((i, variant)),
            _ => None,
        });
    if let Some((i, variant)) = variant {
        let message = || {
            let matching = catalog.variants_matching(family, &variant.0);
            let how = if matching.is_empty() {
                "no product".to_owned()
            } else {
                let skus: Vec<&str> = matching
                    .iter()
                    .map(|k| catalog.product_at(*k).sku.as_str())
                    .collect();
                format!("{} products ({})", skus.len(), skus.join(", "))
            };
            format!(
                "{} shows variant {variant} of family {family}: {how} of the family match",
                r.channel
            )
        };
        let found = Some(Value::Text(variant.to_string()));
        return alone(Rule::FamilyUnknownVariant, Some(i), found, &message);
    }
    let listed: Vec<ProductKey> = products
        .iter()
        .copied()
        .filter(|&p| catalog.is_listed(p, channel))
        .collect();
    if listed.is_empty() {
        return alone(Rule::IdentityNotListed, None, None, &|| {
            format!(
                "{} shows family {family}, none of whose products is in its assortment",
                r.channel
            )
        });
    }
    // Every claim for every listed product; the family-wide ones once. The first finding of each
    // rule and claim stands for the family.
    let mut findings: Vec<Finding> = Vec::new();
    for (n, &product) in listed.iter().enumerate() {
        let mut check = Check::new(v, r, position, product, channel);
        check.family_wide = n == 0;
        for finding in check.run() {
            if !findings
                .iter()
                .any(|f| f.rule == finding.rule && f.claim == finding.claim)
            {
                findings.push(finding);
            }
        }
    }
    findings
}

/// The public prices and real reductions of products at one instant.
struct Prices {
    low: Option<Money>,
    high: Option<Money>,
    up_to: Option<Decimal>,
    lines: Vec<String>,
}

impl Check<'_, '_> {
    /// The products the family-wide claims are about: the product's family (or the product alone),
    /// those the channel lists.
    fn family_products(&self) -> Vec<ProductKey> {
        let catalog = self.v.catalog;
        match &self.product.family {
            Some(family) => catalog
                .family(family)
                .iter()
                .copied()
                .filter(|&p| catalog.is_listed(p, self.listing.channel))
                .collect(),
            None => vec![self.listing.product],
        }
    }

    fn family_prices(&self, listings: &[Listing<'_>], t: DateTime<Utc>) -> Prices {
        let catalog = self.v.catalog;
        let mut prices = Prices {
            low: None,
            high: None,
            up_to: None,
            lines: Vec::new(),
        };
        for listing in listings {
            let Some((regular, price)) = listing.public_at(t) else {
                continue;
            };
            let product = catalog.product_at(listing.product);
            if prices.low.is_none_or(|l| price.amount() < l.amount()) {
                prices.low = Some(price);
            }
            if prices.high.is_none_or(|h| price.amount() > h.amount()) {
                prices.high = Some(price);
            }
            let mut line = format!("{} {price}", product.sku);
            if price < regular {
                let market = catalog.market_at(listing.market);
                let base = if market.reference_price_days.is_some() && !product.perishable {
                    crate::offer::prior::reduction(listing, t, self.v.options.reference_scope)
                        .prior
                        .map_or(regular, |p| p.amount)
                } else {
                    regular
                };
                if let Some(real) = RealReduction::between(base, price) {
                    line.push_str(&format!(
                        " (-{}% from {base})",
                        real.percent
                            .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
                            .normalize()
                    ));
                    if prices.up_to.is_none_or(|u| real.percent > u) {
                        prices.up_to = Some(real.percent);
                    }
                }
            }
            prices.lines.push(line);
        }
        prices
    }

    /// Judges the family-wide claims over `shown`.
    pub(super) fn family_claims(&mut self) {
        let rules = [
            Rule::FamilyPriceFromMismatch,
            Rule::DiscountUpToOverstated,
            Rule::DiscountUpToUnderstated,
        ];
        if !rules.into_iter().any(|rule| self.wants(rule)) {
            return;
        }
        let catalog = self.v.catalog;
        let channel = self.listing.channel;
        let listings: Vec<Listing<'_>> = self
            .family_products()
            .into_iter()
            .map(|p| Listing::new(catalog, p, channel))
            .collect();
        let mut instants = vec![self.shown.from];
        let mut t = self.shown.from;
        while let Some(next) = listings.iter().filter_map(|l| l.next_boundary(t)).min() {
            if self.shown.is_empty() || self.shown.until.is_some_and(|u| next >= u) {
                break;
            }
            instants.push(next);
            t = next;
        }
        let claims: Vec<(usize, ClaimValue)> = self
            .r
            .claims
            .iter()
            .enumerate()
            .filter(|(_, c)| {
                matches!(
                    c.value,
                    ClaimValue::PriceFrom(_)
                        | ClaimValue::PriceRange(_)
                        | ClaimValue::PercentOffUpTo(_)
                )
            })
            .map(|(i, c)| (i, c.value.clone()))
            .collect();
        for (i, claim) in claims {
            if claim
                .money()
                .is_some_and(|m| m.currency() != self.market.currency)
            {
                continue;
            }
            for &t in &instants {
                let prices = self.family_prices(&listings, t);
                if self.judge_family_claim(i, &claim, t, prices) {
                    break;
                }
            }
        }
    }

    /// Reports the claim if it is wrong at `t`; whether it is wrong.
    fn judge_family_claim(
        &mut self,
        i: usize,
        claim: &ClaimValue,
        t: DateTime<Utc>,
        prices: Prices,
    ) -> bool {
        let (rule, expected) = match claim {
            ClaimValue::PriceFrom(shown) => {
                if prices.low == Some(*shown) {
                    return false;
                }
                (Rule::FamilyPriceFromMismatch, prices.low.map(Value::Money))
            }
            ClaimValue::PriceRange(range) => {
                if prices.low == Some(range.min) && prices.high == Some(range.max) {
                    return false;
                }
                let real = match (prices.low, prices.high) {
                    (Some(low), Some(high)) => Some(Value::Text(format!("{low} - {high}"))),
                    _ => None,
                };
                (Rule::FamilyPriceFromMismatch, real)
            }
            ClaimValue::PercentOffUpTo(shown) => {
                let real = prices.up_to.unwrap_or(Decimal::ZERO);
                let rounded =
                    real.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero);
                let rule = if *shown > real && *shown != rounded {
                    Rule::DiscountUpToOverstated
                } else if real
                    .checked_sub(Decimal::ONE)
                    .is_some_and(|limit| *shown <= limit)
                {
                    Rule::DiscountUpToUnderstated
                } else {
                    return false;
                };
                (
                    rule,
                    Some(Value::Text(rounded.max(Decimal::ZERO).to_string())),
                )
            }
            _ => return false,
        };
        if !self.wants(rule) {
            return true;
        }
        let family = self.product.family.as_deref().unwrap_or(&self.product.sku);
        let channel = &self.channel.id;
        let message = match claim {
            ClaimValue::PriceFrom(shown) => format!(
                "{channel} shows {family} from {shown}; its lowest price is {}",
                super::price::text(prices.low)
            ),
            ClaimValue::PriceRange(range) => format!(
                "{channel} shows {family} at {} - {}; its prices range {}",
                range.min,
                range.max,
                expected
                    .as_ref()
                    .map_or_else(|| "nowhere (no price)".to_owned(), ToString::to_string)
            ),
            ClaimValue::PercentOffUpTo(shown) => format!(
                "{channel} shows {family} at up to -{}%; its largest reduction is -{}%",
                shown.normalize(),
                prices
                    .up_to
                    .unwrap_or(Decimal::ZERO)
                    .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
                    .normalize()
            ),
            _ => return false,
        };
        let found = match claim {
            ClaimValue::PriceFrom(m) => Value::Money(*m),
            other => Value::Text(other.value_text()),
        };
        self.report(
            rule,
            Some(i),
            t,
            expected,
            Some(found),
            message,
            prices.lines,
        );
        true
    }
}
