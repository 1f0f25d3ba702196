//! Validation of a stream of JSON Lines. The reading thread only reads blocks of whole lines and
//! splits them at newlines; parsing, validation and the cross-channel rule's extract of each rendering
//! happen on the workers (feature `parallel`), and each rendering is dropped where it was parsed.
//! Findings keep input order. Memory grows with the catalog and the findings, not with the number
//! of renderings; the cross-channel rule keeps only the prices shown by uniform channels.

use std::io::BufRead;

use super::cross::Sightings;
use super::{CrossChannel, Finding, Report, Validator};
use crate::catalog::ProductKey;
use crate::rendering::{LineReader, ReadError};

/// Bytes read at once: a block of whole lines.
#[cfg(not(test))]
const BLOCK: usize = 4 << 20;
/// Small blocks in unit tests, so that a few renderings span many blocks.
#[cfg(test)]
const BLOCK: usize = 1 << 10;

/// What one line gives: nothing (blank), or its findings, claims and prices for the cross rule.
type Checked = Result<Option<(Vec<Finding>, usize, Sightings)>, ReadError>;

impl Validator<'_> {
    /// Validates JSON Lines from `reader`, holding one block of lines at a time. Same report as
    /// [`Validator::validate_all`].
    ///
    /// With the feature `parallel`, the work is spread over the rayon pool the caller runs in: the
    /// global pool, or the caller's own (`pool.install(|| validator.validate_lines(input))`); a pool
    /// of one thread validates on it alone. Without the feature, on the caller's thread.
    ///
    /// ```
    /// let catalog = unisono::Catalog::from_json(include_str!("../../examples/data/catalog.json"))?;
    /// let validator = unisono::Validator::new(&catalog, &unisono::Policy::default());
    /// let lines = r#"{"id": "a", "channel": "web-it", "sku": "LAPTOP-14", "shown": {"at": "2026-11-28T10:00:00+01:00"}, "claims": [{"price": "719.20 EUR"}]}
    /// {"id": "b", "channel": "email-it", "sku": "LAPTOP-14", "shown": {"at": "2026-11-28T10:00:00+01:00"}, "claims": [{"price": "729.00 EUR"}]}"#;
    /// let report = validator.validate_lines(lines.as_bytes())?;
    /// assert_eq!((report.summary.renderings, report.summary.errors), (2, 2));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// The first [`ReadError`] in input order: a line that is not a rendering, not UTF-8, or that
    /// cannot be read.
    pub fn validate_lines<R: BufRead>(&self, reader: R) -> Result<Report, ReadError> {
        let workers = Workers::current();
        let mut cross = CrossChannel::new(self);
        let mut findings = Vec::new();
        let (mut renderings, mut claims) = (0_usize, 0_usize);
        // Folds one block's outcomes into the report, in input order.
        let mut merge = |checked: Vec<Checked>| -> Result<(), ReadError> {
            for outcome in checked {
                let Some((found, claim_count, sightings)) = outcome? else {
                    continue;
                };
                findings.extend(found);
                claims += claim_count;
                cross.insert(sightings);
                renderings += 1;
            }
            Ok(())
        };
        let mut blocks = Blocks::new(reader);
        let mut positions = 0_usize;
        // This thread merges the block before and reads the next one meanwhile: neither holds the
        // workers up.
        let mut pending: Vec<Checked> = Vec::new();
        let mut next = blocks.next_block()?;
        while let Some(block) = next.take() {
            let lines = numbered_lines(&block, blocks.lines_before, positions);
            blocks.lines_before += lines.len();
            positions += lines.iter().filter(|l| l.position.is_some()).count();
            let previous = std::mem::take(&mut pending);
            let (checked, (merged, read)) = workers.overlap(
                || self.check_block(&workers, &lines),
                || (merge(previous), blocks.next_block()),
            );
            merged?;
            pending = checked;
            drop(lines);
            blocks.recycle(block);
            // A line that does not parse in this block comes before a failure to read the next.
            next = match read {
                Ok(next) => next,
                Err(e) => {
                    merge(pending)?;
                    return Err(e);
                }
            };
        }
        merge(pending)?;
        findings.extend(cross.finish());
        Ok(Report::new(renderings, claims, findings))
    }
}

