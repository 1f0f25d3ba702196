//! A report read back from its JSON (CONTRACT §4, with §14's fields): what `unisono diff` compares
//! and `unisono report --html` draws. Rule codes stay strings, so that a report of a newer version,
//! with codes this one does not know, is still read.

use serde::{Deserialize, Serialize};

use crate::validate::{Report, Severity};

/// One finding as a report document holds it: the JSON of [`Finding`](crate::Finding), values as text.
///
/// `evidence` is kept as it came (an object, or a list beside `renderings`), and so written back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportFinding {
    /// The rule code, e.g. `"price.mismatch"`.
    pub rule: String,
    /// Its severity.
    pub severity: Severity,
    /// The rendering's id (absent for a cross-channel finding).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rendering: Option<String>,
    /// Every rendering involved in a cross-channel finding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renderings: Option<Vec<String>>,
    /// The channel.
    pub channel: String,
    /// The product's SKU, when known.
    #[serde(default)]
    pub sku: Option<String>,
    /// The claim's index in the rendering.
    #[serde(default)]
    pub claim: Option<usize>,
    /// The claim's `source`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The first instant the claim fails, RFC 3339.
    #[serde(default)]
    pub at: Option<String>,
    /// What the catalog says.
    #[serde(default)]
    pub expected: Option<String>,
    /// What the rendering says.
    #[serde(default)]
    pub found: Option<String>,
    /// For people.
    pub message: String,
    /// Why the catalog expects what it does.
    #[serde(default)]
    pub explanation: Vec<String>,
    /// The rendering's evidence, untouched.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<serde_json::Value>,
    /// CONTRACT §14; computed from the other fields when a (v1) report has none.
    #[serde(default)]
    pub fingerprint: String,
    /// When the problem was first seen, as `unisono diff` carries it across runs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_seen: Option<String>,
}

impl ReportFinding {
    /// The ids of the renderings involved: `renderings`, else `rendering`.
    pub fn rendering_ids(&self) -> Vec<&str> {
        match (&self.renderings, &self.rendering) {
            (Some(many), _) => many.iter().map(String::as_str).collect(),
            (None, Some(one)) => vec![one.as_str()],
            (None, None) => Vec::new(),
        }
    }

    /// When it was first seen: `first_seen`, else `at`.
    pub fn seen_since(&self) -> Option<&str> {
        self.first_seen.as_deref().or(self.at.as_deref())
    }

    fn fill_fingerprint(&mut self) {
        if self.fingerprint.is_empty() {
            self.fingerprint = super::fingerprint(
                &self.rule,
                &self.channel,
                self.sku.as_deref(),
                &self.rendering_ids(),
                self.claim,
            );
        }
    }
}

impl From<&crate::Finding> for ReportFinding {
    fn from(f: &crate::Finding) -> ReportFinding {
        let cross = !f.renderings.is_empty();
        let evidence = match (cross, f.evidence.as_slice()) {
            (_, []) => None,
            (false, [one]) => one.as_ref().and_then(|e| serde_json::to_value(e).ok()),
            (_, many) => serde_json::to_value(many).ok(),
        };
        ReportFinding {
            rule: f.rule.code().to_owned(),
            severity: f.severity,
            rendering: (!cross).then(|| f.rendering.clone()),
            renderings: cross.then(|| f.renderings.clone()),
            channel: f.channel.clone(),
            sku: f.sku.clone(),
            claim: f.claim,
            source: f.source.clone(),
            at: f
                .at
                .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, false)),
            expected: f.expected.as_ref().map(ToString::to_string),
            found: f.found.as_ref().map(ToString::to_string),
            message: f.message.clone(),
            explanation: f.explanation.clone(),
            evidence,
            fingerprint: f.fingerprint(),
            first_seen: None,
        }
    }
}

/// A report's counts as read: those of CONTRACT §4 (a count left out is 0); the severities' are
/// counted from the findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ReportCounts {
    /// Renderings checked.
    pub renderings: usize,
    /// Claims checked.
    pub claims: usize,
    /// Error findings.
    pub errors: usize,
    /// Warning findings.
    pub warnings: usize,
    /// Info findings.
    pub infos: usize,
}

/// A report read from its JSON, or made from a [`Report`].
///
/// ```
/// let doc = unisono::report::ReportDocument::from_json(r#"{"version": 1,
///   "summary": {"renderings": 1, "claims": 1, "errors": 1, "warnings": 0, "infos": 0},
///   "findings": [{"rule": "price.mismatch", "severity": "error", "rendering": "hero", "channel": "email-it",
///     "sku": "LAPTOP-14", "claim": 0, "at": "2026-11-28T07:00:00+01:00", "expected": "719.20 EUR",
///     "found": "729.00 EUR", "message": "email-it shows 729.00 EUR", "explanation": []}]}"#)?;
/// // A v1 report has no fingerprints: they are computed as a v2 report would carry them.
/// assert_eq!(doc.findings[0].fingerprint, unisono::report::fingerprint("price.mismatch", "email-it",
///     Some("LAPTOP-14"), &["hero"], Some(0)));
/// # Ok::<(), unisono::report::ReportError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ReportDocument {
    /// The counts.
    pub summary: ReportCounts,
    /// The findings, in the report's order.
    pub findings: Vec<ReportFinding>,
}

