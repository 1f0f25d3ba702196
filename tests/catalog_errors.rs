//! An invalid catalog reports every problem at once, each with its JSON path and a message naming the
//! bad value (CONTRACT §1, §2; §5 "a message ... naming ... the JSON path, and what was expected").

use unisono::{Catalog, CatalogError, Problem, ProblemKind};

/// One document with many problems, one or a few per entry. Fields within an entry are written in
/// the order they are checked, so document order is unambiguous.
const BROKEN: &str = r#"{
  "markets": [
    {"id": "IT", "currency": "EUR", "time_zone": "Europe/Rome", "reference_price_days": 30},
    {"id": "IT", "currency": "EUR", "time_zone": "Europe/Rome"}
  ],
  "locations": [
    {"id": "wh", "kind": "warehouse"},
    {"id": "wh", "kind": "store"}
  ],
  "channels": [
    {"id": "web-it", "kind": "web", "market": "IT", "locations": ["wh"]},
    {"id": "web-it", "kind": "app", "market": "IT", "locations": ["wh"]},
    {"id": "store-fr", "kind": "store", "market": "FR", "locations": ["nowhere"]},
    {"id": "app-it", "kind": "app", "market": "IT", "locations": ["wh"]}
  ],
  "products": [
    {"sku": "A", "gtin": "8012345678907", "title": "Articolo A", "category": "food/fruit"},
    {"sku": "A", "title": "Articolo A bis"},
    {"sku": "B", "gtin": "8012345678901", "title": "Articolo B",
     "launched": "2026-01-01T00:00:00", "channels": ["tv-xx"]}
  ],
  "prices": [
    {"sku": "A", "market": "IT", "amount": "100.00 EUR", "from": "2026-01-01T00:00:00+01:00"},
    {"sku": "A", "market": "IT", "amount": "90.00 EUR", "from": "2026-06-01T00:00:00+02:00"},
    {"sku": "A", "market": "IT", "channels": ["web-it"], "amount": "80.00 EUR",
     "from": "2026-01-01T00:00:00+01:00", "until": "2026-12-01T00:00:00+01:00"},
    {"sku": "A", "market": "IT", "channels": ["app-it", "web-it"], "amount": "85.00 EUR",
     "from": "2026-11-01T00:00:00+01:00", "until": "2027-01-01T00:00:00+01:00"},
    {"sku": "NOPE", "market": "FR", "amount": "10.00 EUR", "from": "2026-01-01T00:00:00+01:00"},
    {"sku": "A", "market": "IT", "amount": "12.345 EUR", "from": "2027-01-01T00:00:00+01:00"},
    {"sku": "A", "market": "IT", "amount": "10.00 USD", "from": "2027-01-01T00:00:00+01:00"},
    {"sku": "A", "market": "IT", "channels": ["web-it"], "amount": "70.00 EUR",
     "from": "2027-03-01T00:00:00+01:00", "until": "2027-02-01T00:00:00+01:00"},
    {"sku": "A", "market": "IT", "channels": ["nope-ch"], "amount": "70.00 EUR",
     "from": "2027-03-01T00:00:00+01:00"},
    {"sku": "A", "market": "IT", "amount": "70.00 EUR", "from": "2027-05-01T00:00:00"},
    {"sku": "B", "market": "IT", "amount": "20.00 EUR", "from": "2026-01-01T00:00:00+01:00"},
    {"sku": "A", "market": "IT", "amount": "70.00 EUR",
     "from": "2027-06-01T00:00:00+02:00", "until": "2027-06-01T00:00:00+02:00"}
  ],
  "promotions": [
    {"id": "P1", "markets": ["IT"], "skus": ["A"], "categories": ["food"],
     "from": "2026-11-20T00:00:00+01:00", "until": "2026-12-01T00:00:00+01:00",
     "mechanic": {"percent_off": "10"}},
    {"id": "P1", "markets": ["IT"], "skus": ["A"],
     "from": "2026-11-20T00:00:00+01:00", "mechanic": {"percent_off": "5"}},
    {"id": "P2", "markets": ["IT"], "skus": ["B"],
     "from": "2026-11-20T00:00:00+01:00", "until": "2026-12-01T00:00:00+01:00",
     "mechanic": {"amount_off": "20.00 EUR"}},
    {"id": "P3", "markets": ["IT"], "skus": ["A"],
     "from": "2026-11-20T00:00:00+01:00", "mechanic": {"percent_off": "100"}},
    {"id": "P4", "markets": ["FR"], "skus": ["GHOST"], "categories": ["garden"],
     "from": "2026-11-20T00:00:00+01:00", "mechanic": {"percent_off": "10"}},
    {"id": "P5", "markets": ["IT"], "skus": ["A"],
     "from": "2026-11-27T00:00:00", "mechanic": {"percent_off": "10"}},
    {"id": "P6", "markets": ["IT"], "channels": ["ghost-ch"], "skus": ["A"],
     "from": "2026-11-27T00:00:00+01:00", "mechanic": {"percent_off": "10"}}
  ],
  "stock": [
    {"sku": "A", "location": "wh", "on_hand": -3, "as_of": "2026-11-15T08:00:00Z"},
    {"sku": "GHOST", "location": "nowhere", "on_hand": 1, "as_of": "2026-11-15T08:00:00Z"},
    {"sku": "A", "location": "wh", "on_hand": 5, "reserved": -1, "as_of": "2026-11-16T08:00:00"}
  ]
}"#;

