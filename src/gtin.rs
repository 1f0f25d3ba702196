//! GS1 Global Trade Item Numbers: GTIN-8, -12 (UPC-A), -13 (EAN) and -14, compared as GTIN-14.
//!
//! The check digit is the GS1 mod-10 sum: weights 3, 1, 3, ... from the rightmost data digit
//! (GS1 General Specifications §7.9.1).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A GTIN in its GTIN-14 normal form: `"8012345678901"` and `"08012345678901"` are the same GTIN.
///
/// ```
/// use unisono::Gtin;
/// let ean: Gtin = "4006381333931".parse()?;
/// assert_eq!(ean.to_string(), "04006381333931");
/// assert_eq!(ean, "04006381333931".parse()?);
/// assert!("4006381333932".parse::<Gtin>().is_err());
/// # Ok::<(), unisono::GtinError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Gtin(u64);

/// Why a text is not a GTIN.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GtinError {
    /// Not 8, 12, 13 or 14 ASCII digits.
    #[error("{} is not a GTIN: expected 8, 12, 13 or 14 digits", crate::limits::Quoted(.input))]
    Length {
        /// The text as given.
        input: String,
    },
    /// The last digit is not the GS1 check digit of the others.
    #[error("{} is not a GTIN: check digit is {found}, expected {expected}", crate::limits::Quoted(.input))]
    CheckDigit {
        /// The text as given.
        input: String,
        /// The last digit as written.
        found: u8,
        /// The check digit the other digits call for.
        expected: u8,
    },
}

impl Gtin {
    /// The GS1 check digit of `data`, the digits of a GTIN without its last one.
    /// Returns `None` unless `data` is all ASCII digits.
    ///
    /// ```
    /// assert_eq!(unisono::Gtin::check_digit("400638133393"), Some(1));
    /// ```
    pub fn check_digit(data: &str) -> Option<u8> {
        let mut sum = 0_u32;
        for (i, b) in data.bytes().rev().enumerate() {
            if !b.is_ascii_digit() {
                return None;
            }
            let weight = if i % 2 == 0 { 3 } else { 1 };
            sum += weight * u32::from(b - b'0');
        }
        // (10 - sum mod 10) mod 10 is below 10, so it fits a u8.
        Some(((10 - sum % 10) % 10) as u8)
    }

    /// The 14 digits of the normal form.
    pub fn digits(&self) -> String {
        format!("{:014}", self.0)
    }
}

impl FromStr for Gtin {
    type Err = GtinError;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let bytes = input.as_bytes();
        let length = || GtinError::Length {
            input: input.to_owned(),
        };
        let (&last, data) = bytes
            .split_last()
            .filter(|_| matches!(bytes.len(), 8 | 12 | 13 | 14))
            .ok_or_else(length)?;
        // One pass over the digits: the value and the check sum (weights 3, 1, 3, ... from the
        // rightmost data digit, so by the parity of the distance to the end).
        let (mut value, mut sum) = (0_u64, 0_u32);
        for (i, &b) in data.iter().enumerate() {
            let digit = b.wrapping_sub(b'0');
            if digit > 9 {
                return Err(length());
            }
            let weight = if (data.len() - i) % 2 == 1 { 3 } else { 1 };
            sum += weight * u32::from(digit);
            value = value * 10 + u64::from(digit);
        }
        let found = last.wrapping_sub(b'0');
        if found > 9 {
            return Err(length());
        }
        // (10 - sum mod 10) mod 10 is below 10, so it fits a u8.
        let expected = ((10 - sum % 10) % 10) as u8;
        if found != expected {
            return Err(GtinError::CheckDigit {
                input: input.to_owned(),
                found,
                expected,
            });
        }
        // At most 14 digits: far below u64::MAX.
        Ok(Gtin(value * 10 + u64::from(found)))
    }
}

impl fmt::Display for Gtin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:014}", self.0)
    }
}

