//! Refusals: every one is a JSON object with the HTTP status, a message, and where the input is
//! bad (line, column and JSON path), so that a client can point at it.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// Longest message sent back: messages may quote the input.
const MAX_MESSAGE: usize = 400;
/// Most catalog problems listed in one refusal; `problem_count` gives them all.
const MAX_PROBLEMS: usize = 1000;

/// A refused request, as the JSON body of the response:
/// `{"status": 400, "error": "...", "line": 3, "column": 17, "path": "claims[0].price"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ApiError {
    /// The HTTP status, repeated for clients that only keep the body.
    pub status: u16,
    /// What is wrong and what was expected (at most 400 characters).
    pub error: String,
    /// 1-based line of the bad input, where there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// 1-based column of the bad input.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
    /// JSON path of the bad value (`[3].claims[2].price`, `sku`); `.` for the document.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// A refused catalog's problems, each with its JSON path (at most 1000).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<CatalogProblem>,
    /// How many problems the catalog has, when some are listed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problem_count: Option<u32>,
    /// The catalog generation still in force, for a refused catalog.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub generation: Option<u64>,
}

/// One problem of a refused catalog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct CatalogProblem {
    /// JSON path of the bad value: `prices[3].amount`.
    pub path: String,
    /// What is wrong and what was expected.
    pub message: String,
}

impl ApiError {
    /// A refusal with a status and a message, and no position.
    pub fn new(status: StatusCode, error: impl Into<String>) -> ApiError {
        ApiError {
            status: status.as_u16(),
            error: bounded(error.into()),
            line: None,
            column: None,
            path: None,
            problems: Vec::new(),
            problem_count: None,
            generation: None,
        }
    }

    /// 400: input that could not be read, at a line, column and JSON path.
    pub(crate) fn input(line: usize, column: usize, path: String, error: String) -> ApiError {
        ApiError {
            line: Some(saturating(line)),
            column: Some(saturating(column)),
            path: Some(path),
            ..ApiError::new(StatusCode::BAD_REQUEST, error)
        }
    }

    /// 422: a value that reads but names nothing usable (an unknown SKU, a bad instant).
    pub(crate) fn unprocessable(path: &str, error: String) -> ApiError {
        ApiError {
            path: Some(path.to_owned()),
            ..ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, error)
        }
    }

    /// 422: a catalog that does not compile, with its problems; `generation` still serves.
    pub(crate) fn catalog(error: &unisono::CatalogError, generation: u64) -> ApiError {
        let problems = error.problems();
        let count = problems.len();
        let (line, column) = match error {
            unisono::CatalogError::Syntax(e) => {
                (Some(saturating(e.line)), Some(saturating(e.column)))
            }
            unisono::CatalogError::Invalid { .. } => (None, None),
        };
        let first = problems.first().map(|p| p.path.clone());
        ApiError {
            line,
            column,
            path: first,
            problems: problems
                .into_iter()
                .take(MAX_PROBLEMS)
                .map(|p| CatalogProblem {
                    path: p.path,
                    message: bounded(p.message),
                })
                .collect(),
            problem_count: Some(saturating(count)),
            generation: Some(generation),
            ..ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                format!(
                    "the catalog was refused ({count} problem{}); generation {generation} still serves",
                    if count == 1 { "" } else { "s" }
                ),
            )
        }
    }

    /// The status as an HTTP status code.
    pub fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }
}

/// Lines, columns and counts past 4 billion are shown as 4 billion: they do not happen within
/// the body limits, and the refusal stays small.
fn saturating(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// `text` cut to [`MAX_MESSAGE`] characters, marked where cut.
fn bounded(mut text: String) -> String {
    if let Some((cut, _)) = text.char_indices().nth(MAX_MESSAGE) {
        text.truncate(cut);
        text.push('…');
    }
    text
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status_code();
        // Serializing strings and numbers cannot fail.
        let mut body = serde_json::to_string(&self).unwrap_or_default();
        body.push('\n');
        let mut response = (status, body).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"unisono\""),
            );
        }
        if status == StatusCode::SERVICE_UNAVAILABLE {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_messages_are_cut_at_a_character() {
        let cut = bounded("é".repeat(1000));
        assert_eq!(cut.chars().count(), MAX_MESSAGE + 1);
        assert!(cut.ends_with('…'));
        assert_eq!(bounded("short".to_owned()), "short");
    }

    #[test]
    fn a_refusal_reads_as_json_with_its_position() {
        let error = ApiError::input(3, 17, "claims[0].price".into(), "expected money".into());
        insta::assert_snapshot!(serde_json::to_string(&error).unwrap(), @r#"{"status":400,"error":"expected money","line":3,"column":17,"path":"claims[0].price"}"#);
    }
}
