//! The plain objects handed to JavaScript: offers and reports, with the contract's field names.

use napi::bindgen_prelude::{Either, Null};
use napi_derive::napi;

/// A value or `null`, as the contract's JSON writes an absent value (not a missing key). Fields
/// spell `Either<T, Null>` out: the TypeScript generator reads the type as written.
pub(crate) fn nullable<T>(value: Option<T>) -> Either<T, Null> {
    value.map_or(Either::B(Null), Either::A)
}

/// The canonical offer (CONTRACT §5). Money is a string as the contract writes it (`"719.20 EUR"`);
/// instants are RFC 3339 strings in the market's time zone. The type of `Catalog.offer`'s result,
/// which is the library's JSON of the offer.
#[napi(object)]
pub struct Offer {
    pub sku: String,
    pub channel: String,
    pub at: String,
    #[napi(js_name = "regular_price")]
    pub regular_price: String,
    pub price: String,
    #[napi(js_name = "member_price")]
    pub member_price: String,
    #[napi(js_name = "prior_price")]
    pub prior_price: Either<String, Null>,
    pub promotions: Vec<String>,
    pub available: i64,
    pub availability: String,
    #[napi(js_name = "valid_until")]
    pub valid_until: Either<String, Null>,
    pub explanation: Vec<String>,
}

/// Counts of a report.
#[napi(object)]
pub struct Summary {
    pub renderings: i64,
    pub claims: i64,
    pub errors: i64,
    pub warnings: i64,
    pub infos: i64,
}

/// One finding (CONTRACT §4). A cross-channel finding has `rendering` null and every rendering
/// involved in `renderings`; any other has `renderings` empty. `at` is RFC 3339 in the market's
/// time zone.
#[napi(object)]
pub struct Finding {
    pub rule: String,
    pub severity: String,
    pub rendering: Either<String, Null>,
    pub renderings: Vec<String>,
    pub channel: String,
    pub sku: Either<String, Null>,
    pub claim: Either<u32, Null>,
    pub source: Option<String>,
    pub at: Either<String, Null>,
    pub expected: Either<String, Null>,
    pub found: Either<String, Null>,
    pub message: String,
    pub explanation: Vec<String>,
}

/// The result of a validation (CONTRACT §4).
#[napi(object)]
pub struct Report {
    pub summary: Summary,
    pub findings: Vec<Finding>,
}

fn count(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

impl From<unisono::Report> for Report {
    fn from(report: unisono::Report) -> Report {
        let s = report.summary;
        Report {
            summary: Summary {
                renderings: count(s.renderings),
                claims: count(s.claims),
                errors: count(s.errors),
                warnings: count(s.warnings),
                infos: count(s.infos),
            },
            findings: report.findings.into_iter().map(Finding::from).collect(),
        }
    }
}

impl From<unisono::Finding> for Finding {
    fn from(f: unisono::Finding) -> Finding {
        let cross = !f.renderings.is_empty();
        Finding {
            rule: f.rule.code().to_owned(),
            severity: f.severity.as_str().to_owned(),
            rendering: nullable((!cross).then_some(f.rendering)),
            renderings: f.renderings,
            channel: f.channel,
            sku: nullable(f.sku),
            claim: nullable(f.claim.and_then(|c| u32::try_from(c).ok())),
            source: f.source,
            at: nullable(f.at.map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, false))),
            expected: nullable(f.expected.as_ref().map(ToString::to_string)),
            found: nullable(f.found.as_ref().map(ToString::to_string)),
            message: f.message,
            explanation: f.explanation,
        }
    }
}
