//! Instants, local dates and half-open windows.
//!
//! Inside, every instant is a `DateTime<Utc>`. Text instants must carry an offset (RFC 3339): a
//! timestamp without one means different instants in Rome and in New York, so it is refused. Local
//! dates (`"2026-11-30"`) are read in a market's time zone; as an end they mean the end of that day,
//! the next local midnight, exclusive.

use std::fmt;

use chrono::{
    DateTime, Days, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone, Utc,
};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

/// Why a text is not an instant or a date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TimeError {
    /// A date and time without a UTC offset.
    #[error(
        "{} has no UTC offset: write it as RFC 3339, like \"2026-11-27T00:00:00+01:00\"", crate::limits::Quoted(.input)
    )]
    NoOffset {
        /// The text as given.
        input: String,
    },
    /// A bare date where a market's time zone is needed to place it, and there is none.
    #[error(
        "{} is a date without a time zone to read it in: write an RFC 3339 instant, like \"{input}T00:00:00+01:00\"", crate::limits::Quoted(.input)
    )]
    DateWithoutZone {
        /// The text as given.
        input: String,
    },
    /// Neither an RFC 3339 instant nor a `YYYY-MM-DD` date.
    #[error(
        "{} is not an instant: expected RFC 3339 with an offset, like \"2026-11-27T00:00:00+01:00\"", crate::limits::Quoted(.input)
    )]
    Syntax {
        /// The text as given.
        input: String,
    },
}

/// Parses an RFC 3339 instant with an offset (`Z` or `±hh:mm`).
///
/// ```
/// let t = unisono::time::parse_instant("2026-11-27T00:00:00+01:00")?;
/// assert_eq!(t.to_rfc3339(), "2026-11-26T23:00:00+00:00");
/// assert!(unisono::time::parse_instant("2026-11-27T00:00:00").is_err());
/// # Ok::<(), unisono::time::TimeError>(())
/// ```
///
/// # Errors
/// [`TimeError::NoOffset`] for a naive timestamp, [`TimeError::Syntax`] for anything else.
pub fn parse_instant(input: &str) -> Result<DateTime<Utc>, TimeError> {
    if let Some(t) = parse_common_rfc3339(input) {
        return Ok(t);
    }
    match DateTime::parse_from_rfc3339(input) {
        Ok(t) => Ok(t.with_timezone(&Utc)),
        Err(_) if is_naive_timestamp(input) => Err(TimeError::NoOffset {
            input: input.to_owned(),
        }),
        Err(_) if NaiveDate::parse_from_str(input, "%Y-%m-%d").is_ok() => {
            Err(TimeError::DateWithoutZone {
                input: input.to_owned(),
            })
        }
        Err(_) => Err(TimeError::Syntax {
            input: input.to_owned(),
        }),
    }
}