impl Validator<'_> {
    /// Parses and checks the lines of a block in the order of their products, so that neighbours
    /// in the catalog are checked one after the other while their data is in cache (a block holds
    /// thousands of renderings; the catalog is far bigger than the CPU's cache). Each line is
    /// parsed just before it is checked, so the rendering's own memory stays in cache too. The
    /// outcomes come back in input order.
    fn check_block(&self, workers: &Workers, lines: &[Line<'_>]) -> Vec<Checked> {
        // The SKU is found by a glance at the raw line, only to order the work: the check reads
        // the parsed rendering, and a glance that sees wrong only costs locality.
        let glances = workers.map(lines, |line| {
            line.position?;
            // The text is checked to be UTF-8 once, here, for the glance and the parse both.
            let text = line.text().ok();
            let product = text
                .and_then(crate::read::glance::sku_at_a_glance)
                .and_then(|sku| Some((sku, self.catalog.product_key(sku)?)));
            Some(Glance { text, product })
        });
        // Product key above line index (a block holds far fewer than 2^32 lines), sorted by the
        // key: unknown products last, and lines of one product in input order, so the order is
        // the same on every run.
        let mut order: Vec<u64> = glances
            .iter()
            .enumerate()
            .filter_map(|(i, glance)| {
                let key = glance.as_ref()?.product.map_or(u32::MAX, |(_, p)| p.0);
                Some(u64::from(key) << 32 | u64::try_from(i).ok()?)
            })
            .collect();
        sort_by_high_half(&mut order);
        let outcomes = workers.map_init(&order, LineReader::default, |reader, at, &k| {
            self.touch_ahead(&order, lines, at);
            // The low half is the line's index.
            let i = (k & u64::from(u32::MAX)) as usize;
            let Some(Some(glance)) = glances.get(i) else {
                return (i, Ok(None));
            };
            let Some(line) = lines.get(i) else {
                return (i, Ok(None));
            };
            let Some(position) = line.position else {
                return (i, Ok(None));
            };
            let parsed = match glance.text {
                Some(text) => reader.parse(text, line.number),
                None => line.text().and_then(|text| reader.parse(text, line.number)),
            };
            let checked = parsed.map(|rendering| {
                // The glance stands when the parsed SKU is the one it saw (both in cache).
                let product = match (glance.product, &rendering.sku) {
                    (Some((seen, key)), Some(sku)) if seen == sku => Some(key),
                    _ => self.product_of(rendering),
                };
                let (found, sightings) = self.validate_with_sightings(rendering, position, product);
                Some((found, rendering.claims.len(), sightings))
            });
            (i, checked)
        });
        let mut checked: Vec<Checked> = lines.iter().map(|_| Ok(None)).collect();
        for (i, outcome) in outcomes {
            if let Some(slot) = checked.get_mut(i) {
                *slot = outcome;
            }
        }
        checked
    }
}

/// Sorts `keys` by their high 32 bits, stably: a least-significant-digit radix sort, 11 bits at a
/// time, skipping a digit all keys share. A few passes over a block's keys instead of a comparison
/// sort's many (which cost as much as the rest of the block's bookkeeping together).
fn sort_by_high_half(keys: &mut Vec<u64>) {
    const BITS: u32 = 11;
    const MASK: u64 = (1 << BITS) - 1;
    let mut sorted = vec![0_u64; keys.len()];
    let mut shift = 32;
    while shift < 64 {
        // The digit fits the mask: the cast cannot truncate.
        let digit = |k: u64| ((k >> shift) & MASK) as usize;
        let mut starts = [0_usize; 1 << BITS];
        for &k in keys.iter() {
            if let Some(count) = starts.get_mut(digit(k)) {
                *count += 1;
            }
        }
        if !starts.contains(&keys.len()) {
            let mut total = 0;
            for start in &mut starts {
                (*start, total) = (total, total + *start);
            }
            for &k in keys.iter() {
                if let Some(start) = starts.get_mut(digit(k)) {
                    if let Some(slot) = sorted.get_mut(*start) {
                        *slot = k;
                    }
                    *start += 1;
                }
            }
            std::mem::swap(keys, &mut sorted);
        }
        shift += BITS;
    }
}

/// How many renderings ahead of the one checked [`Validator::touch_ahead`] reads the catalog's
/// records (the product's, then those they point to) and the line.
const AHEAD: [usize; 2] = [8, 4];

