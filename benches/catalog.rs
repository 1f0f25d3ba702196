//! The catalog at retail scale: compiling 100 000 synthetic products (`compile/100k`), and offers and
//! timelines on them (`offer/100k`). Targets: compile under 1 s, `offer` at most 1 µs median.
//!
//! `compile/100k` also measures the readers against each other on the same text: the streaming
//! reader (`from_reader_sized`, what the CLI used), and the whole text parsed into a
//! `CatalogDocument` by `serde_json::from_slice` or `sonic_rs::from_slice`, then compiled.
//!
//! `cargo bench --bench catalog`; one group: `cargo bench --bench catalog -- offer/`.

use std::hint::black_box;
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use criterion::{Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use unisono::catalog::{ChannelKey, ProductKey};
use unisono::synthetic::{self, Shape, SplitMix64};
use unisono::time::Window;
use unisono::{Catalog, CatalogDocument, OfferOptions};

const PRODUCTS: usize = 100_000;
const SEED: u64 = 2026;
/// Queries cycled through, so that no single case stays in cache.
const QUERIES: usize = 4096;

fn compile(c: &mut Criterion) {
    let doc = synthetic::catalog(&Shape::new(PRODUCTS, SEED));
    let json = serde_json::to_string(&doc).expect("a document serializes");
    eprintln!(
        "catalog: {} products, {} prices, {} promotions, {} stock snapshots; {:.1} MB of JSON",
        doc.products.len(),
        doc.prices.len(),
        doc.promotions.len(),
        doc.stock.len(),
        json.len() as f64 / 1e6,
    );
    let mut group = c.benchmark_group("compile/100k");
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(60))
        .throughput(Throughput::Bytes(json.len() as u64));
    // Dropping a catalog is not part of making one.
    group.bench_function("from_json", |b| {
        b.iter_with_large_drop(|| Catalog::from_json(black_box(&json)).expect("it compiles"))
    });
    group.bench_function("from_reader_sized (streaming reader)", |b| {
        b.iter_with_large_drop(|| {
            Catalog::from_reader_sized(black_box(json.as_bytes()), json.len() as u64)
                .expect("it compiles")
        })
    });
    group.bench_function("serde_json::from_slice, then compile", |b| {
        b.iter_with_large_drop(|| {
            let document: CatalogDocument =
                serde_json::from_slice(black_box(json.as_bytes())).expect("it parses");
            Catalog::compile(&document).expect("it compiles")
        })
    });
    group.bench_function("sonic_rs::from_slice, then compile", |b| {
        b.iter_with_large_drop(|| {
            let document: CatalogDocument =
                sonic_rs::from_slice(black_box(json.as_bytes())).expect("it parses");
            Catalog::compile(&document).expect("it compiles")
        })
    });
    group.measurement_time(Duration::from_secs(25));
    group.bench_function("compile", |b| {
        b.iter_with_large_drop(|| Catalog::compile(black_box(&doc)).expect("it compiles"))
    });
    group.finish();
}

/// One offer asked for: by ids and by keys.
#[derive(Clone, Copy)]
struct Query<'c> {
    sku: &'c str,
    channel: &'c str,
    product: ProductKey,
    channel_key: ChannelKey,
    at: DateTime<Utc>,
    reduced: bool,
}

/// `QUERIES` (product, channel, instant) triples with an offer, drawn over 2026.
fn queries(catalog: &Catalog) -> Vec<Query<'_>> {
    let mut rng = SplitMix64::new(SEED);
    let year = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
    let seconds = 365 * 24 * 3600;
    let mut out = Vec::with_capacity(QUERIES);
    while out.len() < QUERIES {
        let product = &catalog.products()[rng.below(PRODUCTS as u64) as usize];
        let channels = catalog.channels();
        let channel = &channels[rng.below(channels.len() as u64) as usize];
        let at = year + chrono::Duration::seconds(rng.below(seconds) as i64);
        // Products not sold there, or not launched yet, are not what this measures.
        let Ok(offer) = catalog.offer(&product.sku, &channel.id, at) else {
            continue;
        };
        out.push(Query {
            sku: &product.sku,
            channel: &channel.id,
            product: offer.product_key(),
            channel_key: offer.channel_key(),
            at,
            reduced: offer.reduction.is_some(),
        });
    }
    out
}

/// Benchmarks `ask` over the queries, one query per iteration, in turn.
fn cycle<T>(queries: &[Query<'_>], mut ask: impl FnMut(&Query<'_>) -> T) -> impl FnMut() -> T {
    let mut next = 0;
    move || {
        let query = &queries[next];
        next = (next + 1) % queries.len();
        ask(black_box(query))
    }
}

fn offers(c: &mut Criterion) {
    let catalog = Catalog::compile(&synthetic::catalog(&Shape::new(PRODUCTS, SEED)))
        .expect("a synthetic catalog compiles");
    let all = queries(&catalog);
    let (reduced, regular): (Vec<&Query>, Vec<&Query>) = all.iter().partition(|q| q.reduced);
    eprintln!(
        "queries: {} offers, {} with a reduction in progress (prior price looked up)",
        all.len(),
        reduced.len()
    );
    let options = OfferOptions::default();
    let mut group = c.benchmark_group("offer/100k");
    group
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(Duration::from_secs(5));
    group.bench_function("offer", |b| {
        b.iter(cycle(&all, |q| catalog.offer(q.sku, q.channel, q.at)))
    });
    group.bench_function("offer_of", |b| {
        b.iter(cycle(&all, |q| {
            catalog.offer_of(q.product, q.channel_key, q.at, &options)
        }))
    });
    // Where the time goes. Sixteen queries stay in cache: the rest of `offer_of` is memory latency.
    // The prior price is only looked up while a reduction is in progress.
    let warm: Vec<&Query> = all.iter().take(16).collect();
    for (name, subset) in [
        ("offer_of/warm", &warm),
        ("offer_of/regular", &regular),
        ("offer_of/reduced", &reduced),
    ] {
        let subset: Vec<Query> = subset.iter().map(|q| **q).collect();
        group.bench_function(name, |b| {
            b.iter(cycle(&subset, |q| {
                catalog.offer_of(q.product, q.channel_key, q.at, &options)
            }))
        });
    }
    group.bench_function("resolve", |b| {
        b.iter(cycle(&all, |q| {
            (catalog.product_key(q.sku), catalog.channel_key(q.channel))
        }))
    });
    group.bench_function("timeline/30d", |b| {
        b.iter(cycle(&all, |q| {
            let month = Window::new(q.at, Some(q.at + chrono::Duration::days(30)));
            catalog.timeline(q.sku, q.channel, month)
        }))
    });
    group.finish();
}

criterion_group!(benches, compile, offers);
criterion_main!(benches);
