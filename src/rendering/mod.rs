//! What a channel shows of one offer, over the time it is shown (CONTRACT §3).
//!
//! A rendering names its channel and product, the window it is shown in, and the claims it makes:
//! a price, a struck-through reference price, "-20%", "until Sunday", "only 3 left", a GTIN, a title, a
//! unit price. Values are read as written: a rendering that says `719.199 EUR` says that, and the
//! validator will say it is wrong.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::catalog::document::Meta;
use crate::catalog::{Measure, MultiBuy};
use crate::money::Money;
use crate::offer::Availability;
mod claims;

pub use claims::Payload;

use crate::time::{DateEdge, Window, local_midnight, parse_instant, rfc3339_in};

pub use crate::read::renderings::{JsonLines, ReadError, parse_line, read_renderings};
pub(crate) use crate::read::renderings::{LineReader, is_blank};

/// One channel's showing of one product.
///
/// ```
/// let r: unisono::Rendering = serde_json::from_str(r#"{
///   "id": "newsletter-48/hero", "channel": "email-it", "sku": "LAPTOP-14",
///   "shown": {"from": "2026-11-27T07:00:00+01:00", "until": "2026-11-29T00:00:00+01:00"},
///   "claims": [{"price": "719.20 EUR"}, {"percent_off": "20", "source": "h2.badge"}]
/// }"#)?;
/// assert_eq!(r.claims[1].value, unisono::ClaimValue::PercentOff("20".parse()?));
/// assert_eq!(r.claims[1].source.as_deref(), Some("h2.badge"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rendering {
    /// Identifies the rendering in findings (`"newsletter-48/hero"`).
    pub id: String,
    /// The channel that shows it.
    pub channel: String,
    /// The product, by SKU.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sku: Option<String>,
    /// The product, by GTIN (when there is no SKU; with both, the SKU names it and the GTIN must match).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gtin: Option<String>,
    /// When it is shown.
    pub shown: Shown,
    /// What it says.
    #[serde(default, deserialize_with = "claims")]
    pub claims: Vec<Claim>,
    /// Free-form, carried through.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
}

impl Rendering {
    /// A rendering with nothing in it, for a reader to overwrite.
    pub(crate) fn blank() -> Rendering {
        Rendering {
            id: String::new(),
            channel: String::new(),
            sku: None,
            gtin: None,
            shown: Shown::At {
                at: Instant(DateTime::<Utc>::MIN_UTC),
            },
            claims: Vec::new(),
            meta: None,
        }
    }
}

/// When a rendering is shown: a half-open window, or one instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    /// `{"at": INSTANT}`.
    At {
        /// The instant.
        at: Instant,
    },
    /// `{"from": INSTANT, "until": INSTANT}`; no `until` is open-ended.
    Window {
        /// First instant shown.
        from: Instant,
        /// End, exclusive.
        until: Option<Instant>,
    },
}

#[derive(Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ShownJson {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    at: Option<Instant>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    from: Option<Instant>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    until: Option<Instant>,
}

impl<'de> Deserialize<'de> for Shown {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        match ShownJson::deserialize(deserializer)? {
            ShownJson {
                at: Some(at),
                from: None,
                until: None,
            } => Ok(Shown::At { at }),
            ShownJson {
                at: None,
                from: Some(from),
                until,
            } => match until {
                Some(until) if until <= from => Err(D::Error::custom(format!(
                    "shown.from {} is not before shown.until {}",
                    from.0.to_rfc3339(),
                    until.0.to_rfc3339()
                ))),
                _ => Ok(Shown::Window { from, until }),
            },
            _ => Err(D::Error::custom(
                "shown is {\"from\": INSTANT, \"until\": INSTANT} (until optional) or {\"at\": INSTANT}",
            )),
        }
    }
}

impl Serialize for Shown {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match *self {
            Shown::At { at } => ShownJson {
                at: Some(at),
                ..ShownJson::default()
            },
            Shown::Window { from, until } => ShownJson {
                at: None,
                from: Some(from),
                until,
            },
        }
        .serialize(serializer)
    }
}

