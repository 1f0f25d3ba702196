//! Renderings from web pages: schema.org Product / Offer in JSON-LD, microdata and RDFa, and OpenGraph
//! `product:` tags.
//!
//! The page is parsed with [`scraper`] (html5ever, the WHATWG HTML parsing algorithm: a broken page is
//! read the way a browser reads it). One pass over the elements collects the JSON-LD scripts, the
//! top-level microdata items (`itemscope` without `itemprop`), the top-level RDFa nodes (`typeof`
//! without `property`) and the `<meta property="og:…" / "product:…">` tags. The three schema.org
//! syntaxes become one tree of items and are read by one interpreter:
//!
//! - every `Offer` is one rendering, id `PAGE#offer-N` (N from 1, document order), with the claims of
//!   the offer and of its product (`name` → `title`, `gtin8/12/13/14`/`gtin` → `gtin`, `sku` → the
//!   rendering's sku);
//! - an `AggregateOffer`'s `lowPrice`/`highPrice` is a range, not a price anybody pays: it makes no
//!   claim and is listed in [`Extracted::unread`], unless the two are equal (then it is the price);
//!   the `Offer`s inside it are read as above;
//! - a Product without offers is one rendering `PAGE#product-N` with its title and GTIN;
//! - the OpenGraph tags are one rendering `PAGE#og`.
//!
//! What cannot be read (a malformed price, an unknown currency, a price without a currency, an
//! availability outside schema.org's list, a JSON-LD script that is not JSON) is never dropped
//! silently: it is listed in [`Extracted::unread`] with where it was and why.

use std::collections::{HashMap, HashSet};
use std::str::FromStr;

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use scraper::{ElementRef, Html};
use serde::Serialize;

use super::visible;
use crate::gtin::Gtin;
use crate::money::{Currency, Money};
use crate::offer::Availability;
use crate::rendering::{Claim, ClaimValue, DateOrInstant, Instant, Rendering, Shown};

/// The largest page read, in bytes: 32 MiB (a large real product page is about 1 MB). A longer
/// page gives no rendering and one [`Unread`] saying so.
pub const MAX_PAGE_BYTES: usize = 32 << 20;

/// How deeply microdata and RDFa items nest inside each other before deeper ones are ignored
/// (JSON-LD nests at most [`crate::limits::MAX_NESTING`] levels, serde_json's limit).
pub const MAX_ITEM_DEPTH: usize = 32;

/// The most renderings read from one page; offers past it are listed once in [`Extracted::unread`].
pub const MAX_PAGE_RENDERINGS: usize = 10_000;

/// What a rendering read from a page or feed needs and the markup does not say: its id, the channel
/// that shows it and when. Time is always given, never read from the clock.
///
/// ```
/// use unisono::extract::html::Context;
/// let at = unisono::time::parse_instant("2026-11-27T10:00:00+01:00")?;
/// let context = Context::at("shop/anvil", "web-it", at);
/// assert_eq!(context.page, "shop/anvil");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Context {
    /// The page or feed's name: ids are `PAGE#offer-1`, `PAGE#og`, or a feed item's id.
    pub page: String,
    /// The channel that shows it.
    pub channel: String,
    /// When it is shown.
    pub shown: Shown,
}

impl Context {
    /// A context for one instant.
    ///
    /// ```
    /// use unisono::extract::html::Context;
    /// let at = unisono::time::parse_instant("2026-11-27T10:00:00Z")?;
    /// assert!(matches!(Context::at("p", "web-it", at).shown, unisono::Shown::At { .. }));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn at(page: &str, channel: &str, at: DateTime<Utc>) -> Context {
        Context {
            page: page.to_owned(),
            channel: channel.to_owned(),
            shown: Shown::At { at: Instant(at) },
        }
    }

    /// The first instant shown.
    pub(crate) fn first_instant(&self) -> DateTime<Utc> {
        match self.shown {
            Shown::At { at } => at.0,
            Shown::Window { from, .. } => from.0,
        }
    }
}

/// The renderings read from a page or a feed, and what was seen but could not be read.
///
/// ```
/// use unisono::extract::html::{extract, Context};
/// let page = r#"<meta property="product:price:amount" content="17.99">
///               <meta property="product:price:currency" content="USD">"#;
/// let at = unisono::time::parse_instant("2026-11-27T10:00:00Z")?;
/// let read = extract(page, &Context::at("fye", "web-us", at));
/// assert_eq!(read.renderings[0].id, "fye#og");
/// let json = serde_json::to_string(&read)?;
/// assert!(json.starts_with(r#"{"renderings":[{"id":"fye#og","#));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Extracted {
    /// One per offer (pages) or item (feeds), in document order.
    pub renderings: Vec<Rendering>,
    /// What was seen and not turned into a claim, in document order.
    pub unread: Vec<Unread>,
}

pub use super::Unread;

