//! Dates as promotions write them: `30/11`, `30.11.`, `30.11.2026`, `30 novembre`, `30. November`,
//! `1er décembre`, `15 de diciembre de 2026`, `November 30, 2026`.

use chrono::{Datelike, NaiveDate};

use super::lex::{Kind, Token};

/// A date as written: the day, and the month and year when they are there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct WrittenDate {
    pub(super) day: u32,
    pub(super) month: Option<u32>,
    pub(super) year: Option<i32>,
    /// Written `a/b` with both parts at most 12: day/month or month/day as the locale says.
    pub(super) slashed: bool,
    pub(super) end: usize,
}

/// How `a/b` reads: day first everywhere but in US English.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum SlashOrder {
    DayMonth,
    MonthDay,
    Unknown,
}

fn month_of(word: &str) -> Option<u32> {
    const MONTHS: &[(&str, u32)] = &[
        ("gennaio", 1),
        ("febbraio", 2),
        ("marzo", 3),
        ("aprile", 4),
        ("maggio", 5),
        ("giugno", 6),
        ("luglio", 7),
        ("agosto", 8),
        ("settembre", 9),
        ("ottobre", 10),
        ("novembre", 11),
        ("dicembre", 12),
        ("january", 1),
        ("february", 2),
        ("march", 3),
        ("april", 4),
        ("may", 5),
        ("june", 6),
        ("july", 7),
        ("august", 8),
        ("september", 9),
        ("october", 10),
        ("november", 11),
        ("december", 12),
        ("jan", 1),
        ("feb", 2),
        ("mar", 3),
        ("apr", 4),
        ("jun", 6),
        ("jul", 7),
        ("aug", 8),
        ("sep", 9),
        ("sept", 9),
        ("oct", 10),
        ("nov", 11),
        ("dec", 12),
        ("januar", 1),
        ("janner", 1),
        ("februar", 2),
        ("marz", 3),
        ("mai", 5),
        ("juni", 6),
        ("juli", 7),
        ("oktober", 10),
        ("dezember", 12),
        ("janvier", 1),
        ("fevrier", 2),
        ("mars", 3),
        ("avril", 4),
        ("juin", 6),
        ("juillet", 7),
        ("aout", 8),
        ("septembre", 9),
        ("octobre", 10),
        ("decembre", 12),
        ("enero", 1),
        ("febrero", 2),
        ("abril", 4),
        ("mayo", 5),
        ("junio", 6),
        ("julio", 7),
        ("septiembre", 9),
        ("setiembre", 9),
        ("octubre", 10),
        ("noviembre", 11),
        ("diciembre", 12),
    ];
    MONTHS.iter().find(|(m, _)| *m == word).map(|&(_, n)| n)
}

fn number(text: &str, token: Option<&Token>, max_len: usize) -> Option<u32> {
    let t = token.filter(|t| t.is_digits() && t.len() <= max_len)?;
    text.get(t.start..t.end)?.parse().ok()
}

/// The year written in four digits at `toks[i]`, if one is.
fn four_digit_year(text: &str, toks: &[Token], i: usize) -> Option<i32> {
    year_of(text, toks.get(i).filter(|t| t.len() == 4))
}

fn year_of(text: &str, token: Option<&Token>) -> Option<i32> {
    let t = token.filter(|t| t.is_digits() && (t.len() == 2 || t.len() == 4))?;
    let y: i32 = text.get(t.start..t.end)?.parse().ok()?;
    Some(if t.len() == 2 { 2000 + y } else { y })
}

fn word(toks: &[Token], i: usize) -> Option<&str> {
    toks.get(i)
        .filter(|t| t.kind == Kind::Word)
        .map(|t| t.folded.as_str())
}

/// The next token index at or after `i` that is not a space.
fn skip_space(toks: &[Token], i: usize) -> usize {
    if toks.get(i).is_some_and(Token::is_space) {
        i + 1
    } else {
        i
    }
}

