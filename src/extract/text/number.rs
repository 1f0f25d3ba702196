//! Amounts as shops write them (`1.299,00`, `1,299.00`, `1 299,00`, `1'299.00`, `1.299,-`) and the
//! currency marks beside them (`€`, `EUR`, `US$`, `Kč`, ...).

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use rust_decimal::Decimal;

use super::Locale;
use super::lex::{Kind, Token};
use super::marks;
use crate::money::{Currency, MAX_AMOUNT};

/// Digit groups one amount may have: 10^15 with decimals is six groups.
const MAX_GROUPS: usize = 7;
/// Digits one group may have before it is not an amount at all (a reference number, a phone, ...).
const MAX_GROUP_DIGITS: usize = 18;
/// Digits a group after a decimal point may have: as many as a decimal holds.
const MAX_FRACTION_DIGITS: usize = 28;

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

fn digits_token<'t>(text: &'t str, token: Option<&Token>, limit: usize) -> Option<&'t str> {
    let token = token?;
    if token.is_digits() && token.len() <= limit {
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
    let first = digits_token(text, toks.get(i), MAX_GROUP_DIGITS)?;
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
                // After a point, up to a decimal's 28 digits: every written digit is kept.
                let limit = if matches!(c, '.' | ',') {
                    MAX_FRACTION_DIGITS
                } else {
                    MAX_GROUP_DIGITS
                };
                if let Some(d) = digits_token(text, toks.get(j + 1), limit) {
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
                    && let Some(d) = digits_token(text, toks.get(j + 2), MAX_GROUP_DIGITS)
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
                let previous_fits = groups.last().is_some_and(|&(sep, d)| {
                    if sep.is_none() {
                        d.len() <= 3
                    } else {
                        d.len() == 3
                    }
                });
                match digits_token(text, toks.get(j + 1), MAX_GROUP_DIGITS) {
                    Some(d) if d.len() == 3 && previous_fits => {
                        // Only a space that joins two groups makes the amount depend on the locale.
                        plain_spaced |= plain;
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
    /// ISO 4217 codes, comma-separated: one (`"PLN"`), or several (`$`, `kr`, `¥`), of which the
    /// locale's region decides.
    Codes(&'static str),
    /// A mark of none in ISO 4217 (`₤`, `تومان`, the kuna's `kn`); `integer` when its amounts are
    /// never written with decimals.
    Unknown { integer: bool },
}

/// Local marks shops write that the CLDR does not list (its symbols and one-word names are in
/// [`marks`](super::marks)), and marks of no currency legal tender today. Compared without regard
/// to case, before the CLDR's.
const LOCAL_MARKS: &[(&str, Names)] = &[
    ("SGD$", Names::Codes("SGD")),
    ("J$", Names::Codes("JMD")),
    ("TT$", Names::Codes("TTD")),
    ("CAD$", Names::Codes("CAD")),
    ("€", Names::Codes("EUR")),
    ("euros", Names::Codes("EUR")),
    ("euro", Names::Codes("EUR")),
    ("VNĐ", Names::Codes("VND")),
    ("đ", Names::Codes("VND")),
    ("원", Names::Codes("KRW")),
    ("TL", Names::Codes("TRY")),
    ("zl", Names::Codes("PLN")),
    ("рублей", Names::Codes("RUB")),
    ("руб.", Names::Codes("RUB")),
    ("руб", Names::Codes("RUB")),
    ("грн.", Names::Codes("UAH")),
    ("грн", Names::Codes("UAH")),
    ("лв.", Names::Codes("BGN")),
    ("лв", Names::Codes("BGN")),
    ("lei", Names::Codes("RON")),
    ("KD", Names::Codes("KWD")),
    ("Fr.", Names::Codes("CHF")),
    ("SFr", Names::Codes("CHF")),
    ("ZK", Names::Codes("ZMW")),
    ("р.", Names::Unknown { integer: false }),
    ("Р", Names::Unknown { integer: false }),
    ("₤", Names::Unknown { integer: false }),
    ("₣", Names::Unknown { integer: false }),
    ("₿", Names::Unknown { integer: false }),
    ("kn", Names::Unknown { integer: false }),
    ("ريال", Names::Unknown { integer: false }),
    ("جنيه", Names::Unknown { integer: false }),
    ("र", Names::Unknown { integer: false }),
    // The toman (10 Iranian rials) and the rial as Iran writes it: amounts are whole numbers.
    ("تومان", Names::Unknown { integer: true }),
    ("ریال", Names::Unknown { integer: true }),
];

/// Whether some mark (of the CLDR's, the local ones, the ISO codes) begins (`first`) or ends with
/// this character, lower case: most places in a text are next to no mark at all.
fn may_bound(c: char, first: bool) -> bool {
    static BOUNDS: OnceLock<(HashSet<char>, HashSet<char>)> = OnceLock::new();
    let (firsts, lasts) = BOUNDS.get_or_init(|| {
        let all = marks::table()
            .marks()
            .chain(local_marks().keys().map(String::as_str));
        let mut bounds = (HashSet::new(), HashSet::new());
        for mark in all {
            bounds.0.extend(mark.chars().next());
            bounds.1.extend(mark.chars().next_back());
        }
        bounds.0.extend('a'..='z');
        bounds.1.extend('a'..='z');
        bounds
    });
    let c = c.to_lowercase().next().unwrap_or(c);
    if first {
        firsts.contains(&c)
    } else {
        lasts.contains(&c)
    }
}

/// [`LOCAL_MARKS`] by their lower case.
fn local_marks() -> &'static HashMap<String, (&'static str, Names)> {
    static LOCAL: OnceLock<HashMap<String, (&'static str, Names)>> = OnceLock::new();
    LOCAL.get_or_init(|| {
        LOCAL_MARKS
            .iter()
            .map(|&(symbol, names)| (symbol.to_lowercase(), (symbol, names)))
            .collect()
    })
}

/// Marks that are also words of the five languages (Italian `lei` is "she"): read after an amount only.
const AFTER_ONLY: &[&str] = &["lei", "euro", "euros"];

/// A currency mark found beside an amount, with its byte range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Mark {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) names: Names,
    /// The mark as the table has it (`€`, `kč`, `usd`): lower case for the CLDR's and codes.
    pub(super) symbol: &'static str,
    /// Whether it may stand before an amount (`€ 5`), not only after it (`5 lei`).
    lead: bool,
}

/// The mark a piece of text is, if any: `before` when it stands before an amount, `touching` when
/// nothing separates it from the amount.
fn lookup(piece: &str, before: bool, touching: bool) -> Option<(&'static str, Names, bool)> {
    if piece.is_empty()
        || piece.starts_with(char::is_whitespace)
        || piece.ends_with(char::is_whitespace)
    {
        return None;
    }
    // One Latin letter (`R273.00`, the rand) is a mark only before an amount, touching it: after
    // one, it is a unit (`1,5 L`).
    let one_letter = piece.len() == 1 && piece.bytes().all(|b| b.is_ascii_alphabetic());
    if one_letter && !(before && touching) {
        return None;
    }
    let lower = piece.to_lowercase();
    if let Some(&(symbol, names)) = local_marks().get(lower.as_str()) {
        let lead = !AFTER_ONLY.iter().any(|a| a.eq_ignore_ascii_case(symbol));
        return (lead || !before).then_some((symbol, names, lead));
    }
    if let Some(entry) = marks::table().get(&lower) {
        if before && !entry.symbol {
            return None;
        }
        return Some((entry.mark, Names::Codes(entry.codes), entry.symbol));
    }
    // An ISO code: upper case on either side, any case after the amount (`140,00 pln`).
    if piece.len() == 3 && piece.bytes().all(|b| b.is_ascii_alphabetic()) {
        let upper = piece.bytes().all(|b| b.is_ascii_uppercase());
        if before && !upper {
            return None;
        }
        let upper_code = piece.to_ascii_uppercase();
        let k = MARKS_ISO.binary_search(&upper_code.as_str()).ok()?;
        let code = *MARKS_ISO.get(k)?;
        Currency::from_code(code).ok()?;
        return Some((code, Names::Codes(code), upper));
    }
    None
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

fn is_letter(c: Option<char>) -> bool {
    c.is_some_and(char::is_alphabetic)
}

/// The mark that ends at byte `end` of `text` (after at most one space or colon), not before `floor`.
pub(super) fn mark_before(text: &str, end: usize, floor: usize) -> Option<Mark> {
    let head = text.get(floor.min(end)..end)?;
    let trimmed = head
        .strip_suffix(|c: char| c.is_whitespace())
        .unwrap_or(head);
    let trimmed = trimmed.strip_suffix(':').unwrap_or(trimmed);
    let touching = trimmed.len() == head.len();
    if !trimmed
        .chars()
        .next_back()
        .is_some_and(|c| may_bound(c, false))
    {
        return None;
    }
    let longest = marks::table().longest.max(8);
    let from = trimmed.len().saturating_sub(longest);
    (from..trimmed.len())
        .filter(|&s| trimmed.is_char_boundary(s))
        .find_map(|s| {
            let piece = trimmed.get(s..)?;
            let before = trimmed.get(..s).and_then(|b| b.chars().next_back());
            if piece.chars().next().is_some_and(char::is_alphabetic) && is_letter(before) {
                return None;
            }
            let (symbol, names, lead) = lookup(piece, true, touching)?;
            Some(Mark {
                start: floor.min(end) + s,
                end: floor.min(end) + trimmed.len(),
                names,
                symbol,
                lead,
            })
        })
}

/// The mark that begins at byte `start` of `text` (after at most one space).
pub(super) fn mark_after(text: &str, start: usize) -> Option<Mark> {
    let tail = text.get(start..)?;
    let trimmed = tail
        .strip_prefix(|c: char| c.is_whitespace())
        .unwrap_or(tail);
    let offset = start + (tail.len() - trimmed.len());
    let touching = trimmed.len() == tail.len();
    if !trimmed.chars().next().is_some_and(|c| may_bound(c, true)) {
        return None;
    }
    let longest = marks::table().longest.max(8).min(trimmed.len());
    (1..=longest)
        .rev()
        .filter(|&e| trimmed.is_char_boundary(e))
        .find_map(|e| {
            let piece = trimmed.get(..e)?;
            let after = trimmed.get(e..).and_then(|s| s.chars().next());
            if piece.chars().next_back().is_some_and(char::is_alphabetic) && is_letter(after) {
                return None;
            }
            let (symbol, names, lead) = lookup(piece, false, touching)?;
            Some(Mark {
                start: offset,
                end: offset + e,
                names,
                symbol,
                lead,
            })
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
        self.lead
    }

    /// The currency, with the locale's region for a mark of several (`$`, `kr`, `¥`).
    pub(super) fn currency(&self, locale: Option<&Locale>) -> Result<Currency, Unresolved> {
        let codes = match self.names {
            Names::Codes(codes) => codes,
            Names::Unknown { .. } => return Err(Unresolved::NotIso(self.symbol)),
        };
        let one = if codes.contains(',') {
            let tender = locale
                .and_then(Locale::region)
                .and_then(|r| marks::table().region(r))
                .unwrap_or("");
            let mut of_region = codes
                .split(',')
                .filter(|c| tender.split(',').any(|t| t == *c));
            match (of_region.next(), of_region.next()) {
                (Some(one), None) => one,
                _ => marks::table()
                    .default(self.symbol)
                    .ok_or(Unresolved::NeedsRegion(self.symbol))?,
            }
        } else {
            codes
        };
        Currency::from_code(one).map_err(|_| Unresolved::NotIso(self.symbol))
    }

    /// Amounts beside this mark are whole numbers: the currency has no minor unit, or the mark is
    /// one whose amounts are written without decimals in practice (the rupiah, the toman).
    pub(super) fn integer(&self, locale: Option<&Locale>) -> bool {
        match self.names {
            Names::Unknown { integer } => integer,
            Names::Codes("IDR") => true,
            _ => self.currency(locale).is_ok_and(|c| c.minor_units() == 0),
        }
    }

    /// Whether the mark's currency groups thousands with a space in all its home locales.
    pub(super) fn groups_with_space(&self, locale: Option<&Locale>) -> bool {
        self.currency(locale)
            .is_ok_and(|c| marks::table().groups_with_space(c.code()))
    }
}

/// Whether a mark as written (`"$"`, `"kr"`, `"€"`) may stand for the currency: it names it, or it
/// is a mark of several currencies of which this is one.
pub(super) fn may_name(written: &str, currency: Currency) -> bool {
    lookup(written, false, false).is_some_and(|(_, names, _)| match names {
        Names::Codes(codes) => codes.split(',').any(|c| c == currency.code()),
        Names::Unknown { .. } => false,
    })
}

/// Resolves an ambiguous reading when the mark beside it says amounts are whole numbers.
pub(super) fn resolve_with_mark(
    reading: Reading,
    mark: Option<&Mark>,
    locale: Option<&Locale>,
) -> Reading {
    let home = mark
        .and_then(|m| m.currency(locale).ok())
        .and_then(|c| marks::table().decimal_point(c.code()));
    match reading {
        Reading::Ambiguous { as_grouping, .. } if mark.is_some_and(|m| m.integer(locale)) => {
            Reading::Exact(as_grouping)
        }
        // The currency's home locales all write one decimal point (CLDR): it decides.
        Reading::Ambiguous {
            point,
            as_decimal,
            as_grouping,
        } if home.is_some() => {
            if home == Some(point) {
                Reading::Exact(as_decimal)
            } else {
                Reading::Exact(as_grouping)
            }
        }
        other => other,
    }
}