/// The JSON of a report, or of `unisono diff --format json` (whose `new` and `persisting` are the
/// findings of its later report, with their `first_seen`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Wire {
    version: u32,
    summary: serde_json::Value,
    #[serde(default)]
    findings: Option<Vec<ReportFinding>>,
    #[serde(default)]
    new: Option<Vec<ReportFinding>>,
    #[serde(default)]
    persisting: Option<Vec<ReportFinding>>,
    #[serde(default)]
    resolved: Option<Vec<ReportFinding>>,
}

/// A report that cannot be read: where, and what was expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{line}:{column}: {path}: {message}")]
pub struct ReportError {
    /// JSON path of the value at fault (`.` for the document).
    pub path: String,
    /// 1-based line (0 when not known).
    pub line: usize,
    /// 1-based column (0 when not known).
    pub column: usize,
    /// What was expected, at most 200 characters of it.
    pub message: String,
}

/// At most `limit` characters of `text`, with `…` where it was cut.
fn cut(text: &str, limit: usize) -> String {
    match text.char_indices().nth(limit) {
        Some((at, _)) => format!("{}…", text.get(..at).unwrap_or_default()),
        None => text.to_owned(),
    }
}

impl ReportDocument {
    /// Reads a report (CONTRACT §4 and §14), or the JSON `unisono diff` prints (its `new` and
    /// `persisting` findings are then the report's, so that a diff can be the next diff's `--before`).
    ///
    /// # Errors
    /// [`ReportError`] with the path, line and column of the first bad value.
    pub fn from_json(text: &str) -> Result<ReportDocument, ReportError> {
        let error = |path: String, e: &serde_json::Error| ReportError {
            path,
            line: e.line(),
            column: e.column(),
            message: cut(&crate::read::catalog::message_of(e), 200),
        };
        let mut de = serde_json::Deserializer::from_str(text);
        let wire: Wire = serde_path_to_error::deserialize(&mut de)
            .map_err(|e| error(e.path().to_string(), e.inner()))?;
        de.end().map_err(|e| error(".".to_owned(), &e))?;
        let plain = |message: String| ReportError {
            path: ".".to_owned(),
            line: 0,
            column: 0,
            message,
        };
        if wire.version != 1 {
            return Err(plain(format!(
                "version {} is not a report version this reader knows (1)",
                wire.version
            )));
        }
        let (findings, summary) = match (wire.findings, wire.new, wire.persisting, wire.resolved) {
            (Some(findings), None, None, None) => {
                let summary = serde_json::from_value(wire.summary)
                    .map_err(|e| error("summary".to_owned(), &e))?;
                (findings, summary)
            }
            (None, Some(mut new), Some(persisting), Some(_)) => {
                new.extend(persisting);
                (new, ReportCounts::default())
            }
            _ => {
                return Err(plain(
                    "expected a report (\"findings\") or a diff (\"new\", \"persisting\", \"resolved\")"
                        .to_owned(),
                ));
            }
        };
        let mut doc = ReportDocument { summary, findings };
        for f in &mut doc.findings {
            f.fill_fingerprint();
        }
        // The severities' counts are the findings': a diff has none, and a report's agree with them.
        doc.summary = doc.counted();
        Ok(doc)
    }

    /// Counts of the findings by severity (renderings and claims are not known from findings).
    fn counted(&self) -> ReportCounts {
        let count = |s: Severity| self.findings.iter().filter(|f| f.severity == s).count();
        ReportCounts {
            renderings: self.summary.renderings,
            claims: self.summary.claims,
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            infos: count(Severity::Info),
        }
    }
}

impl From<&Report> for ReportDocument {
    fn from(report: &Report) -> ReportDocument {
        let s = &report.summary;
        ReportDocument {
            summary: ReportCounts {
                renderings: s.renderings,
                claims: s.claims,
                errors: s.errors,
                warnings: s.warnings,
                infos: s.infos,
            },
            findings: report.findings.iter().map(ReportFinding::from).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_reads_back_as_it_was_written() {
        let catalog = crate::Catalog::from_json(include_str!("../../examples/data/catalog.json"))
            .expect("demo catalog compiles");
        let renderings =
            crate::rendering::read_renderings(include_str!("../../examples/data/renderings.json"))
                .expect("demo renderings parse");
        let report =
            crate::Validator::new(&catalog, &crate::Policy::default()).validate_all(&renderings);
        let read = ReportDocument::from_json(&super::super::json(&report)).expect("reads");
        assert_eq!(read, ReportDocument::from(&report));
        assert!(read.findings.len() > 10);
    }

    #[test]
    fn errors_name_the_path_and_are_cut() {
        let long = "x".repeat(500);
        let text = format!(
            r#"{{"version": 1, "summary": {{}}, "findings": [{{"rule": "a", "severity": "fatal{long}"}}]}}"#
        );
        let e = ReportDocument::from_json(&text).expect_err("a bad severity");
        assert_eq!(e.path, "findings[0].severity");
        assert_eq!(e.line, 1);
        assert!(e.message.chars().count() <= 201, "{}", e.message);
        assert!(e.message.starts_with("unknown variant"), "{}", e.message);
    }

    #[test]
    fn neither_report_nor_diff_is_refused() {
        let e = ReportDocument::from_json(r#"{"version": 1, "summary": {}}"#).expect_err("empty");
        assert!(e.message.starts_with("expected a report"), "{}", e.message);
        let e = ReportDocument::from_json(r#"{"version": 2, "summary": {}, "findings": []}"#)
            .expect_err("version");
        assert!(e.message.contains("version 2"), "{}", e.message);
    }
}
