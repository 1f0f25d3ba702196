//! A newsletter block renderer written the way a shop writes it, checked with unisono.
//!
//! `newsletter::block` turns the offer of a product into the HTML of a block of the weekly
//! newsletter, Italian style (`1.299,00 €`, "invece di", "fino al 30/11"), and records what the block
//! claims as a [`Rendering`], so that the shop's own test suite can ask unisono whether the block
//! says what the catalog says.

use unisono::{Money, Offer, Rendering};

mod common;

mod newsletter {
    use super::*;
    use rust_decimal::{Decimal, RoundingStrategy};
    use unisono::rendering::{
        Claim, ClaimValue, DateOrInstant, Instant, Quantity, Shown, UnitPrice,
    };

    /// `1299.5 EUR` → `1.299,50 €`: thousands with `.`, decimals with `,`, the symbol after.
    pub fn euro(money: Money) -> String {
        let cents = money
            .round_to_minor()
            .amount()
            .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
        let text = format!("{:.2}", cents.abs());
        let (units, decimals) = text.split_once('.').unwrap_or((&text, "00"));
        let mut grouped = String::new();
        for (i, digit) in units.chars().enumerate() {
            if i > 0 && (units.len() - i) % 3 == 0 {
                grouped.push('.');
            }
            grouped.push(digit);
        }
        let sign = if cents.is_sign_negative() && !cents.is_zero() {
            "-"
        } else {
            ""
        };
        format!("{sign}{grouped},{decimals} €")
    }

    /// A block of the newsletter: its HTML, and what it claims.
    pub struct Block {
        pub html: String,
        pub rendering: Rendering,
    }

    /// The block for `offer`, sent on the channel of the offer at the offer's instant.
    pub fn block(offer: &Offer<'_>, id: &str) -> Block {
        let catalog = offer.catalog();
        let product = catalog
            .product(offer.sku())
            .expect("an offer's product is in its catalog");
        let market = catalog.market_at(
            catalog
                .channel(offer.channel())
                .expect("an offer's channel")
                .market,
        );
        let title = product
            .title
            .for_locale(market.locale.as_deref())
            .to_owned();
        let mut html = format!(
            "<h2>{title}</h2>\n<p class=\"price\"><b>{}</b>",
            euro(offer.price)
        );
        let mut claims = vec![ClaimValue::Title(title), ClaimValue::Price(offer.price)];

        // "Invece di": the price it was, struck through, and the percentage saved. Under Omnibus
        // (Directive 98/6/EC art. 6a) "was" is the lowest price of the 30 days before the reduction,
        // not the list price; a perishable, or a market without the rule, counts from the list price;
        // with no price before the reduction there is nothing to announce.
        let was = offer
            .reduction
            .as_ref()
            .and_then(|r| match (r.prior, r.exemption) {
                (Some(prior), _) => Some(prior.amount),
                (None, Some(_)) => Some(offer.regular_price),
                (None, None) => None,
            });
        let mut shows_discount = false;
        if let Some(was) = was.filter(|was| offer.price < *was) {
            let saved = (was.amount() - offer.price.amount()) / was.amount() * Decimal::ONE_HUNDRED;
            let percent = saved.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero);
            if percent > Decimal::ZERO {
                html.push_str(&format!(
                    " invece di <s>{}</s> <em>-{percent}%</em>",
                    euro(was)
                ));
                claims.push(ClaimValue::ReferencePrice(was));
                claims.push(ClaimValue::PercentOff(percent));
                shows_discount = true;
            }
        }
        html.push_str("</p>\n");

        if let Some(unit) = product.unit.filter(|u| u.measure.is_quantity()) {
            // Prezzo al kg / al litro: by law beside every price of goods sold by quantity.
            let (per, factor) = match unit.measure.symbol() {
                "g" => ("1 kg", Decimal::from(1000)),
                "ml" => ("1 l", Decimal::from(1000)),
                other => (other, Decimal::ONE),
            };
            let per: Quantity = if per.starts_with('1') {
                per.parse()
            } else {
                format!("1 {per}").parse()
            }
            .expect("a unit of the catalog is a quantity");
            let amount = offer.price.amount() * factor / unit.quantity;
            let unit_price = Money::new(amount, offer.price.currency())
                .expect("a unit price is in range")
                .round_to_minor();
            html.push_str(&format!(
                "<p class=\"unit\">{} al {}</p>\n",
                euro(unit_price),
                per.measure.symbol()
            ));
            claims.push(ClaimValue::UnitPrice(UnitPrice {
                price: unit_price,
                per,
            }));
        }

