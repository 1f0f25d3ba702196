//! The fast reader against serde: on every line it reads, it must read what serde reads; on the
//! lines of the common shape, it must read them (else it would be a slow path in disguise).

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;

use super::parse;
use crate::read::scan::strategies::{fields, object, pick, quoted, sometimes, text};
use crate::rendering::{CLAIM_FIELDS, Rendering};

fn serde(line: &str) -> Option<Rendering> {
    serde_json::from_str(line).ok()
}

fn money(wrong: bool) -> BoxedStrategy<String> {
    let codes = select(vec!["EUR", "USD", "JPY", "KWD"]);
    let plain = prop_oneof![
        9 => ("[0-9]{1,6}(\\.[0-9]{1,3})?", codes)
            .prop_map(|(amount, code)| quoted(format!("{amount} {code}"))),
        1 => Just(r#""719.20\u0020EUR""#.to_owned()),
    ]
    .boxed();
    let broken = &[
        r#""-1.00 EUR""#,
        r#""1,00 EUR""#,
        r#""1. EUR""#,
        r#""1 eur""#,
        r#""1 XXX""#,
        r#""1000000000000000 EUR""#,
        r#""0000000000000000001.5 EUR""#,
        "719.2",
        r#""1  EUR""#,
    ];
    sometimes(plain, broken, wrong)
}

/// In time order.
const INSTANTS: &[&str] = &[
    r#""2026-01-01T00:00:27.5Z""#,
    r#""2026-11-27T07:00:00+01:00""#,
    r#""2026-11-28T10:00:00Z""#,
    r#""2026-12-31T23:59:59-05:00""#,
];
const BAD_INSTANTS: &[&str] = &[
    r#""2026-11-27T07:00:00""#,
    r#""2026-13-01T00:00:00Z""#,
    r#""2026-11-27""#,
    "null",
    "1700000000",
];

fn integer(wrong: bool) -> BoxedStrategy<String> {
    pick(
        &[
            "0",
            "1",
            "2",
            "3",
            "8",
            "20",
            "4294967295",
            "18446744073709551615",
        ],
        &[
            "-3",
            "3.0",
            "03",
            "1e2",
            "4294967296",
            "18446744073709551616",
            "\"3\"",
            "null",
        ],
        wrong,
    )
}

/// A multi-buy's count: a `u32`.
fn count(wrong: bool) -> BoxedStrategy<String> {
    pick(
        &["1", "2", "3", "4294967295"],
        &["0.5", "-1", "4294967296", "02"],
        wrong,
    )
}

fn claim_value(kind: &'static str, wrong: bool) -> BoxedStrategy<String> {
    match kind {
        "price" | "member_price" | "reference_price" | "amount_off" => money(wrong),
        "percent_off" => prop_oneof![
            "[0-9]{1,2}(\\.[0-9]{1,2})?".prop_map(quoted),
            integer(wrong),
            pick(&[r#""12.5""#], &["20.5", r#""twenty""#, r#""-5""#], wrong),
        ]
        .boxed(),
        "multi_buy" => (
            count(wrong),
            count(wrong),
            pick(&[""], &[r#","get":1"#], wrong),
        )
            .prop_map(|(buy, pay, extra)| format!(r#"{{"buy":{buy},"pay":{pay}{extra}}}"#))
            .boxed(),
        "valid_from" | "valid_until" => prop_oneof![
            pick(INSTANTS, BAD_INSTANTS, wrong),
            pick(
                &[r#""2026-11-30""#, r#""2026-02-28""#],
                &[r#""2026-02-30""#, r#""30/11/2026""#],
                wrong
            ),
        ]
        .boxed(),
        "availability" => pick(
            &[
                r#""in_stock""#,
                r#""out_of_stock""#,
                r#""low_stock""#,
                r#""preorder""#,
                r#""backorder""#,
            ],
            &[r#""sold_out""#, r#""InStock""#],
            wrong,
        ),
        "stock_quantity" => integer(wrong),
        "unit_price" => (
            money(wrong),
            pick(
                &[
                    r#""1 kg""#,
                    r#""100 g""#,
                    r#""kg""#,
                    r#""0.75l""#,
                    r#""1 m2""#,
                ],
                &[r#""0 kg""#, r#""1 KG""#, r#""1 item""#],
                wrong,
            ),
        )
            .prop_map(|(price, per)| format!(r#"{{"price":{price},"per":{per}}}"#))
            .boxed(),
        _ => text(wrong),
    }
}

/// The claim kinds: the keys of a claim but `source`.
fn kinds() -> Vec<&'static str> {
    CLAIM_FIELDS
        .iter()
        .copied()
        .filter(|key| *key != "source")
        .collect()
}

fn claim(wrong: bool) -> BoxedStrategy<String> {
    (
        select(kinds()),
        any::<bool>(),
        "[a-z/#0-9.]{1,8}",
        any::<bool>(),
    )
        .prop_flat_map(move |(kind, sourced, source, spaced)| {
            claim_value(kind, wrong).prop_flat_map(move |value| {
                let mut required = vec![(kind.to_owned(), value)];
                if sourced {
                    required.push(("source".to_owned(), quoted(&source)));
                }
                fields(required, wrong).prop_map(move |f| object(&f, spaced))
            })
        })
        .boxed()
}

fn shown(wrong: bool) -> BoxedStrategy<String> {
    // INSTANTS is in time order: a window from an earlier to a later one is valid.
    let window = (0..INSTANTS.len(), 0..INSTANTS.len()).prop_map(move |(a, b)| {
        let (from, until) = if wrong { (a, b) } else { (a.min(b), a.max(b)) };
        match (INSTANTS.get(from), INSTANTS.get(until)) {
            (Some(from), Some(until)) if from != until || wrong => {
                format!(r#"{{"until":{until},"from":{from}}}"#)
            }
            (Some(from), _) => format!(r#"{{"from":{from}}}"#),
            _ => "{}".to_owned(),
        }
    });
    prop_oneof![
        pick(INSTANTS, BAD_INSTANTS, wrong).prop_map(|at| format!(r#"{{"at":{at}}}"#)),
        window,
        pick(
            &[r#"{"at":"2026-11-28T10:00:00Z"}"#],
            &[
                r#"{"at":"2026-11-28T10:00:00Z","from":"2026-11-28T10:00:00Z"}"#,
                r#"{"from":"2026-11-28T10:00:00Z","until":null}"#,
                "{}"
            ],
            wrong
        ),
    ]
    .boxed()
}

/// A rendering line of the generator's shape; with `wrong`, with mistakes of every kind above.
fn line(wrong: bool) -> BoxedStrategy<String> {
    (
        text(wrong),
        text(wrong),
        text(wrong),
        shown(wrong),
        vec(claim(wrong), 0..6),
        any::<bool>(),
        0..4,
    )
        .prop_flat_map(move |(id, channel, sku, shown, claims, spaced, extras)| {
            let mut required = vec![
                ("id".to_owned(), id),
                ("channel".to_owned(), channel),
                ("shown".to_owned(), shown),
                (
                    "claims".to_owned(),
                    format!("[{}]", claims.join(if spaced { ", " } else { "," })),
                ),
            ];
            if extras & 1 == 1 {
                required.push(("sku".to_owned(), sku.clone()));
            }
            if extras & 2 == 2 {
                required.push(("gtin".to_owned(), quoted("08012345678907")));
            }
            if wrong && extras == 3 {
                required.push(("meta".to_owned(), r#"{"page":1}"#.to_owned()));
            }
            fields(required, wrong).prop_map(move |f| object(&f, spaced))
        })
        .boxed()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn lines_of_the_common_shape_are_read_as_serde_reads_them(line in line(false), tail in select(vec!["", " ", "\r", " \r"])) {
        let line = format!("{line}{tail}");
        let expected = serde(&line);
        prop_assert!(expected.is_some(), "serde refuses a valid line: {}", line);
        prop_assert_eq!(parse(&line), expected, "{}", line);
    }

    #[test]
    fn a_line_broken_anywhere_is_never_read_otherwise(
        line in line(false),
        at in any::<prop::sample::Index>(),
        cut in 0..3_usize,
        insert in select(vec!["", "{", "}", "[", "]", "\"", ":", ",", " ", "\t", "\\", "0", "-", "a", "\u{e9}", "null"]),
    ) {
        let chars: Vec<char> = line.chars().collect();
        let at = at.index(chars.len() + 1);
        let mut broken: String = chars[..at].iter().collect();
        broken.push_str(insert);
        broken.extend(chars.iter().skip(at + cut));
        if let Some(fast) = parse(&broken) {
            prop_assert_eq!(Some(fast), serde(&broken), "{}", broken);
        }
    }
}

proptest! {
    // Lines with mistakes: most have several, and only those with one mistake that the reader
    // misses can fail, so many cases are needed to meet each mistake alone.
    #![proptest_config(ProptestConfig::with_cases(4096))]

    #[test]
    fn a_line_read_is_what_serde_reads(line in line(true)) {
        if let Some(fast) = parse(&line) {
            prop_assert_eq!(Some(fast), serde(&line), "{}", line);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// A reader that keeps the memory of the lines before reads each line as a fresh parse does,
    /// whatever those lines were: valid, broken, read by serde or refused.
    #[test]
    fn a_line_read_in_the_memory_of_the_last_is_read_alike(
        lines in vec(prop_oneof![line(false), line(true)], 1..8),
    ) {
        let mut reader = crate::rendering::LineReader::default();
        for (i, line) in lines.iter().enumerate() {
            let fresh = crate::rendering::parse_line(line, i + 1);
            let reused = reader.parse(line, i + 1).cloned();
            prop_assert_eq!(reused, fresh, "line {}: {}", i + 1, line);
        }
    }
}

#[test]
fn what_the_fast_reader_leaves_to_serde() {
    let ok = r#"{"id":"r2","channel":"web-it","sku":"SKI-0004248","shown":{"at":"2026-01-01T00:01:13Z"},"claims":[{"price":"68.90 EUR"},{"valid_until":"2026-04-07"},{"unit_price":{"price":"344.50 EUR","per":"1 l"}},{"availability":"out_of_stock"},{"gtin":"08085785464782"},{"title":"Crema solare Bella Pelle 200 ml"}]}"#;
    assert!(parse(ok).is_some(), "the generator's shape is read");
    assert_eq!(parse(ok), serde(ok));
    // Escapes in values are read, as PHP's and Python's encoders write them.
    let escaped = ok.replace("Crema solare", r#"Cr\u00e8ma \\ \"solare\" \ud83d\ude00\/"#);
    let read = parse(&escaped).map(|r| r.claims[5].value.value_text());
    assert_eq!(
        read.as_deref(),
        Some("Cr\u{e8}ma \\ \"solare\" \u{1f600}/ Bella Pelle 200 ml")
    );
    assert_eq!(parse(&escaped), serde(&escaped));
    let declined = [
        // an escape in a key, a tab between tokens, meta, a repeated key, a JSON float, a leading
        // zero, a lone surrogate, trailing text
        ok.replace(r#""sku""#, r#""\u0073ku""#),
        ok.replace(r#","channel""#, "\t,\"channel\""),
        ok.replace(r#""sku""#, r#""meta":{"x":1},"sku""#),
        ok.replace(r#""sku""#, r#""id":"again","sku""#),
        ok.replace(
            r#"{"availability":"out_of_stock"}"#,
            r#"{"stock_quantity":3.0}"#,
        ),
        ok.replace(
            r#"{"availability":"out_of_stock"}"#,
            r#"{"stock_quantity":03}"#,
        ),
        ok.replace("Crema", r"\ud83dCrema"),
        format!("{ok} x"),
    ];
    for line in &declined {
        assert_eq!(parse(line), None, "{line}");
    }
    // Each of those serde reads or refuses on its own terms.
    let read: Vec<bool> = declined.iter().map(|line| serde(line).is_some()).collect();
    assert_eq!(read, [true, true, true, false, false, false, false, false]);
}
