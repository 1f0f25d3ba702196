//! Findings across runs (CONTRACT §14): which problems are new, which persist (and since when), and
//! which are resolved, by fingerprint.

use std::collections::HashMap;
use std::fmt::Write;

use serde::Serialize;

use super::document::{ReportDocument, ReportFinding};
use crate::validate::Severity;

/// Two reports compared.
///
/// ```
/// use unisono::report::{ReportDocument, diff};
/// let finding = |id: &str, at: &str| format!(r#"{{"rule": "price.mismatch", "severity": "error",
///   "rendering": "{id}", "channel": "web-it", "sku": "A", "claim": 0, "at": "{at}",
///   "expected": null, "found": null, "message": "m", "explanation": []}}"#);
/// let report = |findings: &[String]| ReportDocument::from_json(&format!(
///   r#"{{"version": 1, "summary": {{}}, "findings": [{}]}}"#, findings.join(",")));
/// let before = report(&[finding("a", "2026-11-01T00:00:00Z"), finding("b", "2026-11-01T00:00:00Z")])?;
/// let after = report(&[finding("b", "2026-11-02T00:00:00Z"), finding("c", "2026-11-02T00:00:00Z")])?;
/// let d = diff(&before, &after);
/// assert_eq!(d.new[0].rendering.as_deref(), Some("c"));
/// assert_eq!(d.persisting[0].first_seen.as_deref(), Some("2026-11-01T00:00:00Z"));
/// assert_eq!(d.resolved[0].rendering.as_deref(), Some("a"));
/// # Ok::<(), unisono::report::ReportError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Diff {
    /// Always 1.
    pub version: u32,
    /// How many of each.
    pub summary: DiffCounts,
    /// Findings of the later report that the earlier one has not, in the later report's order.
    pub new: Vec<ReportFinding>,
    /// Findings of both, as the later report has them, with `first_seen` from the earlier one.
    pub persisting: Vec<ReportFinding>,
    /// Findings of the earlier report that the later one has not, in the earlier report's order.
    pub resolved: Vec<ReportFinding>,
}

/// The counts of a [`Diff`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct DiffCounts {
    /// New findings.
    pub new: usize,
    /// New findings of severity error.
    pub new_errors: usize,
    /// Persisting findings.
    pub persisting: usize,
    /// Resolved findings.
    pub resolved: usize,
}

impl Diff {
    /// Whether a new finding has severity error (`unisono diff` then exits 1).
    pub fn has_new_errors(&self) -> bool {
        self.summary.new_errors > 0
    }
}

/// Compares two reports by fingerprint. A persisting finding's `first_seen` is the earlier report's
/// `first_seen` for it, else its `at` there. Findings of one fingerprint are matched in order, so a
/// fingerprint found twice before and once after persists once and is resolved once.
pub fn diff(before: &ReportDocument, after: &ReportDocument) -> Diff {
    let mut earlier: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, f) in before.findings.iter().enumerate().rev() {
        earlier.entry(f.fingerprint.as_str()).or_default().push(i);
    }
    let mut matched = vec![false; before.findings.len()];
    let (mut new, mut persisting) = (Vec::new(), Vec::new());
    for f in &after.findings {
        let seen = earlier
            .get_mut(f.fingerprint.as_str())
            .and_then(Vec::pop)
            .and_then(|i| Some((i, before.findings.get(i)?)));
        match seen {
            Some((i, old)) => {
                if let Some(slot) = matched.get_mut(i) {
                    *slot = true;
                }
                let mut f = f.clone();
                f.first_seen = old.seen_since().map(str::to_owned);
                persisting.push(f);
            }
            None => {
                let mut f = f.clone();
                f.first_seen = None;
                new.push(f);
            }
        }
    }
    let resolved: Vec<ReportFinding> = before
        .findings
        .iter()
        .zip(&matched)
        .filter(|(_, m)| !**m)
        .map(|(f, _)| f.clone())
        .collect();
    Diff {
        version: 1,
        summary: DiffCounts {
            new: new.len(),
            new_errors: new.iter().filter(|f| f.severity == Severity::Error).count(),
            persisting: persisting.len(),
            resolved: resolved.len(),
        },
        new,
        persisting,
        resolved,
    }
}

/// The diff as JSON, pretty-printed, with a final newline: `version`, `summary`, then the `new`,
/// `persisting` and `resolved` findings as a report writes them (persisting ones with `first_seen`).
/// It can be read back as the next diff's earlier report ([`ReportDocument::from_json`]).
pub fn diff_json(diff: &Diff) -> String {
    // Plain structs, strings, numbers and JSON values: serializing to a String cannot fail.
    let mut text = serde_json::to_string_pretty(diff).unwrap_or_default();
    text.push('\n');
    text
}

