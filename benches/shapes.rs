//! The shapes of hostile or huge input (issue 23), each at growing sizes, to show the growth is
//! linear (or n log n): many renderings of one product that all overlap (the cross-channel rule),
//! and many claims in one rendering. `cargo bench --bench shapes`; the table is in
//! benches/README.md.

use std::time::Duration;

use criterion::{
    BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group, criterion_main,
};
use unisono::{Catalog, Policy, Validator};

fn shapes(c: &mut Criterion) {
    let catalog = Catalog::from_json(include_str!("../examples/data/catalog.json"))
        .expect("the demo catalog compiles");
    let validator = Validator::new(&catalog, &Policy::default());
    let mut group = c.benchmark_group("shapes");
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));

    // One best seller on every channel all day, every price the same: nothing to report, and the
    // rule must still look at each rendering against those it overlaps.
    for n in [10_000_usize, 100_000, 1_000_000] {
        let lines: String = (0..n)
            .map(|i| {
                format!(
                    "{{\"id\": \"r{i}\", \"channel\": \"web-it\", \"sku\": \"LAPTOP-14\", \"shown\": {{\"from\": \"2026-11-28T00:00:00+01:00\", \"until\": \"2026-11-29T00:00:00+01:00\"}}, \"claims\": [{{\"price\": \"719.20 EUR\"}}]}}\n"
                )
            })
            .collect();
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(
            BenchmarkId::new("one product, all overlapping", n),
            &lines,
            |b, lines| b.iter(|| validator.validate_lines(lines.as_bytes())),
        );
    }

    // One rendering with many claims (validity claims look at the others).
    for n in [1_000_usize, 10_000, 100_000] {
        let claims: Vec<String> = (0..n)
            .map(|i| match i % 3 {
                0 => "{\"price\": \"719.20 EUR\"}".to_owned(),
                1 => "{\"valid_until\": \"2026-11-30\"}".to_owned(),
                _ => "{\"promotion\": \"BF26\"}".to_owned(),
            })
            .collect();
        let line = format!(
            "{{\"id\": \"r\", \"channel\": \"web-it\", \"sku\": \"LAPTOP-14\", \"shown\": {{\"at\": \"2026-11-28T10:00:00+01:00\"}}, \"claims\": [{}]}}\n",
            claims.join(", ")
        );
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(
            BenchmarkId::new("claims of one rendering", n),
            &line,
            |b, line| b.iter(|| validator.validate_lines(line.as_bytes())),
        );
    }
    group.finish();
}

criterion_group!(benches, shapes);
criterion_main!(benches);
