use super::*;
use crate::report::ReportDocument;

fn demo() -> (Catalog, Vec<Rendering>, ReportDocument) {
    let catalog = Catalog::from_json(include_str!("../../../examples/data/catalog.json"))
        .expect("demo catalog compiles");
    let renderings =
        crate::rendering::read_renderings(include_str!("../../../examples/data/renderings.json"))
            .expect("demo renderings parse");
    let policy = crate::Policy::from_json(include_str!("../../../examples/data/policy.json"))
        .expect("demo policy parses");
    let report = crate::Validator::new(&catalog, &policy).validate_all(&renderings);
    let doc = ReportDocument::from(&report);
    (catalog, renderings, doc)
}

/// The page without its style, script and data: headings, captions, table rows and filter options,
/// one a line, tags dropped.
fn outline(page: &str) -> String {
    let keep = [
        "<h1",
        "<h2",
        "<caption",
        "<summary",
        "<thead",
        "<tr>",
        "<option",
        "<label",
        "<p>",
        "<noscript",
    ];
    page.lines()
        .filter(|line| keep.iter().any(|k| line.starts_with(k)))
        .map(|line| {
            let mut text = String::new();
            let mut in_tag = false;
            for c in line.chars() {
                match c {
                    '<' => {
                        in_tag = true;
                        // Cells apart.
                        if !text.is_empty() && !text.ends_with(' ') {
                            text.push_str(" | ");
                        }
                    }
                    '>' => in_tag = false,
                    c if !in_tag => text.push(c),
                    _ => {}
                }
            }
            let tag: String = line
                .chars()
                .skip(1)
                .take_while(char::is_ascii_alphanumeric)
                .collect();
            format!("{tag}: {}", text.trim_end_matches([' ', '|']).trim())
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The embedded data, parsed back.
fn data_of(page: &str) -> Value {
    let start = page
        .find(r#"<script type="application/json" id="report-data">"#)
        .expect("the page embeds its data");
    let rest = page
        .get(start..)
        .and_then(|r| r.split_once('>'))
        .map(|(_, r)| r)
        .unwrap_or_default();
    let end = rest.find("</script>").expect("the data ends");
    serde_json::from_str(rest.get(..end).unwrap_or_default()).expect("the data is JSON")
}

/// The matrix as the script draws it, unfiltered: a row per product, the worst severity per channel.
fn matrix_of(data: &Value) -> Vec<String> {
    let channels = data["channels"].as_array().expect("channels");
    let products = data["products"].as_array().expect("products");
    let mut cells: BTreeMap<(u64, u64), (u64, usize)> = BTreeMap::new();
    for f in data["findings"].as_array().expect("findings") {
        let key = (f[2].as_u64().unwrap_or(0), f[3].as_u64().unwrap_or(0));
        let entry = cells.entry(key).or_insert((9, 0));
        entry.0 = entry.0.min(f[1].as_u64().unwrap_or(9));
        entry.1 += 1;
    }
    (0..products.len() as u64)
        .map(|p| {
            let row: Vec<String> = (0..channels.len() as u64)
                .map(|c| match cells.get(&(p, c)) {
                    Some((s, n)) => format!("{}·{n}", ["error", "warning", "info"][*s as usize]),
                    None => "-".to_owned(),
                })
                .collect();
            format!(
                "{}: {}",
                products[p as usize].as_str().unwrap_or("?"),
                row.join(" ")
            )
        })
        .collect()
}

#[test]
fn the_demo_page_outline() {
    let (catalog, renderings, doc) = demo();
    let options = HtmlOptions {
        catalog: Some(&catalog),
        showings: Showing::of_renderings(&renderings, Some(&catalog)),
        generated: Some("2026-11-28 10:00".to_owned()),
        ..HtmlOptions::default()
    };
    let page = html(&doc, &options);
    insta::assert_snapshot!(outline(&page), @r"
        h1: unisono report
        h2: Summary
        p: 51 renderings, 155 claims: 33 findings on 10 products on 7 channels.
        caption: Findings by severity
        thead: Severity | Findings | Meaning
        tr: error | 27 | must be fixed
        tr: warning | 5 | should be looked at
        tr: info | 1 | for information
        summary: Findings by rule (25 rules)
        caption: Findings by rule
        thead: Rule | Worst severity | Findings
        tr: cross.price_divergence | error | 1
        tr: discount.overstated | error | 1
        tr: discount.understated | info | 1
        tr: identity.gtin_mismatch | error | 1
        tr: identity.not_listed | error | 1
        tr: identity.title_mismatch | warning | 1
        tr: identity.unknown_product | error | 1
        tr: price.member_mismatch | error | 1
        tr: price.mismatch | error | 5
        tr: price.tier_mismatch | error | 1
        tr: promotion.mismatch | error | 1
        tr: promotion.not_active | error | 1
        tr: promotion.not_on_channel | error | 2
        tr: reference.missing | error | 1
        tr: reference.not_lowest_prior | error | 3
        tr: stock.bait_advertising | warning | 1
        tr: stock.false_scarcity | error | 1
        tr: stock.overstated | error | 1
        tr: stock.unavailable | error | 1
        tr: stock.understated | warning | 1
        tr: unit_price.mismatch | error | 2
        tr: unit_price.missing | warning | 1
        tr: validity.not_started | error | 1
        tr: validity.overstated | error | 1
        tr: validity.understated | warning | 1
        h2: Filters
        label: Rule
        option: all rules
        option: cross.price_divergence
        option: discount.overstated
        option: discount.understated
        option: identity.gtin_mismatch
        option: identity.not_listed
        option: identity.title_mismatch
        option: identity.unknown_product
        option: price.member_mismatch
        option: price.mismatch
        option: price.tier_mismatch
        option: promotion.mismatch
        option: promotion.not_active
        option: promotion.not_on_channel
        option: reference.missing
        option: reference.not_lowest_prior
        option: stock.bait_advertising
        option: stock.false_scarcity
        option: stock.overstated
        option: stock.unavailable
        option: stock.understated
        option: unit_price.mismatch
        option: unit_price.missing
        option: validity.not_started
        option: validity.overstated
        option: validity.understated
        label: Severity
        option: all severities
        option: error
        option: warning
        option: info
        label: Channel
        option: all channels
        option: app-it
        option: email-it
        option: print-it
        option: store-milano
        option: store-roma
        option: tv-it
        option: web-it
        label: Product or rendering
        h2: Channels × products
        p: Each cell shows the worst severity of the findings of a product on a channel, and how many there are. Choose a cell to see its findings.
        caption: Worst severity by product (rows) and channel (columns)
        thead: Product | app-it | email-it | print-it | store-milano | store-roma | tv-it | web-it
        h2: Selected cell
        h2: Findings by product
        noscript: The matrix and the findings are drawn by the page's script: allow scripts for this file to see them.
    ");
    let data = data_of(&page);
    insta::assert_snapshot!(matrix_of(&data).join("\n"), @r"
        TV-55: warning·1 - error·4 error·1 - warning·1 info·1
        EARBUDS-PRO: - error·3 - - - error·1 warning·1
        OLIO-EVO-1L: error·1 error·3 - - error·1 - -
        ESPRESSO-M1: error·1 - - error·1 - - error·1
        LAPTOP-14: - error·1 - error·1 - - error·1
        PHONE-X: error·2 - - - - - error·1
        PARMIGIANO-500: - - - warning·1 - - error·1
        SPAGHETTI-500: error·1 - error·1 - - - -
        CAFFE-250: - - - - error·1 - -
        ZAINO-URBAN: warning·1 - - - - - -
    ");
    // Every product with findings gets its strip.
    let strips = data["strips"].as_array().expect("strips");
    assert_eq!(
        strips.len(),
        data["products"].as_array().map_or(0, Vec::len)
    );
    assert!(strips.iter().all(Value::is_string));
}

#[test]
fn same_report_same_bytes() {
    let (catalog, renderings, doc) = demo();
    let page = || {
        html(
            &doc,
            &HtmlOptions {
                catalog: Some(&catalog),
                showings: Showing::of_renderings(&renderings, Some(&catalog)),
                ..HtmlOptions::default()
            },
        )
    };
    assert_eq!(page(), page());
}

#[test]
fn hostile_text_is_escaped_everywhere() {
    let hostile = "</script><script>alert(1)</script>\u{1}\u{7f}<img src=x onerror=alert(2)>&amp;";
    let text = serde_json::to_string(hostile).expect("a JSON string");
    let doc = ReportDocument::from_json(&format!(
        r#"{{"version": 1, "summary": {{"renderings": 1, "claims": 1, "errors": 1, "warnings": 0, "infos": 0}},
            "findings": [{{"rule": {text}, "severity": "error", "rendering": {text}, "channel": {text},
            "sku": {text}, "claim": 0, "source": {text}, "at": "2026-11-28T07:00:00+01:00", "expected": {text},
            "found": {text}, "message": {text}, "explanation": [{text}],
            "evidence": {{"url": {text}, "screenshot": "javascript:alert(3)"}}}}]}}"#
    ))
    .expect("the report reads");
    let page = html(
        &doc,
        &HtmlOptions {
            title: hostile.to_owned(),
            generated: Some(hostile.to_owned()),
            ..HtmlOptions::default()
        },
    );
    // Two script elements, the data and the code, each closed once: nothing of the input opens one.
    assert_eq!(page.matches("<script").count(), 2, "{page}");
    assert_eq!(page.matches("</script>").count(), 2);
    assert!(!page.contains("<img"));
    assert!(!page.contains("alert(1)</"));
    // No control character but line feeds reaches the page.
    assert!(
        !page.chars().any(|c| c.is_control() && c != '\n'),
        "a control character"
    );
    // In the markup the text is escaped (controls replaced); in the data it is JSON, read back whole.
    assert!(page.contains(
        "<th scope=\"col\">&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;\u{FFFD}"
    ));
    let data = data_of(&page);
    assert_eq!(data["channels"][0], hostile);
    assert_eq!(data["strings"][0], hostile);
    assert_eq!(data["findings"][0][14]["screenshot"], "javascript:alert(3)");
}

#[test]
fn script_safe_json_means_the_same() {
    let value = json!({"a": "</script>&<!--\u{2028}"});
    let text = script_safe(&serde_json::to_string(&value).expect("JSON"));
    assert!(!text.contains('<') && !text.contains('>') && !text.contains('&'));
    assert_eq!(serde_json::from_str::<Value>(&text).expect("JSON"), value);
}