/// Every problem of `BROKEN`, in document order, with a piece of text its message must contain: the
/// bad value it names.
const EXPECTED: &[(&str, ProblemKind, &str)] = &[
    // Duplicate ids.
    ("markets[1].id", ProblemKind::Duplicate, "\"IT\""),
    ("locations[1].id", ProblemKind::Duplicate, "\"wh\""),
    ("channels[1].id", ProblemKind::Duplicate, "\"web-it\""),
    // A channel in an unknown market, served from an unknown location.
    (
        "channels[2].market",
        ProblemKind::UnknownReference,
        "\"FR\"",
    ),
    (
        "channels[2].locations[0]",
        ProblemKind::UnknownReference,
        "\"nowhere\"",
    ),
    ("products[1].sku", ProblemKind::Duplicate, "\"A\""),
    // 8012345678901: the GS1 check digit of 801234567890 is 7, not 1.
    ("products[2].gtin", ProblemKind::Gtin, "8012345678901"),
    (
        "products[2].launched",
        ProblemKind::Time,
        "2026-01-01T00:00:00",
    ),
    (
        "products[2].channels[0]",
        ProblemKind::UnknownReference,
        "\"tv-xx\"",
    ),
    // Two market-wide entries of A, both open-ended: the later one overlaps.
    ("prices[1].from", ProblemKind::Overlap, "prices[0]"),
    // Two channel lists sharing web-it over November 2026.
    ("prices[3].from", ProblemKind::Overlap, "prices[2]"),
    ("prices[4].sku", ProblemKind::UnknownReference, "\"NOPE\""),
    ("prices[4].market", ProblemKind::UnknownReference, "\"FR\""),
    ("prices[5].amount", ProblemKind::Money, "12.345 EUR"),
    ("prices[6].amount", ProblemKind::Currency, "10.00 USD"),
    // from 2027-03-01 is after until 2027-02-01.
    ("prices[7].until", ProblemKind::EmptyWindow, "2027-02-01"),
    (
        "prices[8].channels[0]",
        ProblemKind::UnknownReference,
        "\"nope-ch\"",
    ),
    ("prices[9].from", ProblemKind::Time, "2027-05-01T00:00:00"),
    // from equal to until: an empty window.
    ("prices[11].until", ProblemKind::EmptyWindow, "2027-06-01"),
    ("promotions[1].id", ProblemKind::Duplicate, "\"P1\""),
    // 20.00 EUR off B's 20.00 EUR price would make it 0.
    (
        "promotions[2].mechanic.amount_off",
        ProblemKind::Promotion,
        "20.00 EUR",
    ),
    (
        "promotions[3].mechanic.percent_off",
        ProblemKind::Promotion,
        "100",
    ),
    (
        "promotions[4].markets[0]",
        ProblemKind::UnknownReference,
        "\"FR\"",
    ),
    (
        "promotions[4].skus[0]",
        ProblemKind::UnknownReference,
        "\"GHOST\"",
    ),
    (
        "promotions[4].categories[0]",
        ProblemKind::UnknownReference,
        "\"garden\"",
    ),
    (
        "promotions[5].from",
        ProblemKind::Time,
        "2026-11-27T00:00:00",
    ),
    (
        "promotions[6].channels[0]",
        ProblemKind::UnknownReference,
        "\"ghost-ch\"",
    ),
    ("stock[0].on_hand", ProblemKind::Stock, "-3"),
    ("stock[1].sku", ProblemKind::UnknownReference, "\"GHOST\""),
    (
        "stock[1].location",
        ProblemKind::UnknownReference,
        "\"nowhere\"",
    ),
    ("stock[2].reserved", ProblemKind::Stock, "-1"),
    ("stock[2].as_of", ProblemKind::Time, "2026-11-16T08:00:00"),
];

