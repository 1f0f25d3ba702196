//! The claim values of v2 (CONTRACT §10–§12): a selected variant, a family's price range, tier,
//! group and volume prices, and coupons.

use std::collections::BTreeMap;
use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::claims::Payload;
use crate::money::Money;

/// The variant shown as selected: `{"size": "M", "color": "blue"}`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Variant(pub BTreeMap<String, String>);

impl fmt::Display for Variant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pairs: Vec<String> = self.0.iter().map(|(k, v)| format!("{k}={v}")).collect();
        f.write_str(&pairs.join(", "))
    }
}

/// A family's lowest and highest price (schema.org `AggregateOffer` low/high).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriceRange {
    /// The lowest price.
    pub min: Money,
    /// The highest price.
    pub max: Money,
}

/// A loyalty tier's price: `{"tier": "gold", "price": "13.41 EUR"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TierPriceClaim {
    /// The tier (`members` is the members' price).
    pub tier: String,
    /// The price shown.
    pub price: Money,
}

/// A customer group's price: `{"group": "b2b", "price": "2.80 EUR"}`, optionally from a quantity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupPriceClaim {
    /// The group.
    pub group: String,
    /// The price shown.
    pub price: Money,
    /// The quantity it is for (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_quantity: Option<u32>,
}

/// A volume price (Google Merchant Center `bulk_price`): `{"min_quantity": 10, "price": "3.50 EUR"}`,
/// optionally of a customer group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VolumePriceClaim {
    /// The quantity from which the price applies.
    pub min_quantity: u32,
    /// The unit price shown.
    pub price: Money,
    /// A customer group's volume price.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
}

/// A coupon announced: `{"code": "BLACK10", "percent_off": "10"}` or with `amount_off`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CouponClaim {
    /// The code to type.
    pub code: String,
    /// The reduction announced with it, if any.
    pub reduction: Option<CouponReduction>,
}

/// What a coupon claim says it takes off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CouponReduction {
    /// Per cent off.
    PercentOff(Decimal),
    /// An amount off.
    AmountOff(Money),
}

impl fmt::Display for CouponClaim {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.code)?;
        match self.reduction {
            Some(CouponReduction::PercentOff(p)) => write!(f, " -{}%", p.normalize()),
            Some(CouponReduction::AmountOff(m)) => write!(f, " -{m}"),
            None => Ok(()),
        }
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct CouponJson {
    code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    percent_off: Option<crate::catalog::document::DecimalText>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    amount_off: Option<Money>,
}

impl Payload for Variant {
    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        BTreeMap::deserialize(deserializer).map(Variant)
    }
    fn write<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
    fn text(&self) -> String {
        self.to_string()
    }
}

impl Payload for PriceRange {
    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        PriceRange::deserialize(deserializer)
    }
    fn write<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.serialize(serializer)
    }
    fn text(&self) -> String {
        format!("{} - {}", self.min, self.max)
    }
    fn money(&self) -> Option<Money> {
        // A range in two currencies: the second is judged by the currency check too.
        if self.min.currency() == self.max.currency() {
            Some(self.min)
        } else {
            Some(self.max)
        }
    }
}

/// Payloads that are a price of someone or from some quantity: shown and judged by that price.
macro_rules! priced_payload {
    ($($type:ty),*) => {$(
        impl Payload for $type {
            fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                <$type>::deserialize(deserializer)
            }
            fn write<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                self.serialize(serializer)
            }
            fn text(&self) -> String {
                self.price.to_string()
            }
            fn money(&self) -> Option<Money> {
                Some(self.price)
            }
        }
    )*};
}
priced_payload!(TierPriceClaim, GroupPriceClaim, VolumePriceClaim);

impl Payload for CouponClaim {
    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let json = CouponJson::deserialize(deserializer)?;
        let reduction = match (json.percent_off, json.amount_off) {
            (Some(_), Some(_)) => {
                return Err(D::Error::custom(
                    "a coupon claim has percent_off or amount_off, not both",
                ));
            }
            (Some(p), None) => Some(CouponReduction::PercentOff(p.0.parse().map_err(|_| {
                D::Error::custom(format_args!(
                    "percent_off {} is not a number",
                    crate::limits::Quoted(&p.0)
                ))
            })?)),
            (None, Some(m)) => Some(CouponReduction::AmountOff(m)),
            (None, None) => None,
        };
        Ok(CouponClaim {
            code: json.code,
            reduction,
        })
    }
    fn write<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (percent_off, amount_off) = match self.reduction {
            Some(CouponReduction::PercentOff(p)) => (
                Some(crate::catalog::document::DecimalText(
                    p.normalize().to_string(),
                )),
                None,
            ),
            Some(CouponReduction::AmountOff(m)) => (None, Some(m)),
            None => (None, None),
        };
        CouponJson {
            code: self.code.clone(),
            percent_off,
            amount_off,
        }
        .serialize(serializer)
    }
    fn text(&self) -> String {
        self.to_string()
    }
    fn money(&self) -> Option<Money> {
        match self.reduction {
            Some(CouponReduction::AmountOff(m)) => Some(m),
            _ => None,
        }
    }
}

/// A payload kept behind a pointer, so that it does not widen every claim.
impl<T: Payload> Payload for Box<T> {
    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::read(deserializer).map(Box::new)
    }
    fn write<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        (**self).write(serializer)
    }
    fn text(&self) -> String {
        (**self).text()
    }
    fn money(&self) -> Option<Money> {
        (**self).money()
    }
}

/// The line reader leaves these to serde: it declines a line with one of them.
macro_rules! declined_by_line_reader {
    ($($type:ty),*) => {$(
        impl crate::read::line::LineValue for $type {
            fn read_line(_: &mut crate::read::scan::Reader<'_, false>, _: &mut Vec<String>) -> Option<Self> {
                None
            }
        }
    )*};
}
declined_by_line_reader!(
    Variant,
    PriceRange,
    Box<TierPriceClaim>,
    Box<GroupPriceClaim>,
    Box<VolumePriceClaim>,
    Box<CouponClaim>
);

#[cfg(test)]
mod tests {
    /// A v1 claim is as small as before v2: the larger v2 payloads are boxed.
    #[test]
    fn v2_claims_do_not_widen_a_claim() {
        assert!(
            std::mem::size_of::<crate::ClaimValue>()
                <= std::mem::size_of::<crate::rendering::UnitPrice>() + 8
        );
    }
}
