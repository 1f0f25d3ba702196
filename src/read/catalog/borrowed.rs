//! Products, price entries and stock snapshots as read from the reader's buffer: their strings borrowed
//! from it rather than each copied into a `String` (prices and stock are most of a catalog's
//! entries, and their strings most of its allocations).
//!
//! Each mirrors its public entry field for field, with the same defaults and refusals, so that a
//! text reads as one exactly when it reads as the other, to the same values. One that does not
//! read is read again by serde_json as its public entry, which gives the error.

use std::borrow::Cow;

use serde::Deserialize;

use crate::catalog::compile::{PriceRef, ProductRef, StockRef};
use crate::catalog::document::{Meta, PriceEntry, ProductEntry, StockSnapshot, Title, UnitEntry};

/// A JSON string, borrowed unless it holds escapes.
#[derive(Deserialize)]
pub(super) struct Text<'a>(#[serde(borrow)] Cow<'a, str>);

impl Text<'_> {
    fn as_str(&self) -> &str {
        &self.0
    }

    fn into_owned(self) -> String {
        self.0.into_owned()
    }
}

/// A [`ProductEntry`], borrowed (but its title, which the compiled product keeps).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ProductText<'a> {
    #[serde(borrow)]
    sku: Text<'a>,
    #[serde(borrow, default)]
    gtin: Option<Text<'a>>,
    title: Title,
    #[serde(borrow, default)]
    brand: Option<Text<'a>>,
    #[serde(borrow, default)]
    category: Option<Text<'a>>,
    #[serde(borrow, default)]
    launched: Option<Text<'a>>,
    #[serde(default)]
    unit: Option<UnitEntry>,
    #[serde(default)]
    perishable: bool,
    #[serde(default)]
    channels: Option<Vec<String>>,
    #[serde(default)]
    meta: Option<Meta>,
}

impl ProductText<'_> {
    pub(super) fn fields(&self) -> ProductRef<'_> {
        ProductRef {
            sku: self.sku.as_str(),
            gtin: self.gtin.as_ref().map(Text::as_str),
            title: &self.title,
            brand: self.brand.as_ref().map(Text::as_str),
            category: self.category.as_ref().map(Text::as_str),
            launched: self.launched.as_ref().map(Text::as_str),
            unit: self.unit.as_ref(),
            perishable: self.perishable,
            channels: self.channels.as_deref(),
        }
    }

    pub(super) fn into_entry(self) -> ProductEntry {
        ProductEntry {
            sku: self.sku.into_owned(),
            gtin: self.gtin.map(Text::into_owned),
            title: self.title,
            brand: self.brand.map(Text::into_owned),
            category: self.category.map(Text::into_owned),
            launched: self.launched.map(Text::into_owned),
            unit: self.unit,
            perishable: self.perishable,
            channels: self.channels,
            meta: self.meta,
        }
    }
}

/// A [`PriceEntry`], borrowed.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PriceText<'a> {
    #[serde(borrow)]
    sku: Text<'a>,
    #[serde(borrow)]
    market: Text<'a>,
    #[serde(default)]
    channels: Option<Vec<String>>,
    #[serde(borrow)]
    amount: Text<'a>,
    #[serde(borrow)]
    from: Text<'a>,
    #[serde(borrow, default)]
    until: Option<Text<'a>>,
    #[serde(default)]
    meta: Option<Meta>,
}

impl PriceText<'_> {
    pub(super) fn fields(&self) -> PriceRef<'_> {
        PriceRef {
            sku: self.sku.as_str(),
            market: self.market.as_str(),
            channels: self.channels.as_deref(),
            amount: self.amount.as_str(),
            from: self.from.as_str(),
            until: self.until.as_ref().map(Text::as_str),
        }
    }

    pub(super) fn into_entry(self) -> PriceEntry {
        PriceEntry {
            sku: self.sku.into_owned(),
            market: self.market.into_owned(),
            channels: self.channels,
            amount: self.amount.into_owned(),
            from: self.from.into_owned(),
            until: self.until.map(Text::into_owned),
            meta: self.meta,
        }
    }
}

/// A [`StockSnapshot`], borrowed.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct StockText<'a> {
    #[serde(borrow)]
    sku: Text<'a>,
    #[serde(borrow)]
    location: Text<'a>,
    on_hand: i64,
    #[serde(default)]
    reserved: i64,
    #[serde(borrow)]
    as_of: Text<'a>,
    #[serde(default)]
    meta: Option<Meta>,
}

impl StockText<'_> {
    pub(super) fn fields(&self) -> StockRef<'_> {
        StockRef {
            sku: self.sku.as_str(),
            location: self.location.as_str(),
            on_hand: self.on_hand,
            reserved: self.reserved,
            as_of: self.as_of.as_str(),
        }
    }

    pub(super) fn into_entry(self) -> StockSnapshot {
        StockSnapshot {
            sku: self.sku.into_owned(),
            location: self.location.into_owned(),
            on_hand: self.on_hand,
            reserved: self.reserved,
            as_of: self.as_of.into_owned(),
            meta: self.meta,
        }
    }
}

