//! A rendering read with serde into borrowed types: the crate's own typed values (money, instants,
//! availability, quantities) with every string a `Cow<str>` borrowed from the line. What serde can
//! do at best without the crate's owned `Rendering`: the floor of borrowing, measured beside the
//! hand-written line reader. Like serde's derive, it checks keys and value types; unlike
//! `Rendering` it does not check that a claim has exactly one kind or that `shown` is one form.

// The fields are there for serde to read into; the benches only count the claims.
#![allow(dead_code)]

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::de::{self, IgnoredAny, Visitor};
use serde::{Deserialize, Deserializer};
use unisono::catalog::MultiBuy;
use unisono::rendering::{DateOrInstant, Instant, Quantity};
use unisono::{Availability, Money};

/// A rendering line, its strings borrowed.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RenderingRef<'a> {
    #[serde(borrow)]
    pub id: Cow<'a, str>,
    #[serde(borrow)]
    pub channel: Cow<'a, str>,
    #[serde(borrow, default)]
    pub sku: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub gtin: Option<Cow<'a, str>>,
    pub shown: ShownRef,
    #[serde(borrow, default)]
    pub claims: Vec<ClaimRef<'a>>,
    #[serde(default)]
    pub meta: Option<IgnoredAny>,
}

/// `shown`: an instant or a window.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShownRef {
    #[serde(default)]
    pub at: Option<Instant>,
    #[serde(default)]
    pub from: Option<Instant>,
    #[serde(default)]
    pub until: Option<Instant>,
}

/// A claim object: one of its kinds is set, and maybe `source`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClaimRef<'a> {
    #[serde(default)]
    pub price: Option<Money>,
    #[serde(default)]
    pub member_price: Option<Money>,
    #[serde(default)]
    pub reference_price: Option<Money>,
    #[serde(default)]
    pub percent_off: Option<Parsed<Decimal>>,
    #[serde(default)]
    pub amount_off: Option<Money>,
    #[serde(default)]
    pub multi_buy: Option<MultiBuy>,
    #[serde(borrow, default)]
    pub promotion: Option<Cow<'a, str>>,
    #[serde(default)]
    pub valid_from: Option<Parsed<DateOrInstant>>,
    #[serde(default)]
    pub valid_until: Option<Parsed<DateOrInstant>>,
    #[serde(default)]
    pub availability: Option<Availability>,
    #[serde(default)]
    pub stock_quantity: Option<u64>,
    #[serde(borrow, default)]
    pub pickup_at: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub gtin: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub title: Option<Cow<'a, str>>,
    #[serde(default)]
    pub unit_price: Option<UnitPriceRef>,
    #[serde(borrow, default)]
    pub source: Option<Cow<'a, str>>,
}

/// `{"price": "2.45 EUR", "per": "1 kg"}`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitPriceRef {
    pub price: Money,
    pub per: Parsed<Quantity>,
}

/// A value read from a JSON string by its `FromStr` (an integer is read as its digits).
pub struct Parsed<T>(pub T);

impl<'de, T: FromStr> Deserialize<'de> for Parsed<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Text<T>(PhantomData<T>);
        impl<T: FromStr> Visitor<'_> for Text<T> {
            type Value = Parsed<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: de::Error>(self, text: &str) -> Result<Parsed<T>, E> {
                text.parse()
                    .map(Parsed)
                    .map_err(|_| E::custom(format!("{text:?} does not parse")))
            }
            fn visit_u64<E: de::Error>(self, n: u64) -> Result<Parsed<T>, E> {
                self.visit_str(&n.to_string())
            }
        }
        deserializer.deserialize_any(Text(PhantomData))
    }
}

impl RenderingRef<'_> {
    /// How many claims it makes (to consume the value in benches).
    pub fn claim_count(&self) -> usize {
        self.claims.len()
    }
}
