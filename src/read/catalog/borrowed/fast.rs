//! A reader for the common shape of the largest sections' entries (products, prices, stock),
//! cheaper than serde's: their keys (without escapes), strings, integers, `null`, `true` and
//! `false`, lists of strings, a title as a string or by locale.
//!
//! As the reader of rendering lines (`rendering::fast`), it reads an entry or declines it and
//! never errs: on anything it does not read, from `meta` or an escaped key to a float, a repeated
//! key or a missing comma, it gives up and the entry is read by serde, which reads everything and
//! names what is wrong. So it only ever has to agree with serde on the entries it reads, and
//! property tests check that it does, on valid entries and on entries broken byte by byte.

use std::collections::BTreeMap;

use super::{PriceText, ProductText, StockText, Text};
use crate::catalog::document::{DecimalText, Measure, Title, UnitEntry};
use crate::read::scan::{Reader, once};

/// The price entry at the start of `text` and its length, if it has the common shape; `None`
/// leaves it to serde.
pub(in crate::read::catalog) fn price(text: &str) -> Option<(PriceText<'_>, usize)> {
    let mut reader = Reader::new(text);
    let (mut sku, mut market, mut channels) = (None, None, None);
    let (mut amount, mut from, mut until) = (None, None, None);
    let keys = ["sku", "market", "channels", "amount", "from", "until"];
    reader.object_of(&keys, |r, key| match key {
        0 => once(&mut sku, r.string()?),
        1 => once(&mut market, r.string()?),
        2 => once(&mut channels, r.nullable(strings)?),
        3 => once(&mut amount, r.string()?),
        4 => once(&mut from, r.string()?),
        5 => once(&mut until, r.nullable(Reader::string)?),
        _ => None,
    })?;
    let entry = PriceText {
        sku: Text(sku?),
        market: Text(market?),
        channels: channels.flatten(),
        amount: Text(amount?),
        from: Text(from?),
        until: until.flatten().map(Text),
        meta: None,
    };
    Some((entry, reader.position()))
}

/// The stock snapshot at the start of `text` and its length, if it has the common shape; `None`
/// leaves it to serde.
pub(in crate::read::catalog) fn stock(text: &str) -> Option<(StockText<'_>, usize)> {
    let mut reader = Reader::new(text);
    let (mut sku, mut location, mut as_of) = (None, None, None);
    let (mut on_hand, mut reserved) = (None, None);
    let keys = ["sku", "location", "on_hand", "reserved", "as_of"];
    reader.object_of(&keys, |r, key| match key {
        0 => once(&mut sku, r.string()?),
        1 => once(&mut location, r.string()?),
        2 => once(&mut on_hand, r.signed()?),
        3 => once(&mut reserved, r.signed()?),
        4 => once(&mut as_of, r.string()?),
        _ => None,
    })?;
    let entry = StockText {
        sku: Text(sku?),
        location: Text(location?),
        on_hand: on_hand?,
        reserved: reserved.unwrap_or_default(),
        as_of: Text(as_of?),
        meta: None,
    };
    Some((entry, reader.position()))
}

/// The product at the start of `text` and its length, if it has the common shape; `None` leaves
/// it to serde.
pub(in crate::read::catalog) fn product(text: &str) -> Option<(ProductText<'_>, usize)> {
    let mut reader = Reader::new(text);
    let (mut sku, mut gtin, mut title, mut brand) = (None, None, None, None);
    let (mut category, mut launched, mut unit) = (None, None, None);
    let (mut perishable, mut channels) = (None, None);
    let keys = [
        "sku",
        "gtin",
        "title",
        "brand",
        "category",
        "launched",
        "unit",
        "perishable",
        "channels",
    ];
    reader.object_of(&keys, |r, key| match key {
        0 => once(&mut sku, r.string()?),
        1 => once(&mut gtin, r.nullable(Reader::string)?),
        2 => once(&mut title, self::title(r)?),
        3 => once(&mut brand, r.nullable(Reader::string)?),
        4 => once(&mut category, r.nullable(Reader::string)?),
        5 => once(&mut launched, r.nullable(Reader::string)?),
        6 => once(&mut unit, r.nullable(self::unit)?),
        7 => once(&mut perishable, boolean(r)?),
        8 => once(&mut channels, r.nullable(strings)?),
        _ => None,
    })?;
    let entry = ProductText {
        sku: Text(sku?),
        gtin: gtin.flatten().map(Text),
        title: title?,
        brand: brand.flatten().map(Text),
        category: category.flatten().map(Text),
        launched: launched.flatten().map(Text),
        unit: unit.flatten(),
        perishable: perishable.unwrap_or_default(),
        channels: channels.flatten(),
        meta: None,
    };
    Some((entry, reader.position()))
}

/// A list of strings.
fn strings(reader: &mut Reader<'_>) -> Option<Vec<String>> {
    let mut list = Vec::new();
    reader.array(|r| {
        list.push(r.owned()?);
        Some(())
    })?;
    Some(list)
}

fn boolean(reader: &mut Reader<'_>) -> Option<bool> {
    match reader.peek()? {
        b't' => reader.literal("true").map(|()| true),
        _ => reader.literal("false").map(|()| false),
    }
}

/// A title: a string, or an object of strings by locale (a locale given twice is declined).
fn title(reader: &mut Reader<'_>) -> Option<Title> {
    if reader.peek()? == b'"' {
        return reader.owned().map(Title::One);
    }
    let mut titles = BTreeMap::new();
    reader.object(|r, locale| {
        let title = r.owned()?;
        titles
            .insert(locale.to_owned(), title)
            .is_none()
            .then_some(())
    })?;
    Some(Title::ByLocale(titles))
}

fn unit(reader: &mut Reader<'_>) -> Option<UnitEntry> {
    let (mut quantity, mut measure) = (None, None);
    reader.object_of(&["quantity", "measure"], |r, key| match key {
        0 => once(&mut quantity, decimal(r)?),
        1 => once(&mut measure, self::measure(&r.string()?)?),
        _ => None,
    })?;
    Some(UnitEntry {
        quantity: quantity?,
        measure: measure?,
    })
}

/// A decimal as a string, or as a non-negative integer (serde's `DecimalText` writes the integer
/// it reads as its digits).
fn decimal(reader: &mut Reader<'_>) -> Option<DecimalText> {
    match reader.peek()? {
        b'"' => reader.owned().map(DecimalText),
        _ => reader.integer().map(|n| DecimalText(n.to_string())),
    }
}

/// The measure written `symbol`, as serde's renames of [`Measure`] (its symbols) read it.
fn measure(symbol: &str) -> Option<Measure> {
    use Measure::*;
    [
        Kilogram,
        Gram,
        Litre,
        Millilitre,
        Metre,
        SquareMetre,
        CubicMetre,
        Item,
    ]
    .into_iter()
    .find(|measure| measure.symbol() == symbol)
}

#[cfg(test)]
mod tests;
