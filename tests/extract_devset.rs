//! Measures the page reader on real product pages nobody here wrote:
//! `../shared/realdata/html-dev/` (59 pages, `expected.json` beside them, origins in its
//! SOURCES.md) and the four older samples of `../shared/realdata/html/`. Skipped, with a message,
//! where those folders are absent.
//!
//! Each page is read with [`html::extract`]; its **answer** is one price, chosen as
//! `docs/extraction.md` says a consumer of one product page would: a markup price equal to the
//! price the page shows (`visible:` claim); else none when there is a shown price, or when two syntaxes (JSON-LD, microdata, RDFa,
//! OpenGraph) give two prices (the page contradicts itself); else the first markup price in
//! document order, else the visible price. The page's **expected** price is `primary.amount` + `primary.currency` of
//! `expected.json` (none where either is null: a price without a currency is no money); on a page
//! tagged `visible-price-only`, the price its notes say it shows ("The visible price is 29.99 USD").
//!
//! - precision on pages with markup: right answers / answers taken from markup;
//! - precision on visible-only pages: right answers / answers taken from the visible price;
//! - F1 over all pages: answers right against all expected prices.
//!
//! The floors asserted are the figures reached (docs/extraction.md, "Measured on real pages").
#![cfg(feature = "extract")]

use std::path::PathBuf;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde_json::Value;
use unisono::ClaimValue;
use unisono::extract::html::{self, Context, Extracted};

fn realdata() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/realdata")
}

fn read_page(name: &str, html: &str) -> Extracted {
    let at = unisono::time::parse_instant("2026-11-27T10:00:00Z").expect("an instant");
    html::extract(html, &Context::at(name, "web", at))
}

/// A price as (amount, ISO code); amounts compare numerically (`48.00` is `48.0`).
type Price = (Decimal, String);

/// Where a page's answer came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum From {
    Markup,
    Visible,
}

/// The syntax a claim's source names: `json-ld`, `microdata`, `rdfa` or `meta` (OpenGraph).
fn syntax(source: &str) -> &str {
    source.split(['[', '/']).next().unwrap_or(source)
}

/// The page's one price (module docs: how it is chosen).
fn answer(read: &Extracted) -> Option<(Price, From)> {
    let mut markup: Vec<(Price, &str)> = Vec::new();
    let mut visible = Vec::new();
    for r in &read.renderings {
        for c in &r.claims {
            if let ClaimValue::Price(m) = &c.value {
                let price = (m.amount(), m.currency().code().to_owned());
                let source = c.source.as_deref().unwrap_or("");
                if source.starts_with("visible:") {
                    visible.push(price);
                } else {
                    markup.push((price, syntax(source)));
                }
            }
        }
    }
    let shown = visible.first();
    if let Some((agreed, _)) = markup.iter().find(|(p, _)| Some(p) == shown) {
        return Some((agreed.clone(), From::Markup));
    }
    // A shown price that no markup price equals: the page contradicts itself (Google disapproves
    // such an item), and no one price is its answer.
    if shown.is_some() && !markup.is_empty() {
        return None;
    }
    // Two syntaxes that give the product two prices, and no shown price to settle it: the page
    // contradicts itself, and no one price is its answer (the validator judges each claim).
    let mut firsts: Vec<&(Price, &str)> = Vec::new();
    for m in &markup {
        if !firsts.iter().any(|f| f.1 == m.1) {
            firsts.push(m);
        }
    }
    if firsts.iter().any(|f| f.0 != firsts[0].0) {
        return None;
    }
    markup
        .into_iter()
        .next()
        .map(|(p, _)| (p, From::Markup))
        .or_else(|| shown.map(|p| (p.clone(), From::Visible)))
}

#[derive(Default, Debug)]
struct Score {
    pages: usize,
    expected: usize,
    right: usize,
    markup_answers: usize,
    markup_right: usize,
    visible_answers: usize,
    visible_right: usize,
    /// Every page's `visible:` price claim against the page's expected price.
    shown_claims: usize,
    shown_right: usize,
    silent: Vec<String>,
    lines: Vec<String>,
}

impl Score {
    fn add(&mut self, name: &str, read: &Extracted, expected: &[Price]) {
        self.pages += 1;
        if !expected.is_empty() {
            self.expected += 1;
        }
        let got = answer(read);
        let right = got.as_ref().is_some_and(|(p, _)| expected.contains(p));
        if let Some((_, from)) = &got {
            let (answers, rights) = match from {
                From::Markup => (&mut self.markup_answers, &mut self.markup_right),
                From::Visible => (&mut self.visible_answers, &mut self.visible_right),
            };
            *answers += 1;
            if right {
                *rights += 1;
                self.right += 1;
            }
        }
        let shown_claim = read
            .renderings
            .iter()
            .flat_map(|r| &r.claims)
            .find_map(|c| match &c.value {
                ClaimValue::Price(m)
                    if c.source
                        .as_deref()
                        .is_some_and(|s| s.starts_with("visible:")) =>
                {
                    Some((m.amount(), m.currency().code().to_owned()))
                }
                _ => None,
            });
        if let Some(p) = shown_claim {
            self.shown_claims += 1;
            if expected.contains(&p) {
                self.shown_right += 1;
            }
        }
        if read.renderings.is_empty() && read.unread.is_empty() {
            self.silent.push(name.to_owned());
        }
        let verdict = match (&got, expected.is_empty(), right) {
            (_, _, true) => "right",
            (None, true, _) => "right (none)",
            (None, false, _) => "MISSED",
            (Some(_), _, false) => "WRONG",
        };
        let shown: Vec<String> = read
            .renderings
            .iter()
            .flat_map(|r| &r.claims)
            .filter(|c| {
                c.source
                    .as_deref()
                    .is_some_and(|s| s.starts_with("visible:"))
            })
            .map(|c| {
                format!(
                    "{} at {}",
                    c.value.value_text(),
                    c.source.as_deref().unwrap_or("")
                )
            })
            .chain(
                read.unread
                    .iter()
                    .filter(|u| u.source.starts_with("visible:"))
                    .map(|u| format!("unread {:?} at {}: {}", u.text, u.source, u.reason)),
            )
            .collect();
        self.lines.push(format!(
            "{verdict:12} {name}: got {got:?}, expected {expected:?}; {} renderings, {} unread; shown {shown:?}",
            read.renderings.len(),
            read.unread.len()
        ));
    }

