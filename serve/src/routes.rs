//! The endpoints. Each takes one catalog generation at its start and computes its whole answer on
//! it; what it prints is what the `unisono` command prints for the same input.

use std::sync::{Arc, OnceLock};

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use crate::GENERATION_HEADER;
use crate::problem::ApiError;
use crate::state::{Generation, Shared};

/// Bodies up to this size are validated on the runtime's own threads; larger ones on the blocking
/// pool, so that one large request does not hold up the small ones.
const INLINE_BYTES: usize = 64 << 10;

/// `POST /v1/validate`: renderings (a JSON array or JSON Lines) in, CONTRACT §4's report out, the
/// same bytes as `unisono validate --format json` prints.
#[utoipa::path(
    post,
    path = "/v1/validate",
    tag = "validate",
    request_body(
        description = "Renderings (CONTRACT §3): a JSON array, or JSON Lines (one rendering a line)",
        content(
            (Object = "application/json"),
            (String = "application/x-ndjson"),
        ),
    ),
    responses(
        (status = 200, description = "The report (CONTRACT §4), byte for byte as `unisono validate --format json` prints it", content_type = "application/json", body = Object,
            headers(("unisono-catalog-generation" = u64, description = "The catalog generation the report was computed on"))),
        (status = 400, description = "A rendering that cannot be read, with its line, column and JSON path", body = ApiError),
        (status = 401, description = "No or a wrong bearer token", body = ApiError),
        (status = 408, description = "The body did not arrive in time", body = ApiError),
        (status = 413, description = "The body is larger than the limit", body = ApiError),
        (status = 503, description = "Too many requests at once, or the answer took too long", body = ApiError),
    ),
)]
pub(crate) async fn validate(
    State(shared): State<Arc<Shared>>,
    body: Body,
) -> Result<Response, ApiError> {
    let bytes = read_body(&shared, body, shared.limits.max_body_bytes).await?;
    let generation = shared.current();
    let number = generation.number;
    let size = bytes.len();
    let work = {
        let shared = Arc::clone(&shared);
        move || validate_bytes(&shared, &generation, &bytes)
    };
    let text = offload(size, INLINE_BYTES, work).await?;
    Ok(json_response(text, Some(number)))
}

fn validate_bytes(
    shared: &Shared,
    generation: &Generation,
    bytes: &Bytes,
) -> Result<String, ApiError> {
    let validator = unisono::Validator::new(&generation.catalog, &generation.policy);
    let report = if starts_with_bracket(bytes) {
        let text = utf8(bytes)?;
        let renderings = unisono::rendering::read_renderings(text).map_err(read_error)?;
        validator.validate_all(&renderings)
    } else {
        // JSON Lines, as the command reads them (on the global rayon pool when the library is
        // built with its feature `parallel`): the report is the same on any number of threads.
        validator.validate_lines(&bytes[..]).map_err(read_error)?
    };
    shared.metrics.count_findings(&report.findings);
    Ok(unisono::report::json(&report))
}

/// What `POST /v1/offer` asks.
#[derive(Debug, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OfferRequest {
    /// The product's SKU.
    pub sku: String,
    /// The channel's id.
    pub channel: String,
    /// The instant, RFC 3339 with an offset.
    #[schema(example = "2026-11-28T10:00:00+01:00")]
    pub at: String,
}

/// `POST /v1/offer`: the canonical offer, as `unisono offer` prints it (CONTRACT §5).
#[utoipa::path(
    post,
    path = "/v1/offer",
    tag = "offer",
    request_body = OfferRequest,
    responses(
        (status = 200, description = "The offer (CONTRACT §5), as `unisono offer` prints it", content_type = "application/json", body = Object,
            headers(("unisono-catalog-generation" = u64, description = "The catalog generation the offer was computed on"))),
        (status = 400, description = "A request that cannot be read", body = ApiError),
        (status = 422, description = "An unknown product or channel, a product not sold there, no price, a bad instant", body = ApiError),
    ),
)]
pub(crate) async fn offer(
    State(shared): State<Arc<Shared>>,
    body: Body,
) -> Result<Response, ApiError> {
    let bytes = read_body(&shared, body, shared.limits.max_body_bytes).await?;
    let asked: OfferRequest = read_json(&bytes)?;
    let at = unisono::time::parse_instant(&asked.at)
        .map_err(|e| ApiError::unprocessable("at", e.to_string()))?;
    let generation = shared.current();
    let options = generation.policy.offer_options();
    let offer = generation
        .catalog
        .offer_with(&asked.sku, &asked.channel, at, &options)
        .map_err(|e| {
            let path = match e {
                unisono::OfferError::UnknownChannel { .. } => "channel",
                _ => "sku",
            };
            ApiError::unprocessable(path, e.to_string())
        })?;
    let mut text = serde_json::to_string_pretty(&offer).map_err(internal)?;
    text.push('\n');
    Ok(json_response(text, Some(generation.number)))
}

