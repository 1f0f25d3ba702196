//! The price a page shows a person: the main product's price text in the parsed page (no script
//! runs), read with [`text::parse_price`](super::text::parse_price) in the page's locale.
//!
//! The main product's price element is the first of these that reads as a price (rules of thumb
//! that shops' own markup follows, documented in `docs/extraction.md`, not tuned to one page):
//!
//! 1. an element whose microdata or RDFa property is `price` (the markup's own price, as shown);
//! 2. after the page's first `<h1>` (the product's name), the first element whose `class`, `id` or
//!    `data-testid` has a token naming a price (`price`, `prix`, `preis`, `prezzo`, `precio`,
//!    `preço`, `cena`, `цена`) and none naming a former price (`old`, `was`, `list`, `regular`,
//!    `strike`, `compare`, `original`, `msrp`, `rrp`, `save`, `before`);
//! 3. the first such element anywhere, when there is none after the `<h1>`.
//!
//! Elements inside `<del>`, `<s>`, `<strike>` (a struck-through price), `<script>`, `<style>`,
//! `<template>`, `<noscript>`, `<head>`, `<nav>` and `<footer>` are never candidates, nor are
//! elements whose text is longer than [`MAX_PRICE_TEXT`] characters (a container, not a price).

use std::collections::HashMap;

use scraper::{ElementRef, Html};

use super::text::{self, Locale, PriceError};
use crate::money::{Currency, Money};

/// The longest text read as one shown price, in characters.
pub const MAX_PRICE_TEXT: usize = 80;

/// A class-named candidate whose tag and class occur more often than this is a list's item.
const MAX_REPEATS: usize = 2;

/// The most candidate elements tried before giving up.
const MAX_CANDIDATES: usize = 50;

/// Class tokens that name a price, in the languages shops write class names in.
const PRICE_WORDS: [&str; 8] = [
    "price", "prix", "preis", "prezzo", "precio", "preço", "cena", "цена",
];

/// Class tokens that name a former or struck-through price, not the one paid.
const FORMER_WORDS: [&str; 11] = [
    "old", "was", "list", "regular", "strike", "compare", "original", "msrp", "rrp", "save",
    "before",
];

const NEVER_INSIDE: [&str; 10] = [
    "del", "s", "strike", "script", "style", "template", "noscript", "head", "nav", "footer",
];

/// What the visible price gave.
pub(crate) enum Shown {
    /// A price, with the element's CSS path.
    Price(Money, String),
    /// A price element whose text is not one price: its path, text and why.
    Unread(String, String, String),
}

/// The page's locale: `<html lang>`, else `og:locale`; `None` where unisono does not read it.
pub(crate) fn locale(document: &Html, og_locale: Option<&str>) -> Option<Locale> {
    let lang = document.root_element().value().attr("lang");
    [lang, og_locale]
        .into_iter()
        .flatten()
        .find_map(|tag| tag.trim().parse::<Locale>().ok())
}

/// The main product's shown price (module docs: which element); `markup` is the currencies the
/// page's markup states, which decide a `$`, `kr` or `¥` the locale leaves open.
pub(crate) fn price(
    document: &Html,
    locale: Option<&Locale>,
    markup: &[Currency],
) -> Option<Shown> {
    let mut by_property = Vec::new();
    let mut by_class = Vec::new();
    let mut after_h1 = None;
    // How often each (tag, class) of a class-named candidate occurs: a repeated one is a list's
    // item (a listing page, a carousel of other products), not the main product's price.
    let mut signatures: HashMap<(&str, &str), usize> = HashMap::new();
    for element in document.root_element().descendent_elements() {
        let e = element.value();
        if e.name() == "h1" && after_h1.is_none() {
            after_h1 = Some(by_class.len());
        }
        let property = ["itemprop", "property"].iter().any(|a| {
            e.attr(a).is_some_and(|v| {
                v.split_ascii_whitespace()
                    .any(|p| local(p).eq_ignore_ascii_case("price"))
            })
        });
        if property {
            by_property.push(element);
        } else if names_price(element) {
            *signatures
                .entry((e.name(), e.attr("class").unwrap_or("")))
                .or_insert(0) += 1;
            by_class.push(element);
        }
    }
    let repeated = |e: &ElementRef<'_>| {
        let key = (e.value().name(), e.value().attr("class").unwrap_or(""));
        signatures.get(&key).is_some_and(|n| *n > MAX_REPEATS)
    };
    let after: Vec<ElementRef<'_>> = by_class
        .get(after_h1.unwrap_or(0)..)
        .unwrap_or_default()
        .to_vec();
    let candidates = by_property
        .into_iter()
        .map(|e| (e, true))
        .chain(after.into_iter().chain(by_class).map(|e| (e, false)))
        .filter(|(e, by_property)| *by_property || !repeated(e))
        .filter(|(e, _)| !hidden(*e))
        .take(MAX_CANDIDATES);
    for (element, by_property) in candidates {
        let shown = words(element);
        if shown.chars().count() > MAX_PRICE_TEXT
            || !shown.bytes().any(|b| b.is_ascii_digit())
            || text::names_former_price(&shown)
        {
            continue;
        }
        let path = css_path(element);
        // The first candidate with an amount is the main price: it reads, or it is unread.
        match read(&shown, element, locale, markup, by_property) {
            Ok(money) => return Some(Shown::Price(money, path)),
            Err(Some(reason)) => return Some(Shown::Unread(path, shown, reason)),
            Err(None) => {}
        }
    }
    None
}