mod fast;

use super::FromText;

impl<'a> FromText<'a> for ProductText<'a> {
    fn fast(text: &'a str) -> Option<(Self, usize)> {
        fast::product(text)
    }
}

impl<'a> FromText<'a> for PriceText<'a> {
    fn fast(text: &'a str) -> Option<(Self, usize)> {
        fast::price(text)
    }
}

impl<'a> FromText<'a> for StockText<'a> {
    fn fast(text: &'a str) -> Option<(Self, usize)> {
        fast::stock(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each text read as the mirror and as the public entry: both or neither, to the same entry.
    fn same<'t, M, E>(texts: &[&'t str], into: impl Fn(M) -> E)
    where
        M: Deserialize<'t>,
        E: for<'a> Deserialize<'a> + PartialEq + std::fmt::Debug,
    {
        for text in texts {
            let mirrored = serde_json::from_str::<M>(text).ok().map(&into);
            let public = serde_json::from_str::<E>(text).ok();
            assert_eq!(mirrored, public, "{text}");
        }
    }

    #[test]
    fn prices_read_as_their_public_entries() {
        same::<PriceText<'_>, _>(
            &[
                r#"{"sku":"A","market":"IT","channels":null,"amount":"1.00 EUR","from":"2026-01-01","until":null}"#,
                r#"{"sku":"A\"b","market":"IT","amount":"1.00 EUR","from":"2026-01-01"}"#,
                r#"{"sku":"A","market":"IT","channels":["web-it"],"amount":"1.00 EUR","from":"x","until":"y","meta":{"a":1}}"#,
                r#"{"sku":"A","market":"IT","amount":"1.00 EUR","from":"x","until":"y","meta":null}"#,
                r#"{"sku":"A","market":"IT","amount":"1.00 EUR"}"#,
                r#"{"sku":"A","sku":"B","market":"IT","amount":"1.00 EUR","from":"x"}"#,
                r#"{"sku":"A","market":"IT","amount":"1.00 EUR","from":"x","extra":1}"#,
                r#"{"sku":1,"market":"IT","amount":"1.00 EUR","from":"x"}"#,
                r#"{"sku":"A","market":"IT","amount":"1.00 EUR","from":"x","until":3}"#,
                r#"{"sku":"A","market":"IT","amount":"1.00 EUR","from":"x","meta":[]}"#,
                r#"["A","IT",null,"1.00 EUR","x",null,null]"#,
                r#"["A","IT",null,"1.00 EUR"]"#,
            ],
            PriceText::into_entry,
        );
    }

    #[test]
    fn products_read_as_their_public_entries() {
        same::<ProductText<'_>, _>(
            &[
                r#"{"sku":"A","gtin":"4006381333931","title":"T","brand":"B","category":"c/d","launched":"2026-01-01","unit":{"quantity":"0.5","measure":"kg"},"perishable":true,"channels":["web-it"],"meta":{"x":[1]}}"#,
                r#"{"sku":"A","title":{"it":"T","de":"U"},"gtin":null,"brand":null,"category":null,"launched":null,"unit":null,"channels":null,"meta":null}"#,
                r#"{"sku":"Aé","title":"T"","brand":"\b"}"#,
                r#"{"sku":"A"}"#,
                r#"{"sku":"A","title":3}"#,
                r#"{"sku":"A","title":"T","perishable":null}"#,
                r#"{"sku":"A","title":"T","unit":{"quantity":0.5,"measure":"kg"}}"#,
                r#"{"sku":"A","title":"T","unit":{"quantity":5,"measure":"kg"}}"#,
                r#"{"sku":"A","title":"T","title":"U"}"#,
                r#"{"sku":"A","title":"T","tilte":"U"}"#,
                r#"{"sku":"A","title":"T","gtin":12}"#,
            ],
            ProductText::into_entry,
        );
    }

    #[test]
    fn stock_reads_as_its_public_entries() {
        same::<StockText<'_>, _>(
            &[
                r#"{"sku":"A","location":"wh","on_hand":2,"reserved":0,"as_of":"2026-01-09T06:30:00Z"}"#,
                r#"{"sku":"A","location":"w\u0068","on_hand":-2,"as_of":"t"}"#,
                r#"{"sku":"A","location":"wh","on_hand":2.5,"as_of":"t"}"#,
                r#"{"sku":"A","location":"wh","on_hand":99999999999999999999,"as_of":"t"}"#,
                r#"{"sku":"A","location":"wh","as_of":"t"}"#,
                r#"{"sku":"A","location":"wh","on_hand":1,"as_of":"t","meta":{}}"#,
                r#"{"sku":"A","location":"wh","on_hand":1,"as_of":"t","knid":{}}"#,
                r#"["A","wh",1,0,"t"]"#,
            ],
            StockText::into_entry,
        );
    }
}
