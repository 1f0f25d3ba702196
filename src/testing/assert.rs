//! Assertions for a channel's own test suite: "what I produce agrees with the catalog".

use crate::catalog::Catalog;
use crate::rendering::Rendering;
use crate::validate::{Finding, Policy, Report, Rule, Severity, Validator};

/// Validates `renderings` with the default policy and panics, printing the human report, when any
/// finding has severity error. Returns the report for further checks.
///
/// ```
/// let catalog = unisono::Catalog::from_json(include_str!("../../examples/data/catalog.json"))?;
/// let page: unisono::Rendering = serde_json::from_str(r#"{"id": "page", "channel": "web-it", "sku": "LAPTOP-14",
///   "shown": {"at": "2026-11-28T10:00:00+01:00"}, "claims": [{"price": "719.20 EUR"}]}"#)?;
/// unisono::testing::assert_consistent(&catalog, &[page]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// ```should_panic
/// # let catalog = unisono::Catalog::from_json(include_str!("../../examples/data/catalog.json")).unwrap();
/// let wrong: unisono::Rendering = serde_json::from_str(r#"{"id": "page", "channel": "web-it", "sku": "LAPTOP-14",
///   "shown": {"at": "2026-11-28T10:00:00+01:00"}, "claims": [{"price": "729.00 EUR"}]}"#).unwrap();
/// unisono::testing::assert_consistent(&catalog, &[wrong]); // panics: error[price.mismatch] ...
/// ```
///
/// # Panics
/// When a rendering has a finding of severity error.
#[track_caller]
pub fn assert_consistent(catalog: &Catalog, renderings: &[Rendering]) -> Report {
    assert_consistent_with(catalog, renderings, &Policy::default())
}

/// As [`assert_consistent`], under `policy`.
///
/// # Panics
/// When a rendering has a finding of severity error under `policy`.
#[track_caller]
pub fn assert_consistent_with(
    catalog: &Catalog,
    renderings: &[Rendering],
    policy: &Policy,
) -> Report {
    let report = Validator::new(catalog, policy).validate_all(renderings);
    report.assert_no_errors();
    report
}

/// Checks on a [`Report`], each failing with the findings at stake, not a bare boolean.
///
/// ```
/// use unisono::testing::ReportAssertions;
/// use unisono::Rule;
/// let catalog = unisono::Catalog::from_json(include_str!("../../examples/data/catalog.json"))?;
/// let renderings = unisono::rendering::read_renderings(include_str!("../../examples/data/renderings.json"))?;
/// let report = unisono::Validator::new(&catalog, &unisono::Policy::default()).validate_all(&renderings);
/// report
///     .assert_no_finding(Rule::PriceCurrencyMismatch)
///     .assert_rules("app/phone-x", &[Rule::ReferenceNotLowestPrior, Rule::DiscountOverstated])
///     .assert_rules("web/laptop-14-preview", &[]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub trait ReportAssertions {
    /// Panics, printing them, when any finding has severity error.
    fn assert_no_errors(&self) -> &Self;
    /// Panics, printing them, when any finding is of `rule`.
    fn assert_no_finding(&self, rule: Rule) -> &Self;
    /// Panics unless the findings of the rendering with id `rendering` are of exactly these rules
    /// (in any order, each as often as listed); `&[]` says the rendering is clean.
    fn assert_rules(&self, rendering: &str, rules: &[Rule]) -> &Self;
}

impl ReportAssertions for Report {
    #[track_caller]
    fn assert_no_errors(&self) -> &Self {
        let errors: Vec<&Finding> = self
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .collect();
        if !errors.is_empty() {
            panic!(
                "{} of {} renderings disagree with the catalog:\n\n{}",
                errors
                    .iter()
                    .flat_map(|f| std::iter::once(&f.rendering).chain(&f.renderings))
                    .collect::<std::collections::BTreeSet<_>>()
                    .len(),
                self.summary.renderings,
                crate::report::human(self, false)
            );
        }
        self
    }

    #[track_caller]
    fn assert_no_finding(&self, rule: Rule) -> &Self {
        let found: Vec<&Finding> = self.of_rule(rule).collect();
        if !found.is_empty() {
            panic!(
                "expected no {rule} finding, found {}:\n\n{}",
                found.len(),
                listing(&found)
            );
        }
        self
    }