/// Reads the offers of a web page (module docs: which markup, which claims).
///
/// ```
/// use unisono::extract::html::{extract, Context};
/// use unisono::ClaimValue;
/// let page = r#"<script type="application/ld+json">
///   {"@context": "https://schema.org", "@type": "Product", "name": "Notebook Acme 14",
///    "gtin13": "8012345678901", "sku": "LAPTOP-14",
///    "offers": {"@type": "Offer", "price": "719.20", "priceCurrency": "EUR",
///               "availability": "https://schema.org/InStock"}}
/// </script>"#;
/// let at = unisono::time::parse_instant("2026-11-27T10:00:00+01:00")?;
/// let read = extract(page, &Context::at("laptop", "web-it", at));
/// let r = &read.renderings[0];
/// assert_eq!(r.id, "laptop#offer-1");
/// assert_eq!(r.sku.as_deref(), Some("LAPTOP-14"));
/// assert_eq!(r.claims[2].value, ClaimValue::Price("719.20 EUR".parse()?));
/// assert_eq!(r.claims[2].source.as_deref(), Some("json-ld[0]/offers/price"));
/// assert!(read.unread.is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn extract(html: &str, context: &Context) -> Extracted {
    let mut reader = Reader {
        context,
        out: Extracted::default(),
        offers: 0,
        products: 0,
        seen: HashSet::new(),
    };
    if html.len() > MAX_PAGE_BYTES {
        reader.unread(
            "page",
            "",
            format!(
                "the page is {} bytes; pages of at most {MAX_PAGE_BYTES} bytes are read",
                html.len()
            ),
        );
        return reader.out;
    }
    let document = Html::parse_document(html);
    let mut scripts = Vec::new();
    let mut microdata = Vec::new();
    let mut rdfa = Vec::new();
    let mut graph = OpenGraph::default();
    let mut by_id: HashMap<&str, ElementRef<'_>> = HashMap::new();
    let mut referenced: HashSet<&str> = HashSet::new();
    for element in document.root_element().descendent_elements() {
        let e = element.value();
        match e.name() {
            "script"
                if e.attr("type")
                    .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json")) =>
            {
                scripts.push(element.text().collect::<String>());
            }
            "meta" => graph.read(e.attr("property"), e.attr("content")),
            _ => {}
        }
        if let Some(id) = e.attr("id") {
            by_id.entry(id).or_insert(element);
        }
        if let Some(refs) = e.attr("itemref") {
            referenced.extend(refs.split_ascii_whitespace());
        }
        // A top-level item: no property name, or a property name and no item above it to take it
        // (Google and extruct read such an item rather than drop it).
        if e.attr("itemscope").is_some()
            && (e.attr("itemprop").is_none() || !within(element, "itemscope"))
        {
            microdata.push(element);
        }
        if e.attr("typeof").is_some()
            && (e.attr("property").is_none() || !within(element, "typeof"))
        {
            rdfa.push(element);
        }
    }
    // An item with a property name that another item pulls in through `itemref` is that item's.
    microdata.retain(|e| {
        e.value().attr("itemprop").is_none()
            || !e
                .value()
                .attr("id")
                .is_some_and(|id| referenced.contains(id))
    });
    let mut parsed = Vec::new();
    for (i, script) in scripts.iter().enumerate() {
        let source = format!("json-ld[{i}]");
        match serde_json::from_str::<serde_json::Value>(unwrap_script(script)) {
            Ok(json) => parsed.push((source, json)),
            Err(e) => reader.unread(&source, script.trim(), format!("not JSON: {e}")),
        }
    }
    let mut ids = NodeIds::new();
    for (_, json) in &parsed {
        collect_ids(json, &mut ids);
    }
    for (source, json) in &parsed {
        if let Some(node) = from_json(json, source, &ids, &mut Vec::new()) {
            reader.walk(&node);
        }
    }
    for (syntax, roots, name) in [
        (Syntax::Microdata, &microdata, "microdata"),
        (Syntax::Rdfa, &rdfa, "rdfa"),
    ] {
        for (i, root) in roots.iter().enumerate() {
            let item = read_item(*root, syntax, &by_id, format!("{name}[{i}]"), 0);
            reader.walk(&Value::Item(item));
        }
    }
    graph.rendering(&mut reader);
    let locale = visible::locale(&document, graph.get("og:locale"));
    let mut markup: Vec<Currency> = Vec::new();
    for c in reader.out.renderings.iter().flat_map(|r| &r.claims) {
        if let ClaimValue::Price(m) = &c.value
            && !markup.contains(&m.currency())
        {
            markup.push(m.currency());
        }
    }
    match visible::price(&document, locale.as_ref(), &markup) {
        Some(visible::Shown::Price(money, path)) => reader.visible(money, &path),
        Some(visible::Shown::Unread(path, text, reason)) => {
            reader.unread(&format!("visible:{path}"), &text, reason);
        }
        None => {}
    }
    if reader.out.renderings.is_empty() && reader.out.unread.is_empty() {
        reader.unread(
            "page",
            "",
            "no schema.org Product or Offer (JSON-LD, microdata, RDFa), no OpenGraph product tags and no visible price: nothing read",
        );
    }
    reader.out
}

/// Whether an element has an ancestor with the attribute (`itemscope`, `typeof`).
fn within(element: ElementRef<'_>, scope: &str) -> bool {
    element
        .ancestors()
        .filter_map(ElementRef::wrap)
        .any(|a| a.value().attr(scope).is_some())
}

/// One schema.org value, whatever syntax wrote it.
#[derive(Debug)]
enum Value {
    Text(String),
    Item(Item),
}

#[derive(Debug, Default)]
struct Item {
    types: Vec<String>,
    /// JSON-LD's `@id`, when the node has one.
    id: Option<String>,
    /// (name, value, source), in document order.
    props: Vec<(String, Value, String)>,
    source: String,
}

impl Item {
    /// Types and property names compare without regard to ASCII case, as Google's and extruct's
    /// readers compare them (`Offers`, `itemProp="Price"`).
    fn is(&self, kind: &str) -> bool {
        self.types.iter().any(|t| t.eq_ignore_ascii_case(kind))
    }

