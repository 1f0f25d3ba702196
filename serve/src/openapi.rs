//! The OpenAPI 3.1 document of the server, generated from the handlers' annotations: what
//! `GET /openapi.json` serves.

use utoipa::Modify;
use utoipa::OpenApi;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};

use crate::problem::{ApiError, CatalogProblem};
use crate::routes::{self, CatalogAccepted, Health, HtmlRequest, OfferRequest, TextRequest};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "unisono serve",
        description = "Checks what sales channels show against one canonical catalog, over HTTP. \
            Every endpoint but /healthz needs `Authorization: Bearer <token>` when the server was \
            started with --token-file. Every refusal is an `ApiError`.",
    ),
    paths(
        routes::validate,
        routes::offer,
        routes::extract_html,
        routes::extract_text,
        routes::replace_catalog,
        routes::healthz,
        routes::metrics,
        routes::openapi,
    ),
    components(schemas(
        ApiError,
        CatalogProblem,
        OfferRequest,
        HtmlRequest,
        TextRequest,
        CatalogAccepted,
        Health
    )),
    modifiers(&BearerToken),
    security(("bearer" = [])),
)]
struct Api;

/// Declares the bearer token scheme the document's `security` names.
struct BearerToken;

impl Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The OpenAPI document.
///
/// ```
/// let document = unisono_serve::openapi::document();
/// assert!(document.paths.paths.contains_key("/v1/validate"));
/// ```
pub fn document() -> utoipa::openapi::OpenApi {
    let mut document = Api::openapi();
    document.info.version = env!("CARGO_PKG_VERSION").to_owned();
    document
}
