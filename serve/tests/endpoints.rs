//! Each endpoint answers what the `unisono` command answers for the same input, byte for byte
//! where the command prints JSON.

mod common;

use common::{
    LAPTOP_OFFER, LAPTOP_RENDERING, assert_up, catalog_a, catalog_b, cli, client, post, start,
    workspace,
};
use serde_json::{Value, json};
use unisono_serve::Limits;

fn path(relative: &str) -> String {
    workspace().join(relative).display().to_string()
}

/// The demo's 48 renderings, as a JSON array and as JSON Lines: the server's report is the bytes
/// `unisono validate --format json` prints for the same file.
#[test]
fn validate_prints_the_bytes_of_the_cli() {
    let server = start(true, Limits::default());
    let mut client = client(&server);
    let array = std::fs::read_to_string(workspace().join("examples/data/renderings.json")).unwrap();
    let renderings: Vec<Value> = serde_json::from_str(&array).unwrap();
    let lines: String = renderings.iter().map(|r| format!("{r}\n")).collect();
    let lines_file = common::scratch_file("renderings.jsonl", &lines);
    let catalog = path("examples/data/catalog.json");

    for (body, file) in [
        (array.as_str(), path("examples/data/renderings.json")),
        (lines.as_str(), lines_file.display().to_string()),
    ] {
        let expected = cli(
            &[
                "validate",
                "--catalog",
                &catalog,
                "--renderings",
                &file,
                "--format",
                "json",
            ],
            1,
        );
        let response = post(&mut client, "/v1/validate", body);
        assert_eq!(response.status, 200, "{}", response.text());
        assert_eq!(response.header("content-type"), Some("application/json"));
        assert_eq!(response.header("unisono-catalog-generation"), Some("1"));
        assert_eq!(response.text(), String::from_utf8(expected).unwrap());
    }
    // The demo has findings of every severity; the summary is CONTRACT §4's.
    let report: Value =
        serde_json::from_str(&post(&mut client, "/v1/validate", &array).text()).unwrap();
    assert_eq!(
        report["summary"],
        json!({"renderings": 51, "claims": 155, "errors": 30, "warnings": 5, "infos": 1})
    );
}

/// With a policy, the server's report is the CLI's with the same policy.
#[test]
fn validate_applies_the_policy_as_the_cli_does() {
    let policy_text =
        std::fs::read_to_string(workspace().join("examples/data/policy.json")).unwrap();
    let catalog = unisono::Catalog::from_json(&catalog_a()).unwrap();
    let mut config =
        unisono_serve::Config::new(catalog, unisono::Policy::from_json(&policy_text).unwrap());
    config.threads = Some(1);
    let server = unisono_serve::start(config, "127.0.0.1:0".parse().unwrap()).unwrap();
    let array = std::fs::read_to_string(workspace().join("examples/data/renderings.json")).unwrap();
    let expected = cli(
        &[
            "validate",
            "--catalog",
            &path("examples/data/catalog.json"),
            "--renderings",
            &path("examples/data/renderings.json"),
            "--policy",
            &path("examples/data/policy.json"),
            "--format",
            "json",
        ],
        1,
    );
    let response = client(&server)
        .request("POST", "/v1/validate", &[], array.as_bytes())
        .unwrap();
    assert_eq!(response.text(), String::from_utf8(expected).unwrap());
}

/// The offer is the bytes `unisono offer` prints.
#[test]
fn offer_prints_the_bytes_of_the_cli() {
    let server = start(true, Limits::default());
    let expected = cli(
        &[
            "offer",
            "--catalog",
            &path("examples/data/catalog.json"),
            "--sku",
            "LAPTOP-14",
            "--channel",
            "web-it",
            "--at",
            "2026-11-28T10:00:00+01:00",
        ],
        0,
    );
    let response = post(&mut client(&server), "/v1/offer", LAPTOP_OFFER);
    assert_eq!(response.status, 200, "{}", response.text());
    assert_eq!(response.header("unisono-catalog-generation"), Some("1"));
    assert_eq!(response.text(), String::from_utf8(expected).unwrap());
}

#[test]
fn offer_refuses_what_names_nothing_with_its_path() {
    let server = start(true, Limits::default());
    let mut client = client(&server);
    let cases = [
        (
            r#"{"sku": "NOPE", "channel": "web-it", "at": "2026-11-28T10:00:00+01:00"}"#,
            "sku",
            "product \"NOPE\" is not in the catalog",
        ),
        (
            r#"{"sku": "LAPTOP-14", "channel": "nope", "at": "2026-11-28T10:00:00+01:00"}"#,
            "channel",
            "channel \"nope\" is not in the catalog",
        ),
    ];
    for (body, at, message) in cases {
        let response = post(&mut client, "/v1/offer", body);
        assert_eq!(response.status, 422, "{}", response.text());
        let error: Value = serde_json::from_str(&response.text()).unwrap();
        assert_eq!(error, json!({"status": 422, "error": message, "path": at}));
    }
    let response = post(
        &mut client,
        "/v1/offer",
        r#"{"sku": "LAPTOP-14", "channel": "web-it", "at": "2026-11-28"}"#,
    );
    assert_eq!(response.status, 422);
    let error: Value = serde_json::from_str(&response.text()).unwrap();
    assert_eq!(error["path"], "at");
}

