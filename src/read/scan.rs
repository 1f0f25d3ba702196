//! Reading JSON by hand, for the readers that skip serde on the common case: the catalog's entry
//! scanner and the readers of rendering lines and of catalog entries.
//!
//! [`Reader`] reads tokens and declines (`None`) whatever it does not read, so that its callers
//! can leave such a text to serde, which reads everything and names what is wrong: declining is
//! always safe, reading a text otherwise than serde never is.

use std::borrow::Cow;

/// The first `"` or `\` at or after `from`. Eight bytes at a time: the strings of a catalog or a
/// rendering are short, and a call to `memchr` costs more than it saves on them.
#[inline]
pub(crate) fn quote_or_escape(bytes: &[u8], from: usize) -> Option<usize> {
    search::<false>(bytes, from)
}

/// The first `"` or `\` at or after `from`, or with `CONTROLS` a byte below 0x20 (which serde
/// refuses in a string).
fn search<const CONTROLS: bool>(bytes: &[u8], from: usize) -> Option<usize> {
    const ONES: u64 = u64::from_le_bytes([1; 8]);
    const HIGHS: u64 = u64::from_le_bytes([0x80; 8]);
    // A byte of `x` is below `n` (at most 0x80) where `x - n` borrows into its high bit and
    // `x`'s is clear; a borrow only carries past a byte below `n`, so the lowest byte flagged is
    // the first such byte. A zero byte is one below 1.
    let below = |x: u64, n: u8| x.wrapping_sub(ONES * u64::from(n)) & !x & HIGHS;
    let mut i = from;
    while let Some(word) = bytes
        .get(i..i + 8)
        .and_then(|w| <[u8; 8]>::try_from(w).ok())
    {
        let word = u64::from_le_bytes(word);
        let mut found =
            below(word ^ (ONES * u64::from(b'"')), 1) | below(word ^ (ONES * u64::from(b'\\')), 1);
        if CONTROLS {
            found |= below(word, 0x20);
        }
        if found != 0 {
            return Some(i + (found.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    let rest = bytes.get(i..)?;
    rest.iter()
        .position(|&b| b == b'"' || b == b'\\' || (CONTROLS && b < 0x20))
        .map(|k| i + k)
}

/// Whether any byte is below 0x20, without an early exit, so that the compiler vectorises it.
pub(crate) fn has_control(bytes: &[u8]) -> bool {
    bytes.iter().fold(false, |seen, &b| seen | (b < 0x20))
}

/// Sets a field read once; a second time is serde's duplicate-field error.
#[inline]
pub(crate) fn once<T>(slot: &mut Option<T>, value: T) -> Option<()> {
    match slot {
        Some(_) => None,
        None => {
            *slot = Some(value);
            Some(())
        }
    }
}

/// A reader of the tokens of one JSON text, each method reading a token or declining.
///
/// `CONTROLS`: whether the text may hold bytes below 0x20, white space between tokens or serde's
/// error in a string, which its strings are then searched for; without, a text known to hold
/// none (see [`has_control`]) is read with a space as its only white space.
pub(crate) struct Reader<'a, const CONTROLS: bool = true> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(text: &'a str) -> Reader<'a> {
        Reader {
            text,
            bytes: text.as_bytes(),
            pos: 0,
        }
    }
}

impl<'a> Reader<'a, false> {
    /// A reader of a text that holds no byte below 0x20.
    pub(crate) fn without_controls(text: &'a str) -> Reader<'a, false> {
        Reader {
            text,
            bytes: text.as_bytes(),
            pos: 0,
        }
    }
}

impl<'a, const CONTROLS: bool> Reader<'a, CONTROLS> {
    /// How far it has read, in bytes.
    #[inline]
    pub(crate) fn position(&self) -> usize {
        self.pos
    }

    /// Whether only white space is left.
    #[inline]
    pub(crate) fn at_end(&mut self) -> bool {
        self.skip_space();
        self.pos == self.bytes.len()
    }

    #[inline]
    pub(crate) fn skip_space(&mut self) {
        if CONTROLS {
            while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.bytes.get(self.pos) {
                self.pos += 1;
            }
        } else {
            while self.bytes.get(self.pos) == Some(&b' ') {
                self.pos += 1;
            }
        }
    }

    /// The next byte that is not white space.
    #[inline]
    pub(crate) fn peek(&mut self) -> Option<u8> {
        self.skip_space();
        self.bytes.get(self.pos).copied()
    }

    #[inline]
    pub(crate) fn eat(&mut self, byte: u8) -> Option<()> {
        (self.peek()? == byte).then(|| self.pos += 1)
    }

    /// `word` (a JSON literal: `null`, `true`, `false`) next.
    #[inline]
    pub(crate) fn literal(&mut self, word: &str) -> Option<()> {
        self.skip_space();
        let end = self.pos + word.len();
        (self.bytes.get(self.pos..end)? == word.as_bytes()).then(|| self.pos = end)
    }

    /// `null`, as `None`, or a value read by `value`.
    pub(crate) fn nullable<T>(
        &mut self,
        value: impl FnOnce(&mut Self) -> Option<T>,
    ) -> Option<Option<T>> {
        if self.peek()? == b'n' {
            self.literal("null")?;
            return Some(None);
        }
        value(self).map(Some)
    }

    /// A key: a string without escapes or control characters, as it is in the text.
    #[inline]
    pub(crate) fn key(&mut self) -> Option<&'a str> {
        self.eat(b'"')?;
        let (key, end) = self.run(self.pos)?;
        if self.bytes.get(end) != Some(&b'"') {
            return None;
        }
        self.pos = end + 1;
        Some(key)
    }

    /// One of `keys` (which hold no `"` or `\`), by its index: the same as [`Reader::key`] then
    /// a search of `keys`, but trying `guess` first: an entry's keys mostly come in one order,
    /// and a key then costs a comparison.
    #[inline]
    fn key_of(&mut self, keys: &[&str], guess: usize) -> Option<usize> {
        self.eat(b'"')?;
        let rest = self.bytes.get(self.pos..)?;
        let index = (0..keys.len())
            .map(|k| (guess + k) % keys.len())
            .find(|&k| {
                keys.get(k).is_some_and(|key| {
                    rest.starts_with(key.as_bytes()) && rest.get(key.len()) == Some(&b'"')
                })
            })?;
        self.pos += keys.get(index)?.len() + 1;
        Some(index)
    }

    /// The text up to the next `"` or `\` from `start`, and its end; a control character in it
    /// declines the text (serde refuses one in a string).
    #[inline]
    fn run(&self, start: usize) -> Option<(&'a str, usize)> {
        let rest = self.bytes.get(start..)?;
        let end = start + search::<CONTROLS>(rest, 0)?;
        if CONTROLS && *self.bytes.get(end)? < 0x20 {
            return None;
        }
        // The quotes and backslashes are ASCII, so every cut is at a character boundary.
        let run = self.text.get(start..end)?;
        Some((run, end))
    }

    /// A string, borrowed from the text when it has no escape, else decoded.
    #[inline]
    pub(crate) fn string(&mut self) -> Option<Cow<'a, str>> {
        self.eat(b'"')?;
        let (run, end) = self.run(self.pos)?;
        self.pos = end + 1;
        if self.bytes.get(end) == Some(&b'"') {
            return Some(Cow::Borrowed(run));
        }
        let mut decoded = String::with_capacity(run.len() + 16);
        decoded.push_str(run);
        loop {
            // `self.pos` is just past a backslash.
            let escape = *self.bytes.get(self.pos)?;
            self.pos += 1;
            decoded.push(match escape {
                b'"' => '"',
                b'\\' => '\\',
                b'/' => '/',
                b'b' => '\u{8}',
                b'f' => '\u{c}',
                b'n' => '\n',
                b'r' => '\r',
                b't' => '\t',
                b'u' => self.unicode_escape()?,
                _ => return None,
            });
            let (run, end) = self.run(self.pos)?;
            decoded.push_str(run);
            self.pos = end + 1;
            if self.bytes.get(end) == Some(&b'"') {
                return Some(Cow::Owned(decoded));
            }
        }
    }

    /// The character of a `\uXXXX` escape whose `u` was read, with the second half of a surrogate
    /// pair; a lone surrogate is declined (serde refuses it).
    fn unicode_escape(&mut self) -> Option<char> {
        let first = self.hex4()?;
        let code = match first {
            0xD800..=0xDBFF => {
                if self.bytes.get(self.pos..self.pos + 2)? != b"\\u" {
                    return None;
                }
                self.pos += 2;
                let second = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    return None;
                }
                0x10000 + ((u32::from(first) - 0xD800) << 10) + (u32::from(second) - 0xDC00)
            }
            _ => u32::from(first),
        };
        char::from_u32(code)
    }

    /// Four hexadecimal digits.
    fn hex4(&mut self) -> Option<u16> {
        let digits = self.bytes.get(self.pos..self.pos + 4)?;
        let mut value = 0_u16;
        for &digit in digits {
            let nibble = char::from(digit).to_digit(16)?;
            value = value << 4 | u16::try_from(nibble).ok()?;
        }
        self.pos += 4;
        Some(value)
    }

    /// A JSON integer that serde reads as a `u64`: digits, no sign, fraction or exponent, no
    /// leading zero, at most `u64::MAX` (serde reads a larger one as a float).
    #[inline]
    pub(crate) fn integer(&mut self) -> Option<u64> {
        self.skip_space();
        self.digits()
    }

    /// The digits of [`Reader::integer`], from the next byte on.
    #[inline]
    fn digits(&mut self) -> Option<u64> {
        let bytes = self.bytes;
        let start = self.pos;
        let mut value: u64 = 0;
        while let Some(&digit @ b'0'..=b'9') = bytes.get(self.pos) {
            value = value
                .checked_mul(10)?
                .checked_add(u64::from(digit - b'0'))?;
            self.pos += 1;
        }
        // A fraction or an exponent is left unread, where the caller expects `,` or `}`: declined.
        let digits = self.pos - start;
        let leading_zero = digits > 1 && bytes.get(start) == Some(&b'0');
        (digits > 0 && !leading_zero).then_some(value)
    }

    /// A string parsed by `T::from_str`.
    #[inline]
    pub(crate) fn parsed<T: std::str::FromStr>(&mut self) -> Option<T> {
        self.string()?.parse().ok()
    }

    #[inline]
    pub(crate) fn owned(&mut self) -> Option<String> {
        self.string().map(Cow::into_owned)
    }

    /// A JSON integer that serde reads as an `i64`. `-0` is declined: serde reads it as a float.
    #[inline]
    pub(crate) fn signed(&mut self) -> Option<i64> {
        if self.peek()? == b'-' {
            self.pos += 1;
            let magnitude = i64::try_from(self.digits()?).ok()?;
            return (magnitude > 0).then_some(-magnitude);
        }
        i64::try_from(self.integer()?).ok()
    }

    /// An object, each key's value read by `field`; `None` from `field` (an unknown or repeated key,
    /// a bad value) declines the text.
    pub(crate) fn object(
        &mut self,
        mut field: impl FnMut(&mut Self, &'a str) -> Option<()>,
    ) -> Option<()> {
        self.members(b'{', b'}', |r| {
            let key = r.key()?;
            r.eat(b':')?;
            field(r, key)
        })
    }

    /// An object whose keys are all among `keys` (which hold no `"` or `\`), each key's value
    /// read by `field`, given the key's index; `None` from `field` (a repeated key, a bad value)
    /// or a key not among them declines the text.
    pub(crate) fn object_of(
        &mut self,
        keys: &[&str],
        mut field: impl FnMut(&mut Self, usize) -> Option<()>,
    ) -> Option<()> {
        let mut guess = 0;
        self.members(b'{', b'}', |r| {
            let key = r.key_of(keys, guess)?;
            guess = key + 1;
            r.eat(b':')?;
            field(r, key)
        })
    }

    /// An array, each element read by `element`.
    pub(crate) fn array(&mut self, element: impl FnMut(&mut Self) -> Option<()>) -> Option<()> {
        self.members(b'[', b']', element)
    }

    /// `open`, members read by `member` and separated by commas, then `close`.
    fn members(
        &mut self,
        open: u8,
        close: u8,
        mut member: impl FnMut(&mut Self) -> Option<()>,
    ) -> Option<()> {
        self.eat(open)?;
        if self.peek()? == close {
            self.pos += 1;
            return Some(());
        }
        loop {
            member(self)?;
            match self.peek()? {
                b',' => self.pos += 1,
                byte if byte == close => {
                    self.pos += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }
}

#[cfg(test)]
pub(crate) mod strategies;

#[cfg(test)]
mod tests {
    use super::{quote_or_escape, search};

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

    #[test]
    fn finds_the_first_quote_escape_or_control() {
        // Bytes around 0x20 and 0x80 (a borrow must not flag a byte above), in words and after.
        let text = b"\xa0\x20\x7f\xff\x21\x9f!~0123456789\x1f\xc0\x00\"\\\x19";
        for from in 0..text.len() {
            let expected = text[from..]
                .iter()
                .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
                .map(|k| from + k);
            assert_eq!(search::<true>(text, from), expected, "from {from}");
        }
        assert_eq!(search::<true>(b"tab\there\"", 0), Some(3));
        assert_eq!(search::<true>(b"\x80\xff plain", 0), None);
    }
}
