//! Catalog v2 (CONTRACT §10–§12, §15): the document, its compile errors and lints, and offers by
//! group, tier, quantity, coupon, RRP and anchor date.

mod common;

use unisono::catalog::{CatalogDocument, ProblemKind};
use unisono::offer::Buyer;
use unisono::time::parse_instant;
use unisono::{Catalog, CatalogError};

const V2: &str = include_str!("data/catalog_v2.json");

fn at(text: &str) -> chrono::DateTime<chrono::Utc> {
    parse_instant(text).expect("a test instant")
}

fn buyer(group: Option<&str>, tier: Option<&str>, quantity: Option<u32>) -> Buyer {
    Buyer {
        group: group.map(str::to_owned),
        tier: tier.map(str::to_owned),
        quantity,
    }
}

/// Everything a catalog answers, as text: every offer of every product on every channel at a few
/// instants, for a few buyers, the families, and the lints.
fn answers(catalog: &Catalog) -> String {
    let mut out = String::new();
    let instants = [
        "2025-05-02T12:00:00+02:00",
        "2026-03-01T12:00:00+01:00",
        "2026-11-28T12:00:00+01:00",
    ];
    let buyers = [
        buyer(None, None, None),
        buyer(Some("b2b"), Some("gold"), Some(120)),
        buyer(Some("horeca"), Some("members"), Some(10)),
    ];
    for product in catalog.products() {
        for channel in catalog.channels() {
            for t in instants {
                for b in &buyers {
                    let offer =
                        catalog.offer_for(&product.sku, &channel.id, at(t), &Default::default(), b);
                    let text = match offer {
                        Ok(o) => serde_json::to_string(&o).expect("an offer serializes"),
                        Err(e) => e.to_string(),
                    };
                    out.push_str(&text);
                    out.push('\n');
                }
            }
        }
    }
    for (family, keys) in catalog.families() {
        out.push_str(&format!("{family}: {keys:?}\n"));
    }
    for lint in catalog.lints() {
        out.push_str(&format!("{lint}\n"));
    }
    out
}

#[test]
fn a_v2_catalog_compiles_identically_through_every_reader() {
    let by_text = Catalog::from_json(V2).expect("the v2 fixture compiles");
    let by_reader = Catalog::from_reader(V2.as_bytes()).expect("the v2 fixture compiles");
    let sized = Catalog::from_reader_sized(V2.as_bytes(), V2.len() as u64).expect("compiles");
    let document = CatalogDocument::from_json(V2).expect("the v2 fixture parses");
    let by_serde = Catalog::compile(&document).expect("the v2 fixture compiles");
    // Written back by serde and read again: the document round-trips.
    let again = serde_json::to_string(&document).expect("a document serializes");
    let by_round_trip = Catalog::from_json(&again).expect("the written document compiles");
    let expected = answers(&by_serde);
    assert!(expected.contains("\"volume_price\""), "{expected}");
    for (name, catalog) in [
        ("from_json", &by_text),
        ("from_reader", &by_reader),
        ("from_reader_sized", &sized),
        ("round trip", &by_round_trip),
    ] {
        assert_eq!(answers(catalog), expected, "{name}");
    }
    // Sections in another order (prices before products) are kept and compiled at the end.
    let mut value: serde_json::Value = serde_json::from_str(V2).expect("JSON");
    let map = value.as_object_mut().expect("an object");
    let prices = map.remove("prices").expect("prices");
    let products = map.remove("products").expect("products");
    map.insert("prices".into(), prices);
    map.insert("products".into(), products);
    let reordered = serde_json::to_string(&value).expect("JSON");
    let by_reordered = Catalog::from_reader(reordered.as_bytes()).expect("compiles");
    assert_eq!(answers(&by_reordered), expected, "reordered");
}

fn problems(text: &str) -> Vec<(String, ProblemKind, String)> {
    match Catalog::from_json(text) {
        Err(CatalogError::Invalid { problems }) => problems
            .into_iter()
            .map(|p| (p.path, p.kind, p.message))
            .collect(),
        other => panic!("expected problems, got {other:?}"),
    }
}

fn with(edit: impl FnOnce(&mut serde_json::Value)) -> String {
    let mut value: serde_json::Value = serde_json::from_str(V2).expect("JSON");
    edit(&mut value);
    serde_json::to_string(&value).expect("JSON")
}

