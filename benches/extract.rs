//! Reading web pages and feeds, on the real pages of `../shared/realdata/`.
//!
//! `scan/*` measures the HTML parsers side by side on the same job: parse the page, then find the
//! JSON-LD scripts (with their text), the `meta property` tags and the `itemscope` / `typeof`
//! elements. `scraper` is html5ever (the WHATWG parsing algorithm, a DOM tree); `tl` is a fast
//! non-conforming parser. `extract/*` is unisono's whole reading of a page or feed.
//!
//! Run: `cargo bench --features extract --bench extract`. Pages absent: the bench says so and skips.

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use unisono::extract::html::Context;

const PAGES: [&str; 4] = [
    "html/product.html",
    "html/product_microdata.html",
    "html/microdata-with-description.html",
    "html/opengraph_ns_product_test.html",
];

fn realdata(path: &str) -> Option<String> {
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/realdata")
        .join(path);
    match std::fs::read_to_string(&file) {
        Ok(text) => Some(text),
        Err(e) => {
            eprintln!("skipped: {} is absent ({e})", file.display());
            None
        }
    }
}

/// What the scan found: JSON-LD bytes, meta tags, item roots.
type Found = (usize, usize, usize);

fn scan_scraper(html: &str) -> Found {
    let document = scraper::Html::parse_document(html);
    let mut found = (0, 0, 0);
    for element in document.root_element().descendent_elements() {
        let e = element.value();
        match e.name() {
            "script" if e.attr("type") == Some("application/ld+json") => {
                found.0 += element.text().map(str::len).sum::<usize>();
            }
            "meta" if e.attr("property").is_some() => found.1 += 1,
            _ => {}
        }
        if e.attr("itemscope").is_some() || e.attr("typeof").is_some() {
            found.2 += 1;
        }
    }
    found
}

fn scan_tl(html: &str) -> Found {
    let Ok(dom) = tl::parse(html, tl::ParserOptions::default()) else {
        return (0, 0, 0);
    };
    let parser = dom.parser();
    let mut found = (0, 0, 0);
    for node in dom.nodes() {
        let Some(tag) = node.as_tag() else { continue };
        let attributes = tag.attributes();
        let name = tag.name().as_bytes();
        if name.eq_ignore_ascii_case(b"script")
            && attributes
                .get("type")
                .flatten()
                .is_some_and(|t| t.as_bytes() == b"application/ld+json")
        {
            found.0 += tag.inner_text(parser).len();
        } else if name.eq_ignore_ascii_case(b"meta") && attributes.contains("property") {
            found.1 += 1;
        }
        if attributes.contains("itemscope") || attributes.contains("typeof") {
            found.2 += 1;
        }
    }
    found
}

fn pages(c: &mut Criterion) {
    let context = Context::at("page", "web", chrono::DateTime::UNIX_EPOCH);
    for path in PAGES {
        let Some(html) = realdata(path) else { return };
        let name = path.trim_start_matches("html/");
        let mut group = c.benchmark_group(name);
        group.throughput(Throughput::Bytes(html.len() as u64));
        group.sample_size(20);
        group.bench_function("scan/scraper", |b| {
            b.iter(|| scan_scraper(black_box(&html)))
        });
        group.bench_function("scan/tl", |b| b.iter(|| scan_tl(black_box(&html))));
        group.bench_function("extract/unisono", |b| {
            b.iter(|| unisono::extract::html::extract(black_box(&html), &context))
        });
        group.finish();
        // Both parsers see the same things (printed once, for the README).
        eprintln!(
            "{name}: scraper found {:?}, tl found {:?} (JSON-LD bytes, meta property, item roots)",
            scan_scraper(&html),
            scan_tl(&html)
        );
    }
    if let Some(feed) = realdata("feeds/google_example_feed.xml") {
        let mut group = c.benchmark_group("google_example_feed.xml");
        group.throughput(Throughput::Bytes(feed.len() as u64));
        group.bench_function("extract/unisono", |b| {
            b.iter(|| unisono::extract::feed::extract(black_box(&feed), &context))
        });
        group.finish();
    }
}

criterion_group!(benches, pages);
criterion_main!(benches);