impl Validator<'_> {
    /// Reads ahead, in the order of the checks, what the checks to come will read: a product's
    /// records [`AHEAD`] renderings ahead, the records they point to and the line a few less ahead,
    /// so that the memory is on its way while this rendering is checked.
    fn touch_ahead(&self, order: &[u64], lines: &[Line<'_>], at: usize) {
        let key = |k: &u64| (k >> 32) as u32;
        let line = |k: &u64| (k & u64::from(u32::MAX)) as usize;
        let mut sum = 0_u64;
        for (level, ahead) in AHEAD.iter().enumerate() {
            if let Some(k) = order.get(at + ahead) {
                if key(k) != u32::MAX {
                    sum = sum.wrapping_add(self.catalog.touch(ProductKey(key(k)), level as u8));
                }
                if level == 1 {
                    let bytes = lines.get(line(k)).map_or(&[][..], |l| l.bytes);
                    let sampled = bytes
                        .iter()
                        .step_by(64)
                        .take(16)
                        .fold(0, |s, &b| s + u64::from(b));
                    sum = sum.wrapping_add(sampled);
                }
            }
        }
        std::hint::black_box(sum);
    }
}

/// What a glance at a line saw: its text, when it is UTF-8, and its SKU and the SKU's product.
struct Glance<'b> {
    text: Option<&'b str>,
    product: Option<(&'b str, ProductKey)>,
}

/// Parses JSON Lines from `reader` block by block, on the current rayon pool, as
/// [`Validator::validate_lines`] does, and counts the renderings: the floor of validation, which
/// cannot be cheaper than reading its input. A benchmark device (`unisono parse`, benches), not
/// part of the API.
///
/// ```
/// let lines = "{\"id\": \"a\", \"channel\": \"web-it\", \"sku\": \"X\", \"shown\": {\"at\": \"2026-11-28T10:00:00Z\"}}\n\n";
/// assert_eq!(unisono::validate::parse_lines(lines.as_bytes())?, 1);
/// # Ok::<(), unisono::rendering::ReadError>(())
/// ```
///
/// # Errors
/// The first [`ReadError`] in input order.
#[doc(hidden)]
pub fn parse_lines<R: BufRead>(reader: R) -> Result<usize, ReadError> {
    let workers = Workers::current();
    let mut blocks = Blocks::new(reader);
    let mut count = 0_usize;
    // The next block is read while this one is parsed, as `validate_lines` does.
    let mut next = blocks.next_block()?;
    while let Some(block) = next.take() {
        let lines = numbered_lines(&block, blocks.lines_before, count);
        blocks.lines_before += lines.len();
        let (parsed, read) = workers.overlap(
            || {
                workers.map_init(&lines, LineReader::default, |reader, _, line| {
                    match line.position {
                        None => Ok(false),
                        Some(_) => line
                            .text()
                            .and_then(|text| reader.parse(text, line.number))
                            .map(|_| true),
                    }
                })
            },
            || blocks.next_block(),
        );
        for outcome in parsed {
            count += usize::from(outcome?);
        }
        drop(lines);
        blocks.recycle(block);
        next = read?;
    }
    Ok(count)
}

/// One line of a block: its 1-based number, its bytes, and its position among the renderings
/// (`None` for a blank line).
struct Line<'b> {
    number: usize,
    bytes: &'b [u8],
    position: Option<usize>,
}

impl<'b> Line<'b> {
    fn text(&self) -> Result<&'b str, ReadError> {
        std::str::from_utf8(self.bytes).map_err(|e| ReadError {
            line: self.number,
            column: e.valid_up_to() + 1,
            path: ".".to_owned(),
            message: "the line is not UTF-8".to_owned(),
        })
    }
}

/// The lines of a block (ending with a newline, or the end of the input), numbered from
/// `lines_before + 1`, positions from `first_position`.
fn numbered_lines(block: &[u8], lines_before: usize, first_position: usize) -> Vec<Line<'_>> {
    let body = block.strip_suffix(b"\n").unwrap_or(block);
    let mut lines = Vec::with_capacity(block.len() / 128 + 1);
    let mut position = first_position;
    let mut start = 0;
    let ends = memchr::memchr_iter(b'\n', body).chain(std::iter::once(body.len()));
    for (i, end) in ends.enumerate() {
        let bytes = body.get(start..end).unwrap_or_default();
        start = end + 1;
        let bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
        let blank = crate::rendering::is_blank(bytes);
        let this = (!blank).then(|| {
            position += 1;
            position - 1
        });
        lines.push(Line {
            number: lines_before + i + 1,
            bytes,
            position: this,
        });
    }
    lines
}

