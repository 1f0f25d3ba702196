//! Claims from text: prices, reductions, reference prices, multi-buys, validity, stock and unit prices,
//! in Italian, English, German, French and Spanish.
//!
//! [`extract`] reads a text (a newsletter line, a banner, a shelf label, a TV caption) and returns
//! the [`Claim`]s it makes, each with its byte range in the text as `source` (`"12..20"`), and what
//! it could not read without guessing ([`Unread`], with the reason). The locale decides what only a
//! locale can: `1.299` is 1299 in Italian and 1.299 in English; `$` is USD in `en-US`; `5/6` is 5
//! June in `en-GB` and May 6 in `en-US`; a plain space between digits groups thousands in French
//! (`14 899,00 €`) and separates two numbers elsewhere (no-break spaces group thousands everywhere).
//! Without one, such a text yields no claim and an [`Unread`] that says why.
//!
//! | claim | read from (examples) |
//! |---|---|
//! | `price` | `19,99 €`, `€ 1.299,-`, `CHF 1'049.95`, `1 299,00 €`, `now £15`, `jetzt 9,99 €` |
//! | `reference_price` | `prezzo più basso negli ultimi 30 giorni: 19,99 €`, `prima`, `invece di`, `was £20`, `statt`, `au lieu de`, `antes` |
//! | `member_price` | `prezzo soci`, `member price`, `Mitgliederpreis`, `prix adhérent`, `precio socio` |
//! | `percent_off` | `-20%`, `20% di sconto`, `sconto del 20%`, `20 % Rabatt`, `20% off`, `remise de 20 %`, `20% de descuento` |
//! | `amount_off` | `-10 €`, `€ 10 di sconto`, `save £10`, `10 € Rabatt`, `10 € de réduction` |
//! | `multi_buy` | `3x2`, `prendi 3 paghi 2`, `3 per 2`, `3 for 2`, `buy 2 get 1 free` (= 3x2), `3 für 2`, `3 pour 2`, `lleva 3 paga 2` |
//! | `valid_from`, `valid_until` | `fino al 30/11`, `valida dal 1 al 15 dicembre`, `until 30 November`, `bis 30.11.`, `jusqu'au 30 novembre`, `hasta el 30 de noviembre` |
//! | `stock_quantity` + `availability: low_stock` | `solo 3 disponibili`, `only 3 left`, `nur noch 3 verfügbar`, `plus que 3 en stock`, `solo quedan 3` |
//! | `availability` | `esaurito`, `out of stock`, `ausverkauft`, `épuisé`, `agotado` → `out_of_stock`; `disponibile in negozio`, `in stock`, `auf Lager`, `en stock` → `in_stock`; `ultimi pezzi` → `low_stock`; `preorder`, `vorbestellbar` → `preorder`; `su ordinazione` → `backorder` |
//! | `unit_price` | `2,45 €/kg`, `€ 9,80 al kg`, `1,98 €/l`, `0,99 € / 100 g`, `12 €/m²` |
//!
//! "Disponibile in negozio" is `in_stock`, not `pickup_at`: the text names no location id. A bare
//! number is never a price: money needs a currency mark (`€`, `EUR`, `£`, `Kč`, ...). A percentage is
//! a reduction only with a minus sign or a reduction word beside it (`IVA 22%` is not one).
//!
//! Dates without a year (`fino al 30/11`) take the year from a reference date, an argument of
//! [`extract_at`]: the occurrence of that day nearest to it. [`extract`] has none and reports them
//! unread.
//!
//! Work is linear in the text; a text longer than [`MAX_TEXT_BYTES`](crate::limits::MAX_TEXT_BYTES)
//! is not read (one [`Unread`] says so).

mod date;
mod lex;
mod marks;
mod number;
mod phrases;
mod scan;

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::limits::MAX_TEXT_BYTES;
use crate::money::Currency;
use crate::rendering::Claim;
use number::{Reading, mark_after, mark_before, read_number, resolve_with_mark};

