//! Compiling while reading gives what compiling a document in memory gives, whatever the order of
//! the document's keys, and a reader gives the errors the text gives.

use proptest::prelude::*;

use crate::catalog::{Catalog, CatalogDocument, CatalogError};

/// Entries far apart: some chunks of [`super::chunk::CHUNK_BYTES`] each (prices of a document
/// printed pretty take a few hundred bytes).
const CHUNK: usize = 4096;

const DEMO: &str = include_str!("../../../examples/data/catalog.json");

/// A document with problems in every section, some met only at the end (overlaps, an amount off
/// as large as a price, stock counted twice), and some lints.
const BAD: &str = r#"{
  "markets": [{"id": "IT", "currency": "EUR", "time_zone": "Europe/Rome", "reference_price_days": 30},
              {"id": "IT", "currency": "EUX", "time_zone": "Europe/Nowhere"},
              {"id": "DE", "currency": "EUR", "time_zone": "Europe/Berlin", "reference_price_days": 0}],
  "locations": [{"id": "wh", "kind": "warehouse"}, {"id": "wh", "kind": "store"}, {"id": "", "kind": "store"}],
  "channels": [{"id": "web-it", "kind": "web", "market": "IT", "locations": ["wh", "wh", "nowhere"]},
               {"id": "web-de", "kind": "web", "market": "DE"},
               {"id": "tv-xx", "kind": "tv", "market": "XX"}],
  "products": [{"sku": "P", "title": "P", "gtin": "8012345678907", "category": "a/b", "channels": ["web-it"]},
               {"sku": "P", "title": " ", "gtin": "8012345678907", "launched": "2026-01-01"},
               {"sku": "Q", "title": "Q", "gtin": "8012345678901", "unit": {"quantity": "0", "measure": "kg"},
                "channels": [], "category": "a"},
               {"sku": "R", "title": {"it": "R"}, "channels": ["web-de", "nope"]}],
  "prices": [{"sku": "P", "market": "IT", "amount": "10.00 EUR", "from": "2026-01-01", "until": "2026-02-01"},
             {"sku": "P", "market": "IT", "amount": "12.00 EUR", "from": "2026-01-15"},
             {"sku": "P", "market": "IT", "amount": "12.345 EUR", "from": "2026-01-01T00:00:00"},
             {"sku": "Z", "market": "XX", "amount": "-1 EUR", "from": "2026-03-01", "until": "2026-02-01"},
             {"sku": "Q", "market": "IT", "channels": ["web-de", "zz"], "amount": "5.00 USD", "from": "2026-01-01"},
             {"sku": "R", "market": "DE", "channels": ["web-de"], "amount": "7.00 EUR", "from": "2026-01-01"},
             {"sku": "R", "market": "DE", "channels": ["web-de"], "amount": "8.00 EUR", "from": "2026-01-02"}],
  "promotions": [{"id": "A", "skus": ["P", "NOPE"], "categories": ["a", "zz"], "from": "2026-01-01",
                  "mechanic": {"amount_off": "20.00 EUR"}, "markets": ["IT"]},
                 {"id": "A", "from": "2026-01-01T00:00:00+01:00", "mechanic": {"percent_off": "120"}},
                 {"id": "B", "markets": [], "channels": ["web-de"], "skus": ["Q"],
                  "from": "2026-01-01T00:00:00+01:00", "mechanic": {"multi_buy": {"buy": 1, "pay": 2}}},
                 {"id": "C", "markets": ["IT", "DE"], "channels": ["web-de", "tv-xx"], "skus": ["R"],
                  "from": "2026-01-01T00:00:00+01:00", "mechanic": {"fixed_price": "1.00 EUR"}}],
  "stock": [{"sku": "P", "location": "wh", "on_hand": 3, "as_of": "2026-01-01T08:00:00Z"},
            {"sku": "P", "location": "wh", "on_hand": 4, "as_of": "2026-01-01T08:00:00Z"},
            {"sku": "NOPE", "location": "nowhere", "on_hand": -1, "reserved": -2, "as_of": "2026-01-01"}],
  "meta": {"by": "test"}
}"#;

