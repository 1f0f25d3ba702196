//! Money: a decimal amount in an ISO 4217 currency, never a float.
//!
//! The text form is the one Google Merchant Center uses: the amount, one space, the currency code
//! (`"899.00 EUR"`, `"1299 JPY"`). Every lossy step names its rounding; the only rounding a shop
//! prints is half away from zero to the currency's minor unit ([`Money::round_to_minor`]).

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The largest amount unisono accepts, in major units: 10^15. Far above any price, and low enough
/// that percentages and quantities multiplied by it never overflow a `Decimal`.
pub const MAX_AMOUNT: Decimal = Decimal::from_parts(0x_A4C6_8000, 0x_0003_8D7E, 0, false, 0);

/// An ISO 4217 currency that has a minor unit (EUR, USD, JPY, KWD, ...).
///
/// ```
/// use unisono::Currency;
/// let eur: Currency = "EUR".parse()?;
/// assert_eq!(eur.minor_units(), 2);
/// assert_eq!("JPY".parse::<Currency>()?.minor_units(), 0);
/// # Ok::<(), unisono::MoneyError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Currency {
    code: [u8; 3],
    minor_units: u8,
}

/// Active ISO 4217 codes and the number of digits of their minor unit (ISO 4217 list one).
/// Funds and precious metals without a minor unit (XAU, XDR, ...) are left out: nothing is priced in them.
const CURRENCIES: &[(&str, u8)] = &[
    ("AED", 2),
    ("AFN", 2),
    ("ALL", 2),
    ("AMD", 2),
    ("ANG", 2),
    ("AOA", 2),
    ("ARS", 2),
    ("AUD", 2),
    ("AWG", 2),
    ("AZN", 2),
    ("BAM", 2),
    ("BBD", 2),
    ("BDT", 2),
    ("BGN", 2),
    ("BHD", 3),
    ("BIF", 0),
    ("BMD", 2),
    ("BND", 2),
    ("BOB", 2),
    ("BOV", 2),
    ("BRL", 2),
    ("BSD", 2),
    ("BTN", 2),
    ("BWP", 2),
    ("BYN", 2),
    ("BZD", 2),
    ("CAD", 2),
    ("CDF", 2),
    ("CHE", 2),
    ("CHF", 2),
    ("CHW", 2),
    ("CLF", 4),
    ("CLP", 0),
    ("CNY", 2),
    ("COP", 2),
    ("COU", 2),
    ("CRC", 2),
    ("CUP", 2),
    ("CVE", 2),
    ("CZK", 2),
    ("DJF", 0),
    ("DKK", 2),
    ("DOP", 2),
    ("DZD", 2),
    ("EGP", 2),
    ("ERN", 2),
    ("ETB", 2),
    ("EUR", 2),
    ("FJD", 2),
    ("FKP", 2),
    ("GBP", 2),
    ("GEL", 2),
    ("GHS", 2),
    ("GIP", 2),
    ("GMD", 2),
    ("GNF", 0),
    ("GTQ", 2),
    ("GYD", 2),
    ("HKD", 2),
    ("HNL", 2),
    ("HTG", 2),
    ("HUF", 2),
    ("IDR", 2),
    ("ILS", 2),
    ("INR", 2),
    ("IQD", 3),
    ("IRR", 2),
    ("ISK", 0),
    ("JMD", 2),
    ("JOD", 3),
    ("JPY", 0),
    ("KES", 2),
    ("KGS", 2),
    ("KHR", 2),
    ("KMF", 0),
    ("KPW", 2),
    ("KRW", 0),
    ("KWD", 3),
    ("KYD", 2),
    ("KZT", 2),
    ("LAK", 2),
    ("LBP", 2),
    ("LKR", 2),
    ("LRD", 2),
    ("LSL", 2),
    ("LYD", 3),
    ("MAD", 2),
    ("MDL", 2),
    ("MGA", 2),
    ("MKD", 2),
    ("MMK", 2),
    ("MNT", 2),
    ("MOP", 2),
    ("MRU", 2),
    ("MUR", 2),
    ("MVR", 2),
    ("MWK", 2),
    ("MXN", 2),
    ("MXV", 2),
    ("MYR", 2),
    ("MZN", 2),
    ("NAD", 2),
    ("NGN", 2),
    ("NIO", 2),
    ("NOK", 2),
    ("NPR", 2),
    ("NZD", 2),
    ("OMR", 3),
    ("PAB", 2),
    ("PEN", 2),
    ("PGK", 2),
    ("PHP", 2),
    ("PKR", 2),
    ("PLN", 2),
    ("PYG", 0),
    ("QAR", 2),
    ("RON", 2),
    ("RSD", 2),
    ("RUB", 2),
    ("RWF", 0),
    ("SAR", 2),
    ("SBD", 2),
    ("SCR", 2),
    ("SDG", 2),
    ("SEK", 2),
    ("SGD", 2),
    ("SHP", 2),
    ("SLE", 2),
    ("SOS", 2),
    ("SRD", 2),
    ("SSP", 2),
    ("STN", 2),
    ("SVC", 2),
    ("SYP", 2),
    ("SZL", 2),
    ("THB", 2),
    ("TJS", 2),
    ("TMT", 2),
    ("TND", 3),
    ("TOP", 2),
    ("TRY", 2),
    ("TTD", 2),
    ("TWD", 2),
    ("TZS", 2),
    ("UAH", 2),
    ("UGX", 0),
    ("USD", 2),
    ("USN", 2),
    ("UYI", 0),
    ("UYU", 2),
    ("UYW", 4),
    ("UZS", 2),
    ("VED", 2),
    ("VES", 2),
    ("VND", 0),
    ("VUV", 0),
    ("WST", 2),
    ("XAF", 0),
    ("XCD", 2),
    ("XCG", 2),
    ("XOF", 0),
    ("XPF", 0),
    ("YER", 2),
    ("ZAR", 2),
    ("ZMW", 2),
    ("ZWG", 2),
];

