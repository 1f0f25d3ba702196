//! Amounts as shops write them (`1.299,00`, `1,299.00`, `1 299,00`, `1'299.00`, `1.299,-`) and the
//! currency marks beside them (`€`, `EUR`, `US$`, `Kč`, ...).

use rust_decimal::Decimal;

use super::Locale;
use super::lex::{Kind, Token};
use crate::money::{Currency, MAX_AMOUNT};

/// Digit groups one amount may have: 10^15 with decimals is six groups.
const MAX_GROUPS: usize = 7;
/// Digits one group may have before it is not an amount at all (a reference number, a phone, ...).
const MAX_GROUP_DIGITS: usize = 18;

/// An amount as written: its digit groups and the separator before each.
#[derive(Debug, Clone)]
pub(super) struct NumberText<'t> {
    pub(super) start: usize,
    pub(super) end: usize,
    /// The separator before each group (`None` for the first; `' '` for any grouping space).
    groups: Vec<(Option<char>, &'t str)>,
    /// `1.299,-`: the separator before the dash is the decimal point, and there are no decimals.
    dash_point: Option<char>,
    /// Digits were joined across a plain space (`14 899`): thousands in French, two numbers elsewhere.
    pub(super) plain_spaced: bool,
}

/// What the digits of an amount mean.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Reading {
    /// One meaning.
    Exact(Decimal),
    /// `1.299`: a decimal point or a thousands separator, as the locale says.
    Ambiguous {
        point: char,
        as_decimal: Decimal,
        as_grouping: Decimal,
    },
    /// Not an amount (`1.2.3`, `12,34,56`, too large).
    Invalid,
}

fn digits_token<'t>(text: &'t str, token: Option<&Token>) -> Option<&'t str> {
    let token = token?;
    if token.is_digits() && token.len() <= MAX_GROUP_DIGITS {
        text.get(token.start..token.end)
    } else {
        None
    }
}

/// Reads the amount starting at token `i` (a digit run). `loose` also joins `119. 95` (a separator,
/// a space and two digits), as price strings cut out of pages have it. Returns the amount and the
/// index of the token after it.
pub(super) fn read_number<'t>(
    text: &'t str,
    toks: &[Token],
    i: usize,
    loose: bool,
    plain_space: bool,
) -> Option<(NumberText<'t>, usize)> {
    let first = digits_token(text, toks.get(i))?;
    let start = toks.get(i)?.start;
    let mut end = toks.get(i)?.end;
    let mut groups = vec![(None, first)];
    let mut dash_point = None;
    let mut seen_point = false;
    let mut plain_spaced = false;
    let mut j = i + 1;
    while groups.len() < MAX_GROUPS {
        let Some(t) = toks.get(j) else { break };
        match t.kind {
            Kind::Symbol(c @ ('.' | ',' | '\'' | '’')) => {
                if let Some(d) = digits_token(text, toks.get(j + 1)) {
                    groups.push((Some(c), d));
                    seen_point |= c == '.' || c == ',';
                    end = toks.get(j + 1).map_or(end, |t| t.end);
                    j += 2;
                    continue;
                }
                let point = c == '.' || c == ',';
                let dash = toks
                    .get(j + 1)
                    .filter(|t| matches!(t.kind, Kind::Symbol('-' | '–' | '—')));
                if let (true, Some(dash)) = (point && !groups.iter().any(|g| g.0 == Some(c)), dash)
                {
                    if !toks.get(j + 2).is_some_and(Token::is_digits) {
                        dash_point = Some(c);
                        end = dash.end;
                        j += 2;
                    }
                    break;
                }
                let spaced = toks.get(j + 1).is_some_and(Token::is_space)
                    && toks
                        .get(j + 2)
                        .is_some_and(|t| t.is_digits() && t.len() == 2)
                    && !toks
                        .get(j + 3)
                        .is_some_and(|t| matches!(t.kind, Kind::Symbol('.' | ',') | Kind::Digits));
                if loose
                    && point
                    && spaced
                    && !groups.iter().any(|g| g.0 == Some(c))
                    && let Some(d) = digits_token(text, toks.get(j + 2))
                {
                    groups.push((Some(c), d));
                    seen_point = true;
                    end = toks.get(j + 2).map_or(end, |t| t.end);
                    j += 3;
                    continue;
                }
                break;
            }
            Kind::Space { grouping: true } if !seen_point => {
                let plain = text.get(t.start..t.end) == Some(" ");
                if plain && !plain_space {
                    break;
                }
                plain_spaced |= plain;
                let previous_fits = groups.last().is_some_and(|&(sep, d)| {
                    if sep.is_none() {
                        d.len() <= 3
                    } else {
                        d.len() == 3
                    }
                });
                match digits_token(text, toks.get(j + 1)) {
                    Some(d) if d.len() == 3 && previous_fits => {
                        groups.push((Some(' '), d));
                        end = toks.get(j + 1).map_or(end, |t| t.end);
                        j += 2;
                    }
                    _ => break,
                }
            }
            _ => break,
        }
    }
    Some((
        NumberText {
            start,
            end,
            groups,
            dash_point,
            plain_spaced,
        },
        j,
    ))
}

