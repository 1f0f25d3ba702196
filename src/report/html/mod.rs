//! The report as one self-contained HTML page, for the marketers and category managers who fix what
//! a channel shows: a summary, a channel × product matrix coloured by the worst severity, the
//! findings grouped by product with their explanation and a timeline strip, and filters.
//!
//! The page needs no network: its style and script are inline. The findings travel as JSON data
//! (strings interned once) that a small script draws a page at a time, so that a report of 100,000
//! findings stays light to open; everything that does not depend on the filters is written here.
//! Every text of the input (ids, titles, sources, messages) is escaped; in the JSON data `<`, `>`
//! and `&` are written as `\u003c`, `\u003e`, `\u0026`, so that no `</script>` can end it early.
//! Same report and options, same bytes: nothing reads the clock (a generation time is an option).

mod strip;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write;

use serde_json::{Value, json};

use super::document::{ReportDocument, ReportFinding};
use crate::time::Window;
use crate::validate::Severity;
use crate::{Catalog, Money, Rendering};

/// Text for HTML content and attributes: XML's escapes, and no control character but tab and line
/// feed (HTML parsers take C1 controls and DEL as errors; the page shows U+FFFD instead).
pub(crate) fn escape(text: &str) -> String {
    super::junit::xml(text)
        .chars()
        .map(|c| {
            if c.is_control() && c != '\n' && c != '\t' {
                '\u{FFFD}'
            } else {
                c
            }
        })
        .collect()
}

const STYLE: &str = include_str!("page.css");
const SCRIPT: &str = include_str!("page.js");

/// What one rendering showed of a product, and when: a mark on the product's timeline strip.
#[derive(Debug, Clone, PartialEq)]
pub struct Showing {
    /// The rendering's id.
    pub rendering: String,
    /// Its channel.
    pub channel: String,
    /// The product's SKU.
    pub sku: String,
    /// When it was shown.
    pub window: Window,
    /// The price it claimed, if it claimed one.
    pub price: Option<Money>,
}

impl Showing {
    /// What `renderings` showed: one showing per rendering naming a SKU, with its first `price`
    /// claim (renderings naming a product by GTIN are placed through `catalog`).
    ///
    /// ```
    /// let catalog = unisono::Catalog::from_json(include_str!("../../../examples/data/catalog.json"))?;
    /// let r: unisono::Rendering = serde_json::from_str(r#"{"id": "hero", "channel": "email-it",
    ///   "gtin": "8012345678907", "shown": {"at": "2026-11-28T07:00:00+01:00"}, "claims": [{"price": "729.00 EUR"}]}"#)?;
    /// let shown = unisono::report::Showing::of_renderings(&[r], Some(&catalog));
    /// assert_eq!(shown[0].sku, "LAPTOP-14");
    /// assert_eq!(shown[0].price.map(|p| p.to_string()).as_deref(), Some("729.00 EUR"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn of_renderings(renderings: &[Rendering], catalog: Option<&Catalog>) -> Vec<Showing> {
        renderings
            .iter()
            .filter_map(|r| {
                let sku = match (&r.sku, &r.gtin, catalog) {
                    (Some(sku), _, _) => sku.clone(),
                    (None, Some(gtin), Some(catalog)) => {
                        catalog.product_by_gtin(gtin.parse().ok()?)?.sku.clone()
                    }
                    _ => return None,
                };
                let price = r.claims.iter().find_map(|c| match c.value {
                    crate::ClaimValue::Price(p) => Some(p),
                    _ => None,
                });
                Some(Showing {
                    rendering: r.id.clone(),
                    channel: r.channel.clone(),
                    sku,
                    window: r.shown.window(),
                    price,
                })
            })
            .collect()
    }

    /// What the findings of a report say was shown, when the renderings are not at hand: each at
    /// its `at`, with the price found by `price.mismatch`.
    fn of_findings(findings: &[ReportFinding]) -> Vec<Showing> {
        findings
            .iter()
            .filter_map(|f| {
                let at = crate::time::parse_instant(f.at.as_deref()?).ok()?;
                let price = match f.rule.as_str() {
                    "price.mismatch" => f.found.as_deref().and_then(|p| p.parse().ok()),
                    _ => None,
                };
                Some(Showing {
                    rendering: f.rendering_ids().join(", "),
                    channel: f.channel.clone(),
                    sku: f.sku.clone()?,
                    window: Window::instant(at),
                    price,
                })
            })
            .collect()
    }
}

/// What the page shows besides the report.
#[derive(Debug, Clone)]
pub struct HtmlOptions<'a> {
    /// The page's title and first heading.
    pub title: String,
    /// A generation time (or any note) shown under the title, as given; none by default.
    pub generated: Option<String>,
    /// The catalog, for the timeline strips (no strip without it).
    pub catalog: Option<&'a Catalog>,
    /// What the renderings showed ([`Showing::of_renderings`]); when empty, the strips place what
    /// the findings say at their `at`.
    pub showings: Vec<Showing>,
    /// Products that get a strip, most affected first; the others say that theirs was left out.
    pub max_strips: usize,
}

