//! `unisono serve`: reads the catalog, the policy and the token here, and hands them to the
//! `unisono-serve` library, which serves them until SIGTERM.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use super::{Failure, load_catalog, load_policy, read};

/// `unisono serve`'s options.
#[derive(clap::Args)]
pub(crate) struct Options {
    /// The catalog JSON file served first; `PUT /v1/catalog` replaces it.
    #[arg(long)]
    catalog: PathBuf,
    /// A policy JSON file (CONTRACT §6); defaults apply without one.
    #[arg(long)]
    policy: Option<PathBuf>,
    /// The address to listen on. Without --token-file, only a loopback address.
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// A file holding the bearer token every endpoint but /healthz requires.
    #[arg(long)]
    token_file: Option<PathBuf>,
    /// Largest request body, in bytes (validate, offer, extract).
    #[arg(long, default_value_t = unisono_serve::Limits::default().max_body_bytes)]
    max_body_bytes: usize,
    /// Largest catalog sent to PUT /v1/catalog, in bytes.
    #[arg(long, default_value_t = unisono_serve::Limits::default().max_catalog_bytes)]
    max_catalog_bytes: usize,
    /// Time for a request body to arrive, in milliseconds (the answer gets twice it).
    #[arg(long, default_value_t = 10_000)]
    timeout_ms: u64,
    /// Requests handled at once; more are refused with 503.
    #[arg(long, default_value_t = unisono_serve::Limits::default().concurrency)]
    concurrency: usize,
    /// Worker threads (default: every core).
    #[arg(long)]
    threads: Option<usize>,
}

pub(crate) fn run(options: &Options) -> Result<ExitCode, Failure> {
    let token = match &options.token_file {
        None => None,
        Some(path) => Some(unisono_serve::Token::new(&read(path)?).ok_or_else(|| {
            Failure::Input(format!("{}: the token file is empty", path.display()))
        })?),
    };
    let mut config = unisono_serve::Config::new(
        load_catalog(&options.catalog)?,
        load_policy(options.policy.as_deref())?,
    );
    config.token = token;
    config.threads = options.threads;
    config.limits = unisono_serve::Limits {
        max_body_bytes: options.max_body_bytes,
        max_catalog_bytes: options.max_catalog_bytes,
        timeout: Duration::from_millis(options.timeout_ms.max(1)),
        concurrency: options.concurrency.max(1),
        ..unisono_serve::Limits::default()
    };
    let running =
        unisono_serve::start(config, options.listen).map_err(|e| Failure::Input(e.to_string()))?;
    eprintln!(
        "unisono serve: listening on http://{} (catalog {})",
        running.address(),
        options.catalog.display()
    );
    let waited = running.wait_for_signal();
    eprintln!("unisono serve: stopping; finishing the requests in flight");
    running.stop();
    waited.map_err(|e| Failure::Input(format!("signals: {e}")))?;
    eprintln!("unisono serve: stopped");
    Ok(ExitCode::SUCCESS)
}
