//! A buffered reader that keeps the bytes of the entry being read, so that an error inside it can
//! be read again to find its path, and that refuses documents past the size limit.
//!
//! Reading a document with the path of every value tracked doubles the parse; a reader cannot be
//! read twice. So the streaming path tracks where it is down to the entry, and when an entry fails,
//! its bytes (kept since its start: usually a part of one block) are parsed again with the tracker.

use std::cell::{Cell, RefCell};
use std::io::{self, Read};
use std::rc::Rc;

/// Bytes read from the inner reader at a time.
const BLOCK: usize = 64 * 1024;

/// What the tape shares with whoever reads through it.
#[derive(Debug, Default)]
pub(super) struct Marks {
    /// The position of the next byte in the block.
    pos: Cell<usize>,
    /// Where the bytes being kept start in the block, if any are.
    mark: Cell<Option<usize>>,
    /// Bytes kept from earlier blocks.
    kept: RefCell<Vec<u8>>,
    /// The document's size, once it is known to be past the limit.
    too_large: Cell<Option<u64>>,
    /// Where the mark is in the document: its line (from 1) and the bytes before it on its line,
    /// set when its block is left or the tape dropped.
    mark_position: Cell<Option<(usize, usize)>>,
}

impl Marks {
    /// Keeps every byte from the next one on, forgetting those kept before.
    pub(super) fn mark(&self) {
        self.kept.borrow_mut().clear();
        self.mark.set(Some(self.pos.get()));
        self.mark_position.set(None);
    }

    /// Keeps nothing more.
    pub(super) fn unmark(&self) {
        self.mark.set(None);
        self.kept.borrow_mut().clear();
    }

    /// The bytes kept since the mark, once the tape is dropped.
    pub(super) fn take_kept(&self) -> Vec<u8> {
        std::mem::take(&mut *self.kept.borrow_mut())
    }

    /// The line (from 1) of the mark, and the bytes before it on its line, once the tape is dropped.
    pub(super) fn mark_position(&self) -> Option<(usize, usize)> {
        self.mark_position.get()
    }

    /// The document's size, if it is past the limit.
    pub(super) fn too_large(&self) -> Option<u64> {
        self.too_large.get()
    }
}

/// The reader: `Read` one byte at a time (as serde_json reads) out of blocks of the inner reader.
pub(super) struct Tape<R> {
    inner: R,
    block: Box<[u8]>,
    filled: usize,
    read: u64,
    limit: u64,
    marks: Rc<Marks>,
    /// Lines before the block, and the offset (in the document) where the last of them starts.
    lines: usize,
    line_start: u64,
}

impl<R: Read> Tape<R> {
    pub(super) fn new(inner: R, limit: u64) -> (Tape<R>, Rc<Marks>) {
        let marks = Rc::new(Marks::default());
        let tape = Tape {
            inner,
            block: vec![0; BLOCK].into_boxed_slice(),
            filled: 0,
            read: 0,
            limit,
            marks: Rc::clone(&marks),
            lines: 1,
            line_start: 0,
        };
        (tape, marks)
    }

    fn refill(&mut self) -> io::Result<()> {
        self.keep_block(self.filled);
        if self.marks.mark.get().is_some() {
            self.marks.mark.set(Some(0));
        }
        let block = self.block.get(..self.filled).unwrap_or(&[]);
        if let (count, Some(last)) = newlines(block) {
            self.lines += count;
            self.line_start = self.read - self.filled as u64 + last as u64 + 1;
        }
        self.marks.pos.set(0);
        self.filled = 0;
        let n = loop {
            match self.inner.read(&mut self.block) {
                Ok(n) => break n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        };
        self.filled = n;
        self.read += n as u64;
        if self.read > self.limit {
            // Past the limit: count the rest, to say how large the document is.
            let rest = io::copy(&mut self.inner, &mut io::sink())?;
            self.marks.too_large.set(Some(self.read + rest));
            self.filled = 0;
            return Err(io::Error::other("the document is past the size limit"));
        }
        Ok(())
    }
}

impl<R> Tape<R> {
    /// Keeps the bytes of the current block from the mark up to `upto`, placing the mark in the
    /// document if it is in this block.
    fn keep_block(&mut self, upto: usize) {
        let Some(mark) = self.marks.mark.get() else {
            return;
        };
        if self.marks.mark_position.get().is_none() {
            let before = self.block.get(..mark).unwrap_or(&[]);
            let block_start = self.read - self.filled as u64;
            let position = match newlines(before) {
                (count, Some(last)) => (self.lines + count, mark - (last + 1)),
                (_, None) => (
                    self.lines,
                    usize::try_from(block_start + mark as u64 - self.line_start)
                        .unwrap_or(usize::MAX),
                ),
            };
            self.marks.mark_position.set(Some(position));
        }
        let kept = self.block.get(mark..upto).unwrap_or(&[]);
        self.marks.kept.borrow_mut().extend_from_slice(kept);
    }
}

impl<R: Read> Read for Tape<R> {
    #[inline]
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let mut pos = self.marks.pos.get();
        if pos >= self.filled {
            self.refill()?;
            pos = 0;
        }
        let available = self.block.get(pos..self.filled).unwrap_or(&[]);
        let n = available.len().min(out.len());
        for (to, from) in out.iter_mut().zip(available) {
            *to = *from;
        }
        self.marks.pos.set(pos + n);
        Ok(n)
    }
}

impl<R> Drop for Tape<R> {
    /// Hands over what was kept of the last block: the deserializer that owns the tape is dropped
    /// once it has failed, before its error is located.
    fn drop(&mut self) {
        let upto = self.marks.pos.get().min(self.filled);
        self.keep_block(upto);
        self.marks.mark.set(None);
    }
}

/// How many newlines `bytes` holds, and where the last one is. Catalogs are often one line: a
/// chunk without any is passed over in a few instructions.
fn newlines(bytes: &[u8]) -> (usize, Option<usize>) {
    let (mut count, mut last) = (0, None);
    for (c, chunk) in bytes.chunks(64).enumerate() {
        if chunk.iter().fold(false, |any, &b| any | (b == b'\n')) {
            for (i, &b) in chunk.iter().enumerate() {
                if b == b'\n' {
                    count += 1;
                    last = Some(c * 64 + i);
                }
            }
        }
    }
    (count, last)
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
        marks.mark();
        for _ in 0..(BLOCK + 20) {
            tape.read_exact(&mut byte).unwrap();
        }
        drop(tape);
        assert_eq!(marks.take_kept(), text[10..BLOCK + 30].to_vec());
        // Bytes 10, 261, 512, ... are 10: newlines.
        assert_eq!(marks.mark_position(), Some((1, 10)));
    }

    #[test]
    fn refuses_past_the_limit_and_counts_the_whole() {
        let text = vec![b' '; 3 * BLOCK + 5];
        let (mut tape, marks) = Tape::new(text.as_slice(), 2 * BLOCK as u64);
        let mut all = Vec::new();
        assert!(tape.read_to_end(&mut all).is_err());
        assert_eq!(marks.too_large(), Some(3 * BLOCK as u64 + 5));
    }
}
