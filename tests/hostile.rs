//! Hostile input through the library and its reports: bounded messages, escaped output, counts that
//! match (issue 23).

use unisono::{Catalog, Policy, Validator};

const CATALOG: &str = include_str!("../examples/data/catalog.json");

/// A 1 MB value is echoed as its first 200 characters, an ellipsis and its length, wherever it is
/// refused: a catalog amount, a rendering's price, a policy's rule code.
#[test]
fn errors_echo_at_most_200_characters_of_a_value() {
    let huge = "9".repeat(1 << 20);
    let catalog = format!(
        r#"{{"markets": [{{"id": "IT", "currency": "EUR", "time_zone": "Europe/Rome"}}],
            "products": [{{"sku": "A", "title": "A"}}],
            "prices": [{{"sku": "A", "market": "IT", "amount": "{huge} EUR", "from": "2026-01-01T00:00:00Z"}}]}}"#
    );
    let err = Catalog::from_json(&catalog).expect_err("the amount is out of range");
    let text = err.to_string();
    assert!(text.len() < 600, "{} bytes", text.len());
    assert!(
        text.contains(&format!("…\" ({} bytes)", huge.len() + 4)),
        "{text}"
    );

    let line = format!(
        r#"{{"id": "x", "channel": "web-it", "sku": "LAPTOP-14", "shown": {{"at": "2026-11-28T10:00:00Z"}}, "claims": [{{"price": "{huge}"}}]}}"#
    );
    let err = unisono::rendering::read_renderings(&line).expect_err("not money");
    assert!(
        err.to_string().len() < 600,
        "{} bytes",
        err.to_string().len()
    );

    let policy = format!(r#"{{"severity": {{"{huge}": "allow"}}}}"#);
    let err = Policy::from_json(&policy).expect_err("not a rule code");
    assert!(
        err.to_string().len() < 1200,
        "{} bytes",
        err.to_string().len()
    );
    // serde's own messages quote whole values; they are cut too.
    let err = Policy::from_json(&format!(r#"{{"low_stock_threshold": "{huge}"}}"#))
        .expect_err("not a count");
    insta::assert_snapshot!(
        err.to_string().replace(&"9".repeat(200), "9…9"),
        @r#"1:1048602: low_stock_threshold: invalid type: string "9…9…" (1048576 bytes), expected u64"#
    );
}

/// A crafted id, channel or source cannot write to the terminal: control and bidirectional
/// characters are escaped in the human report and in JUnit, and kept as they are in JSON.
#[test]
fn control_characters_are_escaped_for_people_and_kept_in_json() {
    let catalog = Catalog::from_json(CATALOG).expect("the demo catalog compiles");
    let renderings = unisono::rendering::read_renderings(
        r#"[{"id": "a\u001b[2K\rerror: all good\u202e", "channel": "web-it", "sku": "LAPTOP-14",
             "shown": {"at": "2026-11-28T10:00:00+01:00"},
             "claims": [{"price": "1.00 EUR", "source": "\u0007x\u0000"}]}]"#,
    )
    .expect("the rendering reads");
    let report = Validator::new(&catalog, &Policy::default()).validate_all(&renderings);
    let human = unisono::report::human(&report, false);
    assert!(
        !human.chars().any(|c| c.is_control() && c != '\n'),
        "{human:?}"
    );
    insta::assert_snapshot!(human, @r"
    a\u{1b}[2K\u{d}error: all good\u{202e} (web-it · LAPTOP-14)
      error[price.mismatch]: web-it shows 1.00 EUR; the catalog's price is 719.20 EUR
        --> claim 0, source \u{7}x\u{0}, at 2026-11-28T10:00:00+01:00
        = expected 719.20 EUR, found 1.00 EUR
        = because price 899.00 EUR (IT, from 2026-01-01)
        = because promotion BF26 -20% -> 719.20 EUR

    1 rendering, 1 claim: 1 error, 0 warnings, 0 infos
    ");
    let xml = unisono::report::junit(&report, &renderings);
    assert!(
        xml.contains(r#"name="a\u{1b}[2K\u{d}error: all good\u{202e}""#),
        "{xml}"
    );
    let json = unisono::report::json(&report);
    assert!(
        json.contains("\"rendering\": \"a\\u001b[2K\\rerror: all good\u{202e}\""),
        "{json}"
    );
}

/// JUnit counts test cases: one rendering with three error findings is one failure.
#[test]
fn junit_failures_count_failing_test_cases() {
    let catalog = Catalog::from_json(CATALOG).expect("the demo catalog compiles");
    let renderings = unisono::rendering::read_renderings(
        r#"[{"id": "a", "channel": "web-it", "sku": "LAPTOP-14", "shown": {"at": "2026-11-28T10:00:00+01:00"},
             "claims": [{"price": "1.00 EUR"}, {"gtin": "4006381333931"}, {"percent_off": "90"}]},
            {"id": "b", "channel": "web-it", "sku": "LAPTOP-14", "shown": {"at": "2026-11-28T10:00:00+01:00"},
             "claims": [{"price": "719.20 EUR"}]}]"#,
    )
    .expect("the renderings read");
    let report = Validator::new(&catalog, &Policy::default()).validate_all(&renderings);
    assert!(report.summary.errors >= 3, "{:?}", report.summary);
    let xml = unisono::report::junit(&report, &renderings);
    assert_eq!(xml.matches("<testcase").count(), 2);
    assert!(
        xml.contains(r#"<testsuites name="unisono" tests="2" failures="1">"#),
        "{xml}"
    );
}

/// Two renderings with one id: a warning on the second, naming the first; in a stream too.
#[test]
fn duplicate_ids_are_a_warning_on_the_later_rendering() {
    let catalog = Catalog::from_json(CATALOG).expect("the demo catalog compiles");
    let line = r#"{"id": "a", "channel": "web-it", "sku": "LAPTOP-14", "shown": {"at": "2026-11-28T10:00:00+01:00"}, "claims": [{"price": "719.20 EUR"}]}"#;
    let other = line.replace(r#""id": "a""#, r#""id": "b""#);
    let lines = format!("{line}\n{other}\n{line}\n");
    let validator = Validator::new(&catalog, &Policy::default());
    let streamed = validator
        .validate_lines(lines.as_bytes())
        .expect("the lines read");
    let whole = validator
        .validate_all(&unisono::rendering::read_renderings(&lines).expect("the lines read"));
    assert_eq!(
        unisono::report::json(&streamed),
        unisono::report::json(&whole)
    );
    let rules: Vec<(&str, usize)> = whole
        .findings
        .iter()
        .map(|f| (f.rule.code(), f.position))
        .collect();
    assert_eq!(rules, [("input.duplicate_id", 2)]);
    insta::assert_snapshot!(whole.findings[0].message, @"rendering 3 has the id of rendering 1 before it: findings cannot tell them apart");
    // Near miss: distinct ids raise nothing.
    let distinct = format!("{line}\n{other}\n");
    assert!(
        validator
            .validate_lines(distinct.as_bytes())
            .expect("read")
            .findings
            .is_empty()
    );
}

/// A leading byte order mark is accepted by every reader of documents.
#[test]
fn a_byte_order_mark_is_accepted() {
    let catalog = Catalog::from_json(&format!("\u{feff}{CATALOG}")).expect("a BOM is accepted");
    assert!(catalog.product("LAPTOP-14").is_some());
    let from_reader = Catalog::from_reader(format!("\u{feff}{CATALOG}").as_bytes())
        .expect("a BOM is accepted in a stream");
    assert!(from_reader.product("LAPTOP-14").is_some());
    Policy::from_json("\u{feff}{}").expect("a BOM is accepted in a policy");
    let r = unisono::rendering::read_renderings("\u{feff}[]").expect("and in renderings");
    assert!(r.is_empty());
}
