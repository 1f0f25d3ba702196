//! Compiling while reading: each entry of the document is deserialized, handed to the compiler and
//! dropped, so the document is never held whole, neither as text nor as owned strings.
//!
//! JSON does not order an object's keys. When a section arrives after those it refers to (markets,
//! locations, channels, products, then prices, promotions and stock: the order `unisono gen` and
//! the demo write), its entries are compiled as they are read; one that arrives before them is kept
//! as it was read and compiled at the end. Either way the entries of each section are compiled in
//! section order, so the catalog and the problems are the same.

use std::fmt;
use std::io::Read;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};

use super::tape::{Marks, Source, Tape};
use crate::catalog::compile::{Compiler, Section};
use crate::catalog::document::{
    ChannelEntry, LocationEntry, MarketEntry, Meta, PriceEntry, ProductEntry, PromotionEntry,
    StockSnapshot,
};
use crate::catalog::{Catalog, CatalogError};
use borrowed::{PriceText, ProductText, StockText};
use chunk::{Chunk, Next};

/// The document's keys, in the order of [`super::CatalogDocument`]'s fields (its error messages
/// list them so).
const FIELDS: &[&str] = &[
    "markets",
    "locations",
    "channels",
    "products",
    "prices",
    "promotions",
    "stock",
    "meta",
];

/// Compiles the text of a document.
pub(crate) fn from_str(text: &str) -> Result<Catalog, CatalogError> {
    if text.len() > crate::limits::MAX_DOCUMENT_BYTES {
        return Err(crate::catalog::too_large(text.len()));
    }
    let mut feed = Feed::new(None, None);
    let mut deserializer = serde_json::Deserializer::from_str(text);
    match (&mut feed)
        .deserialize(&mut deserializer)
        .and_then(|()| deserializer.end())
    {
        Ok(()) => feed.finish(),
        // The text is at hand: read it again with the path tracked, as `CatalogDocument` does.
        Err(plain) => Err(crate::catalog::traced_error(text, plain)),
    }
}

/// Compiles a document read from `reader`, of `size_hint` bytes if known.
pub(crate) fn from_reader(
    reader: impl Read,
    size_hint: Option<u64>,
) -> Result<Catalog, CatalogError> {
    let limit = crate::limits::MAX_DOCUMENT_BYTES as u64;
    let (tape, marks) = Tape::new(reader, limit);
    let mut feed = Feed::new(Some(std::rc::Rc::clone(&marks)), size_hint);
    let mut deserializer = serde_json::Deserializer::from_reader(tape);
    let result = (&mut feed)
        .deserialize(&mut deserializer)
        .and_then(|()| deserializer.end());
    drop(deserializer);
    match result {
        Ok(()) => feed.finish(),
        Err(error) => {
            let mut source = marks.borrow_mut();
            if let Some(bytes) = source.too_large() {
                return Err(crate::catalog::too_large(
                    usize::try_from(bytes).unwrap_or(usize::MAX),
                ));
            }
            if error.is_io() {
                return Err(CatalogError::Syntax {
                    path: ".".to_owned(),
                    line: 0,
                    column: 0,
                    message: format!("cannot read the document: {error}"),
                });
            }
            Err(feed.at.error(&error, &mut source, feed.key.as_deref()))
        }
    }
}

