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

use rust_decimal::Decimal;

use crate::catalog::MultiBuy;
use crate::money::Money;
use crate::offer::Availability;
use crate::read::scan::{Reader, has_control, once};
use crate::rendering::{
    Claim, ClaimKind, ClaimValue, DateOrInstant, Instant, Quantity, Rendering, Shown, UnitPrice,
};
use crate::time::parse_instant;

/// The rendering on `line`, if the line has the common shape and is valid; `None` leaves the line
/// to serde.
pub(super) fn parse(line: &str) -> Option<Rendering> {
    let mut rendering = Rendering::blank();
    parse_into(line, &mut rendering, &mut Vec::new())?;
    Some(rendering)
}

/// [`parse`], into `out`: its strings and claim list are overwritten rather than allocated anew,
/// and the strings its old claims held go to `spare`, from which the new claims' strings are
/// taken. On `None` (the line is left to serde) `out` holds parts of the line, to be overwritten.
pub(super) fn parse_into(line: &str, out: &mut Rendering, spare: &mut Vec<String>) -> Option<()> {
    let line = line.trim_end_matches([' ', '\t', '\r']);
    // A control character is either white space between tokens (rare) or an error in a string:
    // either way, serde's.
    if has_control(line.as_bytes()) {
        return None;
    }
    let mut reader = Reader::without_controls(line);
    reader.rendering(out, spare)?;
    reader.at_end().then_some(())
}

/// How many spare strings a reader keeps, and how long each may be: enough for the claims of a
/// rendering, without keeping a pathological line's memory.
const SPARE_STRINGS: usize = 32;
const SPARE_BYTES: usize = 1 << 10;

/// Gives the strings of `claims` to `spare` and empties the list.
fn recycle(claims: &mut Vec<Claim>, spare: &mut Vec<String>) {
    let mut keep = |text: String| {
        if spare.len() < SPARE_STRINGS && text.capacity() <= SPARE_BYTES {
            spare.push(text);
        }
    };
    for claim in claims.drain(..) {
        if let Some(source) = claim.source {
            keep(source);
        }
        claim.value.recycle(&mut keep);
    }
}

/// `slot` set to `text`, in the memory it has.
fn overwrite(slot: &mut String, text: &str) {
    slot.clear();
    slot.push_str(text);
}

/// `slot` set to `text` (or none), in the memory it has.
fn overwrite_option(slot: &mut Option<String>, text: Option<Cow<'_, str>>) {
    match (slot.as_mut(), text) {
        (Some(old), Some(text)) => overwrite(old, &text),
        (_, text) => *slot = text.map(Cow::into_owned),
    }
}

impl Reader<'_, false> {
    fn rendering(&mut self, out: &mut Rendering, spare: &mut Vec<String>) -> Option<()> {
        let (mut id, mut channel, mut sku, mut gtin) = (None, None, None, None);
        let (mut shown, mut claims) = (None, None);
        recycle(&mut out.claims, spare);
        let list = &mut out.claims;
        self.object(|r, key| match key {
            "id" => once(&mut id, r.string()?),
            "channel" => once(&mut channel, r.string()?),
            "sku" => once(&mut sku, r.string()?),
            "gtin" => once(&mut gtin, r.string()?),
            "shown" => once(&mut shown, r.shown()?),
            "claims" => once(&mut claims, r.claims(list, spare)?),
            _ => None,
        })?;
        overwrite(&mut out.id, &id?);
        overwrite(&mut out.channel, &channel?);
        overwrite_option(&mut out.sku, sku);
        overwrite_option(&mut out.gtin, gtin);
        out.shown = shown?;
        out.meta = None;
        Some(())
    }

    /// A string owned, in a spare string's memory when there is one.
    pub(crate) fn owned_in(&mut self, spare: &mut Vec<String>) -> Option<String> {
        Some(match (self.string()?, spare.pop()) {
            (Cow::Borrowed(text), Some(mut owned)) => {
                overwrite(&mut owned, text);
                owned
            }
            (text, unused) => {
                spare.extend(unused);
                text.into_owned()
            }
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

    /// The claims, pushed onto `claims` (empty).
    fn claims(&mut self, claims: &mut Vec<Claim>, spare: &mut Vec<String>) -> Option<()> {
        self.array(|r| {
            claims.push(r.claim(spare)?);
            Some(())
        })
    }

    fn claim(&mut self, spare: &mut Vec<String>) -> Option<Claim> {
        let (mut value, mut source) = (None, None);
        self.object(|r, key| match key {
            "source" => once(&mut source, r.owned_in(spare)?),
            kind => once(&mut value, r.claim_value(kind, spare)?),
        })?;
        Some(Claim {
            value: value?,
            source,
        })
    }

    fn claim_value(&mut self, kind: &str, spare: &mut Vec<String>) -> Option<ClaimValue> {
        ClaimValue::read_line(ClaimKind::from_name(kind)?, self, spare)
    }
}

/// How the line reader reads a claim's value: one impl per payload type of the claim table
/// (`rendering/claims.rs`), agreeing with that type's serde reading on what it reads.
pub(crate) trait LineValue: Sized {
    /// The value at the reader, or `None` to leave the line to serde.
    fn read_line(r: &mut Reader<'_, false>, spare: &mut Vec<String>) -> Option<Self>;
}

impl LineValue for Money {
    fn read_line(r: &mut Reader<'_, false>, _: &mut Vec<String>) -> Option<Self> {
        r.parsed()
    }
}

impl LineValue for DateOrInstant {
    fn read_line(r: &mut Reader<'_, false>, _: &mut Vec<String>) -> Option<Self> {
        r.parsed()
    }
}

impl LineValue for String {
    fn read_line(r: &mut Reader<'_, false>, spare: &mut Vec<String>) -> Option<Self> {
        r.owned_in(spare)
    }
}

impl LineValue for u64 {
    fn read_line(r: &mut Reader<'_, false>, _: &mut Vec<String>) -> Option<Self> {
        r.integer()
    }
}

/// `"12.5"` or `20`, as serde's reading of `percent_off` takes them.
impl LineValue for Decimal {
    fn read_line(r: &mut Reader<'_, false>, _: &mut Vec<String>) -> Option<Self> {
        match r.peek()? {
            b'"' => r.parsed(),
            _ => r.integer().map(Decimal::from),
        }
    }
}

impl LineValue for Availability {
    fn read_line(r: &mut Reader<'_, false>, _: &mut Vec<String>) -> Option<Self> {
        Some(match &*r.string()? {
            "in_stock" => Availability::InStock,
            "out_of_stock" => Availability::OutOfStock,
            "low_stock" => Availability::LowStock,
            "preorder" => Availability::Preorder,
            "backorder" => Availability::Backorder,
            _ => return None,
        })
    }
}

impl LineValue for MultiBuy {
    fn read_line(r: &mut Reader<'_, false>, _: &mut Vec<String>) -> Option<Self> {
        let (mut buy, mut pay) = (None, None);
        r.object(|r, key| {
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
}

impl LineValue for UnitPrice {
    fn read_line(r: &mut Reader<'_, false>, _: &mut Vec<String>) -> Option<Self> {
        let (mut price, mut per) = (None, None);
        r.object(|r, key| match key {
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
