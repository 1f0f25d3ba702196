//! Claims from text (issue 4, part 1): tables of cases for every phrase family in it, en, de, fr and
//! es; near misses that must give no claim; what a missing locale leaves unread; property tests for
//! the "for all" promises (amounts read back exactly in every locale style, no panic, sources that
//! are ranges of the text).
#![cfg(feature = "extract")]

use chrono::NaiveDate;
use proptest::prelude::*;
use rust_decimal::Decimal;
use unisono::extract::text::{Extracted, Locale, extract, extract_at, parse_price};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).expect("a date")
}

fn locale(tag: &str) -> Option<Locale> {
    (!tag.is_empty()).then(|| tag.parse().expect("a locale"))
}

fn read(tag: &str, text: &str) -> Extracted {
    extract_at(text, locale(tag).as_ref(), today())
}

/// The claims as `kind=value`, in order.
fn claims(tag: &str, text: &str) -> Vec<String> {
    read(tag, text)
        .claims
        .iter()
        .map(|c| format!("{}={}", c.value.kind(), c.value.value_text()))
        .collect()
}

fn check(table: &[(&str, &str, &[&str])]) {
    let mut failures = Vec::new();
    for &(tag, text, expected) in table {
        let got = claims(tag, text);
        if got != expected {
            failures.push(format!(
                "[{tag}] {text:?}\n   got      {got:?}\n   expected {expected:?}\n   unread   {:?}",
                read(tag, text).unread
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn money_in_every_form() {
    check(&[
        ("it", "19,99 €", &["price=19.99 EUR"]),
        ("it", "€ 19,99", &["price=19.99 EUR"]),
        ("it", "€19,99", &["price=19.99 EUR"]),
        ("it", "1.299,00 €", &["price=1299.00 EUR"]),
        ("it", "1.299 €", &["price=1299.00 EUR"]),
        ("it", "€ 1.299,-", &["price=1299.00 EUR"]),
        ("de", "1.299,– €", &["price=1299.00 EUR"]),
        ("it", "EUR 1.299,00", &["price=1299.00 EUR"]),
        ("it", "1.299,00 EUR", &["price=1299.00 EUR"]),
        ("en", "€1,299.00", &["price=1299.00 EUR"]),
        ("en-GB", "£1,299", &["price=1299.00 GBP"]),
        ("en-GB", "£1.299", &["price=1.299 GBP"]),
        ("en-US", "$19.99", &["price=19.99 USD"]),
        ("en-CA", "$19.99", &["price=19.99 CAD"]),
        ("es-MX", "$1,299.00", &["price=1299.00 MXN"]),
        ("fr", "1 299,00 €", &["price=1299.00 EUR"]),
        ("fr", "1\u{a0}299,00\u{a0}€", &["price=1299.00 EUR"]),
        ("fr", "1\u{202f}299,00\u{202f}€", &["price=1299.00 EUR"]),
        ("de-CH", "CHF 1'049.95", &["price=1049.95 CHF"]),
        ("de-CH", "Fr. 1’049.50", &["price=1049.50 CHF"]),
        ("de-CH", "CHF 1'299.-", &["price=1299.00 CHF"]),
        ("es", "1.299,99 €", &["price=1299.99 EUR"]),
        ("", "1.299,99 €", &["price=1299.99 EUR"]),
        ("", "1,299.99 USD", &["price=1299.99 USD"]),
        ("", "19,99 €", &["price=19.99 EUR"]),
        ("", "12.500 ₫", &["price=12500 VND"]),
        ("", "1.500 JPY", &["price=1500 JPY"]),
        ("fr", "35€99", &["price=35.99 EUR"]),
        // A plain space groups thousands in French only; no-break spaces everywhere.
        ("fr", "14 899,00 €", &["price=14899.00 EUR"]),
        ("it", "Notebook Acme 14 899,00 €", &["price=899.00 EUR"]),
        ("en-GB", "Model 14 £899", &["price=899.00 GBP"]),
        ("", "1\u{a0}299,00 €", &["price=1299.00 EUR"]),
        // Two prices in one string.
        (
            "it",
            "24,99 € 19,99 €",
            &["price=24.99 EUR", "price=19.99 EUR"],
        ),
        (
            "it",
            "€ 24,99 € 19,99",
            &["price=24.99 EUR", "price=19.99 EUR"],
        ),
        (
            "",
            "205,68 € 205.68 EUR",
            &["price=205.68 EUR", "price=205.68 EUR"],
        ),
        ("it", "Prezzo: 49 €.", &["price=49.00 EUR"]),
        ("it", "2x19,99 €", &["price=19.99 EUR"]),
        // `lei` is "she" in Italian: a currency mark after an amount only.
        ("it", "per lei 20 €", &["price=20.00 EUR"]),
        ("", "184,35 lei", &["price=184.35 RON"]),
    ]);
}

#[test]
fn reductions() {
    check(&[
        ("it", "-20%", &["percent_off=20"]),
        ("it", "−20 %", &["percent_off=20"]),
        ("it", "20% di sconto", &["percent_off=20"]),
        ("it", "sconto del 20%", &["percent_off=20"]),
        ("it", "€ 10 di sconto", &["amount_off=10.00 EUR"]),
        ("it", "sconto di 10 €", &["amount_off=10.00 EUR"]),
        ("it", "-10 €", &["amount_off=10.00 EUR"]),
        ("en", "20% off", &["percent_off=20"]),
        ("en-GB", "save £10", &["amount_off=10.00 GBP"]),
        ("en-GB", "£10 off", &["amount_off=10.00 GBP"]),
        ("en", "save 12.5%", &["percent_off=12.5"]),
        ("de", "20 % Rabatt", &["percent_off=20"]),
        ("de", "10 € Rabatt", &["amount_off=10.00 EUR"]),
        ("de", "spare 30%", &["percent_off=30"]),
        ("fr", "20 % de réduction", &["percent_off=20"]),
        ("fr", "remise de 15 %", &["percent_off=15"]),
        ("fr", "10 € de remise", &["amount_off=10.00 EUR"]),
        ("es", "20% de descuento", &["percent_off=20"]),
        ("es", "descuento del 25%", &["percent_off=25"]),
        ("es", "-5 €", &["amount_off=5.00 EUR"]),
    ]);
}

#[test]
fn reference_prices() {
    check(&[
        (
            "it",
            "prezzo più basso negli ultimi 30 giorni: 19,99 €",
            &["reference_price=19.99 EUR"],
        ),
        ("it", "prima 24,99 €", &["reference_price=24.99 EUR"]),
        (
            "it",
            "14,99 € invece di 19,99 €",
            &["price=14.99 EUR", "reference_price=19.99 EUR"],
        ),
        ("it", "anziché 1.299 €", &["reference_price=1299.00 EUR"]),
        (
            "en-GB",
            "was £20 now £15",
            &["reference_price=20.00 GBP", "price=15.00 GBP"],
        ),
        (
            "en",
            "Lowest price in the last 30 days: €19.99",
            &["reference_price=19.99 EUR"],
        ),
        ("de", "statt 249,00 €", &["reference_price=249.00 EUR"]),
        (
            "de",
            "Niedrigster Preis der letzten 30 Tage: 199,00 €",
            &["reference_price=199.00 EUR"],
        ),
        ("de", "UVP 299,– €", &["reference_price=299.00 EUR"]),
        ("fr", "au lieu de 24,99 €", &["reference_price=24.99 EUR"]),
        (
            "fr",
            "Prix le plus bas des 30 derniers jours : 19,99 €",
            &["reference_price=19.99 EUR"],
        ),
        ("es", "antes 24,99 €", &["reference_price=24.99 EUR"]),
        ("es", "Antes: 1.299 €", &["reference_price=1299.00 EUR"]),
        (
            "es",
            "Precio más bajo de los últimos 30 días: 19,99 €",
            &["reference_price=19.99 EUR"],
        ),
        ("it", "Prezzo soci 9,90 €", &["member_price=9.90 EUR"]),
        ("de", "jetzt 9,99 €", &["price=9.99 EUR"]),
    ]);
}

#[test]
fn multi_buys() {
    check(&[
        ("it", "3x2", &["multi_buy=3x2"]),
        ("it", "Offerta 3X2 su tutti i succhi", &["multi_buy=3x2"]),
        ("it", "prendi 3 paghi 2", &["multi_buy=3x2"]),
        ("it", "3 per 2", &["multi_buy=3x2"]),
        ("it", "2+1 gratis", &["multi_buy=3x2"]),
        ("en", "buy 2 get 1 free", &["multi_buy=3x2"]),
        ("en", "3 for 2", &["multi_buy=3x2"]),
        ("en", "buy 3 pay 2", &["multi_buy=3x2"]),
        ("de", "3 für 2", &["multi_buy=3x2"]),
        ("de", "Nimm 3, zahl 2", &["multi_buy=3x2"]),
        ("fr", "3 pour 2", &["multi_buy=3x2"]),
        ("fr", "2 achetés 1 offert", &["multi_buy=3x2"]),
        ("es", "3x2", &["multi_buy=3x2"]),
        ("es", "lleva 3 paga 2", &["multi_buy=3x2"]),
        ("es", "2x1", &["multi_buy=2x1"]),
    ]);
}

#[test]
fn validity() {
    check(&[
        ("it", "fino al 30/11", &["valid_until=2026-11-30"]),
        (
            "it",
            "Offerta valida fino al 30 novembre 2026",
            &["valid_until=2026-11-30"],
        ),
        (
            "it",
            "valida dal 1 al 15 dicembre",
            &["valid_from=2026-12-01", "valid_until=2026-12-15"],
        ),
        ("it", "dal 1 dicembre", &["valid_from=2026-12-01"]),
        ("en", "until 30 November", &["valid_until=2026-11-30"]),
        (
            "en",
            "Offer ends November 30, 2026",
            &["valid_until=2026-11-30"],
        ),
        ("en-GB", "until 5/12", &["valid_until=2026-12-05"]),
        ("en-US", "until 12/5", &["valid_until=2026-12-05"]),
        ("en", "until 11/30", &["valid_until=2026-11-30"]),
        ("de", "bis 30.11.", &["valid_until=2026-11-30"]),
        ("de", "gültig bis 30.11.2026", &["valid_until=2026-11-30"]),
        ("de", "bis zum 30. November", &["valid_until=2026-11-30"]),
        (
            "de",
            "vom 1. bis 15. Dezember",
            &["valid_from=2026-12-01", "valid_until=2026-12-15"],
        ),
        ("fr", "jusqu'au 30 novembre", &["valid_until=2026-11-30"]),
        (
            "fr",
            "du 1er au 15 décembre",
            &["valid_from=2026-12-01", "valid_until=2026-12-15"],
        ),
        (
            "es",
            "hasta el 30 de noviembre",
            &["valid_until=2026-11-30"],
        ),
        (
            "es",
            "del 1 al 15 de diciembre de 2026",
            &["valid_from=2026-12-01", "valid_until=2026-12-15"],
        ),
        // The year nearest to the reference date: late in the year, January is the next one.
        ("it", "fino al 6/1", &["valid_until=2027-01-06"]),
        ("it", "fino al 20/11", &["valid_until=2026-11-20"]),
        (
            "it",
            "dal 20 dicembre al 6 gennaio",
            &["valid_from=2026-12-20", "valid_until=2027-01-06"],
        ),
    ]);
}

#[test]
fn stock() {
    check(&[
        (
            "it",
            "solo 3 disponibili",
            &["stock_quantity=3", "availability=low_stock"],
        ),
        ("it", "esaurito", &["availability=out_of_stock"]),
        ("it", "Non disponibile", &["availability=out_of_stock"]),
        ("it", "disponibile in negozio", &["availability=in_stock"]),
        ("it", "ultimi pezzi", &["availability=low_stock"]),
        ("it", "su ordinazione", &["availability=backorder"]),
        (
            "en",
            "only 3 left",
            &["stock_quantity=3", "availability=low_stock"],
        ),
        (
            "en",
            "Only 3 left!",
            &["stock_quantity=3", "availability=low_stock"],
        ),
        (
            "en",
            "Only 3 left in stock!",
            &["stock_quantity=3", "availability=low_stock"],
        ),
        ("en", "out of stock", &["availability=out_of_stock"]),
        ("en", "In stock", &["availability=in_stock"]),
        ("en", "Pre-order", &["availability=preorder"]),
        (
            "de",
            "nur noch 3 verfügbar",
            &["stock_quantity=3", "availability=low_stock"],
        ),
        ("de", "ausverkauft", &["availability=out_of_stock"]),
        ("de", "auf Lager", &["availability=in_stock"]),
        ("de", "nicht verfügbar", &["availability=out_of_stock"]),
        (
            "fr",
            "plus que 3 en stock",
            &["stock_quantity=3", "availability=low_stock"],
        ),
        ("fr", "épuisé", &["availability=out_of_stock"]),
        ("fr", "en stock", &["availability=in_stock"]),
        (
            "es",
            "solo quedan 3",
            &["stock_quantity=3", "availability=low_stock"],
        ),
        ("es", "agotado", &["availability=out_of_stock"]),
        ("es", "disponible en tienda", &["availability=in_stock"]),
    ]);
}

#[test]
fn unit_prices() {
    check(&[
        ("it", "2,45 €/kg", &["unit_price=2.45 EUR per 1 kg"]),
        ("it", "€ 9,80 al kg", &["unit_price=9.80 EUR per 1 kg"]),
        ("it", "1,98 €/l", &["unit_price=1.98 EUR per 1 l"]),
        ("it", "0,99 € / 100 g", &["unit_price=0.99 EUR per 100 g"]),
        ("it", "12,50 €/m²", &["unit_price=12.50 EUR per 1 m2"]),
        ("it", "3,20 € al litro", &["unit_price=3.20 EUR per 1 l"]),
        ("it", "€/kg 9,80", &["unit_price=9.80 EUR per 1 kg"]),
        ("en-GB", "£2.45/kg", &["unit_price=2.45 GBP per 1 kg"]),
        ("de", "2,45 € pro kg", &["unit_price=2.45 EUR per 1 kg"]),
        ("de", "1 kg = 2,45 €", &["price=2.45 EUR"]),
        ("fr", "2,45 € le kg", &["unit_price=2.45 EUR per 1 kg"]),
        ("es", "2,45 €/kg", &["unit_price=2.45 EUR per 1 kg"]),
    ]);
}

#[test]
fn a_whole_line() {
    check(&[(
        "it",
        "Notebook Acme 14: 719,20 € invece di 899,00 € (-20%), prezzo più basso negli ultimi 30 giorni: 899,00 €. Fino al 30/11, solo 3 disponibili!",
        &[
            "price=719.20 EUR",
            "reference_price=899.00 EUR",
            "percent_off=20",
            "reference_price=899.00 EUR",
            "valid_until=2026-11-30",
            "stock_quantity=3",
            "availability=low_stock",
        ],
    )]);
}

#[test]
fn near_misses_give_no_claim() {
    let none: &[&str] = &[];
    check(&[
        ("it", "tavolo 3x2 m", none),
        ("it", "tappeto 3 x 2 m", none),
        ("it", "cornice 30x20 cm", none),
        ("en", "screen 1920x1080", none),
        ("it", "misure 3x2x1", none),
        ("it", "chiamaci al +39 02 1234 5678", none),
        ("it", "tel. 02 123 456", none),
        ("en", "© 2024 Acme", none),
        ("it", "IVA 22%", none),
        ("it", "20% cotone", none),
        ("it", "1299", none),
        ("it", "modello 14 pollici, 16 GB", none),
        ("en", "version 1.2.3", none),
        ("it", "ordine n. 1.234.567.890.123.456.789", none),
        ("it", "spedizione gratuita", none),
        ("en", "free shipping on orders over 49", none),
        ("de", "19,99-24,99", none),
        ("it", "fino al 50% di sconto", none),
        ("en-GB", "up to £100 off", none),
        ("de", "bis zu 50 % Rabatt", none),
        ("fr", "jusqu'à -40 %", none),
        ("es", "hasta un 30% de descuento", none),
    ]);
}

#[test]
fn without_a_locale_the_ambiguous_is_unread_with_its_reason() {
    for (text, why) in [
        ("1.299 €", "locale"),
        ("€ 1,299", "locale"),
        ("$19.99", "region"),
        ("19,99 kr", "region"),
        ("14 899,00 €", "French"),
    ] {
        let got = extract(text, None);
        assert!(got.claims.is_empty(), "{text:?} gave {:?}", got.claims);
        assert_eq!(got.unread.len(), 1, "{text:?}: {:?}", got.unread);
        assert!(
            got.unread[0].reason.contains(why),
            "{text:?}: {:?}",
            got.unread
        );
        assert_eq!(got.unread[0].source, format!("0..{}", text.len()));
        assert_eq!(got.unread[0].text, text);
    }
    // The locale decides.
    assert_eq!(claims("it", "1.299 €"), ["price=1299.00 EUR"]);
    assert_eq!(claims("en", "1.299 €"), ["price=1.299 EUR"]);
    assert_eq!(claims("de-CH", "1.299 €"), ["price=1.299 EUR"]);
    // A day-month or month-day date without a locale, in English.
    let got = extract_at("until 5/6", None, today());
    assert!(got.claims.is_empty());
    assert!(got.unread[0].reason.contains("en-US"), "{:?}", got.unread);
    // A date without a year and no reference date.
    let got = extract("fino al 30/11", None);
    assert!(got.claims.is_empty());
    assert!(
        got.unread[0].reason.contains("extract_at"),
        "{:?}",
        got.unread
    );
    // A written year needs no reference date; the language of the phrase says day/month.
    assert_eq!(
        extract("fino al 30/11/2026", None)
            .claims
            .iter()
            .map(|c| c.value.value_text())
            .collect::<Vec<_>>(),
        ["2026-11-30"]
    );
    assert_eq!(
        extract("hasta el 5/12/2026", None).claims[0]
            .value
            .value_text(),
        "2026-12-05"
    );
    // A unit price that reads two ways.
    let got = extract("2,450 €/kg", None);
    assert!(got.claims.is_empty(), "{:?}", got.claims);
    assert!(got.unread[0].reason.contains("locale"), "{:?}", got.unread);
    // An amount without a currency where a price is announced.
    let got = extract("invece di 24,99", None);
    assert!(got.claims.is_empty());
    assert_eq!(got.unread[0].reason, "an amount without a currency");
}

#[test]
fn sources_are_the_byte_ranges_of_the_text() {
    let text = "Solo oggi: 1.299,00\u{a0}€ invece di 1.499 €, -13%";
    let got = read("it", text);
    let sources: Vec<&str> = got
        .claims
        .iter()
        .map(|c| {
            let (a, b) = c
                .source
                .as_deref()
                .and_then(|s| s.split_once(".."))
                .expect("a range");
            &text[a.parse::<usize>().expect("start")..b.parse::<usize>().expect("end")]
        })
        .collect();
    assert_eq!(sources, ["1.299,00\u{a0}€", "invece di 1.499 €", "-13%"]);
}

#[test]
fn json_shape() {
    let got = read("it", "-20% fino al 30/11");
    assert_eq!(
        serde_json::to_string(&got).expect("serialises"),
        r#"{"claims":[{"percent_off":"20","source":"0..4"},{"valid_until":"2026-11-30","source":"5..18"}],"unread":[]}"#
    );
}

#[test]
fn locales() {
    for good in [
        "it-IT", "it", "en-GB", "de-CH", "fr-FR", "es-ES", "en_us", "EN",
    ] {
        assert!(good.parse::<Locale>().is_ok(), "{good}");
    }
    for bad in ["", "pt-BR", "it-ITA", "it-1T", "english", "-IT"] {
        let err = bad.parse::<Locale>().expect_err(bad);
        assert!(err.to_string().contains(&format!("{bad:?}")), "{err}");
    }
    assert_eq!(
        "en_us".parse::<Locale>().expect("a locale").to_string(),
        "en-US"
    );
}

#[test]
fn too_large_a_text_is_refused_whole() {
    let text = "19,99 € ".repeat(unisono::limits::MAX_TEXT_BYTES / 8 + 1);
    let got = extract(&text, locale("it").as_ref());
    assert!(got.claims.is_empty());
    assert_eq!(got.unread.len(), 1);
    assert!(
        got.unread[0].reason.contains("at most 1048576"),
        "{:?}",
        got.unread[0].reason
    );
    // Just under the limit, every price is read.
    let text = "19,99 € ".repeat(unisono::limits::MAX_TEXT_BYTES / 10);
    assert_eq!(
        extract(&text, locale("it").as_ref()).claims.len(),
        unisono::limits::MAX_TEXT_BYTES / 10
    );
}

// ---------------------------------------------------------------------------------------------
// The price-string measurement of issue 4 on real data: `../shared/realdata/price-strings/
// price_parser_dev.json` (593 price strings scraped from shops; scrapinghub/price-parser's test
// cases, BSD-3-Clause). Skipped, with a message, where that folder is absent.
//
// Each record is read with [`parse_price`] and no locale (the record's own decimal-separator hint,
// where it has one, stands for a locale); the currency comes from the string, else from the
// record's currency hint ([`find_currency`]). Shares:
// - amount exact: the amount equals the expected one (numerically), or both say there is none;
// - amount and currency, over the records whose currency is identifiable (`€` is EUR; `$` alone,
//   `kr`, `Rs`, `C$`, ... are not).
//
// The `xfail` records (cases the upstream parser fails itself) are counted apart.
// ---------------------------------------------------------------------------------------------
mod real_data {
    use std::str::FromStr;

    use rust_decimal::Decimal;
    use serde_json::Value;
    use unisono::Currency;
    use unisono::extract::text::{Locale, find_currency, parse_price};

    const DATA: &str = "../shared/realdata/price-strings/price_parser_dev.json";

    /// The ISO code a record's `currency` field means, where it means one.
    fn identifiable(mark: &str) -> Option<&'static str> {
        Some(match mark {
            "€" | "EUR" | "euro" => "EUR",
            "£" | "GBP" => "GBP",
            "US$" => "USD",
            "A$" | "AU$" | "AUD" => "AUD",
            "R$" => "BRL",
            "NT$" => "TWD",
            "MX$" => "MXN",
            "SGD" => "SGD",
            "Kč" => "CZK",
            "zł" | "PLN" => "PLN",
            "руб." | "руб" | "₽" => "RUB",
            "грн." | "грн" => "UAH",
            "₫" => "VND",
            "원" => "KRW",
            "Rp" => "IDR",
            "lei" | "Lei" | "LEI" | "RON" => "RON",
            "CHF" => "CHF",
            "AED" => "AED",
            "DKK" => "DKK",
            "HUF" | "Ft" => "HUF",
            "KD" => "KWD",
            "TL" => "TRY",
            "₪" => "ILS",
            "฿" => "THB",
            "₹" => "INR",
            "лв." | "лв" => "BGN",
            "₼" => "AZN",
            "֏" => "AMD",
            "؋" => "AFN",
            "Nu." => "BTN",
            "FBu" => "BIF",
            "₱" => "PHP",
            "Fdj" => "DJF",
            "Nfk" => "ERN",
            "J$" => "JMD",
            "₭" => "LAK",
            "MOP$" => "MOP",
            "RM" => "MYR",
            "UM" => "MRU",
            "₮" => "MNT",
            "TSh" => "TZS",
            "TT$" => "TTD",
            "₺" => "TRY",
            "₴" => "UAH",
            "VT" => "VUV",
            "ZK" => "ZMW",
            "B/." => "PAB",
            "FG" => "GNF",
            "៛" => "KHR",
            _ => return None,
        })
    }

    #[derive(Default, Debug)]
    struct Tally {
        records: usize,
        amount_exact: usize,
        identifiable: usize,
        amount_and_currency: usize,
        misses: Vec<String>,
    }

    fn share(part: usize, whole: usize) -> f64 {
        if whole == 0 {
            return 0.0;
        }
        // Display only: the assertion below compares integers.
        part as f64 * 100.0 / whole as f64
    }

    fn measure(records: &[Value]) -> (Tally, Tally) {
        let (mut plain, mut xfail) = (Tally::default(), Tally::default());
        for record in records {
            let raw = record["price_raw"].as_str().unwrap_or("");
            let hint = record["currency_raw"].as_str().unwrap_or("");
            let expected: Option<Decimal> = record["amount"]
                .as_str()
                .map(|a| Decimal::from_str(a).expect("the data's amounts are decimals"));
            let locale: Option<Locale> = match record["decimal_separator"].as_str() {
                Some(".") => Some("en".parse().expect("a locale")),
                Some(",") => Some("it".parse().expect("a locale")),
                _ => None,
            };
            let read = parse_price(raw, locale.as_ref()).ok();
            let amount = read.as_ref().map(|r| r.amount);
            let currency: Option<Currency> = read
                .as_ref()
                .and_then(|r| r.currency)
                .or_else(|| find_currency(hint, locale.as_ref()));
            let tally = if record["xfail"].as_bool() == Some(true) {
                &mut xfail
            } else {
                &mut plain
            };
            tally.records += 1;
            let exact = match (amount, expected) {
                (Some(a), Some(e)) => a == e,
                (None, None) => true,
                _ => false,
            };
            if exact {
                tally.amount_exact += 1;
            }
            let want = record["currency"].as_str().and_then(identifiable);
            if let Some(code) = want {
                tally.identifiable += 1;
                if exact && currency.map(|c| c.to_string()).as_deref() == Some(code) {
                    tally.amount_and_currency += 1;
                } else {
                    tally.misses.push(format!(
                        "currency: {raw:?} (hint {hint:?}) -> {amount:?} {currency:?}, expected {expected:?} {code}"
                    ));
                }
            }
            if !exact {
                tally.misses.push(format!(
                    "amount: {raw:?} -> {:?}, expected {expected:?}",
                    parse_price(raw, locale.as_ref())
                ));
            }
        }
        (plain, xfail)
    }

    #[test]
    fn price_strings_from_real_shops() {
        let Ok(text) = std::fs::read_to_string(DATA) else {
            println!("skipped: {DATA} is absent (see ../shared/realdata/SOURCES.md)");
            return;
        };
        let records: Vec<Value> = serde_json::from_str(&text).expect("the data is a JSON array");
        assert_eq!(records.len(), 593, "the data set changed");
        let (plain, xfail) = measure(&records);
        for miss in &plain.misses {
            println!("miss {miss}");
        }
        for (name, t) in [("records", &plain), ("xfail", &xfail)] {
            println!(
                "{name}: {} records; amount exact {} ({:.1}%); amount and currency {} of {} identifiable ({:.1}%)",
                t.records,
                t.amount_exact,
                share(t.amount_exact, t.records),
                t.amount_and_currency,
                t.identifiable,
                share(t.amount_and_currency, t.identifiable)
            );
        }
        assert_eq!((plain.records, xfail.records), (526, 67));
        // The issue's target: at least 97% of the records outside the xfail group.
        assert!(
            plain.amount_exact * 100 >= plain.records * 97,
            "amount exact on {} of {} records, below 97%",
            plain.amount_exact,
            plain.records
        );
        assert!(
            plain.amount_and_currency * 100 >= plain.identifiable * 97,
            "amount and currency on {} of {} identifiable records, below 97%",
            plain.amount_and_currency,
            plain.identifiable
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Properties.
// ---------------------------------------------------------------------------------------------

/// Writes `amount` (two decimals) as a locale writes it: decimal point, thousands separator.
fn written(amount: Decimal, point: char, grouping: Option<char>, dash: bool) -> String {
    let text = format!("{amount:.2}");
    let (int, frac) = text.split_once('.').expect("two decimals");
    let mut grouped = String::new();
    for (k, c) in int.chars().enumerate() {
        if k > 0
            && (int.len() - k) % 3 == 0
            && let Some(g) = grouping
        {
            grouped.push(g);
        }
        grouped.push(c);
    }
    if dash && frac == "00" {
        format!("{grouped}{point}-")
    } else {
        format!("{grouped}{point}{frac}")
    }
}

const STYLES: &[(&str, char, Option<char>)] = &[
    ("it-IT", ',', Some('.')),
    ("de-DE", ',', Some('.')),
    ("es-ES", ',', Some('.')),
    ("fr-FR", ',', Some('\u{202f}')),
    ("fr-FR", ',', Some('\u{a0}')),
    ("fr-FR", ',', Some(' ')),
    ("en-GB", '.', Some(',')),
    ("en-IE", '.', None),
    ("de-CH", '.', Some('\'')),
    ("de-CH", '.', Some('’')),
    ("it", ',', None),
];

proptest! {
    #[test]
    fn any_amount_in_any_locale_style_reads_back_exactly(
        cents in 0i64..100_000_000_000,
        style in 0..STYLES.len(),
        symbol_first in any::<bool>(),
        dash in any::<bool>(),
    ) {
        let (tag, point, grouping) = STYLES[style];
        let amount = Decimal::new(cents, 2);
        let number = written(amount, point, grouping, dash);
        let text = if symbol_first { format!("€ {number}") } else { format!("{number} €") };
        let locale: Locale = tag.parse().expect("a locale");
        let got = extract(&text, Some(&locale));
        prop_assert_eq!(got.claims.len(), 1, "{:?}: {:?}", text, got);
        let money = got.claims[0].value.money().expect("money");
        prop_assert_eq!(money.amount(), amount, "{:?}", text);
        prop_assert_eq!(money.currency().to_string(), "EUR");
        // Two decimals, or `,-`, say which separator is the decimal point: no locale is needed.
        let whole = parse_price(&text, None);
        prop_assert_eq!(whole.map(|r| r.amount).ok(), Some(amount), "{:?}", text);
    }

    #[test]
    fn any_text_reads_without_panic_and_sources_are_ranges_of_it(text in ".{0,200}", tag in 0..STYLES.len() + 1) {
        let locale = STYLES.get(tag).map(|s| s.0.parse::<Locale>().expect("a locale"));
        let got = extract_at(&text, locale.as_ref(), NaiveDate::from_ymd_opt(2026, 11, 22).expect("a date"));
        for claim in &got.claims {
            let json = serde_json::to_string(claim).expect("a claim serialises");
            let back: unisono::Claim = serde_json::from_str(&json).expect("a claim reads back");
            prop_assert_eq!(&back, claim, "{}", json);
        }
        let sources = got.claims.iter().filter_map(|c| c.source.clone()).chain(got.unread.iter().map(|u| u.source.clone()));
        for source in sources {
            let (a, b) = source.split_once("..").expect("start..end");
            let (a, b): (usize, usize) = (a.parse().expect("start"), b.parse().expect("end"));
            prop_assert!(a < b && b <= text.len(), "{source} in {text:?}");
            prop_assert!(text.is_char_boundary(a) && text.is_char_boundary(b), "{source} in {text:?}");
        }
        let _ = parse_price(&text, locale.as_ref());
    }

    #[test]
    fn texts_of_price_words_read_without_panic(
        words in proptest::collection::vec(prop::sample::select(vec![
            "19,99", "1.299", "€", "$", "£", "-", "%", "x", "3", "2", "/", "kg", "al", "fino", "al", "30/11",
            "bis", "30.11.", "prendi", "paghi", "solo", "disponibili", "invece", "di", "was", "now", ",", ".", "'",
            "\u{a0}", " ", "dal", "1", "15", "dicembre", "sconto", "del", "20", "Rabatt", "only", "left", "-", "–",
        ]), 0..40),
        tag in 0..STYLES.len() + 1,
    ) {
        let text: String = words.concat();
        let locale = STYLES.get(tag).map(|s| s.0.parse::<Locale>().expect("a locale"));
        let got = extract_at(&text, locale.as_ref(), NaiveDate::from_ymd_opt(2026, 11, 22).expect("a date"));
        for c in &got.claims {
            let (a, b) = c.source.as_deref().and_then(|s| s.split_once("..")).expect("a range");
            let (a, b): (usize, usize) = (a.parse().expect("start"), b.parse().expect("end"));
            prop_assert!(a < b && b <= text.len() && text.is_char_boundary(a) && text.is_char_boundary(b));
        }
    }
}