#[test]
fn entries_of_one_scope_and_one_min_quantity_must_not_overlap() {
    let text = with(|v| {
        let prices = v["prices"].as_array_mut().expect("prices");
        prices.push(serde_json::json!({"sku": "PEN-BOX", "market": "IT", "amount": "3.20 EUR", "from": "2026-06-01", "min_quantity": 50}));
        prices.push(serde_json::json!({"sku": "PEN-BOX", "market": "IT", "amount": "2.40 EUR", "from": "2026-06-01", "group": "b2b", "min_quantity": 100}));
        // Same window, other min_quantity or other group: no overlap.
        prices.push(serde_json::json!({"sku": "PEN-BOX", "market": "IT", "amount": "3.10 EUR", "from": "2026-01-01", "min_quantity": 60}));
        prices.push(serde_json::json!({"sku": "PEN-BOX", "market": "IT", "amount": "2.00 EUR", "from": "2026-01-01", "group": "vip", "min_quantity": 100}));
    });
    let found = problems(&text);
    let paths: Vec<&str> = found.iter().map(|(p, ..)| p.as_str()).collect();
    assert_eq!(paths, ["prices[15].from", "prices[16].from"], "{found:?}");
    assert!(found.iter().all(|(_, k, _)| *k == ProblemKind::Overlap));
    assert!(found[0].2.starts_with("overlaps prices[6] (same product, scope and min_quantity 50) from 2026-06-01T00:00:00+02:00"), "{}", found[0].2);
    assert!(found[1].2.contains("group \"b2b\""), "{}", found[1].2);
}

#[test]
fn v2_values_are_checked_with_their_paths() {
    let text = with(|v| {
        v["prices"][5]["min_quantity"] = 0.into();
        v["prices"][8]["group"] = "".into();
        v["products"][4]["variant"] = serde_json::json!({"size": "M"});
        v["products"][5]["rrp"] = serde_json::json!({"DE": "19.90 EUR", "IT": "19.90 USD"});
        v["products"][6]["family"] = "".into();
        v["markets"][1]["anchor_price_date"] = "2025-13-02".into();
        v["markets"][0]["anchor_price_channels"] = serde_json::json!(["web"]);
        v["promotions"][3]["audience"] = serde_json::json!({"tier": ""});
    });
    let found: Vec<(String, ProblemKind)> = problems(&text)
        .into_iter()
        .map(|(p, k, _)| (p, k))
        .collect();
    assert_eq!(
        found,
        [
            (
                "markets[0].anchor_price_channels".to_owned(),
                ProblemKind::Value
            ),
            ("markets[1].anchor_price_date".to_owned(), ProblemKind::Time),
            ("products[4].variant".to_owned(), ProblemKind::Value),
            (
                "products[5].rrp.DE".to_owned(),
                ProblemKind::UnknownReference
            ),
            ("products[5].rrp.IT".to_owned(), ProblemKind::Currency),
            ("products[6].family".to_owned(), ProblemKind::Value),
            ("prices[5].min_quantity".to_owned(), ProblemKind::Value),
            ("prices[8].group".to_owned(), ProblemKind::Value),
            ("promotions[3].audience".to_owned(), ProblemKind::Value),
        ]
    );
}

#[test]
fn audiences_of_an_unknown_shape_are_syntax_errors_with_their_path() {
    for (audience, wanted) in [
        (
            serde_json::json!({"tier": "gold", "group": "b2b"}),
            "an audience is one of",
        ),
        (serde_json::json!({"teir": "gold"}), "unknown field `teir`"),
        (serde_json::json!("vip"), "unknown variant `vip`"),
        (
            serde_json::json!({"coupon": "X", "public": "yes"}),
            "expected a boolean",
        ),
    ] {
        let text = with(|v| v["promotions"][0]["audience"] = audience.clone());
        match Catalog::from_json(&text) {
            Err(CatalogError::Syntax(unisono::InputError { path, message, .. })) => {
                assert!(
                    path.starts_with("promotions[0].audience"),
                    "{path}: {message}"
                );
                assert!(message.contains(wanted), "{audience}: {message}");
            }
            other => panic!("{audience}: {other:?}"),
        }
    }
}

