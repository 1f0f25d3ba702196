#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![deny(missing_docs)]
// Input must never panic the library: no unwrap, expect or unchecked indexing outside tests.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)
)]

pub mod catalog;
#[cfg(feature = "extract")]
pub mod extract;
pub mod gtin;
pub mod limits;
pub mod money;
pub mod offer;
pub(crate) mod read;
pub mod rendering;
pub mod report;
#[cfg(any(feature = "gen", test))]
pub mod synthetic;
#[cfg(feature = "testing")]
pub mod testing;
mod text_serde;
pub mod time;
pub mod validate;

pub use catalog::{Catalog, CatalogDocument, CatalogError, Problem, ProblemKind};
pub use gtin::{Gtin, GtinError};
pub use money::{Currency, Money, MoneyError};
pub use offer::{Availability, Offer, OfferError, OfferOptions, ReferenceScope, Segment};
pub use rendering::{Claim, ClaimValue, Rendering, Shown};
pub use validate::{
    CrossChannel, Finding, Policy, PolicyError, Report, Rule, Severity, Validator, validate,
};