fn line_of(out: &mut String, f: &ReportFinding) {
    let ids = f.rendering_ids().join(", ");
    let sku = f.sku.as_deref().unwrap_or("?");
    let _ = writeln!(
        out,
        "  {}[{}] {ids} ({} · {sku}): {}",
        f.severity.as_str(),
        f.rule,
        f.channel,
        f.message
    );
}

/// The diff for people: three sections, one line per finding, then the counts.
///
/// ```
/// let empty = unisono::report::ReportDocument::default();
/// let d = unisono::report::diff(&empty, &empty);
/// assert_eq!(unisono::report::diff_human(&d), "0 new, 0 persisting, 0 resolved\n");
/// ```
pub fn diff_human(diff: &Diff) -> String {
    let mut out = String::new();
    if !diff.new.is_empty() {
        let _ = writeln!(out, "new ({}):", diff.new.len());
        for f in &diff.new {
            line_of(&mut out, f);
        }
        out.push('\n');
    }
    if !diff.persisting.is_empty() {
        let _ = writeln!(out, "persisting ({}):", diff.persisting.len());
        for f in &diff.persisting {
            line_of(&mut out, f);
            if let Some(since) = &f.first_seen {
                let _ = writeln!(out, "    first seen {since}");
            }
        }
        out.push('\n');
    }
    if !diff.resolved.is_empty() {
        let _ = writeln!(out, "resolved ({}):", diff.resolved.len());
        for f in &diff.resolved {
            line_of(&mut out, f);
        }
        out.push('\n');
    }
    let s = &diff.summary;
    let _ = writeln!(
        out,
        "{} new, {} persisting, {} resolved",
        s.new, s.persisting, s.resolved
    );
    out
}

