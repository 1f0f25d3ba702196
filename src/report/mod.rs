//! The report in its forms: JSON (CONTRACT §4), human (like compiler diagnostics), JUnit XML (so
//! that CI systems show findings natively) and one self-contained HTML page (for the people who fix
//! prices); reports read back and compared across runs (CONTRACT §14). Same report, same bytes.

mod diff;
mod document;
mod fingerprint;
mod html;
mod human;
mod junit;

pub use diff::{Diff, DiffCounts, diff, diff_human, diff_json, diff_junit};
pub use document::{ReportCounts, ReportDocument, ReportError, ReportFinding};
pub use fingerprint::fingerprint;
pub use html::{HtmlOptions, Showing, html};
pub use human::human;
pub use junit::junit;

use crate::validate::Report;

/// The report as CONTRACT §4's JSON, pretty-printed, with a final newline.
///
/// ```
/// let report = unisono::Report::new(0, 0, vec![]);
/// assert_eq!(unisono::report::json(&report), "{\n  \"version\": 1,\n  \"summary\": {\n    \"renderings\": 0,\n    \"claims\": 0,\n    \"errors\": 0,\n    \"warnings\": 0,\n    \"infos\": 0\n  },\n  \"findings\": []\n}\n");
/// ```
pub fn json(report: &Report) -> String {
    // Serializing plain structs, strings and numbers to a String cannot fail.
    let mut text = serde_json::to_string_pretty(report).unwrap_or_default();
    text.push('\n');
    text
}

/// `"1 error"`, `"2 warnings"`.
pub(crate) fn count(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}
