//! The currency marks of the Unicode CLDR as data: `cldr_marks.tsv`, written by
//! `tools/cldr_marks.py` from the CLDR (its header says which), read once.
//!
//! - every symbol any locale gives a currency legal tender today (`€`, `zł`, `Kč`, `₦`, `KSh`,
//!   `ден`, `ر.س`), and every one-word name (`euro`, `złotych`, `рублей`), lower case: marks are
//!   matched without regard to case;
//! - which currencies each region has (a mark of several currencies, `$` or `kr`, takes the one of
//!   the locale's region);
//! - the one currency a mark of several names where no region decides (`£`: GBP, its symbol in
//!   the CLDR's root locale);
//! - the decimal point of each currency's home locales where they agree (`NT$ 1,160` is 1160,
//!   `423.923 KD` is 423.923), and which currencies group thousands with a space in every home
//!   locale (`9 800 Kč`).

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

const DATA: &str = include_str!("cldr_marks.tsv");

/// One mark of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Entry {
    /// The mark, lower case.
    pub(super) mark: &'static str,
    /// The ISO codes it names, comma-separated.
    pub(super) codes: &'static str,
    /// A symbol (may stand before an amount) rather than a name (after it only).
    pub(super) symbol: bool,
}

pub(super) struct Table {
    marks: HashMap<&'static str, Entry>,
    regions: HashMap<&'static str, &'static str>,
    spaced: HashSet<&'static str>,
    points: HashMap<&'static str, char>,
    defaults: HashMap<&'static str, &'static str>,
    /// The longest mark, in bytes.
    pub(super) longest: usize,
}

pub(super) fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = Table {
            marks: HashMap::new(),
            regions: HashMap::new(),
            spaced: HashSet::new(),
            points: HashMap::new(),
            defaults: HashMap::new(),
            longest: 0,
        };
        for line in DATA.lines().filter(|l| !l.starts_with('#')) {
            let mut fields = line.split('\t');
            let (Some(key), Some(value)) = (fields.next(), fields.next()) else {
                continue;
            };
            if let Some(region) = key.strip_prefix('@') {
                table.regions.insert(region, value);
            } else if let Some(mark) = key.strip_prefix('!') {
                table.defaults.insert(mark, value);
            } else if let Some(code) = key.strip_prefix('%') {
                if let Some(point) = value.chars().next() {
                    table.points.insert(code, point);
                }
                if fields.next() == Some("space") {
                    table.spaced.insert(code);
                }
            } else {
                table.longest = table.longest.max(key.len());
                let symbol = fields.next() == Some("s");
                table.marks.insert(
                    key,
                    Entry {
                        mark: key,
                        codes: value,
                        symbol,
                    },
                );
            }
        }
        table
    })
}

impl Table {
    /// The entry of a mark, lower case.
    pub(super) fn get(&self, lower: &str) -> Option<Entry> {
        self.marks.get(lower).copied()
    }

    /// Every mark, lower case.
    pub(super) fn marks(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.marks.keys().copied()
    }

    /// The currencies legal tender in a region (`"US"`), comma-separated.
    pub(super) fn region(&self, region: &str) -> Option<&'static str> {
        self.regions.get(region).copied()
    }

    /// The currency a mark of several names where no region decides: the one whose symbol it is in
    /// the CLDR's root locale (`£` is GBP; `$` has none).
    pub(super) fn default(&self, mark: &str) -> Option<&'static str> {
        self.defaults.get(mark).copied()
    }

    /// The decimal point every home locale of the currency writes, where they agree.
    pub(super) fn decimal_point(&self, code: &str) -> Option<char> {
        self.points.get(code).copied()
    }

    /// Whether every home locale of the currency groups thousands with a space.
    pub(super) fn groups_with_space(&self, code: &str) -> bool {
        self.spaced.contains(code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_reads() {
        let t = table();
        assert_eq!(t.get("zł").map(|e| e.codes), Some("PLN"));
        assert_eq!(t.get("₦").map(|e| e.codes), Some("NGN"));
        assert!(t.get("$").is_some_and(|e| e.codes.split(',').count() > 10));
        assert_eq!(t.region("US"), Some("USD"));
        assert!(t.groups_with_space("CZK"));
        assert!(!t.groups_with_space("EUR"));
        assert_eq!(t.default("£"), Some("GBP"));
        assert_eq!(t.decimal_point("TWD"), Some('.'));
        assert_eq!(t.decimal_point("EUR"), None);
        assert_eq!(t.default("$"), None);
    }
}
