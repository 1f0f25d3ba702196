//! The SKU of a rendering line, seen without parsing the line: only to order the work (renderings
//! of one product checked together touch the catalog's memory once). The check itself reads the
//! parsed rendering, so a glance that sees wrong only costs locality, never a wrong finding.

/// The SKU of a rendering line as a glance at its bytes sees it: the string after the first
/// `"sku"` key, when it has no escape. `None` when there is none or it is not simple.
pub(crate) fn sku_at_a_glance(line: &str) -> Option<&str> {
    let bytes = line.as_bytes();
    let key = sku_key(bytes)?;
    let mut at = key + 5;
    let skip_space = |at: &mut usize| {
        while bytes.get(*at).is_some_and(u8::is_ascii_whitespace) {
            *at += 1;
        }
    };
    skip_space(&mut at);
    (bytes.get(at) == Some(&b':')).then_some(())?;
    at += 1;
    skip_space(&mut at);
    (bytes.get(at) == Some(&b'"')).then_some(())?;
    let start = at + 1;
    let end = start + memchr::memchr2(b'"', b'\\', bytes.get(start..)?)?;
    // The quotes are ASCII, so both ends are character boundaries of the text.
    line.get(start..end)
        .filter(|_| bytes.get(end) == Some(&b'"'))
}

/// Where `"sku"` first is in `bytes`: found by its `k`, a letter that is rare before it in a
/// rendering line (the key comes early), which a search for the next byte finds faster than a
/// substring search gets started on a short line.
fn sku_key(bytes: &[u8]) -> Option<usize> {
    memchr::memchr_iter(b'k', bytes).find_map(|k| {
        let start = k.checked_sub(2)?;
        (bytes.get(start..start + 5)? == b"\"sku\"").then_some(start)
    })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    /// The glance finds a plain SKU wherever the key is and however it is spaced, and gives up
    /// on escapes or a missing value rather than guessing.
    #[test]
    fn a_glance_finds_plain_skus_only() {
        fn glance(line: &str) -> Option<&str> {
            super::sku_at_a_glance(line)
        }
        assert_eq!(
            glance(r#"{"id":"a","sku":"FUR-1","shown":{}}"#),
            Some("FUR-1")
        );
        assert_eq!(glance(r#"{"sku" :  "FUR 1" , "id": "a"}"#), Some("FUR 1"));
        assert_eq!(glance(r#"{"sku":"FUR-\u0031"}"#), None);
        assert_eq!(glance(r#"{"sku":null}"#), None);
        assert_eq!(glance(r#"{"sku":"FUR-1"#), None);
        assert_eq!(glance(r#"{"gtin":"08012345678907"}"#), None);
        assert_eq!(glance(r#"{"sku""#), None);
    }

    proptest! {
        /// The key is found where a substring search finds it first.
        #[test]
        fn the_sku_key_is_found_where_it_first_is(
            line in proptest::collection::vec(
                prop_oneof![
                    Just("\"sku\"".to_owned()),
                    Just("k".to_owned()),
                    Just("\"sk".to_owned()),
                    Just("ku\"".to_owned()),
                    "[a-z\": ]{0,6}",
                ],
                0..12,
            ).prop_map(|parts| parts.concat()),
        ) {
            let expected = memchr::memmem::find(line.as_bytes(), b"\"sku\"");
            prop_assert_eq!(super::sku_key(line.as_bytes()), expected, "{}", line);
        }
    }
}
