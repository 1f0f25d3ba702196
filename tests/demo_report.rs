//! Snapshots of the demo's reports: the human form `unisono demo` prints and CONTRACT §4's JSON.
//! A change to either is a change users see: review it with `cargo insta review`.

use unisono::{Catalog, Policy, Validator};

fn demo_report() -> (unisono::Report, Vec<unisono::Rendering>) {
    let catalog = Catalog::from_json(include_str!("../examples/data/catalog.json"))
        .expect("demo catalog compiles");
    let renderings =
        unisono::rendering::read_renderings(include_str!("../examples/data/renderings.json"))
            .expect("demo renderings parse");
    let policy = Policy::from_json(include_str!("../examples/data/policy.json"))
        .expect("demo policy parses");
    (
        Validator::new(&catalog, &policy).validate_all(&renderings),
        renderings,
    )
}

#[test]
fn human_report() {
    let (report, _) = demo_report();
    insta::assert_snapshot!("demo_human", unisono::report::human(&report, false));
}

#[test]
fn json_report() {
    let (report, _) = demo_report();
    insta::assert_snapshot!("demo_json", unisono::report::json(&report));
}

#[test]
fn junit_report() {
    let (report, renderings) = demo_report();
    insta::assert_snapshot!("demo_junit", unisono::report::junit(&report, &renderings));
}

#[test]
fn same_input_same_bytes() {
    let (a, _) = demo_report();
    let (b, _) = demo_report();
    assert_eq!(unisono::report::json(&a), unisono::report::json(&b));
    assert_eq!(a.summary.renderings, 51);
    assert!(a.has_errors());
}