/// A section's entry type.
trait Entry: for<'de> Deserialize<'de> + Send + Sized {
    const SECTION: Section;
    /// The entry as read from a reader's buffer, borrowing from it where it can: the entry itself
    /// for all but the largest sections.
    type Read<'a>: FromText<'a>;
    fn add(&self, compiler: &mut Compiler);
    fn add_read(read: &Self::Read<'_>, compiler: &mut Compiler);
    fn owned(read: Self::Read<'_>) -> Self;
    fn kept(kept: &mut Kept) -> &mut Vec<Self>;
}

macro_rules! entry {
    ($type:ty, $section:ident, $add:ident, $field:ident) => {
        impl Entry for $type {
            const SECTION: Section = Section::$section;
            type Read<'a> = $type;
            fn add(&self, compiler: &mut Compiler) {
                compiler.$add(self)
            }
            fn add_read(read: &$type, compiler: &mut Compiler) {
                compiler.$add(read)
            }
            fn owned(read: $type) -> $type {
                read
            }
            fn kept(kept: &mut Kept) -> &mut Vec<Self> {
                &mut kept.$field
            }
        }
    };
    ($type:ty, $read:ident, $section:ident, $add:ident, $field:ident) => {
        impl Entry for $type {
            const SECTION: Section = Section::$section;
            type Read<'a> = $read<'a>;
            fn add(&self, compiler: &mut Compiler) {
                compiler.$add(self.into())
            }
            fn add_read(read: &$read<'_>, compiler: &mut Compiler) {
                compiler.$add(read.fields())
            }
            fn owned(read: $read<'_>) -> $type {
                read.into_entry()
            }
            fn kept(kept: &mut Kept) -> &mut Vec<Self> {
                &mut kept.$field
            }
        }
    };
}

entry!(MarketEntry, Markets, add_market, markets);
entry!(LocationEntry, Locations, add_location, locations);
entry!(ChannelEntry, Channels, add_channel, channels);
entry!(ProductEntry, ProductText, Products, add_product, products);
entry!(PriceEntry, PriceText, Prices, add_price, prices);
entry!(PromotionEntry, Promotions, add_promotion, promotions);
entry!(StockSnapshot, StockText, Stock, add_stock, stock);

/// An entry as read from a reader's buffer: by serde, or first by a reader of its common shape.
trait FromText<'a>: Deserialize<'a> + Send {
    /// The entry at the start of `text` and its length in bytes, if a reader cheaper than
    /// serde's reads it, to the value serde would read in those bytes (which the scanner would
    /// find to be the entry's); `None` leaves it to serde.
    fn fast(text: &'a str) -> Option<(Self, usize)> {
        let _ = text;
        None
    }
}

impl FromText<'_> for MarketEntry {}
impl FromText<'_> for LocationEntry {}
impl FromText<'_> for ChannelEntry {}
impl FromText<'_> for PromotionEntry {}

/// Entries read before the sections they refer to were complete, in document order.
#[derive(Default)]
struct Kept {
    markets: Vec<MarketEntry>,
    locations: Vec<LocationEntry>,
    channels: Vec<ChannelEntry>,
    products: Vec<ProductEntry>,
    prices: Vec<PriceEntry>,
    promotions: Vec<PromotionEntry>,
    stock: Vec<StockSnapshot>,
}

/// The compiler, and what the reading needs around it.
struct Feed<'r> {
    compiler: Compiler,
    /// Sections read and compiled to the end.
    complete: [bool; 7],
    /// Sections seen (a key given twice is refused).
    seen: [bool; 8],
    kept: Kept,
    /// Where the reading is, to say where it failed.
    at: At,
    /// The last top-level key read, when it is not one of the document's.
    key: Option<String>,
    marks: Option<Marks<'r>>,
    /// The document's expected size in bytes, to size the compiler by.
    size_hint: Option<u64>,
}

/// Where a reading is, to give an error its path as `serde_path_to_error` would.
#[derive(Debug, Clone, Copy)]
enum At {
    /// The document itself, or between a key and its value.
    Document,
    /// Reading a top-level key.
    Key,
    /// In a section's value: before its list (`None`), or before entry `k` of it.
    Section(Place, Option<usize>),
    /// In an entry.
    Entry(Place, Section, usize),
    /// In the document's `meta`.
    Meta(Option<usize>),
}

/// A top-level value: by key, or (a document written as an array) by position.
#[derive(Debug, Clone, Copy)]
struct Place {
    section: Section,
    position: Option<usize>,
}

impl Place {
    fn path(self) -> String {
        match self.position {
            Some(k) => format!("[{k}]"),
            None => self.section.name().to_owned(),
        }
    }
}

impl At {
    /// The error met here, with its path. `kept`: the bytes read since the mark of this place
    /// (the start of an entry, of a section's value, of `meta`).
    ///
    /// Where the bytes were kept, they are read again at the depth and after the syntax they had
    /// in the document, with the path tracked: that gives the path inside the value, and the
    /// position as the document's text would give it. Elsewhere (the document's own braces, keys
    /// and commas) the position is the reader's, which serde_json may place one byte later than
    /// in text: it counts a byte it has only peeked at.
    fn error(
        self,
        error: &serde_json::Error,
        marks: &mut Source<'_>,
        key: Option<&str>,
    ) -> CatalogError {
        let kept = marks.take_kept();
        let kept = kept.as_slice();
        let mark = marks.mark_position();
        let again = match self {
            At::Document | At::Key => None,
            At::Section(_, None) => again::<Vec<de::IgnoredAny>>(b"{\"x\":", kept, true),
            At::Section(_, Some(0)) => again::<Vec<de::IgnoredAny>>(b"{\"x\":[", kept, true),
            At::Section(_, Some(_)) => again::<Vec<de::IgnoredAny>>(b"{\"x\":[0", kept, true),
            At::Entry(_, section, index) => {
                // After the first entry, the kept bytes start with the comma that separates it
                // from the one before; before the first, a comma is the error itself. (A
                // section's value or `meta` may follow a comma in the document's array form.)
                let comma = index > 0;
                match section {
                    Section::Markets => again::<(MarketEntry,)>(b"{\"x\":[", kept, comma),
                    Section::Locations => again::<(LocationEntry,)>(b"{\"x\":[", kept, comma),
                    Section::Channels => again::<(ChannelEntry,)>(b"{\"x\":[", kept, comma),
                    Section::Products => again::<(ProductEntry,)>(b"{\"x\":[", kept, comma),
                    Section::Prices => again::<(PriceEntry,)>(b"{\"x\":[", kept, comma),
                    Section::Promotions => again::<(PromotionEntry,)>(b"{\"x\":[", kept, comma),
                    Section::Stock => again::<(StockSnapshot,)>(b"{\"x\":[", kept, comma),
                }
            }
            At::Meta(_) => again::<Option<Meta>>(b"{\"x\":", kept, true),
        };
        // Met again only if it is the same error.
        let again = again.filter(|a| a.message == message_of(error));
        let inner = again.as_ref().map_or("", |a| a.path.as_str());
        let path = match self {
            At::Document => ".".to_owned(),
            At::Key => key.map_or_else(|| "?".to_owned(), str::to_owned),
            At::Section(place, _) => place.path(),
            At::Entry(place, _, index) => {
                let inner = inner.strip_prefix("[0]").unwrap_or_default();
                format!("{}[{index}]{inner}", place.path())
            }
            At::Meta(Some(k)) => format!("[{k}]{inner}"),
            At::Meta(None) => format!("meta{inner}"),
        };
        let mut located = CatalogError::at_path(path, error);
        if let CatalogError::Syntax { line, column, .. } = &mut located {
            if let (Some(again), Some(mark)) = (again, mark) {
                (*line, *column) = again.position_in_document(mark);
            } else if *line != 0 {
                // serde_json counted only the bytes it read.
                (*line, *column) = marks.in_document((*line, *column));
            }
        }
        located
    }
}

/// An error met again in kept bytes.
struct Again {
    message: String,
    /// Its path inside the value read again (`.sku`, `[0].sku`; empty for the value itself).
    path: String,
    /// The text read again: the prefix, then the kept bytes.
    text: Vec<u8>,
    /// Where the error is in `text`, and where the kept bytes start.
    offset: usize,
    kept_from: usize,
}

impl Again {
    /// The error's line and column in the document, from where the kept bytes start in it (line
    /// from 1, bytes before it on its line), counted as serde_json counts them in text.
    fn position_in_document(&self, (mark_line, mark_column): (usize, usize)) -> (usize, usize) {
        let kept = self.text.get(self.kept_from..self.offset).unwrap_or(&[]);
        match kept.iter().rposition(|&b| b == b'\n') {
            None => (mark_line, mark_column + kept.len()),
            Some(last) => (
                mark_line + kept.iter().filter(|&&b| b == b'\n').count(),
                kept.len() - (last + 1),
            ),
        }
    }
}

/// An error's message without its position.
fn message_of(error: &serde_json::Error) -> String {
    let mut message = error.to_string();
    if let Some(cut) = message.rfind(" at line ") {
        message.truncate(cut);
    }
    message
}

/// Reads `prefix` then `kept` as `{"x": T}` with the path tracked, if that fails. With
/// `separated`, a comma before the kept value (the separator kept from before an array's
/// element) is read as a space, lines and columns unchanged.
fn again<T: for<'de> Deserialize<'de>>(
    prefix: &[u8],
    kept: &[u8],
    separated: bool,
) -> Option<Again> {
    #[derive(Deserialize)]
    struct Probe<T> {
        #[allow(dead_code)]
        x: T,
    }
    let mut text = prefix.to_vec();
    text.extend_from_slice(kept);
    if separated
        && let Some(first) = text
            .iter_mut()
            .skip(prefix.len())
            .find(|b| !matches!(b, b' ' | b'\n' | b'\r' | b'\t'))
        && *first == b','
    {
        *first = b' ';
    }
    let mut deserializer = serde_json::Deserializer::from_slice(&text);
    let error = serde_path_to_error::deserialize::<_, Probe<T>>(&mut deserializer).err()?;
    let path = error.path().to_string();
    let inner = error.inner();
    let (line, column) = (inner.line(), inner.column());
    // The offset of (line, column) in the text, counted as serde_json counts them.
    let line_start = if line <= 1 {
        0
    } else {
        text.iter()
            .enumerate()
            .filter(|(_, b)| **b == b'\n')
            .nth(line - 2)
            .map(|(i, _)| i + 1)?
    };
    let offset = line_start + column;
    if offset < prefix.len() || offset > text.len() {
        return None;
    }
    Some(Again {
        message: message_of(inner),
        path: path.strip_prefix('x').unwrap_or_default().to_owned(),
        text,
        offset,
        kept_from: prefix.len(),
    })
}

impl<'r> Feed<'r> {
    fn new(marks: Option<Marks<'r>>, size_hint: Option<u64>) -> Feed<'r> {
        Feed {
            compiler: Compiler::default(),
            complete: [false; 7],
            seen: [false; 8],
            kept: Kept::default(),
            at: At::Document,
            key: None,
            marks,
            size_hint,
        }
    }

    /// Whether entries of `section` can be compiled as they are read.
    fn ready(&self, section: Section) -> bool {
        section
            .needs()
            .iter()
            .all(|s| self.complete.get(*s as usize).copied().unwrap_or(false))
    }

    fn mark(&self) {
        if let Some(marks) = &self.marks {
            marks.borrow_mut().mark();
        }
    }

    fn unmark(&self) {
        if let Some(marks) = &self.marks {
            marks.borrow_mut().unmark();
        }
    }

    /// Compiles what was kept, in section order, and finishes.
    fn finish(mut self) -> Result<Catalog, CatalogError> {
        let kept = std::mem::take(&mut self.kept);
        kept.markets
            .iter()
            .for_each(|e| self.compiler.add_market(e));
        kept.locations
            .iter()
            .for_each(|e| self.compiler.add_location(e));
        kept.channels
            .iter()
            .for_each(|e| self.compiler.add_channel(e));
        kept.products
            .iter()
            .for_each(|e| self.compiler.add_product(e.into()));
        kept.prices
            .iter()
            .for_each(|e| self.compiler.add_price(e.into()));
        kept.promotions
            .iter()
            .for_each(|e| self.compiler.add_promotion(e));
        kept.stock
            .iter()
            .for_each(|e| self.compiler.add_stock(e.into()));
        self.compiler.finish()
    }

    /// Reads one section's list at `place`.
    fn section<'de, T: Entry, D: de::Deserializer<'de>>(
        &mut self,
        place: Place,
        deserializer: D,
    ) -> Result<(), D::Error> {
        self.at = At::Section(place, None);
        if place.position.is_none() {
            self.mark();
        }
        deserializer.deserialize_seq(SectionVisitor::<T> {
            feed: self,
            place,
            entry: std::marker::PhantomData,
        })?;
        let ready = self.ready(T::SECTION);
        if let Some(complete) = self.complete.get_mut(T::SECTION as usize) {
            *complete = ready;
        }
        Ok(())
    }

    /// Compiles an entry, or keeps it for the end.
    fn take<T: Entry>(&mut self, entry: T, ready: bool) {
        if ready {
            entry.add(&mut self.compiler);
        } else {
            T::kept(&mut self.kept).push(entry);
        }
    }

    /// Takes the entries that follow from the reader's buffer, parsed from slices, up to the end
    /// of the list or the first one that fails to parse: serde_json reads on from there (and
    /// fails on it as it would have).
    ///
    /// A chunk at a time: while the compiler takes one, the next is read in pieces (see
    /// [`chunk`]) and the one before dropped on other threads, so that the compiler, which is one
    /// thread, waits for neither. Entries borrow from the buffer's block: a refill reads into another block.
    fn entries<T: Entry>(&mut self, index: &mut usize, ready: bool) {
        let Some(marks) = self.marks.clone() else {
            return;
        };
        let mut estimated = !ready;
        let mut source = marks.borrow_mut();
        // A reader's error is met again by serde_json, which reports it.
        let mut follow = source.entries_follow();
        while let Ok(true) = follow {
            let block = source.block();
            let window = block.get(..source.window().len()).unwrap_or(&[]);
            let mut at = source.position();
            let mut parsed: Vec<T::Read<'_>> = Vec::new();
            let mut compiled: Vec<T::Read<'_>> = Vec::new();
            let next = loop {
                let (compiler, kept) = (&mut self.compiler, &mut self.kept);
                let (to_compile, to_drop) = (std::mem::take(&mut parsed), compiled);
                let (chunk, done) = both(
                    || Chunk::<T::Read<'_>>::read(window, at, to_drop),
                    || compile::<T>(compiler, kept, to_compile, ready),
                );
                compiled = done;
                *index += chunk.entries.len();
                if let Some(span) = &chunk.span {
                    at = span.end;
                    if !estimated {
                        estimated = true;
                        self.reserve::<T>(&source, span, chunk.entries.len());
                    }
                }
                parsed = chunk.entries;
                if !matches!(chunk.next, Next::More) {
                    break chunk.next;
                }
            };
            source.consume(at);
            if matches!(next, Next::Stop) {
                drop(compiled);
                compile::<T>(&mut self.compiler, &mut self.kept, parsed, ready);
                return;
            }
            // The buffer is refilled while the last chunk read from it is compiled.
            let (compiler, kept) = (&mut self.compiler, &mut self.kept);
            (follow, _) = beside(
                || {
                    drop(compiled);
                    source.entries_follow()
                },
                || compile::<T>(compiler, kept, parsed, ready),
            );
        }
    }

    /// Sizes the compiler for a section from its first chunk (`count` entries over `span` of the
    /// window) and the document's expected size: as if the rest of the document were entries of
    /// the same size. Memory reserved and never written costs address space only.
    fn reserve<T: Entry>(
        &mut self,
        source: &Source<'_>,
        span: &std::ops::Range<usize>,
        count: usize,
    ) {
        let (Some(size), Ok(count)) = (self.size_hint, u64::try_from(count)) else {
            return;
        };
        let bytes = u64::try_from(span.len()).unwrap_or(u64::MAX);
        let rest = size.saturating_sub(source.offset_of(span.start));
        let entries = rest.saturating_mul(count) / bytes.max(1);
        let entries = usize::try_from(entries).unwrap_or(usize::MAX);
        self.compiler
            .reserve(T::SECTION, entries.min(crate::limits::MAX_ENTRIES));
    }

    /// Reads the document's `meta`: checked, not kept (the compiled catalog has no use for it).
    fn meta<'de, D: de::Deserializer<'de>>(
        &mut self,
        position: Option<usize>,
        deserializer: D,
    ) -> Result<(), D::Error> {
        self.at = At::Meta(position);
        if position.is_none() {
            self.mark();
        }
        Option::<Meta>::deserialize(deserializer)?;
        self.unmark();
        Ok(())
    }
}

/// The whole document.
impl<'de> DeserializeSeed<'de> for &mut Feed<'_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_struct("CatalogDocument", FIELDS, DocumentVisitor(self))
    }
}

