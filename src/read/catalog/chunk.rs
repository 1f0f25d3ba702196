//! A section's entries taken out of the reader's buffer a chunk at a time, each chunk read in
//! pieces on several threads, without a scan of the chunk first.
//!
//! Where an entry starts is known only once those before it are read: a string may hold `}, {`.
//! So each piece but the first starts at a guess, the first `}, {` after an even share of the
//! chunk, and reads entries until it reaches where the next piece starts. The pieces are then
//! joined in order while each one ended exactly where the next started: that proves the next
//! one's start an entry's end, since the piece before read every entry up to it. At the first
//! piece that did not, the chunk ends, and the reading goes on from there with the next chunk: a
//! wrong guess costs a piece read twice, never an entry read wrong.
//!
//! An entry is read by [`FromText::fast`] where it can, and found by the scanner and read by
//! serde where not.

use std::ops::Range;

use super::FromText;
use crate::read::tape;

/// The bytes of entries read at a time, and the pieces they are read in.
pub(super) const CHUNK_BYTES: usize = 512 * 1024;
const PIECES: usize = 8;

/// Bytes of a small entry (a stock snapshot's are about 110).
const SMALL_ENTRY: usize = 96;

/// How much text past a piece's end is checked as UTF-8 with it, for its last entry: one longer
/// than that which crosses the end is read by serde, from the bytes.
const MARGIN: usize = 4096;

/// Entries of a section taken from the reader's buffer, parsed.
pub(super) struct Chunk<T> {
    /// Those that parsed, up to the first that did not.
    pub(super) entries: Vec<T>,
    /// From the start of the first of them to the end of the last, in the buffer.
    pub(super) span: Option<Range<usize>>,
    pub(super) next: Next,
}

/// What follows a chunk.
pub(super) enum Next {
    /// More entries.
    More,
    /// The end of the buffer: entries may follow once it is refilled.
    Refill,
    /// The end of the list, an entry that failed to parse, or something the scanner does not
    /// read: serde_json reads on from the chunk's end.
    Stop,
}

/// How the reading of a piece ended.
enum Ended {
    /// At or past its limit, at the end of an entry.
    Reached,
    /// At the end of the buffer.
    Bytes,
    /// At something that is not an entry, or at an entry that failed to parse.
    Stopped,
}

/// The entries read from one start.
struct Piece<T> {
    entries: Vec<T>,
    span: Option<Range<usize>>,
    /// The end of the last entry read (the start, if none was).
    end: usize,
    ended: Ended,
}

impl<'a, T: FromText<'a>> Chunk<T> {
    /// The entries that follow `at` in `window`, over about [`CHUNK_BYTES`]. Drops `spent`
    /// (entries compiled already), so that freeing them, too, is off the compiler's thread.
    pub(super) fn read(window: &'a [u8], at: usize, spent: Vec<T>) -> Chunk<T> {
        drop(spent);
        let target = at.saturating_add(CHUNK_BYTES);
        let mut starts = vec![at];
        for k in 1..PIECES {
            let guess = at.saturating_add(k * (CHUNK_BYTES / PIECES));
            let after = starts.last().map_or(guess, |last| guess.max(last + 1));
            match tape::likely_entry_end(window, after) {
                Some(start) if start < target => starts.push(start),
                _ => break,
            }
        }
        let limits: Vec<usize> = starts.iter().skip(1).copied().chain([target]).collect();
        let pieces = read_pieces::<T>(window, &starts, &limits);
        let mut entries = Vec::with_capacity(pieces.iter().map(|p| p.entries.len()).sum());
        let mut span: Option<Range<usize>> = None;
        let mut next = Next::More;
        for (mut piece, limit) in pieces.into_iter().zip(limits) {
            entries.append(&mut piece.entries);
            span = match (span, piece.span) {
                (Some(span), Some(more)) => Some(span.start..more.end),
                (span, more) => span.or(more),
            };
            match piece.ended {
                Ended::Reached if piece.end == limit => {}
                // Past where the next piece started: that one started inside an entry.
                Ended::Reached => break,
                Ended::Bytes => {
                    next = Next::Refill;
                    break;
                }
                Ended::Stopped => {
                    next = Next::Stop;
                    break;
                }
            }
        }
        Chunk {
            entries,
            span,
            next,
        }
    }
}

/// The pieces from each of `starts` to the matching limit (on rayon's threads, with `parallel`).
fn read_pieces<'a, T: FromText<'a>>(
    window: &'a [u8],
    starts: &[usize],
    limits: &[usize],
) -> Vec<Piece<T>> {
    #[cfg(feature = "parallel")]
    use rayon::prelude::*;
    #[cfg(feature = "parallel")]
    let starts = starts.par_iter();
    #[cfg(not(feature = "parallel"))]
    let starts = starts.iter();
    starts
        .zip(limits)
        .map(|(&from, &until)| piece(window, from, until))
        .collect()
}

/// The `, {...}` entries from `from` on, until one ends at or past `until`.
fn piece<'a, T: FromText<'a>>(window: &'a [u8], from: usize, until: usize) -> Piece<T> {
    let text = checked(window, from, until.saturating_add(MARGIN));
    // Room for entries of the smallest size a section's entry has in practice, so that the
    // entries are not moved as the list grows.
    let mut entries = Vec::with_capacity(until.saturating_sub(from) / SMALL_ENTRY + 1);
    let mut first = None;
    let mut at = from;
    let ended = loop {
        if at >= until {
            break Ended::Reached;
        }
        let start = match tape::entry_start(window, at) {
            Ok(start) => start,
            Err(true) => break Ended::Stopped,
            Err(false) => break Ended::Bytes,
        };
        let fast = start
            .checked_sub(from)
            .and_then(|offset| text.get(offset..))
            .and_then(T::fast)
            .map(|(entry, len)| (entry, start + len));
        let (entry, end) = match fast {
            Some(read) => read,
            None => match tape::object_end(window, start) {
                None => break Ended::Bytes,
                Some(None) => break Ended::Stopped,
                Some(Some(end)) => {
                    let Some(entry) = window
                        .get(start..end)
                        .and_then(|bytes| serde_json::from_slice(bytes).ok())
                    else {
                        break Ended::Stopped;
                    };
                    (entry, end)
                }
            },
        };
        first.get_or_insert(start);
        entries.push(entry);
        at = end;
    };
    Piece {
        entries,
        span: first.map(|first| first..at),
        end: at,
        ended,
    }
}

/// The bytes of `window` from `from` (a character's start) to `to` as text, up to the first
/// that is not UTF-8 (or the character cut at `to`).
fn checked(window: &[u8], from: usize, to: usize) -> &str {
    let bytes = window.get(from..to.min(window.len())).unwrap_or_default();
    match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => bytes
            .get(..error.valid_up_to())
            .and_then(|valid| std::str::from_utf8(valid).ok())
            .unwrap_or_default(),
    }
}