    fn texts<'a>(&'a self, name: &'a str) -> impl Iterator<Item = (&'a str, &'a str)> + 'a {
        self.props.iter().filter_map(move |(n, v, source)| match v {
            Value::Text(t) if n.eq_ignore_ascii_case(name) => Some((t.as_str(), source.as_str())),
            _ => None,
        })
    }

    /// Whether the item has a property of that name (text or item).
    fn has(&self, name: &str) -> bool {
        self.props
            .iter()
            .any(|(n, _, _)| n.eq_ignore_ascii_case(name))
    }

    fn text<'a>(&'a self, name: &'a str) -> Option<(&'a str, &'a str)> {
        self.texts(name).find(|(t, _)| !t.is_empty())
    }

    fn items<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Item> + 'a {
        self.props.iter().filter_map(move |(n, v, _)| match v {
            Value::Item(item) if n.eq_ignore_ascii_case(name) => Some(item),
            _ => None,
        })
    }
}

/// `http://schema.org/Offer`, `schema:Offer`, `Offer` → `Offer`.
fn local_name(name: &str) -> &str {
    let name = name.trim();
    let name = name.rsplit('/').next().unwrap_or(name);
    let name = name.rsplit('#').next().unwrap_or(name);
    name.rsplit(':').next().unwrap_or(name)
}

/// The JSON-LD nodes of a page by `@id` (those that say more than their `@id`), so that a
/// reference `{"@id": "#product"}` reads as the node it names (JSON-LD 1.1 §4.5, node references).
type NodeIds<'j> = HashMap<&'j str, &'j serde_json::Value>;

fn collect_ids<'j>(json: &'j serde_json::Value, ids: &mut NodeIds<'j>) {
    use serde_json::Value as J;
    match json {
        J::Array(values) => values.iter().for_each(|v| collect_ids(v, ids)),
        J::Object(map) => {
            if let Some(J::String(id)) = map.get("@id")
                && map
                    .keys()
                    .any(|k| k != "@id" && k != "@context" && k != "@type")
            {
                ids.entry(id.as_str()).or_insert(json);
            }
            map.values().for_each(|v| collect_ids(v, ids));
        }
        _ => {}
    }
}

/// Reads a JSON-LD value; `expanding` holds the `@id`s being read in place of a reference, so a
/// node that refers back to its referrer (an Offer's `itemOffered` naming its Product) stops there.
fn from_json(
    json: &serde_json::Value,
    source: &str,
    ids: &NodeIds<'_>,
    expanding: &mut Vec<String>,
) -> Option<Value> {
    use serde_json::Value as J;
    match json {
        J::Null => None,
        J::Bool(b) => Some(Value::Text(b.to_string())),
        J::String(s) => Some(Value::Text(s.trim().to_owned())),
        J::Number(n) => Some(Value::Text(json_number(n))),
        // An array stands for its elements: the caller spreads it (a top-level array is a list).
        J::Array(values) => {
            let mut list = Item {
                source: source.to_owned(),
                ..Item::default()
            };
            for (i, v) in values.iter().enumerate() {
                let path = format!("{source}/{i}");
                if let Some(value) = from_json(v, &path, ids, expanding) {
                    list.props.push(("@list".to_owned(), value, path));
                }
            }
            Some(Value::Item(list))
        }
        J::Object(map) => {
            let id = map.get("@id").and_then(J::as_str);
            let reference = map.keys().all(|k| k == "@id" || k == "@type");
            if let (Some(id), true) = (id, reference) {
                let target = ids.get(id).copied().filter(|t| !std::ptr::eq(*t, json));
                if let Some(target) = target
                    && !expanding.iter().any(|e| e == id)
                    && expanding.len() < MAX_ITEM_DEPTH
                {
                    expanding.push(id.to_owned());
                    let value = from_json(target, source, ids, expanding);
                    expanding.pop();
                    return value;
                }
            }
            let mut item = Item {
                source: source.to_owned(),
                id: id.map(str::to_owned),
                ..Item::default()
            };
            if let Some(id) = id {
                expanding.push(id.to_owned());
            }
            for (key, v) in map {
                if key == "@type" {
                    match v {
                        J::String(t) => item.types.push(local_name(t).to_owned()),
                        J::Array(ts) => item.types.extend(
                            ts.iter()
                                .filter_map(J::as_str)
                                .map(|t| local_name(t).to_owned()),
                        ),
                        _ => {}
                    }
                    continue;
                }
                if key == "@context" || key == "@id" {
                    continue;
                }
                let name = local_name(key).to_owned();
                let path = format!("{source}/{key}");
                match v {
                    J::Array(values) => {
                        for (i, v) in values.iter().enumerate() {
                            let path = format!("{path}/{i}");
                            if let Some(value) = from_json(v, &path, ids, expanding) {
                                item.props.push((name.clone(), value, path));
                            }
                        }
                    }
                    _ => {
                        if let Some(value) = from_json(v, &path, ids, expanding) {
                            item.props.push((name, value, path));
                        }
                    }
                }
            }
            if id.is_some() {
                expanding.pop();
            }
            Some(Value::Item(item))
        }
    }
}

