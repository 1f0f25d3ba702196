//! A buffered reader that keeps the bytes of the entry being read, so that an error inside it can
//! be read again to find its path, that refuses documents past the size limit, and that lets a
//! section's entries be taken out of its buffer whole, as slices (see [`Source::entries_follow`]).
//!
//! Reading a document with the path of every value tracked doubles the parse; a reader cannot be
//! read twice. So the streaming path tracks where it is down to the entry, and when an entry fails,
//! its bytes (kept since its start: usually a part of one block) are parsed again with the tracker.
//!
//! serde_json reads a `Read` one byte at a time, which costs more than the parse itself: the
//! document's own braces and keys are read so, but the entries of a section are read from the
//! buffer (`stream::chunk`): by a reader of their common shape, which finds their ends itself, or
//! found by a small scanner ([`object_end`]) and parsed from slices (`serde_json::from_slice`).

use std::cell::RefCell;
use std::io::{self, Read};
use std::ops::Range;
use std::rc::Rc;
use std::sync::Arc;

/// Bytes read from the inner reader at a time. The buffer grows past it only for an entry longer
/// than itself.
const BLOCK: usize = 8 * 1024 * 1024;

/// Entries deeper than this are left to serde_json's own reading, whose depth limit counts the
/// document's braces too (a slice's count starts afresh).
const MAX_SCANNED_DEPTH: usize = 64;

/// The reader's state, shared by the tape that serde_json reads and the section reader.
pub(super) struct Source<'r> {
    inner: Box<dyn Read + 'r>,
    /// The block being read. Shared with the entries taken from it, which borrow from it: a
    /// refill reads into another block, so they need not be dropped first.
    buf: Arc<Vec<u8>>,
    /// The block before, to be read into next once nothing borrows from it.
    spare: Option<Arc<Vec<u8>>>,
    /// The next byte to hand out, and the end of the bytes read into `buf`.
    pos: usize,
    filled: usize,
    /// Bytes read from the inner reader, and the limit past which the document is refused.
    read: u64,
    limit: u64,
    /// The document's size, once it is known to be past the limit.
    too_large: Option<u64>,
    /// Whether the inner reader has ended.
    ended: bool,
    /// Lines before `buf[0]` (from 1), and the bytes before `buf[0]` on the last of them.
    lines: usize,
    column: usize,
    /// The last position asked of [`Source::position_at`]: an index in `buf`, its line and column.
    counted: std::cell::Cell<(usize, (usize, usize))>,
    /// Where the bytes being kept start in `buf`, if any are.
    mark: Option<usize>,
    /// Bytes kept from before `buf[0]`.
    kept: Vec<u8>,
    /// Where the mark is in the document, once its bytes have left the buffer.
    mark_position: Option<(usize, usize)>,
    /// The line and column after the bytes handed out, as serde_json counts them.
    handed: (usize, usize),
    /// Where entries were taken out of the buffer without serde_json seeing them (its count of
    /// lines and columns then lags behind the document): its count then, and the document's
    /// position after them.
    skips: Vec<((usize, usize), (usize, usize))>,
}

/// What the tape shares with whoever reads through it.
pub(super) type Marks<'r> = Rc<RefCell<Source<'r>>>;

/// The reader serde_json reads: one byte at a time, out of the shared buffer.
pub(super) struct Tape<'r>(Marks<'r>);

impl<'r> Tape<'r> {
    pub(super) fn new(inner: impl Read + 'r, limit: u64) -> (Tape<'r>, Marks<'r>) {
        let source = Rc::new(RefCell::new(Source {
            inner: Box::new(inner),
            buf: Arc::new(Vec::new()),
            spare: None,
            pos: 0,
            filled: 0,
            read: 0,
            limit,
            too_large: None,
            ended: false,
            lines: 1,
            column: 0,
            counted: std::cell::Cell::new((0, (1, 0))),
            mark: None,
            kept: Vec::new(),
            mark_position: None,
            handed: (1, 0),
            skips: Vec::new(),
        }));
        (Tape(Rc::clone(&source)), source)
    }
}