/// A language unisono reads.
///
/// ```
/// use unisono::extract::text::{Language, Locale};
/// assert_eq!("fr-FR".parse::<Locale>()?.language(), Language::Fr);
/// # Ok::<(), unisono::extract::text::LocaleError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Language {
    /// Italian.
    It,
    /// English.
    En,
    /// German.
    De,
    /// French.
    Fr,
    /// Spanish.
    Es,
}

/// A language and, optionally, a region: `it-IT`, `en-GB`, `de-CH`, `es`.
///
/// The language decides the decimal point (`,` in it, de, fr, es; `.` in en); the region refines it
/// (`.` in Switzerland and Liechtenstein, Mexico and the US) and names the currency of `$`, `kr` and
/// `¥` (`en-US` → USD, `en-CA` → CAD, ...) and the order of `5/6` (month first in `en-US` only).
///
/// ```
/// use unisono::extract::text::{Language, Locale};
/// let locale: Locale = "de-CH".parse()?;
/// assert_eq!(locale.language(), Language::De);
/// assert_eq!(locale.region(), Some("CH"));
/// assert_eq!(locale.decimal_point(), '.');
/// assert_eq!("it".parse::<Locale>()?.decimal_point(), ',');
/// assert!("pt-BR".parse::<Locale>().is_err());
/// # Ok::<(), unisono::extract::text::LocaleError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Locale {
    language: Language,
    region: Option<[u8; 2]>,
}

/// Why a text is not a locale: it names the bad value.
///
/// ```
/// use unisono::extract::text::{Locale, LocaleError};
/// let err = "pt-BR".parse::<Locale>().unwrap_err();
/// assert_eq!(err, LocaleError("pt-BR".into()));
/// assert!(err.to_string().starts_with("\"pt-BR\" is not a locale"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{0:?} is not a locale unisono reads: expected a language (it, en, de, fr, es) and an optional two-letter region, like \"it-IT\""
)]
pub struct LocaleError(pub String);

impl FromStr for Locale {
    type Err = LocaleError;

    /// `"it-IT"`, `"it_IT"`, `"it"`; the language in either case, the region two ASCII letters.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let bad = || LocaleError(text.to_owned());
        let (language, region) = match text.split_once(['-', '_']) {
            Some((l, r)) => (l, Some(r)),
            None => (text, None),
        };
        let language = match language.to_ascii_lowercase().as_str() {
            "it" => Language::It,
            "en" => Language::En,
            "de" => Language::De,
            "fr" => Language::Fr,
            "es" => Language::Es,
            _ => return Err(bad()),
        };
        let region = match region {
            None => None,
            Some(r) => {
                let bytes = <[u8; 2]>::try_from(r.as_bytes()).map_err(|_| bad())?;
                if !bytes.iter().all(u8::is_ascii_alphabetic) {
                    return Err(bad());
                }
                Some(bytes.map(|b| b.to_ascii_uppercase()))
            }
        };
        Ok(Locale { language, region })
    }
}

impl fmt::Display for Locale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let language = match self.language {
            Language::It => "it",
            Language::En => "en",
            Language::De => "de",
            Language::Fr => "fr",
            Language::Es => "es",
        };
        match self.region() {
            Some(region) => write!(f, "{language}-{region}"),
            None => f.write_str(language),
        }
    }
}

impl Locale {
    /// The language.
    ///
    /// ```
    /// use unisono::extract::text::{Language, Locale};
    /// assert_eq!("es-MX".parse::<Locale>()?.language(), Language::Es);
    /// # Ok::<(), unisono::extract::text::LocaleError>(())
    /// ```
    pub fn language(&self) -> Language {
        self.language
    }

    /// The region, upper case (`"IT"`), if there is one.
    ///
    /// ```
    /// use unisono::extract::text::Locale;
    /// assert_eq!("en_gb".parse::<Locale>()?.region(), Some("GB"));
    /// assert_eq!("en".parse::<Locale>()?.region(), None);
    /// # Ok::<(), unisono::extract::text::LocaleError>(())
    /// ```
    pub fn region(&self) -> Option<&str> {
        self.region
            .as_ref()
            .and_then(|r| std::str::from_utf8(r).ok())
    }