/// A three-letter code as one integer, ordered as the codes are.
const fn currency_key(code: [u8; 3]) -> u32 {
    ((code[0] as u32) << 16) | ((code[1] as u32) << 8) | code[2] as u32
}

/// The keys of [`CURRENCIES`], in the same (sorted) order.
// Evaluated at compile time, where an index out of range fails the build.
#[allow(clippy::indexing_slicing)]
const CURRENCY_KEYS: [u32; CURRENCIES.len()] = {
    let mut keys = [0; CURRENCIES.len()];
    let mut i = 0;
    while i < CURRENCIES.len() {
        let code = CURRENCIES[i].0.as_bytes();
        keys[i] = currency_key([code[0], code[1], code[2]]);
        i += 1;
    }
    keys
};

impl Currency {
    /// The euro, the currency of the demo market.
    pub const EUR: Currency = Currency {
        code: *b"EUR",
        minor_units: 2,
    };

    /// Looks a three-letter code up in the ISO 4217 table.
    ///
    /// # Errors
    /// [`MoneyError::UnknownCurrency`] when the code is not an active ISO 4217 code with a minor unit.
    pub fn from_code(code: &str) -> Result<Currency, MoneyError> {
        // One integer per code, searched in a table built at compile time: this runs for every
        // amount read.
        <[u8; 3]>::try_from(code.as_bytes())
            .ok()
            .and_then(|three| {
                let i = CURRENCY_KEYS.binary_search(&currency_key(three)).ok()?;
                let &(_, minor_units) = CURRENCIES.get(i)?;
                Some(Currency {
                    code: three,
                    minor_units,
                })
            })
            .ok_or_else(|| MoneyError::UnknownCurrency {
                code: code.to_owned(),
            })
    }

    /// The three-letter code, e.g. `"EUR"`.
    pub fn code(&self) -> &str {
        // The bytes come from the table above, which is ASCII.
        std::str::from_utf8(&self.code).unwrap_or("???")
    }

    /// Digits after the decimal point of the minor unit: 2 for EUR, 0 for JPY, 3 for KWD.
    pub fn minor_units(&self) -> u32 {
        u32::from(self.minor_units)
    }

    /// The smallest positive amount: one minor unit (0.01 EUR, 1 JPY).
    pub fn minor_unit(&self) -> Decimal {
        Decimal::new(1, self.minor_units())
    }
}

