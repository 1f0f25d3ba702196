//! Findings, their rule codes and severities, and the report (CONTRACT §4, §7).

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize, Serializer};

use crate::money::Money;

/// How much a finding matters. `Allow` switches a rule off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Must be fixed: makes `unisono validate` exit 1.
    Error,
    /// Should be looked at.
    Warning,
    /// For information.
    Info,
    /// Off: the rule reports nothing.
    Allow,
}

impl Severity {
    /// The name used in JSON, e.g. `"warning"`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
            Severity::Allow => "allow",
        }
    }
}

macro_rules! rules {
    ($($variant:ident => $code:literal, $severity:ident, $doc:literal;)*) => {
        /// A rule of CONTRACT §7. Codes are stable.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Rule {
            $(#[doc = $doc] $variant,)*
        }

        impl Rule {
            /// Every rule, in the order of CONTRACT §7.
            pub const ALL: &'static [Rule] = &[$(Rule::$variant,)*];

            /// The stable code, e.g. `"price.mismatch"`.
            pub fn code(&self) -> &'static str {
                match self {
                    $(Rule::$variant => $code,)*
                }
            }

            /// The severity it has unless the policy says otherwise.
            pub fn default_severity(&self) -> Severity {
                match self {
                    $(Rule::$variant => Severity::$severity,)*
                }
            }
        }
    };
}

rules! {
    PriceMismatch => "price.mismatch", Error, "A `price` claim differs from the public price.";
    PriceCurrencyMismatch => "price.currency_mismatch", Error, "A money claim is not in the market's currency.";
    PriceMemberMismatch => "price.member_mismatch", Error, "A `member_price` claim differs from the members' price.";
    ReferenceMissing => "reference.missing", Error, "A reduction is announced without a reference price (Omnibus art. 6a).";
    ReferenceNotLowestPrior => "reference.not_lowest_prior", Error, "The reference price is not the lowest price of the prior-price window.";
    ReferenceMismatch => "reference.mismatch", Error, "In a market without the prior-price rule, the reference price is not the regular price.";
    ReferenceNoHistory => "reference.no_history", Warning, "A reduction is announced but the catalog has no price before it.";
    DiscountOverstated => "discount.overstated", Error, "The claimed reduction is larger than the real one (CJEU C-330/23).";
    DiscountUnderstated => "discount.understated", Info, "The claimed reduction is smaller by at least one point.";
    PromotionNotActive => "promotion.not_active", Error, "A promotion is claimed and none is active on this channel.";
    PromotionNotOnChannel => "promotion.not_on_channel", Error, "The promotion is active, but not for this channel.";
    PromotionMismatch => "promotion.mismatch", Error, "The multi-buy or the promotion's mechanic differs from what is shown.";
    ValidityOverstated => "validity.overstated", Error, "`valid_until` is later than the end of what is advertised.";
    ValidityUnderstated => "validity.understated", Warning, "`valid_until` is earlier, and the same offer goes on after it (UCPD Annex I 7).";
    ValidityNotStarted => "validity.not_started", Error, "`valid_from` is earlier than the start of what is advertised.";
    StockUnavailable => "stock.unavailable", Error, "Availability or pickup is claimed and nothing is available there.";
    StockUnderstated => "stock.understated", Warning, "`out_of_stock` is claimed and stock is available.";
    StockFalseScarcity => "stock.false_scarcity", Error, "\"Only N left\" below the real stock, or low stock claimed above the threshold (UCPD Annex I 7).";
    StockOverstated => "stock.overstated", Error, "`stock_quantity` is above the available stock.";
    StockBaitAdvertising => "stock.bait_advertising", Warning, "An advertisement shows a price while too little is available (UCPD Annex I 5).";
    IdentityUnknownProduct => "identity.unknown_product", Error, "The SKU or GTIN is not in the catalog.";
    IdentityUnknownChannel => "identity.unknown_channel", Error, "The channel is not in the catalog (an extension of CONTRACT §7).";
    IdentityNotListed => "identity.not_listed", Error, "The product is not in the channel's assortment.";
    IdentityGtinMismatch => "identity.gtin_mismatch", Error, "The GTIN shown differs from the product's.";
    IdentityTitleMismatch => "identity.title_mismatch", Warning, "The title shown is too unlike the product's.";
    UnitPriceMismatch => "unit_price.mismatch", Error, "The unit price differs from the public price per unit (PID art. 3).";
    UnitPriceMissing => "unit_price.missing", Warning, "A price of goods sold by quantity is shown without a unit price (PID art. 3(4)).";
    CrossPriceDivergence => "cross.price_divergence", Error, "Two renderings show different prices for one product at one instant.";
    InputMalformed => "input.malformed", Error, "A line of JSON Lines is not a rendering; the run goes on (`validate_lines`, unless strict).";
    InputDuplicateId => "input.duplicate_id", Warning, "Two renderings of one input have the same id, so findings cannot tell them apart.";
    FamilyUnknownVariant => "family.unknown_variant", Error, "The `variant` claim matches no product of the family, or several (CONTRACT §10).";
    FamilyPriceFromMismatch => "family.price_from_mismatch", Error, "`price_from` or `price_range` differs from the family's lowest / highest public price.";
    DiscountUpToOverstated => "discount.up_to_overstated", Error, "`percent_off_up_to` is larger than the family's largest real reduction (Commission guidance 2021/C 526/02, 2.8).";
    DiscountUpToUnderstated => "discount.up_to_understated", Info, "`percent_off_up_to` is smaller than the family's largest real reduction by at least one point.";
    PriceTierMismatch => "price.tier_mismatch", Error, "A `tier_price` claim differs from that loyalty tier's price.";
    PriceGroupMismatch => "price.group_mismatch", Error, "A `group_price` claim differs from that customer group's price.";
    PriceVolumeMismatch => "price.volume_mismatch", Error, "A `volume_price` differs from the price selected for that quantity, or no entry has that `min_quantity`.";
    PromotionCouponMismatch => "promotion.coupon_mismatch", Error, "A `coupon` names no coupon running on the channel, or its reduction differs.";
    RrpMismatch => "rrp.mismatch", Error, "The `rrp` claim differs from the catalog's, or the catalog has none for the market.";
    DiscountRrpOverstated => "discount.rrp_overstated", Error, "A saving measured from the RRP is larger than the real one (UCPD guidance 2021/C 526/01, 2.4.3).";
    AnchorMismatch => "anchor.mismatch", Error, "`anchor_price` differs from the public price at the start of the market's anchor date.";
    AnchorMissing => "anchor.missing", Warning, "A price is shown on an anchor channel without the anchor price (Croatia, 2025).";
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A text that is not a rule code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{} is not a rule code (they are listed in CONTRACT §7, like \"price.mismatch\")", crate::limits::Quoted(.0))]
pub struct UnknownRule(pub String);

