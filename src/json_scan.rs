//! Finding the end of a JSON string in raw bytes, for the readers that skip serde on the common
//! case: the catalog's entry scanner and the reader of rendering lines.

/// The first `"` or `\` at or after `from`. Eight bytes at a time: the strings of a catalog or a
/// rendering are short, and a call to `memchr` costs more than it saves on them.
pub(crate) fn quote_or_escape(bytes: &[u8], from: usize) -> Option<usize> {
    const ONES: u64 = u64::from_le_bytes([1; 8]);
    const HIGHS: u64 = u64::from_le_bytes([0x80; 8]);
    // A byte of `x` is zero where `x - ONES` borrows into its high bit and `x`'s is clear; a
    // borrow only carries past a zero byte, so the lowest byte flagged is the first zero.
    let zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGHS;
    let mut i = from;
    while let Some(word) = bytes
        .get(i..i + 8)
        .and_then(|w| <[u8; 8]>::try_from(w).ok())
    {
        let word = u64::from_le_bytes(word);
        let found = zero(word ^ (ONES * u64::from(b'"'))) | zero(word ^ (ONES * u64::from(b'\\')));
        if found != 0 {
            return Some(i + (found.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    let rest = bytes.get(i..)?;
    rest.iter()
        .position(|&b| b == b'"' || b == b'\\')
        .map(|k| i + k)
}

#[cfg(test)]
mod tests {
    use super::quote_or_escape;

    #[test]
    fn finds_the_first_quote_or_escape() {
        let text = br#"0123456789abcdef"x\y"#;
        for from in 0..text.len() {
            let expected = text[from..]
                .iter()
                .position(|&b| b == b'"' || b == b'\\')
                .map(|k| from + k);
            assert_eq!(quote_or_escape(text, from), expected, "from {from}");
        }
        assert_eq!(quote_or_escape(b"\x80\xff\"", 0), Some(2));
        assert_eq!(quote_or_escape(b"no quote here", 0), None);
    }
}