/// A script's JSON without the wrappers pages put around it for old browsers: `<!-- … -->`,
/// `/*<![CDATA[*/ … /*]]>*/`, `//<![CDATA[ … //]]>`, `<![CDATA[ … ]]>` (extruct strips the same).
fn unwrap_script(script: &str) -> &str {
    const OPEN: [&str; 4] = ["<!--", "/*<![CDATA[*/", "//<![CDATA[", "<![CDATA["];
    const CLOSE: [&str; 5] = ["//-->", "-->", "/*]]>*/", "//]]>", "]]>"];
    let mut text = script.trim();
    loop {
        let before = text.len();
        if let Some(rest) = OPEN.iter().find_map(|p| text.strip_prefix(p)) {
            text = rest.trim_start();
        }
        if let Some(rest) = CLOSE.iter().find_map(|p| text.strip_suffix(p)) {
            text = rest.trim_end();
        }
        if text.len() == before {
            return text;
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Syntax {
    Microdata,
    Rdfa,
}

impl Syntax {
    fn scope(self) -> &'static str {
        match self {
            Syntax::Microdata => "itemscope",
            Syntax::Rdfa => "typeof",
        }
    }

    fn property(self) -> &'static str {
        match self {
            Syntax::Microdata => "itemprop",
            Syntax::Rdfa => "property",
        }
    }
}

/// The item rooted at `root`: its properties are the descendants carrying `itemprop` (`property`),
/// and those of the elements its `itemref` names (microdata), not looking inside nested items,
/// which are values of their own.
fn read_item(
    root: ElementRef<'_>,
    syntax: Syntax,
    by_id: &HashMap<&str, ElementRef<'_>>,
    source: String,
    depth: usize,
) -> Item {
    let types_attr = match syntax {
        Syntax::Microdata => root.value().attr("itemtype"),
        Syntax::Rdfa => root.value().attr("typeof"),
    };
    let mut item = Item {
        types: types_attr
            .unwrap_or("")
            .split_ascii_whitespace()
            .map(|t| local_name(t).to_owned())
            .collect(),
        props: Vec::new(),
        source,
        id: None,
    };
    // How often each property name was seen, for the index in sources (a map: items may be huge).
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut stack: Vec<ElementRef<'_>> = root.child_elements().collect();
    if syntax == Syntax::Microdata {
        let refs = root.value().attr("itemref").unwrap_or("");
        stack.extend(
            refs.split_ascii_whitespace()
                .filter_map(|id| by_id.get(id).copied())
                .filter(|e| e.id() != root.id()),
        );
    }
    stack.reverse();
    while let Some(element) = stack.pop() {
        let e = element.value();
        let nested = e.attr(syntax.scope()).is_some();
        if let Some(names) = e.attr(syntax.property()) {
            for name in names.split_ascii_whitespace() {
                let name = local_name(name).to_owned();
                // The second `offers` of an item is `offers[1]`: every source names one element.
                let count = seen.entry(name.clone()).or_insert(0);
                let path = match *count {
                    0 => format!("{}/{name}", item.source),
                    n => format!("{}/{name}[{n}]", item.source),
                };
                *count += 1;
                let value = if nested {
                    if depth + 1 >= MAX_ITEM_DEPTH {
                        continue;
                    }
                    Value::Item(read_item(element, syntax, by_id, path.clone(), depth + 1))
                } else {
                    Value::Text(property_text(element, syntax))
                };
                item.props.push((name, value, path));
            }
        }
        if !nested {
            let mut children: Vec<ElementRef<'_>> = element.child_elements().collect();
            children.reverse();
            stack.extend(children);
        }
    }
    item
}

/// A property's value (WHATWG HTML, microdata §5.2.4; RDFa Lite's `content`, `href`, `src`).
fn property_text(element: ElementRef<'_>, syntax: Syntax) -> String {
    let e = element.value();
    let attr = |name: &str| e.attr(name).map(|v| v.trim().to_owned());
    if syntax == Syntax::Rdfa
        && let Some(content) = attr("content")
    {
        return content;
    }
    let by_element = match e.name() {
        "meta" => attr("content"),
        "audio" | "embed" | "iframe" | "img" | "source" | "track" | "video" => attr("src"),
        "a" | "area" | "link" => attr("href"),
        "object" => attr("data"),
        "data" | "meter" => attr("value"),
        "time" => attr("datetime"),
        _ => None,
    };
    // `content` on any other element: not in the microdata specification, read by Google and
    // extruct (`<span itemprop="price" content="1.99">GBP 1.99</span>`).
    by_element.or_else(|| attr("content")).unwrap_or_else(|| {
        let text: String = element.text().collect();
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    })
}

struct Reader<'c> {
    context: &'c Context,
    out: Extracted,
    offers: usize,
    products: usize,
    /// The JSON-LD `@id`s of the products and offers read, so that a node reached twice (from
    /// `@graph` and through a reference) is one rendering.
    seen: HashSet<String>,
}

/// What a product says of all its offers.
#[derive(Default, Clone, Copy)]
struct ProductInfo<'a> {
    title: Option<(&'a str, &'a str)>,
    sku: Option<&'a str>,
    gtin: Option<(&'a str, &'a str)>,
    /// The product family (schema.org ProductGroup: `productGroupID`, `inProductGroupWithID`).
    family: Option<&'a str>,
    /// The variant's own item and the group that says which properties vary (`variesBy`).
    variant: Option<(&'a Item, Option<&'a Item>)>,
}

const GTIN_PROPERTIES: [&str; 5] = ["gtin14", "gtin13", "gtin12", "gtin8", "gtin"];

/// The properties a variant differs by when its ProductGroup names none (schema.org `variesBy`'s
/// documented values).
const VARIANT_PROPERTIES: [&str; 6] = [
    "size",
    "color",
    "material",
    "pattern",
    "suggestedAge",
    "suggestedGender",
];

/// Properties that state a price: an item that has one and gives no price claim is listed unread.
const PRICE_PROPERTIES: [&str; 5] = [
    "price",
    "lowPrice",
    "highPrice",
    "hasCurrencyValue",
    "hasPriceSpecification",
];