impl Shown {
    /// As a half-open window (one instant is `[at, at + 1 ns)`).
    pub fn window(&self) -> Window {
        match *self {
            Shown::At { at } => Window::instant(at.0),
            Shown::Window { from, until } => Window::new(from.0, until.map(|u| u.0)),
        }
    }
}

/// An RFC 3339 instant with an offset, as JSON text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Instant(pub DateTime<Utc>);

impl Serialize for Instant {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.0.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
    }
}

impl FromStr for Instant {
    type Err = crate::time::TimeError;
    /// Strict RFC 3339 with an offset ([`parse_instant`]).
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        parse_instant(text).map(Instant)
    }
}

impl<'de> Deserialize<'de> for Instant {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        crate::text_serde::from_text(deserializer)
    }
}

/// Reads the claims into a vector sized for a typical rendering at once (JSON gives no length, so
/// serde's own would grow it claim by claim, moving the claims read so far).
fn claims<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<Claim>, D::Error> {
    struct Claims;
    impl<'de> serde::de::Visitor<'de> for Claims {
        type Value = Vec<Claim>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a list of claims")
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(
            self,
            mut seq: A,
        ) -> Result<Vec<Claim>, A::Error> {
            let mut claims = Vec::with_capacity(seq.size_hint().unwrap_or(8).min(64));
            while let Some(claim) = seq.next_element()? {
                claims.push(claim);
            }
            Ok(claims)
        }
    }
    deserializer.deserialize_seq(Claims)
}

/// One thing a rendering says, and where it was seen.
#[derive(Debug, Clone, PartialEq)]
pub struct Claim {
    /// What is claimed.
    pub value: ClaimValue,
    /// Where it was seen (a JSON pointer, a CSS selector, a byte range), echoed in findings.
    pub source: Option<String>,
}

impl From<ClaimValue> for Claim {
    fn from(value: ClaimValue) -> Claim {
        Claim {
            value,
            source: None,
        }
    }
}

claims::claims! {
    /// The selling price.
    Price(Money) = "price", prices;
    /// The members' price.
    MemberPrice(Money) = "member_price", prices;
    /// Was / strikethrough / prior price.
    ReferencePrice(Money) = "reference_price", prices;
    /// "-20%".
    PercentOff(Decimal) = "percent_off", prices;
    /// "10 € off".
    AmountOff(Money) = "amount_off", prices;
    /// "3x2".
    MultiBuy(MultiBuy) = "multi_buy", prices;
    /// A promotion's id or code.
    Promotion(String) = "promotion", prices;
    /// "from 1 December".
    ValidFrom(DateOrInstant) = "valid_from", prices;
    /// "until Sunday".
    ValidUntil(DateOrInstant) = "valid_until", prices;
    /// "in stock", "only a few left", ...
    Availability(Availability) = "availability", other;
    /// "only 8 left".
    StockQuantity(u64) = "stock_quantity", other;
    /// "pick up today at ..." (a location id).
    PickupAt(String) = "pickup_at", other;
    /// A GTIN as written.
    Gtin(String) = "gtin", other;
    /// The product's title as shown.
    Title(String) = "title", other;
    /// "2.45 €/kg".
    UnitPrice(UnitPrice) = "unit_price", prices;
}

impl ClaimValue {
    /// The claim's kind as written in JSON: `"price"`, `"valid_until"`, ...
    pub fn kind(&self) -> &'static str {
        self.claim_kind().name()
    }

    /// Whether checking the claim needs the catalog's prices over the rendering's window.
    pub(crate) fn depends_on_prices(&self) -> bool {
        self.claim_kind().depends_on_prices()
    }

    /// The value as people read it: `-20%`, `-50.00 EUR`, `3x2`, `only 8 left`, else as in JSON.
    pub fn display_text(&self) -> String {
        match self {
            ClaimValue::PercentOff(p) => format!("-{}%", p.normalize()),
            ClaimValue::AmountOff(m) => format!("-{m}"),
            ClaimValue::StockQuantity(n) => format!("only {n} left"),
            other => other.value_text(),
        }
    }
}