    /// The decimal point of amounts: `,` or `.`.
    ///
    /// ```
    /// use unisono::extract::text::Locale;
    /// assert_eq!("it-IT".parse::<Locale>()?.decimal_point(), ',');
    /// assert_eq!("en-GB".parse::<Locale>()?.decimal_point(), '.');
    /// assert_eq!("fr-CH".parse::<Locale>()?.decimal_point(), '.');
    /// # Ok::<(), unisono::extract::text::LocaleError>(())
    /// ```
    pub fn decimal_point(&self) -> char {
        match (self.language, self.region()) {
            (_, Some("CH" | "LI")) | (Language::En, _) => '.',
            (Language::Es, Some("MX" | "US" | "PR" | "GT" | "HN" | "NI" | "SV" | "DO" | "PA")) => {
                '.'
            }
            _ => ',',
        }
    }
}

/// What [`extract`] read: the claims, in the order of the text, and what it would not read.
///
/// ```
/// use unisono::extract::text::extract;
/// let read = extract("-20% su 1.299 €", Some(&"it".parse()?));
/// assert_eq!(serde_json::to_string(&read)?,
///     r#"{"claims":[{"percent_off":"20","source":"0..4"},{"price":"1299.00 EUR","source":"8..17"}],"unread":[]}"#);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Extracted {
    /// The claims, each with its byte range as `source`.
    pub claims: Vec<Claim>,
    /// Pieces of text that say something unisono will not guess.
    pub unread: Vec<Unread>,
}

pub use super::Unread;

/// The claims a text makes; dates without a year are reported unread (see [`extract_at`]).
///
/// ```
/// use unisono::extract::text::{extract, Locale};
/// use unisono::ClaimValue;
///
/// let it: Locale = "it-IT".parse()?;
/// let read = extract("Notebook 1.299,00 € invece di 1.499 € -13%", Some(&it));
/// let values: Vec<String> = read.claims.iter().map(|c| c.value.display_text()).collect();
/// assert_eq!(values, ["1299.00 EUR", "1499.00 EUR", "-13%"]);
/// assert_eq!(read.claims[0].source.as_deref(), Some("9..21")); // `€` is three bytes
///
/// // Without a locale, `1.299 €` is 1299 € or 1.299 €: no claim, and the reason.
/// let read = extract("solo 1.299 €", None);
/// assert!(read.claims.is_empty());
/// assert!(read.unread[0].reason.contains("locale"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn extract(text: &str, locale: Option<&Locale>) -> Extracted {
    scan::scan(text, locale, None)
}

/// [`extract`], with `today` deciding the year of dates written without one: the occurrence of that
/// day and month nearest to `today` (a tie goes to the later one). Nothing reads the clock.
///
/// ```
/// use chrono::NaiveDate;
/// use unisono::extract::text::{extract_at, Locale};
/// use unisono::rendering::{ClaimValue, DateOrInstant};
///
/// let today = NaiveDate::from_ymd_opt(2026, 11, 22).ok_or("date")?;
/// let read = extract_at("Offerta valida fino al 30/11", Some(&"it".parse::<Locale>()?), today);
/// let until = NaiveDate::from_ymd_opt(2026, 11, 30).ok_or("date")?;
/// assert_eq!(read.claims[0].value, ClaimValue::ValidUntil(DateOrInstant::Date(until)));
/// // In January, "30/11" is the November just gone.
/// let january = NaiveDate::from_ymd_opt(2027, 1, 10).ok_or("date")?;
/// let read = extract_at("bis 30.11.", None, january);
/// assert_eq!(read.claims[0].value, ClaimValue::ValidUntil(DateOrInstant::Date(until)));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn extract_at(text: &str, locale: Option<&Locale>, today: NaiveDate) -> Extracted {
    scan::scan(text, locale, Some(today))
}

