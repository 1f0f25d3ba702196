//! Validation speed: one rendering of five claims, and a batch, input already parsed; and the
//! reading of one JSON line, by `parse_line` (its fast reader, serde for the rest), by serde alone,
//! by sonic-rs, and into a borrowed mirror (`Cow<str>` strings: the floor of borrowing).
//! Target (issue 3): 1,000,000 renderings per second per core.

#[path = "common/borrowed.rs"]
mod borrowed;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use unisono::{Catalog, Policy, Rendering, Validator};

const CATALOG: &str = include_str!("../examples/data/catalog.json");
const RENDERINGS: &str = include_str!("../examples/data/renderings.json");

fn rendering(json: &str) -> Rendering {
    serde_json::from_str(json).expect("bench rendering parses")
}

fn bench(c: &mut Criterion) {
    let catalog = Catalog::from_json(CATALOG).expect("demo catalog compiles");
    let validator = Validator::new(&catalog, &Policy::default());

    // A consistent product-page rendering at one instant: price, reference, percent, availability, GTIN.
    let at_instant = rendering(
        r#"{"id": "p", "channel": "web-it", "sku": "LAPTOP-14", "shown": {"at": "2026-11-28T10:00:00+01:00"},
            "claims": [{"price": "719.20 EUR"}, {"reference_price": "899.00 EUR"}, {"percent_off": "20"},
                       {"availability": "in_stock"}, {"gtin": "8012345678907"}]}"#,
    );
    assert!(validator.validate(&at_instant).is_empty());
    // The same over the four days of the campaign (two stock snapshots inside).
    let over_window = rendering(
        r#"{"id": "p", "channel": "web-it", "sku": "LAPTOP-14",
            "shown": {"from": "2026-11-27T00:00:00+01:00", "until": "2026-12-01T00:00:00+01:00"},
            "claims": [{"price": "719.20 EUR"}, {"reference_price": "899.00 EUR"}, {"percent_off": "20"},
                       {"availability": "in_stock"}, {"gtin": "8012345678907"}]}"#,
    );
    assert!(validator.validate(&over_window).is_empty());
    // Without a reduction: the common case of a shelf label.
    let plain = rendering(
        r#"{"id": "p", "channel": "store-roma", "sku": "ESPRESSO-M1", "shown": {"at": "2026-11-20T10:00:00+01:00"},
            "claims": [{"price": "229.00 EUR"}, {"availability": "low_stock"}, {"gtin": "8012345678945"},
                       {"title": "Macchina espresso Barista M1"}, {"valid_from": "2026-10-01"}]}"#,
    );

    let mut group = c.benchmark_group("validate");
    group.throughput(Throughput::Elements(1));
    group.bench_function("one rendering, 5 claims, at an instant, reduction", |b| {
        b.iter(|| validator.validate(black_box(&at_instant)))
    });
    group.bench_function("one rendering, 5 claims, 4-day window, reduction", |b| {
        b.iter(|| validator.validate(black_box(&over_window)))
    });
    group.bench_function(
        "one rendering, 5 claims, at an instant, no reduction",
        |b| b.iter(|| validator.validate(black_box(&plain))),
    );
    group.finish();

    let batch = unisono::rendering::read_renderings(RENDERINGS).expect("demo renderings parse");
    let mut group = c.benchmark_group("validate_all");
    group.throughput(Throughput::Elements(batch.len() as u64));
    group.bench_function(
        "demo batch (51 renderings, 155 claims, cross-channel rule)",
        |b| b.iter(|| validator.validate_all(black_box(&batch))),
    );
    group.finish();
}

/// A line as `unisono gen` writes it: six claims, a unit price among them.
const LINE: &str = r#"{"id":"r2","channel":"web-it","sku":"SKI-0004248","shown":{"at":"2026-01-01T00:01:13Z"},"claims":[{"price":"68.90 EUR"},{"valid_until":"2026-04-07"},{"unit_price":{"price":"344.50 EUR","per":"1 l"}},{"availability":"out_of_stock"},{"gtin":"08085785464782"},{"title":"Crema solare Bella Pelle 200 ml"}]}"#;

fn parse(c: &mut Criterion) {
    use unisono::rendering::parse_line;
    // The same line with an escape in its title, which the fast reader decodes, and with a `meta`
    // object, which it leaves to serde.
    let escaped = LINE.replace("Crema", "Cr\\u00e8ma");
    let with_meta = LINE.replace(r#""sku""#, r#""meta":{"page":1},"sku""#);
    assert_eq!(parse_line(LINE, 1).ok(), serde_json::from_str(LINE).ok());
    assert_eq!(parse_line(LINE, 1).ok(), sonic_rs::from_str(LINE).ok());
    let mut group = c.benchmark_group("parse");
    group.throughput(Throughput::Bytes(LINE.len() as u64));
    group.bench_function("a generated line, parse_line (fast reader)", |b| {
        b.iter(|| parse_line(black_box(LINE), 1))
    });
    group.bench_function("a generated line, serde_json alone", |b| {
        b.iter(|| serde_json::from_str::<Rendering>(black_box(LINE)))
    });
    group.bench_function("a generated line, sonic_rs into Rendering", |b| {
        b.iter(|| sonic_rs::from_str::<Rendering>(black_box(LINE)))
    });
    group.bench_function(
        "a generated line, serde_json into the borrowed mirror",
        |b| b.iter(|| serde_json::from_str::<borrowed::RenderingRef>(black_box(LINE)).is_ok()),
    );
    group.bench_function("a generated line, sonic_rs into the borrowed mirror", |b| {
        b.iter(|| sonic_rs::from_str::<borrowed::RenderingRef>(black_box(LINE)).is_ok())
    });
    group.bench_function("the line with an escape, parse_line (decoded)", |b| {
        b.iter(|| parse_line(black_box(&escaped), 1))
    });
    group.bench_function(
        "the line with meta, parse_line (declined, then serde)",
        |b| b.iter(|| parse_line(black_box(&with_meta), 1)),
    );
    group.finish();
}

criterion_group!(benches, bench, parse);
criterion_main!(benches);
