//! Reports across runs and for people (CONTRACT §14, issue 22): fingerprints, evidence echoed,
//! `unisono diff`, and the HTML page from `validate --format html` and `report --html`.

mod common;

use std::path::{Path, PathBuf};

use common::{run, stderr, stdout, workspace};
use serde_json::{Value, json};
use unisono::{Catalog, Policy, Validator};

fn scratch_file(name: &str, text: &str) -> PathBuf {
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("runs-{name}"));
    std::fs::write(&path, text).expect("the scratch directory is writable");
    path
}

fn demo(file: &str) -> String {
    workspace()
        .join("examples/data")
        .join(file)
        .display()
        .to_string()
}

fn demo_catalog() -> Catalog {
    Catalog::from_json(include_str!("../examples/data/catalog.json")).expect("demo catalog")
}

const PAGE: &str = r#"{"id": "page", "channel": "web-it", "sku": "LAPTOP-14", "shown": {"at": "2026-11-28T10:00:00+01:00"},
  "claims": [{"price": "719.20 EUR"}], "evidence": {"url": "https://shop.example/laptop-14", "sha256": "ab12"}}"#;
const HERO: &str = r#"{"id": "hero", "channel": "email-it", "sku": "LAPTOP-14", "shown": {"at": "2026-11-28T10:00:00+01:00"},
  "claims": [{"price": "729.00 EUR"}]}"#;

#[test]
fn evidence_is_echoed_in_findings_untouched() {
    let catalog = demo_catalog();
    let renderings: Vec<unisono::Rendering> =
        serde_json::from_str(&format!("[{PAGE}, {HERO}]")).expect("renderings");
    let report = Validator::new(&catalog, &Policy::default()).validate_all(&renderings);
    let json: Value = serde_json::from_str(&unisono::report::json(&report)).expect("JSON");
    let findings = json["findings"].as_array().expect("findings");
    // The cross-channel finding: one entry per rendering, in the order of `renderings`.
    assert_eq!(findings[0]["rule"], "cross.price_divergence");
    assert_eq!(findings[0]["renderings"], json!(["page", "hero"]));
    assert_eq!(
        findings[0]["evidence"],
        json!([{"url": "https://shop.example/laptop-14", "sha256": "ab12"}, null])
    );
    // The hero's own finding: it carries no evidence, so none is written.
    assert_eq!(findings[1]["rule"], "price.mismatch");
    assert!(findings[1].get("evidence").is_none());
    // Every finding has its fingerprint, 32 hex digits.
    for f in findings {
        let fp = f["fingerprint"].as_str().expect("a fingerprint");
        assert!(
            fp.len() == 32 && fp.chars().all(|c| c.is_ascii_hexdigit()),
            "{fp}"
        );
    }
    // A rendering's own finding with evidence: the object as written.
    let wrong_page: Vec<unisono::Rendering> =
        serde_json::from_str(&format!("[{}]", PAGE.replace("719.20", "700.00"))).expect("page");
    let report = Validator::new(&catalog, &Policy::default()).validate_all(&wrong_page);
    let json: Value = serde_json::from_str(&unisono::report::json(&report)).expect("JSON");
    assert_eq!(
        json["findings"][0]["evidence"],
        json!({"url": "https://shop.example/laptop-14", "sha256": "ab12"})
    );
}

#[test]
fn the_same_problem_tomorrow_has_the_same_fingerprint() {
    let catalog = demo_catalog();
    let today: Vec<unisono::Rendering> =
        serde_json::from_str(&format!("[{HERO}]")).expect("renderings");
    // Tomorrow the newsletter shows another wrong price at another time: the same problem.
    let tomorrow: Vec<unisono::Rendering> = serde_json::from_str(&format!(
        "[{}]",
        HERO.replace("729.00", "739.00")
            .replace("2026-11-28T10", "2026-11-29T10")
    ))
    .expect("renderings");
    let validator = Validator::new(&catalog, &Policy::default());
    let a = validator.validate_all(&today);
    let b = validator.validate_all(&tomorrow);
    assert_ne!(a.findings[0].found, b.findings[0].found);
    assert_eq!(a.findings[0].fingerprint(), b.findings[0].fingerprint());
}