/// One price read from a price string (a text that shows a price, cut out of a page).
///
/// ```
/// use unisono::extract::text::parse_price;
/// let read = parse_price("Cena: 55,72 zł brutto", None)?;
/// assert_eq!(read.amount.to_string(), "55.72");
/// assert_eq!(read.currency.map(|c| c.to_string()).as_deref(), Some("PLN"));
/// assert_eq!((read.mark.as_deref(), read.source.as_str()), (Some("zł"), "6..11"));
/// # Ok::<(), unisono::extract::text::PriceError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriceReading {
    /// The amount, as written (`19.90` keeps its scale).
    pub amount: Decimal,
    /// The currency, when the string names one currency (`€` → EUR; `$` only with a locale region).
    pub currency: Option<Currency>,
    /// The currency mark as written (`"€"`, `"US$"`, `"Kč"`), when there is one.
    pub mark: Option<String>,
    /// The amount's byte range, `"start..end"`.
    pub source: String,
}

/// Why a price string gave no price.
///
/// ```
/// use unisono::extract::text::{parse_price, PriceError};
/// assert!(matches!(parse_price("40% OFF", None), Err(PriceError::NoAmount { .. })));
/// let err = parse_price("$699,000", None).unwrap_err();
/// assert!(err.to_string().contains("give a locale"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PriceError {
    /// There is no amount in it.
    #[error("no amount in {text:?}")]
    NoAmount {
        /// The text (at most 200 bytes of it).
        text: String,
    },
    /// The amount means two things, and the locale that would decide is not given.
    #[error("{reason}")]
    Ambiguous {
        /// The amount as written.
        text: String,
        /// The two readings, and what would decide.
        reason: String,
    },
    /// The text is longer than [`MAX_TEXT_BYTES`].
    #[error("the text is {bytes} bytes; at most {limit} are read")]
    TooLarge {
        /// The text's size.
        bytes: usize,
        /// The limit.
        limit: usize,
    },
}

