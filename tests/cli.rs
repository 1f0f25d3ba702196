//! The `unisono` command line against CONTRACT §5: its output, its exit status and its messages.
//!
//! The binary is built once with cargo and run from the target directory (`tests/common`).

mod common;

use std::path::{Path, PathBuf};

use common::{run, run_with_stdin, stderr, stdout, workspace};

use serde_json::{Value, json};

const DEMO: &str = include_str!("../examples/data/catalog.json");

fn demo_catalog() -> String {
    workspace()
        .join("examples/data/catalog.json")
        .display()
        .to_string()
}

/// `unisono validate` of `renderings` against the demo catalog, with `more` arguments.
fn validate_demo(renderings: &str, more: &[&str]) -> std::process::Output {
    let catalog = demo_catalog();
    let mut args = vec![
        "validate",
        "--catalog",
        &catalog,
        "--renderings",
        renderings,
    ];
    args.extend_from_slice(more);
    run(&args)
}

/// A file in this test target's scratch directory, written with `text`.
fn scratch_file(name: &str, text: &str) -> PathBuf {
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("cli-{name}"));
    std::fs::write(&path, text).expect("the scratch directory is writable");
    path
}

/// CONTRACT §5, the example offer, computed by hand (see tests/offers.rs): BF26 -20 % on 899.00.
fn contract_example() -> Value {
    json!({
        "sku": "LAPTOP-14", "channel": "web-it", "at": "2026-11-28T10:00:00+01:00",
        "regular_price": "899.00 EUR", "price": "719.20 EUR", "member_price": "719.20 EUR",
        "prior_price": "899.00 EUR", "promotions": ["BF26"], "available": 8, "availability": "in_stock",
        "valid_until": "2026-12-01T00:00:00+01:00",
        "explanation": ["price 899.00 EUR (IT, from 2026-01-01)", "promotion BF26 -20% -> 719.20 EUR"]
    })
}

const OFFER_ARGS: [&str; 6] = [
    "--sku",
    "LAPTOP-14",
    "--channel",
    "web-it",
    "--at",
    "2026-11-28T10:00:00+01:00",
];

/// CONTRACT §5: `unisono offer` prints the canonical offer as JSON.
#[test]
fn offer_prints_the_contract_example() {
    let catalog = demo_catalog();
    let mut args = vec!["offer", "--catalog", &catalog];
    args.extend(OFFER_ARGS);
    let output = run(&args);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let printed: Value = serde_json::from_str(&stdout(&output)).expect("stdout is JSON");
    assert_eq!(printed, contract_example());
}

/// CONTRACT §5: `-` reads standard input.
#[test]
fn offer_reads_the_catalog_from_stdin() {
    let mut args = vec!["offer", "--catalog", "-"];
    args.extend(OFFER_ARGS);
    let output = run_with_stdin(&args, DEMO);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let printed: Value = serde_json::from_str(&stdout(&output)).expect("stdout is JSON");
    assert_eq!(printed, contract_example());
}

