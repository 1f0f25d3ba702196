//! The router with its layers, and the connections: accepted, read with a header timeout, and
//! closed gracefully on shutdown.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::http::StatusCode;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, mpsc, watch};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;

use crate::problem::ApiError;
use crate::state::Shared;
use crate::{Config, StartError, guard, routes};

/// The endpoints, without the layers.
fn endpoints(shared: &Shared) -> Router<Arc<Shared>> {
    let body = RequestBodyLimitLayer::new(shared.limits.max_body_bytes);
    let catalog = RequestBodyLimitLayer::new(shared.limits.max_catalog_bytes);
    Router::new()
        .route("/v1/validate", post(routes::validate).layer(body))
        .route("/v1/offer", post(routes::offer).layer(body))
        .route("/v1/extract/html", post(routes::extract_html).layer(body))
        .route("/v1/extract/text", post(routes::extract_text).layer(body))
        .route("/v1/catalog", put(routes::replace_catalog).layer(catalog))
        .route("/healthz", get(routes::healthz))
        .route("/metrics", get(routes::metrics))
        .route("/openapi.json", get(routes::openapi))
}

/// `endpoints` inside every layer, from the outermost: refusals as JSON, metrics, panics as 500,
/// the time limit, the token, the concurrency limit.
fn layered(endpoints: Router<Arc<Shared>>, shared: Arc<Shared>) -> Router {
    let permits = Arc::new(Semaphore::new(shared.limits.concurrency.max(1)));
    // The body must arrive within the timeout (408, in the handler); the answer within twice it.
    let answer = shared.limits.timeout.saturating_mul(2);
    endpoints
        .layer(from_fn_with_state(permits, guard::limit_concurrency))
        .layer(from_fn_with_state(Arc::clone(&shared), guard::authorize))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            answer,
        ))
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(from_fn_with_state(Arc::clone(&shared), guard::measure))
        .layer(from_fn(guard::json_refusals))
        .with_state(shared)
}

fn panic_response(_panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    ApiError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "the request failed inside the server (a panic); the server keeps serving",
    )
    .into_response()
}

/// A server started by [`start`]: its address, and how to stop it.
#[derive(Debug)]
pub struct Running {
    address: SocketAddr,
    shutdown: watch::Sender<bool>,
    server: Option<tokio::task::JoinHandle<()>>,
    runtime: Option<tokio::runtime::Runtime>,
    grace: Duration,
}

/// Starts serving `config` on `address` (port 0: any free port) on a runtime of its own, and
/// returns at once.
///
/// # Errors
/// [`StartError::NotLoopback`] for an address other than loopback without a token;
/// [`StartError::Io`] when the address cannot be bound.
pub fn start(config: Config, address: SocketAddr) -> Result<Running, StartError> {
    if config.token.is_none() && !address.ip().is_loopback() {
        return Err(StartError::NotLoopback { address });
    }
    let io = |source| StartError::Io { address, source };
    let threads = config
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from))
        .max(1);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(threads)
        .thread_name("unisono-serve")
        .enable_io()
        .enable_time()
        .build()
        .map_err(io)?;
    let listener = runtime.block_on(TcpListener::bind(address)).map_err(io)?;
    let bound = listener.local_addr().map_err(io)?;
    let limits = config.limits;
    let shared = Arc::new(Shared::new(
        config.catalog,
        config.policy,
        config.token,
        limits,
    ));
    let router = layered(endpoints(&shared), shared);
    let (shutdown, signal) = watch::channel(false);
    let server = runtime.spawn(accept(listener, router, limits.header_timeout, signal));
    Ok(Running {
        address: bound,
        shutdown,
        server: Some(server),
        runtime: Some(runtime),
        grace: limits.timeout.saturating_mul(2) + Duration::from_secs(1),
    })
}

/// Serves `config` on `address` until SIGTERM or SIGINT, then finishes the requests in flight.
///
/// # Errors
/// As [`start`]; and [`StartError::Io`] if the signals cannot be listened to.
pub fn run(config: Config, address: SocketAddr) -> Result<(), StartError> {
    let running = start(config, address)?;
    let waited = running.wait_for_signal();
    running.stop();
    waited.map_err(|source| StartError::Io { address, source })
}

