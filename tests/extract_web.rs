//! Renderings read from web pages and merchant feeds: the real pages and Google's sample feed of
//! `../shared/realdata/` (every value against what is expected of it), and small hand-written pages
//! and feeds for each markup variant and each way a value can fail to be read.
#![cfg(feature = "extract")]

use std::path::PathBuf;

use serde_json::Value;
use unisono::extract::html::{Context, Extracted};
use unisono::extract::{feed, html};
use unisono::rendering::DateOrInstant;
use unisono::{Availability, ClaimValue, Rendering};

fn realdata(path: &str) -> Option<String> {
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/realdata")
        .join(path);
    match std::fs::read_to_string(&file) {
        Ok(text) => Some(text),
        Err(e) => {
            println!("skipped: {} is absent ({e})", file.display());
            None
        }
    }
}

fn context(page: &str, at: &str) -> Context {
    Context::at(page, "web-us", unisono::time::parse_instant(at).unwrap())
}

fn page(name: &str, html: &str) -> Extracted {
    html::extract(html, &context(name, "2026-11-27T10:00:00Z"))
}

/// The claims of one rendering as (kind, value text), in order.
fn claims(r: &Rendering) -> Vec<(&'static str, String)> {
    r.claims
        .iter()
        .map(|c| (c.value.kind(), c.value.value_text()))
        .collect()
}

fn claim<'a>(r: &'a Rendering, kind: &str) -> Option<&'a ClaimValue> {
    r.claims.iter().map(|c| &c.value).find(|v| v.kind() == kind)
}

fn availability(url: &str) -> &'static str {
    match url.rsplit('/').next().unwrap_or(url).trim() {
        "InStock" | "in stock" => "in_stock",
        "OutOfStock" => "out_of_stock",
        other => panic!("no expectation for availability {other:?}"),
    }
}

/// The offers an extruct-style expectation (`[{"type": …, "properties": …}]`) lists, as the claims
/// unisono must read from them: (sku, title, price, availability, valid_until).
fn expected_offers(items: &Value) -> Vec<[Option<String>; 5]> {
    let mut out = Vec::new();
    for item in items.as_array().unwrap() {
        let product = &item["properties"];
        let offers = match &product["offers"] {
            Value::Array(list) => list.clone(),
            one => vec![one.clone()],
        };
        for offer in offers {
            if !offer["type"].as_str().unwrap().ends_with("/Offer") {
                continue;
            }
            let p = &offer["properties"];
            let text = |v: &Value| v.as_str().map(|s| s.trim().to_owned());
            out.push([
                text(&p["sku"]).or_else(|| text(&product["sku"])),
                text(&p["name"]).or_else(|| text(&product["name"])),
                Some(format!(
                    "{} {}",
                    text(&p["price"]).unwrap(),
                    text(&p["priceCurrency"]).unwrap()
                )),
                text(&p["availability"]).map(|a| availability(&a).to_owned()),
                text(&p["priceValidUntil"]),
            ]);
        }
    }
    out
}

fn read_offers(extracted: &Extracted) -> Vec<[Option<String>; 5]> {
    extracted
        .renderings
        .iter()
        .map(|r| {
            let text = |kind| claim(r, kind).map(ClaimValue::value_text);
            [
                r.sku.clone(),
                text("title"),
                text("price"),
                text("availability"),
                text("valid_until"),
            ]
        })
        .collect()
}

#[test]
fn real_schema_org_pages_give_every_expected_offer() {
    for (html_file, json_file) in [
        ("html/product.html", "html/product.json"),
        ("html/product_microdata.html", "html/product.json"),
        (
            "html/microdata-with-description.html",
            "html/microdata-with-description.json",
        ),
    ] {
        let (Some(html), Some(json)) = (realdata(html_file), realdata(json_file)) else {
            return;
        };
        let expected = expected_offers(&serde_json::from_str(&json).unwrap());
        let read = page("p", &html);
        assert!(!expected.is_empty());
        assert_eq!(read_offers(&read), expected, "{html_file}");
        for (n, r) in read.renderings.iter().enumerate() {
            assert_eq!(r.id, format!("p#offer-{}", n + 1));
            assert_eq!(r.channel, "web-us");
        }
    }
}