fn problems_of(text: &str) -> Vec<Problem> {
    match Catalog::from_json(text) {
        Err(CatalogError::Invalid { problems }) => problems,
        Err(other) => panic!("expected an invalid catalog, got {other}"),
        Ok(_) => panic!("expected an invalid catalog, it compiled"),
    }
}

fn problem_at(problems: &[Problem], path: &str) -> Problem {
    problems
        .iter()
        .find(|p| p.path == path)
        .cloned()
        .unwrap_or_else(|| panic!("no problem at {path}: {problems:#?}"))
}

/// CONTRACT §2 and §9 ("every problem, with paths"): the whole list, in document order.
#[test]
fn every_problem_is_reported_at_once_in_document_order() {
    let problems = problems_of(BROKEN);
    let found: Vec<(&str, ProblemKind)> =
        problems.iter().map(|p| (p.path.as_str(), p.kind)).collect();
    let expected: Vec<(&str, ProblemKind)> = EXPECTED
        .iter()
        .map(|(path, kind, _)| (*path, *kind))
        .collect();
    assert_eq!(found, expected);
}

/// Each message names the bad value.
#[test]
fn every_message_names_the_bad_value() {
    let problems = problems_of(BROKEN);
    for (path, _, value) in EXPECTED {
        let problem = problem_at(&problems, path);
        assert!(
            problem.message.contains(value),
            "{path}: {:?} should name {value:?}",
            problem.message
        );
    }
}

/// CONTRACT §1: an amount with more decimals than the currency's minor unit; the exact message.
#[test]
fn too_many_decimals_message_is_exact() {
    let problem = problem_at(&problems_of(BROKEN), "prices[5].amount");
    assert_eq!(problem.kind, ProblemKind::Money);
    assert_eq!(problem.message, r#""12.345 EUR" has 3 decimals, EUR has 2"#);
}

/// JPY has no minor unit: "1299.5 JPY" is refused.
#[test]
fn yen_amount_with_decimals_is_refused() {
    let text = r#"{
      "markets": [{"id": "JP", "currency": "JPY", "time_zone": "Asia/Tokyo"}],
      "products": [{"sku": "P", "title": "P"}],
      "prices": [{"sku": "P", "market": "JP", "amount": "1299.5 JPY",
                  "from": "2026-01-01T00:00:00+09:00"}]
    }"#;
    let problems = problems_of(text);
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].path, "prices[0].amount");
    assert_eq!(problems[0].kind, ProblemKind::Money);
    assert_eq!(
        problems[0].message,
        r#""1299.5 JPY" has 1 decimals, JPY has 0"#
    );
}

/// The messages say what was expected, not only what is wrong.
#[test]
fn messages_say_what_was_expected() {
    let problems = problems_of(BROKEN);
    // The currency problem names the market's currency.
    assert!(
        problem_at(&problems, "prices[6].amount")
            .message
            .contains("EUR")
    );
    // The GTIN problem names the check digit expected (7).
    let gtin = problem_at(&problems, "products[2].gtin").message;
    assert!(gtin.contains("expected 7"), "{gtin}");
    // The timestamp problem asks for an offset.
    let time = problem_at(&problems, "prices[9].from").message;
    assert!(time.contains("offset"), "{time}");
    // The empty window names both ends.
    let empty = problem_at(&problems, "prices[7].until").message;
    assert!(
        empty.contains("2027-03-01") && empty.contains("2027-02-01"),
        "{empty}"
    );
    // The percentage says what it must be.
    let percent = problem_at(&problems, "promotions[3].mechanic.percent_off").message;
    assert!(percent.contains("expected"), "{percent}");
    // The amount off names the product it would price at zero.
    let off = problem_at(&problems, "promotions[2].mechanic.amount_off").message;
    assert!(off.contains("\"B\""), "{off}");
}

