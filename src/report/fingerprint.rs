//! Fingerprints (CONTRACT §14): the same problem found in two runs has the same fingerprint, so that
//! reports can be compared across runs (`unisono diff`).
//!
//! A fingerprint is the 128-bit FNV-1a hash (Fowler, Noll, Vo; IETF draft-eastlake-fnv), written as
//! 32 lowercase hex digits, of the finding's identity: its rule code, channel, product (SKU), the
//! ids of the renderings involved and the claim index. Each part is written with its length before
//! it, so that no two different identities are written as the same bytes. What a finding says
//! (expected, found, `at`, the message) is not part of it: a wrong price that changes from one wrong
//! value to another is the same problem, still there. FNV-1a is not a cryptographic hash: a
//! fingerprint identifies, it does not protect.

use crate::validate::Finding;

/// FNV-1a, 128 bits: the offset basis and prime of draft-eastlake-fnv §2.
const OFFSET: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
const PRIME: u128 = 0x0000_0000_0100_0000_0000_0000_0000_013b;

/// Names the encoding: a new one (other parts, another order) gets a new tag, not silently other
/// values for the same problem.
const VERSION: &[u8] = b"unisono.fingerprint.1";

struct Fnv(u128);

impl Fnv {
    fn bytes(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u128::from(*b);
            self.0 = self.0.wrapping_mul(PRIME);
        }
    }

    fn number(&mut self, n: u64) {
        self.bytes(&n.to_le_bytes());
    }

    /// A text, its length first.
    fn text(&mut self, text: &str) {
        self.number(text.len() as u64);
        self.bytes(text.as_bytes());
    }

    /// A text that may be absent: absent and empty differ.
    fn optional(&mut self, text: Option<&str>) {
        match text {
            None => self.bytes(&[0]),
            Some(text) => {
                self.bytes(&[1]);
                self.text(text);
            }
        }
    }
}

/// The fingerprint of a finding given by its parts: rule code, channel, product (SKU), the ids of
/// the renderings involved (one, or each of a cross-channel finding's) and the claim index.
///
/// ```
/// let fingerprint = unisono::report::fingerprint("price.mismatch", "email-it", Some("LAPTOP-14"),
///     &["newsletter-48/hero"], Some(0));
/// assert_eq!(fingerprint.len(), 32);
/// assert_ne!(fingerprint, unisono::report::fingerprint("price.mismatch", "email-it", Some("LAPTOP-14"),
///     &["newsletter-48/hero"], Some(1)));
/// ```
pub fn fingerprint(
    rule: &str,
    channel: &str,
    product: Option<&str>,
    renderings: &[&str],
    claim: Option<usize>,
) -> String {
    let mut hash = Fnv(OFFSET);
    hash.text(std::str::from_utf8(VERSION).unwrap_or_default());
    hash.text(rule);
    hash.text(channel);
    hash.optional(product);
    hash.number(renderings.len() as u64);
    for id in renderings {
        hash.text(id);
    }
    match claim {
        None => hash.bytes(&[0]),
        Some(i) => {
            hash.bytes(&[1]);
            hash.number(i as u64);
        }
    }
    format!("{:032x}", hash.0)
}

impl Finding {
    /// Its fingerprint (CONTRACT §14): see [`fingerprint`](crate::report::fingerprint).
    ///
    /// ```
    /// let catalog = unisono::Catalog::from_json(include_str!("../../examples/data/catalog.json"))?;
    /// let rendering: unisono::Rendering = serde_json::from_str(r#"{"id": "hero", "channel": "email-it",
    ///   "sku": "LAPTOP-14", "shown": {"at": "2026-11-28T07:00:00+01:00"}, "claims": [{"price": "729.00 EUR"}]}"#)?;
    /// let finding = &unisono::validate(&catalog, &rendering)[0];
    /// assert_eq!(finding.fingerprint(), unisono::report::fingerprint("price.mismatch", "email-it",
    ///     Some("LAPTOP-14"), &["hero"], Some(0)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn fingerprint(&self) -> String {
        let single = [self.rendering.as_str()];
        let many: Vec<&str>;
        let renderings: &[&str] = if self.renderings.is_empty() {
            &single
        } else {
            many = self.renderings.iter().map(String::as_str).collect();
            &many
        };
        fingerprint(
            self.rule.code(),
            &self.channel,
            self.sku.as_deref(),
            renderings,
            self.claim,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::fingerprint;

    /// The published FNV-1a 128 test vectors (draft-eastlake-fnv, appendix): the hash itself is right.
    #[test]
    fn fnv1a_128_matches_the_published_vectors() {
        let hash = |text: &str| {
            let mut h = super::Fnv(super::OFFSET);
            h.bytes(text.as_bytes());
            format!("{:032x}", h.0)
        };
        assert_eq!(hash(""), "6c62272e07bb014262b821756295c58d");
        assert_eq!(hash("a"), "d228cb696f1a8caf78912b704e4a8964");
        assert_eq!(hash("foobar"), "343e1662793c64bf6f0d3597ba446f18");
    }

    /// A fingerprint never changes: reports of past runs hold it. Changing this value breaks every
    /// user's history; a new encoding needs a new `VERSION` and a note in CONTRACT §14.
    #[test]
    fn a_fingerprint_is_stable_across_releases() {
        assert_eq!(
            fingerprint(
                "price.mismatch",
                "email-it",
                Some("LAPTOP-14"),
                &["newsletter-48/hero"],
                Some(0)
            ),
            "6e026790d3e0e280b8762e140617dca8"
        );
    }

    #[test]
    fn each_part_counts_and_parts_do_not_run_together() {
        let base = fingerprint("price.mismatch", "web-it", Some("A"), &["r"], Some(0));
        let others = [
            fingerprint(
                "price.member_mismatch",
                "web-it",
                Some("A"),
                &["r"],
                Some(0),
            ),
            fingerprint("price.mismatch", "app-it", Some("A"), &["r"], Some(0)),
            fingerprint("price.mismatch", "web-it", Some("B"), &["r"], Some(0)),
            fingerprint("price.mismatch", "web-it", None, &["r"], Some(0)),
            fingerprint("price.mismatch", "web-it", Some(""), &["r"], Some(0)),
            fingerprint("price.mismatch", "web-it", Some("A"), &["s"], Some(0)),
            fingerprint("price.mismatch", "web-it", Some("A"), &["r", "s"], Some(0)),
            fingerprint("price.mismatch", "web-it", Some("A"), &["r"], Some(1)),
            fingerprint("price.mismatch", "web-it", Some("A"), &["r"], None),
            // The same bytes cut elsewhere.
            fingerprint("price.mismatch", "web-itA", Some(""), &["r"], Some(0)),
            fingerprint("price.mismatch", "web-it", Some("A"), &["", "r"], Some(0)),
        ];
        for other in &others {
            assert_ne!(&base, other);
        }
    }
}
