//! Validation: what each channel shows, checked claim by claim against the catalog over the whole
//! time it is shown, and against the other channels.
//!
//! A claim must hold at every instant of its rendering's `shown` window. The catalog's prices are
//! piecewise constant, so the validator walks the listing's change points inside the window (price
//! entries and promotions starting or ending, stock snapshots) instead of sampling, and reports the
//! first instant at which a claim fails.

mod cross;
mod discount;
mod family;
mod finding;
mod identity;
mod input;
mod policy;
mod price;
mod pricing;
mod promotion;
mod reference;
mod stock;
mod stream;
mod unit_price;
mod validity;

use chrono::{DateTime, Utc};

use crate::catalog::{Catalog, Channel, ChannelKey, ChannelKind, Market, Product, ProductKey};
use crate::offer::listing::{Listing, PriceState};
use crate::offer::{OfferOptions, Reduction};
use crate::rendering::{ClaimKind, ClaimValue, Rendering};
use crate::time::Window;

pub use cross::CrossChannel;
pub use finding::{Finding, Report, Rule, Severity, Summary, UnknownRule, Value};
pub use policy::Policy;
pub use stream::parse_lines;

/// Checks renderings against one catalog under one policy. Build it once, use it for many renderings,
/// from many threads (`Send + Sync`).
///
/// ```
/// let catalog = unisono::Catalog::from_json(include_str!("../../examples/data/catalog.json"))?;
/// let validator = unisono::Validator::new(&catalog, &unisono::Policy::default());
/// let rendering: unisono::Rendering = serde_json::from_str(r#"{
///   "id": "hero", "channel": "email-it", "sku": "LAPTOP-14", "shown": {"at": "2026-11-28T07:00:00+01:00"},
///   "claims": [{"price": "729.00 EUR"}]}"#)?;
/// let findings = validator.validate(&rendering);
/// assert_eq!(findings[0].rule, unisono::Rule::PriceMismatch);
/// assert_eq!(findings[0].message, "email-it shows 729.00 EUR; the catalog's price is 719.20 EUR");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Validator<'c> {
    catalog: &'c Catalog,
    policy: Policy,
    options: OfferOptions,
    severities: Vec<Severity>,
    strict: bool,
}

/// Validates one rendering with the default policy. Cross-channel findings need several renderings:
/// see [`Validator::validate_all`].
///
/// ```
/// let catalog = unisono::Catalog::from_json(include_str!("../../examples/data/catalog.json"))?;
/// let rendering: unisono::Rendering = serde_json::from_str(r#"{"id": "label", "channel": "store-roma",
///   "sku": "ESPRESSO-M1", "shown": {"at": "2026-11-20T09:00:00+01:00"}, "claims": [{"price": "229.00 EUR"}]}"#)?;
/// assert!(unisono::validate(&catalog, &rendering).is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn validate(catalog: &Catalog, rendering: &Rendering) -> Vec<Finding> {
    Validator::new(catalog, &Policy::default()).validate(rendering)
}

impl<'c> Validator<'c> {
    /// A validator of `catalog` under `policy`.
    pub fn new(catalog: &'c Catalog, policy: &Policy) -> Validator<'c> {
        let severities = Rule::ALL.iter().map(|r| policy.severity_of(*r)).collect();
        Validator {
            catalog,
            policy: policy.clone(),
            options: policy.offer_options(),
            severities,
            strict: false,
        }
    }

    /// With `strict`, [`Validator::validate_lines`] stops at the first line that is not a rendering
    /// and returns its [`InputError`](crate::InputError); without (the default), such a line is an
    /// `input.malformed` finding and the run goes on, so that one bad line among millions does not
    /// lose the report.
    pub fn strict(mut self, strict: bool) -> Validator<'c> {
        self.strict = strict;
        self
    }