/// The shape nearly every instant has, `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`, read without
/// chrono's format machinery (a stream of renderings holds millions of instants). `None` for
/// anything else, which [`parse_instant`] hands to chrono: the same instants either way (a
/// property test in this module says so).
fn parse_common_rfc3339(input: &str) -> Option<DateTime<Utc>> {
    let b = input.as_bytes();
    let digits = |range: std::ops::Range<usize>| -> Option<u32> {
        b.get(range)?.iter().try_fold(0_u32, |n, d| {
            d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
        })
    };
    let at = |i: usize, c: u8| b.get(i) == Some(&c);
    if b.len() < 20 || !(at(4, b'-') && at(7, b'-') && at(10, b'T') && at(13, b':') && at(16, b':'))
    {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(
        i32::try_from(digits(0..4)?).ok()?,
        digits(5..7)?,
        digits(8..10)?,
    )?;
    let (hour, minute, second) = (digits(11..13)?, digits(14..16)?, digits(17..19)?);
    let mut i = 19;
    let mut nanos = 0_u32;
    if at(i, b'.') {
        let fraction = b
            .get(i + 1..)?
            .iter()
            .take_while(|d| d.is_ascii_digit())
            .count();
        if !(1..=9).contains(&fraction) {
            return None;
        }
        nanos = digits(i + 1..i + 1 + fraction)? * 10_u32.pow(9 - u32::try_from(fraction).ok()?);
        i += 1 + fraction;
    }
    let offset_seconds = match (b.get(i), b.len() - i) {
        (Some(b'Z'), 1) => 0,
        (Some(sign @ (b'+' | b'-')), 6) if at(i + 3, b':') => {
            let (h, m) = (digits(i + 1..i + 3)?, digits(i + 4..i + 6)?);
            if h > 23 || m > 59 {
                return None;
            }
            let seconds = i32::try_from(h * 3600 + m * 60).ok()?;
            if *sign == b'-' { -seconds } else { seconds }
        }
        _ => return None,
    };
    let time = NaiveTime::from_hms_nano_opt(hour, minute, second, nanos).filter(|_| second < 60)?;
    let local = date.and_time(time);
    let utc = local.checked_sub_signed(chrono::Duration::seconds(i64::from(offset_seconds)))?;
    Some(Utc.from_utc_datetime(&utc))
}

fn is_naive_timestamp(input: &str) -> bool {
    [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S%.f",
    ]
    .iter()
    .any(|format| NaiveDateTime::parse_from_str(input, format).is_ok())
}

/// Reads `YYYY-MM-DD` exactly (ten characters), without the cost of a format string.
pub fn parse_local_date(text: &str) -> Option<NaiveDate> {
    let b = text.as_bytes();
    if b.len() != 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let number = |range: std::ops::Range<usize>| -> Option<u32> {
        let digits = b.get(range)?;
        digits.iter().try_fold(0_u32, |n, d| {
            d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
        })
    };
    let year = i32::try_from(number(0..4)?).ok()?;
    NaiveDate::from_ymd_opt(year, number(5..7)?, number(8..10)?)
}

/// Which end of a window a local date stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DateEdge {
    /// The date's first instant: local midnight at its start.
    Start,
    /// The end of the date: the next local midnight, exclusive.
    End,
}

/// Parses an RFC 3339 instant, or a `YYYY-MM-DD` date read in `zone` at the given edge.
///
/// ```
/// use unisono::time::{parse_instant_or_date, DateEdge};
/// let rome: chrono_tz::Tz = "Europe/Rome".parse()?;
/// let end = parse_instant_or_date("2026-11-30", Some(rome), DateEdge::End)?;
/// assert_eq!(end.to_rfc3339(), "2026-11-30T23:00:00+00:00"); // 2026-12-01T00:00+01:00
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// As [`parse_instant`]; a bare date with `zone: None` is [`TimeError::DateWithoutZone`].
pub fn parse_instant_or_date(
    input: &str,
    zone: Option<Tz>,
    edge: DateEdge,
) -> Result<DateTime<Utc>, TimeError> {
    match (parse_local_date(input), zone) {
        (Some(date), Some(zone)) => {
            let day = match edge {
                DateEdge::Start => Some(date),
                DateEdge::End => date.checked_add_days(Days::new(1)),
            };
            day.and_then(|day| local_midnight(day, zone))
                .ok_or(TimeError::Syntax {
                    input: input.to_owned(),
                })
        }
        _ => parse_instant(input),
    }
}

/// The first instant of `date` in `zone`. Where a DST change skips midnight, the first instant that
/// exists that day. `None` only at the ends of chrono's range.
pub fn local_midnight(date: NaiveDate, zone: Tz) -> Option<DateTime<Utc>> {
    // Placing a local time is a search of the zone's transitions (about 370 instructions), and a
    // validator places the dates of "until Sunday" claims by the million, few of them distinct: so
    // each thread remembers the dates it placed, up to a bound.
    const REMEMBERED: usize = 1 << 14;
    thread_local! {
        static PLACED: std::cell::RefCell<Placed> = std::cell::RefCell::default();
    }
    PLACED.with(|placed| {
        let mut placed = placed.borrow_mut();
        if let Some(&t) = placed.get(&(date, zone)) {
            return t;
        }
        if placed.len() >= REMEMBERED {
            placed.clear();
        }
        let t = place_midnight(date, zone);
        placed.insert((date, zone), t);
        t
    })
}

