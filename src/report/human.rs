//! The report for people: grouped by rendering, one block per finding, like a compiler's diagnostics.

use std::fmt::Write;

use super::{Safe, count};
use crate::validate::{Finding, Report, Severity};

const RESET: &str = "\x1b[0m";
const BOLD: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";

fn colour(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "\x1b[1;31m",
        Severity::Warning => "\x1b[1;33m",
        Severity::Info | Severity::Allow => "\x1b[1;34m",
    }
}

/// The report as text. `colour` adds ANSI colours (for a terminal only).
///
/// ```
/// let report = unisono::Report::new(3, 7, vec![]);
/// assert_eq!(unisono::report::human(&report, false), "3 renderings, 7 claims: no finding\n");
/// ```
pub fn human(report: &Report, colour: bool) -> String {
    let paint = |code: &'static str| if colour { code } else { "" };
    let mut out = String::new();
    let mut current: Option<(usize, &str)> = None;
    for finding in &report.findings {
        if current != Some((finding.position, finding.rendering.as_str())) {
            if current.is_some() {
                out.push('\n');
            }
            current = Some((finding.position, finding.rendering.as_str()));
            let sku = Safe(finding.sku.as_deref().unwrap_or("?"));
            let _ = writeln!(
                out,
                "{}{}{} ({} · {sku})",
                paint(BOLD),
                Safe(&finding.rendering),
                paint(RESET),
                Safe(&finding.channel)
            );
        }
        write_finding(
            &mut out,
            finding,
            paint(colour_of(finding.severity, colour)),
            paint(RESET),
            paint(DIM),
        );
    }
    if !report.findings.is_empty() {
        out.push('\n');
    }
    let s = &report.summary;
    let findings = if s.errors + s.warnings + s.infos == 0 {
        "no finding".to_owned()
    } else {
        format!(
            "{}, {}, {}",
            count(s.errors, "error"),
            count(s.warnings, "warning"),
            count(s.infos, "info")
        )
    };
    let _ = writeln!(
        out,
        "{}, {}: {findings}",
        count(s.renderings, "rendering"),
        count(s.claims, "claim")
    );
    out
}

fn colour_of(severity: Severity, on: bool) -> &'static str {
    if on { colour(severity) } else { "" }
}

fn write_finding(out: &mut String, f: &Finding, colour: &str, reset: &str, dim: &str) {
    let _ = writeln!(
        out,
        "  {colour}{}[{}]{reset}: {}",
        f.severity.as_str(),
        f.rule.code(),
        Safe(&f.message)
    );
    let mut place = Vec::new();
    if !f.renderings.is_empty() {
        place.push(format!("renderings {}", Safe(&f.renderings.join(", "))));
    }
    if let Some(claim) = f.claim {
        place.push(format!("claim {claim}"));
    }
    if let Some(source) = &f.source {
        place.push(format!("source {}", Safe(source)));
    }
    if let Some(at) = f.at {
        place.push(format!(
            "at {}",
            at.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, false)
        ));
    }
    if !place.is_empty() {
        let _ = writeln!(out, "    {dim}-->{reset} {}", place.join(", "));
    }
    let expected = f.expected.as_ref().map(ToString::to_string);
    let found = f.found.as_ref().map(ToString::to_string);
    match (expected.as_deref().map(Safe), found.as_deref().map(Safe)) {
        (Some(e), Some(found)) => {
            let _ = writeln!(out, "    {dim}={reset} expected {e}, found {found}");
        }
        (Some(e), None) => {
            let _ = writeln!(out, "    {dim}={reset} expected {e}");
        }
        (None, Some(found)) => {
            let _ = writeln!(out, "    {dim}={reset} found {found}");
        }
        (None, None) => {}
    }
    for line in &f.explanation {
        let _ = writeln!(out, "    {dim}= because{reset} {}", Safe(line));
    }
}