    /// The catalog.
    pub fn catalog(&self) -> &'c Catalog {
        self.catalog
    }

    /// The policy.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// Every finding of one rendering, cross-channel rules aside, in the order of CONTRACT §4.
    pub fn validate(&self, rendering: &Rendering) -> Vec<Finding> {
        self.validate_at(rendering, 0)
    }

    /// As [`Validator::validate`], for the rendering at `position` in its input.
    pub(crate) fn validate_at(&self, rendering: &Rendering, position: usize) -> Vec<Finding> {
        let product = self.product_of(rendering);
        let mut findings = match identity::resolve(self, rendering, position, product) {
            Ok(check) => check.run(),
            Err(findings) => findings,
        };
        findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        findings
    }

    /// [`Validator::validate_at`] and [`Validator::sightings`] of one rendering, resolving its
    /// channel and product once for both. `product` is [`Validator::product_of`] the rendering.
    pub(crate) fn validate_with_sightings(
        &self,
        rendering: &Rendering,
        position: usize,
        product: Option<ProductKey>,
    ) -> (Vec<Finding>, cross::Sightings) {
        let resolved = identity::resolve(self, rendering, position, product);
        let (mut findings, sightings) = match resolved {
            Ok(check) => {
                let (product, channel) = (check.listing.product, check.listing.channel);
                let sightings = self.sightings_of(rendering, position, product, channel);
                (check.run(), sightings)
            }
            // Not checked further (unknown channel or product, not listed): the cross-channel
            // rule still compares what it can place.
            Err(findings) => (findings, self.sightings(rendering, position)),
        };
        findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        (findings, sightings)
    }

    /// Every finding of every rendering, with the cross-channel rule, as a report.
    pub fn validate_all(&self, renderings: &[Rendering]) -> Report {
        let mut cross = CrossChannel::new(self);
        let mut ids = input::Ids::default();
        let mut findings = Vec::new();
        let mut claims = 0;
        for (position, rendering) in renderings.iter().enumerate() {
            claims += rendering.claims.len();
            let product = self.product_of(rendering);
            let (found, sightings) = self.validate_with_sightings(rendering, position, product);
            findings.extend(found);
            cross.insert(sightings);
            let seen = input::Seen::new(&rendering.id, &rendering.channel, position);
            findings.extend(ids.see(self, seen));
        }
        findings.extend(cross.finish());
        Report::new(renderings.len(), claims, findings)
    }

    pub(crate) fn severity(&self, rule: Rule) -> Severity {
        // `Rule::ALL` lists the variants in declaration order, so a discriminant is an index into it.
        self.severities
            .get(rule as usize)
            .copied()
            .unwrap_or_else(|| rule.default_severity())
    }

    /// The product a rendering names: by SKU, else by GTIN.
    pub(crate) fn product_of(&self, rendering: &Rendering) -> Option<ProductKey> {
        match (&rendering.sku, &rendering.gtin) {
            (Some(sku), _) => self.catalog.product_key(sku),
            (None, Some(gtin)) => gtin
                .parse::<crate::gtin::Gtin>()
                .ok()
                .and_then(|g| self.catalog.product_key_by_gtin(g)),
            // A family rendering is the product its `variant` claim picks, if it picks one.
            (None, None) => family::picked(self, rendering),
        }
    }

    pub(crate) fn is_uniform(&self, kind: ChannelKind) -> bool {
        self.policy.uniform_price_channels.contains(&kind)
    }
}

/// Everything known about one rendering while its claims are checked.
pub(crate) struct Check<'a, 'c> {
    v: &'a Validator<'c>,
    r: &'a Rendering,
    position: usize,
    listing: Listing<'c>,
    market: &'c Market,
    channel: &'c Channel,
    product: &'c Product,
    shown: Window,
    /// Stretches of constant prices covering `shown`; empty when no claim depends on prices.
    segments: Vec<(Window, PriceState)>,
    /// The reduction in progress in each segment, computed when first needed (empty until then).
    reductions: Vec<Option<Option<Reduction>>>,
    /// The index of the first claim of each kind (`u32::MAX`: none), found in one pass, so that
    /// no check scans the claims again: linear in the claims, however many.
    first: [u32; ClaimKind::COUNT],
    /// The first `promotion` claim naming a promotion of the catalog, and that promotion.
    named: Option<(usize, crate::catalog::PromotionKey)>,
    findings: Vec<Finding>,
    /// Whether this check judges the family-wide claims (`price_from`, ...): a family rendering
    /// without a variant is checked once per product, and judges them once.
    family_wide: bool,
}

