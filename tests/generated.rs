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

/// `gen` plants the mistakes of catalog v2 too (tier, group and volume prices, RRP, anchor price,
/// coupons, families), and validation finds exactly them.
#[test]
fn catalog_v2_mistakes_are_planted_and_found() {
    let catalog =
        Catalog::compile(&catalog(&Shape::new(400, 11))).expect("generated catalogs compile");
    // Family reductions are rare (a family shows "up to -N%" in one rendering in a thousand): many
    // renderings, half of them with a mistake.
    let mut plan = Plan::new(40_000, 11);
    plan.mistakes_per_mille = 500;
    // No cross-channel pairs: this test is about the mistakes of one rendering.
    plan.pairs_per_mille = 0;
    let generated: Vec<_> = renderings(&catalog, &plan).collect();
    let planted: BTreeSet<(String, String)> = generated
        .iter()
        .flat_map(|g| {
            g.planted
                .iter()
                .map(|p| (p.rendering.clone(), p.rule.code().to_owned()))
        })
        .collect();
    let rules: BTreeSet<&str> = planted.iter().map(|(_, rule)| rule.as_str()).collect();
    let all: Vec<unisono::Rendering> = generated.into_iter().map(|g| g.rendering).collect();
    let report = Validator::new(&catalog, &Policy::default()).validate_all(&all);
    let found: BTreeSet<(String, String)> = report
        .findings
        .iter()
        .map(|f| (f.rendering.clone(), f.rule.code().to_owned()))
        .collect();
    let missed: Vec<_> = planted.difference(&found).take(5).collect();
    let extra: Vec<_> = found.difference(&planted).take(5).collect();
    assert!(
        missed.is_empty() && extra.is_empty(),
        "missed {missed:?}, extra {extra:?}"
    );
    let v2 = [
        "price.tier_mismatch",
        "price.group_mismatch",
        "price.volume_mismatch",
        "rrp.mismatch",
        "discount.rrp_overstated",
        "anchor.mismatch",
        "anchor.missing",
        "promotion.coupon_mismatch",
        "family.unknown_variant",
        "family.price_from_mismatch",
        "discount.up_to_overstated",
        "discount.up_to_understated",
    ];
    let never: Vec<&str> = v2.into_iter().filter(|r| !rules.contains(r)).collect();
    assert!(never.is_empty(), "never planted: {never:?}");
}
