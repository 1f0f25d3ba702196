//! The limits on input, each with a clear error past it.
//!
//! | what | limit | past it |
//! |---|---|---|
//! | nesting of any JSON document | [`MAX_NESTING`] levels | `recursion limit exceeded`, with line, column and path |
//! | size of one document (catalog, renderings, policy) | [`MAX_DOCUMENT_BYTES`] | an error naming the size |
//! | entries of one catalog section (`prices`, `stock`, ...) | [`MAX_ENTRIES`] | a problem at the section's path |
//! | one text read for claims (`extract::text`) | [`MAX_TEXT_BYTES`] | no claim; one `unread` entry naming the size |
//! | an input value echoed in an error | [`MAX_ECHO_CHARS`] characters | cut, with `…` and its full length in bytes |
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

/// Characters of an input value that an error message echoes: a longer value is cut, with an
/// ellipsis and its full length, so that a 50 MB value never makes a 50 MB message.
pub const MAX_ECHO_CHARS: usize = 200;

/// An input value as an error message quotes it (`"12.345 EUR"`), cut past [`MAX_ECHO_CHARS`]
/// characters: `"aaaa…" (50000000 bytes)`.
///
/// ```
/// use unisono::limits::Quoted;
/// assert_eq!(Quoted("12.345 EUR").to_string(), "\"12.345 EUR\"");
/// let long = "9".repeat(10_000);
/// let text = Quoted(&long).to_string();
/// assert!(text.ends_with("…\" (10000 bytes)"), "{text}");
/// assert!(text.chars().count() < 230);
/// ```
pub struct Quoted<'a>(pub &'a str);

impl std::fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0.char_indices().nth(MAX_ECHO_CHARS) {
            None => write!(f, "{:?}", self.0),
            Some((cut, _)) => {
                let head = format!("{:?}", self.0.get(..cut).unwrap_or_default());
                let open = head.strip_suffix('"').unwrap_or(&head);
                write!(f, "{open}…\" ({} bytes)", self.0.len())
            }
        }
    }
}

/// `message` with every quoted run (`"…"` or `` `…` ``) longer than [`MAX_ECHO_CHARS`] cut as
/// [`Quoted`] cuts it: for the messages of serde_json, which quote whole values.
pub(crate) fn bound_message(message: String) -> String {
    if message.chars().count() <= 2 * MAX_ECHO_CHARS {
        return message;
    }
    let mut out = String::with_capacity(4 * MAX_ECHO_CHARS);
    let mut chars = message.char_indices().peekable();
    while let Some((_, c)) = chars.next() {
        out.push(c);
        if c != '"' && c != '`' {
            continue;
        }
        // A run up to the same quote (or the end): kept whole when short.
        let mut run = String::new();
        let mut closed = false;
        for (_, d) in chars.by_ref() {
            if d == c {
                closed = true;
                break;
            }
            run.push(d);
        }
        match run.char_indices().nth(MAX_ECHO_CHARS) {
            None => out.push_str(&run),
            Some((cut, _)) => {
                out.push_str(run.get(..cut).unwrap_or_default());
                out.push('…');
                if closed {
                    out.push(c);
                }
                out.push_str(&format!(" ({} bytes)", run.len()));
                continue;
            }
        }
        if closed {
            out.push(c);
        }
    }
    out
}

/// `text` cut past [`MAX_ECHO_CHARS`] characters, with an ellipsis and its full length (a JSON
/// path made of huge keys).
pub(crate) fn bound_text(text: String) -> String {
    match text.char_indices().nth(MAX_ECHO_CHARS) {
        None => text,
        Some((cut, _)) => format!(
            "{}… ({} bytes)",
            text.get(..cut).unwrap_or_default(),
            text.len()
        ),
    }
}

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