/// The diff as JUnit XML: a test suite each for new, persisting and resolved findings, one test
/// case per finding (named by rendering and fingerprint); new and persisting error findings fail,
/// resolved ones pass.
///
/// ```
/// let empty = unisono::report::ReportDocument::default();
/// let xml = unisono::report::diff_junit(&unisono::report::diff(&empty, &empty));
/// assert!(xml.contains(r#"<testsuite name="unisono diff: new" tests="0" failures="0""#));
/// ```
pub fn diff_junit(diff: &Diff) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let failing =
        |fs: &[ReportFinding]| fs.iter().filter(|f| f.severity == Severity::Error).count();
    let total = diff.new.len() + diff.persisting.len() + diff.resolved.len();
    let _ = writeln!(
        out,
        "<testsuites name=\"unisono diff\" tests=\"{total}\" failures=\"{}\">",
        failing(&diff.new) + failing(&diff.persisting)
    );
    for (name, findings, fails) in [
        ("new", &diff.new, true),
        ("persisting", &diff.persisting, true),
        ("resolved", &diff.resolved, false),
    ] {
        let _ = writeln!(
            out,
            "  <testsuite name=\"unisono diff: {name}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"0\">",
            findings.len(),
            if fails { failing(findings) } else { 0 }
        );
        for f in findings {
            let head = format!(
                "    <testcase classname=\"{}\" name=\"{} {}\"",
                super::junit::xml(&f.channel),
                super::junit::xml(&f.rendering_ids().join(", ")),
                f.fingerprint
            );
            let mut detail = vec![format!(
                "{}[{}]: {}",
                f.severity.as_str(),
                f.rule,
                f.message
            )];
            if let Some(since) = &f.first_seen {
                detail.push(format!("first seen {since}"));
            }
            detail.extend(f.explanation.iter().cloned());
            let detail = super::junit::xml(&detail.join("\n"));
            if fails && f.severity == Severity::Error {
                let _ = writeln!(
                    out,
                    "{head}>\n      <failure type=\"{}\" message=\"{}\">{detail}</failure>\n    </testcase>",
                    super::junit::xml(&f.rule),
                    super::junit::xml(&f.message)
                );
            } else {
                let _ = writeln!(
                    out,
                    "{head}>\n      <system-out>{detail}</system-out>\n    </testcase>"
                );
            }
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(rule: &str, id: &str, claim: usize, at: &str, first_seen: Option<&str>) -> String {
        let first_seen = first_seen.map_or(String::new(), |s| format!(r#", "first_seen": "{s}""#));
        format!(
            r#"{{"rule": "{rule}", "severity": "error", "rendering": "{id}", "channel": "web-it",
               "sku": "LAPTOP-14", "claim": {claim}, "at": "{at}", "expected": "1.00 EUR",
               "found": "2.00 EUR", "message": "{id} {rule}", "explanation": []{first_seen}}}"#
        )
    }

    fn report(findings: &[String]) -> ReportDocument {
        ReportDocument::from_json(&format!(
            r#"{{"version": 1, "summary": {{"renderings": 9, "claims": 9, "errors": {}, "warnings": 0, "infos": 0}}, "findings": [{}]}}"#,
            findings.len(),
            findings.join(",")
        ))
        .expect("the test report reads")
    }

    const MONDAY: &str = "2026-11-23T09:00:00+01:00";
    const TUESDAY: &str = "2026-11-24T09:00:00+01:00";

    #[test]
    fn new_persisting_and_resolved_by_fingerprint() {
        let before = report(&[
            finding("price.mismatch", "hero", 0, MONDAY, None),
            finding("price.mismatch", "banner", 0, MONDAY, None),
            finding("reference.missing", "hero", 1, MONDAY, None),
        ]);
        let after = report(&[
            finding("price.mismatch", "hero", 0, TUESDAY, None),
            // Same rendering and rule, another claim: another problem.
            finding("price.mismatch", "hero", 2, TUESDAY, None),
            finding("reference.missing", "hero", 1, TUESDAY, None),
        ]);
        let d = diff(&before, &after);
        let names = |fs: &[ReportFinding]| -> Vec<String> {
            fs.iter()
                .map(|f| format!("{} {:?} {}", f.rule, f.rendering, f.claim.unwrap_or(99)))
                .collect()
        };
        assert_eq!(names(&d.new), ["price.mismatch Some(\"hero\") 2"]);
        assert_eq!(
            names(&d.persisting),
            [
                "price.mismatch Some(\"hero\") 0",
                "reference.missing Some(\"hero\") 1"
            ]
        );
        assert_eq!(names(&d.resolved), ["price.mismatch Some(\"banner\") 0"]);
        // Persisting: seen first on Monday (its `at` there), found again on Tuesday.
        assert_eq!(d.persisting[0].first_seen.as_deref(), Some(MONDAY));
        assert_eq!(d.persisting[0].at.as_deref(), Some(TUESDAY));
        assert_eq!(
            d.summary,
            DiffCounts {
                new: 1,
                new_errors: 1,
                persisting: 2,
                resolved: 1
            }
        );
        assert!(d.has_new_errors());
    }

    #[test]
    fn first_seen_is_carried_over_from_the_earlier_report() {
        let sunday = "2026-11-22T09:00:00+01:00";
        let before = report(&[finding("price.mismatch", "hero", 0, MONDAY, Some(sunday))]);
        let after = report(&[finding("price.mismatch", "hero", 0, TUESDAY, None)]);
        let d = diff(&before, &after);
        assert_eq!(d.persisting[0].first_seen.as_deref(), Some(sunday));
        // Through a chain of diffs: the diff's JSON is the next diff's earlier report.
        let wednesday = "2026-11-25T09:00:00+01:00";
        let chained = ReportDocument::from_json(&diff_json(&d)).expect("a diff reads back");
        let next = diff(
            &chained,
            &report(&[finding("price.mismatch", "hero", 0, wednesday, None)]),
        );
        assert_eq!(next.persisting[0].first_seen.as_deref(), Some(sunday));
        assert!(next.new.is_empty() && next.resolved.is_empty());
    }

    #[test]
    fn a_fingerprint_twice_is_matched_once_each() {
        let twice = finding("price.mismatch", "hero", 0, MONDAY, None);
        let d = diff(
            &report(&[twice.clone(), twice]),
            &report(&[finding("price.mismatch", "hero", 0, TUESDAY, None)]),
        );
        assert_eq!(
            (d.new.len(), d.persisting.len(), d.resolved.len()),
            (0, 1, 1)
        );
    }

    #[test]
    fn human_and_junit_forms() {
        let before = report(&[
            finding("price.mismatch", "hero", 0, MONDAY, None),
            finding("price.mismatch", "a<b", 0, MONDAY, None),
        ]);
        let after = report(&[
            finding("price.mismatch", "hero", 0, TUESDAY, None),
            finding("reference.missing", "hero", 1, TUESDAY, None),
        ]);
        let d = diff(&before, &after);
        insta::assert_snapshot!(diff_human(&d), @r"
            new (1):
              error[reference.missing] hero (web-it · LAPTOP-14): hero reference.missing

            persisting (1):
              error[price.mismatch] hero (web-it · LAPTOP-14): hero price.mismatch
                first seen 2026-11-23T09:00:00+01:00

            resolved (1):
              error[price.mismatch] a<b (web-it · LAPTOP-14): a<b price.mismatch

            1 new, 1 persisting, 1 resolved
        ");
        let xml = diff_junit(&d);
        assert!(
            xml.contains(r#"<testsuites name="unisono diff" tests="3" failures="2">"#),
            "{xml}"
        );
        assert!(xml.contains(r#"name="a&lt;b "#), "{xml}");
        assert_eq!(xml.matches("<failure ").count(), 2);
    }
}