#[test]
fn real_product_page_claims_in_full() {
    let Some(html) = realdata("html/product.html") else {
        return;
    };
    let read = page("anvil", &html);
    assert_eq!(read.renderings.len(), 1);
    let r = &read.renderings[0];
    assert_eq!(
        claims(r),
        [
            ("title", "Executive Anvil".to_owned()),
            ("price", "119.99 USD".to_owned()),
            ("valid_until", "2020-11-05".to_owned()),
            ("availability", "in_stock".to_owned()),
            // What the page shows, `$119.99`: `$` is the markup's USD.
            ("price", "119.99 USD".to_owned()),
        ]
    );

    assert_eq!(
        claim(r, "valid_until"),
        Some(&ClaimValue::ValidUntil(DateOrInstant::Date(
            "2020-11-05".parse().unwrap()
        )))
    );
    let sources: Vec<_> = r.claims.iter().map(|c| c.source.as_deref()).collect();
    assert_eq!(
        sources,
        [
            Some("microdata[0]/name"),
            Some("microdata[0]/offers/price"),
            Some("microdata[0]/offers/priceValidUntil"),
            Some("microdata[0]/offers/availability"),
            Some("visible:#offer > span:nth-child(2)"),
        ]
    );
    assert!(read.unread.is_empty(), "{:?}", read.unread);
}

#[test]
fn real_shop_page_aggregate_offer_is_no_price_claim() {
    let Some(html) = realdata("html/microdata-with-description.html") else {
        return;
    };
    let read = page("fleas", &html);
    assert_eq!(read.renderings.len(), 2);
    assert_eq!(read.unread.len(), 1, "{:?}", read.unread);
    assert_eq!(read.unread[0].text, "5.29 to 9.56");
    assert_eq!(read.unread[0].source, "microdata[0]/offers");
    assert_eq!(
        claim(&read.renderings[1], "price"),
        Some(&ClaimValue::Price("5.29 GBP".parse().unwrap()))
    );
}

#[test]
fn real_opengraph_page_gives_every_expected_value() {
    let (Some(html), Some(json)) = (
        realdata("html/opengraph_ns_product_test.html"),
        realdata("html/opengraph_ns_product_test.json"),
    ) else {
        return;
    };
    let expected: Value = serde_json::from_str(&json).unwrap();
    let property = |name: &str| {
        expected[0]["properties"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p[0] == name)
            .map(|p| p[1].as_str().unwrap().to_owned())
            .unwrap()
    };
    let read = page("fye", &html);
    // The page also carries a microdata Offer (the .json lists only the OpenGraph tags): it agrees.
    assert_eq!(read.renderings.len(), 2, "{:?}", read.renderings);
    let microdata = &read.renderings[0];
    assert_eq!(microdata.id, "fye#offer-1");
    assert_eq!(
        claims(microdata),
        [
            (
                "title",
                "Better Off Dead [Exclusive Blu-ray Steelbook]".to_owned()
            ),
            ("price", "17.99 USD".to_owned()),
            ("availability", "in_stock".to_owned()),
            // The price the page shows agrees.
            ("price", "17.99 USD".to_owned()),
        ]
    );
    let r = &read.renderings[1];
    assert_eq!(r.id, "fye#og");
    assert_eq!(
        r.sku.as_deref(),
        Some(property("product:retailer_item_id").as_str())
    );
    // 11 digits: a UPC-A without its leading zero, padded to GTIN-14.
    let gtin = format!("{:0>14}", property("product:gtin"));
    assert_eq!(gtin, "00032429335302");
    assert_eq!(r.gtin.as_deref(), Some(gtin.as_str()));
    assert_eq!(
        claims(r),
        [
            ("title", property("og:title")),
            ("gtin", gtin.clone()),
            (
                "price",
                format!(
                    "{} {}",
                    property("product:price:amount"),
                    property("product:price:currency")
                )
            ),
            ("availability", "in_stock".to_owned()),
        ]
    );
    assert!(read.unread.is_empty(), "{:?}", read.unread);
}