impl NumberText<'_> {
    /// What the digits mean; `point` is the locale's decimal point, if there is a locale.
    pub(super) fn reading(&self, point: Option<char>) -> Reading {
        let seps: Vec<(usize, char)> = self
            .groups
            .iter()
            .enumerate()
            .filter_map(|(k, &(sep, _))| sep.map(|c| (k, c)))
            .collect();
        let points: Vec<(usize, char)> = seps
            .iter()
            .copied()
            .filter(|&(_, c)| c == '.' || c == ',')
            .collect();
        let last = self.groups.len().saturating_sub(1);
        let count = |c: char| points.iter().filter(|&&(_, p)| p == c).count();
        let decimal_at: Option<usize> = if let Some(d) = self.dash_point {
            if count(d) > 0 {
                return Reading::Invalid;
            }
            None
        } else {
            match (count('.'), count(',')) {
                (0, 0) => None,
                (dots, commas) if dots > 0 && commas > 0 => match points.last() {
                    Some(&(k, c)) if k == last && count(c) == 1 => Some(k),
                    _ => return Reading::Invalid,
                },
                (n, _) | (_, n) if n > 1 => None,
                _ => {
                    let Some(&(k, c)) = points.first() else {
                        return Reading::Invalid;
                    };
                    if k != last {
                        return Reading::Invalid;
                    }
                    let first = self.groups.first().map_or("", |g| g.1);
                    let fraction = self.groups.get(k).map_or("", |g| g.1);
                    let structural = fraction.len() != 3
                        || seps.len() > 1
                        || first.starts_with('0')
                        || first.len() > 3;
                    if structural || point == Some(c) {
                        Some(k)
                    } else if point.is_some() {
                        None
                    } else {
                        let (Some(as_decimal), Some(as_grouping)) =
                            (self.compose(Some(k)), self.compose(None))
                        else {
                            return Reading::Invalid;
                        };
                        return Reading::Ambiguous {
                            point: c,
                            as_decimal,
                            as_grouping,
                        };
                    }
                }
            }
        };
        self.compose(decimal_at)
            .map_or(Reading::Invalid, Reading::Exact)
    }

    /// The amount with group `decimal_at` as decimals and the groups before it as thousands.
    fn compose(&self, decimal_at: Option<usize>) -> Option<Decimal> {
        let integer_groups = decimal_at.unwrap_or(self.groups.len());
        let mut digits = String::new();
        for (k, &(_, d)) in self.groups.iter().enumerate().take(integer_groups) {
            let fits = match (k, integer_groups) {
                (_, 1) => true,
                (0, _) => d.len() <= 3 && !(d.starts_with('0') && d.len() > 1),
                _ => d.len() == 3,
            };
            if !fits {
                return None;
            }
            digits.push_str(d);
        }
        let fraction = decimal_at
            .and_then(|k| self.groups.get(k))
            .map_or("", |g| g.1);
        if digits.len() + fraction.len() > 27 {
            return None;
        }
        if !fraction.is_empty() {
            digits.push('.');
            digits.push_str(fraction);
        }
        let amount: Decimal = digits.parse().ok()?;
        (amount <= MAX_AMOUNT).then_some(amount)
    }
}

