//! Validating a stream of JSON Lines once the catalog is compiled (`Validator::validate_lines`), on
//! one and two threads, against its floor, reading the same lines (`validate::parse_lines`): 100,000
//! renderings as `unisono gen` writes them, of a catalog of 100,000 synthetic products (far bigger
//! than the CPU's cache, as in production). Target (issue 6): 1,000,000 renderings/s on 2 cores,
//! within 2x of the floor.
//!
//! Beside them, the same lines read one by one on one thread by each reader measured against the
//! hand-written one (`read/100k`): `parse_line`, serde_json and sonic-rs into `Rendering`, and
//! serde_json into a borrowed mirror (`Cow<str>` strings).
//!
//! `cargo bench --bench stream --features testing,parallel`

#[path = "common/borrowed.rs"]
mod borrowed;

use std::time::Duration;

use criterion::measurement::WallTime;
use criterion::{
    BenchmarkGroup, Criterion, SamplingMode, Throughput, criterion_group, criterion_main,
};
use unisono::synthetic::{self, Plan, Shape};
use unisono::{Catalog, Policy, Rendering, Validator};

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
    over_every_line(&mut group, 20);
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

    // Each reader over every line, the rendering dropped before the next (as validation does).
    let mut group = c.benchmark_group("read/100k");
    over_every_line(&mut group, 10);
    /// Reads one line; its claim count.
    type Read = fn(&str) -> Option<usize>;
    let text = lines.as_str();
    let every = |read: Read| {
        move || {
            text.lines()
                .map(|line| read(line).unwrap_or(0))
                .sum::<usize>()
        }
    };
    let readers: [(&str, Read); 5] = [
        ("parse_line (hand-written reader)", |l| {
            Some(unisono::rendering::parse_line(l, 1).ok()?.claims.len())
        }),
        ("serde_json into Rendering", |l| {
            Some(serde_json::from_str::<Rendering>(l).ok()?.claims.len())
        }),
        ("sonic_rs into Rendering", |l| {
            Some(sonic_rs::from_str::<Rendering>(l).ok()?.claims.len())
        }),
        ("serde_json into the borrowed mirror", |l| {
            Some(
                serde_json::from_str::<borrowed::RenderingRef>(l)
                    .ok()?
                    .claim_count(),
            )
        }),
        ("sonic_rs into the borrowed mirror", |l| {
            Some(
                sonic_rs::from_str::<borrowed::RenderingRef>(l)
                    .ok()?
                    .claim_count(),
            )
        }),
    ];
    let claims = every(readers[0].1)();
    for (name, read) in readers {
        assert_eq!(every(read)(), claims, "{name} reads every claim");
        group.bench_function(name, |b| b.iter(every(read)));
    }
    group.finish();
}

/// A group whose iterations each go over all the lines, measured for `seconds`.
fn over_every_line(group: &mut BenchmarkGroup<'_, WallTime>, seconds: u64) {
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(Duration::from_secs(seconds))
        .throughput(Throughput::Elements(RENDERINGS as u64));
}

criterion_group!(benches, stream);
criterion_main!(benches);