struct DocumentVisitor<'f, 'r>(&'f mut Feed<'r>);

/// One value of the document, by its field: `Some(section)`, or `None` for `meta`.
fn field_value<'de, D: de::Deserializer<'de>>(
    feed: &mut Feed<'_>,
    field: Option<Section>,
    position: Option<usize>,
    deserializer: D,
) -> Result<(), D::Error> {
    let Some(section) = field else {
        return feed.meta(position, deserializer);
    };
    let place = Place { section, position };
    match section {
        Section::Markets => feed.section::<MarketEntry, D>(place, deserializer),
        Section::Locations => feed.section::<LocationEntry, D>(place, deserializer),
        Section::Channels => feed.section::<ChannelEntry, D>(place, deserializer),
        Section::Products => feed.section::<ProductEntry, D>(place, deserializer),
        Section::Prices => feed.section::<PriceEntry, D>(place, deserializer),
        Section::Promotions => feed.section::<PromotionEntry, D>(place, deserializer),
        Section::Stock => feed.section::<StockSnapshot, D>(place, deserializer),
    }
}

/// Reads a value with `field_value`, as a seed.
struct FieldSeed<'f, 'r> {
    feed: &'f mut Feed<'r>,
    field: Option<Section>,
    position: Option<usize>,
}

impl<'de> DeserializeSeed<'de> for FieldSeed<'_, '_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        field_value(self.feed, self.field, self.position, deserializer)
    }
}