impl<'a, 'c> Check<'a, 'c> {
    pub(crate) fn new(
        v: &'a Validator<'c>,
        r: &'a Rendering,
        position: usize,
        product: ProductKey,
        channel: ChannelKey,
    ) -> Check<'a, 'c> {
        let catalog = v.catalog;
        let listing = Listing::new(catalog, product, channel);
        let shown = r.shown.window();
        // The walk over the listing's prices is the costliest part of a check: skipped when no
        // claim depends on prices (a rendering of availability, GTIN and title only).
        let segments = if r.claims.iter().any(|c| c.value.depends_on_prices()) {
            listing.segments(shown)
        } else {
            Vec::new()
        };
        let mut first = [u32::MAX; ClaimKind::COUNT];
        for (i, claim) in r.claims.iter().enumerate().rev() {
            if let Some(slot) = first.get_mut(claim.value.claim_kind() as usize) {
                *slot = u32::try_from(i).unwrap_or(u32::MAX);
            }
        }
        let named = first
            .get(ClaimKind::Promotion as usize)
            .is_some_and(|&i| i != u32::MAX)
            .then(|| {
                r.claims
                    .iter()
                    .enumerate()
                    .find_map(|(i, c)| match &c.value {
                        ClaimValue::Promotion(id) => catalog.promotion_key(id).map(|k| (i, k)),
                        _ => None,
                    })
            })
            .flatten();
        Check {
            v,
            r,
            position,
            first,
            named,
            listing,
            market: catalog.market_at(listing.market),
            channel: catalog.channel_at(channel),
            product: catalog.product_at(product),
            shown,
            segments,
            reductions: Vec::new(),
            findings: Vec::new(),
            family_wide: true,
        }
    }

    fn run(mut self) -> Vec<Finding> {
        let r = self.r;
        // Claims of v2 seen: their checks after the loop (a v1 rendering sees none).
        let (mut family_wide, mut coupon) = (false, false);
        for (i, claim) in r.claims.iter().enumerate() {
            if let Some(money) = claim.value.money()
                && money.currency() != self.market.currency
            {
                self.currency_mismatch(i, money);
                continue;
            }
            match &claim.value {
                ClaimValue::Price(m) => self.price(i, *m),
                ClaimValue::MemberPrice(m) => self.member_price(i, *m),
                ClaimValue::ReferencePrice(m) => {
                    if !(self.has_coupon_claim() && self.coupon_reference(i, *m)) {
                        self.reference_price(i, *m)
                    }
                }
                ClaimValue::PercentOff(_) | ClaimValue::AmountOff(_) => {
                    if self.has_coupon_claim() {
                        self.coupon_discount(i, &claim.value)
                    } else if self.is_rrp_saving() {
                        self.rrp_discount(i, &claim.value)
                    } else {
                        self.discount(i, &claim.value)
                    }
                }
                ClaimValue::MultiBuy(m) => self.multi_buy(i, *m),
                ClaimValue::Promotion(id) => self.promotion(i, id),
                ClaimValue::ValidFrom(d) => self.valid_from(i, *d),
                ClaimValue::ValidUntil(d) => self.valid_until(i, *d),
                ClaimValue::Availability(a) => self.availability(i, *a),
                ClaimValue::StockQuantity(n) => self.stock_quantity(i, *n),
                ClaimValue::PickupAt(location) => self.pickup_at(i, location),
                ClaimValue::Gtin(g) => self.gtin(i, g),
                ClaimValue::Title(t) => self.title(i, t),
                ClaimValue::UnitPrice(u) => self.unit_price(i, *u),
                // Judged by `family::unpicked` (no product) or as the picked product's own.
                ClaimValue::Variant(_) => {}
                ClaimValue::PriceFrom(_)
                | ClaimValue::PriceRange(_)
                | ClaimValue::PercentOffUpTo(_) => family_wide = true,
                ClaimValue::TierPrice(c) => self.tier_price(i, c),
                ClaimValue::GroupPrice(c) => self.group_price(i, c),
                ClaimValue::VolumePrice(c) => self.volume_price(i, c),
                ClaimValue::Coupon(c) => {
                    coupon = true;
                    self.coupon(i, c)
                }
                ClaimValue::Rrp(m) => self.rrp(i, *m),
                ClaimValue::AnchorPrice(m) => self.anchor_price(i, *m),
            }
        }
        if family_wide && self.family_wide {
            self.family_claims();
        }
        if coupon {
            self.coupon_reference_missing();
        }
        self.reference_missing();
        self.unit_price_missing();
        self.bait_advertising();
        self.anchor_missing();
        self.findings
    }

