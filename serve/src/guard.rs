//! The layers every request passes: refusals as JSON, metrics, the bearer token and the
//! concurrency limit.

use std::sync::Arc;
use std::time::Instant;

use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tokio::sync::Semaphore;

use crate::metrics::Metrics;
use crate::problem::ApiError;
use crate::state::Shared;

/// Turns every refusal that is not JSON yet (a 404 or 405 of the router, tower-http's 413, 408 and
/// 503) into an [`ApiError`] with the same status.
pub(crate) async fn json_refusals(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if (status.is_client_error() || status.is_server_error()) && !is_json {
        return ApiError::new(status, refusal_message(status)).into_response();
    }
    response
}

fn refusal_message(status: StatusCode) -> String {
    match status {
        StatusCode::NOT_FOUND => "no such endpoint: see /openapi.json".to_owned(),
        StatusCode::METHOD_NOT_ALLOWED => {
            "this endpoint does not take this method: see /openapi.json".to_owned()
        }
        StatusCode::PAYLOAD_TOO_LARGE => "the request body is larger than the limit".to_owned(),
        StatusCode::SERVICE_UNAVAILABLE => "the request took longer than the time limit".to_owned(),
        other => other.canonical_reason().unwrap_or("refused").to_lowercase(),
    }
}

/// Counts the request and its latency by route and status.
pub(crate) async fn measure(
    State(shared): State<Arc<Shared>>,
    request: Request,
    next: Next,
) -> Response {
    let route = Metrics::route(request.uri().path());
    let started = Instant::now();
    let response = next.run(request).await;
    shared
        .metrics
        .record(route, response.status().as_u16(), started.elapsed());
    response
}

/// Refuses, with 401, a request to anything but `/healthz` without the bearer token.
pub(crate) async fn authorize(
    State(shared): State<Arc<Shared>>,
    request: Request,
    next: Next,
) -> Response {
    let Some(token) = &shared.token else {
        return next.run(request).await;
    };
    if request.uri().path() == "/healthz" {
        return next.run(request).await;
    }
    let presented = request
        .headers()
        .get(header::AUTHORIZATION)
        .map(|v| v.as_bytes())
        .and_then(|v| v.strip_prefix(b"Bearer "));
    match presented {
        Some(presented) if token.matches(presented) => next.run(request).await,
        Some(_) => {
            ApiError::new(StatusCode::UNAUTHORIZED, "the bearer token is wrong").into_response()
        }
        None => ApiError::new(
            StatusCode::UNAUTHORIZED,
            "a bearer token is required: Authorization: Bearer <token>",
        )
        .into_response(),
    }
}

/// Refuses, with 503 and `Retry-After`, a request past the concurrency limit, at once: a client
/// waits on its own side, not in a queue inside the server.
pub(crate) async fn limit_concurrency(
    State(permits): State<Arc<Semaphore>>,
    request: Request,
    next: Next,
) -> Response {
    match permits.try_acquire() {
        Ok(_permit) => next.run(request).await,
        Err(_) => ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "too many requests at once; retry",
        )
        .into_response(),
    }
}