impl<'de> Visitor<'de> for DocumentVisitor<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("struct CatalogDocument")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let feed = self.0;
        loop {
            feed.at = At::Key;
            let Some(field) = map.next_key_seed(KeySeed(&mut feed.key))? else {
                break;
            };
            feed.at = At::Document;
            let slot = field.map_or(7, |s| s as usize);
            if feed.seen.get(slot).copied().unwrap_or(false) {
                let name = FIELDS.get(slot).copied().unwrap_or("meta");
                return Err(de::Error::duplicate_field(name));
            }
            if let Some(seen) = feed.seen.get_mut(slot) {
                *seen = true;
            }
            map.next_value_seed(FieldSeed {
                feed: &mut *feed,
                field,
                position: None,
            })?;
        }
        feed.at = At::Document;
        Ok(())
    }

    /// A document written as an array of its fields in order, as serde accepts for a struct.
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let feed = self.0;
        let fields = Section::ALL.iter().map(|s| Some(*s)).chain([None]);
        for (position, field) in fields.enumerate() {
            feed.at = At::Document;
            // serde_json peeks at an element before handing it over: mark before.
            feed.mark();
            let seed = FieldSeed {
                feed: &mut *feed,
                field,
                position: Some(position),
            };
            if seq.next_element_seed(seed)?.is_none() {
                break;
            }
        }
        feed.at = At::Document;
        Ok(())
    }
}