/// An element's text, white space collapsed.
fn words(element: ElementRef<'_>) -> String {
    let text: String = element.text().collect::<Vec<_>>().join(" ");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// One shown price: `Err(None)` when the text holds no amount, `Err(Some(why))` when it holds one
/// that is not money. The currency: the mark beside the amount (in the element, else in its
/// parent: `<sup>$</sup><span>1.99</span>`), with the locale's region; a mark of several currencies
/// (`$`) that the locale leaves open takes the markup's currency when it is one of them; an amount
/// without any mark in the markup's own price element takes the markup's one currency.
fn read(
    shown: &str,
    element: ElementRef<'_>,
    locale: Option<&Locale>,
    markup: &[Currency],
    by_property: bool,
) -> Result<Money, Option<String>> {
    let reading = match text::parse_price(shown, locale) {
        Ok(r) => r,
        Err(PriceError::NoAmount { .. }) => return Err(None),
        Err(e) => return Err(Some(e.to_string())),
    };
    let around = element
        .parent()
        .and_then(ElementRef::wrap)
        .map(words)
        .filter(|t| t.chars().count() <= MAX_PRICE_TEXT)
        .unwrap_or_default();
    let mark = reading
        .mark
        .clone()
        .or_else(|| text::parse_price(&around, locale).ok()?.mark);
    let currency = reading
        .currency
        .or_else(|| text::find_currency(&around, locale))
        .or_else(|| {
            let mark = mark.as_deref()?;
            markup
                .iter()
                .copied()
                .find(|c| text::mark_may_name(mark, *c))
        })
        .or(match (mark.as_deref(), markup) {
            (None, [one]) if by_property => Some(*one),
            _ => None,
        });
    let Some(currency) = currency else {
        let mark = mark.as_deref().unwrap_or("none");
        return Err(Some(format!(
            "the shown price names no one currency (mark: {mark}); neither the page's locale nor its markup decides it"
        )));
    };
    Money::new(reading.amount, currency).map_err(|e| Some(e.to_string()))
}

fn local(name: &str) -> &str {
    name.rsplit(['/', '#', ':']).next().unwrap_or(name)
}

/// Whether the element's `class`, `id` or a `data-*` attribute names the current price.
fn names_price(element: ElementRef<'_>) -> bool {
    let e = element.value();
    let mut price = false;
    let values = e
        .attrs()
        .filter(|(name, _)| matches!(*name, "class" | "id") || name.starts_with("data-"))
        .map(|(_, value)| value);
    for value in values {
        for token in value.split(|c: char| c.is_whitespace() || c == '-' || c == '_') {
            let token = token.to_lowercase();
            if FORMER_WORDS.iter().any(|w| token.contains(w)) {
                return false;
            }
            price |= PRICE_WORDS.iter().any(|w| token.contains(w));
        }
    }
    price
}

/// Whether the element is inside what a person does not see as the price: the elements above, the
/// `hidden` attribute, `display:none`, the hiding classes of common CSS frameworks (Bootstrap's
/// `d-none`, `hide`, `hidden`, `invisible`, `sr-only`, `visually-hidden`; WordPress's
/// `screen-reader-text`) and a `priceComponent` of a compound price (a part, not the price).
fn hidden(element: ElementRef<'_>) -> bool {
    std::iter::once(element)
        .chain(element.ancestors().filter_map(ElementRef::wrap))
        .any(|a| {
            let e = a.value();
            NEVER_INSIDE.contains(&e.name())
                || e.attr("hidden").is_some()
                || e.attr("style")
                    .is_some_and(|s| s.replace(' ', "").contains("display:none"))
                || e.classes().any(hiding_class)
                || ["itemprop", "property"].iter().any(|p| {
                    e.attr(p).is_some_and(|v| {
                        v.split_ascii_whitespace()
                            .any(|n| local(n).eq_ignore_ascii_case("priceComponent"))
                    })
                })
        })
}

fn hiding_class(class: &str) -> bool {
    let class = class.to_ascii_lowercase();
    matches!(
        class.as_str(),
        "hide" | "hidden" | "d-none" | "invisible" | "sr-only" | "screen-reader-text"
    ) || class.contains("visually-hidden")
        || class.contains("visuallyhidden")
        || class.ends_with("display-none")
}

/// A CSS selector for the element: `#id` from the nearest ancestor with one, else from `html`,
/// with `:nth-child` where a tag alone would not name it.
pub(crate) fn css_path(element: ElementRef<'_>) -> String {
    let mut parts = Vec::new();
    let mut current = Some(element);
    while let Some(e) = current {
        let value = e.value();
        if let Some(id) = value.attr("id").filter(|id| {
            !id.is_empty()
                && id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        }) {
            parts.push(format!("#{id}"));
            break;
        }
        let parent = e.parent().and_then(ElementRef::wrap);
        let part = match parent {
            Some(_) => {
                let n = e.prev_siblings().filter(|s| s.value().is_element()).count() + 1;
                format!("{}:nth-child({n})", value.name())
            }
            None => value.name().to_owned(),
        };
        parts.push(part);
        current = parent;
    }
    parts.reverse();
    parts.join(" > ")
}
