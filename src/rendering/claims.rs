//! The claim kinds of CONTRACT §3, declared once.
//!
//! The table in `rendering/mod.rs` (`claims! { ... }`) names each kind: its variant, its payload type,
//! its wire name and whether checking it needs the catalog's prices. From it come [`ClaimValue`],
//! [`ClaimKind`] and its list, the wire names serde reads and writes, the hand-written line reader's
//! dispatch, and the lists that tests and fuzz targets walk. A payload type says how it is read and
//! written once, by implementing [`Payload`] (and the line reader's `LineValue`).
//!
//! Adding a claim kind: a row in the table, the payload's [`Payload`] impl if its type is new, and
//! the rule that judges it.

use std::fmt;
use std::marker::PhantomData;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::de::DeserializeSeed;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{DateOrInstant, Quantity, UnitPrice, UnitPriceJson};
use crate::catalog::MultiBuy;
use crate::catalog::document::DecimalText;
use crate::money::Money;
use crate::offer::Availability;

/// How a claim's value is read from and written to JSON, and shown in findings.
pub trait Payload: Sized {
    /// Reads the value as CONTRACT §3 writes it.
    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error>;
    /// Writes it back, so that reading gives the same value.
    fn write<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error>;
    /// The value as the JSON writes it (`"719.20 EUR"`, `"20"`), for findings.
    fn text(&self) -> String;
    /// The money it states, if any.
    fn money(&self) -> Option<Money> {
        None
    }
    /// Gives away the strings it holds, for a reader to reuse their memory.
    fn recycle(self, _keep: &mut dyn FnMut(String)) {}
}

/// The table's macro: the enum of values, the enum of kinds, and everything derived from them.
macro_rules! claims {
    ($($(#[doc = $doc:literal])* $variant:ident($payload:ty) = $wire:literal, $needs:ident;)*) => {
        /// The claims of CONTRACT §3 (one variant per kind; the table in `rendering/mod.rs`).
        #[derive(Debug, Clone, PartialEq)]
        pub enum ClaimValue {
            $($(#[doc = $doc])* $variant($payload),)*
        }

        /// The kind of a claim, without its value.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum ClaimKind {
            $($(#[doc = $doc])* $variant,)*
        }

        impl ClaimKind {
            /// Every kind, in the order of CONTRACT §3.
            pub const ALL: &'static [ClaimKind] = &[$(ClaimKind::$variant,)*];

            /// The name JSON writes: `"price"`, `"valid_until"`, ...
            pub fn name(self) -> &'static str {
                match self {
                    $(ClaimKind::$variant => $wire,)*
                }
            }

            /// The kind of a JSON name.
            pub fn from_name(name: &str) -> Option<ClaimKind> {
                match name {
                    $($wire => Some(ClaimKind::$variant),)*
                    _ => None,
                }
            }

            /// Whether checking a claim of this kind needs the catalog's prices over the
            /// rendering's window: every claim about a price, a reduction, a promotion or its
            /// validity; not availability, stock, pickup or identity.
            pub fn depends_on_prices(self) -> bool {
                match self {
                    $(ClaimKind::$variant => $crate::rendering::claims::claims!(@prices $needs),)*
                }
            }
        }

        /// The keys a claim object may have: its kinds, then `source`.
        pub(crate) const CLAIM_FIELDS: &[&str] = &[$($wire,)* "source"];

        impl ClaimValue {
            /// The claim's kind.
            pub fn claim_kind(&self) -> ClaimKind {
                match self {
                    $(ClaimValue::$variant(_) => ClaimKind::$variant,)*
                }
            }

            /// The value as the JSON writes it (money `"719.20 EUR"`, percent `"20"`, ...), for
            /// findings.
            pub fn value_text(&self) -> String {
                match self {
                    $(ClaimValue::$variant(v) => $crate::rendering::claims::Payload::text(v),)*
                }
            }

            /// The money the claim states, if it states money.
            pub fn money(&self) -> Option<Money> {
                match self {
                    $(ClaimValue::$variant(v) => $crate::rendering::claims::Payload::money(v),)*
                }
            }

            /// Gives away the strings the value holds.
            pub(crate) fn recycle(self, keep: &mut dyn FnMut(String)) {
                match self {
                    $(ClaimValue::$variant(v) => $crate::rendering::claims::Payload::recycle(v, keep),)*
                }
            }

            /// Reads the value of a claim of `kind` from a serde map.
            pub(super) fn read_entry<'de, A: serde::de::MapAccess<'de>>(
                kind: ClaimKind,
                map: &mut A,
            ) -> Result<ClaimValue, A::Error> {
                Ok(match kind {
                    $(ClaimKind::$variant => ClaimValue::$variant(map.next_value_seed($crate::rendering::claims::Seed::<$payload>(::std::marker::PhantomData))?),)*
                })
            }

            /// Writes the claim's `kind: value` entry into a serde map.
            pub(super) fn write_entry<M: serde::ser::SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
                match self {
                    $(ClaimValue::$variant(v) => map.serialize_entry($wire, &$crate::rendering::claims::Wire(v)),)*
                }
            }

            /// Reads the value of a claim of `kind` with the hand-written line reader.
            pub(crate) fn read_line(
                kind: ClaimKind,
                reader: &mut crate::read::scan::Reader<'_, false>,
                spare: &mut Vec<String>,
            ) -> Option<ClaimValue> {
                use crate::read::line::LineValue;
                Some(match kind {
                    $(ClaimKind::$variant => ClaimValue::$variant(<$payload as LineValue>::read_line(reader, spare)?),)*
                })
            }
        }
    };
    (@prices prices) => { true };
    (@prices other) => { false };
}
pub(crate) use claims;

/// Reads a [`Payload`] as a serde seed.
pub(super) struct Seed<T>(pub(super) PhantomData<T>);

impl<'de, T: Payload> DeserializeSeed<'de> for Seed<T> {
    type Value = T;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        T::read(deserializer)
    }
}

/// Writes a [`Payload`] with serde.
pub(super) struct Wire<'a, T>(pub(super) &'a T);

impl<T: Payload> Serialize for Wire<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.write(serializer)
    }
}