/// CONTRACT §1 and §5: an instant without an offset is a usage error (exit 2) that says so.
#[test]
fn offer_at_without_offset_exits_2() {
    let catalog = demo_catalog();
    let output = run(&[
        "offer",
        "--catalog",
        &catalog,
        "--sku",
        "LAPTOP-14",
        "--channel",
        "web-it",
        "--at",
        "2026-11-28T10:00:00",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    insta::assert_snapshot!(stderr(&output), @r#"error: --at: "2026-11-28T10:00:00" has no UTC offset: write it as RFC 3339, like "2026-11-27T00:00:00+01:00""#);
}

/// An unknown product is an input error: exit 2, the SKU named on stderr.
#[test]
fn offer_of_an_unknown_product_exits_2() {
    let catalog = demo_catalog();
    let output = run(&[
        "offer",
        "--catalog",
        &catalog,
        "--sku",
        "NOPE-1",
        "--channel",
        "web-it",
        "--at",
        "2026-11-28T10:00:00+01:00",
    ]);
    assert_eq!(output.status.code(), Some(2));
    insta::assert_snapshot!(stderr(&output), @r#"error: product "NOPE-1" is not in the catalog"#);
}

/// CONTRACT §5: a missing file is an input error naming the file.
#[test]
fn missing_catalog_file_exits_2() {
    let missing = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli-no-such-catalog.json");
    let missing = missing.display().to_string();
    let output = run(&["lint", "--catalog", &missing]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains(&missing), "{}", stderr(&output));
}

/// CONTRACT §5: `unisono lint` on a sound catalog exits 0. The demo catalog has nothing to warn
/// about either: every channel has a location, every product a price, every promotion a target.
#[test]
fn lint_of_the_demo_catalog_exits_0() {
    let catalog = demo_catalog();
    let output = run(&["lint", "--catalog", &catalog]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(output.stderr.is_empty(), "{}", stderr(&output));
    let out = stdout(&output);
    assert!(!out.contains("warning:"), "{out}");
}

/// CONTRACT §5: every load problem, each with its JSON path, and the file name; exit 2.
#[test]
fn lint_of_a_bad_catalog_lists_every_problem() {
    let bad = scratch_file(
        "bad-catalog.json",
        r#"{
  "markets": [{"id": "IT", "currency": "EUR", "time_zone": "Europe/Rome"},
              {"id": "IT", "currency": "EUR", "time_zone": "Europe/Rome"}],
  "products": [{"sku": "P", "title": "P", "gtin": "8012345678901"}],
  "prices": [{"sku": "P", "market": "IT", "amount": "12.345 EUR", "from": "2026-01-01T00:00:00+01:00"}],
  "stock": [{"sku": "P", "location": "nowhere", "on_hand": -3, "as_of": "2026-11-15T08:00:00"}]
}"#,
    );
    let name = bad.display().to_string();
    let output = run(&["lint", "--catalog", &name]);
    assert_eq!(output.status.code(), Some(2));
    insta::assert_snapshot!(stderr(&output).replace(&name, "FILE"), @r#"
    error: FILE: the catalog has 6 problems:
      markets[1].id: "IT" is already used by another entry: ids must be unique
      products[0].gtin: "8012345678901" is not a GTIN: check digit is 1, expected 7
      prices[0].amount: "12.345 EUR" has 3 decimals, EUR has 2
      stock[0].location: location "nowhere" is not in locations
      stock[0].on_hand: -3 is negative: expected 0 or more units
      stock[0].as_of: "2026-11-15T08:00:00" has no UTC offset: write it as RFC 3339, like "2026-11-27T00:00:00+01:00"
    "#);
}

/// CONTRACT §5: a syntax error names file:line:column. The missing comma is met at the `"` of
/// "currency", line 3, column 17 (serde_json counts both from 1).
#[test]
fn lint_of_malformed_json_names_file_line_and_column() {
    let bad = scratch_file(
        "malformed.json",
        "{\n  \"markets\": [\n    {\"id\": \"IT\" \"currency\": \"EUR\"}\n  ]\n}\n",
    );
    let name = bad.display().to_string();
    let output = run(&["lint", "--catalog", &name]);
    assert_eq!(output.status.code(), Some(2));
    insta::assert_snapshot!(stderr(&output).replace(&name, "FILE"), @"error: FILE:3:17: markets[0].?: expected `,` or `}`");
}

/// CONTRACT §1: an unknown field is refused with its path and position.
#[test]
fn lint_of_an_unknown_field_names_its_path() {
    let bad = scratch_file(
        "unknown-field.json",
        "{\n  \"locations\": [{\"id\": \"wh\", \"knid\": \"store\"}]\n}\n",
    );
    let name = bad.display().to_string();
    let output = run(&["lint", "--catalog", &name]);
    assert_eq!(output.status.code(), Some(2));
    // `  "locations": [{"id": "wh", "knid"`: the key's closing quote is column 35 of line 2.
    insta::assert_snapshot!(stderr(&output).replace(&name, "FILE"), @"error: FILE:2:35: locations[0].knid: unknown field `knid`, expected one of `id`, `kind`, `meta`");
}

/// `lint --catalog -` reads standard input too.
#[test]
fn lint_reads_stdin() {
    let output = run_with_stdin(&["lint", "--catalog", "-"], DEMO);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
}

/// A cell of the offers table: a price (`719.20`, `719.20*` during a reduction), `-` (not sold there)
/// or `?` (no price).
fn is_table_cell(cell: &str) -> bool {
    let price = cell.strip_suffix('*').unwrap_or(cell);
    cell == "-"
        || cell == "?"
        || price.split_once('.').is_some_and(|(units, cents)| {
            !units.is_empty()
                && cents.len() == 2
                && units
                    .bytes()
                    .chain(cents.bytes())
                    .all(|b| b.is_ascii_digit())
        })
}

/// The table rows of `sku`, split on blanks: the SKU, then one cell per channel of the demo (seven).
fn rows_of(table: &str, sku: &str) -> Vec<Vec<String>> {
    table
        .lines()
        .map(|line| {
            line.split_whitespace()
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .filter(|cells| {
            cells.len() == 8 && cells[0] == sku && cells[1..].iter().all(|cell| is_table_cell(cell))
        })
        .collect()
}

fn cells(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| (*c).to_owned()).collect()
}

/// CONTRACT §5 `unisono demo` validates the bundled catalog and renderings and prints the report;
/// its planted mistakes are the point of the demo, not a failure of the command.
#[test]
fn demo_exits_0_and_prints_a_report() {
    let output = run(&["demo"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(output.stderr.is_empty(), "{}", stderr(&output));
    assert!(!output.stdout.is_empty());
}

/// `unisono demo --offers` prints, at three instants (2026-11-20 12:00, 2026-11-28 10:00,
/// 2026-12-02 10:00), the price on each channel (web-it, app-it, email-it, tv-it, print-it,
/// store-roma, store-milano), `*` marking a reduction. LAPTOP-14: BF26 -20 % only on
/// web/app/email/tv during Black Friday.
#[test]
fn demo_offers_prints_the_laptop_row_at_each_instant() {
    let output = run(&["demo", "--offers"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let table = stdout(&output);
    let full = cells(&[
        "LAPTOP-14",
        "899.00",
        "899.00",
        "899.00",
        "899.00",
        "899.00",
        "899.00",
        "899.00",
    ]);
    let black_friday = cells(&[
        "LAPTOP-14",
        "719.20*",
        "719.20*",
        "719.20*",
        "719.20*",
        "899.00",
        "899.00",
        "899.00",
    ]);
    assert_eq!(
        rows_of(&table, "LAPTOP-14"),
        [full.clone(), black_friday, full]
    );
}

/// TV-55 in `demo --offers`: WAIT26 -10 % on six channels on 2026-11-20, BF26 -20 % on four on
/// 2026-11-28; never sold in store-milano (`-`).
#[test]
fn demo_offers_prints_the_progressive_campaign_and_the_assortment() {
    let output = run(&["demo", "--offers"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let table = stdout(&output);
    assert_eq!(
        rows_of(&table, "TV-55"),
        [
            cells(&[
                "TV-55", "1169.10*", "1169.10*", "1169.10*", "1169.10*", "1169.10*", "1169.10*",
                "-"
            ]),
            cells(&[
                "TV-55", "1039.20*", "1039.20*", "1039.20*", "1039.20*", "1299.00", "1299.00", "-"
            ]),
            cells(&[
                "TV-55", "1299.00", "1299.00", "1299.00", "1299.00", "1299.00", "1299.00", "-"
            ]),
        ]
    );
}

// ---- `unisono validate` (CONTRACT §5): exit 0 without error findings, 1 with, 2 on bad input.

const LAPTOP_OK: &str = r#"{"id": "page", "channel": "web-it", "sku": "LAPTOP-14", "shown": {"at": "2026-11-28T10:00:00+01:00"}, "claims": [{"price": "719.20 EUR"}, {"reference_price": "899.00 EUR"}, {"percent_off": "20"}]}"#;
const LAPTOP_WRONG: &str = r#"{"id": "hero", "channel": "email-it", "sku": "LAPTOP-14", "shown": {"at": "2026-11-28T10:00:00+01:00"}, "claims": [{"price": "729.00 EUR"}]}"#;

#[test]
fn validate_without_error_findings_exits_0() {
    let renderings = scratch_file("validate-ok.jsonl", &format!("{LAPTOP_OK}\n"));
    let output = validate_demo(&renderings.display().to_string(), &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stdout(&output), "1 rendering, 3 claims: no finding\n");
}

#[test]
fn validate_with_an_error_finding_exits_1_and_prints_json() {
    let renderings = scratch_file(
        "validate-wrong.json",
        &format!("[{LAPTOP_OK},\n {LAPTOP_WRONG}]"),
    );
    let output = validate_demo(&renderings.display().to_string(), &["--format", "json"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let report: Value = serde_json::from_str(&stdout(&output)).expect("the report is JSON");
    assert_eq!(
        report["summary"],
        json!({"renderings": 2, "claims": 4, "errors": 2, "warnings": 0, "infos": 0})
    );
    let rules: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["cross.price_divergence", "price.mismatch"]);
    assert_eq!(report["findings"][0]["renderings"], json!(["page", "hero"]));
    assert_eq!(report["findings"][1]["expected"], "719.20 EUR");
}

#[test]
fn validate_with_a_policy_that_allows_the_rules_exits_0() {
    let renderings = scratch_file(
        "validate-policy.jsonl",
        &format!("{LAPTOP_OK}\n{LAPTOP_WRONG}\n"),
    );
    let policy = scratch_file(
        "validate-policy.json",
        r#"{"severity": {"price.mismatch": "warning", "cross.price_divergence": "allow"}}"#,
    );
    let output = validate_demo(
        &renderings.display().to_string(),
        &["--policy", &policy.display().to_string()],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stdout(&output).contains(
        "warning[price.mismatch]: email-it shows 729.00 EUR; the catalog's price is 719.20 EUR"
    ));
    assert!(stdout(&output).ends_with("2 renderings, 4 claims: 0 errors, 1 warning, 0 infos\n"));
}

#[test]
fn validate_prints_junit_with_a_test_case_per_rendering() {
    let renderings = scratch_file(
        "validate-junit.jsonl",
        &format!("{LAPTOP_OK}\n{LAPTOP_WRONG}\n"),
    );
    let output = validate_demo(&renderings.display().to_string(), &["--format", "junit"]);
    assert_eq!(output.status.code(), Some(1));
    let xml = stdout(&output);
    assert!(
        xml.contains(
            r#"<testsuite name="unisono validate" tests="2" failures="2" errors="0" skipped="0">"#
        ),
        "{xml}"
    );
    assert!(
        xml.contains(r#"<testcase classname="email-it" name="hero">"#),
        "{xml}"
    );
    assert!(xml.contains(r#"<failure type="price.mismatch" message="email-it shows 729.00 EUR; the catalog&apos;s price is 719.20 EUR">"#), "{xml}");
}

#[test]
fn validate_names_line_column_and_path_of_a_bad_rendering() {
    let bad = r#"{"id": "b", "channel": "web-it", "sku": "LAPTOP-14", "shown": {"at": "2026-11-28T10:00:00+01:00"}, "claims": [{"price": 719.2}]}"#;
    let renderings = scratch_file("validate-bad.jsonl", &format!("{LAPTOP_OK}\n{bad}\n"));
    let name = renderings.display().to_string();
    // With --strict, the first bad line stops the run: exit 2, where and why on stderr.
    let output = validate_demo(&name, &["--strict"]);
    assert_eq!(output.status.code(), Some(2));
    insta::assert_snapshot!(stderr(&output).replace(&name, "FILE"), @"error: FILE:2:125: claims[0].price: invalid type: floating point `719.2`, expected a string");
    // Without, the line is an input.malformed finding, the run goes on and the report counts it.
    let output = validate_demo(&name, &["--format", "json"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("a JSON report");
    assert_eq!(report["summary"]["renderings"], 2);
    let finding = &report["findings"][0];
    assert_eq!(
        (&finding["rule"], &finding["rendering"]),
        (&"input.malformed".into(), &"line 2".into())
    );
    insta::assert_snapshot!(finding["message"].as_str().unwrap_or_default(), @"line 2, column 125: claims[0].price: invalid type: floating point `719.2`, expected a string");
}

/// An empty or blank renderings file is an input error, not a green run (exit 2); a leading byte
/// order mark is accepted.
#[test]
fn validate_refuses_an_empty_input_and_accepts_a_byte_order_mark() {
    let empty = scratch_file("validate-empty.jsonl", "\n  \n");
    let name = empty.display().to_string();
    let output = validate_demo(&name, &[]);
    assert_eq!(output.status.code(), Some(2));
    insta::assert_snapshot!(stderr(&output).replace(&name, "FILE"), @"error: FILE: no rendering (the input is empty or blank)");
    let bom = scratch_file("validate-bom.jsonl", &format!("\u{feff}{LAPTOP_OK}\n"));
    let output = validate_demo(&bom.display().to_string(), &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
}

#[test]
fn validate_refuses_a_policy_with_an_unknown_rule() {
    let renderings = scratch_file("validate-unknown-rule.jsonl", &format!("{LAPTOP_OK}\n"));
    let policy = scratch_file(
        "validate-unknown-rule.json",
        r#"{"severity": {"price.missmatch": "allow"}}"#,
    );
    let output = validate_demo(
        &renderings.display().to_string(),
        &["--policy", &policy.display().to_string()],
    );
    assert_eq!(output.status.code(), Some(2));
    let policy = policy.display().to_string();
    insta::assert_snapshot!(stderr(&output).replace(&policy, "FILE"), @r#"error: FILE:1:31: severity.price.missmatch: "price.missmatch" is not a rule code (they are listed in CONTRACT §7, like "price.mismatch")"#);
}

#[test]
fn validate_reads_renderings_from_stdin() {
    let output = run_with_stdin(
        &[
            "validate",
            "--catalog",
            &demo_catalog(),
            "--renderings",
            "-",
        ],
        LAPTOP_WRONG,
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).contains("error[price.mismatch]"));
}

#[test]
fn demo_validates_the_bundled_renderings() {
    let output = run(&["demo"]);
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    assert!(
        text.contains("newsletter-48/hero (email-it · LAPTOP-14)"),
        "{text}"
    );
    assert!(
        text.ends_with("51 renderings, 155 claims: 27 errors, 5 warnings, 1 info\n"),
        "{text}"
    );
}

#[test]
fn gen_writes_a_catalog_renderings_and_their_answer_key() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli-gen");
    let output = run(&[
        "gen",
        "--skus",
        "200",
        "--renderings",
        "2000",
        "--seed",
        "5",
        "--out",
        &dir.display().to_string(),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("200 products, 2000 renderings"),
        "{}",
        stdout(&output)
    );
    let expected =
        std::fs::read_to_string(dir.join("expected.jsonl")).expect("expected.jsonl written");
    let planted: std::collections::BTreeSet<(String, String)> = expected
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).expect("a JSON line"))
        .map(|v| {
            (
                v["rendering"].as_str().unwrap().to_owned(),
                v["rule"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert!(!planted.is_empty());
    // Same seed, same bytes.
    let again = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli-gen-again");
    run(&[
        "gen",
        "--skus",
        "200",
        "--renderings",
        "2000",
        "--seed",
        "5",
        "--out",
        &again.display().to_string(),
    ]);
    for file in ["catalog.json", "renderings.jsonl", "expected.jsonl"] {
        assert_eq!(
            std::fs::read(dir.join(file)).unwrap(),
            std::fs::read(again.join(file)).unwrap(),
            "{file}"
        );
    }
    // `validate` streams the JSON Lines and finds exactly what was planted.
    let output = run(&[
        "validate",
        "--catalog",
        &dir.join("catalog.json").display().to_string(),
        "--renderings",
        &dir.join("renderings.jsonl").display().to_string(),
        "--format",
        "json",
        "--jobs",
        "2",
    ]);
    assert_eq!(output.status.code(), Some(1));
    let report: Value = serde_json::from_str(&stdout(&output)).expect("JSON report");
    let found: std::collections::BTreeSet<(String, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let id = f["rendering"]
                .as_str()
                .or_else(|| f["renderings"][0].as_str())
                .unwrap();
            (id.to_owned(), f["rule"].as_str().unwrap().to_owned())
        })
        .collect();
    assert_eq!(found, planted);
    let output = run(&[
        "parse",
        "--renderings",
        &dir.join("renderings.jsonl").display().to_string(),
    ]);
    assert_eq!(stdout(&output), "2000 renderings\n");
}