    #[track_caller]
    fn assert_rules(&self, rendering: &str, rules: &[Rule]) -> &Self {
        let of_rendering: Vec<&Finding> = self
            .findings
            .iter()
            .filter(|f| f.rendering == rendering || f.renderings.iter().any(|r| r == rendering))
            .collect();
        let mut found: Vec<Rule> = of_rendering.iter().map(|f| f.rule).collect();
        let mut wanted = rules.to_vec();
        found.sort();
        wanted.sort();
        if found != wanted {
            let wanted: Vec<&str> = wanted.iter().map(Rule::code).collect();
            panic!(
                "expected the findings of {rendering:?} to be of rules {wanted:?}, found {}:\n\n{}",
                of_rendering.len(),
                listing(&of_rendering)
            );
        }
        self
    }
}

/// Findings as the human report prints them.
fn listing(findings: &[&Finding]) -> String {
    if findings.is_empty() {
        return "(none)".to_owned();
    }
    let subset = Report::new(0, 0, findings.iter().map(|f| (*f).clone()).collect());
    let text = crate::report::human(&subset, false);
    // Drop the summary line of the subset: the counts of an excerpt mean nothing.
    text.trim_end()
        .rsplit_once('\n')
        .map_or(text.clone(), |(body, _)| body.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn demo() -> (Catalog, Vec<Rendering>) {
        let catalog = Catalog::from_json(include_str!("../../examples/data/catalog.json"))
            .expect("demo compiles");
        let renderings =
            crate::rendering::read_renderings(include_str!("../../examples/data/renderings.json"))
                .expect("demo renderings parse");
        (catalog, renderings)
    }

    fn panic_message(f: impl FnOnce() + std::panic::UnwindSafe) -> String {
        let err = std::panic::catch_unwind(f).expect_err("the assertion fails");
        err.downcast_ref::<String>().cloned().unwrap_or_default()
    }

    #[test]
    fn assert_consistent_shows_the_report() {
        let (catalog, renderings) = demo();
        let policy = Policy::from_json(include_str!("../../examples/data/policy.json"))
            .expect("demo policy");
        // Counted by hand from the demo report: the four renderings of the laptop's cross-channel
        // finding, and seventeen others with an error finding (the last, the app's gold-tier price).
        let message = panic_message(|| {
            assert_consistent_with(&catalog, &renderings, &policy);
        });
        assert!(
            message.starts_with("21 of 51 renderings disagree with the catalog:"),
            "{message}"
        );
        assert!(
            message.contains("error[price.mismatch]: email-it shows 729.00 EUR"),
            "{message}"
        );
    }

    #[test]
    fn a_policy_can_make_the_same_renderings_consistent() {
        let (catalog, renderings) = demo();
        let mut policy = Policy::default();
        for rule in Rule::ALL {
            if rule.default_severity() == Severity::Error {
                policy.severity.insert(*rule, Severity::Warning);
            }
        }
        let report = assert_consistent_with(&catalog, &renderings, &policy);
        assert_eq!(report.summary.errors, 0);
        assert!(report.summary.warnings > 0);
    }

    #[test]
    fn report_checks_fail_with_the_findings() {
        let (catalog, renderings) = demo();
        let report = Validator::new(&catalog, &Policy::default()).validate_all(&renderings);
        let message = panic_message(|| {
            report.assert_no_finding(Rule::DiscountOverstated);
        });
        assert!(
            message.starts_with("expected no discount.overstated finding, found 1:"),
            "{message}"
        );
        assert!(
            message.contains("app-it shows -20%; 519.20 EUR from the prior price 599.00 EUR"),
            "{message}"
        );
        let message = panic_message(|| {
            report.assert_rules("app/phone-x", &[Rule::DiscountOverstated]);
        });
        assert!(
            message.starts_with(r#"expected the findings of "app/phone-x" to be of rules ["discount.overstated"], found 2:"#),
            "{message}"
        );
        report.assert_rules(
            "app/phone-x",
            &[Rule::DiscountOverstated, Rule::ReferenceNotLowestPrior],
        );
        // A cross-channel finding belongs to every rendering it names.
        report.assert_rules(
            "newsletter-48/hero",
            &[Rule::PriceMismatch, Rule::CrossPriceDivergence],
        );
    }
}
