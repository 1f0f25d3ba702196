//! Test support for users' own suites (feature `testing`): proptest strategies that generate valid
//! catalogs, a reference renderer, and mistakes planted in what it renders.
//!
//! [`arb_catalog_document`] generates [`CatalogDocument`](crate::CatalogDocument)s that always
//! compile: one or two markets (`IT` in euros; a second one in yen, `JP`, to exercise a currency
//! without decimals, or in euros, `DE`), channels of every kind served from shared locations,
//! products with valid GTINs, categories, launch dates and assortments, market-wide and
//! channel-specific price lists that never overlap within one scope, promotions of every mechanic and
//! audience with random priorities and exclusive flags, and stock snapshots (some with more reserved
//! than on hand).
//!
//! Every instant lies on a coarse grid: whole hours of [`ArbConfig::span`] (a year from 2026-01-01
//! by default), and most start and end instants are drawn from a handful of anchors per document
//! (some of them local midnights, sometimes written as local dates), so that price entries,
//! promotions and stock counts start and end together often: the interesting cases are at the
//! boundaries. [`document_instants`] lists those boundaries and [`arb_instant_near`] aims at them.
//!
//! ```
//! use proptest::prelude::*;
//! use unisono::testing::arb_catalog_document;
//!
//! proptest!(ProptestConfig::with_cases(16), |(doc in arb_catalog_document())| {
//!     prop_assert!(unisono::Catalog::compile(&doc).is_ok());
//! });
//! ```
//!
//! To test a validator, or a channel's own output, against the catalog:
//!
//! - [`render`] is the reference renderer: the complete, correct [`Rendering`](crate::Rendering) a
//!   channel shows of an offer (price, members' price, reference price and percent off, multi-buy,
//!   validity, unit price, availability and stock, GTIN and title);
//! - [`arb_offer_pick`] draws offers of any catalog (aimed at the boundaries of its prices,
//!   promotions and stock counts), [`arb_rendering`] their renderings;
//! - [`mutations`] plants one wrong claim at a time in a rendering, each with the [`Rule`](crate::Rule)
//!   that must catch it, and [`arb_mutation`] draws them.
//!
//! ```
//! use proptest::prelude::*;
//! use unisono::testing::{arb_catalog_document, arb_mutation_pick, arb_offer_pick, render};
//!
//! proptest!(ProptestConfig::with_cases(16), |(doc in arb_catalog_document(),
//!                                              offer in arb_offer_pick(),
//!                                              mistake in arb_mutation_pick())| {
//!     let catalog = unisono::Catalog::compile(&doc).expect("generated documents compile");
//!     let validator = unisono::Validator::new(&catalog, &unisono::Policy::default());
//!     if let Some(offer) = offer.offer(&catalog) {
//!         let kind = catalog.channel(offer.channel()).expect("the offer's channel").kind;
//!         prop_assert!(validator.validate(&render(&offer, kind)).is_empty());
//!         if let Some(m) = mistake.mutation(&offer, kind) {
//!             prop_assert!(validator.validate(&m.rendering).iter().any(|f| f.rule == m.rule));
//!         }
//!     }
//! });
//! ```
// Test support: strategies index the tables they build themselves, and a broken invariant should
// fail the user's test loudly, so indexing and `expect` (with the invariant in its message) are fine.
#![allow(clippy::indexing_slicing, clippy::expect_used, clippy::unwrap_used)]

mod assert;
mod catalog;
mod mutate;
mod pick;
mod render;

pub use assert::{ReportAssertions, assert_consistent, assert_consistent_with};
pub use catalog::{
    ArbConfig, arb_catalog, arb_catalog_document, arb_catalog_document_with, arb_catalog_with,
    arb_instant, arb_instant_in, arb_instant_near, document_instants,
};
pub use mutate::{
    Mutation, MutationPick, NOT_PLANTED, arb_mutation, arb_mutation_pick, arb_rendering, mutations,
};
pub use pick::{OfferPick, arb_offer_pick};
pub use render::render;