#[test]
fn lints_name_promotions_that_can_never_change_a_price_and_twin_variants() {
    let text = with(|v| {
        let promotions = v["promotions"].as_array_mut().expect("promotions");
        promotions.push(serde_json::json!({"id": "PEN-FIX", "markets": ["IT"], "skus": ["PEN-BOX"], "from": "2026-01-01", "mechanic": {"fixed_price": "4.00 EUR"}}));
        promotions.push(serde_json::json!({"id": "PEN-FIX-OK", "markets": ["IT"], "skus": ["PEN-BOX"], "from": "2026-01-01", "mechanic": {"fixed_price": "3.90 EUR"}}));
        promotions.push(serde_json::json!({"id": "OLD", "markets": ["IT"], "skus": ["COFFEE-1KG"], "from": "2025-01-01", "until": "2025-02-01", "mechanic": {"percent_off": "10"}}));
        v["products"][2]["variant"] = serde_json::json!({"color": "blue", "size": "M"});
    });
    let catalog = Catalog::from_json(&text).expect("compiles");
    let lints: Vec<String> = catalog.lints().iter().map(ToString::to_string).collect();
    insta::assert_snapshot!(lints.join("\n"), @r#"
    promotions[8].mechanic.fixed_price: promotion "PEN-FIX" fixes the price at 4.00 EUR, at or above every regular price it meets: it can never change a price
    promotions[10]: promotion "OLD" runs outside every price entry of its products: it can never change a price
    products[2].variant: product "TEE-M-RED" has the variant of "TEE-M-BLUE" in family "TEE-BASIC": a variant claim cannot tell them apart
    "#);
    // The fixture itself is clean.
    assert_eq!(Catalog::from_json(V2).expect("compiles").lints(), []);
}

#[test]
fn volume_and_group_prices_pick_the_most_specific_scope_then_the_largest_min_quantity() {
    let catalog = Catalog::from_json(V2).expect("compiles");
    let t = at("2026-03-01T12:00:00+01:00");
    let price = |channel: &str, group: Option<&str>, quantity: u32| {
        let offer = catalog
            .offer_for(
                "PEN-BOX",
                channel,
                t,
                &Default::default(),
                &buyer(group, None, Some(quantity)),
            )
            .expect("an offer");
        let volume = offer.volume_price.as_ref().expect("asked for");
        let group = offer
            .group_price
            .as_ref()
            .map(|g| (g.price.to_string(), g.min_quantity));
        (
            offer.price.to_string(),
            volume.price.to_string(),
            volume.min_quantity,
            group,
        )
    };
    // Market-wide: 1 → 4.00, 10 → 3.50, 50 → 3.00.
    assert_eq!(
        price("email-it", None, 1),
        ("4.00 EUR".into(), "4.00 EUR".into(), 1, None)
    );
    assert_eq!(price("email-it", None, 49).1, "3.50 EUR");
    assert_eq!(price("email-it", None, 50).1, "3.00 EUR");
    // The channel scope has an entry from 10: it wins over the market's larger min_quantity.
    assert_eq!(price("web-it", None, 9).1, "4.00 EUR");
    assert_eq!(price("web-it", None, 10).1, "3.40 EUR");
    assert_eq!(price("web-it", None, 500).1, "3.40 EUR");
    // A group's own list beats the public one, whatever the quantity.
    assert_eq!(
        price("web-it", Some("b2b"), 10).3,
        Some(("2.80 EUR".into(), 1))
    );
    assert_eq!(
        price("web-it", Some("b2b"), 100).3,
        Some(("2.50 EUR".into(), 100))
    );
    // A group with no list gets the public one (and only its own promotions).
    assert_eq!(
        price("email-it", Some("retail"), 50).3,
        Some(("3.00 EUR".into(), 50))
    );
    // The public price for one unit ignores groups and volumes.
    assert_eq!(price("web-it", Some("b2b"), 100).0, "4.00 EUR");
}

#[test]
fn everyone_promotions_apply_to_volume_prices_and_group_promotions_to_group_prices_only() {
    let catalog = Catalog::from_json(V2).expect("compiles");
    let week = at("2026-11-25T12:00:00+01:00");
    let offer = catalog
        .offer_for(
            "PEN-BOX",
            "email-it",
            week,
            &Default::default(),
            &buyer(Some("b2b"), None, Some(10)),
        )
        .expect("an offer");
    assert_eq!(offer.price.to_string(), "3.60 EUR");
    assert_eq!(
        offer
            .volume_price
            .as_ref()
            .map(|v| v.price.to_string())
            .as_deref(),
        Some("3.15 EUR")
    );
    // PEN-WEEK is for everyone: not for the b2b list.
    assert_eq!(
        offer
            .group_price
            .as_ref()
            .map(|g| g.price.to_string())
            .as_deref(),
        Some("2.80 EUR")
    );

    let t = at("2026-03-01T12:00:00+01:00");
    let coffee = catalog
        .offer_for(
            "COFFEE-1KG",
            "web-it",
            t,
            &Default::default(),
            &buyer(Some("horeca"), Some("gold"), None),
        )
        .expect("an offer");
    assert_eq!(coffee.price.to_string(), "14.90 EUR");
    assert_eq!(coffee.member_price.to_string(), "14.16 EUR");
    // Gold gets its own -10% on the public price, not the members' -5%.
    assert_eq!(
        coffee
            .tier_price
            .as_ref()
            .map(|p| p.price.to_string())
            .as_deref(),
        Some("13.41 EUR")
    );
    assert_eq!(
        coffee
            .group_price
            .as_ref()
            .map(|p| p.price.to_string())
            .as_deref(),
        Some("11.00 EUR")
    );
    assert_eq!(
        coffee.rrp().map(|p| p.to_string()).as_deref(),
        Some("19.90 EUR")
    );
    // The tier `members` is the members' price.
    let members = catalog
        .offer_for(
            "COFFEE-1KG",
            "web-it",
            t,
            &Default::default(),
            &buyer(None, Some("members"), None),
        )
        .expect("an offer");
    assert_eq!(
        members.tier_price.map(|p| p.price),
        Some(members.member_price)
    );
}

#[test]
fn the_anchor_price_is_the_public_price_at_the_local_start_of_the_date() {
    let catalog = Catalog::from_json(V2).expect("compiles");
    let offer = catalog
        .offer("OLIVE-OIL", "store-zagreb", at("2025-07-01T09:00:00+02:00"))
        .expect("an offer");
    assert_eq!(offer.price.to_string(), "9.00 EUR");
    assert_eq!(
        offer.anchor_price().map(|p| p.to_string()).as_deref(),
        Some("10.00 EUR")
    );
    assert!(offer.wants_anchor());
    let print = catalog
        .offer("OLIVE-OIL", "print-hr", at("2025-07-01T09:00:00+02:00"))
        .expect("an offer");
    assert!(!print.wants_anchor());
    let json = serde_json::to_value(&offer).expect("serializes");
    assert_eq!(json["anchor_price"], "10.00 EUR");
    // Italy has no anchor rule and the tee no RRP: the offer prints as in v1.
    let tee = catalog
        .offer("TEE-S-BLUE", "web-it", at("2026-03-01T12:00:00+01:00"))
        .expect("an offer");
    let json = serde_json::to_value(&tee).expect("serializes");
    let keys: Vec<&str> = json
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "at",
            "availability",
            "available",
            "channel",
            "explanation",
            "member_price",
            "price",
            "prior_price",
            "promotions",
            "regular_price",
            "sku",
            "valid_until"
        ]
    );
}