/// A top-level key: a section, `meta` (`None`), or an error naming the fields. Keeps the text of a
/// key it refuses, for the error's path.
struct KeySeed<'k>(&'k mut Option<String>);

impl<'de> DeserializeSeed<'de> for KeySeed<'_> {
    type Value = Option<Section>;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Option<Section>, D::Error> {
        d.deserialize_identifier(self)
    }
}

impl<'de> Visitor<'de> for KeySeed<'_> {
    type Value = Option<Section>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("field identifier")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Option<Section>, E> {
        if key == "meta" {
            return Ok(None);
        }
        match Section::ALL.iter().find(|s| s.name() == key) {
            Some(section) => Ok(Some(*section)),
            None => {
                *self.0 = Some(key.to_owned());
                Err(de::Error::unknown_field(key, FIELDS))
            }
        }
    }
}

/// One section's list: each entry compiled as it is read, or kept for the end.
struct SectionVisitor<'f, 'r, T> {
    feed: &'f mut Feed<'r>,
    place: Place,
    entry: std::marker::PhantomData<T>,
}

impl<'de, T: Entry> Visitor<'de> for SectionVisitor<'_, '_, T> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a sequence")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let feed = self.feed;
        let ready = feed.ready(T::SECTION);
        let mut index = 0;
        loop {
            feed.at = At::Section(self.place, Some(index));
            feed.mark();
            let seed = EntrySeed::<T> {
                at: &mut feed.at,
                now: At::Entry(self.place, T::SECTION, index),
                entry: std::marker::PhantomData,
            };
            let Some(entry) = seq.next_element_seed(seed)? else {
                break;
            };
            feed.take(entry, ready);
            index += 1;
            // serde_json has read a whole entry and peeks at nothing: the entries after it can be
            // taken from the buffer.
            feed.entries::<T>(&mut index, ready);
        }
        feed.unmark();
        Ok(())
    }
}