/// The currency a mark names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Names {
    /// One ISO 4217 code.
    Code(&'static str),
    /// `$`: USD, CAD, AUD, MXN, ... — the locale's region decides.
    Dollar,
    /// `kr`: SEK, NOK, DKK, ISK — the region decides.
    Krone,
    /// `¥`: JPY or CNY — the region decides.
    Yen,
    /// A mark of several currencies, or of none in ISO 4217 (`Rs`, `₤`, `تومان`); `integer` when its
    /// amounts are never written with decimals.
    Unknown { integer: bool },
}

/// Currency marks, longest first where one begins another. Letters are matched as written.
const MARKS: &[(&str, Names)] = &[
    ("MOP$", Names::Code("MOP")),
    ("SGD$", Names::Code("SGD")),
    ("US$", Names::Code("USD")),
    ("AU$", Names::Code("AUD")),
    ("NT$", Names::Code("TWD")),
    ("MX$", Names::Code("MXN")),
    ("HK$", Names::Code("HKD")),
    ("NZ$", Names::Code("NZD")),
    ("CA$", Names::Code("CAD")),
    ("TT$", Names::Code("TTD")),
    ("A$", Names::Code("AUD")),
    ("R$", Names::Code("BRL")),
    ("S$", Names::Code("SGD")),
    ("J$", Names::Code("JMD")),
    ("C$", Names::Unknown { integer: false }),
    ("B/.", Names::Code("PAB")),
    ("$", Names::Dollar),
    ("€", Names::Code("EUR")),
    ("euros", Names::Code("EUR")),
    ("euro", Names::Code("EUR")),
    ("Euro", Names::Code("EUR")),
    ("EURO", Names::Code("EUR")),
    ("£", Names::Code("GBP")),
    ("₤", Names::Unknown { integer: false }),
    ("¥", Names::Yen),
    ("円", Names::Code("JPY")),
    ("₩", Names::Code("KRW")),
    ("원", Names::Code("KRW")),
    ("₫", Names::Code("VND")),
    ("VNĐ", Names::Code("VND")),
    ("₹", Names::Code("INR")),
    ("Rp", Names::Code("IDR")),
    ("Rs", Names::Unknown { integer: false }),
    ("₪", Names::Code("ILS")),
    ("฿", Names::Code("THB")),
    ("₺", Names::Code("TRY")),
    ("TL", Names::Code("TRY")),
    ("Ft", Names::Code("HUF")),
    ("Kč", Names::Code("CZK")),
    ("zł", Names::Code("PLN")),
    ("рублей", Names::Code("RUB")),
    ("руб.", Names::Code("RUB")),
    ("руб", Names::Code("RUB")),
    ("₽", Names::Code("RUB")),
    ("р.", Names::Unknown { integer: false }),
    ("Р", Names::Unknown { integer: false }),
    ("грн.", Names::Code("UAH")),
    ("грн", Names::Code("UAH")),
    ("₴", Names::Code("UAH")),
    ("лв.", Names::Code("BGN")),
    ("лв", Names::Code("BGN")),
    ("lei", Names::Code("RON")),
    ("Lei", Names::Code("RON")),
    ("LEI", Names::Code("RON")),
    ("KD", Names::Code("KWD")),
    ("kr", Names::Krone),
    ("Fr.", Names::Code("CHF")),
    ("₱", Names::Code("PHP")),
    ("₭", Names::Code("LAK")),
    ("₮", Names::Code("MNT")),
    ("₼", Names::Code("AZN")),
    ("֏", Names::Code("AMD")),
    ("؋", Names::Code("AFN")),
    ("៛", Names::Code("KHR")),
    ("Nu.", Names::Code("BTN")),
    ("FBu", Names::Code("BIF")),
    ("Fdj", Names::Code("DJF")),
    ("Nfk", Names::Code("ERN")),
    ("RM", Names::Code("MYR")),
    ("UM", Names::Code("MRU")),
    ("TSh", Names::Code("TZS")),
    ("VT", Names::Code("VUV")),
    ("ZK", Names::Code("ZMW")),
    ("FG", Names::Code("GNF")),
    ("Br", Names::Unknown { integer: false }),
    ("FCFA", Names::Unknown { integer: false }),
    ("₣", Names::Unknown { integer: false }),
    ("﷼", Names::Unknown { integer: false }),
    ("₿", Names::Unknown { integer: false }),
    ("kn", Names::Unknown { integer: false }),
    ("ريال", Names::Unknown { integer: false }),
    ("جنيه", Names::Unknown { integer: false }),
    ("र", Names::Unknown { integer: false }),
    // The toman (10 Iranian rials) and the rial as Iran writes it: amounts are whole numbers.
    ("تومان", Names::Unknown { integer: true }),
    ("ریال", Names::Unknown { integer: true }),
];