#[test]
fn real_google_feed_gives_every_item() {
    let Some(xml) = realdata("feeds/google_example_feed.xml") else {
        return;
    };
    // Expectations derived from the file itself: each item's direct g: children.
    let mut expected = Vec::new();
    for chunk in xml.split("<item>").skip(1) {
        let item = chunk.split("</item>").next().unwrap();
        let field = |name: &str| {
            let open = format!("<g:{name}>");
            let start = item.find(&open)? + open.len();
            let rest = &item[start..];
            let value = &rest[..rest.find(&format!("</g:{name}>"))?];
            let value = value
                .trim_start_matches("<![CDATA[")
                .trim_end_matches("]]>");
            Some(value.replace("&quot;", "\"").replace("&amp;", "&"))
        };
        expected.push((
            field("id").unwrap(),
            field("title").unwrap(),
            field("price").unwrap(),
            field("availability").unwrap().replace(' ', "_"),
            field("gtin"),
            field("sale_price"),
        ));
    }
    assert_eq!(expected.len(), 6);
    let at_sale = context("gmc", "2011-09-02T12:00:00Z");
    let at_later = context("gmc", "2026-11-27T10:00:00Z");
    for ctx in [&at_sale, &at_later] {
        let read = feed::extract(&xml, ctx);
        assert!(read.unread.is_empty(), "{:?}", read.unread);
        assert_eq!(read.renderings.len(), expected.len());
        for (r, (id, title, price, availability, gtin, sale)) in
            read.renderings.iter().zip(&expected)
        {
            assert_eq!(&r.id, id);
            assert_eq!(r.sku.as_ref(), Some(id));
            assert_eq!(claim(r, "title").unwrap().value_text(), *title);
            assert_eq!(
                claim(r, "availability").unwrap().value_text(),
                *availability
            );
            assert_eq!(
                claim(r, "gtin").map(ClaimValue::value_text).as_ref(),
                gtin.as_ref()
            );
            let price: unisono::Money = price.parse().unwrap();
            match (sale, std::ptr::eq(ctx, &at_sale)) {
                (Some(sale), true) => {
                    assert_eq!(
                        claim(r, "price"),
                        Some(&ClaimValue::Price(sale.parse().unwrap()))
                    );
                    assert_eq!(
                        claim(r, "reference_price"),
                        Some(&ClaimValue::ReferencePrice(price))
                    );
                    assert_eq!(
                        claim(r, "valid_from").unwrap().value_text(),
                        "2011-09-02T00:00:00Z"
                    );
                    assert_eq!(
                        claim(r, "valid_until").unwrap().value_text(),
                        "2011-09-04T00:00:00Z"
                    );
                }
                _ => {
                    assert_eq!(claim(r, "price"), Some(&ClaimValue::Price(price)));
                    assert_eq!(claim(r, "reference_price"), None);
                }
            }
        }
    }
}

// ---- Hand-written pages: each markup variant.

const LD: &str = r#"<html><head><script type="application/ld+json">
{"@context": "https://schema.org", "@graph": [
  {"@type": "WebPage", "name": "ignored"},
  {"@type": ["Product"], "name": "Notebook Acme 14", "gtin13": "8012345678907", "sku": "LAPTOP-14",
   "offers": [
     {"@type": "Offer", "price": 719.2, "priceCurrency": "EUR", "priceValidUntil": "2026-11-30T23:59:59+01:00",
      "availability": "https://schema.org/LimitedAvailability",
      "priceSpecification": [
        {"@type": "UnitPriceSpecification", "priceType": "https://schema.org/StrikethroughPrice",
         "price": "899.00", "priceCurrency": "EUR"}]},
     {"@type": "Offer", "sku": "LAPTOP-14-REF", "name": "Refurbished",
      "priceSpecification": {"@type": "PriceSpecification", "price": "599", "priceCurrency": "EUR"},
      "availability": "http://schema.org/PreOrder"}]}]}
</script></head><body></body></html>"#;