/// Blocks of whole lines read from a reader.
struct Blocks<R> {
    reader: R,
    carry: Vec<u8>,
    /// A block given back after use, whose memory the next block reuses.
    spare: Option<Vec<u8>>,
    done: bool,
    lines_before: usize,
}

impl<R: BufRead> Blocks<R> {
    fn new(reader: R) -> Blocks<R> {
        Blocks {
            reader,
            carry: Vec::new(),
            spare: None,
            done: false,
            lines_before: 0,
        }
    }

    /// Gives a block back once its lines are no longer needed.
    fn recycle(&mut self, block: Vec<u8>) {
        self.spare = Some(block);
    }

    /// The next block: at least [`BLOCK`] bytes up to a newline, or the rest of the input.
    fn next_block(&mut self) -> Result<Option<Vec<u8>>, ReadError> {
        let mut block = self
            .spare
            .take()
            .unwrap_or_else(|| Vec::with_capacity(2 * BLOCK));
        block.clear();
        block.extend_from_slice(&self.carry);
        self.carry.clear();
        let mut scanned = 0;
        loop {
            if self.done {
                return Ok((!block.is_empty()).then_some(block));
            }
            if block.len() >= BLOCK {
                // Cut after the last newline; a line longer than a block makes the block grow.
                if let Some(last) = block
                    .get(scanned..)
                    .and_then(|rest| memchr::memrchr(b'\n', rest))
                {
                    let cut = scanned + last + 1;
                    self.carry
                        .extend_from_slice(block.get(cut..).unwrap_or_default());
                    block.truncate(cut);
                    return Ok(Some(block));
                }
                scanned = block.len();
            }
            self.done = !self.fill(&mut block)?;
        }
    }

    /// Appends what the reader has buffered to `block`; `false` at the end of the input.
    fn fill(&mut self, block: &mut Vec<u8>) -> Result<bool, ReadError> {
        let buffer = self.reader.fill_buf().map_err(|e| ReadError {
            line: self.lines_before + 1,
            column: 1,
            path: ".".to_owned(),
            message: format!("cannot read the input: {e}"),
        })?;
        let n = buffer.len();
        block.extend_from_slice(buffer);
        self.reader.consume(n);
        Ok(n > 0)
    }
}

/// `f` of each item and its index, in order, on this thread, with one state made by `init`.
fn map_here<T, S, U>(
    items: &[T],
    init: impl Fn() -> S,
    f: impl Fn(&mut S, usize, &T) -> U,
) -> Vec<U> {
    let mut state = init();
    items
        .iter()
        .enumerate()
        .map(|(i, item)| f(&mut state, i, item))
        .collect()
}

/// The threads that parse and validate a chunk: a rayon pool (feature `parallel`), or this thread.
struct Workers {
    /// Whether to spread the work over the current rayon pool (it has more than one thread).
    #[cfg(feature = "parallel")]
    parallel: bool,
}

impl Workers {
    /// Workers of the rayon pool the caller runs in (the global pool outside any).
    #[cfg(feature = "parallel")]
    fn current() -> Workers {
        Workers {
            parallel: rayon::current_num_threads() > 1,
        }
    }

    #[cfg(not(feature = "parallel"))]
    fn current() -> Workers {
        Workers {}
    }

    #[cfg(feature = "parallel")]
    fn map<T: Sync, U: Send>(&self, items: &[T], f: impl Fn(&T) -> U + Sync + Send) -> Vec<U> {
        self.map_init(items, || (), |(), _, item| f(item))
    }

    #[cfg(not(feature = "parallel"))]
    fn map<T, U>(&self, items: &[T], f: impl Fn(&T) -> U) -> Vec<U> {
        self.map_init(items, || (), |(), _, item| f(item))
    }

    /// `f` of each item and its index, in order, with a state made by `init` for each run of
    /// items a thread takes (a reader that keeps its memory from one item to the next).
    #[cfg(feature = "parallel")]
    fn map_init<T: Sync, S, U: Send>(
        &self,
        items: &[T],
        init: impl Fn() -> S + Sync + Send,
        f: impl Fn(&mut S, usize, &T) -> U + Sync + Send,
    ) -> Vec<U> {
        use rayon::prelude::*;
        if self.parallel {
            items
                .par_iter()
                .enumerate()
                .map_init(&init, |state, (i, item)| f(state, i, item))
                .collect()
        } else {
            map_here(items, init, f)
        }
    }