/// Marks that are also words of the five languages (Italian `lei` is "she"): read after an amount only.
const AFTER_ONLY: &[&str] = &["lei", "Lei", "euro", "euros"];

/// A currency mark found beside an amount, with its byte range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Mark {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) names: Names,
    pub(super) symbol: &'static str,
}

fn is_letter(c: Option<char>) -> bool {
    c.is_some_and(char::is_alphabetic)
}

fn iso_mark(code: &str) -> Option<&'static str> {
    let known = MARKS_ISO
        .binary_search(&code)
        .ok()
        .and_then(|k| MARKS_ISO.get(k))?;
    Currency::from_code(known).is_ok().then_some(*known)
}

/// Every ISO code is a mark too; `Names::Code` wants a `'static` string, so the codes are here.
const MARKS_ISO: &[&str] = &[
    "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT",
    "BGN", "BHD", "BIF", "BMD", "BND", "BOB", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD", "CAD",
    "CDF", "CHF", "CLP", "CNY", "COP", "CRC", "CUP", "CVE", "CZK", "DJF", "DKK", "DOP", "DZD",
    "EGP", "ERN", "ETB", "EUR", "FJD", "FKP", "GBP", "GEL", "GHS", "GIP", "GMD", "GNF", "GTQ",
    "GYD", "HKD", "HNL", "HTG", "HUF", "IDR", "ILS", "INR", "IQD", "IRR", "ISK", "JMD", "JOD",
    "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW", "KWD", "KYD", "KZT", "LAK", "LBP", "LKR",
    "LRD", "LSL", "LYD", "MAD", "MDL", "MGA", "MKD", "MMK", "MNT", "MOP", "MRU", "MUR", "MVR",
    "MWK", "MXN", "MYR", "MZN", "NAD", "NGN", "NIO", "NOK", "NPR", "NZD", "OMR", "PAB", "PEN",
    "PGK", "PHP", "PKR", "PLN", "PYG", "QAR", "RON", "RSD", "RUB", "RWF", "SAR", "SBD", "SCR",
    "SDG", "SEK", "SGD", "SHP", "SLE", "SOS", "SRD", "SSP", "STN", "SVC", "SYP", "SZL", "THB",
    "TJS", "TMT", "TND", "TOP", "TRY", "TTD", "TWD", "TZS", "UAH", "UGX", "USD", "UYU", "UZS",
    "VES", "VND", "VUV", "WST", "XAF", "XCD", "XOF", "XPF", "YER", "ZAR", "ZMW",
];

/// The mark that ends at byte `end` of `text` (after at most one space or colon), not before `floor`.
pub(super) fn mark_before(text: &str, end: usize, floor: usize) -> Option<Mark> {
    let head = text.get(..end)?;
    let trimmed = head
        .strip_suffix(|c: char| c.is_whitespace())
        .unwrap_or(head);
    let trimmed = trimmed.strip_suffix(':').unwrap_or(trimmed);
    let at = |symbol: &'static str, names: Names| -> Option<Mark> {
        let start = trimmed.len().checked_sub(symbol.len())?;
        if start < floor || !trimmed.ends_with(symbol) {
            return None;
        }
        let before = trimmed.get(..start).and_then(|s| s.chars().next_back());
        if symbol.chars().next().is_some_and(char::is_alphabetic) && is_letter(before) {
            return None;
        }
        Some(Mark {
            start,
            end: trimmed.len(),
            names,
            symbol,
        })
    };
    MARKS
        .iter()
        .filter(|(symbol, _)| !AFTER_ONLY.contains(symbol))
        .find_map(|&(symbol, names)| at(symbol, names))
        .or_else(|| {
            let start = trimmed.len().checked_sub(3)?;
            let code = iso_mark(trimmed.get(start..)?)?;
            at(code, Names::Code(code))
        })
}

