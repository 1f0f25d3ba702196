//! The plain objects handed to JavaScript: offers and reports, with the contract's field names.

use napi_derive::napi;

/// The canonical offer (CONTRACT §5). Money is a string as the contract writes it (`"719.20 EUR"`);
/// instants are RFC 3339 strings in the market's time zone.
#[napi(object)]
#[derive(serde::Deserialize)]
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
    pub prior_price: Option<String>,
    pub promotions: Vec<String>,
    pub available: i64,
    pub availability: String,
    #[napi(js_name = "valid_until")]
    pub valid_until: Option<String>,
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
    pub rendering: Option<String>,
    pub renderings: Vec<String>,
    pub channel: String,
    pub sku: Option<String>,
    pub claim: Option<u32>,
    pub source: Option<String>,
    pub at: Option<String>,
    pub expected: Option<String>,
    pub found: Option<String>,
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
            rendering: (!cross).then_some(f.rendering),
            renderings: f.renderings,
            channel: f.channel,
            sku: f.sku,
            claim: f.claim.and_then(|c| u32::try_from(c).ok()),
            source: f.source,
            at: f
                .at
                .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, false)),
            expected: f.expected.as_ref().map(ToString::to_string),
            found: f.found.as_ref().map(ToString::to_string),
            message: f.message,
            explanation: f.explanation,
        }
    }
}
