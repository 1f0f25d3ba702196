//! `unisono serve`: the library behind an HTTP sidecar that keeps one compiled catalog warm and
//! answers what the `unisono` command answers — a report, an offer, renderings read from a page.
//!
//! Shops that cannot load native code (PHP on managed hosting, apps built on webhooks) call it
//! over HTTP on loopback or a private network. The endpoints, limits and security are in
//! `docs/serve.md`; the OpenAPI 3.1 document is generated from the handlers ([`openapi`]) and
//! served at `/openapi.json`.
//!
//! ```no_run
//! let catalog = unisono::Catalog::from_json(include_str!("../../examples/data/catalog.json"))?;
//! let config = unisono_serve::Config::new(catalog, unisono::Policy::default());
//! let address = "127.0.0.1:8080".parse()?;
//! // Serves until SIGTERM or SIGINT, then finishes the requests in flight.
//! unisono_serve::run(config, address)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod client;
mod guard;
mod metrics;
pub mod openapi;
mod problem;
mod routes;
mod server;
mod state;

use std::net::SocketAddr;
use std::time::Duration;

pub use problem::ApiError;
pub use server::{Running, run, start};

/// The header that names the catalog generation a response was computed on.
pub const GENERATION_HEADER: &str = "unisono-catalog-generation";

/// What the server serves and how: the catalog, the policy, the token and the limits.
#[derive(Debug)]
pub struct Config {
    /// The catalog served first (generation 1); `PUT /v1/catalog` replaces it.
    pub catalog: unisono::Catalog,
    /// The policy of every validation (CONTRACT §6) and of the offers' stock levels.
    pub policy: unisono::Policy,
    /// The bearer token every endpoint but `/healthz` requires; `None` allows only a loopback
    /// address.
    pub token: Option<Token>,
    /// The limits on requests.
    pub limits: Limits,
    /// Worker threads of the runtime (default: every core).
    pub threads: Option<usize>,
}

impl Config {
    /// A configuration with no token and the default limits.
    pub fn new(catalog: unisono::Catalog, policy: unisono::Policy) -> Config {
        Config {
            catalog,
            policy,
            token: None,
            limits: Limits::default(),
            threads: None,
        }
    }
}

/// The limits on requests. Past each one the request is refused with a JSON error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Bytes of a request body (validate, offer, extract): 413 past it.
    pub max_body_bytes: usize,
    /// Bytes of a catalog sent to `PUT /v1/catalog`: 413 past it.
    pub max_catalog_bytes: usize,
    /// Time to receive a request body (408 past it) and to answer the request (503 past it).
    pub timeout: Duration,
    /// Time for a client to send a request's headers; the connection is closed past it.
    pub header_timeout: Duration,
    /// Requests handled at once; more are refused with 503 at once (the client retries).
    pub concurrency: usize,
}

impl Default for Limits {
    /// 16 MiB bodies, 1 GiB catalogs, 10 s per request, 5 s for headers, 256 requests at once.
    fn default() -> Limits {
        Limits {
            max_body_bytes: 16 << 20,
            max_catalog_bytes: 1 << 30,
            timeout: Duration::from_secs(10),
            header_timeout: Duration::from_secs(5),
            concurrency: 256,
        }
    }
}

/// A bearer token, compared in constant time. Its `Debug` does not show it.
#[derive(Clone)]
pub struct Token(Vec<u8>);

impl Token {
    /// The token in `text`, without surrounding white space (a token file's final newline).
    ///
    /// ```
    /// assert!(unisono_serve::Token::new("s3cret\n").is_some());
    /// assert!(unisono_serve::Token::new(" \n").is_none());
    /// ```
    pub fn new(text: &str) -> Option<Token> {
        let token = text.trim();
        (!token.is_empty()).then(|| Token(token.as_bytes().to_vec()))
    }

    /// Whether `presented` is this token, in time that does not depend on where they differ.
    pub(crate) fn matches(&self, presented: &[u8]) -> bool {
        use subtle::ConstantTimeEq;
        self.0.as_slice().ct_eq(presented).into()
    }
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token(..)")
    }
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// Without a token, only a loopback address may be bound.
    #[error(
        "{address} is not a loopback address: without --token-file unisono serve listens only on 127.0.0.1 or ::1"
    )]
    NotLoopback {
        /// The address asked for.
        address: SocketAddr,
    },
    /// The address could not be bound, or the runtime could not start.
    #[error("{address}: {source}")]
    Io {
        /// The address asked for.
        address: SocketAddr,
        /// Why.
        source: std::io::Error,
    },
}