impl<'a> ProductInfo<'a> {
    fn of(item: &'a Item) -> ProductInfo<'a> {
        ProductInfo {
            title: item.text("name"),
            sku: item.text("sku").map(|(s, _)| s),
            gtin: GTIN_PROPERTIES.iter().find_map(|p| item.text(p)),
            family: item.text("inProductGroupWithID").map(|(f, _)| f),
            variant: None,
        }
    }

    /// An offer's own values win over its product's.
    fn within(self, offer: &'a Item) -> ProductInfo<'a> {
        let own = ProductInfo::of(offer);
        ProductInfo {
            title: own.title.or(self.title),
            sku: own.sku.or(self.sku),
            gtin: own.gtin.or(self.gtin),
            family: own.family.or(self.family),
            variant: self.variant,
        }
    }

    /// The rendering's `meta`: `family` and the variant's attributes, as CONTRACT §10 names them
    /// (until renderings carry them as fields).
    fn meta(&self) -> Option<crate::catalog::document::Meta> {
        let family = self.family?;
        let mut meta = crate::catalog::document::Meta::new();
        meta.insert("family".into(), family.into());
        if let Some((variant, group)) = self.variant {
            let named: Vec<&str> = group
                .map(|g| g.texts("variesBy").map(|(v, _)| local_name(v)).collect())
                .unwrap_or_default();
            let names: Vec<&str> = if named.is_empty() {
                VARIANT_PROPERTIES.to_vec()
            } else {
                named
            };
            let mut attributes = serde_json::Map::new();
            for name in names {
                if let Some((value, _)) = variant.text(name) {
                    attributes.insert(name.to_owned(), value.into());
                }
            }
            if !attributes.is_empty() {
                meta.insert("variant".into(), attributes.into());
            }
        }
        Some(meta)
    }
}

impl Reader<'_> {
    fn unread(&mut self, source: &str, text: &str, reason: impl Into<String>) {
        self.out.unread.push(Unread::new(source, text, reason));
    }

    /// Whether a JSON-LD node with this `@id` was read already (and marks it read).
    fn again(&mut self, item: &Item) -> bool {
        item.id
            .as_ref()
            .is_some_and(|id| !self.seen.insert(id.clone()))
    }

    /// Finds the products and offers anywhere in a tree (`@graph`, `mainEntity`, lists, …).
    fn walk(&mut self, value: &Value) {
        let Value::Item(item) = value else {
            return;
        };
        if item.is("Product") || item.is("ProductGroup") || item.is("IndividualProduct") {
            self.product(item, ProductInfo::default());
        } else if item.is("Offer") || item.is("AggregateOffer") {
            let info = item
                .items("itemOffered")
                .next()
                .map(ProductInfo::of)
                .unwrap_or_default();
            self.offer(item, info);
        } else {
            if let Some((name, text, source)) = PRICE_PROPERTIES.iter().find_map(|p| {
                item.props
                    .iter()
                    .find(|(n, _, _)| n.eq_ignore_ascii_case(p))
                    .map(|(n, v, source)| (n, v, source))
            }) {
                let shown = match text {
                    Value::Text(t) => t.as_str(),
                    Value::Item(_) => "",
                };
                let kind = item.types.join(" ");
                self.unread(
                    source,
                    shown,
                    format!(
                        "{name} on an item of type {kind:?}, which is not a schema.org Product or Offer: no claim"
                    ),
                );
            }
            for (_, value, _) in &item.props {
                self.walk(value);
            }
        }
    }

    /// A product, or a variant of a family (`family` given by its ProductGroup).
    fn product(&mut self, item: &Item, family: ProductInfo<'_>) {
        if self.again(item) {
            return;
        }
        let mut info = ProductInfo::of(item);
        info.family = info.family.or(family.family);
        info.variant = family.variant.map(|(_, group)| (item, group));
        info.title = info.title.or(family.title);
        let before = self.offers;
        for offer in item.items("offers") {
            self.offer(offer, info);
        }
        for (text, source) in item.texts("offers") {
            self.unread(source, text, "offers is text, not an Offer");
        }
        for (text, source) in item.texts("price") {
            self.unread(
                source,
                text,
                "a price on a Product, not on one of its offers (schema.org Offer): no claim",
            );
        }
        // A ProductGroup: each variant is one rendering (or one per offer), in the family.
        let group = ProductInfo {
            family: item
                .text("productGroupID")
                .map(|(f, _)| f)
                .or(info.family)
                .or(info.sku),
            variant: Some((item, Some(item))),
            ..info
        };
        let mut variants = 0;
        for variant in item.items("hasVariant") {
            variants += 1;
            self.product(variant, group);
        }
        if self.offers == before && variants == 0 && item.items("offers").next().is_none() {
            self.products += 1;
            let id = format!("{}#product-{}", self.context.page, self.products);
            let claims = identity_claims(info);
            self.push(id, info, claims);
        }
    }

    fn offer(&mut self, offer: &Item, product: ProductInfo<'_>) {
        if offer.is("@list") || offer.types.is_empty() && offer.props.iter().all(|p| p.0 == "@list")
        {
            for inner in offer.items("@list") {
                self.offer(inner, product);
            }
            return;
        }
        if self.again(offer) {
            return;
        }
        let info = product.within(offer);
        // Offers inside this one (an AggregateOffer's, or an Offer nested in an Offer): each is a
        // rendering of its own.
        let nested: Vec<&Item> = offer.items("offers").collect();
        for inner in &nested {
            self.offer(inner, info);
        }
        let own_price = offer.texts("price").any(|(t, _)| !t.is_empty())
            || offer.items("priceSpecification").next().is_some();
        let mut price = None;
        if offer.is("AggregateOffer") && !own_price {
            let low = offer.text("lowPrice");
            let high = offer.text("highPrice");
            let same = match (low, high) {
                (Some((l, _)), Some((h, _))) => plain_decimal(l)
                    .zip(plain_decimal(h))
                    .is_some_and(|(l, h)| l == h),
                (Some(_), None) | (None, Some(_)) => true,
                (None, None) => false,
            };
            if same && nested.is_empty() {
                // One price: lowPrice equal to highPrice (or only one of them).
                price = low.or(high);
            } else if low.is_some() || high.is_some() {
                let range = format!(
                    "{} to {}",
                    low.map_or("", |t| t.0),
                    high.map_or("", |t| t.0)
                );
                self.unread(
                    &offer.source,
                    &range,
                    "an AggregateOffer's lowPrice and highPrice are a range, not a price: no claim",
                );
                return;
            } else {
                if nested.is_empty() {
                    self.unread(
                        &offer.source,
                        "",
                        "an AggregateOffer without a price: no claim",
                    );
                }
                return;
            }
        } else if !own_price && !nested.is_empty() {
            return;
        }
        let mut claims = identity_claims(info);
        let currency = offer.text("priceCurrency");
        let price = price.or_else(|| self.first_price(offer));
        match price {
            Some((price, source)) => {
                if let Some(money) = self.money(price, source, currency) {
                    claims.push(claim(ClaimValue::Price(money), source));
                }
            }
            None => {
                // Without an offer-level price, a specification that is not a reference price is it.
                if let Some(spec) = offer
                    .items("priceSpecification")
                    .find(|s| reference_kind(s).is_none())
                {
                    if let Some((price, source)) = spec.text("price") {
                        let currency = spec.text("priceCurrency").or(currency);
                        if let Some(money) = self.money(price, source, currency) {
                            claims.push(claim(ClaimValue::Price(money), source));
                        }
                    } else if spec.has("priceComponent") {
                        self.unread(
                            &spec.source,
                            "",
                            "a CompoundPriceSpecification: a sum of components, no one price: no claim",
                        );
                    }
                }
            }
        }
        for spec in offer.items("priceSpecification") {
            if reference_kind(spec).is_some()
                && let Some((price, source)) = spec.text("price")
            {
                let currency = spec.text("priceCurrency").or(currency);
                if let Some(money) = self.money(price, source, currency) {
                    claims.push(claim(ClaimValue::ReferencePrice(money), source));
                }
            }
        }
        if let Some((until, source)) = offer.text("priceValidUntil") {
            match until.parse::<DateOrInstant>() {
                Ok(date) if !written_year(&date) => {
                    self.unread(source, until, "a year outside 0001 to 9999")
                }
                Ok(date) => claims.push(claim(ClaimValue::ValidUntil(date), source)),
                Err(e) => self.unread(source, until, e.to_string()),
            }
        }
        if let Some((availability, source)) = offer.text("availability") {
            match schema_availability(availability) {
                Some(a) => claims.push(claim(ClaimValue::Availability(a), source)),
                None => self.unread(
                    source,
                    availability,
                    "not a schema.org ItemAvailability unisono reads (InStock, OutOfStock, SoldOut, Discontinued, PreOrder, PreSale, BackOrder, LimitedAvailability, InStoreOnly, OnlineOnly)",
                ),
            }
        }
        self.offers += 1;
        let id = format!("{}#offer-{}", self.context.page, self.offers);
        self.push(id, info, claims);
    }

    /// The first value of `price` that reads (an element may carry the price twice: as text with
    /// its symbol and in `content`); the others are listed unread. The first one when none reads.
    fn first_price<'i>(&mut self, offer: &'i Item) -> Option<(&'i str, &'i str)> {
        let prices: Vec<(&str, &str)> = offer
            .texts("price")
            .filter(|(t, _)| !t.is_empty())
            .collect();
        let chosen = prices
            .iter()
            .copied()
            .find(|(t, _)| plain_decimal(t).is_some())
            .or(prices.first().copied())?;
        for &(text, source) in &prices {
            if source != chosen.1 {
                self.unread(
                    source,
                    text,
                    format!(
                        "a second value of price on the offer; {:?} is the one read",
                        chosen.0
                    ),
                );
            }
        }
        Some(chosen)
    }