/// What `POST /v1/extract/html` reads: a page, and what the markup does not say.
#[derive(Debug, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HtmlRequest {
    /// The page's HTML.
    pub html: String,
    /// The channel that shows it (the renderings' `channel`).
    pub channel: String,
    /// The instant it is shown, RFC 3339 with an offset.
    pub at: String,
    /// The page's name in rendering ids (`NAME#offer-1`); default `page`.
    #[serde(default)]
    pub page: Option<String>,
}

/// `POST /v1/extract/html`: the offers of a web page (schema.org JSON-LD, microdata, RDFa,
/// OpenGraph) as renderings, and what was not read, as `unisono extract html` reads them.
#[utoipa::path(
    post,
    path = "/v1/extract/html",
    tag = "extract",
    request_body = HtmlRequest,
    responses(
        (status = 200, description = "`{\"renderings\": [...], \"unread\": [...]}`", content_type = "application/json", body = Object),
        (status = 400, description = "A request that cannot be read", body = ApiError),
        (status = 422, description = "A bad instant", body = ApiError),
    ),
)]
pub(crate) async fn extract_html(
    State(shared): State<Arc<Shared>>,
    body: Body,
) -> Result<Response, ApiError> {
    let bytes = read_body(&shared, body, shared.limits.max_body_bytes).await?;
    let size = bytes.len();
    let work = move || {
        let asked: HtmlRequest = read_json(&bytes)?;
        let at = unisono::time::parse_instant(&asked.at)
            .map_err(|e| ApiError::unprocessable("at", e.to_string()))?;
        let page = asked.page.as_deref().unwrap_or("page");
        let context = unisono::extract::html::Context::at(page, &asked.channel, at);
        let read = unisono::extract::html::extract(&asked.html, &context);
        serde_json::to_string(&read).map_err(internal)
    };
    let text = offload(size, INLINE_BYTES / 4, work).await?;
    Ok(json_response(text + "\n", None))
}

/// What `POST /v1/extract/text` reads.
#[derive(Debug, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TextRequest {
    /// The text: a banner, a newsletter line, a page's visible text.
    pub text: String,
    /// How numbers and words are written (`it-IT`, `en`, `de-DE`, `fr`, `es`).
    #[serde(default)]
    pub locale: Option<String>,
    /// The day that decides the year of dates written without one (`2026-11-22`).
    #[serde(default)]
    pub today: Option<String>,
}

/// `POST /v1/extract/text`: the claims a text makes, as one line of `unisono extract text`.
#[utoipa::path(
    post,
    path = "/v1/extract/text",
    tag = "extract",
    request_body = TextRequest,
    responses(
        (status = 200, description = "`{\"claims\": [...], \"unread\": [...]}`", content_type = "application/json", body = Object),
        (status = 400, description = "A request that cannot be read", body = ApiError),
        (status = 422, description = "An unknown locale or a bad date", body = ApiError),
    ),
)]
pub(crate) async fn extract_text(
    State(shared): State<Arc<Shared>>,
    body: Body,
) -> Result<Response, ApiError> {
    let bytes = read_body(&shared, body, shared.limits.max_body_bytes).await?;
    let asked: TextRequest = read_json(&bytes)?;
    let locale = asked
        .locale
        .as_deref()
        .map(str::parse::<unisono::extract::text::Locale>)
        .transpose()
        .map_err(|e| ApiError::unprocessable("locale", e.to_string()))?;
    let today = match asked.today.as_deref() {
        None => None,
        Some(day) => Some(unisono::time::parse_local_date(day).ok_or_else(|| {
            ApiError::unprocessable("today", "expected a date like 2026-11-22".to_owned())
        })?),
    };
    let read = match today {
        Some(today) => unisono::extract::text::extract_at(&asked.text, locale.as_ref(), today),
        None => unisono::extract::text::extract(&asked.text, locale.as_ref()),
    };
    let text = serde_json::to_string(&read).map_err(internal)?;
    Ok(json_response(text + "\n", None))
}

