//! `unisono extract text|html|feed` and `unisono validate --html`: output, exit status, messages.
//!
//! The binary is built once with cargo and run from the target directory (`tests/common`).

mod common;

use std::process::Output;

use common::{run_with_stdin as run, stderr, stdout, workspace};

use serde_json::Value;

fn lines(output: &Output) -> Vec<Value> {
    stdout(output)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect()
}

fn catalog() -> String {
    workspace()
        .join("examples/data/catalog.json")
        .display()
        .to_string()
}

fn realdata(path: &str) -> Option<String> {
    let file = workspace().join("../shared/realdata").join(path);
    if file.is_file() {
        Some(file.display().to_string())
    } else {
        println!("skipped: {} is absent", file.display());
        None
    }
}

/// LAPTOP-14 on the demo's web shop during Black Friday: 719.20 EUR, prior price 899.00 EUR.
fn laptop_page(price: &str) -> String {
    format!(
        r#"<html><head><script type="application/ld+json">
        {{"@context": "https://schema.org", "@type": "Product", "name": "Notebook Acme 14",
          "sku": "LAPTOP-14", "gtin13": "8012345678907",
          "offers": {{"@type": "Offer", "price": "{price}", "priceCurrency": "EUR",
            "availability": "https://schema.org/InStock",
            "priceSpecification": {{"@type": "UnitPriceSpecification",
              "priceType": "https://schema.org/StrikethroughPrice", "price": "899.00", "priceCurrency": "EUR"}}}}}}
        </script></head><body><h1>Notebook Acme 14</h1></body></html>"#
    )
}

const AT: &str = "2026-11-28T10:00:00+01:00";

