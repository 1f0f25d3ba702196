//! Reading JSON fast, in the one place where the crate does it by hand.
//!
//! Everything else reads JSON with serde. What is here is kept because it measured faster than the
//! kept crates end to end (figures in `benches/README.md`), and each reader agrees with serde on the
//! inputs it reads, which property tests check: a reader either reads an input exactly as serde
//! would, or declines it and serde reads it (and names what is wrong).
//!
//! - [`scan`]: the byte-level JSON scanner (strings, numbers, white space) shared by the readers.
//! - [`tape`]: finds entry boundaries in a catalog document read in chunks.
//! - [`catalog`]: compiles a catalog while reading it, entry by entry, never holding the document.
//! - [`line`]: the common shape of a rendering line, read into reused memory.
//! - [`renderings`]: renderings documents (a JSON array or JSON Lines) with line, column and path
//!   in errors.
//! - [`glance`]: the SKU of a rendering line, seen without parsing it, to order the work.

pub(crate) mod catalog;
pub(crate) mod glance;
pub(crate) mod line;
pub(crate) mod renderings;
pub(crate) mod scan;
pub(crate) mod tape;
