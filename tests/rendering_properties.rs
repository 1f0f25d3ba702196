//! Property tests of the validator against the reference renderer of `unisono::testing`.
//!
//! 1. Soundness: what `render` makes of any offer of any generated catalog, at any instant where the
//!    offer exists, has no finding under the default policy.
//! 2. Sensitivity: every single wrong claim `mutations` plants is reported by its rule, on that
//!    claim.
//! 3. The generators reach every claim the renderer writes and every mistake (over a fixed-seed
//!    sample), so that 1 and 2 cannot pass by never meeting a case.
//!
//! A failure prints the shrunk rendering, the findings and the catalog document as JSON, ready for
//! `unisono validate`.

mod common;

use common::cases;

use std::collections::BTreeSet;

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{TestCaseError, TestRunner};
use unisono::catalog::document::CatalogDocument;
use unisono::testing::{
    ArbConfig, MutationPick, OfferPick, arb_catalog_document, arb_catalog_document_with,
    arb_mutation_pick, arb_offer_pick, document_instants, mutations, render,
};
use unisono::{Catalog, ClaimValue, Finding, Offer, Policy, Rendering, Rule, Validator};

type Checked = Result<(), TestCaseError>;

/// Offers looked at in each generated catalog: compiling the catalog costs more than validating.
const OFFERS_PER_CATALOG: usize = 4;

/// Catalogs of the default sizes, and busy ones: few products under many promotions and stock
/// counts, where reductions, stacking, multi-buys and low stock are common.
fn catalogs() -> impl Strategy<Value = CatalogDocument> {
    let busy = ArbConfig {
        products: 1..=2,
        promotions: 2..=8,
        stock_snapshots: 1..=6,
        ..ArbConfig::default()
    };
    prop_oneof![arb_catalog_document(), arb_catalog_document_with(busy)]
}

fn compiled(doc: &CatalogDocument) -> Result<Catalog, TestCaseError> {
    Catalog::compile(doc)
        .map_err(|e| TestCaseError::fail(format!("generated document does not compile: {e:?}")))
}

fn own_kind(offer: &Offer<'_>) -> unisono::catalog::ChannelKind {
    offer.catalog().channel_at(offer.channel_key()).kind
}

fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

fn listed(findings: &[Finding]) -> String {
    findings
        .iter()
        .map(|f| format!("\n  {} claim {:?}: {}", f.rule, f.claim, f.message))
        .collect()
}

/// The case, for a failure message: the rendering, the offer and the catalog as JSON.
fn case(r: &Rendering, offer: &Offer<'_>, doc: &CatalogDocument) -> String {
    format!(
        "\nrendering: {}\noffer: {}\ndocument: {}",
        json(r),
        json(offer),
        json(doc)
    )
}

fn check_sound(doc: &CatalogDocument, picks: &[OfferPick]) -> Checked {
    let catalog = compiled(doc)?;
    let validator = Validator::new(&catalog, &Policy::default());
    let marks = document_instants(doc);
    for pick in picks {
        // A catalog where no listed product ever has a price has no offer to render.
        let Some(offer) = pick.offer_near(&catalog, &marks) else {
            continue;
        };
        let r = render(&offer, own_kind(&offer));
        let findings = validator.validate(&r);
        prop_assert!(
            findings.is_empty(),
            "the reference rendering has findings:{}{}",
            listed(&findings),
            case(&r, &offer, doc)
        );
    }
    Ok(())
}

