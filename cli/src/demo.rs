//! `unisono demo`: the bundled Italian retailer's catalog, offer by offer, at a few instants of its
//! Black Friday campaign.

use std::collections::BTreeMap;
use std::io::Write;
use std::process::ExitCode;

use unisono::{Availability, Catalog, Offer, OfferError};

use crate::{Failure, write_failure};

/// The demo catalog, bundled so that `unisono demo` runs from anywhere.
pub const CATALOG: &str = include_str!("../../examples/data/catalog.json");

/// The demo renderings: what the retailer's channels show during the campaign.
pub const RENDERINGS: &str = include_str!("../../examples/data/renderings.json");

/// The demo policy: the retailer prices stores and its flyer apart on purpose, so only web, app,
/// email and TV must agree with each other.
pub const POLICY: &str = include_str!("../../examples/data/policy.json");

/// The instants shown, with what they are in the campaign.
const INSTANTS: [(&str, &str); 3] = [
    ("2026-11-20T12:00:00+01:00", "a week before Black Friday"),
    ("2026-11-28T10:00:00+01:00", "Black Friday weekend"),
    ("2026-12-02T10:00:00+01:00", "after the campaign"),
];

/// Validates the demo renderings and prints the report (the human one with an introduction). Exits
/// 0: the mistakes are planted.
pub fn run(out: &mut impl Write, format: crate::Format) -> Result<ExitCode, Failure> {
    let catalog = Catalog::from_json(CATALOG)
        .map_err(|e| Failure::Input(format!("bundled demo catalog: {e}")))?;
    let renderings = unisono::rendering::read_renderings(RENDERINGS)
        .map_err(|e| Failure::Input(format!("bundled demo renderings: {e}")))?;
    let policy = unisono::Policy::from_json(POLICY)
        .map_err(|e| Failure::Input(format!("bundled demo policy: {e}")))?;
    let report = unisono::Validator::new(&catalog, &policy).validate_all(&renderings);
    if format != crate::Format::Human {
        let (text, _) = crate::render_report(&report, format, &renderings, &catalog);
        out.write_all(text.as_bytes()).map_err(write_failure)?;
        return Ok(ExitCode::SUCCESS);
    }
    let intro = format!(
        "unisono demo: {} renderings of a fictional Italian retailer's Black Friday (web, app, newsletter,\nTV, flyer, shelf labels), checked against its catalog ({} products, {} channels). Mistakes are planted.\n\n",
        renderings.len(),
        catalog.products().len(),
        catalog.channels().len()
    );
    out.write_all(intro.as_bytes()).map_err(write_failure)?;
    out.write_all(unisono::report::human(&report, crate::colour()).as_bytes())
        .map_err(write_failure)?;
    Ok(ExitCode::SUCCESS)
}

/// Prints the canonical offer of every demo product on every channel at three instants.
pub fn offers(out: &mut impl Write) -> Result<ExitCode, Failure> {
    let catalog = Catalog::from_json(CATALOG)
        .map_err(|e| Failure::Input(format!("bundled demo catalog: {e}")))?;
    write_report(out, &catalog).map_err(write_failure)?;
    Ok(ExitCode::SUCCESS)
}

fn write_report(out: &mut impl Write, catalog: &Catalog) -> std::io::Result<()> {
    let market = catalog.markets().first().map_or("", |m| m.id.as_str());
    writeln!(
        out,
        "unisono demo: a fictional Italian retailer (market {market}, EUR, Europe/Rome), {} products on {} channels.",
        catalog.products().len(),
        catalog.channels().len()
    )?;
    writeln!(
        out,
        "The canonical offer of every product on every channel, in EUR, at three instants of its campaign."
    )?;
    writeln!(
        out,
        "`*` a reduction is in progress (prior price below), `-` not sold there, `?` no price."
    )?;
    for (at_text, label) in INSTANTS {
        let at = unisono::time::parse_instant(at_text).map_err(std::io::Error::other)?;
        writeln!(out)?;
        writeln!(out, "{at_text}: {label}")?;
        write_instant(out, catalog, at)?;
    }
    Ok(())
}