impl FromStr for Currency {
    type Err = MoneyError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Currency::from_code(s)
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl fmt::Debug for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A problem with a money amount or a currency.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    /// The text is not `AMOUNT CODE` with one space.
    #[error(
        "{} is not money: expected an amount, one space and an ISO 4217 code, like \"899.00 EUR\"", crate::limits::Quoted(.input)
    )]
    Syntax {
        /// The text as given.
        input: String,
    },
    /// The code is not an active ISO 4217 currency.
    #[error("{} is not an ISO 4217 currency code", crate::limits::Quoted(.code))]
    UnknownCurrency {
        /// The code as given.
        code: String,
    },
    /// The amount has more decimals than the currency's minor unit (only where exactness is required).
    #[error("{} has {decimals} decimals, {currency} has {minor_units}", crate::limits::Quoted(.input))]
    TooManyDecimals {
        /// The text as given.
        input: String,
        /// Decimals written.
        decimals: u32,
        /// The currency.
        currency: Currency,
        /// Decimals its minor unit has.
        minor_units: u32,
    },
    /// The amount is larger than [`MAX_AMOUNT`].
    #[error("{} is out of range: amounts are at most 10^15", crate::limits::Quoted(.input))]
    OutOfRange {
        /// The text as given.
        input: String,
    },
    /// Two amounts of different currencies were combined.
    #[error("cannot combine {left} with {right}")]
    CurrencyMismatch {
        /// Currency of the left operand.
        left: Currency,
        /// Currency of the right operand.
        right: Currency,
    },
}

/// An amount of money in one currency.
///
/// Equality and order compare the amount numerically (`899 EUR == 899.00 EUR`); amounts of different
/// currencies are never equal and are not ordered.
///
/// ```
/// use unisono::Money;
/// let price: Money = "899.00 EUR".parse()?;
/// let discounted = price.percent_off("20".parse()?)?;
/// assert_eq!(discounted.to_string(), "719.20 EUR");
/// assert_eq!("1299 JPY".parse::<Money>()?.to_string(), "1299 JPY");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy)]
pub struct Money {
    amount: Decimal,
    currency: Currency,
}

impl Money {
    /// Money from an amount and a currency, as given (no rounding).
    ///
    /// # Errors
    /// [`MoneyError::OutOfRange`] when `|amount|` exceeds [`MAX_AMOUNT`].
    pub fn new(amount: Decimal, currency: Currency) -> Result<Money, MoneyError> {
        if amount.abs() > MAX_AMOUNT {
            return Err(MoneyError::OutOfRange {
                input: format!("{amount} {currency}"),
            });
        }
        Ok(Money { amount, currency })
    }

    /// Parses `"899.00 EUR"` and insists the amount fits the currency's minor unit, as catalog prices must.
    ///
    /// ```
    /// use unisono::{Money, MoneyError};
    /// assert!(Money::parse_exact("12.34 EUR").is_ok());
    /// let err = Money::parse_exact("12.345 EUR").unwrap_err();
    /// assert_eq!(err.to_string(), "\"12.345 EUR\" has 3 decimals, EUR has 2");
    /// ```
    ///
    /// # Errors
    /// Every [`MoneyError`] of [`Money::from_str`], and [`MoneyError::TooManyDecimals`].
    pub fn parse_exact(input: &str) -> Result<Money, MoneyError> {
        let money: Money = input.parse()?;
        let minor_units = money.currency.minor_units();
        let decimals = money.amount.scale();
        if decimals > minor_units {
            return Err(MoneyError::TooManyDecimals {
                input: input.to_owned(),
                decimals,
                currency: money.currency,
                minor_units,
            });
        }
        Ok(money)
    }

    /// The amount in major units (euros, not cents).
    pub fn amount(&self) -> Decimal {
        self.amount
    }

    /// The currency.
    pub fn currency(&self) -> Currency {
        self.currency
    }

    /// Rounds to the currency's minor unit, half away from zero: the rounding shops print
    /// (`0.125 EUR` → `0.13 EUR`, `-0.125 EUR` → `-0.13 EUR`).
    pub fn round_to_minor(&self) -> Money {
        let amount = self.amount.round_dp_with_strategy(
            self.currency.minor_units(),
            RoundingStrategy::MidpointAwayFromZero,
        );
        Money {
            amount,
            currency: self.currency,
        }
    }

    /// Whether the amount has no more decimals than the currency's minor unit.
    pub fn is_exact(&self) -> bool {
        self.amount.normalize().scale() <= self.currency.minor_units()
    }

    /// The sum of two amounts of one currency.
    ///
    /// # Errors
    /// [`MoneyError::CurrencyMismatch`], or [`MoneyError::OutOfRange`] past [`MAX_AMOUNT`].
    pub fn checked_add(&self, other: Money) -> Result<Money, MoneyError> {
        self.same_currency(other)?;
        Money::new(self.amount + other.amount, self.currency)
    }

