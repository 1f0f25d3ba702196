//! The report as JUnit XML: one test case per rendering, one failure per error finding; warnings and
//! infos go to the test case's output.

use std::fmt::Write;

use super::Safe;
use crate::rendering::Rendering;
use crate::validate::{Finding, Report, Severity};

/// XML 1.0 §2.2 `Char`: `#x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]`.
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Escapes text for XML attributes and content.
fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // XML 1.0 §2.2 cannot carry control characters, U+FFFE or U+FFFF, even escaped.
            c if !is_xml_char(c) => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

fn detail(f: &Finding) -> String {
    let mut lines = Vec::new();
    if let Some(claim) = f.claim {
        lines.push(format!("claim {claim}"));
    }
    if let Some(at) = f.at {
        lines.push(format!(
            "at {}",
            at.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, false)
        ));
    }
    if let Some(e) = &f.expected {
        lines.push(format!("expected {}", Safe(&e.to_string())));
    }
    if let Some(found) = &f.found {
        lines.push(format!("found {}", Safe(&found.to_string())));
    }
    lines.extend(f.explanation.iter().map(|line| Safe(line).to_string()));
    lines.join("\n")
}

/// The report as JUnit XML. `renderings` are the renderings validated, in input order, so that every
/// one has its test case, passing or not.
///
/// ```
/// let r: unisono::Rendering = serde_json::from_str(r#"{"id": "a&b", "channel": "web-it", "sku": "X", "shown": {"at": "2026-11-28T10:00:00Z"}}"#)?;
/// let xml = unisono::report::junit(&unisono::Report::new(1, 0, vec![]), &[r]);
/// assert!(xml.contains(r#"<testcase classname="web-it" name="a&amp;b"/>"#));
/// # Ok::<(), serde_json::Error>(())
/// ```
pub fn junit(report: &Report, renderings: &[Rendering]) -> String {
    let mut by_position: Vec<Vec<&Finding>> = vec![Vec::new(); renderings.len()];
    for f in &report.findings {
        if let Some(slot) = by_position.get_mut(f.position) {
            slot.push(f);
        }
    }
    // A test case fails when it has an error finding: the counts are of test cases, as JUnit's are.
    let failing = by_position
        .iter()
        .filter(|findings| findings.iter().any(|f| f.severity == Severity::Error))
        .count();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"unisono\" tests=\"{}\" failures=\"{}\">",
        renderings.len(),
        failing
    );
    let _ = writeln!(
        out,
        "  <testsuite name=\"unisono validate\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"0\">",
        renderings.len(),
        failing
    );
    for (rendering, findings) in renderings.iter().zip(&by_position) {
        let head = format!(
            "    <testcase classname=\"{}\" name=\"{}\"",
            xml(&Safe(&rendering.channel).to_string()),
            xml(&Safe(&rendering.id).to_string())
        );
        if findings.is_empty() {
            let _ = writeln!(out, "{head}/>");
            continue;
        }
        let _ = writeln!(out, "{head}>");
        for f in findings.iter().filter(|f| f.severity == Severity::Error) {
            let _ = writeln!(
                out,
                "      <failure type=\"{}\" message=\"{}\">{}</failure>",
                f.rule.code(),
                xml(&Safe(&f.message).to_string()),
                xml(&detail(f))
            );
        }
        let notes: Vec<String> = findings
            .iter()
            .filter(|f| f.severity != Severity::Error)
            .map(|f| {
                format!(
                    "{}[{}]: {}\n{}",
                    f.severity.as_str(),
                    f.rule.code(),
                    Safe(&f.message),
                    detail(f)
                )
            })
            .collect();
        if !notes.is_empty() {
            let _ = writeln!(
                out,
                "      <system-out>{}</system-out>",
                xml(&notes.join("\n\n"))
            );
        }
        out.push_str("    </testcase>\n");
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}