/// A date or an instant, as validity claims write it. A local date is read in the channel's market
/// time zone; as `valid_until` it means the end of that day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateOrInstant {
    /// `"2026-11-30"`.
    Date(NaiveDate),
    /// `"2026-11-30T18:00:00+01:00"`.
    Instant(DateTime<Utc>),
}

impl DateOrInstant {
    /// The instant meant, in `zone`: a date at `edge` (its start, or the next local midnight).
    pub fn resolve(&self, zone: Tz, edge: DateEdge) -> Option<DateTime<Utc>> {
        match *self {
            DateOrInstant::Instant(t) => Some(t),
            DateOrInstant::Date(d) => match edge {
                DateEdge::Start => local_midnight(d, zone),
                DateEdge::End => d.succ_opt().and_then(|next| local_midnight(next, zone)),
            },
        }
    }

    /// Written as in JSON, an instant in `zone`.
    pub fn display_in(&self, zone: Tz) -> String {
        match *self {
            DateOrInstant::Date(d) => d.to_string(),
            DateOrInstant::Instant(t) => rfc3339_in(t, zone),
        }
    }
}

impl fmt::Display for DateOrInstant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DateOrInstant::Date(d) => write!(f, "{d}"),
            DateOrInstant::Instant(t) => {
                f.write_str(&t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
            }
        }
    }
}

impl FromStr for DateOrInstant {
    type Err = crate::time::TimeError;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match crate::time::parse_local_date(text) {
            Some(date) => Ok(DateOrInstant::Date(date)),
            None => parse_instant(text).map(DateOrInstant::Instant),
        }
    }
}

/// A unit price: `{"price": "2.45 EUR", "per": "1 kg"}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnitPrice {
    /// The price per `per`.
    pub price: Money,
    /// How much of what: `1 kg`, `100 g`.
    pub per: Quantity,
}

impl fmt::Display for UnitPrice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} per {}", self.price, self.per)
    }
}

/// An amount of a measure: `1 kg`, `100 g`, `0.75 l`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quantity {
    /// Positive.
    pub amount: Decimal,
    /// The measure.
    pub measure: Measure,
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.amount.normalize(), self.measure.symbol())
    }
}

/// Why a text is not a quantity.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{0:?} is not a quantity: expected a positive number and a unit (kg, g, l, ml, m, m2, m3), like \"1 kg\""
)]
pub struct QuantityError(String);

impl FromStr for Quantity {
    type Err = QuantityError;

    /// `"1 kg"`, `"100 g"`, `"1kg"`, or a bare unit `"kg"` (= 1 kg). Unit symbols are lower case.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let bad = || QuantityError(text.to_owned());
        let split = text
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .ok_or_else(bad)?;
        let (number, unit) = text.split_at(split);
        let amount = if number.is_empty() {
            Decimal::ONE
        } else {
            number.parse::<Decimal>().map_err(|_| bad())?
        };
        let measure = match unit.trim_start() {
            "kg" => Measure::Kilogram,
            "g" => Measure::Gram,
            "l" | "L" => Measure::Litre,
            "ml" | "mL" => Measure::Millilitre,
            "m" => Measure::Metre,
            "m2" | "m²" => Measure::SquareMetre,
            "m3" | "m³" => Measure::CubicMetre,
            _ => return Err(bad()),
        };
        if amount <= Decimal::ZERO {
            return Err(bad());
        }
        Ok(Quantity { amount, measure })
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct UnitPriceJson {
    price: Money,
    per: String,
}

/// A key of a claim object, read without allocating: a kind, or `source` (`None`).
struct ClaimField(Option<ClaimKind>);

impl<'de> Deserialize<'de> for ClaimField {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Key;
        impl serde::de::Visitor<'_> for Key {
            type Value = ClaimField;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a claim kind or `source`")
            }
            fn visit_str<E: serde::de::Error>(self, key: &str) -> Result<ClaimField, E> {
                match ClaimKind::from_name(key) {
                    Some(kind) => Ok(ClaimField(Some(kind))),
                    None if key == "source" => Ok(ClaimField(None)),
                    None => Err(E::unknown_field(key, CLAIM_FIELDS)),
                }
            }
        }
        deserializer.deserialize_identifier(Key)
    }
}