impl Running {
    /// The address bound (with the port chosen, for port 0).
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// Blocks until the process receives SIGTERM or SIGINT.
    ///
    /// # Errors
    /// When the signal handlers cannot be installed.
    pub fn wait_for_signal(&self) -> std::io::Result<()> {
        let Some(runtime) = &self.runtime else {
            return Ok(());
        };
        runtime.block_on(async {
            #[cfg(unix)]
            {
                use tokio::signal::unix::{SignalKind, signal};
                let mut terminate = signal(SignalKind::terminate())?;
                let mut interrupt = signal(SignalKind::interrupt())?;
                tokio::select! {
                    _ = terminate.recv() => {}
                    _ = interrupt.recv() => {}
                }
                Ok(())
            }
            #[cfg(not(unix))]
            tokio::signal::ctrl_c().await
        })
    }

    /// Stops accepting, lets the requests in flight finish (for at most twice the request time
    /// limit and a second), closes idle connections, and returns.
    pub fn stop(mut self) {
        self.shut_down();
    }

    fn shut_down(&mut self) {
        let _ = self.shutdown.send(true);
        if let (Some(runtime), Some(server)) = (self.runtime.take(), self.server.take()) {
            let grace = self.grace;
            let _ = runtime.block_on(async move { tokio::time::timeout(grace, server).await });
            runtime.shutdown_timeout(Duration::from_secs(1));
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.shut_down();
    }
}

/// Accepts connections until `signal`, then waits for every connection to finish.
async fn accept(
    listener: TcpListener,
    router: Router,
    header_timeout: Duration,
    mut signal: watch::Receiver<bool>,
) {
    // Each connection holds a sender; when all are dropped, every connection has ended.
    let (open, mut closed) = mpsc::channel::<()>(1);
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                // Out of file descriptors, a connection reset before accept: wait a little.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                }
            },
            _ = signal.changed() => break,
        };
        let _ = stream.set_nodelay(true);
        let service = TowerToHyperService::new(router.clone());
        let mut signal = signal.clone();
        let open = open.clone();
        tokio::spawn(async move {
            let _open = open;
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(header_timeout);
            let connection = builder.serve_connection(TokioIo::new(stream), service);
            let mut connection = std::pin::pin!(connection);
            tokio::select! {
                _ = connection.as_mut() => {}
                _ = signal.changed() => {
                    connection.as_mut().graceful_shutdown();
                    let _ = connection.await;
                }
            }
        });
    }
    drop(listener);
    drop(open);
    let _ = closed.recv().await;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Limits, client::Client};

    fn catalog() -> unisono::Catalog {
        unisono::Catalog::from_json(include_str!("../../examples/data/catalog.json")).unwrap()
    }

    /// A handler that panics: the answer is a JSON 500, and the next request is served.
    #[test]
    fn a_panic_is_a_500_and_the_server_serves_on() {
        let shared = Arc::new(Shared::new(
            catalog(),
            unisono::Policy::default(),
            None,
            Limits::default(),
        ));
        let endpoints = endpoints(&shared).route(
            "/panic",
            get(|| async {
                if std::hint::black_box(true) {
                    panic!("a planted panic");
                }
            }),
        );
        let router = layered(endpoints, shared);
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let listener = runtime.block_on(TcpListener::bind("127.0.0.1:0")).unwrap();
        let address = listener.local_addr().unwrap();
        let (stop, signal) = watch::channel(false);
        let server = runtime.spawn(accept(listener, router, Duration::from_secs(5), signal));
        let mut client = Client::connect(address).unwrap();
        let response = client.request("GET", "/panic", &[], b"").unwrap();
        assert_eq!(response.status, 500);
        assert_eq!(
            response.text(),
            "{\"status\":500,\"error\":\"the request failed inside the server (a panic); the server keeps serving\"}\n"
        );
        let response = client.request("GET", "/healthz", &[], b"").unwrap();
        assert_eq!(response.status, 200);
        assert_eq!(response.text(), "{\"status\":\"ok\",\"generation\":1}\n");
        stop.send(true).unwrap();
        runtime.block_on(server).unwrap();
    }
}