    /// The shown price, as a claim of the rendering whose markup price it equals, else of the first
    /// rendering with a price, else of the first rendering, else of a rendering `PAGE#visible`.
    fn visible(&mut self, money: Money, path: &str) {
        let shown = claim(ClaimValue::Price(money), &format!("visible:{path}"));
        let price_of = |r: &Rendering| {
            r.claims
                .iter()
                .filter_map(|c| match &c.value {
                    ClaimValue::Price(m) => Some(*m),
                    _ => None,
                })
                .collect::<Vec<Money>>()
        };
        let renderings = &mut self.out.renderings;
        let target = renderings
            .iter()
            .position(|r| price_of(r).contains(&money))
            .or_else(|| renderings.iter().position(|r| !price_of(r).is_empty()))
            .or(if renderings.is_empty() { None } else { Some(0) });
        match target.and_then(|k| renderings.get_mut(k)) {
            Some(r) => r.claims.push(shown),
            None => {
                let id = format!("{}#visible", self.context.page);
                self.push(id, ProductInfo::default(), vec![shown]);
            }
        }
    }

    fn push(&mut self, id: String, info: ProductInfo<'_>, claims: Vec<Claim>) {
        if self.out.renderings.len() >= MAX_PAGE_RENDERINGS {
            if self.out.renderings.len() == MAX_PAGE_RENDERINGS {
                self.unread(
                    &id,
                    "",
                    format!("a page gives at most {MAX_PAGE_RENDERINGS} renderings"),
                );
                // Stays one past the limit, so the message is given once.
                self.out
                    .renderings
                    .push(self.rendering(id, info, Vec::new()));
            }
            return;
        }
        let rendering = self.rendering(id, info, claims);
        self.out.renderings.push(rendering);
    }