/// Note lines with the channels each holds on.
type NoteLines = Vec<(String, Vec<String>)>;

/// Notes for one instant, each keyed so that identical facts on several channels print once.
#[derive(Default)]
struct Notes {
    reductions: BTreeMap<(String, String), Vec<String>>,
    members: BTreeMap<String, Vec<String>>,
    multi_buys: BTreeMap<String, Vec<String>>,
    stock: BTreeMap<String, Vec<String>>,
}

fn write_instant(
    out: &mut impl Write,
    catalog: &Catalog,
    at: chrono::DateTime<chrono::Utc>,
) -> std::io::Result<()> {
    let sku_width = catalog
        .products()
        .iter()
        .map(|p| p.sku.len())
        .max()
        .unwrap_or(3)
        .max(3);
    let widths: Vec<usize> = catalog
        .channels()
        .iter()
        .map(|c| c.id.len().max(9))
        .collect();
    let mut header = format!("  {:<sku_width$}", "SKU");
    for (channel, width) in catalog.channels().iter().zip(&widths) {
        header.push_str(&format!("  {:>width$}", channel.id));
    }
    writeln!(out, "{header}")?;

    let mut notes = Notes::default();
    for product in catalog.products() {
        let mut row = format!("  {:<sku_width$}", product.sku);
        for (channel, width) in catalog.channels().iter().zip(&widths) {
            let cell = match catalog.offer(&product.sku, &channel.id, at) {
                Ok(offer) => {
                    note(&mut notes, &offer);
                    let mark = if offer.reduction.is_some() { "*" } else { " " };
                    format!("{}{mark}", offer.price.amount())
                }
                Err(OfferError::NotListed { .. }) => "- ".to_owned(),
                Err(_) => "? ".to_owned(),
            };
            row.push_str(&format!("  {cell:>width$}"));
        }
        writeln!(out, "{}", row.trim_end())?;
    }
    let sections: [(&str, NoteLines); 4] = [
        (
            "reductions",
            notes
                .reductions
                .into_iter()
                .map(|((sku, what), ch)| (format!("{sku} {what}"), ch))
                .collect(),
        ),
        ("members' prices", notes.members.into_iter().collect()),
        ("multi-buys", notes.multi_buys.into_iter().collect()),
        ("low or no stock", notes.stock.into_iter().collect()),
    ];
    for (title, lines) in sections {
        if lines.is_empty() {
            continue;
        }
        writeln!(out, "  {title}:")?;
        for (what, channels) in lines {
            writeln!(out, "    {what} [{}]", channels.join(", "))?;
        }
    }
    Ok(())
}

fn note(notes: &mut Notes, offer: &Offer<'_>) {
    let (sku, channel) = (offer.sku().to_owned(), offer.channel().to_owned());
    let promotions = offer.promotions().join(" + ");
    if let Some(reduction) = &offer.reduction {
        let prior = match (&reduction.prior, reduction.exemption) {
            (Some(prior), _) => format!("prior price {}", prior.amount),
            (None, Some(_)) => "exempt from the prior-price rule".to_owned(),
            (None, None) => "no price in the 30 days before".to_owned(),
        };
        let what = format!(
            "{} from {} by {promotions}; {prior}",
            offer.price, offer.regular_price
        );
        notes
            .reductions
            .entry((sku.clone(), what))
            .or_default()
            .push(channel.clone());
    }
    if offer.member_price != offer.price {
        let what = format!("{sku} {} for members", offer.member_price);
        notes.members.entry(what).or_default().push(channel.clone());
    }
    for &key in offer.multi_buy_keys() {
        let what = format!("{sku} {}", offer.catalog().promotion_at(key).id);
        notes
            .multi_buys
            .entry(what)
            .or_default()
            .push(channel.clone());
    }
    if matches!(
        offer.availability,
        Availability::LowStock | Availability::OutOfStock
    ) {
        notes
            .stock
            .entry(sku)
            .or_default()
            .push(format!("{channel} {}", offer.available));
    }
}