/// The mark that begins at byte `start` of `text` (after at most one space).
pub(super) fn mark_after(text: &str, start: usize) -> Option<Mark> {
    let tail = text.get(start..)?;
    let trimmed = tail
        .strip_prefix(|c: char| c.is_whitespace())
        .unwrap_or(tail);
    let offset = start + (tail.len() - trimmed.len());
    let at = |symbol: &'static str, names: Names| -> Option<Mark> {
        if !trimmed.starts_with(symbol) {
            return None;
        }
        let after = trimmed.get(symbol.len()..).and_then(|s| s.chars().next());
        if symbol.chars().next_back().is_some_and(char::is_alphabetic) && is_letter(after) {
            return None;
        }
        Some(Mark {
            start: offset,
            end: offset + symbol.len(),
            names,
            symbol,
        })
    };
    MARKS
        .iter()
        .find_map(|&(symbol, names)| at(symbol, names))
        .or_else(|| {
            let code = iso_mark(trimmed.get(..3)?)?;
            at(code, Names::Code(code))
        })
}

/// Why a mark names no one currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Unresolved {
    /// `$` or `kr` without a locale region that decides.
    NeedsRegion(&'static str),
    /// A mark of several currencies or of none in ISO 4217.
    NotIso(&'static str),
}

impl Mark {
    /// Whether the mark may stand before an amount (`€ 5`), not only after it (`5 lei`).
    pub(super) fn can_lead(&self) -> bool {
        !AFTER_ONLY.contains(&self.symbol)
    }

    /// The currency, with the locale's region for `$`, `kr` and `¥`.
    pub(super) fn currency(&self, locale: Option<&Locale>) -> Result<Currency, Unresolved> {
        let region = locale.and_then(Locale::region);
        let code = match self.names {
            Names::Code(code) => Some(code),
            Names::Dollar => match region {
                Some("US" | "EC" | "SV" | "PR") => Some("USD"),
                Some("CA") => Some("CAD"),
                Some("AU") => Some("AUD"),
                Some("NZ") => Some("NZD"),
                Some("MX") => Some("MXN"),
                Some("AR") => Some("ARS"),
                Some("CL") => Some("CLP"),
                Some("CO") => Some("COP"),
                Some("SG") => Some("SGD"),
                Some("HK") => Some("HKD"),
                _ => None,
            },
            Names::Krone => match region {
                Some("SE") => Some("SEK"),
                Some("NO") => Some("NOK"),
                Some("DK") => Some("DKK"),
                Some("IS") => Some("ISK"),
                _ => None,
            },
            Names::Yen => match region {
                Some("JP") => Some("JPY"),
                Some("CN") => Some("CNY"),
                _ => None,
            },
            Names::Unknown { .. } => return Err(Unresolved::NotIso(self.symbol)),
        };
        code.and_then(|c| Currency::from_code(c).ok())
            .ok_or(Unresolved::NeedsRegion(self.symbol))
    }

    /// Amounts beside this mark are whole numbers: the currency has no minor unit, or the mark is
    /// one whose amounts are written without decimals in practice (the rupiah, the toman).
    pub(super) fn integer(&self, locale: Option<&Locale>) -> bool {
        match self.names {
            Names::Unknown { integer } => integer,
            Names::Code("IDR") => true,
            _ => self.currency(locale).is_ok_and(|c| c.minor_units() == 0),
        }
    }
}

/// Resolves an ambiguous reading when the mark beside it says amounts are whole numbers.
pub(super) fn resolve_with_mark(
    reading: Reading,
    mark: Option<&Mark>,
    locale: Option<&Locale>,
) -> Reading {
    match reading {
        Reading::Ambiguous { as_grouping, .. } if mark.is_some_and(|m| m.integer(locale)) => {
            Reading::Exact(as_grouping)
        }
        other => other,
    }
}