/// Local midnights placed already, by date and zone.
type Placed = rustc_hash::FxHashMap<(NaiveDate, Tz), Option<DateTime<Utc>>>;

/// [`local_midnight`], computed.
fn place_midnight(date: NaiveDate, zone: Tz) -> Option<DateTime<Utc>> {
    let mut local = date.and_time(NaiveTime::MIN);
    // A gap is at most a few hours; step through it a quarter of an hour at a time.
    for _ in 0..(4 * 24) {
        match zone.from_local_datetime(&local) {
            LocalResult::Single(t) => return Some(t.with_timezone(&Utc)),
            LocalResult::Ambiguous(first, _) => return Some(first.with_timezone(&Utc)),
            LocalResult::None => local = local.checked_add_signed(chrono::Duration::minutes(15))?,
        }
    }
    None
}

/// `t` moved back by `days` calendar days in `zone`: the same local wall-clock time, `days` dates
/// earlier (Omnibus counts days, not 24-hour periods). Falls back to 24-hour days across a gap.
pub fn days_before(t: DateTime<Utc>, days: u32, zone: Tz) -> DateTime<Utc> {
    let local = in_zone(t, zone).naive_local();
    let shifted = local.checked_sub_days(Days::new(u64::from(days)));
    match shifted.map(|s| zone.from_local_datetime(&s)) {
        Some(LocalResult::Single(s)) => s.with_timezone(&Utc),
        Some(LocalResult::Ambiguous(s, _)) => s.with_timezone(&Utc),
        _ => t
            .checked_sub_signed(chrono::Duration::days(i64::from(days)))
            .unwrap_or(DateTime::<Utc>::MIN_UTC),
    }
}

/// A half-open window of time `[from, until)`; `until: None` is open-ended.
///
/// ```
/// use unisono::time::{parse_instant, Window};
/// let w = Window::new(parse_instant("2026-11-27T00:00:00+01:00")?, Some(parse_instant("2026-12-01T00:00:00+01:00")?));
/// assert!(w.contains(parse_instant("2026-11-30T23:59:59+01:00")?));
/// assert!(!w.contains(parse_instant("2026-12-01T00:00:00+01:00")?));
/// # Ok::<(), unisono::time::TimeError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Window {
    /// First instant inside.
    pub from: DateTime<Utc>,
    /// First instant after; `None` = open-ended.
    pub until: Option<DateTime<Utc>>,
}

impl Window {
    /// A window from `from` until `until` (exclusive).
    pub fn new(from: DateTime<Utc>, until: Option<DateTime<Utc>>) -> Window {
        Window { from, until }
    }

    /// The window holding the one instant `at`: `[at, at + 1 ns)`.
    pub fn instant(at: DateTime<Utc>) -> Window {
        Window {
            from: at,
            // At the very end of time there is no next nanosecond: the window stays open.
            until: at.checked_add_signed(chrono::Duration::nanoseconds(1)),
        }
    }

    /// Whether `t` is inside.
    pub fn contains(&self, t: DateTime<Utc>) -> bool {
        self.from <= t && self.until.is_none_or(|u| t < u)
    }

    /// Whether the window holds no instant (`until <= from`).
    pub fn is_empty(&self) -> bool {
        self.until.is_some_and(|u| u <= self.from)
    }

    /// Whether the two windows share an instant.
    pub fn overlaps(&self, other: &Window) -> bool {
        self.until.is_none_or(|u| other.from < u) && other.until.is_none_or(|u| self.from < u)
    }
}

impl fmt::Display for Window {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.until {
            Some(until) => write!(f, "[{}, {})", self.from.to_rfc3339(), until.to_rfc3339()),
            None => write!(f, "[{}, ..)", self.from.to_rfc3339()),
        }
    }
}

