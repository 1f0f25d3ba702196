//! Proptest strategies for JSON texts, shared by the tests of the hand-written readers (rendering
//! lines, catalog entries): strings with and without escapes, objects in any key order, and the
//! mistakes a reader must decline or read as serde does.

use proptest::prelude::*;
use proptest::sample::select;

/// A JSON string of `text` as written (the pools below hold no character that needs escaping,
/// except the escapes they hold on purpose).
pub(crate) fn quoted(text: impl AsRef<str>) -> String {
    format!("\"{}\"", text.as_ref())
}

/// `plain`, and with `wrong`, one time in ten a value that serde refuses or that the fast reader
/// declines (an escape, a number where text is expected, a null, a bad amount or date): rare
/// enough that a line often has only the one mistake.
pub(crate) fn sometimes(
    plain: BoxedStrategy<String>,
    broken: &'static [&'static str],
    wrong: bool,
) -> BoxedStrategy<String> {
    if wrong && !broken.is_empty() {
        prop_oneof![9 => plain, 1 => select(broken).prop_map(str::to_owned)].boxed()
    } else {
        plain
    }
}

/// One of `valid`, or with `wrong` sometimes one of `broken`.
pub(crate) fn pick(
    valid: &'static [&'static str],
    broken: &'static [&'static str],
    wrong: bool,
) -> BoxedStrategy<String> {
    sometimes(select(valid).prop_map(str::to_owned).boxed(), broken, wrong)
}

pub(crate) fn text(wrong: bool) -> BoxedStrategy<String> {
    // JSON's escapes, as PHP's and Python's encoders write them (`\/`, `\u00e8`), and a pair.
    let escaped = select(vec![
        r#""TV 55\" OLED""#,
        r#""caff\u00e8""#,
        r#""a\/b\\c""#,
        r#""\ud83d\ude00 \u20AC""#,
        r#""tab\there\n\r\b\f""#,
        r#""\u0000""#,
    ]);
    let plain = prop_oneof![
        4 => "[a-zA-Z0-9 àé€/#._&'-]{0,12}".prop_map(quoted),
        1 => escaped.prop_map(str::to_owned),
    ]
    .boxed();
    let broken = &[
        r#""\x""#,
        r#""\ud83d""#,
        r#""\ud83d\u0041""#,
        r#""\udc00""#,
        r#""\u12""#,
        r#""\u+123""#,
        r#""\u00g1""#,
        r#""a\"#,
        "null",
        "12",
        "\"\u{1}\"",
        "[]",
    ];
    sometimes(plain, broken, wrong)
}

/// An object of `fields` (key, JSON value), in the order given, `spaced` or not.
pub(crate) fn object(fields: &[(String, String)], spaced: bool) -> String {
    object_spaced(fields, if spaced { " " } else { "" })
}

/// An object of `fields` (key, JSON value), in the order given, with `space` after its brace,
/// each colon and comma, and before its closing brace.
pub(crate) fn object_spaced(fields: &[(String, String)], space: &str) -> String {
    let body: Vec<String> = fields
        .iter()
        .map(|(k, v)| format!("{}:{space}{v}", quoted(k)))
        .collect();
    format!("{{{space}{}{space}}}", body.join(&format!(",{space}")))
}

/// Fields in a shuffled order; with `wrong`, sometimes one repeated, dropped or unknown.
pub(crate) fn fields(
    required: Vec<(String, String)>,
    wrong: bool,
) -> BoxedStrategy<Vec<(String, String)>> {
    let n = required.len();
    (
        Just(required).prop_shuffle(),
        0..if wrong { 24 } else { 1 },
        0..n.max(1),
    )
        .prop_map(move |(mut fields, damage, at)| {
            match damage {
                1 if !fields.is_empty() => {
                    let again = fields[at % fields.len()].clone();
                    fields.push(again);
                }
                2 if !fields.is_empty() => {
                    fields.remove(at % fields.len());
                }
                3 => fields.insert(at.min(fields.len()), ("colour".into(), quoted("red"))),
                _ => {}
            }
            fields
        })
        .boxed()
}