impl Payload for Money {
    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Money::deserialize(deserializer)
    }
    fn write<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.serialize(serializer)
    }
    fn text(&self) -> String {
        self.to_string()
    }
    fn money(&self) -> Option<Money> {
        Some(*self)
    }
}

/// A percentage: `"12.5"` or `20`, never a JSON float (CONTRACT §1).
impl Payload for Decimal {
    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Number;
        impl serde::de::Visitor<'_> for Number {
            type Value = Decimal;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a decimal as a string (\"12.5\") or an integer (20)")
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Decimal, E> {
                text.parse()
                    .map_err(|_| E::custom(format!("percent_off {text:?} is not a number")))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Decimal, E> {
                Ok(Decimal::from(v))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Decimal, E> {
                Ok(Decimal::from(v))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Decimal, E> {
                Err(E::custom(format_args!(
                    "{v} is a JSON float: write decimals as a string (\"{v}\") so no digit is lost"
                )))
            }
        }
        deserializer.deserialize_any(Number)
    }
    fn write<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        DecimalText(self.normalize().to_string()).serialize(serializer)
    }
    fn text(&self) -> String {
        self.normalize().to_string()
    }
}

impl Payload for MultiBuy {
    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        MultiBuy::deserialize(deserializer)
    }
    fn write<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.serialize(serializer)
    }
    fn text(&self) -> String {
        self.to_string()
    }
}

impl Payload for String {
    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer)
    }
    fn write<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.serialize(serializer)
    }
    fn text(&self) -> String {
        self.clone()
    }
    fn recycle(self, keep: &mut dyn FnMut(String)) {
        keep(self)
    }
}

impl Payload for DateOrInstant {
    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        crate::text_serde::from_text(deserializer)
    }
    fn write<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
    fn text(&self) -> String {
        self.to_string()
    }
}

impl Payload for Availability {
    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Availability::deserialize(deserializer)
    }
    fn write<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.serialize(serializer)
    }
    fn text(&self) -> String {
        self.as_str().to_owned()
    }
}

impl Payload for u64 {
    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        u64::deserialize(deserializer)
    }
    fn write<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u64(*self)
    }
    fn text(&self) -> String {
        self.to_string()
    }
}

impl Payload for UnitPrice {
    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let UnitPriceJson { price, per } = UnitPriceJson::deserialize(deserializer)?;
        let per = Quantity::from_str(&per).map_err(D::Error::custom)?;
        Ok(UnitPrice { price, per })
    }
    fn write<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        UnitPriceJson {
            price: self.price,
            per: self.per.to_string(),
        }
        .serialize(serializer)
    }
    fn text(&self) -> String {
        self.to_string()
    }
    fn money(&self) -> Option<Money> {
        Some(self.price)
    }
}