/// Reads the first price of a price string: `"1.299,00 €"`, `"US$:12.99"`, `"CHF 1'049,95"`,
/// `"Cena: 55,72 zł brutto"`, `"35€99"`, `"$119. 95"`, `"Free!"` (0). A percentage (`40% OFF`) is
/// not a price. The currency is the mark beside the amount, else the first mark in the string.
///
/// ```
/// use unisono::extract::text::{parse_price, Locale, PriceError};
///
/// let read = parse_price("1.299,00 €", None)?;
/// assert_eq!((read.amount.to_string(), read.currency.map(|c| c.to_string())),
///            ("1299.00".into(), Some("EUR".into())));
/// assert_eq!(parse_price("$ 19.99", None)?.currency, None); // `$` alone: which dollar?
/// assert_eq!(parse_price("$ 19.99", Some(&"en-US".parse()?))?.currency.map(|c| c.to_string()),
///            Some("USD".into()));
/// // One separator and three digits: the locale decides.
/// assert!(matches!(parse_price("1.299 €", None), Err(PriceError::Ambiguous { .. })));
/// assert_eq!(parse_price("1.299 €", Some(&"it".parse::<Locale>()?))?.amount.to_string(), "1299");
/// assert_eq!(parse_price("1.299 €", Some(&"en".parse::<Locale>()?))?.amount.to_string(), "1.299");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// [`PriceError::NoAmount`] when there is no amount; [`PriceError::Ambiguous`] when the first amount
/// reads two ways and no locale decides; [`PriceError::TooLarge`] past [`MAX_TEXT_BYTES`].
pub fn parse_price(text: &str, locale: Option<&Locale>) -> Result<PriceReading, PriceError> {
    if text.len() > MAX_TEXT_BYTES {
        return Err(PriceError::TooLarge {
            bytes: text.len(),
            limit: MAX_TEXT_BYTES,
        });
    }
    let toks = lex::tokens(text);
    let point = locale.map(Locale::decimal_point);
    let mut floor = 0;
    let mut i = 0;
    while let Some(t) = toks.get(i) {
        // `$.75`
        if (t.is_symbol('.') || t.is_symbol(','))
            && toks
                .get(i + 1)
                .is_some_and(|d| d.is_digits() && d.len() <= 2)
            && !toks
                .get(i + 2)
                .is_some_and(|s| s.is_symbol('.') || s.is_symbol(','))
            && !toks
                .get(i.wrapping_sub(1))
                .is_some_and(lex::Token::is_digits)
        {
            let digits = toks.get(i + 1).and_then(|d| text.get(d.start..d.end));
            let end = toks.get(i + 1).map_or(t.end, |d| d.end);
            if let Some(amount) = digits.and_then(|d| format!("0.{d}").parse::<Decimal>().ok()) {
                let mark = mark_before(text, t.start, floor).or_else(|| mark_after(text, end));
                return Ok(reading(text, amount, mark, locale, t.start, end));
            }
        }
        if !t.is_digits() {
            i += 1;
            continue;
        }
        let Some((number, next)) = read_number(text, &toks, i, true, true) else {
            i += 1;
            continue;
        };
        let after = if toks.get(next).is_some_and(lex::Token::is_space) {
            next + 1
        } else {
            next
        };
        if toks.get(after).is_some_and(|t| t.is_symbol('%')) {
            floor = toks.get(after).map_or(number.end, |t| t.end);
            i = after + 1;
            continue;
        }
        let before = mark_before(text, number.start, floor);
        let behind = mark_after(text, number.end);
        let mark = match before {
            Some(m) if m.currency(locale).is_ok() => Some(m),
            Some(m) => behind.filter(|b| b.currency(locale).is_ok()).or(Some(m)),
            None => behind,
        };
        if let Some(cents) = cents_after_mark(text, &toks, next, &number, behind.as_ref(), true) {
            return Ok(reading(text, cents.0, mark, locale, number.start, cents.1));
        }
        match resolve_with_mark(number.reading(point), mark.as_ref(), locale) {
            Reading::Exact(amount) => {
                return Ok(reading(
                    text,
                    amount,
                    mark,
                    locale,
                    number.start,
                    number.end,
                ));
            }
            Reading::Ambiguous {
                point,
                as_decimal,
                as_grouping,
            } => {
                let written = text.get(number.start..number.end).unwrap_or("");
                return Err(PriceError::Ambiguous {
                    text: written.to_owned(),
                    reason: ambiguity(written, point, as_decimal, as_grouping),
                });
            }
            Reading::Invalid => {
                floor = number.end;
                i = next.max(i + 1);
            }
        }
    }
    let free = toks.iter().any(|t| FREE_WORDS.contains(&t.folded.as_str()));
    if free {
        return Ok(PriceReading {
            amount: Decimal::ZERO,
            currency: None,
            mark: None,
            source: format!("0..{}", text.len()),
        });
    }
    Err(PriceError::NoAmount {
        text: clip(text, 0, text.len()),
    })
}

/// Words that say a price is 0, in the five languages.
const FREE_WORDS: &[&str] = &[
    "free",
    "gratis",
    "gratuit",
    "gratuito",
    "gratuita",
    "gratuite",
    "kostenlos",
];

/// `35€99`, and in price strings `35€ 99`: the currency mark as the decimal point, two digits after.
fn cents_after_mark(
    text: &str,
    toks: &[lex::Token],
    next: usize,
    number: &number::NumberText<'_>,
    mark: Option<&number::Mark>,
    loose: bool,
) -> Option<(Decimal, usize)> {
    let mark = mark.filter(|m| m.start == number.end && m.symbol == "€")?;
    let whole = text.get(number.start..number.end)?;
    if !whole.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut k = next;
    while toks.get(k).is_some_and(|t| t.start < mark.end) {
        k += 1;
    }
    if loose
        && toks
            .get(k)
            .is_some_and(|t| t.kind == lex::Kind::Space { grouping: true })
    {
        k += 1;
    }
    let cents = toks.get(k).filter(|t| t.is_digits() && t.len() == 2)?;
    if toks
        .get(k + 1)
        .is_some_and(|t| t.is_digits() || t.is_symbol('.') || t.is_symbol(','))
    {
        return None;
    }
    let amount: Decimal = format!("{whole}.{}", text.get(cents.start..cents.end)?)
        .parse()
        .ok()?;
    Some((amount, cents.end))
}

