//! Catalogs made by editing a well-formed one (the demo or a scenario's) at the JSON level: replace a
//! value with one chosen to hurt (money at the limits, instants at the ends of the calendar, huge
//! numbers, duplicates of other entries), delete an entry, or repeat one. Raw byte mutation seldom
//! yields a catalog that still compiles; these edits keep most of it valid, so the compiled catalog
//! is queried (offers, timelines, lints) and the scenario's renderings are validated against it.
#![no_main]

mod common;
mod corpora;

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use serde_json::{Value, json};

#[derive(Arbitrary, Debug)]
struct Input {
    scenario: u8,
    edits: Vec<Edit>,
    seed: Vec<u8>,
}

#[derive(Arbitrary, Debug)]
struct Edit {
    /// Which node (index into the depth-first list of nodes, modulo its length).
    node: u16,
    action: Action,
}

#[derive(Arbitrary, Debug)]
enum Action {
    Replace(NewValue),
    /// Remove the node from its array or object.
    Remove,
    /// Repeat the node in its array (a duplicate id, an overlapping price).
    Repeat,
    /// Replace the node with a copy of another node.
    CopyFrom(u16),
}

#[derive(Arbitrary, Debug)]
enum NewValue {
    Null,
    Bool(bool),
    Int(i64),
    UInt(u64),
    Float(f64),
    Money(u8, u8),
    Instant(u8),
    Date(u8),
    Percent(u8),
    Str(String),
    EmptyArray,
    EmptyObject,
}

const AMOUNTS: &[&str] = &[
    "0",
    "0.00",
    "0.01",
    "-0.01",
    "-5.00",
    "1",
    "0.001",
    "999999999999999.99",
    "1000000000000000",
    "1000000000000000.01",
    "79228162514264337593543950335",
    "899.00",
    "899",
    "12.5",
    "0.5",
];
const CURRENCIES: &[&str] = &["EUR", "USD", "JPY", "KWD", "CLF", "XXX", "eur"];
const INSTANTS: &[&str] = &[
    "0000-01-01T00:00:00Z",
    "0000-01-01T00:00:00+23:59",
    "9999-12-31T23:59:59.999999999Z",
    "9999-12-31T23:59:59-23:59",
    "2026-11-27T00:00:00+01:00",
    "2026-11-27T00:00:00.000000001+01:00",
    "2026-11-26T23:59:59.999999999Z",
    "2026-03-29T02:30:00+01:00",
    "2026-10-25T02:30:00+02:00",
    "2026-12-01T00:00:00+01:00",
    "2025-01-01T00:00:00Z",
    "2026-11-27T00:00:00",
    "2026-11-27",
    "1970-01-01T00:00:00Z",
];
const DATES: &[&str] = &[
    "0000-01-01",
    "9999-12-31",
    "2026-02-29",
    "2024-02-29",
    "2026-03-29",
    "2026-10-25",
];
const PERCENTS: &[&str] = &[
    "0",
    "100",
    "99.99",
    "0.0001",
    "-10",
    "100.01",
    "50",
    "33.333333333333333333333333",
];

fn money(a: u8, c: u8) -> String {
    format!(
        "{} {}",
        AMOUNTS[a as usize % AMOUNTS.len()],
        CURRENCIES[c as usize % CURRENCIES.len()]
    )
}

fn new_value(v: &NewValue) -> Value {
    match v {
        NewValue::Null => Value::Null,
        NewValue::Bool(b) => json!(b),
        NewValue::Int(i) => json!(i),
        NewValue::UInt(u) => json!(u),
        NewValue::Float(f) => json!(f),
        NewValue::Money(a, c) => json!(money(*a, *c)),
        NewValue::Instant(i) => json!(INSTANTS[*i as usize % INSTANTS.len()]),
        NewValue::Date(i) => json!(DATES[*i as usize % DATES.len()]),
        NewValue::Percent(i) => json!(PERCENTS[*i as usize % PERCENTS.len()]),
        NewValue::Str(s) => json!(s),
        NewValue::EmptyArray => json!([]),
        NewValue::EmptyObject => json!({}),
    }
}

/// JSON pointers of every node below the root, depth first.
fn pointers(v: &Value, here: &str, out: &mut Vec<String>) {
    match v {
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let p = format!("{here}/{i}");
                out.push(p.clone());
                pointers(item, &p, out);
            }
        }
        Value::Object(map) => {
            for (k, item) in map {
                let p = format!("{here}/{}", k.replace('~', "~0").replace('/', "~1"));
                out.push(p.clone());
                pointers(item, &p, out);
            }
        }
        _ => {}
    }
}

fn split(pointer: &str) -> (&str, String) {
    let cut = pointer.rfind('/').unwrap_or(0);
    let last = pointer[cut + 1..].replace("~1", "/").replace("~0", "~");
    (&pointer[..cut], last)
}

fn apply(doc: &mut Value, edit: &Edit) {
    let mut all = Vec::new();
    pointers(doc, "", &mut all);
    if all.is_empty() {
        return;
    }
    let target = all[edit.node as usize % all.len()].clone();
    match &edit.action {
        Action::Replace(v) => {
            if let Some(node) = doc.pointer_mut(&target) {
                *node = new_value(v);
            }
        }
        Action::CopyFrom(other) => {
            let source = all[*other as usize % all.len()].clone();
            if let Some(copy) = doc.pointer(&source).cloned() {
                if let Some(node) = doc.pointer_mut(&target) {
                    *node = copy;
                }
            }
        }
        Action::Remove | Action::Repeat => {
            let (parent, last) = split(&target);
            match doc.pointer_mut(parent) {
                Some(Value::Array(items)) => {
                    if let Ok(i) = last.parse::<usize>() {
                        if i < items.len() {
                            if matches!(edit.action, Action::Remove) {
                                items.remove(i);
                            } else {
                                let copy = items[i].clone();
                                items.insert(i, copy);
                            }
                        }
                    }
                }
                Some(Value::Object(map)) if matches!(edit.action, Action::Remove) => {
                    map.remove(&last);
                }
                _ => {}
            }
        }
    }
}

fuzz_target!(|input: Input| {
    let scenarios = corpora::scenarios();
    let scenario = &scenarios[input.scenario as usize % scenarios.len()];
    let Ok(mut doc) = serde_json::from_str::<Value>(&scenario.catalog_text) else {
        return;
    };
    for edit in input.edits.iter().take(16) {
        apply(&mut doc, edit);
    }
    let text = doc.to_string();
    match unisono::Catalog::from_json(&text) {
        Ok(catalog) => {
            common::exercise_catalog(&catalog, &input.seed);
            common::validate_and_report(
                &catalog,
                &unisono::Policy::default(),
                &scenario.renderings,
            );
            if !std::ptr::eq(
                scenario.renderings.as_ptr(),
                common::demo_renderings().as_ptr(),
            ) {
                common::validate_and_report(
                    &catalog,
                    &unisono::Policy::default(),
                    common::demo_renderings(),
                );
            }
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
});
