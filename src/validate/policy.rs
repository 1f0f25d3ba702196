//! The policy: severities and thresholds of the rules (CONTRACT §6).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::finding::{Rule, Severity};
use crate::catalog::ChannelKind;
use crate::error::InputError;
use crate::offer::{OfferOptions, ReferenceScope};

/// How strict to be. Every field has the default of CONTRACT §6.
///
/// ```
/// let policy = unisono::Policy::from_json(r#"{"severity": {"validity.understated": "allow"}, "low_stock_threshold": 3}"#)?;
/// assert_eq!(policy.severity_of(unisono::Rule::ValidityUnderstated), unisono::Severity::Allow);
/// assert_eq!(policy.severity_of(unisono::Rule::PriceMismatch), unisono::Severity::Error);
/// assert!(unisono::Policy::from_json(r#"{"severity": {"price.missmatch": "allow"}}"#).is_err());
/// # Ok::<(), unisono::InputError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Policy {
    /// Severity overrides by rule code; `allow` switches a rule off.
    pub severity: BTreeMap<Rule, Severity>,
    /// Units at or below which stock is low (default 5).
    pub low_stock_threshold: u64,
    /// Units an advertisement needs behind its price (default 1).
    pub min_advertised_stock: u64,
    /// How alike a shown title must be to the product's, 0 to 1 (default 0.8).
    pub title_min_similarity: f64,
    /// Where the prior price is looked for (default the rendering's channel).
    pub reference_scope: ReferenceScope,
    /// Channel kinds whose prices must agree with each other (default every kind).
    pub uniform_price_channels: Vec<ChannelKind>,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            severity: BTreeMap::new(),
            low_stock_threshold: 5,
            min_advertised_stock: 1,
            title_min_similarity: 0.8,
            reference_scope: ReferenceScope::Channel,
            uniform_price_channels: ChannelKind::ALL.to_vec(),
        }
    }
}

impl Policy {
    /// Reads a policy document (CONTRACT §6). Unknown fields and unknown rule codes are errors.
    ///
    /// # Errors
    /// [`InputError`] with the path, line and column of the first bad value.
    pub fn from_json(text: &str) -> Result<Policy, InputError> {
        let text = crate::read::strip_bom(text);
        let error = |path: String, e: &serde_json::Error| InputError::from_serde(path, e);
        crate::limits::check_size(text, crate::limits::MAX_DOCUMENT_BYTES).map_err(|e| {
            InputError {
                path: ".".to_owned(),
                line: 1,
                column: 1,
                message: e.to_string(),
            }
        })?;
        let mut de = serde_json::Deserializer::from_str(text);
        let policy: Policy = serde_path_to_error::deserialize(&mut de)
            .map_err(|e| error(e.path().to_string(), e.inner()))?;
        de.end().map_err(|e| error(".".to_owned(), &e))?;
        if !(0.0..=1.0).contains(&policy.title_min_similarity) {
            // serde has no place for a value that parsed: the key's own is the nearest.
            let (line, column) = place_of(text, "\"title_min_similarity\"");
            return Err(InputError {
                path: "title_min_similarity".to_owned(),
                line,
                column,
                message: format!("{} is not between 0 and 1", policy.title_min_similarity),
            });
        }
        Ok(policy)
    }

    /// The severity of `rule` under this policy.
    pub fn severity_of(&self, rule: Rule) -> Severity {
        self.severity
            .get(&rule)
            .copied()
            .unwrap_or_else(|| rule.default_severity())
    }

    /// The offer settings this policy implies.
    pub fn offer_options(&self) -> OfferOptions {
        OfferOptions {
            reference_scope: self.reference_scope,
            low_stock_threshold: self.low_stock_threshold,
        }
    }
}

/// The 1-based line and column (in characters) of the first `needle` in `text`; (0, 0) if absent.
fn place_of(text: &str, needle: &str) -> (usize, usize) {
    let Some(at) = text.find(needle) else {
        return (0, 0);
    };
    let before = text.get(..at).unwrap_or_default();
    let line_start = before.rfind('\n').map_or(0, |n| n + 1);
    let column = before.get(line_start..).map_or(0, |l| l.chars().count()) + 1;
    (before.matches('\n').count() + 1, column)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_value_out_of_range_is_placed_at_its_key() {
        let err = super::Policy::from_json("{\n  \"title_min_similarity\": 2\n}")
            .expect_err("2 is out of range");
        insta::assert_snapshot!(err, @"2:3: title_min_similarity: 2 is not between 0 and 1");
        let err = super::Policy::from_json(r#"{"low_stock_threshold": "five"}"#)
            .expect_err("a count is a number");
        insta::assert_snapshot!(err, @r#"1:30: low_stock_threshold: invalid type: string "five", expected u64"#);
    }
}