    fn rendering(&self, id: String, info: ProductInfo<'_>, claims: Vec<Claim>) -> Rendering {
        Rendering {
            id,
            channel: self.context.channel.clone(),
            sku: info.sku.map(str::to_owned),
            gtin: info.gtin.and_then(|(g, _)| normal_gtin(g)),
            family: None,
            shown: self.context.shown,
            claims,
            meta: info.meta(),
            evidence: None,
        }
    }

    /// schema.org's price: digits and `.` only, the currency apart.
    fn money(
        &mut self,
        price: &str,
        source: &str,
        currency: Option<(&str, &str)>,
    ) -> Option<Money> {
        let Some((code, code_source)) = currency else {
            self.unread(source, price, "a price without priceCurrency");
            return None;
        };
        let currency = match Currency::from_code(modern_code(code.trim())) {
            Ok(c) => c,
            Err(e) => {
                self.unread(code_source, code, e.to_string());
                return None;
            }
        };
        let result = plain_decimal(price)
            .ok_or_else(|| {
                "not schema.org's form of a price: digits and '.' only, like \"119.99\"".to_owned()
            })
            .and_then(|amount| Money::new(amount, currency).map_err(|e| e.to_string()));
        match result {
            Ok(money) => Some(money),
            Err(reason) => {
                self.unread(source, price, reason);
                None
            }
        }
    }
}

fn claim(value: ClaimValue, source: &str) -> Claim {
    Claim {
        value,
        source: Some(source.to_owned()),
    }
}

fn identity_claims(info: ProductInfo<'_>) -> Vec<Claim> {
    let mut claims = Vec::new();
    if let Some((title, source)) = info.title {
        claims.push(claim(ClaimValue::Title(title.to_owned()), source));
    }
    if let Some((gtin, source)) = info.gtin {
        let shown = normal_gtin(gtin).unwrap_or_else(|| gtin.trim().to_owned());
        claims.push(claim(ClaimValue::Gtin(shown), source));
    }
    claims
}

/// A GTIN as written when it is one; digits that become one when left-padded with zeros (a UPC-A
/// written without its leading zero, 11 digits, as OpenGraph pages do) as GTIN-14; else `None`.
pub(crate) fn normal_gtin(text: &str) -> Option<String> {
    let text = text.trim();
    if Gtin::from_str(text).is_ok() {
        return Some(text.to_owned());
    }
    if text.len() < 14 && !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        let padded = format!("{text:0>14}");
        return Gtin::from_str(&padded).ok().map(|g| g.digits());
    }
    None
}

/// Whether the date's year is written with four digits (0001 to 9999), as RFC 3339 and CONTRACT's
/// dates write it: others would not read back from the rendering's JSON.
pub(crate) fn written_year(date: &DateOrInstant) -> bool {
    use chrono::Datelike;
    let year = match date {
        DateOrInstant::Date(d) => d.year(),
        DateOrInstant::Instant(t) => t.year(),
    };
    (1..=9999).contains(&year)
}

/// The current ISO 4217 code for a withdrawn one that pages still write for today's currency:
/// `RUR` (the rouble before 1998) for `RUB`, as Yandex's YML feed format documents it. Only codes
/// whose old amounts nobody writes any more are mapped (1000 RUR were 1 RUB).
pub(crate) fn modern_code(code: &str) -> &str {
    if code.eq_ignore_ascii_case("RUR") {
        "RUB"
    } else {
        code
    }
}

/// A `priceSpecification` that states a reference price: `priceType` StrikethroughPrice or ListPrice.
fn reference_kind(spec: &Item) -> Option<&'static str> {
    match spec.text("priceType").map(|(t, _)| local_name(t)) {
        Some("StrikethroughPrice") => Some("StrikethroughPrice"),
        Some("ListPrice") => Some("ListPrice"),
        _ => None,
    }
}

/// `"119.99"`, `" 179 "`: digits with at most one `.` between digits, white space around.
pub(crate) fn plain_decimal(text: &str) -> Option<Decimal> {
    let text = text.trim();
    let (int, frac) = text.split_once('.').unwrap_or((text, "0"));
    let well_formed = !int.is_empty()
        && !frac.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit());
    if !well_formed {
        return None;
    }
    Decimal::from_str(text).ok()
}

/// A JSON number as text. schema.org wants prices as text; a JSON number is read in serde_json's
/// shortest round-trip form, which is the decimal written for up to 15 significant digits. A longer
/// one may have lost digits in the double it went through: it is kept marked, so it is refused.
fn json_number(n: &serde_json::Number) -> String {
    let text = n.to_string();
    if n.is_f64() {
        let significant = text
            .bytes()
            .filter(u8::is_ascii_digit)
            .skip_while(|b| *b == b'0')
            .count();
        if significant > 15 || text.contains(['e', 'E']) {
            return format!("{text} (a JSON number past a double's precision)");
        }
    }
    text
}