/// `t` with the offset `zone` has then; in UTC at the edges of time, where local time would fall
/// outside what chrono can represent (a fuzzer found `DateTime::MAX_UTC` in Rome).
pub fn in_zone(t: DateTime<Utc>, zone: Tz) -> DateTime<chrono::FixedOffset> {
    let offset = zone.offset_from_utc_datetime(&t.naive_utc()).fix();
    match t.naive_utc().checked_add_offset(offset) {
        Some(_) => t.with_timezone(&offset),
        None => t.fixed_offset(),
    }
}

/// Writes an instant as people in `zone` read it: the local date alone at local midnight
/// (`2026-11-27`), else date and time (`2026-11-27 07:00`).
pub fn local_label(t: DateTime<Utc>, zone: Tz) -> String {
    let local = in_zone(t, zone);
    if local_midnight(local.date_naive(), zone) == Some(t) {
        local.format("%Y-%m-%d").to_string()
    } else if local.timestamp_subsec_nanos() == 0 && local.format("%S").to_string() == "00" {
        local.format("%Y-%m-%d %H:%M").to_string()
    } else {
        local.format("%Y-%m-%d %H:%M:%S").to_string()
    }
}

/// An instant in RFC 3339 with the local offset of `zone`, seconds precision unless finer is needed
/// (`2026-11-27T00:00:00+01:00`).
pub fn rfc3339_in(t: DateTime<Utc>, zone: Tz) -> String {
    in_zone(t, zone).to_rfc3339_opts(chrono::SecondsFormat::AutoSi, false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The fast path reads the same instant as chrono, or leaves the text to it.
        #[test]
        fn the_fast_path_agrees_with_chrono(
            text in "[0-9]{4}-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-6][0-9]:[0-6][0-9](\\.[0-9]{0,10})?(Z|z|[+-][0-2][0-9]:[0-6][0-9]|[+-][0-9]{4})?"
        ) {
            let chrono = DateTime::parse_from_rfc3339(&text).map(|t| t.with_timezone(&Utc)).ok();
            if let Some(fast) = parse_common_rfc3339(&text) {
                prop_assert_eq!(Some(fast), chrono);
            }
            prop_assert_eq!(parse_instant(&text).ok(), chrono);
        }
    }

    #[test]
    fn the_fast_path_reads_offsets_and_fractions() {
        let fast = |s: &str| parse_common_rfc3339(s).map(|t| t.to_rfc3339());
        assert_eq!(
            fast("2026-11-27T00:00:00+01:00").as_deref(),
            Some("2026-11-26T23:00:00+00:00")
        );
        assert_eq!(
            fast("2026-11-27T00:00:00.5-02:30").as_deref(),
            Some("2026-11-27T02:30:00.500+00:00")
        );
        assert_eq!(fast("2026-02-30T00:00:00Z"), None);
        assert_eq!(fast("2026-11-27T00:00:00"), None);
        assert_eq!(fast("2026-11-27 00:00:00Z"), None);
    }

    fn rome() -> Tz {
        "Europe/Rome".parse().unwrap()
    }

    #[test]
    fn instants_need_an_offset() {
        assert!(parse_instant("2026-11-26T23:00:00Z").is_ok());
        assert!(parse_instant("2026-11-27T00:00:00.250+01:00").is_ok());
        assert!(matches!(
            parse_instant("2026-11-27T00:00:00"),
            Err(TimeError::NoOffset { .. })
        ));
        assert!(matches!(
            parse_instant("2026-11-27T00:00"),
            Err(TimeError::NoOffset { .. })
        ));
        assert!(matches!(
            parse_instant("2026-11-27"),
            Err(TimeError::DateWithoutZone { .. })
        ));
        assert!(matches!(
            parse_instant("27/11/2026"),
            Err(TimeError::Syntax { .. })
        ));
        assert_eq!(
            parse_instant("2026-11-27T00:00:00")
                .unwrap_err()
                .to_string(),
            "\"2026-11-27T00:00:00\" has no UTC offset: write it as RFC 3339, like \"2026-11-27T00:00:00+01:00\""
        );
    }

    #[test]
    fn local_dates_start_and_end_at_local_midnight() {
        let start = parse_instant_or_date("2026-11-30", Some(rome()), DateEdge::Start).unwrap();
        let end = parse_instant_or_date("2026-11-30", Some(rome()), DateEdge::End).unwrap();
        assert_eq!(start, parse_instant("2026-11-30T00:00:00+01:00").unwrap());
        assert_eq!(end, parse_instant("2026-12-01T00:00:00+01:00").unwrap());
        // Summer time: the offset is +02:00.
        let summer = parse_instant_or_date("2026-07-31", Some(rome()), DateEdge::End).unwrap();
        assert_eq!(summer, parse_instant("2026-08-01T00:00:00+02:00").unwrap());
        assert!(matches!(
            parse_instant_or_date("2026-11-30", None, DateEdge::End),
            Err(TimeError::DateWithoutZone { .. })
        ));
    }

    #[test]
    fn midnight_inside_a_dst_gap_moves_to_the_first_real_instant() {
        // Chile skipped 00:00-01:00 on 2024-09-08.
        let santiago: Tz = "America/Santiago".parse().unwrap();
        let day = NaiveDate::from_ymd_opt(2024, 9, 8).unwrap();
        let t = local_midnight(day, santiago).unwrap();
        assert_eq!(t, parse_instant("2024-09-08T01:00:00-03:00").unwrap());
    }

    /// Remembered placements are the computed ones, before and after the memory fills and is
    /// cleared, in zones with gaps at midnight and without.
    #[test]
    fn remembered_midnights_are_the_computed_ones() {
        let zones: [Tz; 3] = [
            rome(),
            "America/Santiago".parse().unwrap(),
            "Asia/Tokyo".parse().unwrap(),
        ];
        let first = NaiveDate::from_ymd_opt(1990, 1, 1).unwrap();
        for round in 0..2 {
            for day in 0..7_000 {
                let date = first + Days::new(day);
                for zone in zones {
                    assert_eq!(
                        local_midnight(date, zone),
                        place_midnight(date, zone),
                        "{date} in {zone}, round {round}"
                    );
                }
            }
        }
    }

    #[test]
    fn thirty_calendar_days_across_a_dst_change() {
        // 2026-11-20 00:00 CET minus 30 days is 2026-10-21 00:00 CEST: 30 days and one hour earlier.
        let t = parse_instant("2026-11-20T00:00:00+01:00").unwrap();
        assert_eq!(
            days_before(t, 30, rome()),
            parse_instant("2026-10-21T00:00:00+02:00").unwrap()
        );
    }

    #[test]
    fn windows_are_half_open() {
        let a = Window::new(
            parse_instant("2026-01-01T00:00:00Z").unwrap(),
            Some(parse_instant("2026-01-02T00:00:00Z").unwrap()),
        );
        let b = Window::new(parse_instant("2026-01-02T00:00:00Z").unwrap(), None);
        assert!(!a.overlaps(&b) && !b.overlaps(&a));
        assert!(b.contains(parse_instant("2099-01-01T00:00:00Z").unwrap()));
        assert!(Window::new(a.from, Some(a.from)).is_empty());
        assert!(Window::instant(a.from).contains(a.from));
    }

    #[test]
    fn labels_read_like_people_write() {
        let t = parse_instant("2026-11-27T00:00:00+01:00").unwrap();
        assert_eq!(local_label(t, rome()), "2026-11-27");
        let t = parse_instant("2026-11-27T07:00:00+01:00").unwrap();
        assert_eq!(local_label(t, rome()), "2026-11-27 07:00");
        assert_eq!(rfc3339_in(t, rome()), "2026-11-27T07:00:00+01:00");
    }
}
