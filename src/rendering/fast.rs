//! A reader for the common shape of a rendering line, cheaper than serde's: the keys of CONTRACT §3
//! (without escapes), strings, non-negative integers, one object per line.
//!
//! It reads a line or declines it, and never errs: on anything it does not read, from an escaped key
//! or a `meta` object to a missing comma or a bad price, it gives up and the caller reads
//! the line with serde, which reads everything and names what is wrong. So it only ever has to
//! agree with serde on the lines it reads, and a property test checks that it does, on valid lines
//! and on lines broken byte by byte.
//!
//! Values go through the same parsers as with serde (`Money::from_str`, `parse_instant`, ...).

use std::borrow::Cow;
use std::str::FromStr;

use rust_decimal::Decimal;

use super::{Claim, ClaimValue, DateOrInstant, Instant, Quantity, Rendering, Shown, UnitPrice};
use crate::catalog::MultiBuy;
use crate::json_scan::quote_or_escape;
use crate::money::Money;
use crate::offer::Availability;
use crate::time::parse_instant;

/// The rendering on `line`, if the line has the common shape and is valid; `None` leaves the line
/// to serde.
pub(super) fn parse(line: &str) -> Option<Rendering> {
    let line = line.trim_end_matches([' ', '\t', '\r']);
    // A control character is either white space between tokens (rare) or an error in a string:
    // either way, serde's.
    if has_control(line.as_bytes()) {
        return None;
    }
    let mut reader = Reader {
        line,
        bytes: line.as_bytes(),
        pos: 0,
    };
    let rendering = reader.rendering()?;
    reader.skip_space();
    (reader.pos == line.len()).then_some(rendering)
}

/// Whether any byte is below 0x20, without an early exit, so that the compiler vectorises it.
fn has_control(bytes: &[u8]) -> bool {
    bytes.iter().fold(false, |seen, &b| seen | (b < 0x20))
}

/// Sets a field read once; a second time is serde's duplicate-field error.
fn once<T>(slot: &mut Option<T>, value: T) -> Option<()> {
    match slot {
        Some(_) => None,
        None => {
            *slot = Some(value);
            Some(())
        }
    }
}