/// The renderings of a page are those `unisono extract html` prints, one a line.
#[test]
fn extract_html_reads_what_the_cli_reads() {
    let server = start(true, Limits::default());
    let page = r#"<html><head><script type="application/ld+json">
{"@context": "https://schema.org", "@type": "Product", "name": "Notebook Acme 14", "sku": "LAPTOP-14",
 "gtin13": "8012345678907",
 "offers": {"@type": "Offer", "price": "719.20", "priceCurrency": "EUR",
            "availability": "https://schema.org/InStock"}}
</script></head><body></body></html>"#;
    let file = common::scratch_file("page.html", page);
    let expected = cli(
        &[
            "extract",
            "html",
            &file.display().to_string(),
            "--channel",
            "web-it",
            "--at",
            "2026-11-28T10:00:00+01:00",
            "--id",
            "product-page",
        ],
        0,
    );
    let expected: Vec<Value> = String::from_utf8(expected)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(expected.len(), 1);
    let body = json!({"html": page, "channel": "web-it", "at": "2026-11-28T10:00:00+01:00", "page": "product-page"});
    let response = post(&mut client(&server), "/v1/extract/html", &body.to_string());
    assert_eq!(response.status, 200, "{}", response.text());
    let read: Value = serde_json::from_str(&response.text()).unwrap();
    assert_eq!(read["renderings"], Value::Array(expected));
    let claims = read["renderings"][0]["claims"].as_array().unwrap();
    assert!(
        claims.iter().any(|c| c["price"] == "719.20 EUR"),
        "{claims:?}"
    );
}

/// The claims of a text are the line `unisono extract text` prints.
#[test]
fn extract_text_reads_what_the_cli_reads() {
    let server = start(true, Limits::default());
    let text = "Notebook 1.299,00 € invece di 1.499 € -13% fino al 30/11";
    let file = common::scratch_file("banner.txt", text);
    let expected = cli(
        &[
            "extract",
            "text",
            "--locale",
            "it-IT",
            "--today",
            "2026-11-22",
            &file.display().to_string(),
        ],
        0,
    );
    let body = json!({"text": text, "locale": "it-IT", "today": "2026-11-22"});
    let response = post(&mut client(&server), "/v1/extract/text", &body.to_string());
    assert_eq!(response.status, 200, "{}", response.text());
    assert_eq!(response.text(), String::from_utf8(expected).unwrap());

    let response = post(
        &mut client(&server),
        "/v1/extract/text",
        r#"{"text": "x", "locale": "xx-YY"}"#,
    );
    assert_eq!(response.status, 422, "{}", response.text());
    assert!(
        response.text().contains("\"path\":\"locale\""),
        "{}",
        response.text()
    );
}

