//! Renderings built from structured input against the demo and scenario catalogs: well-formed JSON
//! whose values are chosen to hurt (money at the limits, every time zone offset, local dates at the
//! ends of the calendar, huge stock counts, unicode titles, ids that are almost right). Raw JSON
//! mutation rarely gets past the reader; this target reaches the rules. Also a structured policy.
#![no_main]

mod common;
mod corpora;

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use serde_json::{Value, json};
use unisono::{Catalog, Policy};

#[derive(Arbitrary, Debug)]
struct Input {
    scenario: u8,
    /// Also validate them next to the scenario's own renderings (slower; reaches cross-channel rules).
    with_scenario_renderings: bool,
    json_lines: bool,
    policy: Option<PolicyIn>,
    renderings: Vec<RenderingIn>,
}

#[derive(Arbitrary, Debug)]
struct PolicyIn {
    severities: Vec<(u8, u8)>,
    low_stock_threshold: Option<u64>,
    min_advertised_stock: Option<u64>,
    title_min_similarity: Option<f64>,
    market_scope: Option<bool>,
    uniform: Option<Vec<u8>>,
}

#[derive(Arbitrary, Debug)]
struct RenderingIn {
    id: Text,
    channel: Id,
    product: ProductRef,
    shown: ShownIn,
    claims: Vec<(ClaimIn, Option<String>)>,
    meta: Option<String>,
}

/// An id taken from the catalog by index, or written freely.
#[derive(Arbitrary, Debug)]
enum Id {
    Known(u8),
    Free(String),
}

#[derive(Arbitrary, Debug)]
enum Text {
    Short(u8),
    Free(String),
}

#[derive(Arbitrary, Debug)]
enum ProductRef {
    Sku(Id),
    Gtin(GtinIn),
    Both(Id, GtinIn),
    Neither,
}

#[derive(Arbitrary, Debug)]
enum GtinIn {
    /// A catalog product's GTIN, left-padded with this many zeros (mod 4).
    Known(u8, u8),
    Digits(u64, u8),
    Free(String),
}

#[derive(Arbitrary, Debug)]
enum ShownIn {
    At(InstantIn),
    Window(InstantIn, Option<InstantIn>),
    /// A window given as a start and a length in seconds, so that it is usually well-formed.
    Span(InstantIn, u32),
    Both(InstantIn, InstantIn),
}

#[derive(Arbitrary, Debug)]
enum InstantIn {
    /// Seconds from 2026-11-20T00:00:00Z, a nanosecond part, an offset in minutes.
    Near(i32, u32, i16),
    /// Any year RFC 3339 can write.
    Far(u16, u8, u8, u8, u8, u8, i16),
    Free(String),
}

#[derive(Arbitrary, Debug)]
enum DateIn {
    Instant(InstantIn),
    /// Days from 2026-11-01.
    Local(i16),
    Ymd(u16, u8, u8),
}

#[derive(Arbitrary, Debug)]
enum AmountIn {
    /// mantissa and scale
    Decimal(i64, u8),
    Edge(u8),
    Free(String),
}

#[derive(Arbitrary, Debug)]
enum CurrencyIn {
    Known(u8),
    Free(String),
}

#[derive(Arbitrary, Debug)]
struct MoneyIn {
    amount: AmountIn,
    currency: CurrencyIn,
    /// Written as a JSON number instead of a string (refused by the contract).
    as_number: bool,
}

#[derive(Arbitrary, Debug)]
enum PercentIn {
    Text(AmountIn),
    Integer(i64),
    Float(f64),
}

#[derive(Arbitrary, Debug)]
enum ClaimIn {
    Price(MoneyIn),
    MemberPrice(MoneyIn),
    ReferencePrice(MoneyIn),
    PercentOff(PercentIn),
    AmountOff(MoneyIn),
    MultiBuy(u64, u64),
    Promotion(Id),
    ValidFrom(DateIn),
    ValidUntil(DateIn),
    Availability(u8),
    StockQuantity(u64),
    PickupAt(Id),
    Gtin(GtinIn),
    Title(TitleIn),
    UnitPrice(MoneyIn, AmountIn, u8),
}

#[derive(Arbitrary, Debug)]
enum TitleIn {
    /// A product's title (by index), changed by `edit`.
    Known(u8, u8, String),
    Free(String),
}