        // "Valida fino": the end of the discount shown (the same reduced price, whichever promotions
        // make it), else of the promotional price.
        let end = match offer.reduction_window() {
            Some(stretch) if shows_discount => stretch.until,
            Some(_) => offer.valid_until,
            None => None,
        };
        if let Some(end) = end {
            // "Fino al 30/11" when the offer ends at a local midnight; else the hour it ends,
            // "fino alle 01:00 del 17/01": a date alone would promise the whole day.
            let local_end = end.with_timezone(&market.time_zone);
            if unisono::time::local_midnight(local_end.date_naive(), market.time_zone) == Some(end)
            {
                let last = local_end
                    .date_naive()
                    .pred_opt()
                    .expect("a day before any end in the catalog's range");
                html.push_str(&format!(
                    "<p class=\"until\">Offerta valida fino al {}</p>\n",
                    last.format("%d/%m")
                ));
                claims.push(ClaimValue::ValidUntil(DateOrInstant::Date(last)));
            } else {
                html.push_str(&format!(
                    "<p class=\"until\">Offerta valida fino alle {} del {}</p>\n",
                    local_end.format("%H:%M"),
                    local_end.format("%d/%m")
                ));
                claims.push(ClaimValue::ValidUntil(DateOrInstant::Instant(end)));
            }
        }

        Block {
            html,
            rendering: Rendering {
                id: id.to_owned(),
                channel: offer.channel().to_owned(),
                sku: Some(offer.sku().to_owned()),
                gtin: None,
                family: None,
                shown: Shown::At {
                    at: Instant(offer.at),
                },
                claims: claims.into_iter().map(Claim::from).collect(),
                meta: None,
                evidence: None,
            },
        }
    }
}

#[test]
fn euros_are_written_the_italian_way() {
    let euro = |text: &str| newsletter::euro(text.parse().expect("valid money"));
    assert_eq!(euro("1299.00 EUR"), "1.299,00 €");
    assert_eq!(euro("1299.5 EUR"), "1.299,50 €");
    assert_eq!(euro("0.99 EUR"), "0,99 €");
    assert_eq!(euro("719.2 EUR"), "719,20 €");
    assert_eq!(euro("1000000 EUR"), "1.000.000,00 €");
    assert_eq!(euro("100 EUR"), "100,00 €");
}

#[test]
fn the_black_friday_laptop_block() {
    let catalog = unisono::Catalog::from_json(include_str!("../examples/data/catalog.json"))
        .expect("demo compiles");
    let at = unisono::time::parse_instant("2026-11-28T10:00:00+01:00").expect("instant");
    let offer = catalog
        .offer("LAPTOP-14", "email-it", at)
        .expect("the laptop is sold by email");
    let block = newsletter::block(&offer, "newsletter-48/laptop");
    assert_eq!(
        block.html,
        "<h2>Notebook Acme 14</h2>\n<p class=\"price\"><b>719,20 €</b> invece di <s>899,00 €</s> <em>-20%</em></p>\n\
         <p class=\"until\">Offerta valida fino al 30/11</p>\n"
    );
    unisono::testing::assert_consistent(&catalog, &[block.rendering]);
}

mod property {
    use super::newsletter;
    use proptest::prelude::*;
    use unisono::testing::{arb_catalog_document, arb_offer_pick};

    proptest! {
        #![proptest_config(super::common::cases(2000))]

        /// For any catalog, any product, any instant: the block says what the catalog says.
        #[test]
        fn every_block_agrees_with_the_catalog(doc in arb_catalog_document(), pick in arb_offer_pick()) {
            let catalog = unisono::Catalog::compile(&doc).expect("generated documents compile");
            let Some(offer) = pick.offer(&catalog) else { return Ok(()) };
            // The block reads the same whatever channel sends it: check it on the offer's own.
            let block = newsletter::block(&offer, "block");
            // Errors, as `assert_consistent` counts them: warnings are advice to the marketer.
            let findings: Vec<_> = unisono::validate(&catalog, &block.rendering)
                .into_iter()
                .filter(|f| f.severity == unisono::Severity::Error)
                .collect();
            prop_assert!(
                findings.is_empty(),
                "{}\n{}\ncatalog: {}",
                block.html,
                unisono::report::human(&unisono::Report::new(1, block.rendering.claims.len(), findings.clone()), false),
                serde_json::to_string(&doc).unwrap_or_default()
            );
        }
    }
}
