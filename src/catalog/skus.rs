//! The map from SKUs to products, looked up once per rendering validated. A SKU of up to
//! [`INLINE`] bytes (all of the generated and most real ones) is kept inside the hash table's
//! entry, so that a lookup reads the table and nothing else: with `Box<str>` keys it also read the
//! key's bytes from wherever the allocator put them, one more cache miss per rendering on a catalog
//! far bigger than the cache.

use rustc_hash::FxHashMap;

use super::ProductKey;

/// The longest SKU kept inline, in bytes.
const INLINE: usize = 23;

/// SKUs and their products.
#[derive(Debug, Clone, Default)]
pub(crate) struct SkuMap {
    short: FxHashMap<ShortSku, ProductKey>,
    long: FxHashMap<Box<str>, ProductKey>,
}

/// A SKU of at most [`INLINE`] bytes: its bytes, zero-padded, then its length in the last byte
/// (so that `"A"` and `"A\0"` differ), as three words to compare and hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct ShortSku([u64; 3]);

impl ShortSku {
    fn new(sku: &str) -> Option<ShortSku> {
        let bytes = sku.as_bytes();
        if bytes.len() > INLINE {
            return None;
        }
        let mut padded = [0_u8; INLINE + 1];
        padded.get_mut(..bytes.len())?.copy_from_slice(bytes);
        // At most INLINE bytes, so the length fits a byte.
        *padded.last_mut()? = bytes.len() as u8;
        let word = |i: usize| {
            padded
                .get(8 * i..8 * i + 8)
                .and_then(|w| <[u8; 8]>::try_from(w).ok())
                .map_or(0, u64::from_le_bytes)
        };
        Some(ShortSku([word(0), word(1), word(2)]))
    }

    #[cfg(test)]
    fn text(&self) -> String {
        let bytes: Vec<u8> = self.0.iter().flat_map(|w| w.to_le_bytes()).collect();
        let len = bytes.last().map_or(0, |&n| usize::from(n));
        String::from_utf8_lossy(bytes.get(..len).unwrap_or_default()).into_owned()
    }
}

impl SkuMap {
    /// The product of `sku`.
    pub(crate) fn get(&self, sku: &str) -> Option<ProductKey> {
        match ShortSku::new(sku) {
            Some(short) => self.short.get(&short).copied(),
            None => self.long.get(sku).copied(),
        }
    }

    /// Maps `sku` to `key`, replacing any key it had.
    pub(crate) fn insert(&mut self, sku: &str, key: ProductKey) {
        match ShortSku::new(sku) {
            Some(short) => self.short.insert(short, key),
            None => self.long.insert(sku.into(), key),
        };
    }

    pub(crate) fn len(&self) -> usize {
        self.short.len() + self.long.len()
    }

    /// Every SKU and its product, in no particular order.
    #[cfg(test)]
    pub(crate) fn iter(&self) -> impl Iterator<Item = (String, ProductKey)> {
        let short = self.short.iter().map(|(s, &k)| (s.text(), k));
        let long = self.long.iter().map(|(s, &k)| (s.to_string(), k));
        short.chain(long)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::{INLINE, SkuMap};
    use crate::catalog::ProductKey;

    proptest! {
        /// Whatever the SKUs (short, long, with NUL bytes, of every length around the inline
        /// limit), the map finds what a map of strings finds.
        #[test]
        fn finds_what_a_map_of_strings_finds(
            skus in prop::collection::vec(
                prop_oneof!["[A-Z0-9-]{0,30}", "A\u{0}{0,3}", "\\PC{20,26}"], 1..40),
            probes in prop::collection::vec("[A-Z0-9-]{0,30}", 0..20),
        ) {
            let mut map = SkuMap::default();
            let mut reference = std::collections::HashMap::new();
            for (i, sku) in skus.iter().enumerate() {
                let key = ProductKey(i as u32);
                map.insert(sku, key);
                reference.insert(sku.clone(), key);
            }
            prop_assert_eq!(map.len(), reference.len());
            for sku in skus.iter().chain(&probes) {
                prop_assert_eq!(map.get(sku), reference.get(sku).copied(), "{:?}", sku);
            }
            let mut listed: Vec<_> = map.iter().map(|(s, k)| (s, k.0)).collect();
            let mut expected: Vec<_> = reference.iter().map(|(s, k)| (s.clone(), k.0)).collect();
            listed.sort();
            expected.sort();
            prop_assert_eq!(listed, expected);
        }
    }

    #[test]
    fn the_limit_and_trailing_nuls_are_told_apart() {
        let mut map = SkuMap::default();
        let at_limit = "X".repeat(INLINE);
        let over = "X".repeat(INLINE + 1);
        for (i, sku) in ["A", "A\0", "", &at_limit, &over].into_iter().enumerate() {
            map.insert(sku, ProductKey(i as u32));
        }
        assert_eq!(map.get("A"), Some(ProductKey(0)));
        assert_eq!(map.get("A\0"), Some(ProductKey(1)));
        assert_eq!(map.get(""), Some(ProductKey(2)));
        assert_eq!(map.get(&at_limit), Some(ProductKey(3)));
        assert_eq!(map.get(&over), Some(ProductKey(4)));
        assert_eq!(map.get("A\0\0"), None);
        assert_eq!(map.len(), 5);
    }
}