impl Default for HtmlOptions<'_> {
    fn default() -> Self {
        HtmlOptions {
            title: "unisono report".to_owned(),
            generated: None,
            catalog: None,
            showings: Vec::new(),
            max_strips: 1000,
        }
    }
}

fn severity_rank(s: Severity) -> u8 {
    match s {
        Severity::Error => 0,
        Severity::Warning => 1,
        Severity::Info | Severity::Allow => 2,
    }
}

/// Strings written once in the data and named by their index.
#[derive(Default)]
struct Strings {
    list: Vec<String>,
    index: HashMap<String, usize>,
}

impl Strings {
    fn id(&mut self, text: &str) -> usize {
        if let Some(i) = self.index.get(text) {
            return *i;
        }
        let i = self.list.len();
        self.list.push(text.to_owned());
        self.index.insert(text.to_owned(), i);
        i
    }

    /// The index of a text, or -1 for none.
    fn optional(&mut self, text: Option<&str>) -> Value {
        text.map_or(json!(-1), |t| json!(self.id(t)))
    }
}

/// The distinct texts, sorted, and the index of each.
fn distinct<'d>(texts: impl Iterator<Item = &'d str>) -> (Vec<&'d str>, HashMap<&'d str, usize>) {
    let sorted: Vec<&str> = texts.collect::<BTreeSet<_>>().into_iter().collect();
    let index = sorted.iter().enumerate().map(|(i, t)| (*t, i)).collect();
    (sorted, index)
}

/// Products in the order the page lists them: most severe first, then most findings, then SKU.
fn product_order(findings: &[ReportFinding]) -> Vec<(Option<&str>, u8, usize)> {
    let mut by_product: BTreeMap<Option<&str>, (u8, usize)> = BTreeMap::new();
    for f in findings {
        let entry = by_product.entry(f.sku.as_deref()).or_insert((u8::MAX, 0));
        entry.0 = entry.0.min(severity_rank(f.severity));
        entry.1 += 1;
    }
    let mut order: Vec<(Option<&str>, u8, usize)> = by_product
        .into_iter()
        .map(|(p, (s, n))| (p, s, n))
        .collect();
    order.sort_by(|a, b| a.1.cmp(&b.1).then(b.2.cmp(&a.2)).then(a.0.cmp(&b.0)));
    order
}

/// The data the page's script draws from (every finding as an array of indices into `strings`),
/// with the channels (columns of the matrix) and the number of products (its rows).
fn data<'d>(doc: &'d ReportDocument, options: &HtmlOptions<'_>) -> (Value, Vec<&'d str>, usize) {
    let order = product_order(&doc.findings);
    let product_index: HashMap<Option<&str>, usize> = order
        .iter()
        .enumerate()
        .map(|(i, (p, _, _))| (*p, i))
        .collect();
    let (channels, channel_index) = distinct(doc.findings.iter().map(|f| f.channel.as_str()));
    let (rules, rule_index) = distinct(doc.findings.iter().map(|f| f.rule.as_str()));
    let mut strings = Strings::default();
    let findings: Vec<Value> = doc
        .findings
        .iter()
        .map(|f| {
            let ids: Vec<usize> = f.rendering_ids().iter().map(|id| strings.id(id)).collect();
            let explanation: Vec<usize> = f.explanation.iter().map(|e| strings.id(e)).collect();
            json!([
                rule_index.get(f.rule.as_str()).copied().unwrap_or(0),
                severity_rank(f.severity),
                product_index.get(&f.sku.as_deref()).copied().unwrap_or(0),
                channel_index.get(f.channel.as_str()).copied().unwrap_or(0),
                ids,
                f.claim.map_or(json!(-1), |c| json!(c)),
                strings.optional(f.source.as_deref()),
                strings.optional(f.at.as_deref()),
                strings.optional(f.expected.as_deref()),
                strings.optional(f.found.as_deref()),
                strings.id(&f.message),
                explanation,
                f.fingerprint,
                strings.optional(f.first_seen.as_deref()),
                f.evidence.clone().unwrap_or(Value::Null),
            ])
        })
        .collect();
    let products: Vec<Value> = order
        .iter()
        .map(|(sku, _, _)| match sku {
            Some(sku) => json!(sku),
            None => Value::Null,
        })
        .collect();
    let titles: Vec<Value> = order
        .iter()
        .map(|(sku, _, _)| {
            options
                .catalog
                .and_then(|c| c.product((*sku)?))
                .map_or(Value::Null, |p| json!(p.title.for_locale(None)))
        })
        .collect();
    let data = json!({
        "rules": rules,
        "channels": channels,
        "products": products,
        "titles": titles,
        "strings": strings.list,
        "findings": findings,
        "strips": strips(doc, options, &order),
        "maxStrips": options.max_strips,
    });
    (data, channels, order.len())
}