    /// The difference of two amounts of one currency.
    ///
    /// # Errors
    /// [`MoneyError::CurrencyMismatch`], or [`MoneyError::OutOfRange`] past [`MAX_AMOUNT`].
    pub fn checked_sub(&self, other: Money) -> Result<Money, MoneyError> {
        self.same_currency(other)?;
        Money::new(self.amount - other.amount, self.currency)
    }

    /// This amount reduced by `percent` per cent, rounded to the minor unit half away from zero.
    ///
    /// # Errors
    /// [`MoneyError::OutOfRange`] for a percent that would push the amount past [`MAX_AMOUNT`].
    pub fn percent_off(&self, percent: Decimal) -> Result<Money, MoneyError> {
        let out_of_range = || MoneyError::OutOfRange {
            input: format!("{self} - {percent}%"),
        };
        let factor = Decimal::ONE_HUNDRED
            .checked_sub(percent)
            .and_then(|f| f.checked_div(Decimal::ONE_HUNDRED))
            .ok_or_else(out_of_range)?;
        let amount = self.amount.checked_mul(factor).ok_or_else(out_of_range)?;
        Money::new(amount, self.currency).map(|m| m.round_to_minor())
    }

    /// `self / other × 100`: the share `other` is of `self`, in per cent, unrounded.
    /// `None` when `self` is zero or the currencies differ.
    pub fn percent_of(&self, part: Money) -> Option<Decimal> {
        if self.currency != part.currency || self.amount.is_zero() {
            return None;
        }
        part.amount
            .checked_mul(Decimal::ONE_HUNDRED)?
            .checked_div(self.amount)
    }

    fn same_currency(&self, other: Money) -> Result<(), MoneyError> {
        if self.currency == other.currency {
            Ok(())
        } else {
            Err(MoneyError::CurrencyMismatch {
                left: self.currency,
                right: other.currency,
            })
        }
    }
}

impl FromStr for Money {
    type Err = MoneyError;

    /// Parses `AMOUNT CODE`: an optional `-`, digits, optionally `.` and digits, one space, an ISO 4217
    /// code. No thousands separators, no exponent, no symbol: this is the machine form.
    fn from_str(input: &str) -> Result<Self, Self::Err> {
        Money::parse_plain(input).map_or_else(|| Money::parse_general(input), Ok)
    }
}

impl Money {
    /// [`Money::from_str`] for every text, with Decimal's general parser.
    fn parse_general(input: &str) -> Result<Money, MoneyError> {
        let syntax = || MoneyError::Syntax {
            input: input.to_owned(),
        };
        let (amount, code) = input.split_once(' ').ok_or_else(syntax)?;
        let digits = amount.strip_prefix('-').unwrap_or(amount);
        let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
        let well_formed = !int.is_empty()
            && int.bytes().all(|b| b.is_ascii_digit())
            && (frac.bytes().all(|b| b.is_ascii_digit()))
            && (!frac.is_empty() || !digits.ends_with('.'))
            && code.len() == 3
            && code.bytes().all(|b| b.is_ascii_uppercase());
        if !well_formed {
            return Err(syntax());
        }
        let currency = Currency::from_code(code)?;
        // 16 integer digits or 28 significant digits already exceed MAX_AMOUNT or Decimal's precision.
        let significant = int.trim_start_matches('0').len();
        if significant > 16 || frac.len() > 20 {
            return Err(MoneyError::OutOfRange {
                input: input.to_owned(),
            });
        }
        let amount = Decimal::from_str_exact(amount).map_err(|_| syntax())?;
        Money::new(amount, currency).map_err(|_| MoneyError::OutOfRange {
            input: input.to_owned(),
        })
    }

    /// The common case of [`Money::from_str`] without Decimal's general parser: `DIGITS[.DIGITS]
    /// CODE`, at most 15 integer digits (so below [`MAX_AMOUNT`]) and 18 digits in all (so the
    /// digits fit an `i64`). `None` leaves the text to the general path, which also names errors.
    fn parse_plain(input: &str) -> Option<Money> {
        let (amount, code) = input.split_at_checked(input.len().checked_sub(4)?)?;
        let code = code.strip_prefix(' ')?;
        let (int, frac) = match amount.bytes().position(|b| b == b'.') {
            Some(dot) => (amount.get(..dot)?, amount.get(dot + 1..)?),
            None => (amount, ""),
        };
        let plain = (1..=15).contains(&int.len())
            && int.len() + frac.len() <= 18
            && (amount.len() == int.len() || !frac.is_empty());
        if !plain || !code.bytes().all(|b| b.is_ascii_uppercase()) {
            return None;
        }
        let mut mantissa: i64 = 0;
        for digit in int.bytes().chain(frac.bytes()) {
            if !digit.is_ascii_digit() {
                return None;
            }
            mantissa = mantissa * 10 + i64::from(digit - b'0');
        }
        let scale = u32::try_from(frac.len()).ok()?;
        let currency = Currency::from_code(code).ok()?;
        Some(Money {
            amount: Decimal::new(mantissa, scale),
            currency,
        })
    }
}