#[test]
fn diff_prints_new_persisting_and_resolved() {
    let before = scratch_file(
        "before.json",
        &run_json(&format!("[{HERO}]"), "before-renderings.json"),
    );
    let after_renderings = format!(
        "[{}, {}]",
        HERO.replace("2026-11-28T10", "2026-11-29T10"),
        PAGE.replace("719.20", "700.00")
            .replace("2026-11-28T10", "2026-11-29T10")
    );
    let after = scratch_file(
        "after.json",
        &run_json(&after_renderings, "after-renderings.json"),
    );
    let args = |format: &str| {
        vec![
            "diff".to_owned(),
            "--before".to_owned(),
            before.display().to_string(),
            "--after".to_owned(),
            after.display().to_string(),
            "--format".to_owned(),
            format.to_owned(),
        ]
    };
    let argv = args("json");
    let output = run(&argv.iter().map(String::as_str).collect::<Vec<_>>());
    // A new error finding: exit 1.
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let d: Value = serde_json::from_str(&stdout(&output)).expect("the diff is JSON");
    assert_eq!(
        d["summary"],
        json!({"new": 2, "new_errors": 2, "persisting": 1, "resolved": 0})
    );
    assert_eq!(d["persisting"][0]["rendering"], "hero");
    assert_eq!(
        d["persisting"][0]["first_seen"],
        "2026-11-28T10:00:00+01:00"
    );
    assert_eq!(d["persisting"][0]["at"], "2026-11-29T10:00:00+01:00");
    let mut new: Vec<String> = d["new"]
        .as_array()
        .expect("new")
        .iter()
        .map(|f| {
            format!(
                "{} {}",
                f["rule"].as_str().unwrap_or_default(),
                f["fingerprint"].as_str().map_or(0, str::len)
            )
        })
        .collect();
    new.sort();
    assert_eq!(new, ["cross.price_divergence 32", "price.mismatch 32"]);
    let argv = args("human");
    let human = stdout(&run(&argv.iter().map(String::as_str).collect::<Vec<_>>()));
    assert!(
        human.ends_with("2 new, 1 persisting, 0 resolved\n"),
        "{human}"
    );
    assert!(
        human.contains("    first seen 2026-11-28T10:00:00+01:00\n"),
        "{human}"
    );
    // Reversed: the new ones are resolved, nothing is new, exit 0.
    let output = run(&[
        "diff",
        "--before",
        &after.display().to_string(),
        "--after",
        &before.display().to_string(),
        "--format",
        "junit",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let xml = stdout(&output);
    assert!(
        xml.contains(r#"<testsuite name="unisono diff: resolved" tests="2" failures="0""#),
        "{xml}"
    );
}

fn run_json(renderings: &str, name: &str) -> String {
    let path = scratch_file(name, renderings);
    let output = run(&[
        "validate",
        "--catalog",
        &demo("catalog.json"),
        "--renderings",
        &path.display().to_string(),
        "--format",
        "json",
    ]);
    stdout(&output)
}

#[test]
fn diff_names_the_file_and_path_of_a_bad_report() {
    let bad = scratch_file(
        "bad.json",
        "{\"version\": 1, \"summary\": {},\n \"findings\": [{\"rule\": 3}]}",
    );
    let output = run(&[
        "diff",
        "--before",
        &bad.display().to_string(),
        "--after",
        &bad.display().to_string(),
    ]);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(
        message.starts_with(&format!("error: {}:2:", bad.display())),
        "{message}"
    );
    assert!(
        message.contains("findings[0].rule: invalid type: integer `3`, expected a string"),
        "{message}"
    );
}

/// `validate --format html` and `report --html` of its JSON with the same catalog and renderings
/// are the same page, byte for byte.
#[test]
fn validate_html_is_report_html_of_the_json() {
    let args = |format: &str| {
        vec![
            "validate".to_owned(),
            "--catalog".to_owned(),
            demo("catalog.json"),
            "--renderings".to_owned(),
            demo("renderings.json"),
            "--policy".to_owned(),
            demo("policy.json"),
            "--format".to_owned(),
            format.to_owned(),
        ]
    };
    let html_args = args("html");
    let page = run(&html_args.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(page.status.code(), Some(1), "{}", stderr(&page));
    let json_args = args("json");
    let report = scratch_file(
        "demo-report.json",
        &stdout(&run(&json_args
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>())),
    );
    let drawn = run(&[
        "report",
        "--html",
        &report.display().to_string(),
        "--catalog",
        &demo("catalog.json"),
        "--renderings",
        &demo("renderings.json"),
    ]);
    assert_eq!(drawn.status.code(), Some(0), "{}", stderr(&drawn));
    assert_eq!(stdout(&page), stdout(&drawn));
    // The demo's page, as `unisono demo --format html` prints it, is that page too.
    let demo_page = run(&["demo", "--format", "html"]);
    assert_eq!(stdout(&demo_page), stdout(&page));
    let text = stdout(&page);
    assert!(text.starts_with("<!DOCTYPE html>"));
    assert_eq!(
        text.matches("<svg ").count(),
        0,
        "strips are data, drawn by the script"
    );
    assert_eq!(
        text.matches("\\u003csvg ").count(),
        10,
        "a strip for each product with findings"
    );
}
