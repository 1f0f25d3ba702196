//! The catalog document of CONTRACT §2 as plain serde data.
//!
//! Leaves that need checking (money, instants, GTINs, percentages) are kept as the text that was
//! written, so that compiling can report every bad value at once with its path instead of stopping
//! at the first. Unknown fields are refused everywhere but in `meta`.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Free-form data carried through untouched.
pub type Meta = serde_json::Map<String, serde_json::Value>;

/// A whole catalog: markets, locations, channels, products, prices, promotions and stock.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogDocument {
    /// Markets (country or region, currency, time zone, price rules).
    #[serde(default)]
    pub markets: Vec<MarketEntry>,
    /// Warehouses and stores that hold stock.
    #[serde(default)]
    pub locations: Vec<LocationEntry>,
    /// Sales channels, each in one market, each served from some locations.
    #[serde(default)]
    pub channels: Vec<ChannelEntry>,
    /// Products.
    #[serde(default)]
    pub products: Vec<ProductEntry>,
    /// Price list entries over time.
    #[serde(default)]
    pub prices: Vec<PriceEntry>,
    /// Promotions.
    #[serde(default)]
    pub promotions: Vec<PromotionEntry>,
    /// Stock snapshots per product and location.
    #[serde(default)]
    pub stock: Vec<StockSnapshot>,
    /// Free-form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
}

/// A market: where one currency, one time zone and one set of price rules apply.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MarketEntry {
    /// Unique id, e.g. `"IT"`.
    pub id: String,
    /// ISO 4217 code.
    pub currency: String,
    /// IANA time zone, e.g. `"Europe/Rome"`: local dates of this market are read in it.
    pub time_zone: String,
    /// BCP 47 locale, e.g. `"it-IT"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    /// Whether amounts include tax (default true, as consumer prices in the EU must).
    #[serde(default = "yes")]
    pub prices_include_tax: bool,
    /// The Omnibus prior-price window in days; `null` or absent: the market has no prior-price rule.
    #[serde(default)]
    pub reference_price_days: Option<u32>,
    /// Whether a unit price must accompany the price of goods sold by quantity (default false).
    #[serde(default)]
    pub unit_price_required: bool,
    /// The local date whose public price must be shown beside every price (CONTRACT §12, the
    /// Croatian "anchor price" of 2025): the price at the local start of that date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub anchor_price_date: Option<String>,
    /// The channel kinds that must show the anchor price; absent with a date: every kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub anchor_price_channels: Option<Vec<ChannelKind>>,
    /// Free-form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
}

fn yes() -> bool {
    true
}

/// A place that holds stock.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LocationEntry {
    /// Unique id.
    pub id: String,
    /// Warehouse or store.
    pub kind: LocationKind,
    /// Free-form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
}

/// What a location is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LocationKind {
    /// Ships to customers.
    Warehouse,
    /// Sells over the counter and offers pickup.
    Store,
}

/// A channel: a place where offers are shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChannelEntry {
    /// Unique id, e.g. `"web-it"`.
    pub id: String,
    /// What kind of channel.
    pub kind: ChannelKind,
    /// The market it sells in.
    pub market: String,
    /// Locations whose stock it can sell.
    #[serde(default)]
    pub locations: Vec<String>,
    /// Free-form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
}

/// The kinds of channel of CONTRACT §2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChannelKind {
    /// Web shop.
    Web,
    /// Mobile app.
    App,
    /// Newsletter and other email.
    Email,
    /// Television.
    Tv,
    /// Radio.
    Radio,
    /// Printed flyers and catalogues.
    Print,
    /// Shelf labels and signs in a store.
    Store,
    /// Social media posts.
    Social,
    /// Third-party marketplaces.
    Marketplace,
    /// Product feeds (Google Merchant Center and the like).
    Feed,
}

impl ChannelKind {
    /// Every kind, in the order of CONTRACT §2.
    pub const ALL: [ChannelKind; 10] = [
        ChannelKind::Web,
        ChannelKind::App,
        ChannelKind::Email,
        ChannelKind::Tv,
        ChannelKind::Radio,
        ChannelKind::Print,
        ChannelKind::Store,
        ChannelKind::Social,
        ChannelKind::Marketplace,
        ChannelKind::Feed,
    ];

    /// The name used in JSON, e.g. `"tv"`.
    pub fn as_str(&self) -> &'static str {
        match self {
            ChannelKind::Web => "web",
            ChannelKind::App => "app",
            ChannelKind::Email => "email",
            ChannelKind::Tv => "tv",
            ChannelKind::Radio => "radio",
            ChannelKind::Print => "print",
            ChannelKind::Store => "store",
            ChannelKind::Social => "social",
            ChannelKind::Marketplace => "marketplace",
            ChannelKind::Feed => "feed",
        }
    }
}

