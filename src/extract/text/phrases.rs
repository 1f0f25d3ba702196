//! The phrases of the five languages, folded (lower case, no accents), and what each announces.

use super::Language;
use crate::offer::Availability;

/// What a phrase announces, and what must follow it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Family {
    /// Money follows: the reference price.
    Reference,
    /// Money follows: the selling price ("now £15").
    Now,
    /// Money follows: the members' price.
    Member,
    /// A percentage or money follows: the reduction.
    Discount,
    /// A date follows: the end.
    Until,
    /// A percentage or money follows: "up to" it (no claim).
    UpTo,
    /// A date follows, or a day, a "to" word and a date: the start (and end).
    From,
    /// `#1` taken, `#2` paid.
    TakePay,
    /// `#1` bought, `#2` free: buy `#1 + #2`, pay `#1`.
    BuyGetFree,
    /// Only `#1` left.
    StockCount,
    /// The availability itself.
    Stock(Availability),
}

/// Phrases, folded (lower case, no accents); `#` is a number, a lone symbol is that symbol. Spaces,
/// colons, apostrophes and dashes between the elements are skipped.
pub(super) const PHRASES: &[(&str, Family, Language)] = &[
    // Reference prices (Omnibus, art. 6a of Directive 98/6/EC) and "was" prices.
    (
        "prezzo piu basso negli ultimi # giorni",
        Family::Reference,
        Language::It,
    ),
    (
        "prezzo piu basso degli ultimi # giorni",
        Family::Reference,
        Language::It,
    ),
    (
        "prezzo piu basso ultimi # giorni",
        Family::Reference,
        Language::It,
    ),
    ("prezzo precedente", Family::Reference, Language::It),
    ("prima", Family::Reference, Language::It),
    ("invece di", Family::Reference, Language::It),
    ("anziche", Family::Reference, Language::It),
    (
        "lowest price in the last # days",
        Family::Reference,
        Language::En,
    ),
    (
        "lowest price of the last # days",
        Family::Reference,
        Language::En,
    ),
    ("lowest price in # days", Family::Reference, Language::En),
    ("was", Family::Reference, Language::En),
    ("instead of", Family::Reference, Language::En),
    ("previous price", Family::Reference, Language::En),
    ("rrp", Family::Reference, Language::En),
    (
        "niedrigster preis der letzten # tage",
        Family::Reference,
        Language::De,
    ),
    (
        "niedrigster preis in den letzten # tagen",
        Family::Reference,
        Language::De,
    ),
    ("statt", Family::Reference, Language::De),
    ("anstatt", Family::Reference, Language::De),
    ("vorher", Family::Reference, Language::De),
    ("uvp", Family::Reference, Language::De),
    (
        "prix le plus bas des # derniers jours",
        Family::Reference,
        Language::Fr,
    ),
    (
        "prix le plus bas au cours des # derniers jours",
        Family::Reference,
        Language::Fr,
    ),
    ("au lieu de", Family::Reference, Language::Fr),
    ("avant", Family::Reference, Language::Fr),
    ("prix de reference", Family::Reference, Language::Fr),
    (
        "precio mas bajo de los ultimos # dias",
        Family::Reference,
        Language::Es,
    ),
    (
        "precio mas bajo en los ultimos # dias",
        Family::Reference,
        Language::Es,
    ),
    ("antes", Family::Reference, Language::Es),
    ("en lugar de", Family::Reference, Language::Es),
    ("precio anterior", Family::Reference, Language::Es),
    // The selling price, where a phrase says so.
    ("ora", Family::Now, Language::It),
    ("adesso", Family::Now, Language::It),
    ("now", Family::Now, Language::En),
    ("jetzt", Family::Now, Language::De),
    ("maintenant", Family::Now, Language::Fr),
    ("ahora", Family::Now, Language::Es),
    ("prezzo soci", Family::Member, Language::It),
    ("member price", Family::Member, Language::En),
    ("members price", Family::Member, Language::En),
    ("mitgliederpreis", Family::Member, Language::De),
    ("prix adherent", Family::Member, Language::Fr),
    ("precio socio", Family::Member, Language::Es),
    // Reductions led by a word.
    ("sconto del", Family::Discount, Language::It),
    ("sconto di", Family::Discount, Language::It),
    ("sconto", Family::Discount, Language::It),
    ("risparmi", Family::Discount, Language::It),
    ("save", Family::Discount, Language::En),
    ("spare", Family::Discount, Language::De),
    ("rabatt von", Family::Discount, Language::De),
    ("remise de", Family::Discount, Language::Fr),
    ("reduction de", Family::Discount, Language::Fr),
    ("economisez", Family::Discount, Language::Fr),
    ("descuento del", Family::Discount, Language::Es),
    ("descuento de", Family::Discount, Language::Es),
    ("ahorra", Family::Discount, Language::Es),
    // Validity.
    ("valido fino al", Family::Until, Language::It),
    ("valida fino al", Family::Until, Language::It),
    ("fino al", Family::Until, Language::It),
    ("fino a", Family::Until, Language::It),
    ("entro il", Family::Until, Language::It),
    ("valid until", Family::Until, Language::En),
    ("until", Family::Until, Language::En),
    ("till", Family::Until, Language::En),
    ("ends", Family::Until, Language::En),
    ("gultig bis", Family::Until, Language::De),
    ("nur bis", Family::Until, Language::De),
    ("bis zum", Family::Until, Language::De),
    ("bis", Family::Until, Language::De),
    ("valable jusqu au", Family::Until, Language::Fr),
    ("jusqu au", Family::Until, Language::Fr),
    ("valido hasta el", Family::Until, Language::Es),
    ("hasta el", Family::Until, Language::Es),
    ("hasta", Family::Until, Language::Es),
    ("fino al", Family::UpTo, Language::It),
    ("fino a", Family::UpTo, Language::It),
    ("up to", Family::UpTo, Language::En),
    ("bis zu", Family::UpTo, Language::De),
    ("jusqu a", Family::UpTo, Language::Fr),
    ("hasta el", Family::UpTo, Language::Es),
    ("hasta un", Family::UpTo, Language::Es),
    ("valida dal", Family::From, Language::It),
    ("valido dal", Family::From, Language::It),
    ("dal", Family::From, Language::It),
    ("valid from", Family::From, Language::En),
    ("from", Family::From, Language::En),
    ("gultig vom", Family::From, Language::De),
    ("vom", Family::From, Language::De),
    ("valable du", Family::From, Language::Fr),
    ("du", Family::From, Language::Fr),
    ("valido del", Family::From, Language::Es),
    ("desde el", Family::From, Language::Es),
    ("del", Family::From, Language::Es),
    // Multi-buys.
    ("prendi # paghi #", Family::TakePay, Language::It),
    ("compra # paghi #", Family::TakePay, Language::It),
    ("# per #", Family::TakePay, Language::It),
    ("# al prezzo di #", Family::TakePay, Language::It),
    ("# + # gratis", Family::BuyGetFree, Language::It),
    ("# + # in omaggio", Family::BuyGetFree, Language::It),
    ("buy # get # free", Family::BuyGetFree, Language::En),
    ("buy # pay #", Family::TakePay, Language::En),
    ("# for the price of #", Family::TakePay, Language::En),
    ("# for #", Family::TakePay, Language::En),
    ("# + # free", Family::BuyGetFree, Language::En),
    ("nimm # zahl #", Family::TakePay, Language::De),
    ("nimm # zahle #", Family::TakePay, Language::De),
    ("kaufe # zahle #", Family::TakePay, Language::De),
    ("# zum preis von #", Family::TakePay, Language::De),
    ("# fur #", Family::TakePay, Language::De),
    ("# pour le prix de #", Family::TakePay, Language::Fr),
    ("# pour #", Family::TakePay, Language::Fr),
    ("# achetes # offert", Family::BuyGetFree, Language::Fr),
    ("# achete # offert", Family::BuyGetFree, Language::Fr),
    ("achetez # payez #", Family::TakePay, Language::Fr),
    ("lleva # paga #", Family::TakePay, Language::Es),
    ("llevate # paga #", Family::TakePay, Language::Es),
    ("# por #", Family::TakePay, Language::Es),
    // Stock.
    ("solo # pezzi disponibili", Family::StockCount, Language::It),
    ("solo # disponibili", Family::StockCount, Language::It),
    ("ultimi # pezzi", Family::StockCount, Language::It),
    ("rimangono solo #", Family::StockCount, Language::It),
    ("only # left in stock", Family::StockCount, Language::En),
    ("only # left", Family::StockCount, Language::En),
    ("only # items left", Family::StockCount, Language::En),
    ("only # in stock", Family::StockCount, Language::En),
    ("nur noch # verfugbar", Family::StockCount, Language::De),
    ("nur noch # auf lager", Family::StockCount, Language::De),
    ("nur noch # stuck", Family::StockCount, Language::De),
    ("plus que # en stock", Family::StockCount, Language::Fr),
    ("il ne reste que #", Family::StockCount, Language::Fr),
    ("plus que # disponibles", Family::StockCount, Language::Fr),
    ("solo quedan #", Family::StockCount, Language::Es),
    ("quedan #", Family::StockCount, Language::Es),
    ("ultimas # unidades", Family::StockCount, Language::Es),
    ("solo # disponibles", Family::StockCount, Language::Es),
    (
        "esaurito",
        Family::Stock(Availability::OutOfStock),
        Language::It,
    ),
    (
        "esaurita",
        Family::Stock(Availability::OutOfStock),
        Language::It,
    ),
    (
        "non disponibile",
        Family::Stock(Availability::OutOfStock),
        Language::It,
    ),
    (
        "non piu disponibile",
        Family::Stock(Availability::OutOfStock),
        Language::It,
    ),
    (
        "out of stock",
        Family::Stock(Availability::OutOfStock),
        Language::En,
    ),
    (
        "sold out",
        Family::Stock(Availability::OutOfStock),
        Language::En,
    ),
    (
        "not available",
        Family::Stock(Availability::OutOfStock),
        Language::En,
    ),
    (
        "not in stock",
        Family::Stock(Availability::OutOfStock),
        Language::En,
    ),
    (
        "ausverkauft",
        Family::Stock(Availability::OutOfStock),
        Language::De,
    ),
    (
        "nicht verfugbar",
        Family::Stock(Availability::OutOfStock),
        Language::De,
    ),
    (
        "nicht lieferbar",
        Family::Stock(Availability::OutOfStock),
        Language::De,
    ),
    (
        "nicht auf lager",
        Family::Stock(Availability::OutOfStock),
        Language::De,
    ),
    (
        "epuise",
        Family::Stock(Availability::OutOfStock),
        Language::Fr,
    ),
    (
        "rupture de stock",
        Family::Stock(Availability::OutOfStock),
        Language::Fr,
    ),
    (
        "indisponible",
        Family::Stock(Availability::OutOfStock),
        Language::Fr,
    ),
    (
        "non disponible",
        Family::Stock(Availability::OutOfStock),
        Language::Fr,
    ),
    (
        "agotado",
        Family::Stock(Availability::OutOfStock),
        Language::Es,
    ),
    (
        "sin stock",
        Family::Stock(Availability::OutOfStock),
        Language::Es,
    ),
    (
        "no disponible",
        Family::Stock(Availability::OutOfStock),
        Language::Es,
    ),
    (
        "disponibile in negozio",
        Family::Stock(Availability::InStock),
        Language::It,
    ),
    (
        "disponibile",
        Family::Stock(Availability::InStock),
        Language::It,
    ),
    (
        "in stock",
        Family::Stock(Availability::InStock),
        Language::En,
    ),
    (
        "available in store",
        Family::Stock(Availability::InStock),
        Language::En,
    ),
    (
        "auf lager",
        Family::Stock(Availability::InStock),
        Language::De,
    ),
    (
        "lieferbar",
        Family::Stock(Availability::InStock),
        Language::De,
    ),
    (
        "verfugbar",
        Family::Stock(Availability::InStock),
        Language::De,
    ),
    (
        "en stock",
        Family::Stock(Availability::InStock),
        Language::Fr,
    ),
    (
        "disponible en magasin",
        Family::Stock(Availability::InStock),
        Language::Fr,
    ),
    (
        "disponible en tienda",
        Family::Stock(Availability::InStock),
        Language::Es,
    ),
    (
        "disponible",
        Family::Stock(Availability::InStock),
        Language::Es,
    ),
    (
        "ultimi pezzi",
        Family::Stock(Availability::LowStock),
        Language::It,
    ),
    (
        "only a few left",
        Family::Stock(Availability::LowStock),
        Language::En,
    ),
    (
        "few left",
        Family::Stock(Availability::LowStock),
        Language::En,
    ),
    (
        "nur noch wenige",
        Family::Stock(Availability::LowStock),
        Language::De,
    ),
    (
        "derniers articles",
        Family::Stock(Availability::LowStock),
        Language::Fr,
    ),
    (
        "ultimas unidades",
        Family::Stock(Availability::LowStock),
        Language::Es,
    ),
    (
        "preordina",
        Family::Stock(Availability::Preorder),
        Language::It,
    ),
    (
        "in preordine",
        Family::Stock(Availability::Preorder),
        Language::It,
    ),
    (
        "preorder",
        Family::Stock(Availability::Preorder),
        Language::En,
    ),
    (
        "pre order",
        Family::Stock(Availability::Preorder),
        Language::En,
    ),
    (
        "vorbestellen",
        Family::Stock(Availability::Preorder),
        Language::De,
    ),
    (
        "vorbestellbar",
        Family::Stock(Availability::Preorder),
        Language::De,
    ),
    (
        "precommande",
        Family::Stock(Availability::Preorder),
        Language::Fr,
    ),
    (
        "preventa",
        Family::Stock(Availability::Preorder),
        Language::Es,
    ),
    (
        "su ordinazione",
        Family::Stock(Availability::Backorder),
        Language::It,
    ),
    (
        "backorder",
        Family::Stock(Availability::Backorder),
        Language::En,
    ),
    (
        "on back order",
        Family::Stock(Availability::Backorder),
        Language::En,
    ),
    (
        "sur commande",
        Family::Stock(Availability::Backorder),
        Language::Fr,
    ),
    (
        "bajo pedido",
        Family::Stock(Availability::Backorder),
        Language::Es,
    ),
];

/// Words after a percentage or money that make it a reduction.
pub(super) const REDUCTION_AFTER: &[&str] = &[
    "di sconto",
    "sconto",
    "off",
    "discount",
    "rabatt",
    "nachlass",
    "de reduction",
    "de remise",
    "reduction",
    "remise",
    "de descuento",
    "descuento",
    "dto",
];

/// "To" words between the two dates of a range.
pub(super) const RANGE_TO: &[&str] = &[
    "al", "a", "to", "until", "till", "bis", "bis zum", "au", "jusqu au", "hasta el",
];

/// Words between a price and its unit (`al kg`, `per kg`, `pro kg`, `le kg`, `el kg`).
pub(super) const PER: &[&str] = &["al", "per", "pro", "le", "el", "a"];

/// Units of dimensions: `3x2 m` is a size, not a multi-buy.
pub(super) const SIZE_UNITS: &[&str] = &[
    "mm", "cm", "m", "km", "in", "ft", "px", "kg", "g", "l", "ml", "mt", "metri", "cl",
];
