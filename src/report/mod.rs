//! The report in its three forms: JSON (CONTRACT §4), human (like compiler diagnostics) and JUnit XML
//! (so that CI systems show findings natively). Same report, same bytes.

mod human;
mod junit;

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

/// Text that came from input, safe to print on a terminal or in XML: control characters (ESC, CR, LF,
/// BEL, NUL, ...) and the bidirectional controls that reorder what a reader sees (U+202A–U+202E,
/// U+2066–U+2069, U+200E, U+200F, U+061C) are written as Rust escapes, `\u{1b}`. A crafted rendering id
/// cannot then move the cursor, clear the screen or print a fake line. JSON output keeps text as is
/// (JSON escapes it by itself).
///
/// ```
/// let text = unisono::report::Safe("id\u{1b}[2K\rerror: all good").to_string();
/// assert_eq!(text, "id\\u{1b}[2K\\u{d}error: all good");
/// ```
pub struct Safe<'a>(pub &'a str);

impl Safe<'_> {
    fn escapes(c: char) -> bool {
        c.is_control()
            || matches!(
                c,
                '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{061C}'
            )
    }
}

impl std::fmt::Display for Safe<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut rest = self.0;
        while let Some(at) = rest.find(Safe::escapes) {
            f.write_str(rest.get(..at).unwrap_or_default())?;
            let mut chars = rest.get(at..).unwrap_or_default().chars();
            if let Some(c) = chars.next() {
                write!(f, "\\u{{{:x}}}", u32::from(c))?;
            }
            rest = chars.as_str();
        }
        f.write_str(rest)
    }
}

/// `"1 error"`, `"2 warnings"`.
pub(crate) fn count(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}