impl fmt::Display for Money {
    /// The amount with at least the currency's minor-unit decimals (`899.00 EUR`), more if it has more.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut amount = self.amount;
        let minor_units = self.currency.minor_units();
        if amount.scale() < minor_units {
            amount.rescale(minor_units);
        }
        write!(f, "{amount} {}", self.currency)
    }
}

impl fmt::Debug for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Money({self})")
    }
}

impl PartialEq for Money {
    fn eq(&self, other: &Self) -> bool {
        self.currency == other.currency && self.amount == other.amount
    }
}

impl Eq for Money {}

impl std::hash::Hash for Money {
    /// Consistent with `Eq`: `899 EUR` and `899.00 EUR` hash alike.
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.currency.hash(state);
        self.amount.normalize().hash(state);
    }
}

impl PartialOrd for Money {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        (self.currency == other.currency).then(|| self.amount.cmp(&other.amount))
    }
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        crate::text_serde::from_text(deserializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn eur(s: &str) -> Money {
        s.parse().expect("test literal is valid money")
    }

    #[test]
    fn table_is_sorted_and_unique() {
        assert!(CURRENCIES.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(CURRENCY_KEYS.windows(2).all(|w| w[0] < w[1]));
        for &(code, minor_units) in CURRENCIES {
            let currency = Currency::from_code(code).expect("every code of the table is known");
            assert_eq!((currency.code(), currency.minor_units), (code, minor_units));
        }
        for unknown in ["", "EU", "EURO", "eur", "ZZZ", "AAA", "ZZ\u{e9}"] {
            assert!(Currency::from_code(unknown).is_err(), "{unknown:?}");
        }
    }

    #[test]
    fn max_amount_is_ten_to_the_fifteen() {
        assert_eq!(MAX_AMOUNT, Decimal::from(1_000_000_000_000_000_i64));
    }

    #[test]
    fn parses_and_displays() {
        assert_eq!(eur("899 EUR").to_string(), "899.00 EUR");
        assert_eq!(eur("899.5 EUR").to_string(), "899.50 EUR");
        assert_eq!(eur("1299 JPY").to_string(), "1299 JPY");
        assert_eq!(eur("1.234 KWD").to_string(), "1.234 KWD");
        assert_eq!(eur("-3.10 EUR").to_string(), "-3.10 EUR");
        // A rendering's amount is read as written.
        assert_eq!(eur("12.345 EUR").to_string(), "12.345 EUR");
    }

    #[test]
    fn refuses_malformed_text() {
        for bad in [
            "",
            "899",
            "899.00",
            "899.00  EUR",
            "899,00 EUR",
            "€899",
            "899.00 eur",
            "899.00 EURO",
            "1,299.00 EUR",
            ".5 EUR",
            "5. EUR",
            "+5 EUR",
            "1e3 EUR",
            " 5 EUR",
            "5 EUR ",
            "--5 EUR",
        ] {
            assert!(
                matches!(bad.parse::<Money>(), Err(MoneyError::Syntax { .. })),
                "{bad:?} should be a syntax error"
            );
        }
        assert_eq!(
            "5.00 XYZ".parse::<Money>(),
            Err(MoneyError::UnknownCurrency { code: "XYZ".into() })
        );
        assert!(matches!(
            "99999999999999999999 EUR".parse::<Money>(),
            Err(MoneyError::OutOfRange { .. })
        ));
    }

    #[test]
    fn exactness_follows_the_minor_unit() {
        assert!(Money::parse_exact("5 JPY").is_ok());
        assert_eq!(
            Money::parse_exact("5.5 JPY").unwrap_err().to_string(),
            "\"5.5 JPY\" has 1 decimals, JPY has 0"
        );
        assert!(eur("1.230 EUR").is_exact());
        assert!(!eur("1.235 EUR").is_exact());
    }

    #[test]
    fn rounds_half_away_from_zero() {
        assert_eq!(eur("0.125 EUR").round_to_minor(), eur("0.13 EUR"));
        assert_eq!(eur("0.135 EUR").round_to_minor(), eur("0.14 EUR"));
        assert_eq!(eur("-0.125 EUR").round_to_minor(), eur("-0.13 EUR"));
        assert_eq!(eur("0.5 JPY").round_to_minor(), eur("1 JPY"));
    }

    #[test]
    fn percent_off_rounds_the_result() {
        assert_eq!(
            eur("899.00 EUR").percent_off(Decimal::from(20)),
            Ok(eur("719.20 EUR"))
        );
        // 10.01 × 0.5 = 5.005 → 5.01: the step's result is rounded, not the discount.
        assert_eq!(
            eur("10.01 EUR").percent_off(Decimal::from(50)),
            Ok(eur("5.01 EUR"))
        );
        assert_eq!(
            eur("19.99 EUR").percent_off(Decimal::new(125, 1)),
            Ok(eur("17.49 EUR"))
        );
    }

    #[test]
    fn arithmetic_refuses_mixed_currencies() {
        let err = eur("1 EUR").checked_add(eur("1 USD")).unwrap_err();
        assert_eq!(err.to_string(), "cannot combine EUR with USD");
        assert_eq!(
            eur("1 EUR").checked_sub(eur("0.25 EUR")),
            Ok(eur("0.75 EUR"))
        );
        assert_eq!(eur("1 EUR").partial_cmp(&eur("1 USD")), None);
    }

    /// Half away from zero computed on integers, independently of rust_decimal.
    fn reference_round(mantissa: i64, scale: u32, minor: u32) -> i64 {
        if scale <= minor {
            return mantissa * 10_i64.pow(minor - scale);
        }
        let div = 10_i64.pow(scale - minor);
        let (q, r) = (mantissa / div, (mantissa % div).abs());
        if 2 * r >= div {
            q + mantissa.signum()
        } else {
            q
        }
    }

    /// The amount's digits and scale, which `==` does not compare (`1.0 == 1.00`).
    fn written(money: Result<Money, MoneyError>) -> Result<(i128, u32, Currency), MoneyError> {
        money.map(|m| (m.amount.mantissa(), m.amount.scale(), m.currency))
    }

    #[test]
    fn the_plain_path_reads_what_the_general_one_does() {
        for text in [
            "719.20 EUR",
            "0.5 EUR",
            "007 JPY",
            "999999999999999.999 EUR",
            "1 KWD",
        ] {
            assert!(Money::parse_plain(text).is_some(), "{text}");
            assert_eq!(written(text.parse()), written(Money::parse_general(text)));
        }
        for text in [
            "1. EUR",
            ".5 EUR",
            "-1 EUR",
            "1000000000000000 EUR",
            "1 eur",
            "1  EUR",
            "1 EURO",
        ] {
            assert!(Money::parse_plain(text).is_none(), "{text}");
        }
    }

    proptest! {
        #[test]
        fn plain_and_general_paths_agree(text in r"-?[0-9]{0,17}(\.[0-9]{0,5})?( ([A-Z]{3}|EUR|JPY|[a-z]{3}))?|\PC{0,12}") {
            let plain = Money::parse_plain(&text);
            if let Some(money) = plain {
                prop_assert_eq!(written(Ok(money)), written(Money::parse_general(&text)));
            }
            prop_assert_eq!(written(text.parse()), written(Money::parse_general(&text)));
        }

        #[test]
        fn display_then_parse_is_identity(mantissa in -10_i64.pow(12)..10_i64.pow(12), code_ix in 0..CURRENCIES.len()) {
            let (code, minor) = CURRENCIES[code_ix];
            let currency = Currency::from_code(code).unwrap();
            let money = Money::new(Decimal::new(mantissa, u32::from(minor)), currency).unwrap();
            let text = money.to_string();
            prop_assert_eq!(Money::parse_exact(&text), Ok(money));
            prop_assert_eq!(text.parse::<Money>().unwrap().to_string(), text);
        }

        #[test]
        fn rounding_agrees_with_integer_reference(mantissa in -10_i64.pow(12)..10_i64.pow(12), scale in 0_u32..7, code_ix in 0..CURRENCIES.len()) {
            let (code, minor) = CURRENCIES[code_ix];
            let currency = Currency::from_code(code).unwrap();
            let money = Money::new(Decimal::new(mantissa, scale), currency).unwrap();
            let expected = Decimal::new(reference_round(mantissa, scale, u32::from(minor)), u32::from(minor));
            prop_assert_eq!(money.round_to_minor().amount(), expected);
        }
    }
}