#[test]
fn json_ld_graph_offers_strikethrough_and_price_specification() {
    let read = page("laptop", LD);
    assert!(read.unread.is_empty(), "{:?}", read.unread);
    assert_eq!(read.renderings.len(), 2);
    let [first, second] = &read.renderings[..] else {
        panic!()
    };
    assert_eq!(first.id, "laptop#offer-1");
    assert_eq!(first.sku.as_deref(), Some("LAPTOP-14"));
    assert_eq!(first.gtin.as_deref(), Some("8012345678907"));
    assert_eq!(
        claims(first),
        [
            ("title", "Notebook Acme 14".to_owned()),
            ("gtin", "8012345678907".to_owned()),
            ("price", "719.20 EUR".to_owned()),
            ("reference_price", "899.00 EUR".to_owned()),
            ("valid_until", "2026-11-30T22:59:59Z".to_owned()),
            ("availability", "low_stock".to_owned()),
        ]
    );
    assert_eq!(
        first.claims[3].source.as_deref(),
        Some("json-ld[0]/@graph/1/offers/0/priceSpecification/0/price")
    );
    assert_eq!(second.sku.as_deref(), Some("LAPTOP-14-REF"));
    assert_eq!(
        claims(second),
        [
            ("title", "Refurbished".to_owned()),
            ("gtin", "8012345678907".to_owned()),
            ("price", "599.00 EUR".to_owned()),
            ("availability", "preorder".to_owned()),
        ]
    );
}

#[test]
fn rdfa_product_is_read_like_microdata() {
    let html = r#"<div vocab="https://schema.org/" typeof="Product">
      <span property="name">Caffè 1 kg</span> <span property="gtin13">4006381333931</span>
      <div property="offers" typeof="Offer">
        <meta property="priceCurrency" content="EUR"><span property="price" content="12.90">12,90 €</span>
        <link property="availability" href="https://schema.org/OutOfStock">
        <time property="priceValidUntil" datetime="2026-12-31">31/12</time>
      </div></div>"#;
    let read = page("caffe", html);
    assert!(read.unread.is_empty(), "{:?}", read.unread);
    assert_eq!(read.renderings.len(), 1);
    assert_eq!(
        claims(&read.renderings[0]),
        [
            ("title", "Caffè 1 kg".to_owned()),
            ("gtin", "4006381333931".to_owned()),
            ("price", "12.90 EUR".to_owned()),
            ("valid_until", "2026-12-31".to_owned()),
            ("availability", "out_of_stock".to_owned()),
            // The shown `12,90 €`, read in no locale: one reading.
            ("price", "12.90 EUR".to_owned()),
        ]
    );
    assert_eq!(
        read.renderings[0].claims[2].source.as_deref(),
        Some("rdfa[0]/offers/price")
    );
}

#[test]
fn opengraph_sale_price_claims_the_regular_price_as_reference() {
    let html = r#"<head><meta property="og:type" content="product">
      <meta property="og:title" content="Tee">
      <meta property="product:price:amount" content="20.00"><meta property="product:price:currency" content="EUR">
      <meta property="product:sale_price:amount" content="15.00"><meta property="product:sale_price:currency" content="EUR">
      <meta property="product:availability" content="oos"></head>"#;
    let read = page("tee", html);
    assert!(read.unread.is_empty(), "{:?}", read.unread);
    assert_eq!(
        claims(&read.renderings[0]),
        [
            ("title", "Tee".to_owned()),
            ("price", "15.00 EUR".to_owned()),
            ("reference_price", "20.00 EUR".to_owned()),
            ("availability", "out_of_stock".to_owned()),
        ]
    );
}

#[test]
fn a_product_without_offers_is_one_rendering_of_its_identity() {
    let html = r#"<div itemscope itemtype="http://schema.org/Product"><h1 itemprop="name">Anvil</h1>
      <span itemprop="gtin">32429335302</span></div>"#;
    let read = page("anvil", html);
    assert_eq!(read.renderings.len(), 1);
    assert_eq!(read.renderings[0].id, "anvil#product-1");
    assert_eq!(
        claims(&read.renderings[0]),
        [
            ("title", "Anvil".to_owned()),
            ("gtin", "00032429335302".to_owned())
        ]
    );
}

#[test]
fn a_page_without_markup_gives_nothing_and_says_so() {
    let read = page("plain", "<p>Only 3 left! 19,99 €</p>");
    assert!(read.renderings.is_empty());
    assert_eq!(read.unread.len(), 1);
    assert_eq!(read.unread[0].source, "page");
    assert!(read.unread[0].reason.contains("nothing read"), "{read:?}");
}

// ---- Hand-written pages: each error path.

