//! Validation of generated data finds exactly the planted inconsistencies: precision and recall 100%.

use std::collections::BTreeSet;

use unisono::synthetic::{Plan, Shape, catalog, renderings};
use unisono::{Catalog, Policy, Validator};

fn check(products: usize, count: usize, seed: u64) {
    let catalog = Catalog::compile(&catalog(&Shape::new(products, seed)))
        .expect("generated catalogs compile");
    let generated: Vec<_> = renderings(&catalog, &Plan::new(count, seed)).collect();
    assert_eq!(generated.len(), count);
    let planted: BTreeSet<(String, String)> = generated
        .iter()
        .flat_map(|g| {
            g.planted
                .iter()
                .map(|p| (p.rendering.clone(), p.rule.code().to_owned()))
        })
        .collect();
    let all: Vec<unisono::Rendering> = generated.into_iter().map(|g| g.rendering).collect();
    let validator = Validator::new(&catalog, &Policy::default());
    let report = validator.validate_all(&all);
    // Streamed JSON Lines, on one thread and on two, give the same report, byte for byte.
    let lines: String = all
        .iter()
        .map(|r| serde_json::to_string(r).expect("renderings serialize") + "\n")
        .collect();
    for threads in [1, 2] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("a pool of two threads builds");
        let streamed = pool
            .install(|| validator.validate_lines(lines.as_bytes()))
            .expect("generated lines parse");
        assert_eq!(
            unisono::report::json(&streamed),
            unisono::report::json(&report),
            "{threads} threads"
        );
    }
    let found: BTreeSet<(String, String)> = report
        .findings
        .iter()
        .map(|f| (f.rendering.clone(), f.rule.code().to_owned()))
        .collect();
    let missed: Vec<_> = planted.difference(&found).collect();
    let extra: Vec<_> = found.difference(&planted).collect();
    let show = |pairs: &[&(String, String)]| -> String {
        pairs
            .iter()
            .take(10)
            .map(|(id, rule)| {
                let f = report.findings.iter().find(|f| &f.rendering == id);
                format!(
                    "{id} {rule}: {}",
                    f.map_or(String::new(), |f| f.message.clone())
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert!(
        missed.is_empty() && extra.is_empty(),
        "{} planted, {} found; missed {}:\n{}\nextra {}:\n{}",
        planted.len(),
        found.len(),
        missed.len(),
        show(&missed),
        extra.len(),
        show(&extra)
    );
    assert!(
        planted.len() > count / 100,
        "{} planted in {count}",
        planted.len()
    );
}

#[test]
fn generated_renderings_have_exactly_their_planted_findings() {
    check(300, 3000, 1);
}

#[test]
fn another_seed_and_size() {
    check(1000, 5000, 2026);
}