/// What `PUT /v1/catalog` answers when the catalog is in force.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CatalogAccepted {
    /// The new generation number.
    pub generation: u64,
    /// Products in the catalog.
    pub products: usize,
    /// Advice: the catalog compiles, but something is likely a mistake (`unisono lint`).
    pub lints: Vec<String>,
}

/// `PUT /v1/catalog`: compiles a catalog beside the current one and puts it in force atomically.
/// Requests already running finish on the old one; a catalog that does not compile is refused with
/// its problems, and the old one keeps serving.
#[utoipa::path(
    put,
    path = "/v1/catalog",
    tag = "catalog",
    request_body(content = Object, description = "A catalog document (CONTRACT §2)", content_type = "application/json"),
    responses(
        (status = 200, description = "In force", body = CatalogAccepted),
        (status = 413, description = "The catalog is larger than the limit", body = ApiError),
        (status = 422, description = "Refused, with every problem and its JSON path; the old catalog serves on", body = ApiError),
    ),
)]
pub(crate) async fn replace_catalog(
    State(shared): State<Arc<Shared>>,
    body: Body,
) -> Result<Response, ApiError> {
    let bytes = read_body(&shared, body, shared.limits.max_catalog_bytes).await?;
    let size = bytes.len();
    let compile = move || Ok(unisono::Catalog::from_reader_sized(&bytes[..], size as u64));
    // Compiling a catalog takes long: always off the runtime's threads.
    match offload(size, 0, compile).await? {
        Ok(catalog) => {
            let accepted = CatalogAccepted {
                products: catalog.products().len(),
                lints: catalog.lints().iter().map(ToString::to_string).collect(),
                generation: 0,
            };
            let generation = shared.replace(catalog);
            let accepted = CatalogAccepted {
                generation,
                ..accepted
            };
            let text = serde_json::to_string(&accepted).map_err(internal)?;
            Ok(json_response(text + "\n", Some(generation)))
        }
        Err(error) => {
            shared.metrics.refused_catalog();
            Err(ApiError::catalog(&error, shared.current().number))
        }
    }
}

/// What `GET /healthz` answers.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Health {
    /// Always `ok`.
    pub status: String,
    /// The catalog generation in force.
    pub generation: u64,
}

/// `GET /healthz`: the server is up, and which catalog generation it serves. Needs no token.
#[utoipa::path(
    get,
    path = "/healthz",
    tag = "operations",
    security(()),
    responses((status = 200, description = "Up", body = Health)),
)]
pub(crate) async fn healthz(State(shared): State<Arc<Shared>>) -> Response {
    let health = Health {
        status: "ok".to_owned(),
        generation: shared.current().number,
    };
    let text = serde_json::to_string(&health).unwrap_or_default();
    json_response(text + "\n", None)
}

/// `GET /metrics`: requests, latencies, findings by rule and the catalog generation, in
/// Prometheus' text format.
#[utoipa::path(
    get,
    path = "/metrics",
    tag = "operations",
    responses((status = 200, description = "Prometheus text format 0.0.4", body = String, content_type = "text/plain")),
)]
pub(crate) async fn metrics(State(shared): State<Arc<Shared>>) -> Response {
    let mut response = shared.metrics.render().into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
    );
    response
}

/// `GET /openapi.json`: this API's OpenAPI 3.1 document.
#[utoipa::path(
    get,
    path = "/openapi.json",
    tag = "operations",
    responses((status = 200, description = "The OpenAPI 3.1 document", body = Object)),
)]
pub(crate) async fn openapi() -> Response {
    static DOCUMENT: OnceLock<String> = OnceLock::new();
    let text = DOCUMENT.get_or_init(|| {
        crate::openapi::document()
            .to_pretty_json()
            .unwrap_or_default()
    });
    json_response(text.clone(), None)
}