    #[cfg(not(feature = "parallel"))]
    fn map_init<T, S, U>(
        &self,
        items: &[T],
        init: impl Fn() -> S,
        f: impl Fn(&mut S, usize, &T) -> U,
    ) -> Vec<U> {
        map_here(items, init, f)
    }

    /// Runs `background` on the pool while `foreground` runs on this thread (so it needs not be
    /// `Send`: it may hold the reader); one after the other without a pool.
    #[cfg(feature = "parallel")]
    fn overlap<A: Send + Default, B>(
        &self,
        background: impl FnOnce() -> A + Send,
        foreground: impl FnOnce() -> B,
    ) -> (A, B) {
        if self.parallel {
            let mut a = A::default();
            let b = rayon::in_place_scope(|scope| {
                scope.spawn(|_| a = background());
                foreground()
            });
            // The scope returns once the task it spawned has ended: `a` is its result.
            (a, b)
        } else {
            (background(), foreground())
        }
    }

    #[cfg(not(feature = "parallel"))]
    fn overlap<A, B>(
        &self,
        background: impl FnOnce() -> A,
        foreground: impl FnOnce() -> B,
    ) -> (A, B) {
        (background(), foreground())
    }
}

#[cfg(test)]
mod tests {
    use crate::{Catalog, Policy, Rendering, Validator};

    use proptest::prelude::*;

    proptest! {
        /// The radix sort orders as a stable sort by the high half does, whatever the keys.
        #[test]
        fn keys_sort_by_their_high_half_stably(
            keys in proptest::collection::vec(
                prop_oneof![
                    any::<u64>(),
                    (0_u64..4, 0_u64..1000).prop_map(|(high, low)| high << 32 | low),
                    Just(u64::MAX),
                ],
                0..300,
            ),
        ) {
            let mut expected = keys.clone();
            expected.sort_by_key(|k| k >> 32);
            let mut sorted = keys;
            super::sort_by_high_half(&mut sorted);
            prop_assert_eq!(sorted, expected);
        }
    }

    /// Many small blocks, checked while the one before is merged, on one thread and on two: the
    /// same report as validating the whole list, byte for byte, findings in input order.
    #[test]
    fn blocks_merge_in_input_order() {
        let catalog = Catalog::from_json(include_str!("../../examples/data/catalog.json"))
            .expect("the demo catalog compiles");
        let demo: Vec<Rendering> =
            serde_json::from_str(include_str!("../../examples/data/renderings.json"))
                .expect("the demo renderings parse");
        let all: Vec<Rendering> = (0..8)
            .flat_map(|round| {
                demo.iter().map(move |r| Rendering {
                    id: format!("{}#{round}", r.id),
                    ..r.clone()
                })
            })
            .collect();
        let lines: String = all
            .iter()
            .map(|r| serde_json::to_string(r).expect("renderings serialize") + "\n\n")
            .collect();
        assert!(lines.len() > 40 * super::BLOCK, "{} bytes", lines.len());
        let validator = Validator::new(&catalog, &Policy::default());
        let whole = crate::report::json(&validator.validate_all(&all));
        for threads in [1, 2] {
            let streamed = on_threads(threads, || validator.validate_lines(lines.as_bytes()))
                .expect("the lines parse");
            assert_eq!(crate::report::json(&streamed), whole, "{threads} threads");
        }
        // An error in an early block is the one reported, whatever later blocks hold.
        let broken = lines.replacen("\"claims\"", "\"clams\"", 3);
        let err = on_threads(2, || validator.validate_lines(broken.as_bytes()))
            .expect_err("a misspelt field is refused");
        assert_eq!(err.line, 1, "{err}");
    }

    /// `work` on a rayon pool of `threads` threads (on this thread without the feature).
    fn on_threads<T: Send>(threads: usize, work: impl FnOnce() -> T + Send) -> T {
        #[cfg(feature = "parallel")]
        {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .expect("a pool of a few threads builds")
                .install(work)
        }
        #[cfg(not(feature = "parallel"))]
        {
            let _ = threads;
            work()
        }
    }
}