impl fmt::Display for ChannelKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A product.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProductEntry {
    /// Unique stock-keeping unit.
    pub sku: String,
    /// GTIN-8, -12, -13 or -14.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gtin: Option<String>,
    /// Title, one string or one per locale.
    pub title: Title,
    /// Brand.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub brand: Option<String>,
    /// Category path, `/`-separated (`"computers/laptops"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// When it went on sale; the prior-price window never reaches before it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub launched: Option<String>,
    /// Net quantity, for unit pricing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<UnitEntry>,
    /// Perishable goods are exempt from the prior-price rule (Codice del Consumo art. 17-bis c. 3).
    #[serde(default)]
    pub perishable: bool,
    /// The channels that sell it; `null` or absent: every channel.
    #[serde(default)]
    pub channels: Option<Vec<String>>,
    /// The family (CONTRACT §10): the products sharing it are variants of one another.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family: Option<String>,
    /// What sets it apart in its family: `{"size": "M", "color": "blue"}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant: Option<BTreeMap<String, String>>,
    /// The recommended retail price per market id (CONTRACT §12): `{"IT": "999.00 EUR"}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rrp: Option<BTreeMap<String, String>>,
    /// Free-form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
}

/// A title: one string, or one per locale (`{"it-IT": "...", "en": "..."}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Title {
    /// The same title everywhere.
    One(String),
    /// A title per locale.
    ByLocale(BTreeMap<String, String>),
}

impl Title {
    /// The title for `locale`: its exact entry, else one for its language (`it` for `it-IT`), else the
    /// first by locale name.
    pub fn for_locale(&self, locale: Option<&str>) -> &str {
        match self {
            Title::One(title) => title,
            Title::ByLocale(map) => {
                let language = locale.and_then(|l| l.split('-').next());
                locale
                    .and_then(|l| map.get(l))
                    .or_else(|| language.and_then(|l| map.get(l)))
                    .or_else(|| {
                        map.iter()
                            .find(|(k, _)| k.split('-').next() == language)
                            .map(|(_, v)| v)
                    })
                    .or_else(|| map.values().next())
                    .map_or("", String::as_str)
            }
        }
    }
}

/// The net quantity of a product: `{"quantity": "0.5", "measure": "kg"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitEntry {
    /// A positive decimal.
    pub quantity: DecimalText,
    /// The measure.
    pub measure: Measure,
}

/// Units of net quantity for unit pricing (Directive 98/6/EC).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Measure {
    /// Kilogram.
    #[serde(rename = "kg")]
    Kilogram,
    /// Gram.
    #[serde(rename = "g")]
    Gram,
    /// Litre.
    #[serde(rename = "l")]
    Litre,
    /// Millilitre.
    #[serde(rename = "ml")]
    Millilitre,
    /// Metre.
    #[serde(rename = "m")]
    Metre,
    /// Square metre.
    #[serde(rename = "m2")]
    SquareMetre,
    /// Cubic metre.
    #[serde(rename = "m3")]
    CubicMetre,
    /// A piece: not sold by quantity.
    #[serde(rename = "item")]
    Item,
}

impl Measure {
    /// The symbol, lower case as the law writes it (`kg`, `ml`).
    pub fn symbol(&self) -> &'static str {
        match self {
            Measure::Kilogram => "kg",
            Measure::Gram => "g",
            Measure::Litre => "l",
            Measure::Millilitre => "ml",
            Measure::Metre => "m",
            Measure::SquareMetre => "m2",
            Measure::CubicMetre => "m3",
            Measure::Item => "item",
        }
    }

    /// Whether goods measured so are sold by weight, volume, length or area (and need a unit price).
    pub fn is_quantity(&self) -> bool {
        !matches!(self, Measure::Item)
    }
}

/// A price list entry: one amount for one product in one market (optionally only some channels) over
/// a window of time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriceEntry {
    /// The product.
    pub sku: String,
    /// The market.
    pub market: String,
    /// Only these channels; `null` or absent: every channel of the market. A channel-specific entry
    /// wins over a market-wide one.
    #[serde(default)]
    pub channels: Option<Vec<String>>,
    /// `"899.00 EUR"`, consumer price (tax included where the market says so).
    pub amount: String,
    /// First instant (RFC 3339, or a local date of the market).
    pub from: String,
    /// End, exclusive; `null` or absent: open-ended.
    #[serde(default)]
    pub until: Option<String>,
    /// The customer group whose price list this is (CONTRACT §11); absent: the public list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// The unit price from this quantity on (default 1): a volume price above 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_quantity: Option<u32>,
    /// Free-form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
}

