//! unisono in twenty lines: load the canonical catalog, ask for an offer, read its timeline.
//!
//! Run with `cargo run --example quickstart`.

use unisono::time::{Window, local_label, parse_instant};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let catalog = unisono::Catalog::from_json(include_str!("data/catalog.json"))?;

    // What does the web shop sell the laptop for on Black Friday morning, and why?
    let offer = catalog.offer(
        "LAPTOP-14",
        "web-it",
        parse_instant("2026-11-28T10:00:00+01:00")?,
    )?;
    let was = offer
        .prior_price
        .map(|p| format!(", prior price {p}"))
        .unwrap_or_default();
    println!(
        "{} on {}: {}{was}, {} available",
        offer.sku(),
        offer.channel(),
        offer.price,
        offer.available
    );
    for line in offer
        .explanation()
        .iter()
        .chain(offer.prior_explanation().iter())
    {
        println!("  {line}");
    }

    // Every price the TV has on the web over two weeks, as stretches of constant price.
    let rome = catalog.market("IT").ok_or("no market IT")?.time_zone;
    let from = parse_instant("2026-11-23T00:00:00+01:00")?;
    let until = parse_instant("2026-12-07T00:00:00+01:00")?;
    for segment in catalog.timeline("TV-55", "web-it", Window::new(from, Some(until)))? {
        let price = segment
            .price
            .map(|p| p.to_string())
            .unwrap_or_else(|| "no price".into());
        println!(
            "TV-55 from {}: {price}",
            local_label(segment.window.from, rome)
        );
    }
    Ok(())
}
