//! The scan: one pass over the tokens, each position tried against the phrase table and the money
//! reader with a bounded look-ahead, so the work is linear in the text.

use std::collections::HashMap;
use std::sync::OnceLock;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::date::{DateProblem, SlashOrder, WrittenDate, read_date};
use super::lex::{Kind, Token, tokens};
use super::number::{
    Mark, Reading, Unresolved, mark_after, mark_before, read_number, resolve_with_mark,
};
use super::phrases::{Family, PER, PHRASES, RANGE_TO, REDUCTION_AFTER, SIZE_UNITS};
use super::{Extracted, Language, Locale, Unread, ambiguity, clip};
use crate::catalog::{Measure, MultiBuy};
use crate::limits::MAX_TEXT_BYTES;
use crate::money::Money;
use crate::offer::Availability;
use crate::rendering::{Claim, ClaimValue, DateOrInstant, Quantity, UnitPrice};

/// Phrases by first word, and those that begin with a number.
type PhraseIndex = (HashMap<&'static str, Vec<usize>>, Vec<usize>);

/// The phrases that can begin at a token: indexes into [`PHRASES`] by first word, and those that
/// begin with a number. Built once.
fn candidates(token: &Token) -> &'static [usize] {
    static INDEX: OnceLock<PhraseIndex> = OnceLock::new();
    let (by_word, by_number) = INDEX.get_or_init(|| {
        let mut by_word: HashMap<&'static str, Vec<usize>> = HashMap::new();
        let mut by_number = Vec::new();
        for (k, (pattern, _, _)) in PHRASES.iter().enumerate() {
            match pattern.split(' ').next() {
                Some("#") => by_number.push(k),
                Some(word) => by_word.entry(word).or_default().push(k),
                None => {}
            }
        }
        (by_word, by_number)
    });
    match token.kind {
        Kind::Digits => by_number,
        Kind::Word => by_word
            .get(token.folded.as_str())
            .map_or(&[], Vec::as_slice),
        _ => &[],
    }
}

struct Scan<'t> {
    text: &'t str,
    toks: Vec<Token>,
    locale: Option<&'t Locale>,
    today: Option<NaiveDate>,
    out: Extracted,
    /// Bytes before this were read: a currency mark there belongs to an earlier claim.
    floor: usize,
}

/// A phrase match: the captured numbers, and the token after it.
struct Matched {
    numbers: Vec<u32>,
    next: usize,
}

/// Money read at a token: the amount and currency, or why not, and where it ends.
struct MoneyAt {
    start: usize,
    end: usize,
    next: usize,
    /// `None`: a number without a currency mark.
    money: Option<Result<Money, String>>,
}

pub(super) fn scan(text: &str, locale: Option<&Locale>, today: Option<NaiveDate>) -> Extracted {
    if text.len() > MAX_TEXT_BYTES {
        return Extracted {
            claims: Vec::new(),
            unread: vec![Unread {
                source: format!("0..{}", text.len()),
                text: clip(text, 0, text.len()),
                reason: format!(
                    "the text is {} bytes; at most {MAX_TEXT_BYTES} are read in one call",
                    text.len()
                ),
            }],
        };
    }
    let mut scan = Scan {
        text,
        toks: tokens(text),
        locale,
        today,
        out: Extracted::default(),
        floor: 0,
    };
    let mut i = 0;
    while i < scan.toks.len() {
        match scan.at(i) {
            Some(next) if next > i => {
                scan.floor = scan.end_of(next);
                i = next;
            }
            _ => i += 1,
        }
    }
    scan.out
}