/// A promotion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PromotionEntry {
    /// Unique id, also the code a coupon promotion is redeemed with.
    pub id: String,
    /// Human name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Markets; `null` or absent: every market.
    #[serde(default)]
    pub markets: Option<Vec<String>>,
    /// Channels; `null` or absent: every channel of its markets.
    #[serde(default)]
    pub channels: Option<Vec<String>>,
    /// Products targeted by SKU.
    #[serde(default)]
    pub skus: Vec<String>,
    /// Categories targeted, each with its sub-categories (`"food"` covers `"food/fruit"`).
    #[serde(default)]
    pub categories: Vec<String>,
    /// First instant.
    pub from: String,
    /// End, exclusive; `null` or absent: open-ended.
    #[serde(default)]
    pub until: Option<String>,
    /// What it does to the price.
    pub mechanic: MechanicEntry,
    /// Who gets it.
    #[serde(default)]
    pub audience: Audience,
    /// Higher applies first.
    #[serde(default)]
    pub priority: i32,
    /// Applies only when nothing applied before it, and then stops the walk.
    #[serde(default)]
    pub exclusive: bool,
    /// Free-form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
}

/// A promotion's mechanic as written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum MechanicEntry {
    /// `{"percent_off": "20"}`.
    PercentOff(DecimalText),
    /// `{"amount_off": "50.00 EUR"}`.
    AmountOff(String),
    /// `{"fixed_price": "699.00 EUR"}`.
    FixedPrice(String),
    /// `{"multi_buy": {"buy": 3, "pay": 2}}`.
    MultiBuy(MultiBuy),
}

/// Buy `buy` items, pay `pay` of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MultiBuy {
    /// Items taken.
    pub buy: u32,
    /// Items paid.
    pub pay: u32,
}

impl fmt::Display for MultiBuy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}x{}", self.buy, self.pay)
    }
}

/// Who a promotion is for (CONTRACT §2, §11).
///
/// Written `"everyone"`, `"members"`, `"coupon"`, `{"tier": "gold"}`, `{"group": "b2b"}` or
/// `{"coupon": "BLACK10", "public": true}`.
///
/// ```
/// use unisono::catalog::Audience;
/// let gold: Audience = serde_json::from_str(r#"{"tier": "gold"}"#)?;
/// assert_eq!(gold, Audience::Tier("gold".into()));
/// let code: Audience = serde_json::from_str(r#"{"coupon": "BLACK10", "public": true}"#)?;
/// assert_eq!(code, Audience::Code { code: "BLACK10".into(), public: true });
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum Audience {
    /// Everyone: it changes the public price.
    #[default]
    Everyone,
    /// Loyalty members: it makes the members' price (the tier `members`).
    Members,
    /// Whoever enters the code (the promotion's id): never the public price.
    Coupon,
    /// One loyalty tier: it makes that tier's price. `{"tier": "members"}` is [`Audience::Members`]
    /// once compiled.
    Tier(String),
    /// One customer group: it applies to that group's price only.
    Group(String),
    /// A coupon with its own code; `public` when it is announced to everyone with no condition but
    /// typing the code (then a price reduction in the sense of Omnibus, CONTRACT §11).
    Code {
        /// The code typed at checkout.
        code: String,
        /// Announced to everyone (default false).
        public: bool,
    },
}

impl Audience {
    /// Whether it is a coupon (a code to type), public or not.
    pub fn is_coupon(&self) -> bool {
        matches!(self, Audience::Coupon | Audience::Code { .. })
    }
}