    fn precision(right: usize, answers: usize) -> f64 {
        if answers == 0 {
            return 1.0;
        }
        // Display and floors only; nothing here is money.
        right as f64 / answers as f64
    }

    fn f1(&self) -> f64 {
        let p = Score::precision(self.right, self.markup_answers + self.visible_answers);
        let r = Score::precision(self.right, self.expected);
        if p + r == 0.0 {
            return 0.0;
        }
        2.0 * p * r / (p + r)
    }

    fn report(&self, name: &str) {
        for line in &self.lines {
            println!("{line}");
        }
        println!(
            "{name}: {} pages, {} with an expected price; answers from markup {} (right {}, precision {:.3}); \
             from the visible price {} (right {}, precision {:.3}); recall {:.3}; F1 {:.3}; \
             visible price claims on {} pages, {} equal to the expected price; silent pages {:?}",
            self.pages,
            self.expected,
            self.markup_answers,
            self.markup_right,
            Score::precision(self.markup_right, self.markup_answers),
            self.visible_answers,
            self.visible_right,
            Score::precision(self.visible_right, self.visible_answers),
            Score::precision(self.right, self.expected),
            self.f1(),
            self.shown_claims,
            self.shown_right,
            self.silent,
        );
    }
}

fn decimal(text: &str) -> Option<Decimal> {
    Decimal::from_str(text.trim()).ok()
}

#[test]
fn development_set_of_product_pages() {
    let dir = realdata().join("html-dev");
    let Ok(index) = std::fs::read_to_string(dir.join("expected.json")) else {
        println!(
            "skipped: {} is absent (see ../shared/realdata/SOURCES.md)",
            dir.display()
        );
        return;
    };
    let index: serde_json::Map<String, Value> =
        serde_json::from_str(&index).expect("expected.json is a JSON object");
    assert_eq!(index.len(), 59, "the development set changed");
    let mut score = Score::default();
    for (file, entry) in &index {
        let html = std::fs::read_to_string(dir.join("html").join(file)).expect("a listed page");
        let primary = &entry["primary"];
        let mut expected: Vec<Price> = primary["amount"]
            .as_str()
            .and_then(decimal)
            .zip(primary["currency"].as_str())
            .map(|(a, c)| (a, c.to_owned()))
            .into_iter()
            .collect();
        // A page without markup whose notes say what it shows ("The visible price is 29.99 USD").
        let visible_only = entry["features"]
            .as_array()
            .is_some_and(|f| f.iter().any(|t| t == "visible-price-only"));
        if visible_only && expected.is_empty() {
            let notes = entry["notes"].as_str().unwrap_or("");
            if let Some((_, rest)) = notes.split_once("visible price is ") {
                let mut words = rest.split_whitespace();
                let amount = words.next().and_then(decimal);
                let code = words.next().map(|c| c.trim_end_matches(['.', ',', ')']));
                if let (Some(a), Some(c)) = (amount, code) {
                    expected.push((a, c.to_owned()));
                }
            }
        }
        score.add(file, &read_page(file, &html), &expected);
    }
    score.report("html-dev");
    let markup = Score::precision(score.markup_right, score.markup_answers);
    let visible = Score::precision(score.visible_right, score.visible_answers);
    // Floors: the figures reached (docs/extraction.md): 39 of 39 answers from markup right, 1 of 1
    // from the visible price, 40 of 45 expected prices found (F1 0.941), no page silent.
    assert_eq!(score.expected, 45);
    assert!(markup >= 1.0, "precision on pages with markup {markup:.3}");
    assert!(
        visible >= 1.0,
        "precision on visible-only pages {visible:.3}"
    );
    assert!(
        score.right >= 40,
        "{} of {} expected prices",
        score.right,
        score.expected
    );
    assert!(score.f1() >= 0.94, "F1 {:.3}", score.f1());
    assert!(score.silent.is_empty(), "silent pages: {:?}", score.silent);
}

#[test]
fn older_samples() {
    let dir = realdata().join("html");
    // The prices each sample's expected JSON (or SOURCES.md, for the one without) lists.
    let usd = |a: &str| (decimal(a).unwrap_or_default(), "USD".to_owned());
    let gbp = |a: &str| (decimal(a).unwrap_or_default(), "GBP".to_owned());
    let samples: [(&str, Vec<Price>); 4] = [
        ("product.html", vec![usd("119.99")]),
        ("product_microdata.html", vec![usd("119.99")]),
        (
            "microdata-with-description.html",
            vec![gbp("9.56"), gbp("5.29")],
        ),
        ("opengraph_ns_product_test.html", vec![usd("17.99")]),
    ];
    let mut score = Score::default();
    for (file, expected) in &samples {
        let Ok(html) = std::fs::read_to_string(dir.join(file)) else {
            println!("skipped: {} is absent", dir.join(file).display());
            return;
        };
        score.add(file, &read_page(file, &html), expected);
    }
    score.report("html (older samples)");
    assert_eq!(score.right, 4);
}