impl fmt::Debug for Gtin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Gtin({:014})", self.0)
    }
}

impl Serialize for Gtin {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Gtin {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        crate::text_serde::from_text(deserializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn known_numbers() {
        // GS1's own examples and real packs.
        for valid in [
            "96385074",
            "036000291452",
            "4006381333931",
            "00012345600012",
            "8012345678907",
        ] {
            assert!(valid.parse::<Gtin>().is_ok(), "{valid} is valid");
        }
        // CONTRACT.md's sample "8012345678901" has the wrong check digit: 7 is right.
        assert!(matches!(
            "8012345678901".parse::<Gtin>(),
            Err(GtinError::CheckDigit { expected: 7, .. })
        ));
        assert_eq!(
            "4006381333932".parse::<Gtin>(),
            Err(GtinError::CheckDigit {
                input: "4006381333932".into(),
                found: 2,
                expected: 1
            })
        );
        for bad in [
            "",
            "123",
            "1234567",
            "12345678901",
            "400638133393a",
            "+4006381333931",
            "040063813339310",
        ] {
            assert!(
                matches!(bad.parse::<Gtin>(), Err(GtinError::Length { .. })),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn compares_as_gtin14() {
        let a: Gtin = "036000291452".parse().unwrap();
        let b: Gtin = "0036000291452".parse().unwrap();
        let c: Gtin = "00036000291452".parse().unwrap();
        assert_eq!((a, b), (c, c));
        assert_eq!(c.digits(), "00036000291452");
    }

    fn digits(len: usize) -> impl Strategy<Value = String> {
        proptest::collection::vec(0_u8..10, len)
            .prop_map(|d| d.iter().map(|x| char::from(b'0' + x)).collect())
    }

    /// The definition the one-pass parse must agree with: the length and digits, then
    /// [`Gtin::check_digit`] of the data, then the number.
    fn reference(input: &str) -> Result<Gtin, GtinError> {
        let bytes = input.as_bytes();
        let length = || GtinError::Length {
            input: input.to_owned(),
        };
        if !matches!(bytes.len(), 8 | 12 | 13 | 14) || !bytes.iter().all(u8::is_ascii_digit) {
            return Err(length());
        }
        let (data, last) = input.split_at(input.len() - 1);
        let found = last.as_bytes()[0] - b'0';
        let expected = Gtin::check_digit(data).unwrap();
        if found != expected {
            return Err(GtinError::CheckDigit {
                input: input.to_owned(),
                found,
                expected,
            });
        }
        input.parse::<u64>().map(Gtin).map_err(|_| length())
    }

    proptest! {
        /// Any text, and texts of GTIN lengths made mostly of digits: the same GTIN or the same
        /// error as the definition.
        #[test]
        fn parses_as_its_definition(
            text in prop_oneof![
                any::<String>(),
                "[0-9]{7,15}",
                "[0-9]{6,13}[0-9a+ /:\u{e9}]",
                "[/:0-9]{8}",
            ],
        ) {
            prop_assert_eq!(text.parse::<Gtin>(), reference(&text));
        }
    }

    proptest! {
        #[test]
        fn data_plus_check_digit_is_valid_and_any_single_change_is_not(
            data in prop_oneof![digits(7), digits(11), digits(12), digits(13)],
            position in any::<prop::sample::Index>(),
            delta in 1_u8..10,
        ) {
            let check = Gtin::check_digit(&data).unwrap();
            let full = format!("{data}{check}");
            prop_assert!(full.parse::<Gtin>().is_ok());

            let mut changed = full.clone().into_bytes();
            let i = position.index(changed.len());
            changed[i] = b'0' + (changed[i] - b'0' + delta) % 10;
            let changed = String::from_utf8(changed).unwrap();
            prop_assert!(changed.parse::<Gtin>().is_err(), "{} -> {} still valid", full, changed);
        }
    }
}