/// The SVG strip of each product (by its place in the product order), or null.
fn strips(
    doc: &ReportDocument,
    options: &HtmlOptions<'_>,
    order: &[(Option<&str>, u8, usize)],
) -> Vec<Value> {
    let Some(catalog) = options.catalog else {
        return Vec::new();
    };
    let from_findings;
    let showings = if options.showings.is_empty() {
        from_findings = Showing::of_findings(&doc.findings);
        &from_findings
    } else {
        &options.showings
    };
    let wanted: HashMap<&str, usize> = order
        .iter()
        .take(options.max_strips)
        .enumerate()
        .filter_map(|(i, (sku, _, _))| Some(((*sku)?, i)))
        .collect();
    let mut of_product: Vec<Vec<&Showing>> = vec![Vec::new(); wanted.len()];
    for s in showings {
        if let Some(list) = wanted
            .get(s.sku.as_str())
            .and_then(|i| of_product.get_mut(*i))
        {
            list.push(s);
        }
    }
    order
        .iter()
        .take(options.max_strips)
        .zip(&of_product)
        .enumerate()
        .map(|(i, ((sku, _, _), shown))| {
            sku.and_then(|sku| strip::strip(catalog, sku, shown, i))
                .map_or(Value::Null, Value::String)
        })
        .collect()
}

/// JSON that can sit inside a `<script>` element: `<`, `>`, `&` and control characters only occur
/// in its strings, where their `\u` escapes mean the same.
fn script_safe(json: &str) -> String {
    let mut out = String::with_capacity(json.len() + json.len() / 64);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            // JSON leaves DEL and the C1 controls raw; HTML takes them as errors.
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out
}