fn check_sensitive(doc: &CatalogDocument, picks: &[(OfferPick, MutationPick)]) -> Checked {
    let catalog = compiled(doc)?;
    let validator = Validator::new(&catalog, &Policy::default());
    let marks = document_instants(doc);
    for (pick, mistake) in picks {
        let Some(offer) = pick.offer_near(&catalog, &marks) else {
            continue;
        };
        let Some(m) = mistake.mutation(&offer, own_kind(&offer)) else {
            continue;
        };
        let findings = validator.validate(&m.rendering);
        // A claim left out is reported on the claim that needed it; any other on the claim itself.
        let caught = findings
            .iter()
            .any(|f| f.rule == m.rule && (m.removed || f.claim == Some(m.claim)));
        prop_assert!(
            caught,
            "{} (claim {}) is not reported as {}; findings:{}{}",
            m.what,
            m.claim,
            m.rule,
            listed(&findings),
            case(&m.rendering, &offer, doc)
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(cases(4000))]

    /// Property 1: a correct rendering has no finding.
    #[test]
    fn reference_renderings_have_no_findings(
        doc in catalogs(),
        picks in vec(arb_offer_pick(), OFFERS_PER_CATALOG),
    ) {
        check_sound(&doc, &picks)?;
    }

    /// Property 2: every planted mistake is reported by its rule.
    #[test]
    fn every_planted_mistake_is_caught(
        doc in catalogs(),
        picks in vec((arb_offer_pick(), arb_mutation_pick()), OFFERS_PER_CATALOG),
    ) {
        check_sensitive(&doc, &picks)?;
    }
}

/// The demo catalog's real titles, GTINs, campaigns and stores, with the same two properties.
#[test]
fn demo_catalog_renderings_are_sound_and_mistakes_caught() {
    let text = include_str!("../examples/data/catalog.json");
    let doc: CatalogDocument = serde_json::from_str(text).expect("the demo catalog parses");
    let mut runner = TestRunner::new(cases(400));
    let picks = vec((arb_offer_pick(), arb_mutation_pick()), OFFERS_PER_CATALOG);
    let result = runner.run(&picks, |picks| {
        let offers: Vec<OfferPick> = picks.iter().map(|(o, _)| o.clone()).collect();
        check_sound(&doc, &offers)?;
        check_sensitive(&doc, &picks)
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}

/// What a rendering's claims show, for coverage: the claim kinds, and the forms that matter.
fn features(r: &Rendering) -> Vec<String> {
    let mut out: Vec<String> = r
        .claims
        .iter()
        .map(|c| match &c.value {
            ClaimValue::ValidUntil(unisono::rendering::DateOrInstant::Date(_)) => {
                "valid_until as a date".to_owned()
            }
            ClaimValue::Availability(a) => format!("availability {}", a.as_str()),
            other => other.kind().to_owned(),
        })
        .collect();
    if !r
        .claims
        .iter()
        .any(|c| matches!(c.value, ClaimValue::Price(_)))
    {
        out.push("no price".to_owned());
    }
    out
}

/// The generators reach every claim the renderer writes and every rule a mistake must trigger.
#[test]
fn generators_reach_every_claim_and_every_mistake() {
    let mut runner = TestRunner::deterministic();
    let strategy = (
        arb_catalog_document(),
        vec(arb_offer_pick(), OFFERS_PER_CATALOG),
    );
    let mut seen_claims = BTreeSet::new();
    let mut seen_rules = BTreeSet::new();
    for _ in 0..400 {
        let (doc, picks) = strategy
            .new_tree(&mut runner)
            .expect("the strategies have no filter")
            .current();
        let catalog = Catalog::compile(&doc).expect("generated documents compile");
        let marks = document_instants(&doc);
        for pick in &picks {
            let Some(offer) = pick.offer_near(&catalog, &marks) else {
                continue;
            };
            let kind = own_kind(&offer);
            seen_claims.extend(features(&render(&offer, kind)));
            for size in [1, 250] {
                seen_rules.extend(mutations(&offer, kind, size).iter().map(|m| m.rule.code()));
            }
        }
    }
    let claims = [
        "price",
        "member_price",
        "reference_price",
        "percent_off",
        "multi_buy",
        "valid_until",
        "valid_until as a date",
        "unit_price",
        "availability in_stock",
        "availability low_stock",
        "availability out_of_stock",
        "stock_quantity",
        "gtin",
        "title",
        "tier_price",
        "group_price",
        "volume_price",
        "rrp",
        "anchor_price",
        "coupon",
        "variant",
        "price_from",
        "percent_off_up_to",
        "no price",
    ];
    let missing: Vec<&str> = claims
        .into_iter()
        .filter(|c| !seen_claims.contains(*c))
        .collect();
    assert!(missing.is_empty(), "never rendered: {missing:?}");
    let planted = |rule: &Rule| !unisono::testing::NOT_PLANTED.iter().any(|(r, _)| r == rule);
    let rules: Vec<Rule> = Rule::ALL.iter().copied().filter(planted).collect();
    let missing: Vec<&str> = rules
        .iter()
        .map(Rule::code)
        .filter(|code| !seen_rules.contains(code))
        .collect();
    assert!(missing.is_empty(), "no mistake planted for: {missing:?}");
}