/// Compiles `entries`, or keeps them for the end; hands back what is left to drop.
fn compile<'a, T: Entry>(
    compiler: &mut Compiler,
    kept: &mut Kept,
    mut entries: Vec<T::Read<'a>>,
    ready: bool,
) -> Vec<T::Read<'a>> {
    if ready {
        entries
            .iter()
            .for_each(|entry| T::add_read(entry, compiler));
    } else {
        T::kept(kept).extend(entries.drain(..).map(T::owned));
    }
    entries
}

/// Runs `a` and `b`, on two threads.
#[cfg(feature = "parallel")]
fn both<A: Send, B: Send>(a: impl FnOnce() -> A + Send, b: impl FnOnce() -> B + Send) -> (A, B) {
    rayon::join(a, b)
}

/// Runs `here` on this thread and `there` on another, at once.
#[cfg(feature = "parallel")]
fn beside<A, B: Send>(here: impl FnOnce() -> A, there: impl FnOnce() -> B + Send) -> (A, B) {
    let mut slot = None;
    let here = rayon::in_place_scope(|scope| {
        scope.spawn(|_| slot = Some(there()));
        here()
    });
    match slot {
        Some(there) => (here, there),
        // The scope has ended, and with it `there`: it returned or its panic was resumed.
        None => unreachable!("a scope waits for what it spawns"),
    }
}

/// Runs `here`, then `there`.
#[cfg(not(feature = "parallel"))]
fn beside<A, B>(here: impl FnOnce() -> A, there: impl FnOnce() -> B) -> (A, B) {
    (here(), there())
}

/// Runs `a` and `b`.
#[cfg(not(feature = "parallel"))]
fn both<A, B>(a: impl FnOnce() -> A, b: impl FnOnce() -> B) -> (A, B) {
    (a(), b())
}

/// One entry; says where the reading is while it is read.
struct EntrySeed<'a, T> {
    at: &'a mut At,
    now: At,
    entry: std::marker::PhantomData<T>,
}

impl<'de, T: Entry> DeserializeSeed<'de> for EntrySeed<'_, T> {
    type Value = T;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        *self.at = self.now;
        let entry = T::deserialize(deserializer)?;
        Ok(entry)
    }
}

mod borrowed;
mod chunk;
#[cfg(test)]
mod tests;