fn unread_of(html: &str) -> Vec<(String, String, String)> {
    page("e", html)
        .unread
        .into_iter()
        .map(|u| (u.source, u.text, u.reason))
        .collect()
}

fn offer_ld(offer: &str) -> String {
    format!(r#"<script type="application/ld+json">{{"@type": "Offer", {offer}}}</script>"#)
}

#[test]
fn unknown_currency_is_reported_not_dropped() {
    let read = page(
        "e",
        &offer_ld(r#""price": "10.00", "priceCurrency": "EUX""#),
    );
    assert_eq!(claim(&read.renderings[0], "price"), None);
    assert_eq!(
        unread_of(&offer_ld(r#""price": "10.00", "priceCurrency": "EUX""#)),
        [(
            "json-ld[0]/priceCurrency".to_owned(),
            "EUX".to_owned(),
            "\"EUX\" is not an ISO 4217 currency code".to_owned()
        )]
    );
}

#[test]
fn malformed_prices_are_reported() {
    for price in [r#""1.299,00""#, r#""$10""#, r#""""#, r#""1e3""#, r#""-5""#] {
        let html = offer_ld(&format!(r#""price": {price}, "priceCurrency": "EUR""#));
        let unread = unread_of(&html);
        if price == r#""""# {
            // An empty price is no price: nothing to read, nothing claimed.
            assert!(unread.is_empty());
            continue;
        }
        assert_eq!(unread.len(), 1, "{price}: {unread:?}");
        assert_eq!(unread[0].0, "json-ld[0]/price");
        assert!(unread[0].2.contains("digits and '.'"), "{unread:?}");
    }
}

#[test]
fn price_without_currency_and_too_precise_json_number_are_reported() {
    let unread = unread_of(&offer_ld(r#""price": "10.00""#));
    assert_eq!(unread[0].2, "a price without priceCurrency");
    let unread = unread_of(&offer_ld(
        r#""price": 1234567890.1234567, "priceCurrency": "EUR""#,
    ));
    assert_eq!(unread.len(), 1);
    assert!(
        unread[0].1.contains("past a double's precision"),
        "{unread:?}"
    );
    // An integer JSON number is exact.
    let read = page(
        "e",
        &offer_ld(r#""price": 12345678901234, "priceCurrency": "JPY""#),
    );
    assert_eq!(
        claim(&read.renderings[0], "price"),
        Some(&ClaimValue::Price("12345678901234 JPY".parse().unwrap()))
    );
}

#[test]
fn bad_json_ld_availability_and_validity_are_reported() {
    let unread = unread_of(r#"<script type="application/ld+json">{"@type": "Offer",</script>"#);
    assert_eq!(unread.len(), 1);
    assert!(unread[0].2.starts_with("not JSON: "), "{unread:?}");
    let unread = unread_of(&offer_ld(
        r#""availability": "https://schema.org/Maybe", "priceValidUntil": "2026-11-30T10:00""#,
    ));
    assert_eq!(unread.len(), 2, "{unread:?}");
    assert!(unread[0].2.contains("no UTC offset"), "{unread:?}");
    assert!(unread[1].2.contains("ItemAvailability"), "{unread:?}");
}

#[test]
fn broken_and_hostile_pages_do_not_panic_and_stay_bounded() {
    let deep = "<div itemscope itemtype=Product><span itemprop=offers itemscope>".repeat(5000);
    let read = page("deep", &deep);
    assert!(read.renderings.len() <= 1);
    let nested_json = format!(
        r#"<script type="application/ld+json">{}{}</script>"#,
        "[".repeat(1000),
        "]".repeat(1000)
    );
    assert!(
        page("j", &nested_json).unread[0]
            .reason
            .contains("recursion limit")
    );
    // One item with 50,000 properties, and as many OpenGraph tags: linear, not quadratic.
    let wide = format!(
        r#"<div itemscope itemtype="https://schema.org/Product">{}<span itemprop="name">W</span></div>{}"#,
        r#"<span itemprop="color">red</span>"#.repeat(50_000),
        (0..50_000)
            .map(|i| format!(r#"<meta property="product:x{i}" content="1">"#))
            .collect::<String>()
    );
    let read = page("wide", &wide);
    assert_eq!(read.renderings.len(), 2);
    assert_eq!(claims(&read.renderings[0]), [("title", "W".to_owned())]);
    let many = offer_ld(r#""price": "1", "priceCurrency": "EUR""#).repeat(10_050);
    let read = page("many", &many);
    assert_eq!(read.renderings.len(), html::MAX_PAGE_RENDERINGS + 1);
    assert!(read.renderings.last().unwrap().claims.is_empty());
    assert_eq!(read.unread.len(), 1);
    for junk in [
        "",
        "<",
        "<<<>>>",
        "<script type=application/ld+json>",
        "\u{0}\u{feff}<meta property=product:price:amount>",
    ] {
        let _ = page("junk", junk);
    }
}

// ---- Hand-written feeds.

const TSV: &str = "id\ttitle\tprice\tsale_price\tsale_price_effective_date\tavailability\tgtin\tunit_pricing_measure\tunit_pricing_base_measure\tavailability_date
COFFEE-1\t\"Caffè \"\"Oro\"\" 250 g\"\t4.49 EUR\t3.99 EUR\t2026-11-27/2026-11-30\tin_stock\t4006381333931\t250g\t1kg\t
TEA-1\tTè verde\t2,50 EUR\t\t\tpreorder\t\t\t\t2026-12-10T08:00+01:00
";

#[test]
fn tsv_feed_items_with_sale_unit_price_and_availability_date() {
    let read = feed::extract(TSV, &context("tsv", "2026-11-28T12:00:00Z"));
    assert_eq!(read.renderings.len(), 2);
    let coffee = &read.renderings[0];
    assert_eq!(coffee.id, "COFFEE-1");
    assert_eq!(
        claims(coffee),
        [
            ("title", "Caffè \"Oro\" 250 g".to_owned()),
            ("gtin", "4006381333931".to_owned()),
            ("price", "3.99 EUR".to_owned()),
            ("reference_price", "4.49 EUR".to_owned()),
            ("valid_from", "2026-11-27T00:00:00Z".to_owned()),
            ("valid_until", "2026-12-01T00:00:00Z".to_owned()),
            ("availability", "in_stock".to_owned()),
            ("unit_price", "15.96 EUR per 1 kg".to_owned()),
        ]
    );
    assert_eq!(
        coffee.claims[2].source.as_deref(),
        Some("line 2/sale_price")
    );
    let tea = &read.renderings[1];
    assert_eq!(
        claims(tea),
        [
            ("title", "Tè verde".to_owned()),
            ("availability", "preorder".to_owned())
        ]
    );
    assert_eq!(
        tea.meta.as_ref().unwrap()["availability_date"],
        "2026-12-10T07:00:00Z"
    );
    assert_eq!(read.unread.len(), 1);
    assert_eq!(read.unread[0].source, "line 3/price");
    assert_eq!(read.unread[0].text, "2,50 EUR");
    // Before the sale: the regular price, and nothing about the sale.
    let before = feed::extract(TSV, &context("tsv", "2026-11-26T12:00:00Z"));
    assert_eq!(
        claim(&before.renderings[0], "price"),
        Some(&ClaimValue::Price("4.49 EUR".parse().unwrap()))
    );
    assert_eq!(claim(&before.renderings[0], "valid_until"), None);
    assert_eq!(
        claim(&before.renderings[0], "unit_price")
            .unwrap()
            .value_text(),
        "17.96 EUR per 1 kg"
    );
}

#[test]
fn rss_fields_are_the_items_direct_children() {
    let xml = r#"<?xml version="1.0"?><rss xmlns:g="http://base.google.com/ns/1.0"><channel>
      <title>Shop</title>
      <item><title>RSS title</title><g:title>G &amp; title &#233;</g:title><g:price>10.00 EUR</g:price>
        <g:shipping><g:price>4.95 EUR</g:price></g:shipping><g:availability>backorder</g:availability>
        <g:gtin/></item>
      <item><title>Only RSS</title><g:shipping><g:price>1.00 EUR</g:price></g:shipping>
        <g:availability>sometimes</g:availability><g:sale_price>5.00 EUR</g:sale_price>
        <g:sale_price_effective_date>tomorrow</g:sale_price_effective_date></item>
    </channel></rss>"#;
    let read = feed::extract(xml, &context("rss", "2026-11-28T12:00:00Z"));
    assert_eq!(read.renderings.len(), 2);
    assert_eq!(read.renderings[0].id, "rss#item-1");
    assert_eq!(read.renderings[0].sku, None);
    assert_eq!(
        claims(&read.renderings[0]),
        [
            ("title", "G & title é".to_owned()),
            ("price", "10.00 EUR".to_owned()),
            ("availability", "backorder".to_owned()),
        ]
    );
    assert_eq!(
        claims(&read.renderings[1]),
        [("title", "Only RSS".to_owned())]
    );
    let reasons: Vec<_> = read.unread.iter().map(|u| u.source.as_str()).collect();
    assert_eq!(
        reasons,
        [
            "item[1]/g:sale_price_effective_date",
            "item[1]/g:availability"
        ]
    );
}

#[test]
fn broken_xml_keeps_the_items_before_the_error() {
    let xml = "<rss><channel><item><g:id>A</g:id><g:price>1.00 EUR</g:price></item><item><g:id>B</g:id></wrong></channel></rss>";
    let read = feed::extract(xml, &context("x", "2026-11-28T12:00:00Z"));
    assert_eq!(read.renderings.len(), 1);
    assert_eq!(read.renderings[0].id, "A");
    assert_eq!(read.unread.len(), 1);
    assert_eq!(read.unread[0].source, "item[1]");
    assert!(
        read.unread[0].reason.contains("XML error"),
        "{:?}",
        read.unread
    );
    let truncated = feed::extract(
        "<rss><item><g:id>A</g:id>",
        &context("x", "2026-11-28T12:00:00Z"),
    );
    assert!(truncated.renderings.is_empty());
    assert_eq!(truncated.unread.len(), 1);
}

#[test]
fn feed_windows_and_availability_use_the_shown_window() {
    let item = "id\tprice\tsale_price\tsale_price_effective_date\nA\t10.00 EUR\t8.00 EUR\t2026-11-27T00:00+01:00/2026-11-28T00:00+01:00\n";
    let at = |t: &str| feed::extract(item, &context("w", t));
    let on = at("2026-11-26T23:00:00Z");
    assert_eq!(
        claim(&on.renderings[0], "price").unwrap().value_text(),
        "8.00 EUR"
    );
    let off = at("2026-11-27T23:00:00Z");
    assert_eq!(
        claim(&off.renderings[0], "price").unwrap().value_text(),
        "10.00 EUR"
    );
    assert_eq!(
        claim(&on.renderings[0], "availability").map(|a| a.value_text()),
        None
    );
    let _ = Availability::InStock;
}

/// Dates are claimed only with a four-digit year: others would not read back from the JSON.
#[test]
fn dates_outside_four_digit_years_are_unread_and_renderings_read_back() {
    let html = offer_ld(r#""priceValidUntil": "-999-01-01""#)
        + &offer_ld(r#""priceValidUntil": "+10000-01-01""#)
        + &offer_ld(r#""priceValidUntil": "9999-12-31""#);
    let read = page("years", &html);
    let until: Vec<_> = read
        .renderings
        .iter()
        .map(|r| claim(r, "valid_until").map(ClaimValue::value_text))
        .collect();
    assert_eq!(until, [None, None, Some("9999-12-31".to_owned())]);
    assert_eq!(read.unread.len(), 2, "{:?}", read.unread);
    let tsv = "id\tprice\tsale_price\tsale_price_effective_date\tavailability_date\n\
               A\t2.00 EUR\t1.00 EUR\t0000-01-01/9999-12-31\t+12345-01-01\n";
    let fed = feed::extract(tsv, &context("f", "2026-11-28T12:00:00Z"));
    assert_eq!(
        claims(&fed.renderings[0]),
        [("price", "2.00 EUR".to_owned())]
    );
    assert_eq!(fed.renderings[0].meta, None);
    assert_eq!(fed.unread.len(), 2, "{:?}", fed.unread);
    for r in read.renderings.iter().chain(&fed.renderings) {
        let back: Rendering = serde_json::from_str(&serde_json::to_string(r).unwrap()).unwrap();
        assert_eq!(&back, r);
    }
}
