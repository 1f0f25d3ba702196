//! The reader of catalog entries against serde: on every entry it reads, it must read what serde
//! reads as the public entry; on the entries of the common shape, it must read them (else it
//! would be a slow path in disguise).

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::{select, subsequence};
use serde::Deserialize;

use super::{price, product, stock};
use crate::catalog::document::{PriceEntry, ProductEntry, StockSnapshot};
use crate::read::scan::strategies::{fields, object_spaced, pick, quoted, sometimes, text};

/// The entry kinds: each reader, as the public entry it reads.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Product,
    Price,
    Stock,
}

/// What the reader of `kind` reads at the start of `text`, and what serde reads in the same bytes
/// (all of `text` if the reader reads nothing), as public entries (`Debug`); the reader's entry
/// must end where the scanner finds its end.
fn both(kind: Kind, text: &str) -> (Option<String>, Option<String>) {
    fn serde<E: for<'a> Deserialize<'a> + std::fmt::Debug>(text: &str) -> Option<String> {
        serde_json::from_str::<E>(text)
            .ok()
            .map(|e| format!("{e:?}"))
    }
    fn read<T>(
        text: &str,
        read: Option<(T, usize)>,
        show: impl Fn(T) -> String,
    ) -> (Option<String>, usize) {
        match read {
            Some((entry, len)) => {
                assert_eq!(
                    crate::read::tape::object_end(text.as_bytes(), 0),
                    Some(Some(len)),
                    "the scanner ends the entry elsewhere: {text}"
                );
                (Some(show(entry)), len)
            }
            None => (None, text.len()),
        }
    }
    match kind {
        Kind::Product => {
            let (fast, len) = read(text, product(text), |e| format!("{:?}", e.into_entry()));
            (fast, serde::<ProductEntry>(&text[..len]))
        }
        Kind::Price => {
            let (fast, len) = read(text, price(text), |e| format!("{:?}", e.into_entry()));
            (fast, serde::<PriceEntry>(&text[..len]))
        }
        Kind::Stock => {
            let (fast, len) = read(text, stock(text), |e| format!("{:?}", e.into_entry()));
            (fast, serde::<StockSnapshot>(&text[..len]))
        }
    }
}

/// The length the reader of `kind` reads at the start of `text`.
fn length(kind: Kind, text: &str) -> Option<usize> {
    match kind {
        Kind::Product => product(text).map(|(_, len)| len),
        Kind::Price => price(text).map(|(_, len)| len),
        Kind::Stock => stock(text).map(|(_, len)| len),
    }
}

/// A string of the shared pool; with `wrong`, sometimes a raw newline or tab in it (serde refuses
/// a control character in a string, and an entry over several lines has them between tokens).
fn string(wrong: bool) -> BoxedStrategy<String> {
    sometimes(text(wrong), &["\"a\nb\"", "\"\tx\"", "\"x\r\""], wrong)
}

/// A string, or `null`.
fn nullable(wrong: bool) -> BoxedStrategy<String> {
    prop_oneof![3 => string(wrong), 1 => Just("null".to_owned())].boxed()
}

/// A list of strings, or `null`.
fn channels(wrong: bool) -> BoxedStrategy<String> {
    prop_oneof![
        1 => Just("null".to_owned()),
        2 => vec(string(wrong), 0..4).prop_map(|list| format!("[{}]", list.join(","))),
        1 => pick(&["[ ]", "[\"web-it\" , \"app-it\"]"], &["[\"web-it\",]", "[,]", "[1]", "[null]", "{}"], wrong),
    ]
    .boxed()
}

/// An `i64` as serde reads it.
fn signed(wrong: bool) -> BoxedStrategy<String> {
    pick(
        &[
            "0",
            "7",
            "-2",
            "250",
            "9223372036854775807",
            "-9223372036854775807",
        ],
        &[
            "-0",
            "03",
            "-03",
            "1.0",
            "1e2",
            "-",
            "- 1",
            "+1",
            "9223372036854775808",
            "-9223372036854775808",
            "18446744073709551616",
            "\"3\"",
            "null",
            "true",
        ],
        wrong,
    )
}