/// The document's keys and values, as text, in the order given.
fn text_in_order(doc: &CatalogDocument, order: &[usize]) -> String {
    let value = serde_json::to_value(doc).unwrap();
    let object = value.as_object().unwrap();
    let keys = super::FIELDS;
    let members: Vec<String> = order
        .iter()
        .map(|&k| keys[k])
        .filter_map(|key| object.get(key).map(|v| format!("{key:?}: {v}")))
        .collect();
    format!("{{{}}}", members.join(",\n"))
}

/// Everything a catalog holds, with its hash maps sorted.
fn contents(catalog: &Catalog) -> String {
    let ids = &catalog.ids;
    let sorted = |map: Vec<(String, u32)>| {
        let mut map = map;
        map.sort();
        map
    };
    let mut gtins: Vec<_> = ids
        .gtins
        .iter()
        .map(|(g, k)| (g.to_string(), k.0))
        .collect();
    gtins.sort();
    format!(
        "{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}",
        catalog.markets,
        catalog.locations,
        catalog.channels,
        catalog.products,
        catalog.promotions,
        catalog.index,
        catalog.store,
        catalog.lints,
        sorted(
            ids.markets
                .iter()
                .map(|(s, k)| (s.to_string(), k.0))
                .collect()
        ),
        sorted(
            ids.locations
                .iter()
                .map(|(s, k)| (s.to_string(), k.0))
                .collect()
        ),
        sorted(
            ids.channels
                .iter()
                .map(|(s, k)| (s.to_string(), k.0))
                .collect()
        ),
        sorted(ids.skus.iter().map(|(s, k)| (s.to_string(), k.0)).collect()),
        sorted(
            ids.promotions
                .iter()
                .map(|(s, k)| (s.to_string(), k.0))
                .collect()
        ),
        gtins,
    )
}

/// The error read from a reader is that of the text, but where serde_json's reader places an
/// error outside the entries one byte later (see `At::error`).
fn same_error(
    from_reader: &Result<Catalog, CatalogError>,
    from_text: &Result<Catalog, CatalogError>,
) -> bool {
    match (from_reader, from_text) {
        (
            Err(CatalogError::Syntax {
                path,
                line,
                column,
                message,
            }),
            Err(CatalogError::Syntax {
                path: p,
                line: l,
                column: c,
                message: m,
            }),
        ) if (path, line, message) == (p, l, m) && column != c => {
            // The documented difference: serde_json's reader counts a byte it has only peeked
            // at, so an error in the document's own keys, braces and commas (whatever the key
            // says, dots included) may be placed one column later. Inside a section's value,
            // an entry or `meta`, positions are exact.
            let in_value = path.starts_with('[')
                || super::FIELDS.iter().any(|s| {
                    path.strip_prefix(s)
                        .is_some_and(|rest| rest.starts_with('[') || rest.starts_with('.'))
                });
            // A key the document does not know is its own path, whatever it looks like.
            let unknown_key = message.starts_with(&format!("unknown field `{path}`"));
            let outside_entries = !in_value || unknown_key || path == ".";
            outside_entries && *column == c + 1
        }
        _ => outcome(from_reader) == outcome(from_text),
    }
}

/// Where two long texts part, for a message.
fn first_difference(a: &str, b: &str) -> String {
    let at = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
    let near = |s: &str| {
        s.get(at.saturating_sub(80)..(at + 80).min(s.len()))
            .unwrap_or("")
            .to_owned()
    };
    format!("at byte {at}:\n{}\n{}", near(a), near(b))
}

fn outcome(result: &Result<Catalog, CatalogError>) -> String {
    match result {
        Ok(catalog) => contents(catalog),
        Err(e) => format!("{e:?}"),
    }
}