impl Scan<'_> {
    fn tok(&self, i: usize) -> Option<&Token> {
        self.toks.get(i)
    }

    fn start_of(&self, i: usize) -> usize {
        self.tok(i).map_or(self.text.len(), |t| t.start)
    }

    fn end_of(&self, next: usize) -> usize {
        next.checked_sub(1)
            .and_then(|k| self.tok(k))
            .map_or(0, |t| t.end)
    }

    fn claim(&mut self, value: ClaimValue, start: usize, end: usize) {
        self.out.claims.push(Claim {
            value,
            source: Some(format!("{start}..{end}")),
        });
    }

    fn unread(&mut self, start: usize, end: usize, reason: String) {
        self.out.unread.push(Unread {
            source: format!("{start}..{end}"),
            text: clip(self.text, start, end),
            reason,
        });
    }

    /// Skips spaces and the separators phrases ignore.
    fn skip_gaps(&self, mut i: usize) -> usize {
        while self.tok(i).is_some_and(|t| {
            t.is_space() || matches!(t.kind, Kind::Symbol(':' | ',' | '\'' | '’' | '-' | '–'))
        }) {
            i += 1;
        }
        i
    }

    fn skip_spaces(&self, i: usize) -> usize {
        if self.tok(i).is_some_and(Token::is_space) {
            i + 1
        } else {
            i
        }
    }

    /// Matches `pattern` at token `i`.
    fn phrase(&self, pattern: &str, i: usize) -> Option<Matched> {
        let mut numbers = Vec::new();
        let mut j = i;
        for (k, element) in pattern.split(' ').enumerate() {
            if k > 0 {
                j = self.skip_gaps(j);
            }
            let t = self.tok(j)?;
            let mut chars = element.chars();
            let fits = match (chars.next(), chars.next()) {
                (Some('#'), None) => {
                    let n = (t.is_digits() && t.len() <= 6)
                        .then(|| self.text.get(t.start..t.end))
                        .flatten()
                        .and_then(|d| d.parse::<u32>().ok());
                    n.map(|n| numbers.push(n)).is_some()
                }
                (Some(c), None) if !c.is_alphanumeric() => t.is_symbol(c),
                _ => t.kind == Kind::Word && t.folded == element,
            };
            if !fits {
                return None;
            }
            j += 1;
        }
        Some(Matched { numbers, next: j })
    }

    /// Matches any of `words` (each a phrase without numbers) at `i`; the longest wins.
    fn any_phrase(&self, words: &[&str], i: usize) -> Option<usize> {
        words
            .iter()
            .filter_map(|w| self.phrase(w, i))
            .map(|m| m.next)
            .max()
    }

    /// Tries every reading at token `i`; the token to go on from when one applies. Phrases first,
    /// the longest match first; then readings that begin with a number.
    fn at(&mut self, i: usize) -> Option<usize> {
        let first = self.tok(i)?;
        if first.is_space() {
            return None;
        }
        let mut matches: Vec<(Matched, usize, Family, Language)> = candidates(first)
            .iter()
            .filter_map(|&k| PHRASES.get(k))
            .filter_map(|&(pattern, family, language)| {
                self.phrase(pattern, i)
                    .map(|m| (m, pattern.len(), family, language))
            })
            .collect();
        matches.sort_by(|a, b| b.0.next.cmp(&a.0.next).then(b.1.cmp(&a.1)));
        for (m, _, family, language) in matches {
            if let Some(next) = self.family(family, language, i, m) {
                return Some(next);
            }
        }
        self.amounts(i)
    }

    fn family(
        &mut self,
        family: Family,
        language: Language,
        i: usize,
        m: Matched,
    ) -> Option<usize> {
        let start = self.start_of(i);
        match family {
            Family::Reference | Family::Now | Family::Member => {
                let j = self.skip_gaps(m.next);
                let money = self.money_at(j)?;
                let make = match family {
                    Family::Reference => ClaimValue::ReferencePrice,
                    Family::Now => ClaimValue::Price,
                    _ => ClaimValue::MemberPrice,
                };
                self.money_claim(money, start, make)
            }
            Family::Discount => {
                let j = self.skip_gaps(m.next);
                if let Some((percent, next)) = self.percent_at(j) {
                    self.percent_claim(percent, start, next);
                    return Some(next);
                }
                let money = self.money_at(j)?;
                self.money_claim(money, start, ClaimValue::AmountOff)
            }
            Family::Until => {
                let j = self.skip_gaps(m.next);
                let (date, next) = self.date_at(j, false)?;
                let end = date.end;
                if let Some(resolved) = self.resolve(&date, language, start, end) {
                    self.claim(
                        ClaimValue::ValidUntil(DateOrInstant::Date(resolved)),
                        start,
                        end,
                    );
                }
                Some(next)
            }
            Family::UpTo => {
                // "fino al 50%", "up to £100 off": a ceiling over many products, no claim on one.
                let j = self.skip_gaps(m.next);
                let next = match self.percent_at(j) {
                    Some((_, next)) => next,
                    None => self.money_at(j).filter(|m| m.money.is_some())?.next,
                };
                let end = self.end_of(next);
                self.unread(
                    start,
                    end,
                    "an upper bound (\"up to\"): not a claim on this product".to_owned(),
                );
                Some(next)
            }
            Family::From => self.range(language, i, m.next),
            Family::TakePay | Family::BuyGetFree => {
                let (&a, &b) = (m.numbers.first()?, m.numbers.get(1)?);
                let (buy, pay) = if family == Family::TakePay {
                    (a, b)
                } else {
                    (a.checked_add(b)?, a)
                };
                let previous = i.checked_sub(1).and_then(|k| self.tok(k));
                if previous.is_some_and(|t| t.is_symbol('×') || t.is_symbol('+') || t.folded == "x")
                {
                    return None;
                }
                self.multi_buy(buy, pay, start, m.next)
            }
            Family::StockCount => {
                let n = *m.numbers.first()?;
                let end = self.end_of(m.next);
                self.claim(ClaimValue::StockQuantity(u64::from(n)), start, end);
                let availability = if n == 0 {
                    Availability::OutOfStock
                } else {
                    Availability::LowStock
                };
                self.claim(ClaimValue::Availability(availability), start, end);
                Some(m.next)
            }
            Family::Stock(availability) => {
                let end = self.end_of(m.next);
                self.claim(ClaimValue::Availability(availability), start, end);
                Some(m.next)
            }
        }
    }

    /// A multi-buy claim, unless a size unit or another `x` follows (`3x2 m`, `3x2x1`).
    fn multi_buy(&mut self, buy: u32, pay: u32, start: usize, next: usize) -> Option<usize> {
        if !(pay >= 1 && buy > pay && buy <= 20) {
            return None;
        }
        let j = self.skip_spaces(next);
        if let Some(t) = self.tok(j) {
            let size = t.kind == Kind::Word && SIZE_UNITS.contains(&t.folded.as_str());
            if size
                || t.folded == "x"
                || t.is_symbol('×')
                || t.is_symbol('"')
                || (next == j && t.is_digits())
            {
                return None;
            }
        }
        let end = self.end_of(next);
        self.claim(ClaimValue::MultiBuy(MultiBuy { buy, pay }), start, end);
        Some(next)
    }

    /// A date at `j`, unless money follows it (`ab 2.12 €` is a price).
    fn date_at(&self, j: usize, day_only: bool) -> Option<(WrittenDate, usize)> {
        let (date, next) = read_date(self.text, &self.toks, j, day_only)?;
        if !(1..=31).contains(&date.day) || date.month.is_some_and(|m| !(1..=12).contains(&m)) {
            return None;
        }
        if mark_after(self.text, date.end).is_some_and(|m| m.start <= date.end + 4) {
            return None;
        }
        Some((date, next))
    }

    fn slash_order(&self, language: Language) -> SlashOrder {
        match self.locale {
            Some(l) if l.language() == Language::En => match l.region() {
                Some("US" | "PH" | "PR") => SlashOrder::MonthDay,
                Some(_) => SlashOrder::DayMonth,
                None => SlashOrder::Unknown,
            },
            Some(_) => SlashOrder::DayMonth,
            None if language == Language::En => SlashOrder::Unknown,
            None => SlashOrder::DayMonth,
        }
    }

    /// The date, or an unread entry saying why not.
    fn resolve(
        &mut self,
        date: &WrittenDate,
        language: Language,
        start: usize,
        end: usize,
    ) -> Option<NaiveDate> {
        match date.resolve(self.slash_order(language), self.today) {
            Ok(d) => Some(d),
            Err(problem) => {
                let reason = match problem {
                    DateProblem::NoYear => "a date without a year: extract_at takes the reference date that decides the year".to_owned(),
                    DateProblem::SlashOrder => format!(
                        "{:?} is day/month or month/day: give a locale (en-US reads month/day, other locales day/month)",
                        clip(self.text, start, end)
                    ),
                    DateProblem::NoSuchDate => "no such date".to_owned(),
                };
                self.unread(start, end, reason);
                None
            }
        }
    }

    /// `dal 1 al 15 dicembre`, `from 1 to 15 December`, `vom 1. bis 15. Dezember`, or one start date.
    fn range(&mut self, language: Language, i: usize, next: usize) -> Option<usize> {
        let start = self.start_of(i);
        let j = self.skip_gaps(next);
        let (first, after_first) = self.date_at(j, true)?;
        let k = self.skip_gaps(after_first);
        let to = self.any_phrase(RANGE_TO, k);
        let second = to.and_then(|to| {
            let l = self.skip_gaps(to);
            self.date_at(l, false)
        });
        let Some((second, after)) = second else {
            first.month?;
            let end = first.end;
            let from = self.resolve(&first, language, start, end);
            if let Some(from) = from {
                self.claim(ClaimValue::ValidFrom(DateOrInstant::Date(from)), start, end);
            }
            return Some(after_first);
        };
        let end = second.end;
        let first = WrittenDate {
            month: first.month.or(second.month),
            year: first.year.or(second.year),
            ..first
        };
        let until = self.resolve(&second, language, start, end);
        let from = until.and_then(|until| {
            if first.year.is_none() && second.year.is_none() {
                // Without a year, the start is the occurrence nearest to the end.
                first.resolve(self.slash_order(language), Some(until)).ok()
            } else {
                self.resolve(&first, language, start, end)
            }
        });
        if let (Some(from), Some(until)) = (from, until) {
            self.claim(ClaimValue::ValidFrom(DateOrInstant::Date(from)), start, end);
            self.claim(
                ClaimValue::ValidUntil(DateOrInstant::Date(until)),
                start,
                end,
            );
        }
        Some(after)
    }

    /// A percentage at `j`: digits, an optional decimal part, an optional space and `%`.
    fn percent_at(&self, j: usize) -> Option<(Decimal, usize)> {
        let t = self.tok(j).filter(|t| t.is_digits() && t.len() <= 3)?;
        let mut k = j + 1;
        let mut written = self.text.get(t.start..t.end)?.to_owned();
        if self
            .tok(k)
            .is_some_and(|s| s.is_symbol('.') || s.is_symbol(','))
        {
            let d = self.tok(k + 1).filter(|d| d.is_digits() && d.len() <= 2)?;
            written.push('.');
            written.push_str(self.text.get(d.start..d.end)?);
            k += 2;
        }
        k = self.skip_spaces(k);
        if !self.tok(k).is_some_and(|s| s.is_symbol('%')) {
            return None;
        }
        let percent: Decimal = written.parse().ok()?;
        Some((percent, k + 1))
    }

    fn percent_claim(&mut self, percent: Decimal, start: usize, next: usize) {
        let end = self.end_of(next);
        if percent > Decimal::ZERO && percent <= Decimal::ONE_HUNDRED {
            self.claim(ClaimValue::PercentOff(percent.normalize()), start, end);
        } else {
            self.unread(
                start,
                end,
                "a reduction of more than 100% or of nothing".to_owned(),
            );
        }
    }

    /// Money at token `i`: a mark and a number, or a number and a mark.
    fn money_at(&self, i: usize) -> Option<MoneyAt> {
        let t = self.tok(i)?;
        let floor = self.floor;
        let (before, n) = if t.is_digits() {
            (mark_before(self.text, t.start, floor), i)
        } else {
            let mark =
                mark_after(self.text, t.start).filter(|m| m.start == t.start && m.can_lead())?;
            let mut n = i;
            while self.tok(n).is_some_and(|t| t.start < mark.end) {
                n += 1;
            }
            n = self.skip_spaces(n);
            if self.tok(n).is_some_and(|t| t.is_symbol(':')) {
                n = self.skip_spaces(n + 1);
            }
            (Some(mark), n)
        };
        self.money_with(before, n)
    }

    /// Money whose number is at token `n`, with the mark before it, if any.
    fn money_with(&self, before: Option<Mark>, n: usize) -> Option<MoneyAt> {
        // A plain space groups thousands in French; elsewhere `14 899 €` is a 14 and a price.
        let plain_space = self.locale.is_none_or(|l| l.language() == Language::Fr);
        let (number, next) = read_number(self.text, &self.toks, n, false, plain_space)?;
        // `14 £899`: a mark spaced from this number and touching the next one is the next one's.
        let behind = mark_after(self.text, number.end).filter(|m| {
            let touches_next = self
                .text
                .get(m.end..)
                .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()));
            !(m.start > number.end && touches_next)
        });
        let resolved = |m: &Mark| m.currency(self.locale).is_ok();
        let (mark, behind_used) = match before {
            Some(m) if resolved(&m) => (Some(m), false),
            Some(m) => match behind.filter(resolved) {
                Some(b) => (Some(b), true),
                None => (Some(m), false),
            },
            None => (behind, behind.is_some()),
        };
        let start = before.map_or(number.start, |m| m.start.min(number.start));
        let mut end = number.end;
        let mut next = next;
        if behind_used && let Some(b) = behind {
            end = b.end;
            while self.tok(next).is_some_and(|t| t.start < b.end) {
                next += 1;
            }
        }
        let Some(mark) = mark else {
            return Some(MoneyAt {
                start,
                end,
                next,
                money: None,
            });
        };
        let mut reading = resolve_with_mark(
            number.reading(self.locale.map(Locale::decimal_point)),
            Some(&mark),
            self.locale,
        );
        if let Some((amount, cents_end)) = super::cents_after_mark(
            self.text,
            &self.toks,
            next,
            &number,
            behind.filter(|_| behind_used).as_ref(),
            false,
        ) {
            reading = Reading::Exact(amount);
            end = cents_end;
            while self.tok(next).is_some_and(|t| t.start < cents_end) {
                next += 1;
            }
        }
        if number.plain_spaced && self.locale.is_none() {
            let written = self.text.get(number.start..number.end).unwrap_or("");
            let reason = format!(
                "{written:?}: a space groups thousands in French, and separates two numbers in it, de, en, es: give a locale"
            );
            return Some(MoneyAt {
                start,
                end,
                next,
                money: Some(Err(reason)),
            });
        }
        let money = match reading {
            Reading::Exact(amount) => match mark.currency(self.locale) {
                Ok(currency) => Money::new(amount, currency).map_err(|e| e.to_string()),
                Err(Unresolved::NeedsRegion(symbol)) => Err(format!(
                    "{symbol:?} is the mark of several currencies: give a locale with a region (en-US, es-MX, ...)"
                )),
                Err(Unresolved::NotIso(symbol)) => {
                    Err(format!("{symbol:?} names no one ISO 4217 currency"))
                }
            },
            Reading::Ambiguous {
                point,
                as_decimal,
                as_grouping,
            } => Err(ambiguity(
                self.text.get(number.start..number.end).unwrap_or(""),
                point,
                as_decimal,
                as_grouping,
            )),
            Reading::Invalid => Err("not an amount: its separators group no thousands".to_owned()),
        };
        Some(MoneyAt {
            start,
            end,
            next,
            money: Some(money),
        })
    }

    /// A claim of money read by [`Scan::money_at`], or an unread entry; `None` when it is no money.
    fn money_claim(
        &mut self,
        money: MoneyAt,
        start: usize,
        make: impl FnOnce(Money) -> ClaimValue,
    ) -> Option<usize> {
        match money.money {
            Some(Ok(m)) => self.claim(make(m), start, money.end),
            Some(Err(reason)) => self.unread(start, money.end, reason),
            None => self.unread(start, money.end, "an amount without a currency".to_owned()),
        }
        Some(money.next)
    }

    /// Readings that begin with a number, a currency mark or a minus sign.
    fn amounts(&mut self, i: usize) -> Option<usize> {
        let t = self.tok(i)?;
        let start = t.start;
        // -20%, -10 €
        if matches!(t.kind, Kind::Symbol('-' | '−' | '–')) {
            let previous = i.checked_sub(1).and_then(|k| self.tok(k));
            if previous.is_some_and(|p| p.is_digits() || p.kind == Kind::Word) {
                return None;
            }
            if let Some((percent, next)) = self.percent_at(i + 1) {
                self.percent_claim(percent, start, next);
                return Some(next);
            }
            let money = self.money_at(i + 1).filter(|m| m.money.is_some())?;
            return self.money_claim(money, start, ClaimValue::AmountOff);
        }
        // 3x2
        if t.is_digits() {
            if self
                .tok(i + 1)
                .is_some_and(|x| x.folded == "x" || x.is_symbol('×'))
            {
                let (a, b) = (self.small(i), self.small(i + 2));
                if let (Some(buy), Some(pay)) = (a, b) {
                    let previous = i.checked_sub(1).and_then(|k| self.tok(k));
                    if !previous.is_some_and(|p| p.folded == "x" || p.is_symbol('×'))
                        && let Some(next) = self.multi_buy(buy, pay, start, i + 3)
                    {
                        return Some(next);
                    }
                }
                // Not a multi-buy (`2x19,99 €`): go on after the `x`, so the next number is read whole.
                return Some(i + 2);
            }
            if let Some((percent, next)) = self.percent_at(i) {
                let k = self.skip_gaps(next);
                if let Some(after) = self.any_phrase(REDUCTION_AFTER, k) {
                    self.percent_claim(percent, start, after);
                    return Some(after);
                }
                return Some(next);
            }
        }
        // €/kg 9,80, as shelf labels write it.
        if let Some(mark) = mark_after(self.text, start)
            .filter(|m| m.start == start && m.can_lead() && !t.is_digits())
        {
            let mut k = i;
            while self.tok(k).is_some_and(|t| t.start < mark.end) {
                k += 1;
            }
            let unit = self
                .tok(k)
                .filter(|s| s.is_symbol('/'))
                .and_then(|_| self.unit_after(k));
            if let Some((per, after)) = unit {
                let n = self.skip_spaces(after);
                if let Some(money) = self.money_with(Some(mark), n) {
                    return self.money_claim(money, start, move |price| {
                        ClaimValue::UnitPrice(UnitPrice { price, per })
                    });
                }
            }
        }
        let money = self.money_at(i)?;
        if money.money.is_none() {
            return Some(money.next);
        }
        // 2,45 €/kg, € 9,80 al kg
        if let Some((per, next)) = self.unit_after(money.next)
            && let Some(Ok(price)) = money.money
        {
            let end = self.end_of(next);
            self.claim(
                ClaimValue::UnitPrice(UnitPrice { price, per }),
                money.start,
                end,
            );
            return Some(next);
        }
        let k = self.skip_gaps(money.next);
        if let Some(after) = self.any_phrase(REDUCTION_AFTER, k) {
            let end = self.end_of(after);
            let money = MoneyAt {
                end,
                next: after,
                ..money
            };
            let start = money.start;
            return self.money_claim(money, start, ClaimValue::AmountOff);
        }
        let start = money.start;
        self.money_claim(money, start, ClaimValue::Price)
    }

    /// A small number (a multi-buy count) at `i`.
    fn small(&self, i: usize) -> Option<u32> {
        let t = self.tok(i).filter(|t| t.is_digits() && t.len() <= 2)?;
        self.text.get(t.start..t.end)?.parse().ok()
    }

    /// `/kg`, `/ 100 g`, `al kg`, `per litro` at `j`.
    fn unit_after(&self, j: usize) -> Option<(Quantity, usize)> {
        let k = self.skip_spaces(j);
        let k = if self.tok(k).is_some_and(|t| t.is_symbol('/')) {
            k + 1
        } else {
            let t = self.tok(k).filter(|t| PER.contains(&t.folded.as_str()))?;
            let _ = t;
            k + 1
        };
        let mut k = self.skip_spaces(k);
        let mut amount = Decimal::ONE;
        if let Some(t) = self.tok(k).filter(|t| t.is_digits() && t.len() <= 4) {
            amount = self.text.get(t.start..t.end)?.parse().ok()?;
            k = self.skip_spaces(k + 1);
        }
        let unit = self.tok(k).filter(|t| t.kind == Kind::Word)?;
        let power = self
            .tok(k + 1)
            .filter(|t| t.start == unit.end)
            .and_then(|t| match t.kind {
                Kind::Symbol('²') => Some(2),
                Kind::Symbol('³') => Some(3),
                Kind::Digits if self.text.get(t.start..t.end) == Some("2") => Some(2),
                Kind::Digits if self.text.get(t.start..t.end) == Some("3") => Some(3),
                _ => None,
            });
        let (factor, measure) = match (unit.folded.as_str(), power) {
            ("kg" | "kilo" | "chilo", None) => (1, Measure::Kilogram),
            ("g" | "gr" | "grammi" | "gramm", None) => (1, Measure::Gram),
            ("hg" | "etto", None) => (100, Measure::Gram),
            ("l" | "lt" | "litro" | "liter" | "litre" | "litri", None) => (1, Measure::Litre),
            ("ml", None) => (1, Measure::Millilitre),
            ("cl", None) => (10, Measure::Millilitre),
            ("m" | "metro" | "meter" | "metre", None) => (1, Measure::Metre),
            ("m", Some(2)) | ("mq", None) => (1, Measure::SquareMetre),
            ("m", Some(3)) => (1, Measure::CubicMetre),
            _ => return None,
        };
        let next = if power.is_some() { k + 2 } else { k + 1 };
        if self
            .tok(next)
            .is_some_and(|t| t.kind == Kind::Word && t.start == self.end_of(next))
        {
            return None;
        }
        let amount = amount.checked_mul(Decimal::from(factor))?;
        (amount > Decimal::ZERO).then_some((Quantity { amount, measure }, next))
    }
}