/// Reads a date at token `i`; `day_only` accepts a bare day (the first half of "dal 1 al 15
/// dicembre"). Returns the date and the index of the token after it.
pub(super) fn read_date(
    text: &str,
    toks: &[Token],
    i: usize,
    day_only: bool,
) -> Option<(WrittenDate, usize)> {
    let end_of = |j: usize| toks.get(j.saturating_sub(1)).map_or(0, |t| t.end);
    // November 30, 2026
    if let Some(month) = word(toks, i).and_then(month_of) {
        let j = skip_space(toks, i + 1);
        let day = number(text, toks.get(j), 2)?;
        let mut k = j + 1;
        if word(toks, k).is_some_and(|w| matches!(w, "st" | "nd" | "rd" | "th")) {
            k += 1;
        }
        let mut year = None;
        let after_comma = if toks.get(k).is_some_and(|t| t.is_symbol(',')) {
            k + 1
        } else {
            k
        };
        let y = skip_space(toks, after_comma);
        if let Some(found) = four_digit_year(text, toks, y) {
            year = Some(found);
            k = y + 1;
        }
        return Some((
            WrittenDate {
                day,
                month: Some(month),
                year,
                slashed: false,
                end: end_of(k),
            },
            k,
        ));
    }
    let day = number(text, toks.get(i), 2)?;
    let next = toks.get(i + 1);
    // 30/11, 30/11/2026, 30.11., 30.11.2026
    if let Some(sep @ ('/' | '.' | '-')) = next.and_then(|t| match t.kind {
        Kind::Symbol(c) => Some(c),
        _ => None,
    }) && let Some(month) = number(text, toks.get(i + 2), 2)
    {
        let mut k = i + 3;
        let mut year = None;
        if toks.get(k).is_some_and(|t| t.is_symbol(sep)) {
            if let Some(y) = year_of(text, toks.get(k + 1)) {
                year = Some(y);
                k += 2;
            } else if sep == '.' {
                k += 1; // "bis 30.11."
            }
        }
        if toks
            .get(k)
            .is_some_and(|t| t.is_digits() || t.is_symbol(sep))
        {
            return None;
        }
        // 11/30: only month/day can mean it.
        let (day, month) = if sep == '/' && month > 12 && day <= 12 {
            (month, day)
        } else {
            (day, month)
        };
        return Some((
            WrittenDate {
                day,
                month: Some(month),
                year,
                slashed: sep == '/' && day <= 12 && month <= 12 && day != month,
                end: end_of(k),
            },
            k,
        ));
    }
    // 30 novembre, 30. November, 1er décembre, 1st December, 15 de diciembre de 2026
    let mut j = i + 1;
    if toks.get(j).is_some_and(|t| t.is_symbol('.')) {
        j += 1;
    }
    if word(toks, j).is_some_and(|w| matches!(w, "er" | "st" | "nd" | "rd" | "th" | "o")) {
        j += 1;
    }
    j = skip_space(toks, j);
    if word(toks, j) == Some("de") {
        j = skip_space(toks, j + 1);
    }
    if let Some(month) = word(toks, j).and_then(month_of) {
        let mut k = j + 1;
        if toks.get(k).is_some_and(|t| t.is_symbol('.')) {
            k += 1;
        }
        let mut y = skip_space(toks, k);
        if word(toks, y) == Some("de") {
            y = skip_space(toks, y + 1);
        }
        let mut year = None;
        if let Some(found) = four_digit_year(text, toks, y) {
            year = Some(found);
            k = y + 1;
        }
        return Some((
            WrittenDate {
                day,
                month: Some(month),
                year,
                slashed: false,
                end: end_of(k),
            },
            k,
        ));
    }
    if day_only {
        let mut k = i + 1;
        if toks.get(k).is_some_and(|t| t.is_symbol('.')) {
            k += 1;
        }
        if word(toks, k).is_some_and(|w| matches!(w, "er" | "st" | "nd" | "rd" | "th" | "o")) {
            k += 1;
        }
        return Some((
            WrittenDate {
                day,
                month: None,
                year: None,
                slashed: false,
                end: end_of(k),
            },
            k,
        ));
    }
    None
}

/// Why a written date is no date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum DateProblem {
    NoYear,
    SlashOrder,
    NoSuchDate,
}

impl WrittenDate {
    /// The date, the year taken from `today` when it is not written: the occurrence of that day and
    /// month nearest to `today` (a tie goes to the later one).
    pub(super) fn resolve(
        &self,
        order: SlashOrder,
        today: Option<NaiveDate>,
    ) -> Result<NaiveDate, DateProblem> {
        let month = self.month.ok_or(DateProblem::NoSuchDate)?;
        let (day, month) = match (self.slashed, order) {
            (false, _) | (true, SlashOrder::DayMonth) => (self.day, month),
            (true, SlashOrder::MonthDay) => (month, self.day),
            (true, SlashOrder::Unknown) if self.day == month => (self.day, month),
            (true, SlashOrder::Unknown) => return Err(DateProblem::SlashOrder),
        };
        // Four-digit years only: the JSON form of a date (`2026-11-30`) has no other.
        let written = |year: i32| {
            NaiveDate::from_ymd_opt(year, month, day).filter(|_| (1000..=9999).contains(&year))
        };
        match self.year {
            Some(year) => written(year).ok_or(DateProblem::NoSuchDate),
            None => {
                let today = today.ok_or(DateProblem::NoYear)?;
                let y = today.year();
                [y + 1, y, y - 1]
                    .into_iter()
                    .filter_map(written)
                    .min_by_key(|d| (d.signed_duration_since(today).num_days()).abs())
                    .ok_or(DateProblem::NoSuchDate)
            }
        }
    }
}