/// schema.org ItemAvailability (and OpenGraph's `in stock`, `oos`, …) as CONTRACT §3's values.
pub(crate) fn schema_availability(text: &str) -> Option<Availability> {
    let key: String = local_name(text)
        .chars()
        .filter(|c| !matches!(c, ' ' | '_' | '-'))
        .flat_map(char::to_lowercase)
        .collect();
    Some(match key.as_str() {
        "instock" | "instoreonly" | "onlineonly" | "availablefororder" => Availability::InStock,
        "outofstock" | "soldout" | "discontinued" | "oos" => Availability::OutOfStock,
        "limitedavailability" => Availability::LowStock,
        "preorder" | "presale" => Availability::Preorder,
        "backorder" => Availability::Backorder,
        _ => return None,
    })
}

/// The `og:` and `product:` meta tags, first of each.
#[derive(Default)]
struct OpenGraph {
    tags: std::collections::BTreeMap<String, String>,
}

impl OpenGraph {
    fn read(&mut self, property: Option<&str>, content: Option<&str>) {
        if let (Some(property), Some(content)) = (property, content) {
            let property = property.trim();
            if (property.starts_with("og:") || property.starts_with("product:"))
                && !self.tags.contains_key(property)
            {
                self.tags
                    .insert(property.to_owned(), content.trim().to_owned());
            }
        }
    }

    fn get(&self, property: &str) -> Option<&str> {
        self.tags.get(property).map(String::as_str)
    }

    fn rendering(&self, reader: &mut Reader<'_>) {
        if !self.tags.keys().any(|p| p.starts_with("product:")) {
            return;
        }
        let source = |p: &str| format!("meta[property={p}]");
        let title = self.get("og:title").map(|t| (t, "meta[property=og:title]"));
        let gtin_tag = ["product:gtin", "product:ean", "product:upc"]
            .into_iter()
            .find(|p| self.get(p).is_some());
        let gtin_source = gtin_tag.map(source);
        let info = ProductInfo {
            title,
            sku: self.get("product:retailer_item_id"),
            gtin: gtin_tag
                .and_then(|p| self.get(p))
                .zip(gtin_source.as_deref()),
            family: self.get("product:item_group_id"),
            variant: None,
        };
        let mut claims = identity_claims(info);
        let sale = self.money(reader, "product:sale_price");
        let regular = self.money(reader, "product:price");
        let original = self.money(reader, "product:original_price");
        match (sale, regular) {
            (Some(sale), regular) => {
                claims.push(claim(ClaimValue::Price(sale.0), &sale.1));
                if let Some(regular) = regular.or(original) {
                    claims.push(claim(ClaimValue::ReferencePrice(regular.0), &regular.1));
                }
            }
            (None, Some(regular)) => {
                claims.push(claim(ClaimValue::Price(regular.0), &regular.1));
                if let Some(original) = original {
                    claims.push(claim(ClaimValue::ReferencePrice(original.0), &original.1));
                }
            }
            (None, None) => {}
        }
        if let Some(text) = self.get("product:availability") {
            let source = source("product:availability");
            match schema_availability(text) {
                Some(a) => claims.push(claim(ClaimValue::Availability(a), &source)),
                None => reader.unread(
                    &source,
                    text,
                    "not an OpenGraph availability (in stock, out of stock, preorder, backorder, …)",
                ),
            }
        }
        let id = format!("{}#og", reader.context.page);
        reader.push(id, info, claims);
    }

    /// `product:price:amount` with `product:price:currency`; a sale or original price without its
    /// own currency takes the page's `product:price:currency` (what Facebook's catalog reads).
    fn money(&self, reader: &mut Reader<'_>, prefix: &str) -> Option<(Money, String)> {
        let amount_tag = format!("{prefix}:amount");
        let mut currency_tag = format!("{prefix}:currency");
        let amount = self.get(&amount_tag)?;
        let source = format!("meta[property={amount_tag}]");
        if self.get(&currency_tag).is_none() {
            currency_tag = "product:price:currency".to_owned();
        }
        let currency_source = format!("meta[property={currency_tag}]");
        let currency = self
            .get(&currency_tag)
            .map(|c| (c, currency_source.as_str()));
        reader.money(amount, &source, currency).map(|m| (m, source))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_decimals() {
        assert_eq!(plain_decimal(" 119.99 "), Some(Decimal::new(11999, 2)));
        assert_eq!(plain_decimal("179"), Some(Decimal::from(179)));
        for bad in [
            "", ".", "1.", ".5", "1,99", "1.2.3", "-1", "+1", "1e3", "$5",
        ] {
            assert_eq!(plain_decimal(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn availability_names() {
        assert_eq!(
            schema_availability("  http://schema.org/InStock"),
            Some(Availability::InStock)
        );
        assert_eq!(schema_availability("in stock"), Some(Availability::InStock));
        assert_eq!(
            schema_availability("https://schema.org/BackOrder"),
            Some(Availability::Backorder)
        );
        assert_eq!(schema_availability("maybe"), None);
    }

    #[test]
    fn gtins_pad_to_fourteen_only_when_valid() {
        assert_eq!(
            normal_gtin("32429335302").as_deref(),
            Some("00032429335302")
        );
        assert_eq!(
            normal_gtin("4006381333931").as_deref(),
            Some("4006381333931")
        );
        assert_eq!(normal_gtin("4006381333932"), None);
        assert_eq!(normal_gtin("abc"), None);
    }
}