fn badge(severity: &str) -> String {
    format!(r#"<span class="badge sev-{severity}">{severity}</span>"#)
}

/// The report as one HTML page.
///
/// ```
/// let doc = unisono::report::ReportDocument::from_json(r#"{"version": 1,
///   "summary": {"renderings": 1, "claims": 1, "errors": 1, "warnings": 0, "infos": 0},
///   "findings": [{"rule": "price.mismatch", "severity": "error", "rendering": "<script>", "channel": "email-it",
///     "sku": "LAPTOP-14", "claim": 0, "at": "2026-11-28T07:00:00+01:00", "expected": "719.20 EUR",
///     "found": "729.00 EUR", "message": "email-it shows 729.00 EUR", "explanation": []}]}"#)?;
/// let page = unisono::report::html(&doc, &unisono::report::HtmlOptions::default());
/// assert!(page.starts_with("<!DOCTYPE html>"));
/// assert!(page.contains(r#"<th scope="col">email-it</th>"#));
/// assert!(!page.contains("<script>\""));
/// # Ok::<(), unisono::report::ReportError>(())
/// ```
pub fn html(doc: &ReportDocument, options: &HtmlOptions<'_>) -> String {
    let (data, channels, products) = data(doc, options);
    let s = &doc.summary;
    let mut out = String::with_capacity(1 << 16);
    let title = escape(&options.title);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n\
         <title>{title}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n<header>\n<h1>{title}</h1>\n"
    );
    if let Some(generated) = &options.generated {
        let _ = writeln!(out, "<p class=\"generated\">{}</p>", escape(generated));
    }
    out.push_str("</header>\n<main>\n");

    // Summary: counts, and the findings by severity and by rule.
    let _ = writeln!(
        out,
        "<section id=\"summary\" aria-labelledby=\"summary-h\">\n<h2 id=\"summary-h\">Summary</h2>\n\
         <p>{}, {}: {} on {} on {}.</p>",
        super::count(s.renderings, "rendering"),
        super::count(s.claims, "claim"),
        super::count(doc.findings.len(), "finding"),
        super::count(products, "product"),
        super::count(channels.len(), "channel"),
    );
    out.push_str(
        "<table class=\"counts\">\n<caption>Findings by severity</caption>\n\
         <thead><tr><th scope=\"col\">Severity</th><th scope=\"col\">Findings</th><th scope=\"col\">Meaning</th></tr></thead>\n<tbody>\n",
    );
    for (severity, n, meaning) in [
        ("error", s.errors, "must be fixed"),
        ("warning", s.warnings, "should be looked at"),
        ("info", s.infos, "for information"),
    ] {
        let _ = writeln!(
            out,
            "<tr><th scope=\"row\">{}</th><td>{n}</td><td>{meaning}</td></tr>",
            badge(severity)
        );
    }
    out.push_str("</tbody>\n</table>\n");
    let mut by_rule: BTreeMap<&str, (u8, usize)> = BTreeMap::new();
    for f in &doc.findings {
        let entry = by_rule.entry(f.rule.as_str()).or_insert((u8::MAX, 0));
        entry.0 = entry.0.min(severity_rank(f.severity));
        entry.1 += 1;
    }
    let _ = writeln!(
        out,
        "<details class=\"rules\">\n<summary>Findings by rule ({})</summary>",
        super::count(by_rule.len(), "rule")
    );
    out.push_str(
        "<table class=\"counts\">\n<caption>Findings by rule</caption>\n\
         <thead><tr><th scope=\"col\">Rule</th><th scope=\"col\">Worst severity</th><th scope=\"col\">Findings</th></tr></thead>\n<tbody>\n",
    );
    const NAMES: [&str; 3] = ["error", "warning", "info"];
    for (rule, (rank, n)) in &by_rule {
        let severity = NAMES.get(usize::from(*rank)).copied().unwrap_or("info");
        let _ = writeln!(
            out,
            "<tr><th scope=\"row\"><code>{}</code></th><td>{}</td><td>{n}</td></tr>",
            escape(rule),
            badge(severity)
        );
    }
    out.push_str("</tbody>\n</table>\n</details>\n</section>\n");

    // Filters: the options are the report's rules and channels.
    out.push_str(
        "<section id=\"filters\" aria-labelledby=\"filters-h\">\n<h2 id=\"filters-h\">Filters</h2>\n\
         <form id=\"filter-form\">\n<label for=\"f-rule\">Rule</label>\n<select id=\"f-rule\">\n<option value=\"\">all rules</option>\n",
    );
    for (i, rule) in by_rule.keys().enumerate() {
        let _ = writeln!(out, "<option value=\"{i}\">{}</option>", escape(rule));
    }
    out.push_str(
        "</select>\n<label for=\"f-severity\">Severity</label>\n<select id=\"f-severity\">\n<option value=\"\">all severities</option>\n\
         <option value=\"0\">error</option>\n<option value=\"1\">warning</option>\n<option value=\"2\">info</option>\n</select>\n\
         <label for=\"f-channel\">Channel</label>\n<select id=\"f-channel\">\n<option value=\"\">all channels</option>\n",
    );
    for (i, channel) in channels.iter().enumerate() {
        let _ = writeln!(out, "<option value=\"{i}\">{}</option>", escape(channel));
    }
    out.push_str(
        "</select>\n<label for=\"f-text\">Product or rendering</label>\n<input id=\"f-text\" type=\"search\" placeholder=\"SKU or rendering id\">\n\
         <button type=\"reset\">Clear filters</button>\n</form>\n<p id=\"filter-status\" role=\"status\"></p>\n</section>\n",
    );

    // The matrix: the header is the report's channels; the script writes the rows, a page at a time.
    out.push_str(
        "<section id=\"matrix-section\" aria-labelledby=\"matrix-h\">\n<h2 id=\"matrix-h\">Channels × products</h2>\n\
         <p>Each cell shows the worst severity of the findings of a product on a channel, and how many there are. Choose a cell to see its findings.</p>\n\
         <nav class=\"pager\" id=\"matrix-pager\" aria-label=\"Pages of the matrix\"></nav>\n<div class=\"scroll\">\n<table id=\"matrix\">\n\
         <caption>Worst severity by product (rows) and channel (columns)</caption>\n<thead><tr><th scope=\"col\">Product</th>",
    );
    for channel in &channels {
        let _ = write!(out, "<th scope=\"col\">{}</th>", escape(channel));
    }
    out.push_str(
        "</tr></thead>\n<tbody></tbody>\n</table>\n</div>\n</section>\n\
         <section id=\"selection\" aria-labelledby=\"selection-h\" hidden>\n<h2 id=\"selection-h\" tabindex=\"-1\">Selected cell</h2>\n\
         <ol class=\"findings\" id=\"selection-list\"></ol>\n</section>\n\
         <section id=\"products\" aria-labelledby=\"products-h\">\n<h2 id=\"products-h\">Findings by product</h2>\n\
         <nav class=\"pager\" id=\"products-pager\" aria-label=\"Pages of products\"></nav>\n<div id=\"product-list\"></div>\n</section>\n\
         </main>\n<noscript><p>The matrix and the findings are drawn by the page's script: allow scripts for this file to see them.</p></noscript>\n",
    );
    let json = serde_json::to_string(&data).unwrap_or_default();
    let _ = write!(
        out,
        "<script type=\"application/json\" id=\"report-data\">{}</script>\n<script>\n{SCRIPT}</script>\n</body>\n</html>\n",
        script_safe(&json)
    );
    out
}

#[cfg(test)]
mod tests;