/// CONTRACT §2: the overlap of two channel lists is reported once, on the channel they share.
#[test]
fn overlap_of_channel_lists_names_the_shared_channel() {
    let message = problem_at(&problems_of(BROKEN), "prices[3].from").message;
    assert!(message.contains("web-it"), "{message}");
    assert!(!message.contains("app-it"), "{message}");
}

/// A channel-specific entry and a market-wide one may overlap: the channel's wins (CONTRACT §2).
/// prices[0] (market-wide) and prices[2] (web-it) overlap in time and are not reported together.
#[test]
fn different_scopes_may_overlap() {
    let problems = problems_of(BROKEN);
    assert!(
        problems
            .iter()
            .filter(|p| p.kind == ProblemKind::Overlap)
            .all(|p| p.path != "prices[2].from"),
        "{problems:#?}"
    );
}

/// A document that differs from a valid one in a single value reports exactly that value.
#[test]
fn a_single_problem_is_reported_alone() {
    let text = r#"{
      "markets": [{"id": "IT", "currency": "EUR", "time_zone": "Europe/Rome"}],
      "products": [{"sku": "P", "title": "P"}],
      "stock": [{"sku": "P", "location": "wh", "on_hand": 1, "as_of": "2026-11-15T08:00:00Z"}]
    }"#;
    let problems = problems_of(text);
    let found: Vec<(&str, ProblemKind)> =
        problems.iter().map(|p| (p.path.as_str(), p.kind)).collect();
    assert_eq!(
        found,
        [("stock[0].location", ProblemKind::UnknownReference)]
    );
}

/// CONTRACT §2: `amount_off` equal to the price is an error, one cent less is not.
#[test]
fn amount_off_just_below_the_price_is_valid() {
    let text = |off: &str| {
        format!(
            r#"{{
          "markets": [{{"id": "IT", "currency": "EUR", "time_zone": "Europe/Rome"}}],
          "products": [{{"sku": "P", "title": "P"}}],
          "prices": [{{"sku": "P", "market": "IT", "amount": "20.00 EUR",
                      "from": "2026-01-01T00:00:00+01:00"}}],
          "promotions": [{{"id": "OFF", "skus": ["P"], "from": "2026-11-01T00:00:00+01:00",
                          "mechanic": {{"amount_off": "{off}"}}}}]
        }}"#
        )
    };
    assert!(Catalog::from_json(&text("19.99 EUR")).is_ok());
    let problems = problems_of(&text("20.00 EUR"));
    assert_eq!(problems.len(), 1);
    assert_eq!(
        (problems[0].path.as_str(), problems[0].kind),
        ("promotions[0].mechanic.amount_off", ProblemKind::Promotion)
    );
}

// --- Syntax errors: the document is not a catalog document at all ---------------------------

fn syntax_of(text: &str) -> (String, usize, usize, String) {
    match Catalog::from_json(text) {
        Err(CatalogError::Syntax(unisono::InputError {
            path,
            line,
            column,
            message,
        })) => (path, line, column, message),
        Err(other) => panic!("expected a syntax error, got {other}"),
        Ok(_) => panic!("expected a syntax error, it compiled"),
    }
}

/// CONTRACT §1: unknown fields are an error — a typo must not silently drop a rule. The error names
/// the misspelt field's path, line and column (serde_json: 1-based, at the key's closing quote).
#[test]
fn unknown_field_is_a_syntax_error_with_its_path() {
    let text = "{\n  \"markets\": [\n    {\"id\": \"IT\", \"currency\": \"EUR\", \"time_zone\": \"Europe/Rome\", \"refrence_price_days\": 30}\n  ]\n}";
    let (path, line, column, message) = syntax_of(text);
    assert_eq!(path, "markets[0].refrence_price_days");
    assert_eq!(line, 3);
    // `    {"id": "IT", "currency": "EUR", "time_zone": "Europe/Rome", "refrence_price_days"`
    // is 4 + 60 + 21 = 85 characters: the closing quote of the key is column 85.
    assert_eq!(column, 85);
    assert!(
        message.contains("unknown field `refrence_price_days`"),
        "{message}"
    );
}