impl FromStr for Rule {
    type Err = UnknownRule;
    fn from_str(code: &str) -> Result<Rule, UnknownRule> {
        Rule::ALL
            .iter()
            .copied()
            .find(|r| r.code() == code)
            .ok_or_else(|| UnknownRule(code.to_owned()))
    }
}

impl Serialize for Rule {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for Rule {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let code = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        code.parse().map_err(serde::de::Error::custom)
    }
}

/// A value a finding names: what the catalog expects, or what the rendering shows. Typed, for
/// programs; `Display` (and JSON) writes it as CONTRACT §4 does (`"719.20 EUR"`, `"8"`,
/// `"2026-11-30T00:00:00+01:00"`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// An amount of money.
    Money(Money),
    /// A count: units in stock.
    Integer(u64),
    /// An instant, in the market's time zone.
    Instant(DateTime<FixedOffset>),
    /// Anything else, as people read it: a GTIN, a title, a promotion, `-20%`, `2.45 EUR per 1 kg`.
    Text(String),
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Money(m) => m.fmt(f),
            Value::Integer(n) => n.fmt(f),
            Value::Instant(t) => {
                f.write_str(&t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, false))
            }
            Value::Text(t) => f.write_str(t),
        }
    }
}

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Text(t) => serializer.serialize_str(t),
            other => serializer.collect_str(other),
        }
    }
}

impl From<Money> for Value {
    fn from(money: Money) -> Value {
        Value::Money(money)
    }
}

impl From<u64> for Value {
    fn from(count: u64) -> Value {
        Value::Integer(count)
    }
}

impl From<String> for Value {
    fn from(text: String) -> Value {
        Value::Text(text)
    }
}

impl From<&str> for Value {
    fn from(text: &str) -> Value {
        Value::Text(text.to_owned())
    }
}