impl Serialize for Audience {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        match self {
            Audience::Everyone => serializer.serialize_str("everyone"),
            Audience::Members => serializer.serialize_str("members"),
            Audience::Coupon => serializer.serialize_str("coupon"),
            Audience::Tier(tier) => {
                let mut map = serializer.serialize_map(Some(1))?;
                map.serialize_entry("tier", tier)?;
                map.end()
            }
            Audience::Group(group) => {
                let mut map = serializer.serialize_map(Some(1))?;
                map.serialize_entry("group", group)?;
                map.end()
            }
            Audience::Code { code, public } => {
                let mut map = serializer.serialize_map(Some(2))?;
                map.serialize_entry("coupon", code)?;
                map.serialize_entry("public", public)?;
                map.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for Audience {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        const EXPECTED: &str = "\"everyone\", \"members\", \"coupon\", {\"tier\": ...}, {\"group\": ...} or {\"coupon\": ..., \"public\": ...}";
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Audience;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(EXPECTED)
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Audience, E> {
                match v {
                    "everyone" => Ok(Audience::Everyone),
                    "members" => Ok(Audience::Members),
                    "coupon" => Ok(Audience::Coupon),
                    _ => Err(E::unknown_variant(v, &["everyone", "members", "coupon"])),
                }
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Audience, A::Error> {
                use serde::de::Error;
                let (mut tier, mut group, mut coupon, mut public) = (None, None, None, None);
                while let Some(key) = map.next_key::<String>()? {
                    let slot_taken = match key.as_str() {
                        "tier" => tier.replace(map.next_value::<String>()?).is_some(),
                        "group" => group.replace(map.next_value::<String>()?).is_some(),
                        "coupon" => coupon.replace(map.next_value::<String>()?).is_some(),
                        "public" => public.replace(map.next_value::<bool>()?).is_some(),
                        _ => {
                            return Err(A::Error::unknown_field(
                                &key,
                                &["tier", "group", "coupon", "public"],
                            ));
                        }
                    };
                    if slot_taken {
                        return Err(A::Error::custom(format_args!("duplicate field `{key}`")));
                    }
                }
                match (tier, group, coupon, public) {
                    (Some(tier), None, None, None) => Ok(Audience::Tier(tier)),
                    (None, Some(group), None, None) => Ok(Audience::Group(group)),
                    (None, None, Some(code), public) => Ok(Audience::Code {
                        code,
                        public: public.unwrap_or(false),
                    }),
                    _ => Err(A::Error::custom(format_args!(
                        "an audience is one of {EXPECTED}"
                    ))),
                }
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// A stock snapshot: units at one location at one instant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StockSnapshot {
    /// The product.
    pub sku: String,
    /// The location.
    pub location: String,
    /// Units physically there.
    pub on_hand: i64,
    /// Units promised to orders not yet shipped.
    #[serde(default)]
    pub reserved: i64,
    /// When it was counted (RFC 3339).
    pub as_of: String,
    /// Free-form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
}

/// A decimal written as a JSON string (`"12.5"`) or integer (`20`). Floats are refused: `12.5` as a
/// JSON number may already have lost digits by the time it is read.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DecimalText(pub String);

impl fmt::Display for DecimalText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for DecimalText {
    fn from(text: &str) -> Self {
        DecimalText(text.to_owned())
    }
}

impl Serialize for DecimalText {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for DecimalText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = DecimalText;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a decimal as a string (\"12.5\") or an integer (20)")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<DecimalText, E> {
                Ok(DecimalText(v.to_owned()))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<DecimalText, E> {
                Ok(DecimalText(v.to_string()))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<DecimalText, E> {
                Ok(DecimalText(v.to_string()))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<DecimalText, E> {
                Err(E::custom(format_args!(
                    "{v} is a JSON float: write decimals as a string (\"{v}\") so no digit is lost"
                )))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_fall_back_by_language_then_name() {
        let title = Title::ByLocale(BTreeMap::from([
            ("de".to_owned(), "Notebook".to_owned()),
            ("it".to_owned(), "Portatile".to_owned()),
        ]));
        assert_eq!(title.for_locale(Some("it-IT")), "Portatile");
        assert_eq!(title.for_locale(Some("fr-FR")), "Notebook");
        assert_eq!(title.for_locale(None), "Notebook");
        assert_eq!(Title::One("X".into()).for_locale(Some("it")), "X");
    }

    #[test]
    fn decimals_come_as_strings_or_integers_never_floats() {
        let ok: MechanicEntry = serde_json::from_str(r#"{"percent_off": 20}"#).unwrap();
        assert_eq!(ok, MechanicEntry::PercentOff("20".into()));
        let ok: MechanicEntry = serde_json::from_str(r#"{"percent_off": "12.5"}"#).unwrap();
        assert_eq!(ok, MechanicEntry::PercentOff("12.5".into()));
        let err = serde_json::from_str::<MechanicEntry>(r#"{"percent_off": 12.5}"#).unwrap_err();
        assert!(
            err.to_string().contains("write decimals as a string"),
            "{err}"
        );
    }

    #[test]
    fn unknown_fields_are_refused_but_meta_is_free() {
        let err =
            serde_json::from_str::<LocationEntry>(r#"{"id": "a", "kind": "store", "knid": 1}"#)
                .unwrap_err();
        assert!(err.to_string().contains("unknown field `knid`"), "{err}");
        let ok: LocationEntry = serde_json::from_str(
            r#"{"id": "a", "kind": "store", "meta": {"anything": [1, {"x": null}]}}"#,
        )
        .unwrap();
        assert_eq!(ok.meta.map(|m| m.len()), Some(1));
    }
}