#[test]
fn extract_html_prints_one_rendering_a_line() {
    let output = run(
        &[
            "extract",
            "html",
            "-",
            "--channel",
            "web-it",
            "--at",
            AT,
            "--id",
            "laptop",
        ],
        &laptop_page("719.20"),
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let renderings = lines(&output);
    assert_eq!(renderings.len(), 1);
    let r = &renderings[0];
    assert_eq!(r["id"], "laptop#offer-1");
    assert_eq!(r["channel"], "web-it");
    assert_eq!(r["sku"], "LAPTOP-14");
    assert_eq!(r["shown"]["at"], "2026-11-28T09:00:00Z");
    assert_eq!(r["claims"][2]["price"], "719.20 EUR");
    assert_eq!(r["claims"][3]["reference_price"], "899.00 EUR");
    assert_eq!(stderr(&output), "");
}

#[test]
fn extract_html_of_a_real_page_warns_what_it_does_not_read() {
    let Some(page) = realdata("html/microdata-with-description.html") else {
        return;
    };
    let output = run(
        &["extract", "html", &page, "--channel", "web-uk", "--at", AT],
        "",
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let renderings = lines(&output);
    let ids: Vec<&str> = renderings.iter().filter_map(|r| r["id"].as_str()).collect();
    assert_eq!(
        ids,
        [
            "microdata-with-description.html#offer-1",
            "microdata-with-description.html#offer-2"
        ]
    );
    assert_eq!(renderings[1]["claims"][1]["price"], "5.29 GBP");
    assert_eq!(
        renderings[1]["claims"][1]["source"],
        "microdata[0]/offers[2]/price"
    );
    assert!(
        stderr(&output).contains("microdata[0]/offers: \"5.29 to 9.56\": an AggregateOffer"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn extract_feed_reads_tsv_and_rss() {
    let tsv = "id\tprice\tavailability\nA-1\t10.00 EUR\tin stock\nA-2\t1,00 EUR\tout of stock\n";
    let output = run(
        &["extract", "feed", "-", "--channel", "gmc-it", "--at", AT],
        tsv,
    );
    assert_eq!(output.status.code(), Some(0));
    let renderings = lines(&output);
    assert_eq!(renderings.len(), 2);
    assert_eq!(renderings[0]["id"], "A-1");
    assert_eq!(renderings[0]["claims"][0]["price"], "10.00 EUR");
    assert_eq!(renderings[1]["claims"][0]["availability"], "out_of_stock");
    assert_eq!(
        stderr(&output),
        "warning: <stdin>: line 3/price: \"1,00 EUR\": \"1,00 EUR\" is not money: expected an amount, one space and an ISO 4217 code, like \"899.00 EUR\"\n"
    );
    let Some(feed) = realdata("feeds/google_example_feed.xml") else {
        return;
    };
    let output = run(
        &["extract", "feed", &feed, "--channel", "gmc-us", "--at", AT],
        "",
    );
    let ids: Vec<String> = lines(&output)
        .iter()
        .map(|r| r["id"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(
        ids,
        [
            "TV_123456",
            "DVD-0564738",
            "PFM654321",
            "CLO-29473856-1",
            "CLO-29473856-2",
            "CLO-1029384"
        ]
    );
}

#[test]
fn extract_text_prints_one_json_line_per_input_line() {
    let output = run(
        &["extract", "text", "--locale", "it-IT"],
        "Notebook 1.299,00 € invece di 1.499 €\n\nsolo oggi\n",
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let read = lines(&output);
    assert_eq!(read.len(), 3);
    assert_eq!(read[0]["claims"][0]["price"], "1299.00 EUR");
    assert_eq!(read[1]["claims"], Value::Array(Vec::new()));
    let bad = run(&["extract", "text", "--locale", "xx-YY"], "1 €\n");
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        stderr(&bad).starts_with("error: --locale: "),
        "{}",
        stderr(&bad)
    );
}

#[test]
fn validate_html_checks_one_page_in_one_call() {
    let catalog = catalog();
    let args = |format: &'static str| {
        vec![
            "validate".to_owned(),
            "--catalog".to_owned(),
            catalog.clone(),
            "--html".to_owned(),
            "-".to_owned(),
            "--channel".to_owned(),
            "web-it".to_owned(),
            "--sku".to_owned(),
            "LAPTOP-14".to_owned(),
            "--at".to_owned(),
            AT.to_owned(),
            "--format".to_owned(),
            format.to_owned(),
        ]
    };
    let run_page = |page: &str| {
        let args = args("json");
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        run(&args, page)
    };
    let good = run_page(&laptop_page("719.20"));
    assert_eq!(good.status.code(), Some(0), "{}", stdout(&good));
    let report: Value = serde_json::from_str(&stdout(&good)).unwrap();
    assert_eq!(report["summary"]["renderings"], 1);
    assert_eq!(report["summary"]["claims"], 5);
    assert_eq!(report["summary"]["errors"], 0);

    let wrong = run_page(&laptop_page("729.00"));
    assert_eq!(wrong.status.code(), Some(1));
    let report: Value = serde_json::from_str(&stdout(&wrong)).unwrap();
    let finding = &report["findings"][0];
    assert_eq!(finding["rule"], "price.mismatch");
    assert_eq!(finding["rendering"], "<stdin>#offer-1");
    assert_eq!(finding["expected"], "719.20 EUR");
    assert_eq!(finding["found"], "729.00 EUR");

    // The same page through extract html and validate --renderings: the same findings.
    let extracted = run(
        &[
            "extract",
            "html",
            "-",
            "--channel",
            "web-it",
            "--at",
            AT,
            "--id",
            "<stdin>",
        ],
        &laptop_page("729.00"),
    );
    let piped = run(
        &[
            "validate",
            "--catalog",
            &catalog,
            "--renderings",
            "-",
            "--format",
            "json",
        ],
        &stdout(&extracted),
    );
    assert_eq!(stdout(&piped), stdout(&wrong));
}

#[test]
fn validate_html_refuses_what_it_cannot_check() {
    let catalog = catalog();
    let base = [
        "validate",
        "--catalog",
        catalog.as_str(),
        "--html",
        "-",
        "--channel",
        "web-it",
        "--sku",
        "LAPTOP-14",
    ];
    let mut args = base.to_vec();
    args.extend(["--at", AT]);
    let nothing = run(&args, "<p>Notebook, 719,20 €</p>");
    assert_eq!(nothing.status.code(), Some(2));
    assert_eq!(
        stderr(&nothing),
        "warning: <stdin>: page: no schema.org Product or Offer (JSON-LD, microdata, RDFa), no OpenGraph product tags and no visible price: nothing read\n\
         error: <stdin>: no offer found: the page has no schema.org Offer or Product, and no OpenGraph product tags\n"
    );
    let mut args = base.to_vec();
    args.extend(["--at", "2026-11-28T10:00:00"]);
    let bad_at = run(&args, &laptop_page("719.20"));
    assert_eq!(bad_at.status.code(), Some(2));
    assert!(
        stderr(&bad_at).starts_with("error: --at: "),
        "{}",
        stderr(&bad_at)
    );
    // --html needs --at; --renderings and --html exclude each other.
    let usage = run(&base, "");
    assert_eq!(usage.status.code(), Some(2));
    assert!(stderr(&usage).contains("--at <AT>"), "{}", stderr(&usage));
    let mut both = base.to_vec();
    both.extend(["--at", AT, "--renderings", "r.json"]);
    let both = run(&both, "");
    assert_eq!(both.status.code(), Some(2));
    assert!(
        stderr(&both).contains("cannot be used with"),
        "{}",
        stderr(&both)
    );
}