    /// The index of the first claim of any of `kinds`.
    fn first_claim(&self, kinds: &[ClaimKind]) -> Option<usize> {
        kinds
            .iter()
            .filter_map(|k| self.first.get(*k as usize).copied())
            .filter(|&i| i != u32::MAX)
            .min()
            .map(|i| i as usize)
    }

    /// The reduction in progress in segment `s`, if the public price is below the regular price there.
    fn reduction(&mut self, s: usize) -> Option<&Reduction> {
        // Most checks need none: the slots are made on the first call.
        if self.reductions.len() < self.segments.len() {
            self.reductions.resize(self.segments.len(), None);
        }
        let slot = self.reductions.get_mut(s)?;
        if slot.is_none() {
            let (window, state) = self.segments.get(s)?;
            *slot = Some(state.is_reduced().then(|| {
                crate::offer::prior::reduction(
                    &self.listing,
                    window.from,
                    self.v.options.reference_scope,
                )
            }));
        }
        self.reductions
            .get(s)
            .and_then(|r| r.as_ref())
            .and_then(|r| r.as_ref())
    }

    /// The explanation of the prices in segment `s`: price entry, promotions in order.
    fn price_lines(&self, s: usize) -> Vec<String> {
        match self.segments.get(s) {
            Some((_, state)) => match &state.regular {
                Some(regular) => crate::offer::explain::price_lines(
                    self.v.catalog,
                    self.listing.channel,
                    regular,
                    &state.steps,
                    &state.member_steps,
                    &state.multi_buys,
                ),
                None => vec![format!(
                    "no price entry of {} covers this instant on {}",
                    self.product.sku, self.channel.id
                )],
            },
            None => Vec::new(),
        }
    }

    fn when(&self, t: DateTime<Utc>) -> String {
        crate::time::rfc3339_in(t, self.market.time_zone)
    }

    /// Whether the policy wants findings of `rule`: checked before a finding's text is made, so
    /// that a rule switched off costs no formatting.
    fn wants(&self, rule: Rule) -> bool {
        self.v.severity(rule) != Severity::Allow
    }

    /// Records a finding unless the policy allows the rule.
    #[allow(clippy::too_many_arguments)]
    fn report(
        &mut self,
        rule: Rule,
        claim: Option<usize>,
        at: DateTime<Utc>,
        expected: Option<Value>,
        found: Option<Value>,
        message: String,
        explanation: Vec<String>,
    ) {
        let severity = self.v.severity(rule);
        if severity == Severity::Allow {
            return;
        }
        let source = claim
            .and_then(|i| self.r.claims.get(i))
            .and_then(|c| c.source.clone());
        let at = crate::time::in_zone(at, self.market.time_zone);
        self.findings.push(Finding {
            sku: Some(self.product.sku.clone()),
            claim,
            source,
            expected,
            found,
            explanation,
            ..Finding::about(self.r, self.position, rule, severity, at, message)
        });
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_validator_is_shared_between_threads() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<super::Validator<'static>>();
        assert_send_sync::<super::Report>();
        let catalog = crate::Catalog::from_json(include_str!("../../examples/data/catalog.json"))
            .expect("demo catalog compiles");
        let validator = super::Validator::new(&catalog, &super::Policy::default());
        let rendering: crate::Rendering = serde_json::from_str(
            r#"{"id": "r", "channel": "web-it", "sku": "LAPTOP-14", "shown": {"at": "2026-11-28T10:00:00+01:00"},
                "claims": [{"price": "729.00 EUR"}]}"#,
        )
        .expect("rendering parses");
        let counts: Vec<usize> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..2)
                .map(|_| scope.spawn(|| validator.validate(&rendering).len()))
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("thread ends"))
                .collect()
        });
        assert_eq!(counts, [1, 1]);
    }
}
