//! A bounded load test on loopback: 2 client threads on keep-alive connections send mixed
//! validate and offer requests while the catalog is replaced every 5 s. It reports requests/s,
//! p50/p99 latency and errors, and asserts no failed request and no answer computed on a
//! half-swapped catalog. It asserts no timing: the figures go to docs/serve.md.
//!
//! Ignored by default; `.ci/serve.sh` runs it in release mode:
//! `cargo test --release -p unisono-serve --test load -- --ignored --nocapture`.
//! Settings (environment): `UNISONO_LOAD_SECONDS` (60), `UNISONO_LOAD_MAX_REQUESTS` (per client
//! thread, 5,000,000), `UNISONO_LOAD_SWAP_SECONDS` (5), `UNISONO_LOAD_OFFER_EVERY` (every 5th
//! request is an offer; 0 = validate only), `UNISONO_LOAD_SERVER_THREADS` (every core).

mod common;

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use common::{Ask, Expected, bearer, catalog_a, catalog_b, client};
use unisono_serve::{Config, Limits, Token};

fn setting(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// What one client thread saw.
#[derive(Default)]
struct Tally {
    latencies_us: Vec<u32>,
    validates: u64,
    offers: u64,
    failures: Vec<String>,
}

#[test]
#[ignore = "a load test: run in release by .ci/serve.sh"]
fn load_with_catalog_swaps() {
    let seconds = setting("UNISONO_LOAD_SECONDS", 60);
    let max_requests = setting("UNISONO_LOAD_MAX_REQUESTS", 5_000_000);
    let swap_every = Duration::from_secs(setting("UNISONO_LOAD_SWAP_SECONDS", 5).max(1));
    let offer_every = setting("UNISONO_LOAD_OFFER_EVERY", 5);
    let server_threads = setting("UNISONO_LOAD_SERVER_THREADS", 0);

    let catalog = unisono::Catalog::from_json(&catalog_a()).unwrap();
    let mut config = Config::new(catalog, unisono::Policy::default());
    config.token = Token::new(common::TOKEN);
    config.limits = Limits::default();
    config.threads = (server_threads > 0).then_some(server_threads as usize);
    let server = unisono_serve::start(config, "127.0.0.1:0".parse().unwrap()).unwrap();

    let expected = Expected::new();
    let done = AtomicBool::new(false);
    let started = Instant::now();
    let deadline = started + Duration::from_secs(seconds);
    let (a, b) = (catalog_a(), catalog_b());
    let (tallies, swaps, swap_failures) = std::thread::scope(|scope| {
        let clients: Vec<_> = (0..2)
            .map(|_| {
                let (server, expected, done) = (&server, &expected, &done);
                scope.spawn(move || {
                    let mut tally = Tally::default();
                    let mut client = client(server);
                    let mut n = 0_u64;
                    while n < max_requests && !done.load(Ordering::Relaxed) {
                        if Instant::now() >= deadline {
                            break;
                        }
                        let ask = if offer_every > 0 && n % offer_every == offer_every - 1 {
                            Ask::Offer
                        } else {
                            Ask::Validate
                        };
                        let (path, body) = Expected::request(ask);
                        let sent = Instant::now();
                        let response = client.request("POST", path, &[bearer()], body.as_bytes());
                        let took = sent.elapsed();
                        tally
                            .latencies_us
                            .push(u32::try_from(took.as_micros()).unwrap_or(u32::MAX));
                        match response {
                            Ok(response) => match expected.check(ask, &response) {
                                Ok(_) => {}
                                Err(failure) => tally.failures.push(failure),
                            },
                            Err(e) => tally.failures.push(format!("{ask:?}: {e}")),
                        }
                        match ask {
                            Ask::Validate => tally.validates += 1,
                            Ask::Offer => tally.offers += 1,
                        }
                        n += 1;
                    }
                    tally
                })
            })
            .collect();
        // The catalog is replaced every `swap_every` until the clients are done, each time on a
        // new connection: an idle keep-alive connection is closed by the server after its header
        // time (5 s, as long as the swaps are apart), and a client that kept one would race it.
        let (mut swaps, mut swap_failures) = (0_u64, Vec::new());
        let mut next = started + swap_every;
        while !clients.iter().all(|c| c.is_finished()) {
            if Instant::now() < next {
                std::thread::sleep(Duration::from_millis(20));
                continue;
            }
            next += swap_every;
            let catalog = if swaps % 2 == 0 { &b } else { &a };
            let mut swapper = client(&server);
            match swapper.request("PUT", "/v1/catalog", &[bearer()], catalog.as_bytes()) {
                Ok(r) if r.status == 200 => swaps += 1,
                Ok(r) => swap_failures.push(format!("PUT: {} {}", r.status, r.text())),
                Err(e) => swap_failures.push(format!("PUT: {e}")),
            }
        }
        done.store(true, Ordering::Relaxed);
        let tallies: Vec<Tally> = clients.into_iter().map(|c| c.join().unwrap()).collect();
        (tallies, swaps, swap_failures)
    });
    let elapsed = started.elapsed().as_secs_f64();
    let mut latencies: Vec<u32> = tallies
        .iter()
        .flat_map(|t| t.latencies_us.iter().copied())
        .collect();
    latencies.sort_unstable();
    let quantile = |q: f64| {
        let i = ((latencies.len() as f64 * q).ceil() as usize).saturating_sub(1);
        latencies.get(i).copied().unwrap_or(0)
    };
    let validates: u64 = tallies.iter().map(|t| t.validates).sum();
    let offers: u64 = tallies.iter().map(|t| t.offers).sum();
    let failures: Vec<&String> = tallies.iter().flat_map(|t| &t.failures).collect();
    let requests = validates + offers;
    println!(
        "load: {elapsed:.1} s, 2 client threads, keep-alive; {requests} requests ({validates} validate, {offers} offer), {:.0} requests/s; latency p50 {} us, p99 {} us, max {} us; {swaps} catalog swaps; {} failed requests, {} failed swaps",
        requests as f64 / elapsed,
        quantile(0.50),
        quantile(0.99),
        latencies.last().copied().unwrap_or(0),
        failures.len(),
        swap_failures.len(),
    );
    assert!(requests > 0);
    assert!(
        failures.is_empty(),
        "{} failures, the first: {}",
        failures.len(),
        failures[0]
    );
    assert!(swap_failures.is_empty(), "{swap_failures:?}");
    if elapsed > swap_every.as_secs_f64() + 1.0 {
        assert!(swaps > 0, "the catalog was never replaced");
    }
    server.stop();
}