fn reading(
    text: &str,
    amount: Decimal,
    mark: Option<number::Mark>,
    locale: Option<&Locale>,
    start: usize,
    end: usize,
) -> PriceReading {
    let currency = mark
        .and_then(|m| m.currency(locale).ok())
        .or_else(|| find_currency(text, locale));
    PriceReading {
        amount,
        currency,
        mark: mark
            .and_then(|m| text.get(m.start..m.end))
            .map(str::to_owned),
        source: format!("{start}..{end}"),
    }
}

/// The first currency mark in a text that names one currency: `"Cena 169,00 Kč"` → CZK, `"€"` →
/// EUR, `"грн."` → UAH; `"$"` only with a locale region (`en-CA` → CAD).
///
/// ```
/// use unisono::extract::text::find_currency;
/// assert_eq!(find_currency("Cena 169,00 Kč", None).map(|c| c.to_string()), Some("CZK".into()));
/// assert_eq!(find_currency("Price", None), None);
/// assert_eq!(find_currency("$", None), None);
/// assert_eq!(find_currency("$", Some(&"en-CA".parse()?)).map(|c| c.to_string()), Some("CAD".into()));
/// # Ok::<(), unisono::extract::text::LocaleError>(())
/// ```
pub fn find_currency(text: &str, locale: Option<&Locale>) -> Option<Currency> {
    if text.len() > MAX_TEXT_BYTES {
        return None;
    }
    lex::tokens(text)
        .iter()
        .filter(|t| !t.is_space())
        .filter_map(|t| mark_after(text, t.start).filter(|m| m.start == t.start))
        .find_map(|m| m.currency(locale).ok())
}

/// Whether a currency mark as written may stand for the currency (`"$"` for CAD, `"kr"` for SEK).
pub(crate) fn mark_may_name(mark: &str, currency: Currency) -> bool {
    number::may_name(mark, currency)
}

/// Whether a text has a word of a former price or a reduction in any of the five languages
/// (`was`, `statt`, `invece di`, `RRP`, `save`, …: the phrase table of [`extract`]).
pub(crate) fn names_former_price(text: &str) -> bool {
    if text.len() > MAX_TEXT_BYTES {
        return false;
    }
    let words: Vec<String> = lex::tokens(text)
        .into_iter()
        .filter(|t| t.kind == lex::Kind::Word)
        .map(|t| t.folded)
        .collect();
    let line = format!(" {} ", words.join(" "));
    phrases::PHRASES.iter().any(|(phrase, family, _)| {
        matches!(
            family,
            phrases::Family::Reference | phrases::Family::Discount
        ) && phrase.chars().all(|c| c.is_alphabetic() || c == ' ')
            && line.contains(&format!(" {phrase} "))
    })
}

/// The reason an amount is not read: its two readings.
fn ambiguity(written: &str, point: char, as_decimal: Decimal, as_grouping: Decimal) -> String {
    let (grouping, decimal) = if point == ',' {
        ("en", "it, de, fr, es")
    } else {
        ("it, de, fr, es", "en")
    };
    format!(
        "{written:?} is {as_grouping} where {point:?} groups thousands ({grouping}) and {as_decimal} where it is the decimal point ({decimal}): give a locale"
    )
}

/// At most 200 bytes of `text[start..end]`, cut at a character boundary.
fn clip(text: &str, start: usize, end: usize) -> String {
    let piece = text.get(start..end).unwrap_or("");
    let mut cut = piece.len().min(200);
    while !piece.is_char_boundary(cut) {
        cut -= 1;
    }
    piece.get(..cut).unwrap_or("").to_owned()
}