/// `fields` with `optional` ones each present or absent, shuffled (and with `wrong`, damaged) by
/// the shared strategy, in an object spaced by one of the white spaces JSON allows.
fn entry(
    required: Vec<(String, String)>,
    optional: Vec<(String, String)>,
    wrong: bool,
) -> BoxedStrategy<String> {
    let n = optional.len();
    (vec(any::<bool>(), n), any::<bool>())
        .prop_flat_map(move |(present, meta)| {
            let mut all = required.clone();
            all.extend(
                optional
                    .iter()
                    .zip(&present)
                    .filter(|(_, present)| **present)
                    .map(|(field, _)| field.clone()),
            );
            if wrong && meta {
                all.push(("meta".to_owned(), r#"{"x":[1]}"#.to_owned()));
            }
            (
                fields(all, wrong),
                select(vec!["", " ", "\n    ", "\t", "\r\n  "]),
            )
                .prop_map(|(fields, space)| object_spaced(&fields, space))
        })
        .boxed()
}

fn price_entry(wrong: bool) -> BoxedStrategy<String> {
    (
        (string(wrong), string(wrong), string(wrong), string(wrong)),
        (channels(wrong), nullable(wrong)),
    )
        .prop_flat_map(move |((sku, market, amount, from), (channels, until))| {
            let required = vec![
                ("sku".to_owned(), sku),
                ("market".to_owned(), market),
                ("amount".to_owned(), amount),
                ("from".to_owned(), from),
            ];
            let optional = vec![
                ("channels".to_owned(), channels),
                ("until".to_owned(), until),
            ];
            entry(required, optional, wrong)
        })
        .boxed()
}

fn stock_entry(wrong: bool) -> BoxedStrategy<String> {
    (
        (string(wrong), string(wrong), string(wrong)),
        (signed(wrong), signed(wrong)),
    )
        .prop_flat_map(move |((sku, location, as_of), (on_hand, reserved))| {
            let required = vec![
                ("sku".to_owned(), sku),
                ("location".to_owned(), location),
                ("on_hand".to_owned(), on_hand),
                ("as_of".to_owned(), as_of),
            ];
            entry(required, vec![("reserved".to_owned(), reserved)], wrong)
        })
        .boxed()
}

/// A title: a string, or one by locale.
fn title(wrong: bool) -> BoxedStrategy<String> {
    let locales = subsequence(vec!["it-IT", "de-DE", "en", "fr-CH"], 0..=3);
    let by_locale = (locales, vec(string(wrong), 3), any::<bool>())
        .prop_map(move |(locales, titles, twice)| {
            let mut pairs: Vec<String> = locales
                .iter()
                .zip(&titles)
                .map(|(locale, title)| format!("{}: {title}", quoted(locale)))
                .collect();
            if wrong
                && twice
                && let Some(first) = pairs.first().cloned()
            {
                pairs.push(first);
            }
            format!("{{{}}}", pairs.join(","))
        })
        .boxed();
    sometimes(
        prop_oneof![string(wrong), by_locale].boxed(),
        &[
            "{\"it\":null}",
            "{\"it\":1}",
            "[\"T\"]",
            "{\"\\u0069t\":\"T\"}",
        ],
        wrong,
    )
}

/// A unit (net quantity), or `null`.
fn unit(wrong: bool) -> BoxedStrategy<String> {
    let quantity = prop_oneof![
        "[0-9]{1,3}(\\.[0-9]{1,3})?".prop_map(quoted),
        pick(
            &["0", "1", "750", "18446744073709551615"],
            &[
                "0.5",
                "-1",
                "-0",
                "01",
                "1e3",
                "null",
                "18446744073709551616"
            ],
            wrong
        ),
    ];
    let measure = pick(
        &[
            "\"kg\"", "\"g\"", "\"l\"", "\"ml\"", "\"m\"", "\"m2\"", "\"m3\"", "\"item\"",
        ],
        &["\"KG\"", "\"lb\"", "\"k\\u0067\"", "null", "3"],
        wrong,
    );
    let unit = (quantity, measure)
        .prop_flat_map(move |(quantity, measure)| {
            let required = vec![
                ("quantity".to_owned(), quantity),
                ("measure".to_owned(), measure),
            ];
            fields(required, wrong).prop_map(|fields| object_spaced(&fields, ""))
        })
        .boxed();
    prop_oneof![3 => unit, 1 => Just("null".to_owned())].boxed()
}

fn product_entry(wrong: bool) -> BoxedStrategy<String> {
    (
        (
            string(wrong),
            title(wrong),
            nullable(wrong),
            nullable(wrong),
        ),
        (nullable(wrong), nullable(wrong), unit(wrong)),
        (
            pick(
                &["true", "false"],
                &["null", "1", "\"true\"", "tru", "falsey"],
                wrong,
            ),
            channels(wrong),
        ),
    )
        .prop_flat_map(
            move |(
                (sku, title, gtin, brand),
                (category, launched, unit),
                (perishable, channels),
            )| {
                let required = vec![("sku".to_owned(), sku), ("title".to_owned(), title)];
                let optional = vec![
                    ("gtin".to_owned(), gtin),
                    ("brand".to_owned(), brand),
                    ("category".to_owned(), category),
                    ("launched".to_owned(), launched),
                    ("unit".to_owned(), unit),
                    ("perishable".to_owned(), perishable),
                    ("channels".to_owned(), channels),
                ];
                entry(required, optional, wrong)
            },
        )
        .boxed()
}

/// An entry of any kind; with `wrong`, with mistakes of every kind above.
fn any_entry(wrong: bool) -> BoxedStrategy<(Kind, String)> {
    prop_oneof![
        product_entry(wrong).prop_map(|text| (Kind::Product, text)),
        price_entry(wrong).prop_map(|text| (Kind::Price, text)),
        stock_entry(wrong).prop_map(|text| (Kind::Stock, text)),
    ]
    .boxed()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn entries_of_the_common_shape_are_read_as_serde_reads_them((kind, text) in any_entry(false)) {
        let (fast, serde) = both(kind, &text);
        prop_assert!(serde.is_some(), "serde refuses a valid entry: {}", text);
        prop_assert_eq!(fast, serde, "{}", text);
        prop_assert_eq!(length(kind, &text), Some(text.len()), "{}", text);
        // Followed by the rest of a list, as in a catalog.
        let listed = format!("{text}, {text}]");
        prop_assert_eq!(length(kind, &listed), Some(text.len()), "{}", listed);
    }

    #[test]
    fn an_entry_broken_anywhere_is_never_read_otherwise(
        (kind, text) in any_entry(false),
        at in any::<prop::sample::Index>(),
        cut in 0..3_usize,
        insert in select(vec!["", "{", "}", "[", "]", "\"", ":", ",", " ", "\n", "\t", "\\", "0", "-", ".", "a", "\u{e9}", "\u{1}", "null", "true"]),
    ) {
        let chars: Vec<char> = text.chars().collect();
        let at = at.index(chars.len() + 1);
        let mut broken: String = chars[..at].iter().collect();
        broken.push_str(insert);
        broken.extend(chars.iter().skip(at + cut));
        let (fast, serde) = both(kind, &broken);
        if fast.is_some() {
            prop_assert_eq!(fast, serde, "{}", broken);
        }
    }

    #[test]
    fn an_entry_cut_short_is_never_read(
        (kind, text) in any_entry(false),
        at in any::<prop::sample::Index>(),
    ) {
        let chars: Vec<char> = text.chars().collect();
        let cut: String = chars[..at.index(chars.len())].iter().collect();
        let (fast, serde) = both(kind, &cut);
        prop_assert_eq!(fast, None, "{}", cut);
        prop_assert_eq!(serde, None, "{}", cut);
    }
}

proptest! {
    // Entries with mistakes: most have several, and only those with one mistake that the reader
    // misses can fail, so many cases are needed to meet each mistake alone.
    #![proptest_config(ProptestConfig::with_cases(4096))]

    #[test]
    fn an_entry_read_is_what_serde_reads((kind, text) in any_entry(true)) {
        let (fast, serde) = both(kind, &text);
        if fast.is_some() {
            prop_assert_eq!(fast, serde, "{}", text);
        }
    }
}

#[test]
fn what_the_entry_reader_leaves_to_serde() {
    let price_ok = r#"{"sku":"AUD-0000000","market":"IT","channels":null,"amount":"126.49 EUR","from":"2026-01-01","until":"2026-01-25"}"#;
    let stock_ok = r#"{"sku":"DAI-0099974","location":"wh-leipzig","on_hand":44,"reserved":10,"as_of":"2026-01-01T04:00:00Z"}"#;
    let product_ok = r#"{"sku":"SHO-0000001","gtin":"8085785422317","title":{"de-DE":"Sneaker Passo X48","it-IT":"Sneaker Passo X48"},"brand":"Passo","category":"fashion/shoes","launched":"2026-03-18T00:00:00+01:00","unit":{"quantity":"1","measure":"item"},"perishable":false,"channels":["web-it","app-it"]}"#;
    for (kind, ok) in [
        (Kind::Price, price_ok),
        (Kind::Stock, stock_ok),
        (Kind::Product, product_ok),
    ] {
        let (fast, serde) = both(kind, ok);
        assert!(fast.is_some(), "the generator's shape is read: {ok}");
        assert_eq!(fast, serde);
    }
    // Over several lines, as a person or `json.dumps(indent=2)` writes a catalog.
    let pretty = "{\n  \"sku\": \"A\",\n\t\"location\": \"wh\",\r\n  \"on_hand\": -2,\n  \"as_of\": \"t\"\n}";
    assert_eq!(
        stock(pretty).map(|(s, _)| s.into_entry()),
        serde_json::from_str::<StockSnapshot>(pretty).ok()
    );
    assert_eq!(length(Kind::Stock, pretty), Some(pretty.len()));
    let declined = [
        // meta, an escaped key, a repeated key, an unknown key, a float, -0, a raw newline in a
        // string, a trailing comma
        (
            Kind::Price,
            price_ok.replace(r#""until""#, r#""meta":{},"until""#),
        ),
        (Kind::Price, price_ok.replace(r#""sku""#, r#""\u0073ku""#)),
        (
            Kind::Price,
            price_ok.replace(r#""market":"IT""#, r#""sku":"B","market":"IT""#),
        ),
        (Kind::Price, price_ok.replace(r#""market""#, r#""markt""#)),
        (Kind::Stock, stock_ok.replace("44", "44.0")),
        (Kind::Stock, stock_ok.replace("44", "-0")),
        (Kind::Stock, stock_ok.replace("wh-leipzig", "wh\nleipzig")),
        (Kind::Product, product_ok.replace("]}", "],}")),
    ];
    let read: Vec<bool> = declined
        .iter()
        .map(|(kind, text)| {
            let (fast, serde) = both(*kind, text);
            assert_eq!(fast, None, "{text}");
            serde.is_some()
        })
        .collect();
    // Each of those serde reads or refuses on its own terms.
    assert_eq!(read, [true, true, false, false, false, false, false, false]);
}