const CURRENCIES: &[&str] = &[
    "EUR", "USD", "JPY", "KWD", "CLF", "GBP", "CHF", "eur", "EU", "XXX",
];
const AVAILABILITY: &[&str] = &[
    "in_stock",
    "out_of_stock",
    "low_stock",
    "preorder",
    "backorder",
    "In_Stock",
    "",
];
const MEASURES: &[&str] = &[
    "kg", "g", "l", "L", "ml", "mL", "m", "m2", "m²", "m3", "m³", "item", "KG", "", " kg",
];
const EDGE_AMOUNTS: &[&str] = &[
    "0",
    "-0",
    "0.00",
    "-0.01",
    "0.001",
    "1000000000000000",
    "999999999999999.99",
    "1000000000000000.01",
    "9999999999999999",
    "79228162514264337593543950335",
    "0.0000000000000000000000000001",
    "1e3",
    "+5",
    ".5",
    "5.",
    "00000000000000000000000001.5",
    "1_000",
    "NaN",
    "inf",
    "100",
    "99.999",
    "100.0001",
    "-100",
    "-79228162514264337593543950335",
    "-1000000000000000",
    "-99.99",
    "-0.0000000000000000000000000001",
    "7922816251426433759354395033.5",
];
const SEVERITIES: &[&str] = &["error", "warning", "info", "allow"];
const KINDS: &[&str] = &[
    "web",
    "app",
    "email",
    "tv",
    "radio",
    "print",
    "store",
    "social",
    "marketplace",
    "feed",
];

/// A rule code from the library's own table, so the list never drifts from it.
fn rule_code(i: impl Into<u64>) -> &'static str {
    let all = unisono::Rule::ALL;
    all[(i.into() % all.len() as u64) as usize].code()
}

fn pick<'a>(list: &[&'a str], i: impl Into<u64>) -> &'a str {
    list[(i.into() % list.len() as u64) as usize]
}

struct Names {
    skus: Vec<String>,
    gtins: Vec<String>,
    titles: Vec<String>,
    channels: Vec<String>,
    promotions: Vec<String>,
    locations: Vec<String>,
}

impl Names {
    fn of(catalog: &Catalog) -> Names {
        Names {
            skus: catalog.products().iter().map(|p| p.sku.clone()).collect(),
            gtins: catalog
                .products()
                .iter()
                .filter_map(|p| p.gtin.map(|g| g.to_string()))
                .collect(),
            titles: catalog
                .products()
                .iter()
                .map(|p| p.title.for_locale(None).to_owned())
                .collect(),
            channels: catalog.channels().iter().map(|c| c.id.clone()).collect(),
            promotions: catalog.promotions().iter().map(|p| p.id.clone()).collect(),
            locations: catalog.locations().iter().map(|l| l.id.clone()).collect(),
        }
    }
}

fn id(id: &Id, known: &[String]) -> String {
    match id {
        Id::Known(i) if !known.is_empty() => known[*i as usize % known.len()].clone(),
        Id::Known(i) => format!("x{i}"),
        Id::Free(s) => s.clone(),
    }
}

fn offset(minutes: i16) -> String {
    let m = i32::from(minutes) % (24 * 60);
    if m == 0 && minutes % 2 == 0 {
        return "Z".to_owned();
    }
    let sign = if m < 0 { '-' } else { '+' };
    format!("{sign}{:02}:{:02}", m.abs() / 60, m.abs() % 60)
}

fn instant(i: &InstantIn) -> Value {
    match i {
        InstantIn::Near(secs, nanos, off) => {
            let base = 1_795_132_800_i64; // 2026-11-20T00:00:00Z
            let t =
                chrono::DateTime::from_timestamp(base + i64::from(*secs), nanos % 1_000_000_000)
                    .unwrap_or_default();
            let m = i32::from(*off) % (24 * 60);
            let local = t.naive_utc() + chrono::Duration::minutes(i64::from(m));
            let frac = if nanos % 3 == 0 { "" } else { "%.f" };
            Value::String(format!(
                "{}{}",
                local.format(&format!("%Y-%m-%dT%H:%M:%S{frac}")),
                offset(*off)
            ))
        }
        InstantIn::Far(y, mo, d, h, mi, s, off) => Value::String(format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{}",
            y % 10000,
            mo % 13,
            d % 32,
            h % 25,
            mi % 61,
            s % 61,
            offset(*off)
        )),
        InstantIn::Free(s) => Value::String(s.clone()),
    }
}