/// What `Catalog::compile` gives for the document, and what reading it as text and from a reader
/// gives, with the keys in `order`.
fn check_order(doc: &CatalogDocument, order: &[usize]) -> Result<(), TestCaseError> {
    let expected = outcome(&Catalog::compile(doc));
    let text = text_in_order(doc, order);
    prop_assert_eq!(
        &outcome(&Catalog::from_json(&text)),
        &expected,
        "{:?}",
        order
    );
    prop_assert_eq!(
        &outcome(&Catalog::from_reader(text.as_bytes())),
        &expected,
        "{:?}",
        order
    );
    // The size is a hint: right, far too small or far too large, the same catalog.
    for size in [text.len() as u64, 1, u64::MAX] {
        prop_assert_eq!(
            &outcome(&Catalog::from_reader_sized(text.as_bytes(), size)),
            &expected,
            "{:?} {}",
            order,
            size
        );
    }
    Ok(())
}

fn documents() -> Vec<CatalogDocument> {
    vec![
        CatalogDocument::from_json(DEMO).unwrap(),
        CatalogDocument::from_json(BAD).unwrap(),
        crate::synthetic::catalog(&crate::synthetic::Shape::new(40, 7)),
    ]
}

#[test]
fn the_bad_document_has_problems_in_every_section_and_the_demo_none() {
    let Err(CatalogError::Invalid { problems }) = Catalog::from_json(BAD) else {
        panic!("the bad document must not compile");
    };
    for section in super::FIELDS.iter().filter(|k| **k != "meta") {
        assert!(
            problems.iter().any(|p| p.path.starts_with(section)),
            "{section}"
        );
    }
    assert!(problems.iter().any(|p| p.message.contains("overlaps")));
    assert!(
        problems
            .iter()
            .any(|p| p.message.contains("at or below zero"))
    );
    assert!(
        problems
            .iter()
            .any(|p| p.message.contains("already counts"))
    );
    assert!(Catalog::from_json(DEMO).is_ok());
}

