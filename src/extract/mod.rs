//! Renderings from what channels really publish, so that [`validate`](crate::validate()) runs on the
//! real thing: claims read from text ([`text`]), web pages ([`html`]: schema.org JSON-LD, microdata,
//! RDFa, OpenGraph) and merchant feeds ([`feed`]: Google Merchant Center RSS and TSV).
//!
//! Behind the `extract` feature (on in the CLI).

pub mod feed;
pub mod html;
pub mod text;
mod visible;

use serde::Serialize;

/// Something seen that makes no claim, and why: a piece of text whose meaning depends on what is
/// not known (a locale, a year), a malformed price on a page, a feed field with an unknown value.
/// Nothing read is dropped silently: it becomes a claim or an `Unread`.
///
/// ```
/// use unisono::extract::html::{extract, Context};
/// let page = r#"<div itemscope itemtype="https://schema.org/Offer">
///   <span itemprop="price">1.299,00</span><meta itemprop="priceCurrency" content="EUR"></div>"#;
/// let at = unisono::time::parse_instant("2026-11-27T10:00:00Z")?;
/// let read = extract(page, &Context::at("p", "web-it", at));
/// assert!(read.renderings[0].claims.is_empty());
/// assert_eq!(read.unread[0].source, "microdata[0]/price");
/// assert_eq!(read.unread[0].text, "1.299,00");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unread {
    /// Where: a byte range `start..end` (text), a JSON-LD path, a microdata itemprop path,
    /// `meta[property=…]`, a feed item's field.
    pub source: String,
    /// The text as written, cut to at most 200 characters.
    pub text: String,
    /// Why it makes no claim.
    pub reason: String,
}

impl Unread {
    /// One cut to 200 characters.
    pub(crate) fn new(source: &str, text: &str, reason: impl Into<String>) -> Unread {
        Unread {
            source: source.to_owned(),
            text: text.chars().take(200).collect(),
            reason: reason.into(),
        }
    }
}