/// "price, member_price, ... or unit_price": every kind, for messages.
fn kinds_listed() -> String {
    let names: Vec<&str> = ClaimKind::ALL.iter().map(|k| k.name()).collect();
    match names.split_last() {
        Some((last, [])) => (*last).to_owned(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// Reads a claim object key by key, straight into its [`ClaimValue`]: exactly one kind, and an
/// optional `source`.
struct ClaimVisitor;

impl<'de> serde::de::Visitor<'de> for ClaimVisitor {
    type Value = Claim;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a claim: an object with one kind (price, percent_off, valid_until, ...)")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Claim, A::Error> {
        use serde::de::Error;
        let mut value: Option<ClaimValue> = None;
        let mut source: Option<String> = None;
        while let Some(ClaimField(field)) = map.next_key()? {
            let Some(kind) = field else {
                if source.is_some() {
                    return Err(A::Error::duplicate_field("source"));
                }
                source = Some(map.next_value()?);
                continue;
            };
            let next = ClaimValue::read_entry(kind, &mut map)?;
            if let Some(first) = &value {
                return Err(if first.claim_kind() == kind {
                    A::Error::duplicate_field(kind.name())
                } else {
                    A::Error::custom(format!(
                        "a claim has exactly one kind; this one has {} and {}",
                        first.kind(),
                        kind.name()
                    ))
                });
            }
            value = Some(next);
        }
        match value {
            Some(value) => Ok(Claim { value, source }),
            None => Err(A::Error::custom(format!(
                "a claim needs one kind: {}",
                kinds_listed()
            ))),
        }
    }
}

impl<'de> Deserialize<'de> for Claim {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(ClaimVisitor)
    }
}

impl Serialize for Claim {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(1 + usize::from(self.source.is_some())))?;
        self.value.write_entry(&mut map)?;
        if let Some(source) = &self.source {
            map.serialize_entry("source", source)?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claim(json: &str) -> Result<Claim, String> {
        serde_json::from_str(json).map_err(|e| e.to_string())
    }

    #[test]
    fn every_claim_kind_round_trips() {
        let text = r#"[{"price":"719.20 EUR"},{"member_price":"700.00 EUR"},{"reference_price":"899.00 EUR"},
            {"percent_off":"12.5"},{"amount_off":"10.00 EUR"},{"multi_buy":{"buy":3,"pay":2}},{"promotion":"BF26"},
            {"valid_from":"2026-11-27"},{"valid_until":"2026-11-30T18:00:00+01:00"},{"availability":"low_stock"},
            {"stock_quantity":8},{"pickup_at":"store-roma"},{"gtin":"08012345678907"},{"title":"Notebook"},
            {"unit_price":{"price":"25.80 EUR","per":"1 kg"},"source":"/offers/0"}]"#;
        let claims: Vec<Claim> = serde_json::from_str(text).unwrap();
        assert_eq!(claims.len(), 15);
        let kinds: Vec<&str> = claims.iter().map(|c| c.value.kind()).collect();
        assert_eq!(kinds[0], "price");
        assert_eq!(kinds[14], "unit_price");
        let again: Vec<Claim> =
            serde_json::from_str(&serde_json::to_string(&claims).unwrap()).unwrap();
        assert_eq!(again, claims);
        assert_eq!(claims[14].source.as_deref(), Some("/offers/0"));
    }

    #[test]
    fn a_claim_has_exactly_one_kind() {
        assert!(
            claim(r#"{"price":"1.00 EUR","title":"x"}"#)
                .unwrap_err()
                .contains("has price and title")
        );
        assert!(
            claim(r#"{"source":"x"}"#)
                .unwrap_err()
                .contains("a claim needs one kind")
        );
        assert!(
            claim(r#"{"prize":"1.00 EUR"}"#)
                .unwrap_err()
                .contains("unknown field `prize`")
        );
        assert!(
            claim(r#"{"price": 719.2}"#).is_err(),
            "money as a JSON number is refused"
        );
        assert!(
            claim(r#"{"valid_until":"2026-11-30T00:00:00"}"#)
                .unwrap_err()
                .contains("no UTC offset")
        );
    }

    #[test]
    fn claims_are_read_key_by_key() {
        let err = |json: &str| claim(json).unwrap_err();
        assert!(
            err(r#"{"price":"1.00 EUR","price":"2.00 EUR"}"#).contains("duplicate field `price`")
        );
        assert!(
            err(r#"{"title":"a","source":"x","source":"y"}"#).contains("duplicate field `source`")
        );
        assert!(
            err(r#"{"percent_off":"twenty"}"#).contains(r#"percent_off "twenty" is not a number"#)
        );
        assert!(err(r#"{"percent_off":20.5}"#).contains("JSON float"));
        assert_eq!(
            claim(r#"{"percent_off":20}"#).unwrap().value,
            ClaimValue::PercentOff(Decimal::from(20))
        );
        // Escaped text goes through the same parsers as plain text.
        let price = claim(r##"{"price":"719.20\u0020EUR","source":"#\/p"}"##).unwrap();
        assert_eq!(price.value.value_text(), "719.20 EUR");
        assert_eq!(price.source.as_deref(), Some("#/p"));
        assert!(err(r#"[1]"#).contains("expected a claim"));
    }

    #[test]
    fn amounts_are_read_as_written() {
        let c = claim(r#"{"price":"719.199 EUR"}"#).unwrap();
        assert_eq!(c.value.value_text(), "719.199 EUR");
    }

    #[test]
    fn quantities() {
        let q: Quantity = "100 g".parse().unwrap();
        assert_eq!((q.amount, q.measure), (Decimal::from(100), Measure::Gram));
        assert_eq!("kg".parse::<Quantity>().unwrap().amount, Decimal::ONE);
        assert_eq!("0.75l".parse::<Quantity>().unwrap().measure, Measure::Litre);
        assert!("1 KG".parse::<Quantity>().is_err());
        assert!("0 kg".parse::<Quantity>().is_err());
        assert!("1 item".parse::<Quantity>().is_err());
    }

    #[test]
    fn shown_is_a_window_or_an_instant() {
        let at: Shown = serde_json::from_str(r#"{"at":"2026-11-27T07:00:00+01:00"}"#).unwrap();
        assert!(
            at.window()
                .contains(parse_instant("2026-11-27T07:00:00+01:00").unwrap())
        );
        let open: Shown = serde_json::from_str(r#"{"from":"2026-11-27T07:00:00+01:00"}"#).unwrap();
        assert_eq!(open.window().until, None);
        let err = serde_json::from_str::<Shown>(r#"{"from":"2026-11-27T07:00:00"}"#).unwrap_err();
        assert!(err.to_string().contains("no UTC offset"), "{err}");
        let err = serde_json::from_str::<Shown>(
            r#"{"at":"2026-11-27T07:00:00Z","from":"2026-11-27T07:00:00Z"}"#,
        );
        assert!(
            err.unwrap_err()
                .to_string()
                .contains("or {\"at\": INSTANT}")
        );
        let err = serde_json::from_str::<Shown>(
            r#"{"from":"2026-11-28T07:00:00Z","until":"2026-11-27T07:00:00Z"}"#,
        );
        assert!(err.unwrap_err().to_string().contains("is not before"));
    }

    #[test]
    fn local_dates_end_at_the_next_local_midnight() {
        let rome: Tz = "Europe/Rome".parse().unwrap();
        let d: DateOrInstant = "2026-11-30".parse().unwrap();
        assert_eq!(
            d.resolve(rome, DateEdge::End),
            Some(parse_instant("2026-12-01T00:00:00+01:00").unwrap())
        );
        assert_eq!(
            d.resolve(rome, DateEdge::Start),
            Some(parse_instant("2026-11-30T00:00:00+01:00").unwrap())
        );
    }
}