/// CONTRACT §1: inside `meta` anything goes, at any level.
#[test]
fn meta_is_free_form() {
    let text = r#"{
      "markets": [{"id": "IT", "currency": "EUR", "time_zone": "Europe/Rome",
                   "meta": {"anything": [1, {"nested": null}], "refrence_price_days": 30}}],
      "products": [{"sku": "P", "title": "P", "meta": {"erp_id": 42}}],
      "meta": {"generated_by": "test"}
    }"#;
    let catalog = Catalog::from_json(text).unwrap();
    assert_eq!(catalog.market("IT").unwrap().reference_price_days, None);
}

/// CONTRACT §1: JSON numbers are refused for money (floats lose cents), with the path of the value.
#[test]
fn a_json_number_is_not_money() {
    let text = r#"{
  "markets": [{"id": "IT", "currency": "EUR", "time_zone": "Europe/Rome"}],
  "products": [{"sku": "P", "title": "P"}],
  "prices": [{"sku": "P", "market": "IT", "amount": 899.00, "from": "2026-01-01T00:00:00+01:00"}]
}"#;
    let (path, line, _, message) = syntax_of(text);
    assert_eq!(path, "prices[0].amount");
    assert_eq!(line, 4);
    assert!(message.contains("899"), "{message}");
    assert!(message.contains("string"), "{message}");
}

/// The same for an amount off.
#[test]
fn a_json_number_is_not_an_amount_off() {
    let text = r#"{"promotions": [{"id": "X", "from": "2026-01-01T00:00:00+01:00",
                                  "mechanic": {"amount_off": 50.5}}]}"#;
    let (path, _, _, _) = syntax_of(text);
    assert_eq!(path, "promotions[0].mechanic.amount_off");
}

/// CONTRACT §1: a percent is a string or an integer; a JSON float is refused.
#[test]
fn a_float_percent_is_refused_but_an_integer_is_accepted() {
    let text = |percent: &str| {
        format!(
            r#"{{"markets": [{{"id": "IT", "currency": "EUR", "time_zone": "Europe/Rome"}}],
                "products": [{{"sku": "P", "title": "P"}}],
                "promotions": [{{"id": "X", "skus": ["P"], "from": "2026-01-01T00:00:00+01:00",
                                "mechanic": {{"percent_off": {percent}}}}}]}}"#
        )
    };
    let (path, _, _, message) = syntax_of(&text("12.5"));
    assert_eq!(path, "promotions[0].mechanic.percent_off");
    assert!(message.contains("12.5"), "{message}");
    assert!(Catalog::from_json(&text("20")).is_ok());
    assert!(Catalog::from_json(&text("\"12.5\"")).is_ok());
}

/// Bad JSON reports line and column.
#[test]
fn malformed_json_reports_line_and_column() {
    // Line 2, the `"` of "currency" at column 17 where a `,` or `}` was expected.
    let text = "{\"markets\": [\n    {\"id\": \"IT\" \"currency\": \"EUR\"}\n]}";
    let (_, line, column, _) = syntax_of(text);
    assert_eq!((line, column), (2, 17));
}

/// Input limits (README "Input limits"): nesting past 128 levels is a clear error with its path.
#[test]
fn nesting_past_the_limit_is_a_clear_error() {
    let depth = unisono::limits::MAX_NESTING + 10;
    let text = format!(
        "{{\"meta\": {}1{}}}",
        "{\"a\": ".repeat(depth),
        "}".repeat(depth)
    );
    match unisono::Catalog::from_json(&text) {
        Err(unisono::CatalogError::Syntax(unisono::InputError {
            message,
            path,
            line,
            ..
        })) => {
            assert_eq!(message, "recursion limit exceeded");
            assert!(path.starts_with("meta.a.a.a"), "{path}");
            assert_eq!(line, 1);
        }
        other => panic!("expected a syntax error, got {other:?}"),
    }
    // Within the limit, meta is free-form and carried through.
    let depth = 100;
    let text = format!(
        "{{\"meta\": {}1{}}}",
        "{\"a\": ".repeat(depth),
        "}".repeat(depth)
    );
    assert!(unisono::Catalog::from_json(&text).is_ok());
}