impl Source<'_> {
    /// Keeps every byte from the next one on, forgetting those kept before.
    pub(super) fn mark(&mut self) {
        self.kept.clear();
        self.mark = Some(self.pos);
        self.mark_position = None;
    }

    /// Keeps nothing more.
    pub(super) fn unmark(&mut self) {
        self.mark = None;
        self.kept.clear();
    }

    /// The bytes kept since the mark, up to the next byte.
    pub(super) fn take_kept(&mut self) -> Vec<u8> {
        let mut kept = std::mem::take(&mut self.kept);
        if let Some(mark) = self.mark {
            kept.extend_from_slice(self.buf.get(mark..self.pos).unwrap_or(&[]));
        }
        kept
    }

    /// The line (from 1) of the mark, and the bytes before it on its line.
    pub(super) fn mark_position(&self) -> Option<(usize, usize)> {
        self.mark_position
            .or_else(|| self.mark.map(|mark| self.position_at(mark)))
    }

    /// The position in the document of a position as serde_json counted it (it counts only the
    /// bytes it read).
    pub(super) fn in_document(&self, (line, column): (usize, usize)) -> (usize, usize) {
        let Some(&((skip_line, skip_column), (after_line, after_column))) = self
            .skips
            .iter()
            .rev()
            .find(|(at, _)| *at <= (line, column))
        else {
            return (line, column);
        };
        if line == skip_line {
            (after_line, after_column + (column - skip_column))
        } else {
            (after_line + (line - skip_line), column)
        }
    }

    /// The document's size, if it is past the limit.
    pub(super) fn too_large(&self) -> Option<u64> {
        self.too_large
    }

    /// The line and column of `buf[i]`.
    fn position_at(&self, i: usize) -> (usize, usize) {
        // Counted on from the last position asked, if it is before: the buffer is asked at the
        // end of the entries taken, then refilled from there.
        let (from, (lines, column)) = match self.counted.get() {
            (at, position) if at <= i => (at, position),
            _ => (0, (self.lines, self.column)),
        };
        let before = self.buf.get(from..i).unwrap_or(&[]);
        let position = match newlines(before) {
            (count, Some(last)) => (lines + count, i - from - (last + 1)),
            (_, None) => (lines, column + (i - from)),
        };
        self.counted.set((i, position));
        position
    }

    /// Drops the bytes before `upto` from the buffer (keeping those after the mark), and reads
    /// more after those left. `Ok(false)` at the end of the input.
    fn refill(&mut self, upto: usize) -> io::Result<bool> {
        if self.too_large.is_some() {
            return Err(io::Error::other("the document is past the size limit"));
        }
        if self.ended {
            return Ok(false);
        }
        let upto = upto.min(self.filled);
        if let Some(mark) = self.mark {
            if self.mark_position.is_none() {
                self.mark_position = Some(self.position_at(mark));
            }
            let from = mark.min(upto);
            self.kept
                .extend_from_slice(self.buf.get(from..upto).unwrap_or(&[]));
            self.mark = Some(mark.saturating_sub(upto));
        }
        (self.lines, self.column) = self.position_at(upto);
        self.counted.set((0, (self.lines, self.column)));
        let rest = self.buf.get(upto..self.filled).unwrap_or(&[]);
        let size = if self.buf.len() < BLOCK {
            BLOCK
        } else if rest.len() == self.buf.len() {
            // One entry longer than the buffer.
            2 * self.buf.len()
        } else {
            self.buf.len()
        };
        let mut next = self
            .spare
            .take()
            .and_then(|spare| Arc::try_unwrap(spare).ok())
            .unwrap_or_default();
        next.resize(size, 0);
        if let Some(start) = next.get_mut(..rest.len()) {
            start.copy_from_slice(rest);
        }
        self.filled -= upto;
        self.pos = self.pos.saturating_sub(upto);
        let free = next.get_mut(self.filled..).unwrap_or(&mut []);
        let read = loop {
            match self.inner.read(free) {
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                read => break read,
            }
        };
        self.spare = Some(std::mem::replace(&mut self.buf, Arc::new(next)));
        let n = read?;
        if n == 0 {
            self.ended = true;
            return Ok(false);
        }
        self.filled += n;
        self.read += n as u64;
        if self.read > self.limit {
            // Past the limit: count the rest, to say how large the document is.
            let rest = io::copy(&mut self.inner, &mut io::sink())?;
            self.too_large = Some(self.read + rest);
            self.filled = self.pos;
            return Err(io::Error::other("the document is past the size limit"));
        }
        Ok(true)
    }

    /// The block being read, which [`Source::window`] is the start of: entries borrowed from it
    /// outlive a refill.
    pub(super) fn block(&self) -> Arc<Vec<u8>> {
        Arc::clone(&self.buf)
    }

    /// The bytes in the buffer, which the ranges of [`scan`] index.
    pub(super) fn window(&self) -> &[u8] {
        self.buf.get(..self.filled).unwrap_or(&[])
    }

    /// Hands the entries found by [`scan`] up to `upto` (an end of one of them) over as read.
    pub(super) fn consume(&mut self, upto: usize) {
        if upto > self.pos {
            self.pos = upto.min(self.filled);
            let after = self.position_at(self.pos);
            self.skips.push((self.handed, after));
        }
    }

    /// Whether the entries of a list follow the next byte, after an entry that serde_json has
    /// read: `, {...}`, the first of them whole in the buffer (it is refilled, keeping what is not
    /// yet read, until it is). They are then found with [`scan`] from [`Source::position`] in
    /// [`Source::window`]. `false` at the end of the list, the end of the input, or an entry that
    /// is not an object or too deep: serde_json reads on from there. Errors are the reader's.
    pub(super) fn entries_follow(&mut self) -> io::Result<bool> {
        self.unmark();
        loop {
            let (ranges, stopped) = scan(self.window(), self.pos, 1);
            if !ranges.is_empty() {
                return Ok(true);
            }
            if stopped {
                return Ok(false);
            }
            // Nothing whole before the end of the buffer: read more.
            if !self.refill(self.pos)? {
                return Ok(false);
            }
        }
    }

    /// The next byte to hand out, in [`Source::window`].
    pub(super) fn position(&self) -> usize {
        self.pos
    }

    /// Where `window()[i]` is in the document, in bytes from its start.
    pub(super) fn offset_of(&self, i: usize) -> u64 {
        (self.read - self.filled as u64).saturating_add(i as u64)
    }
}

