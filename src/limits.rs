//! The limits on input, each with a clear error past it.
//!
//! | what | limit | past it |
//! |---|---|---|
//! | nesting of any JSON document | [`MAX_NESTING`] levels | `recursion limit exceeded`, with line, column and path |
//! | size of one document (catalog, renderings, policy) | [`MAX_DOCUMENT_BYTES`] | an error naming the size |
//! | entries of one catalog section (`prices`, `stock`, ...) | [`MAX_ENTRIES`] | a problem at the section's path |
//! | one text read for claims (`extract::text`) | [`MAX_TEXT_BYTES`] | no claim; one `unread` entry naming the size |
//!
//! Everything else is bounded by memory and linear in the input, but for the cross-channel rule,
//! which compares the renderings of one product in one market pairwise while their windows overlap.

/// JSON nesting depth: serde_json's recursion limit.
pub const MAX_NESTING: usize = 128;

/// Bytes of one JSON document: 4 GiB. A catalog of a million products is about 1.7 GB.
pub const MAX_DOCUMENT_BYTES: usize = 4 << 30;

/// Entries of one catalog section: catalog indexes are 32-bit.
pub const MAX_ENTRIES: usize = u32::MAX as usize - 1;

/// Bytes of one text read for claims in one call (`extract::text`): 1 MiB. A newsletter line, a
/// banner or a page's visible text is far below; the scan is one pass with a bounded look-ahead.
pub const MAX_TEXT_BYTES: usize = 1 << 20;

/// Why a document is refused before it is read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the document is {bytes} bytes; unisono reads documents of at most {limit} bytes")]
pub struct TooLarge {
    /// The document's size.
    pub bytes: usize,
    /// The limit it exceeds.
    pub limit: usize,
}

/// Refuses a document longer than `limit` bytes.
///
/// ```
/// use unisono::limits::{check_size, TooLarge};
/// assert_eq!(check_size("{}", 8), Ok(()));
/// assert_eq!(check_size("[1, 2, 3]", 8), Err(TooLarge { bytes: 9, limit: 8 }));
/// ```
///
/// # Errors
/// [`TooLarge`] past the limit.
pub fn check_size(text: &str, limit: usize) -> Result<(), TooLarge> {
    if text.len() > limit {
        Err(TooLarge {
            bytes: text.len(),
            limit,
        })
    } else {
        Ok(())
    }
}
