//! Renderings from what channels really publish, so that [`validate`](crate::validate()) runs on the
//! real thing: claims read from text ([`text`]), web pages ([`html`]: schema.org JSON-LD, microdata,
//! RDFa, OpenGraph) and merchant feeds ([`feed`]: Google Merchant Center RSS and TSV).
//!
//! Behind the `extract` feature (on in the CLI).

pub mod feed;
pub mod html;
pub mod text;