/// Scans up to `most` `, {...}` entries from `from`: their ranges, and whether the scan stopped at
/// something it does not read (rather than at the end of the bytes or at `most`).
pub(super) fn scan(bytes: &[u8], from: usize, most: usize) -> (Vec<Range<usize>>, bool) {
    let mut ranges = Vec::new();
    let mut at = from;
    while ranges.len() < most {
        let start = match entry_start(bytes, at) {
            Ok(start) => start,
            Err(stopped) => return (ranges, stopped),
        };
        match object_end(bytes, start) {
            Some(Some(end)) => {
                ranges.push(start..end);
                at = end;
            }
            Some(None) => return (ranges, true),
            None => return (ranges, false),
        }
    }
    (ranges, false)
}

/// The start of the entry that follows `at` in a list, `, {`: its brace. `Err(true)` if something
/// else follows, `Err(false)` if the bytes end first.
pub(super) fn entry_start(bytes: &[u8], at: usize) -> Result<usize, bool> {
    let comma = skip_space(bytes, at).ok_or(false)?;
    if bytes.get(comma) != Some(&b',') {
        return Err(true);
    }
    let start = skip_space(bytes, comma + 1).ok_or(false)?;
    if bytes.get(start) != Some(&b'{') {
        return Err(true);
    }
    Ok(start)
}

/// The first place at or after `from` that looks like the end of an entry followed by another,
/// `}, {`: just after the brace. It may be inside a string: a reader that starts there is right
/// only if the reading from before arrives there.
pub(super) fn likely_entry_end(bytes: &[u8], from: usize) -> Option<usize> {
    let mut at = from;
    loop {
        let brace = at + memchr::memchr(b'}', bytes.get(at..)?)?;
        if entry_start(bytes, brace + 1).is_ok() {
            return Some(brace + 1);
        }
        at = brace + 1;
    }
}

