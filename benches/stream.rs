//! Validating a stream of JSON Lines once the catalog is compiled (`Validator::validate_lines`), on
//! one and two threads, against its floor, reading the same lines (`validate::parse_lines`): 100,000
//! renderings as `unisono gen` writes them, of a catalog of 100,000 synthetic products (far bigger
//! than the CPU's cache, as in production). Target (issue 6): 1,000,000 renderings/s on 2 cores,
//! within 2x of the floor.
//!
//! `cargo bench --bench stream --features testing,parallel`

use std::time::Duration;

use criterion::{Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use unisono::synthetic::{self, Plan, Shape};
use unisono::{Catalog, Policy, Validator};

const PRODUCTS: usize = 100_000;
const RENDERINGS: usize = 100_000;
const SEED: u64 = 2026;

fn stream(c: &mut Criterion) {
    let catalog =
        Catalog::compile(&synthetic::catalog(&Shape::new(PRODUCTS, SEED))).expect("compiles");
    let mut lines = String::new();
    for generated in synthetic::renderings(&catalog, &Plan::new(RENDERINGS, SEED)) {
        lines.push_str(&serde_json::to_string(&generated.rendering).expect("serializes"));
        lines.push('\n');
    }
    let validator = Validator::new(&catalog, &Policy::default());
    let report = validator
        .validate_lines(lines.as_bytes())
        .expect("the lines read");
    assert_eq!(report.summary.renderings, RENDERINGS);

    let mut group = c.benchmark_group("stream/100k");
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(Duration::from_secs(20))
        .throughput(Throughput::Elements(RENDERINGS as u64));
    for threads in [1, 2] {
        // The library works on the pool it is called in.
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("a pool of two threads builds");
        group.bench_function(format!("validate_lines, {threads} thread(s)"), |b| {
            b.iter(|| pool.install(|| validator.validate_lines(lines.as_bytes())))
        });
        group.bench_function(
            format!("parse_lines (the floor), {threads} thread(s)"),
            |b| b.iter(|| pool.install(|| unisono::validate::parse_lines(lines.as_bytes()))),
        );
    }
    group.finish();
}

criterion_group!(benches, stream);
criterion_main!(benches);