/// A new catalog is in force from the next request, under a new generation; a broken one is
/// refused with its problems and the old one serves on.
#[test]
fn a_catalog_is_replaced_and_a_broken_one_refused() {
    let server = start(true, Limits::default());
    let mut client = client(&server);
    let put = |client: &mut unisono_serve::client::Client, body: &str| {
        client
            .request("PUT", "/v1/catalog", &[common::bearer()], body.as_bytes())
            .unwrap()
    };
    let response = put(&mut client, &catalog_b());
    assert_eq!(response.status, 200, "{}", response.text());
    let accepted: Value = serde_json::from_str(&response.text()).unwrap();
    assert_eq!(accepted["generation"], 2);
    assert_eq!(accepted["products"], 12);
    let response = post(&mut client, "/v1/validate", LAPTOP_RENDERING);
    assert_eq!(response.header("unisono-catalog-generation"), Some("2"));
    assert_eq!(
        response.text(),
        common::report_of(&catalog_b(), LAPTOP_RENDERING)
    );
    assert!(response.text().contains("\"rule\": \"price.mismatch\""));

    // A price in the wrong currency and an unknown market: both problems, with their paths.
    let broken = catalog_a()
        .replacen(
            "\"amount\": \"899.00 EUR\"",
            "\"amount\": \"899.00 USD\"",
            1,
        )
        .replacen("\"market\": \"IT\"", "\"market\": \"XX\"", 1);
    let response = put(&mut client, &broken);
    assert_eq!(response.status, 422, "{}", response.text());
    let refusal: Value = serde_json::from_str(&response.text()).unwrap();
    assert_eq!(refusal["generation"], 2);
    assert_eq!(
        refusal["problem_count"],
        refusal["problems"].as_array().unwrap().len()
    );
    let paths: Vec<&str> = refusal["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["path"].as_str().unwrap())
        .collect();
    assert!(!paths.is_empty());
    assert!(
        paths
            .iter()
            .all(|p| p.starts_with("channels[") || p.starts_with("prices[")),
        "{paths:?}"
    );

    // Not JSON at all: the line and column.
    let response = put(&mut client, "{\"markets\": [}");
    assert_eq!(response.status, 422, "{}", response.text());
    let refusal: Value = serde_json::from_str(&response.text()).unwrap();
    assert_eq!(
        (refusal["line"].as_u64(), refusal["column"].as_u64()),
        (Some(1), Some(14))
    );

    // Generation 2 still serves.
    let response = post(&mut client, "/v1/offer", LAPTOP_OFFER);
    assert_eq!(response.header("unisono-catalog-generation"), Some("2"));
    assert_eq!(response.text(), common::offer_of(&catalog_b()));
    let metrics = client
        .request("GET", "/metrics", &[common::bearer()], b"")
        .unwrap()
        .text();
    assert!(
        metrics.contains("unisono_catalog_generation 2\n"),
        "{metrics}"
    );
    assert!(
        metrics.contains("unisono_catalog_swaps_total 1\n"),
        "{metrics}"
    );
    assert!(
        metrics.contains("unisono_catalog_refusals_total 2\n"),
        "{metrics}"
    );
}

#[test]
fn healthz_needs_no_token_and_names_the_generation() {
    let server = start(true, Limits::default());
    let response = client(&server)
        .request("GET", "/healthz", &[], b"")
        .unwrap();
    assert_eq!(response.status, 200);
    assert_eq!(response.text(), "{\"status\":\"ok\",\"generation\":1}\n");
}

/// Requests by route and status, latencies, findings by rule, the generation.
#[test]
fn metrics_count_requests_and_findings() {
    let server = start(true, Limits::default());
    let mut client = client(&server);
    let array = std::fs::read_to_string(workspace().join("examples/data/renderings.json")).unwrap();
    post(&mut client, "/v1/validate", &array);
    post(&mut client, "/v1/validate", &array);
    post(&mut client, "/v1/validate", "[");
    let response = client
        .request("GET", "/metrics", &[common::bearer()], b"")
        .unwrap();
    assert_eq!(response.status, 200);
    assert_eq!(
        response.header("content-type"),
        Some("text/plain; version=0.0.4; charset=utf-8")
    );
    let metrics = response.text();
    let report: Value = serde_json::from_str(&post(&mut client, "/v1/offer", "{}").text()).unwrap();
    assert_eq!(report["status"], 400);
    let count = |rule: &str| {
        serde_json::from_str::<Value>(&common::report_of(&catalog_a(), &array)).unwrap()["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"] == rule)
            .count()
    };
    for rule in [
        "price.mismatch",
        "cross.price_divergence",
        "stock.false_scarcity",
    ] {
        let line = format!(
            "unisono_findings_total{{rule=\"{rule}\"}} {}\n",
            2 * count(rule)
        );
        assert!(metrics.contains(&line), "{line} in {metrics}");
    }
    assert!(
        metrics.contains("unisono_requests_total{route=\"/v1/validate\",status=\"200\"} 2\n"),
        "{metrics}"
    );
    assert!(
        metrics.contains("unisono_requests_total{route=\"/v1/validate\",status=\"400\"} 1\n"),
        "{metrics}"
    );
    assert!(
        metrics.contains("unisono_request_duration_seconds_count{route=\"/v1/validate\"} 3\n"),
        "{metrics}"
    );
    assert!(
        metrics.contains("unisono_catalog_generation 1\n"),
        "{metrics}"
    );
}

/// The OpenAPI 3.1 document lists every endpoint, and declares the bearer token.
#[test]
fn openapi_lists_every_endpoint() {
    let server = start(true, Limits::default());
    let response = client(&server)
        .request("GET", "/openapi.json", &[common::bearer()], b"")
        .unwrap();
    assert_eq!(response.status, 200);
    let document: Value = serde_json::from_str(&response.text()).unwrap();
    assert_eq!(document["openapi"], "3.1.0");
    let mut paths: Vec<&String> = document["paths"].as_object().unwrap().keys().collect();
    paths.sort();
    assert_eq!(
        paths,
        [
            "/healthz",
            "/metrics",
            "/openapi.json",
            "/v1/catalog",
            "/v1/extract/html",
            "/v1/extract/text",
            "/v1/offer",
            "/v1/validate"
        ]
    );
    assert_eq!(
        document["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
    assert_eq!(
        document["paths"]["/healthz"]["get"]["security"],
        json!([{}])
    );
    assert_up(&server);
}