fn date(d: &DateIn) -> Value {
    match d {
        DateIn::Instant(i) => instant(i),
        DateIn::Local(days) => {
            let base = chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap_or_default();
            let date = base
                .checked_add_signed(chrono::Duration::days(i64::from(*days)))
                .unwrap_or(base);
            Value::String(date.format("%Y-%m-%d").to_string())
        }
        DateIn::Ymd(y, m, d) => {
            Value::String(format!("{:04}-{:02}-{:02}", y % 10000, m % 13, d % 32))
        }
    }
}

fn amount(a: &AmountIn) -> String {
    match a {
        AmountIn::Decimal(mantissa, scale) => {
            let digits = mantissa.unsigned_abs().to_string();
            let scale = usize::from(*scale % 30);
            let sign = if *mantissa < 0 { "-" } else { "" };
            if scale == 0 {
                format!("{sign}{digits}")
            } else if digits.len() > scale {
                let (int, frac) = digits.split_at(digits.len() - scale);
                format!("{sign}{int}.{frac}")
            } else {
                format!("{sign}0.{}{digits}", "0".repeat(scale - digits.len()))
            }
        }
        AmountIn::Edge(i) => pick(EDGE_AMOUNTS, *i).to_owned(),
        AmountIn::Free(s) => s.clone(),
    }
}

fn money(m: &MoneyIn) -> Value {
    let currency = match &m.currency {
        CurrencyIn::Known(i) => pick(CURRENCIES, *i).to_owned(),
        CurrencyIn::Free(s) => s.clone(),
    };
    let amount = amount(&m.amount);
    if m.as_number {
        amount.parse::<f64>().ok().map_or(Value::Null, |f| json!(f))
    } else {
        Value::String(format!("{amount} {currency}"))
    }
}

fn gtin(g: &GtinIn, names: &Names) -> Value {
    Value::String(match g {
        GtinIn::Known(i, pad) if !names.gtins.is_empty() => {
            let g = &names.gtins[*i as usize % names.gtins.len()];
            format!(
                "{}{}",
                "0".repeat(usize::from(pad % 4)),
                g.trim_start_matches('0')
            )
        }
        GtinIn::Known(i, _) => i.to_string(),
        GtinIn::Digits(n, width) => format!("{:0w$}", n, w = usize::from(width % 20)),
        GtinIn::Free(s) => s.clone(),
    })
}

fn claim(c: &ClaimIn, names: &Names) -> Value {
    match c {
        ClaimIn::Price(m) => json!({"price": money(m)}),
        ClaimIn::MemberPrice(m) => json!({"member_price": money(m)}),
        ClaimIn::ReferencePrice(m) => json!({"reference_price": money(m)}),
        ClaimIn::PercentOff(p) => json!({"percent_off": match p {
            PercentIn::Text(a) => Value::String(amount(a)),
            PercentIn::Integer(i) => json!(i),
            PercentIn::Float(f) => json!(f),
        }}),
        ClaimIn::AmountOff(m) => json!({"amount_off": money(m)}),
        ClaimIn::MultiBuy(buy, pay) => json!({"multi_buy": {"buy": buy, "pay": pay}}),
        ClaimIn::Promotion(p) => json!({"promotion": id(p, &names.promotions)}),
        ClaimIn::ValidFrom(d) => json!({"valid_from": date(d)}),
        ClaimIn::ValidUntil(d) => json!({"valid_until": date(d)}),
        ClaimIn::Availability(a) => json!({"availability": pick(AVAILABILITY, *a)}),
        ClaimIn::StockQuantity(n) => json!({"stock_quantity": n}),
        ClaimIn::PickupAt(l) => json!({"pickup_at": id(l, &names.locations)}),
        ClaimIn::Gtin(g) => json!({"gtin": gtin(g, names)}),
        ClaimIn::Title(TitleIn::Known(i, edit, extra)) => {
            let mut t = if names.titles.is_empty() {
                String::new()
            } else {
                names.titles[*i as usize % names.titles.len()].clone()
            };
            match edit % 5 {
                0 => {}
                1 => t = t.to_uppercase(),
                2 => t.push_str(extra),
                3 => t = t.split_whitespace().rev().collect::<Vec<_>>().join(" "),
                _ => t = t.chars().take(usize::from(*edit) % 12).collect(),
            }
            json!({"title": t})
        }
        ClaimIn::Title(TitleIn::Free(s)) => json!({"title": s}),
        ClaimIn::UnitPrice(m, per, unit) => json!({"unit_price": {
            "price": money(m),
            "per": format!("{}{}{}", amount(per), if unit % 2 == 0 { " " } else { "" }, pick(MEASURES, *unit)),
        }}),
    }
}