struct Reader<'a> {
    line: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn skip_space(&mut self) {
        while self.bytes.get(self.pos) == Some(&b' ') {
            self.pos += 1;
        }
    }

    /// The next byte that is not a space.
    fn peek(&mut self) -> Option<u8> {
        self.skip_space();
        self.bytes.get(self.pos).copied()
    }

    fn eat(&mut self, byte: u8) -> Option<()> {
        (self.peek()? == byte).then(|| self.pos += 1)
    }

    /// A key: a string without escapes, as it is in the line.
    fn key(&mut self) -> Option<&'a str> {
        match self.string()? {
            Cow::Borrowed(key) => Some(key),
            Cow::Owned(_) => None,
        }
    }

    /// A string, borrowed from the line when it has no escape, else decoded.
    fn string(&mut self) -> Option<Cow<'a, str>> {
        self.eat(b'"')?;
        let start = self.pos;
        let end = start + quote_or_escape(self.bytes.get(start..)?, 0)?;
        // The quotes and backslashes are ASCII, so every cut is at a character boundary.
        let run = self.line.get(start..end)?;
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
            let start = self.pos;
            let end = start + quote_or_escape(self.bytes.get(start..)?, 0)?;
            decoded.push_str(self.line.get(start..end)?);
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

    fn parsed<T: FromStr>(&mut self) -> Option<T> {
        self.string()?.parse().ok()
    }

    fn owned(&mut self) -> Option<String> {
        self.string().map(Cow::into_owned)
    }

    /// A JSON integer that serde reads as a `u64`: digits, no sign, fraction or exponent, no
    /// leading zero, at most `u64::MAX` (serde reads a larger one as a float).
    fn integer(&mut self) -> Option<u64> {
        self.skip_space();
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

    /// An object, each key's value read by `field`; `None` from `field` (an unknown or repeated key,
    /// a bad value) declines the line.
    fn object(&mut self, mut field: impl FnMut(&mut Self, &'a str) -> Option<()>) -> Option<()> {
        self.eat(b'{')?;
        if self.peek()? == b'}' {
            self.pos += 1;
            return Some(());
        }
        loop {
            let key = self.key()?;
            self.eat(b':')?;
            field(self, key)?;
            match self.peek()? {
                b',' => self.pos += 1,
                b'}' => {
                    self.pos += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    fn rendering(&mut self) -> Option<Rendering> {
        let (mut id, mut channel, mut sku, mut gtin) = (None, None, None, None);
        let (mut shown, mut claims) = (None, None);
        self.object(|r, key| match key {
            "id" => once(&mut id, r.owned()?),
            "channel" => once(&mut channel, r.owned()?),
            "sku" => once(&mut sku, r.owned()?),
            "gtin" => once(&mut gtin, r.owned()?),
            "shown" => once(&mut shown, r.shown()?),
            "claims" => once(&mut claims, r.claims()?),
            _ => None,
        })?;
        Some(Rendering {
            id: id?,
            channel: channel?,
            sku,
            gtin,
            shown: shown?,
            claims: claims.unwrap_or_default(),
            meta: None,
        })
    }

    fn shown(&mut self) -> Option<Shown> {
        let (mut at, mut from, mut until) = (None, None, None);
        self.object(|r, key| {
            let slot = match key {
                "at" => &mut at,
                "from" => &mut from,
                "until" => &mut until,
                _ => return None,
            };
            once(slot, Instant(parse_instant(&r.string()?).ok()?))
        })?;
        match (at, from, until) {
            (Some(at), None, None) => Some(Shown::At { at }),
            (None, Some(from), until) => until
                .is_none_or(|until| until > from)
                .then_some(Shown::Window { from, until }),
            _ => None,
        }
    }

    fn claims(&mut self) -> Option<Vec<Claim>> {
        self.eat(b'[')?;
        let mut claims = Vec::with_capacity(8);
        if self.peek()? == b']' {
            self.pos += 1;
            return Some(claims);
        }
        loop {
            claims.push(self.claim()?);
            match self.peek()? {
                b',' => self.pos += 1,
                b']' => {
                    self.pos += 1;
                    return Some(claims);
                }
                _ => return None,
            }
        }
    }

    fn claim(&mut self) -> Option<Claim> {
        let (mut value, mut source) = (None, None);
        self.object(|r, key| match key {
            "source" => once(&mut source, r.owned()?),
            kind => once(&mut value, r.claim_value(kind)?),
        })?;
        Some(Claim {
            value: value?,
            source,
        })
    }

    fn claim_value(&mut self, kind: &str) -> Option<ClaimValue> {
        Some(match kind {
            "price" => ClaimValue::Price(self.parsed()?),
            "member_price" => ClaimValue::MemberPrice(self.parsed()?),
            "reference_price" => ClaimValue::ReferencePrice(self.parsed()?),
            "percent_off" => ClaimValue::PercentOff(self.percent()?),
            "amount_off" => ClaimValue::AmountOff(self.parsed()?),
            "multi_buy" => ClaimValue::MultiBuy(self.multi_buy()?),
            "promotion" => ClaimValue::Promotion(self.owned()?),
            "valid_from" => ClaimValue::ValidFrom(self.parsed::<DateOrInstant>()?),
            "valid_until" => ClaimValue::ValidUntil(self.parsed::<DateOrInstant>()?),
            "availability" => ClaimValue::Availability(availability(&self.string()?)?),
            "stock_quantity" => ClaimValue::StockQuantity(self.integer()?),
            "pickup_at" => ClaimValue::PickupAt(self.owned()?),
            "gtin" => ClaimValue::Gtin(self.owned()?),
            "title" => ClaimValue::Title(self.owned()?),
            "unit_price" => ClaimValue::UnitPrice(self.unit_price()?),
            _ => return None,
        })
    }

    /// `"12.5"` or `20`, as serde's reading of `percent_off` takes them.
    fn percent(&mut self) -> Option<Decimal> {
        match self.peek()? {
            b'"' => self.parsed(),
            _ => self.integer().map(Decimal::from),
        }
    }

    fn multi_buy(&mut self) -> Option<MultiBuy> {
        let (mut buy, mut pay) = (None, None);
        self.object(|r, key| {
            let slot = match key {
                "buy" => &mut buy,
                "pay" => &mut pay,
                _ => return None,
            };
            once(slot, u32::try_from(r.integer()?).ok()?)
        })?;
        Some(MultiBuy {
            buy: buy?,
            pay: pay?,
        })
    }

    fn unit_price(&mut self) -> Option<UnitPrice> {
        let (mut price, mut per) = (None, None);
        self.object(|r, key| match key {
            "price" => once(&mut price, r.parsed::<Money>()?),
            "per" => once(&mut per, r.parsed::<Quantity>()?),
            _ => None,
        })?;
        Some(UnitPrice {
            price: price?,
            per: per?,
        })
    }
}

#[cfg(test)]
mod tests;

fn availability(text: &str) -> Option<Availability> {
    Some(match text {
        "in_stock" => Availability::InStock,
        "out_of_stock" => Availability::OutOfStock,
        "low_stock" => Availability::LowStock,
        "preorder" => Availability::Preorder,
        "backorder" => Availability::Backorder,
        _ => return None,
    })
}