/// One place where a rendering departs from the catalog or from another rendering.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The rule.
    pub rule: Rule,
    /// Its severity under the policy.
    pub severity: Severity,
    /// The rendering's id; for a cross-channel finding, the first rendering involved.
    pub rendering: String,
    /// Every rendering involved, for a cross-channel finding; empty otherwise.
    pub renderings: Vec<String>,
    /// Position of the (first) rendering in the input.
    pub position: usize,
    /// The channel.
    pub channel: String,
    /// The product's SKU, when known.
    pub sku: Option<String>,
    /// Index of the claim in the rendering; `None` for the rendering as a whole.
    pub claim: Option<usize>,
    /// The claim's `source`, echoed.
    pub source: Option<String>,
    /// The first instant at which the claim fails, in the market's time zone.
    pub at: Option<DateTime<FixedOffset>>,
    /// What the catalog says.
    pub expected: Option<Value>,
    /// What the rendering says.
    pub found: Option<Value>,
    /// For people.
    pub message: String,
    /// Why the catalog expects what it does: price entry, promotions in order, prior-price window.
    pub explanation: Vec<String>,
    /// The `evidence` of the rendering (CONTRACT §14), echoed; for a cross-channel finding, one entry
    /// per rendering of `renderings`, in its order. Empty when no rendering involved carries any.
    pub evidence: Vec<Option<crate::rendering::Evidence>>,
}

impl Finding {
    /// A finding of `rule` about rendering `r`, the `position`-th of the input, at `at`: the
    /// rendering's id, channel and evidence filled in, the SKU, claim and values left for the
    /// caller.
    pub(crate) fn about(
        r: &crate::Rendering,
        position: usize,
        rule: Rule,
        severity: Severity,
        at: DateTime<FixedOffset>,
        message: String,
    ) -> Finding {
        Finding {
            rule,
            severity,
            rendering: r.id.clone(),
            renderings: Vec::new(),
            position,
            channel: r.channel.clone(),
            sku: None,
            claim: None,
            source: None,
            at: Some(at),
            expected: None,
            found: None,
            message,
            explanation: Vec::new(),
            evidence: r.evidence.iter().cloned().map(Some).collect(),
        }
    }

    /// The order of CONTRACT §4: rendering (input order), then claim index, then rule code.
    pub(crate) fn sort_key(&self) -> (usize, Option<usize>, &'static str) {
        (self.position, self.claim, self.rule.code())
    }
}

impl Serialize for Finding {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("rule", &self.rule)?;
        map.serialize_entry("severity", &self.severity)?;
        if self.renderings.is_empty() {
            map.serialize_entry("rendering", &self.rendering)?;
        } else {
            map.serialize_entry("renderings", &self.renderings)?;
        }
        map.serialize_entry("channel", &self.channel)?;
        map.serialize_entry("sku", &self.sku)?;
        map.serialize_entry("claim", &self.claim)?;
        if let Some(source) = &self.source {
            map.serialize_entry("source", source)?;
        }
        map.serialize_entry(
            "at",
            &self
                .at
                .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, false)),
        )?;
        map.serialize_entry("expected", &self.expected)?;
        map.serialize_entry("found", &self.found)?;
        map.serialize_entry("message", &self.message)?;
        map.serialize_entry("explanation", &self.explanation)?;
        // CONTRACT §14: a rendering's evidence as it came; a list beside a list of renderings.
        match (self.renderings.is_empty(), self.evidence.as_slice()) {
            (_, []) => {}
            (true, [one]) => {
                if let Some(evidence) = one {
                    map.serialize_entry("evidence", evidence)?;
                }
            }
            (_, many) => map.serialize_entry("evidence", many)?,
        }
        map.serialize_entry("fingerprint", &self.fingerprint())?;
        map.end()
    }
}

/// Counts of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Summary {
    /// Renderings checked.
    pub renderings: usize,
    /// Claims checked.
    pub claims: usize,
    /// Findings of severity error.
    pub errors: usize,
    /// Findings of severity warning.
    pub warnings: usize,
    /// Findings of severity info.
    pub infos: usize,
}

/// The result of validating renderings (CONTRACT §4). Serializes to its JSON.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Report {
    /// Always 1.
    pub version: u32,
    /// Counts.
    pub summary: Summary,
    /// Findings, in the order of CONTRACT §4.
    pub findings: Vec<Finding>,
}

impl Report {
    /// A report of `findings` over `renderings` renderings holding `claims` claims; sorts the findings.
    pub fn new(renderings: usize, claims: usize, mut findings: Vec<Finding>) -> Report {
        findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
        let summary = Summary {
            renderings,
            claims,
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            infos: count(Severity::Info),
        };
        Report {
            version: 1,
            summary,
            findings,
        }
    }

    /// Whether any finding has severity error (`unisono validate` then exits 1).
    pub fn has_errors(&self) -> bool {
        self.summary.errors > 0
    }

    /// The findings of one rule.
    pub fn of_rule(&self, rule: Rule) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(move |f| f.rule == rule)
    }
}