/// A JSON body, with the generation it was computed on.
fn json_response(text: String, generation: Option<u64>) -> Response {
    let mut response = (StatusCode::OK, text).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    if let Some(generation) = generation {
        headers.insert(GENERATION_HEADER, HeaderValue::from(generation));
    }
    response
}

/// The whole body, within the size limit and the time limit.
async fn read_body(shared: &Shared, body: Body, limit: usize) -> Result<Bytes, ApiError> {
    let timeout = shared.limits.timeout;
    match tokio::time::timeout(timeout, axum::body::to_bytes(body, limit)).await {
        Err(_) => Err(ApiError::new(
            StatusCode::REQUEST_TIMEOUT,
            format!(
                "the request body did not arrive within {} ms",
                timeout.as_millis()
            ),
        )),
        Ok(Err(e)) if too_long(&e) => Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("the request body is larger than the limit of {limit} bytes"),
        )),
        Ok(Err(e)) => Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            format!("the request body could not be read: {e}"),
        )),
        Ok(Ok(bytes)) => Ok(bytes),
    }
}

/// Whether reading a body failed on its size limit.
fn too_long(error: &axum::Error) -> bool {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = cause {
        if e.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        cause = e.source();
    }
    false
}

/// Runs `work` here if its input of `size` bytes is below `inline_below`, else on the blocking
/// pool; a panic there is a 500 (here, the catch-panic layer makes it one).
async fn offload<T: Send + 'static>(
    size: usize,
    inline_below: usize,
    work: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    if size < inline_below {
        return work();
    }
    tokio::task::spawn_blocking(work).await.map_err(|e| {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            if e.is_panic() {
                "the request failed inside the server (a panic); the server keeps serving"
            } else {
                "the request was cancelled"
            },
        )
    })?
}

fn starts_with_bracket(bytes: &[u8]) -> bool {
    bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[')
}

/// The body as text, or a 400 at the first byte that is not UTF-8.
fn utf8(bytes: &[u8]) -> Result<&str, ApiError> {
    std::str::from_utf8(bytes).map_err(|e| {
        let (line, column) = position(bytes, e.valid_up_to());
        ApiError::input(
            line,
            column,
            ".".to_owned(),
            "the body is not UTF-8".to_owned(),
        )
    })
}

/// 1-based line and column (in bytes) of `offset` in `bytes`.
fn position(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = bytes.get(..offset).unwrap_or(bytes);
    let line = before.iter().filter(|b| **b == b'\n').count() + 1;
    let column = before.iter().rev().take_while(|b| **b != b'\n').count() + 1;
    (line, column)
}

fn read_error(e: unisono::InputError) -> ApiError {
    ApiError::input(e.line, e.column, e.path, e.message)
}

/// A JSON request body as `T`, or a 400 with the line, column and path of the first bad value.
fn read_json<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value: T = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        json_error(path, e.inner())
    })?;
    de.end().map_err(|e| json_error(".".to_owned(), &e))?;
    Ok(value)
}

fn json_error(path: String, e: &serde_json::Error) -> ApiError {
    let mut message = e.to_string();
    // serde_json appends " at line L column C"; the fields carry it.
    if let Some(cut) = message.rfind(" at line ") {
        message.truncate(cut);
    }
    ApiError::input(e.line(), e.column(), path, message)
}

fn internal(e: impl std::fmt::Display) -> ApiError {
    ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_lines_and_columns_from_one() {
        assert_eq!(position(b"abc", 0), (1, 1));
        assert_eq!(position(b"ab\ncd", 4), (2, 2));
        assert_eq!(position(b"ab\n", 3), (2, 1));
    }

    #[test]
    fn a_bad_request_names_its_path() {
        let error =
            read_json::<OfferRequest>(br#"{"sku": "A", "channel": 3, "at": "x"}"#).unwrap_err();
        assert_eq!(error.path.as_deref(), Some("channel"));
        assert_eq!((error.line, error.column), (Some(1), Some(25)));
        let error =
            read_json::<OfferRequest>(br#"{"sku": "A", "chanel": "w", "at": "x"}"#).unwrap_err();
        assert_eq!(error.path.as_deref(), Some("chanel"));
        assert!(
            error.error.starts_with("unknown field `chanel`"),
            "{}",
            error.error
        );
    }
}