#[test]
fn a_family_offer_spans_its_listed_variants() {
    let catalog = Catalog::from_json(V2).expect("compiles");
    let t = at("2026-11-25T12:00:00+01:00");
    let family = catalog
        .family_offer("TEE-BASIC", "email-it", t, &Default::default())
        .expect("a family");
    let skus: Vec<&str> = family.variants.iter().map(|o| o.sku()).collect();
    // TEE-L-BLUE is sold on the web only.
    assert_eq!(skus, ["TEE-S-BLUE", "TEE-M-BLUE", "TEE-M-RED"]);
    assert_eq!(
        family.price_from.map(|p| p.to_string()).as_deref(),
        Some("14.39 EUR")
    );
    assert_eq!(
        family.price_to.map(|p| p.to_string()).as_deref(),
        Some("16.99 EUR")
    );
    let web = catalog
        .family_offer("TEE-BASIC", "web-it", t, &Default::default())
        .expect("a family");
    let json = serde_json::to_value(&web).expect("serializes");
    assert_eq!(json["percent_off_up_to"], "20");
    assert_eq!(json["price_from"], "14.39 EUR");
    assert!(
        catalog
            .family_offer("NOPE", "web-it", t, &Default::default())
            .is_err()
    );
}

#[test]
fn the_offer_command_takes_group_tier_quantity_and_family() {
    let path = common::workspace().join("tests/data/catalog_v2.json");
    let path = path.to_str().expect("a UTF-8 path");
    let output = common::run(&[
        "offer",
        "--catalog",
        path,
        "--sku",
        "PEN-BOX",
        "--channel",
        "web-it",
        "--at",
        "2026-03-01T12:00:00+01:00",
        "--group",
        "b2b",
        "--quantity",
        "100",
        "--tier",
        "gold",
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(
        json["group_price"],
        serde_json::json!({"group": "b2b", "quantity": 100, "min_quantity": 100, "price": "2.50 EUR", "promotions": []})
    );
    assert_eq!(
        json["volume_price"],
        serde_json::json!({"quantity": 100, "min_quantity": 10, "price": "3.40 EUR", "promotions": []})
    );
    assert_eq!(json["tier_price"]["price"], "4.00 EUR");
    let output = common::run(&[
        "offer",
        "--catalog",
        path,
        "--family",
        "TEE-BASIC",
        "--channel",
        "web-it",
        "--at",
        "2026-11-25T12:00:00+01:00",
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(json["variants"].as_array().map(Vec::len), Some(4));
    let output = common::run(&[
        "offer",
        "--catalog",
        path,
        "--sku",
        "PEN-BOX",
        "--channel",
        "web-it",
        "--at",
        "2026-03-01T12:00:00+01:00",
        "--quantity",
        "0",
    ]);
    assert_eq!(output.status.code(), Some(2));
}