#[test]
fn every_order_of_the_keys_gives_the_same_catalog_and_problems() {
    // Reversed, and each key moved to the front: every section both before and after what it
    // refers to.
    for doc in documents() {
        let mut orders: Vec<Vec<usize>> = vec![(0..8).collect(), (0..8).rev().collect()];
        for first in 0..8 {
            let mut order = vec![first];
            order.extend((0..8).filter(|&k| k != first));
            orders.push(order);
        }
        for order in orders {
            check_order(&doc, &order).unwrap();
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn shuffled_keys_give_the_same_catalog_and_problems(
        which in 0..3usize,
        order in Just((0..8).collect::<Vec<usize>>()).prop_shuffle(),
    ) {
        let doc = documents().swap_remove(which);
        check_order(&doc, &order)?;
    }

    /// Broken documents: bytes cut out, put in, or repeated. The reader says what the text says:
    /// the same message, line, column and path.
    #[test]
    fn a_reader_gives_the_errors_of_the_text(
        which in 0..2usize,
        cuts in proptest::collection::vec((0.0..1.0f64, 0..24usize, "[{}\\[\\],:\"a0 \n.-]{0,3}"), 1..4),
    ) {
        let mut text = [DEMO, BAD][which].to_owned();
        for (at, len, insert) in cuts {
            let mut start = (at * text.len() as f64) as usize;
            while !text.is_char_boundary(start) {
                start -= 1;
            }
            let mut end = (start + len).min(text.len());
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            if len % 3 == 0 {
                let repeated = text[start..end].to_owned();
                text.insert_str(end, &repeated);
            } else {
                text.replace_range(start..end, &insert);
            }
        }
        let (from_reader, from_text) = (Catalog::from_reader(text.as_bytes()), Catalog::from_json(&text));
        prop_assert!(same_error(&from_reader, &from_text), "{:?}\n{:?}\n{}", from_reader.err(), from_text.err(), text);
    }
}

/// A document whose prices and stock are read in many chunks, and the same with an error in an
/// entry far past the first chunk of its section.
#[test]
fn an_error_many_chunks_in_is_that_of_the_text() {
    let doc = crate::synthetic::catalog(&crate::synthetic::Shape::new(2_000, 11));
    assert!(doc.prices.len() > 3 * CHUNK, "{}", doc.prices.len());
    let text = serde_json::to_string_pretty(&doc).unwrap();
    let expected = outcome(&Catalog::compile(&doc));
    assert_eq!(outcome(&Catalog::from_reader(text.as_bytes())), expected);
    let sized = Catalog::from_reader_sized(text.as_bytes(), text.len() as u64);
    assert_eq!(outcome(&sized), expected);
    for (key, nth, broken) in [
        ("\"amount\": ", 3 * CHUNK + 7, "\"amount\" "),
        ("\"as_of\": ", CHUNK + 1, "\"as_of\": 12, \"x\": "),
        (
            "\"from\": ",
            2 * CHUNK,
            "\"from\": \"2026-13-01\", \"from\": ",
        ),
    ] {
        let at = text.match_indices(key).nth(nth).map(|(at, _)| at).unwrap();
        let mut broken_text = text.clone();
        broken_text.replace_range(at..at + key.len(), broken);
        let from_reader = Catalog::from_reader_sized(broken_text.as_bytes(), text.len() as u64);
        let from_text = Catalog::from_json(&broken_text);
        assert!(from_text.is_err(), "{key}");
        assert!(
            same_error(&from_reader, &from_text),
            "{key}: {:?} {:?}",
            from_reader.err(),
            from_text.err()
        );
    }
}

/// A chunk's pieces start at guesses: the first `}, {` after an even share of the chunk. Where
/// that is inside an entry (here in its `meta`, before an object that reads as a price entry),
/// the piece that starts there is dropped, and the entries are those of the document.
#[test]
fn pieces_that_start_inside_an_entry_are_dropped() {
    let mut doc = crate::synthetic::catalog(&crate::synthetic::Shape::new(1_000, 3));
    let ghost: crate::catalog::document::Meta = serde_json::from_str(
        r#"{"x": [{"a": 1}, {"sku": "GHOST", "market": "XX", "amount": "1 EUR", "from": "x"}]}"#,
    )
    .unwrap();
    for price in &mut doc.prices {
        price.meta = Some(ghost.clone());
    }
    let text = serde_json::to_string(&doc).unwrap();
    assert!(
        text.len() > 2 * super::chunk::CHUNK_BYTES,
        "{} bytes",
        text.len()
    );
    let expected = outcome(&Catalog::compile(&doc));
    assert!(!expected.contains("GHOST"));
    assert_eq!(outcome(&Catalog::from_reader(text.as_bytes())), expected);
}

/// Stock listed out of the products' order is built as if it were in order (the store does not
/// hold the entries' indexes, as price spans do), and snapshots counted twice are reported
/// whatever the order.
#[test]
fn entries_out_of_order_give_the_catalog_of_those_in_order() {
    let doc = crate::synthetic::catalog(&crate::synthetic::Shape::new(300, 5));
    let expected = outcome(&Catalog::compile(&doc));
    assert!(!expected.starts_with("Invalid"), "{expected}");
    let mut reversed = doc.clone();
    reversed.stock.reverse();
    let text = serde_json::to_string(&reversed).unwrap();
    let from_reader = outcome(&Catalog::from_reader(text.as_bytes()));
    assert!(
        from_reader == expected,
        "{}",
        first_difference(&from_reader, &expected)
    );

    let mut twice = CatalogDocument::from_json(DEMO).unwrap();
    let first = twice.stock[0].clone();
    let second = twice
        .stock
        .iter()
        .find(|s| s.sku != first.sku)
        .unwrap()
        .clone();
    twice.stock = vec![second.clone(), first.clone(), second, first];
    let Err(CatalogError::Invalid { problems }) = Catalog::compile(&twice) else {
        panic!("stock counted twice must not compile");
    };
    let found: Vec<(&str, &str)> = problems
        .iter()
        .map(|p| (p.path.as_str(), p.message.as_str()))
        .collect();
    let message = |entry: usize, snapshot: &crate::catalog::document::StockSnapshot| {
        format!(
            "stock[{entry}] already counts {:?} at {:?} at this instant",
            snapshot.sku, snapshot.location
        )
    };
    assert_eq!(
        found,
        vec![
            ("stock[2].as_of", message(0, &twice.stock[0]).as_str()),
            ("stock[3].as_of", message(1, &twice.stock[1]).as_str()),
        ]
    );
}

#[test]
fn top_level_errors_read_from_a_reader_are_those_of_the_text() {
    let cases = [
        "",
        "5",
        "{",
        "{\"markets\": 5}",
        "{\"markets\": [] \"stock\": []}",
        "{\"markets\": [], \"markets\": []}",
        "{\"meta\": 1, \"meta\": 2}",
        "{\"colour\": []}",
        "{\"markets\" []}",
        "{\"markets\": [1 2]}",
        // A comma before the first entry is the error, not a separator to read past.
        "{\n  \"markets\": [\n,\nid\": 1}]}",
        "{\"markets\": [{\"id\": \"IT\"}]}",
        "{\"markets\": [{\"id\": \"IT\", \"currency\": 5}]}",
        "{\"markets\": [], \"meta\": {\"a\": [1, {\"b\": tru}]}}",
        "{\"meta\": []}",
        "[[], [], [{\"id\": \"c\", \"kind\": \"web\", \"market\": \"IT\", \"x\": 1}]]",
        "[[], 5]",
        "[[], [], [], [], [], [], [], {}, []]",
        "[[], [], [], [], [], [], [], {\"a\": nul}]",
        "{\"stock\": [{\"sku\": \"P\", \"location\": \"wh\", \"on_hand\": 1.5, \"as_of\": \"x\"}]}",
        "{\"promotions\": [{\"id\": \"X\", \"from\": \"x\", \"mechanic\": {\"percent_off\": 12.5}}]}",
        "{\"products\": [{\"sku\": \"P\", \"title\": {\"it\": 5}}]}",
        "{} x",
        "{\"prices\": [{\"sku\": \"P\"}, {\"sku\": \"P\", \"market\": 1}]}",
        "{\"prices\": [\n  {\"sku\": \"P\", \"channels\": [\"a\", 2]}]}",
    ];
    for text in cases {
        let from_text = Catalog::from_json(text);
        assert!(
            matches!(from_text, Err(CatalogError::Syntax { .. })),
            "{text}: {from_text:?}"
        );
        let from_reader = Catalog::from_reader(text.as_bytes());
        assert!(
            same_error(&from_reader, &from_text),
            "{text}: {from_reader:?} {from_text:?}"
        );
    }
    let deep = format!(
        "{{\"meta\": {}1{}}}",
        "{\"a\": ".repeat(140),
        "}".repeat(140)
    );
    assert_eq!(
        outcome(&Catalog::from_reader(deep.as_bytes())),
        outcome(&Catalog::from_json(&deep))
    );
    let deep_entry = format!(
        "{{\"locations\": [{{\"id\": \"w\", \"kind\": \"store\", \"meta\": {}1{}}}]}}",
        "[".repeat(140),
        "]".repeat(140)
    );
    assert_eq!(
        outcome(&Catalog::from_reader(deep_entry.as_bytes())),
        outcome(&Catalog::from_json(&deep_entry))
    );
}

#[test]
fn a_reader_that_fails_is_an_error_at_the_document() {
    struct Failing;
    impl std::io::Read for Failing {
        fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
            Err(std::io::Error::other("disk on fire"))
        }
    }
    match Catalog::from_reader(Failing) {
        Err(CatalogError::Syntax { path, message, .. }) => {
            assert_eq!(path, ".");
            assert!(message.contains("disk on fire"), "{message}");
        }
        other => panic!("{other:?}"),
    }
}