/// The first byte at or after `at` that is not JSON white space, if any.
fn skip_space(bytes: &[u8], at: usize) -> Option<usize> {
    let rest = bytes.get(at..)?;
    rest.iter()
        .position(|b| !matches!(b, b' ' | b'\n' | b'\r' | b'\t'))
        .map(|i| at + i)
}

/// The end of the object or array that starts at `start`: `None` if the bytes end first,
/// `Some(None)` if it is too deep to scan.
pub(super) fn object_end(bytes: &[u8], start: usize) -> Option<Option<usize>> {
    let mut depth = 0usize;
    let mut i = start;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'"' => {
                // To the closing quote, past escapes.
                i += 1;
                loop {
                    i = crate::read::scan::quote_or_escape(bytes, i)?;
                    if bytes.get(i) == Some(&b'\\') {
                        i += 2;
                    } else {
                        break;
                    }
                }
            }
            b'{' | b'[' => {
                depth += 1;
                if depth > MAX_SCANNED_DEPTH {
                    return Some(None);
                }
            }
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Some(Some(i + 1));
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

impl Read for Tape<'_> {
    #[inline]
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let mut source = self.0.borrow_mut();
        if source.pos >= source.filled {
            let pos = source.pos;
            if !source.refill(pos)? {
                return Ok(0);
            }
        }
        let (pos, filled) = (source.pos, source.filled);
        let available = source.buf.get(pos..filled).unwrap_or(&[]);
        let n = available.len().min(out.len());
        let (mut line, mut column) = source.handed;
        for (to, from) in out.iter_mut().zip(available) {
            *to = *from;
            if *from == b'\n' {
                (line, column) = (line + 1, 0);
            } else {
                column += 1;
            }
        }
        source.handed = (line, column);
        source.pos = pos + n;
        Ok(n)
    }
}

/// How many newlines `bytes` holds, and where the last one is.
fn newlines(bytes: &[u8]) -> (usize, Option<usize>) {
    let count = memchr::memchr_iter(b'\n', bytes).count();
    (count, memchr::memrchr(b'\n', bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_bytes_since_the_mark_across_blocks() {
        let text: Vec<u8> = (0..3 * BLOCK).map(|i| (i % 251) as u8).collect();
        let (mut tape, marks) = Tape::new(text.as_slice(), u64::MAX);
        let mut byte = [0u8];
        for _ in 0..10 {
            tape.read_exact(&mut byte).unwrap();
        }
        marks.borrow_mut().mark();
        for _ in 0..(BLOCK + 20) {
            tape.read_exact(&mut byte).unwrap();
        }
        drop(tape);
        assert_eq!(
            marks.borrow_mut().take_kept(),
            text[10..BLOCK + 30].to_vec()
        );
        // Bytes 10, 261, 512, ... are 10: newlines.
        assert_eq!(marks.borrow().mark_position(), Some((1, 10)));
    }

    #[test]
    fn refuses_past_the_limit_and_counts_the_whole() {
        let text = vec![b' '; 3 * BLOCK + 5];
        let (mut tape, marks) = Tape::new(text.as_slice(), 2 * BLOCK as u64);
        let mut all = Vec::new();
        assert!(tape.read_to_end(&mut all).is_err());
        assert_eq!(marks.borrow().too_large(), Some(3 * BLOCK as u64 + 5));
    }

    #[test]
    fn finds_the_entries_after_one_read() {
        let text = b"[{\"a\": 1}, {\"b\": \"}\\\"\"},\n {\"c\": [{}]} ]";
        let (mut tape, marks) = Tape::new(&text[..], u64::MAX);
        let mut first = [0u8; 9];
        tape.read_exact(&mut first).unwrap();
        assert!(marks.borrow_mut().entries_follow().unwrap());
        let source = marks.borrow();
        let (ranges, stopped) = scan(source.window(), source.position(), usize::MAX);
        let found: Vec<&[u8]> = ranges.iter().map(|r| &source.window()[r.clone()]).collect();
        assert_eq!(
            found,
            vec![&b"{\"b\": \"}\\\"\"}"[..], &b"{\"c\": [{}]}"[..]]
        );
        assert!(stopped, "stopped at the end of the list");
        assert_eq!(scan(source.window(), source.position(), 1).0.len(), 1);
    }
}
