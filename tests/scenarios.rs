//! The conformance suite: every folder of `tests/scenarios/` is one case.
//!
//! A case holds `renderings.json` (or `renderings.jsonl`, streamed), `expected.json`, and optionally
//! `catalog.json` (else the catalog that `expected.json` names with `"catalog": "PATH"` relative to
//! the case, else the demo catalog `examples/data/catalog.json`) and `policy.json`. `expected.json` is
//!
//! ```json
//! {"description": "what the case shows",
//!  "near_miss_of": ["discount.overstated"],
//!  "findings": [{"rule": "price.mismatch", "rendering": "r1", "claim": 0,
//!                "at": "2026-11-27T07:00:00+01:00", "expected": "719.20 EUR", "found": "729.00 EUR"}]}
//! ```
//!
//! The report's findings must be exactly `findings`, in order: `rule`, `rendering` (or `renderings`)
//! and `claim` always compared, `at`, `expected`, `found` and `severity` when the case gives them.
//! `near_miss_of` names rules the case comes close to without firing: they must not fire. Over the
//! whole suite, every rule code must fire in some case and be missed narrowly in another.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::Value;
use unisono::{Catalog, Policy, Rule, Validator};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn cases() -> Vec<PathBuf> {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(root())
        .expect("tests/scenarios exists")
        .map(|entry| entry.expect("readable entry").path())
        .filter(|path| path.is_dir())
        .collect();
    cases.sort();
    cases
}

/// Runs one case; returns the rules it fired and the rules it is a near miss of.
fn run(case: &Path) -> Result<(BTreeSet<String>, BTreeSet<String>), String> {
    let catalog_path = case.join("catalog.json");
    let expected: Value = serde_json::from_str(&read(&case.join("expected.json")))
        .map_err(|e| format!("expected.json: {e}"))?;
    // `"catalog": "PATH"`: a catalog shared by several cases, relative to the case.
    let catalog_text = if let Some(shared) = expected["catalog"].as_str() {
        read(&case.join(shared))
    } else if catalog_path.exists() {
        read(&catalog_path)
    } else {
        read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/data/catalog.json"))
    };
    let catalog = Catalog::from_json(&catalog_text).map_err(|e| format!("catalog: {e}"))?;
    let policy_path = case.join("policy.json");
    let policy = if policy_path.exists() {
        Policy::from_json(&read(&policy_path)).map_err(|e| format!("policy: {e}"))?
    } else {
        Policy::default()
    };
    // `renderings.jsonl` is streamed (`validate_lines`, where a bad line is a finding);
    // `renderings.json` is read whole.
    let lines = case.join("renderings.jsonl");

    let validator = Validator::new(&catalog, &policy);
    let report = if lines.exists() {
        validator
            .validate_lines(read(&lines).as_bytes())
            .map_err(|e| format!("renderings.jsonl: {e}"))?
    } else {
        let renderings = unisono::rendering::read_renderings(&read(&case.join("renderings.json")))
            .map_err(|e| format!("renderings: {e}"))?;
        validator.validate_all(&renderings)
    };
    let actual = serde_json::to_value(&report.findings).map_err(|e| e.to_string())?;
    let actual = actual.as_array().cloned().unwrap_or_default();
    let wanted = expected["findings"].as_array().cloned().unwrap_or_default();

    let mut problems = Vec::new();
    let always = ["rule", "rendering", "renderings", "claim"];
    let optional = ["at", "expected", "found", "severity"];
    for i in 0..actual.len().max(wanted.len()) {
        match (actual.get(i), wanted.get(i)) {
            (Some(a), Some(w)) => {
                for key in always {
                    if a.get(key) != w.get(key)
                        && !(w.get(key).is_none() && a.get(key).is_none_or(Value::is_null))
                    {
                        problems.push(format!(
                            "finding {i}: {key} is {}, expected {}",
                            show(a.get(key)),
                            show(w.get(key))
                        ));
                    }
                }
                for key in optional {
                    if w.get(key).is_some() && a.get(key) != w.get(key) {
                        problems.push(format!(
                            "finding {i}: {key} is {}, expected {}",
                            show(a.get(key)),
                            show(w.get(key))
                        ));
                    }
                }
            }
            (Some(a), None) => problems.push(format!("unexpected finding {i}: {a}")),
            (None, Some(w)) => problems.push(format!("missing finding {i}: {w}")),
            (None, None) => {}
        }
    }
    let fired: BTreeSet<String> = report
        .findings
        .iter()
        .map(|f| f.rule.code().to_owned())
        .collect();
    let near: BTreeSet<String> = expected["near_miss_of"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    for rule in &near {
        if rule.parse::<Rule>().is_err() {
            problems.push(format!(
                "near_miss_of names {rule:?}, which is not a rule code"
            ));
        }
        if fired.contains(rule) {
            problems.push(format!("{rule} fired, but the case is a near miss of it"));
        }
    }
    if problems.is_empty() {
        Ok((fired, near))
    } else {
        let human = unisono::report::human(&report, false);
        Err(format!("{}\n--- report ---\n{human}", problems.join("\n")))
    }
}

fn show(v: Option<&Value>) -> String {
    v.map_or_else(|| "absent".to_owned(), Value::to_string)
}

#[test]
fn every_scenario_gives_exactly_its_expected_findings() {
    let cases = cases();
    assert!(!cases.is_empty(), "no scenario in tests/scenarios");
    let mut failures = Vec::new();
    let (mut fired, mut near) = (BTreeSet::new(), BTreeSet::new());
    for case in &cases {
        match run(case) {
            Ok((f, n)) => {
                fired.extend(f);
                near.extend(n);
            }
            Err(why) => failures.push(format!(
                "== {}\n{why}",
                case.file_name().unwrap_or_default().to_string_lossy()
            )),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} scenarios failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );

    let never_fired: Vec<&str> = Rule::ALL
        .iter()
        .map(Rule::code)
        .filter(|c| !fired.contains(*c))
        .collect();
    let never_missed: Vec<&str> = Rule::ALL
        .iter()
        .map(Rule::code)
        .filter(|c| !near.contains(*c))
        .collect();
    assert!(
        never_fired.is_empty(),
        "rules no scenario fires: {never_fired:?}"
    );
    assert!(
        never_missed.is_empty(),
        "rules no scenario is a near miss of: {never_missed:?}"
    );
}