fn rendering(r: &RenderingIn, names: &Names) -> Value {
    let mut o = serde_json::Map::new();
    o.insert(
        "id".into(),
        Value::String(match &r.id {
            Text::Short(i) => format!("r{}", i % 8),
            Text::Free(s) => s.clone(),
        }),
    );
    o.insert(
        "channel".into(),
        Value::String(id(&r.channel, &names.channels)),
    );
    match &r.product {
        ProductRef::Sku(s) => {
            o.insert("sku".into(), Value::String(id(s, &names.skus)));
        }
        ProductRef::Gtin(g) => {
            o.insert("gtin".into(), gtin(g, names));
        }
        ProductRef::Both(s, g) => {
            o.insert("sku".into(), Value::String(id(s, &names.skus)));
            o.insert("gtin".into(), gtin(g, names));
        }
        ProductRef::Neither => {}
    }
    let shown = match &r.shown {
        ShownIn::At(at) => json!({"at": instant(at)}),
        ShownIn::Window(from, None) => json!({"from": instant(from)}),
        ShownIn::Window(from, Some(until)) => {
            json!({"from": instant(from), "until": instant(until)})
        }
        ShownIn::Span(from, len) => {
            let from_v = instant(from);
            let until = from_v
                .as_str()
                .and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok())
                .and_then(|t| t.checked_add_signed(chrono::Duration::seconds(i64::from(*len) + 1)))
                .map_or(Value::Null, |t| Value::String(t.to_rfc3339()));
            json!({"from": from_v, "until": until})
        }
        ShownIn::Both(at, from) => json!({"at": instant(at), "from": instant(from)}),
    };
    o.insert("shown".into(), shown);
    let claims: Vec<Value> = r
        .claims
        .iter()
        .map(|(c, source)| {
            let mut v = claim(c, names);
            if let (Some(s), Value::Object(m)) = (source, &mut v) {
                m.insert("source".into(), Value::String(s.clone()));
            }
            v
        })
        .collect();
    o.insert("claims".into(), Value::Array(claims));
    if let Some(m) = &r.meta {
        o.insert("meta".into(), json!({"note": m, "nested": [m, {"k": m}]}));
    }
    Value::Object(o)
}

fn policy(p: &PolicyIn) -> Value {
    let mut o = serde_json::Map::new();
    let severity: serde_json::Map<String, Value> = p
        .severities
        .iter()
        .map(|(r, s)| {
            (
                rule_code(*r).to_owned(),
                Value::String(pick(SEVERITIES, *s).to_owned()),
            )
        })
        .collect();
    o.insert("severity".into(), Value::Object(severity));
    if let Some(n) = p.low_stock_threshold {
        o.insert("low_stock_threshold".into(), json!(n));
    }
    if let Some(n) = p.min_advertised_stock {
        o.insert("min_advertised_stock".into(), json!(n));
    }
    if let Some(f) = p.title_min_similarity {
        o.insert("title_min_similarity".into(), json!(f));
    }
    if let Some(m) = p.market_scope {
        o.insert(
            "reference_scope".into(),
            Value::String(if m { "market" } else { "channel" }.into()),
        );
    }
    if let Some(kinds) = &p.uniform {
        o.insert(
            "uniform_price_channels".into(),
            kinds
                .iter()
                .map(|k| Value::String(pick(KINDS, *k).to_owned()))
                .collect(),
        );
    }
    Value::Object(o)
}

fuzz_target!(|input: Input| {
    let scenarios = corpora::scenarios();
    let scenario = &scenarios[input.scenario as usize % scenarios.len()];
    let names = Names::of(&scenario.catalog);
    let values: Vec<Value> = input
        .renderings
        .iter()
        .map(|r| rendering(r, &names))
        .collect();
    let text = if input.json_lines {
        values
            .iter()
            .map(Value::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    } else {
        Value::Array(values).to_string()
    };
    let policy = match &input.policy {
        None => Policy::default(),
        Some(p) => match Policy::from_json(&policy(p).to_string()) {
            Ok(policy) => policy,
            Err(_) => return,
        },
    };
    if let Ok(renderings) = unisono::rendering::read_renderings(&text) {
        common::validate_and_report(&scenario.catalog, &policy, &renderings);
        if !input.with_scenario_renderings {
            return;
        }
        // Also next to the scenario's own renderings, so that cross-channel checks meet them.
        let mut all = scenario.renderings.clone();
        all.extend(renderings);
        common::validate_and_report(&scenario.catalog, &policy, &all);
    }
});
