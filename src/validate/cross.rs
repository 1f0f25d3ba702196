//! `cross.price_divergence`: the same product must show one price at one instant on every channel the
//! policy wants uniform, whatever each channel's own catalog price — the mission.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use super::{Finding, Rule, Severity, Validator, Value};
use crate::catalog::{ChannelKey, MarketKey, ProductKey};
use crate::money::Money;
use crate::rendering::{ClaimValue, Rendering};
use crate::time::Window;

/// One price one rendering shows, as the collector keeps it until `finish`: fixed-size, and made
/// where the rendering is checked (possibly on another thread), so that keeping it is a move.
struct Kept {
    key: (ProductKey, MarketKey),
    window: Window,
    price: Money,
    position: usize,
    claim: usize,
    channel: ChannelKey,
    /// The rendering's id.
    id: Text,
    /// The claim's source, if it has one (rare).
    source: Option<Box<str>>,
}

/// A text kept inline when it is short, as most rendering ids are, else on the heap: keeping one
/// costs no allocation, and reading it no look elsewhere in memory.
#[derive(Clone)]
pub(super) enum Text {
    Inline { len: u8, bytes: [u8; INLINE] },
    Heap(Box<str>),
}

/// How many prices [`CrossChannel`] keeps in one chunk (about 3.5 MiB).
#[cfg(not(test))]
const CHUNK: usize = 1 << 15;
/// Tiny chunks in unit tests, so that a few renderings span several.
#[cfg(test)]
const CHUNK: usize = 2;

/// The longest text kept inline: the enum is then as big as a `String`.
const INLINE: usize = 22;

impl PartialEq for Text {
    fn eq(&self, other: &Text) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Text {}

impl std::hash::Hash for Text {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl Text {
    pub(super) fn new(text: &str) -> Text {
        let mut bytes = [0; INLINE];
        match (bytes.get_mut(..text.len()), u8::try_from(text.len())) {
            (Some(prefix), Ok(len)) => {
                prefix.copy_from_slice(text.as_bytes());
                Text::Inline { len, bytes }
            }
            _ => Text::Heap(text.into()),
        }
    }

    pub(super) fn as_str(&self) -> &str {
        match self {
            // A whole `str` was copied in: the prefix is valid UTF-8.
            Text::Inline { len, bytes } => bytes
                .get(..usize::from(*len))
                .and_then(|b| std::str::from_utf8(b).ok())
                .unwrap_or_default(),
            Text::Heap(text) => text,
        }
    }
}

/// The prices one rendering shows that the cross-channel rule compares: most show one, kept
/// without an allocation.
#[derive(Default)]
pub(crate) struct Sightings {
    first: Option<Kept>,
    more: Vec<Kept>,
}

impl Sightings {
    fn push(&mut self, kept: Kept) {
        match self.first {
            None => self.first = Some(kept),
            Some(_) => self.more.push(kept),
        }
    }
}

/// Collects the prices renderings show, one rendering at a time, and reports where they diverge.
/// Keeps only the price claims of uniform channels, grouped by product and market.
///
/// ```
/// let catalog = unisono::Catalog::from_json(include_str!("../../examples/data/catalog.json"))?;
/// let validator = unisono::Validator::new(&catalog, &unisono::Policy::default());
/// let renderings: Vec<unisono::Rendering> = serde_json::from_str(r#"[
///   {"id": "page", "channel": "web-it", "sku": "LAPTOP-14", "shown": {"at": "2026-11-28T10:00:00+01:00"}, "claims": [{"price": "719.20 EUR"}]},
///   {"id": "spot", "channel": "tv-it", "sku": "LAPTOP-14", "shown": {"at": "2026-11-28T10:00:00+01:00"}, "claims": [{"price": "699.00 EUR"}]}]"#)?;
/// let mut cross = unisono::CrossChannel::new(&validator);
/// for (position, rendering) in renderings.iter().enumerate() {
///     cross.add(rendering, position);
/// }
/// let findings = cross.finish();
/// assert_eq!(findings[0].renderings, ["page", "spot"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct CrossChannel<'v, 'c> {
    v: &'v Validator<'c>,
    /// Every price seen, in arrival order: a push each, no lookup; `finish` sorts them once into
    /// groups by product and market. In chunks of [`CHUNK`], all full but the last, so that keeping
    /// millions never copies those kept before (nor holds two copies at the peak).
    seen: Vec<Vec<Kept>>,
}

impl<'v, 'c> CrossChannel<'v, 'c> {
    /// An empty collector for `validator`'s catalog and policy.
    pub fn new(validator: &'v Validator<'c>) -> Self {
        CrossChannel {
            v: validator,
            seen: Vec::new(),
        }
    }

    /// Takes note of the prices `rendering`, at `position` in its input, shows.
    pub fn add(&mut self, rendering: &Rendering, position: usize) {
        let sightings = self.v.sightings(rendering, position);
        self.insert(sightings);
    }

    /// Takes note of prices read by [`Validator::sightings`] (possibly on another thread).
    pub(crate) fn insert(&mut self, sightings: Sightings) {
        for kept in sightings.first.into_iter().chain(sightings.more) {
            match self.seen.last_mut() {
                Some(chunk) if chunk.len() < CHUNK => chunk.push(kept),
                // The first chunk grows as a vector does (a few renderings keep little); the
                // others are made whole.
                _ => {
                    let mut chunk =
                        Vec::with_capacity(if self.seen.is_empty() { 0 } else { CHUNK });
                    chunk.push(kept);
                    self.seen.push(chunk);
                }
            }
        }
    }

    /// The `i`th price seen.
    fn kept(&self, i: usize) -> Option<&Kept> {
        self.seen.get(i / CHUNK)?.get(i % CHUNK)
    }

    /// One finding per product and market whose renderings show different prices at a common instant,
    /// naming every rendering involved.
    pub fn finish(self) -> Vec<Finding> {
        let mut findings = Vec::new();
        // Grouped by sorting small pairs (product and market packed, arrival index) rather than
        // the sightings themselves, which are several times bigger. The index makes every pair
        // unique, so the unstable sort orders as a stable one would.
        let mut by_group: Vec<(u64, usize)> = self
            .seen
            .iter()
            .flatten()
            .enumerate()
            .map(|(i, s)| (u64::from(s.key.0.0) << 32 | u64::from(s.key.1.0), i))
            .collect();
        by_group.sort_unstable();
        for pairs in by_group.chunk_by(|a, b| a.0 == b.0) {
            if pairs.len() < 2 {
                continue;
            }
            let mut group: Vec<(usize, &Kept)> = pairs
                .iter()
                .filter_map(|&(_, i)| Some((i, self.kept(i)?)))
                .collect();
            // By start, then input order; arrival breaks any tie (a caller may give two
            // renderings one position).
            group.sort_unstable_by_key(|(i, s)| (s.window.from, s.position, s.claim, *i));
            if let Some(finding) = self.conflict(&group) {
                findings.push(finding);
            }
        }
        findings
    }

    /// The finding of one product and market's sightings (sorted by start), if two of them show
    /// different prices at a common instant.
    fn conflict(&self, group: &[(usize, &Kept)]) -> Option<Finding> {
        let (product, market) = group.first()?.1.key;
        let (involved, first_conflict) =
            sweep(group.iter().map(|(_, s)| (s.window, s.price, s.position)));
        let at = first_conflict?;
        let mut chosen: Vec<&Kept> = group
            .iter()
            .zip(&involved)
            .filter(|(_, inv)| **inv)
            .map(|((_, s), _)| *s)
            .collect();
        chosen.sort_by_key(|s| (s.position, s.claim));
        chosen.dedup_by_key(|s| s.position);
        Some(self.v.cross_finding(product, market, &chosen, at))
    }
}

/// Which sightings (window, price, rendering position; sorted by start) show a price that another
/// rendering contradicts at a common instant, and the first such instant: one sweep over the
/// starts, O(n log n) however many renderings of one product overlap (a best seller shown on every
/// channel all day), where comparing them pairwise was quadratic.
///
/// A sighting `a` is involved when some sighting `b` of another rendering shows another price at an
/// instant of both windows. Sorted by start, `b` overlaps `a` exactly when `a` is still active as `b`
/// starts, or the reverse. So the sweep keeps the active sightings, counted by price, by rendering
/// and by both, and the ones not yet known to be involved, grouped by price: when `b` starts,
/// everyone active of another price and another rendering becomes involved (and leaves the group, so
/// each is marked once), and so does `b` if anyone active contradicts it.
fn sweep(
    sightings: impl Iterator<Item = (Window, Money, usize)>,
) -> (Vec<bool>, Option<DateTime<Utc>>) {
    use std::cmp::Reverse;
    use std::collections::{BTreeSet, BinaryHeap, HashMap};

    let sightings: Vec<(Window, Money, usize)> = sightings.collect();
    let mut involved = vec![false; sightings.len()];
    let mut first_conflict: Option<DateTime<Utc>> = None;
    // Active sightings by end (open-ended ones never end).
    let mut ending: BinaryHeap<Reverse<(DateTime<Utc>, usize)>> = BinaryHeap::new();
    let mut by_price: HashMap<Money, usize> = HashMap::new();
    let mut by_position: HashMap<usize, usize> = HashMap::new();
    let mut by_both: HashMap<(usize, Money), usize> = HashMap::new();
    let mut active = 0_usize;
    // Active and not yet involved, by price: (rendering position, index).
    let mut waiting: HashMap<Money, BTreeSet<(usize, usize)>> = HashMap::new();
    fn less<K: std::hash::Hash + Eq>(map: &mut HashMap<K, usize>, key: K) {
        if let Some(n) = map.get_mut(&key) {
            *n -= 1;
            if *n == 0 {
                map.remove(&key);
            }
        }
    }
    for (b, &(window, price, position)) in sightings.iter().enumerate() {
        while let Some(&Reverse((end, a))) = ending.peek() {
            if end > window.from {
                break;
            }
            ending.pop();
            if let Some(&(_, p, pos)) = sightings.get(a) {
                active -= 1;
                less(&mut by_price, p);
                less(&mut by_position, pos);
                less(&mut by_both, (pos, p));
                if let Some(set) = waiting.get_mut(&p) {
                    set.remove(&(pos, a));
                    if set.is_empty() {
                        waiting.remove(&p);
                    }
                }
            }
        }
        // Everyone active of another price and another rendering: involved from now on.
        let mut marked = false;
        for (_, set) in waiting.iter_mut().filter(|(p, _)| **p != price) {
            let others: Vec<(usize, usize)> = set
                .range(..(position, 0))
                .chain(set.range((position.saturating_add(1), 0)..))
                .copied()
                .collect();
            for key in others {
                set.remove(&key);
                if let Some(flag) = involved.get_mut(key.1) {
                    *flag = true;
                }
                marked = true;
            }
        }
        waiting.retain(|_, set| !set.is_empty());
        // `b` itself, if an active sighting of another rendering shows another price.
        let elsewhere = active - by_position.get(&position).copied().unwrap_or(0);
        let same_price_elsewhere = by_price.get(&price).copied().unwrap_or(0)
            - by_both.get(&(position, price)).copied().unwrap_or(0);
        if elsewhere > same_price_elsewhere {
            if let Some(flag) = involved.get_mut(b) {
                *flag = true;
            }
            marked = true;
        } else {
            waiting.entry(price).or_default().insert((position, b));
        }
        if marked && first_conflict.is_none() {
            first_conflict = Some(window.from);
        }
        active += 1;
        *by_price.entry(price).or_default() += 1;
        *by_position.entry(position).or_default() += 1;
        *by_both.entry((position, price)).or_default() += 1;
        if let Some(end) = window.until {
            ending.push(Reverse((end, b)));
        }
    }
    (involved, first_conflict)
}

impl Validator<'_> {
    /// The prices `rendering` (at `position`) shows on a uniform channel, in the market's currency:
    /// all the cross-channel rule keeps of it.
    pub(crate) fn sightings(&self, rendering: &Rendering, position: usize) -> Sightings {
        let catalog = self.catalog;
        if self.severity(Rule::CrossPriceDivergence) == Severity::Allow {
            return Sightings::default();
        }
        let Some(channel) = catalog.channel_key(&rendering.channel) else {
            return Sightings::default();
        };
        if !self.is_uniform(catalog.channel_at(channel).kind) {
            return Sightings::default();
        }
        let Some(product) = self.product_of(rendering) else {
            return Sightings::default();
        };
        self.sightings_of(rendering, position, product, channel)
    }

    /// [`Validator::sightings`] once the rendering's product and channel are known.
    pub(crate) fn sightings_of(
        &self,
        rendering: &Rendering,
        position: usize,
        product: ProductKey,
        channel: ChannelKey,
    ) -> Sightings {
        let catalog = self.catalog;
        let channel_info = catalog.channel_at(channel);
        let mut sightings = Sightings::default();
        if self.severity(Rule::CrossPriceDivergence) == Severity::Allow
            || !self.is_uniform(channel_info.kind)
        {
            return sightings;
        }
        let currency = catalog.market_at(channel_info.market).currency;
        let mut id = None;
        for (claim, c) in rendering.claims.iter().enumerate() {
            match c.value {
                ClaimValue::Price(price) if price.currency() == currency => {
                    sightings.push(Kept {
                        key: (product, channel_info.market),
                        window: rendering.shown.window(),
                        price,
                        position,
                        claim,
                        channel,
                        id: id.get_or_insert_with(|| Text::new(&rendering.id)).clone(),
                        source: c.source.as_deref().map(Box::from),
                    });
                }
                _ => {}
            }
        }
        sightings
    }

    fn cross_finding(
        &self,
        product: ProductKey,
        market: MarketKey,
        chosen: &[&Kept],
        at: DateTime<Utc>,
    ) -> Finding {
        let catalog = self.catalog;
        let zone = catalog.market_at(market).time_zone;
        let sku = catalog.product_at(product).sku.clone();
        // One currency per group: the amount orders the prices.
        let mut by_price: BTreeMap<rust_decimal::Decimal, (Money, Vec<String>)> = BTreeMap::new();
        for s in chosen {
            let channel = &catalog.channel_at(s.channel).id;
            let entry = by_price
                .entry(s.price.amount().normalize())
                .or_insert_with(|| (s.price, Vec::new()));
            entry.1.push(format!("{} on {channel}", s.id.as_str()));
        }
        let prices: Vec<String> = by_price
            .values()
            .map(|(p, who)| format!("{p} ({})", who.join(", ")))
            .collect();
        let message = format!(
            "{sku} is shown at different prices at the same time, from {}: {}",
            crate::time::rfc3339_in(at, zone),
            prices.join(" vs ")
        );
        let mut explanation: Vec<String> = chosen
            .iter()
            .map(|s| {
                let channel = &catalog.channel_at(s.channel).id;
                let offer =
                    catalog.offer_of(product, s.channel, at.max(s.window.from), &self.options);
                let canonical = offer.map_or_else(
                    |e| e.to_string(),
                    |o| format!("the catalog's price there is {}", o.price),
                );
                format!(
                    "{} on {channel} shows {} ({canonical})",
                    s.id.as_str(),
                    s.price
                )
            })
            .collect();
        explanation.dedup();
        let first = chosen.first();
        Finding {
            rule: Rule::CrossPriceDivergence,
            severity: self.severity(Rule::CrossPriceDivergence),
            rendering: first.map(|s| s.id.as_str().to_owned()).unwrap_or_default(),
            renderings: chosen.iter().map(|s| s.id.as_str().to_owned()).collect(),
            position: first.map_or(0, |s| s.position),
            channel: first
                .map(|s| catalog.channel_at(s.channel).id.clone())
                .unwrap_or_default(),
            sku: Some(sku),
            claim: first.map(|s| s.claim),
            source: first.and_then(|s| s.source.as_deref().map(str::to_owned)),
            at: Some(crate::time::in_zone(at, zone)),
            expected: None,
            found: Some(Value::Text(
                by_price
                    .values()
                    .map(|(p, _)| p.to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
            )),
            message,
            explanation,
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::{Catalog, CrossChannel, Policy, Rendering, Validator};

    /// The pairwise comparison the sweep replaces, as the reference.
    fn pairwise(
        group: &[(crate::time::Window, crate::money::Money, usize)],
    ) -> (Vec<bool>, Option<chrono::DateTime<chrono::Utc>>) {
        let mut involved = vec![false; group.len()];
        let mut first = None;
        for (i, a) in group.iter().enumerate() {
            for (j, b) in group.iter().enumerate().skip(i + 1) {
                if a.2 != b.2 && a.1 != b.1 && a.0.overlaps(&b.0) {
                    involved[i] = true;
                    involved[j] = true;
                    let at = a.0.from.max(b.0.from);
                    first = Some(first.map_or(at, |t: chrono::DateTime<chrono::Utc>| t.min(at)));
                }
            }
        }
        (involved, first)
    }

    proptest::proptest! {
        /// The sweep finds exactly the sightings and the first instant that comparing every pair
        /// finds: windows open and closed, touching and nested, one rendering showing two prices.
        #[test]
        fn the_sweep_agrees_with_every_pair(
            raw in proptest::collection::vec(
                (0_i64..30, proptest::option::of(1_i64..12), 0_u8..3, 0_usize..5),
                0..40,
            ),
        ) {
            let base = chrono::DateTime::<chrono::Utc>::UNIX_EPOCH;
            let minute = |m: i64| base + chrono::Duration::minutes(m);
            let mut group: Vec<(crate::time::Window, crate::money::Money, usize)> = raw
                .iter()
                .map(|&(from, length, price, position)| {
                    let window = crate::time::Window::new(minute(from), length.map(|l| minute(from + l)));
                    let price: crate::money::Money =
                        format!("{}.00 EUR", 10 + price).parse().expect("money");
                    (window, price, position)
                })
                .collect();
            group.sort_by_key(|(w, _, p)| (w.from, *p));
            let swept = super::sweep(group.iter().copied());
            proptest::prop_assert_eq!(swept, pairwise(&group));
        }
    }

    proptest::proptest! {
        /// A kept text reads back as it was given, inline (up to 22 bytes) or not, in any script.
        #[test]
        fn a_kept_text_is_the_text_given(text in "\\PC{0,30}") {
            let kept = super::Text::new(&text);
            proptest::prop_assert_eq!(kept.as_str(), text.as_str());
            proptest::prop_assert_eq!(
                matches!(kept, super::Text::Inline { .. }),
                text.len() <= super::INLINE
            );
        }
    }

    /// Renderings given one position are never compared with each other, and among them the one
    /// that arrived first names the position in the finding, however the sort breaks ties.
    #[test]
    fn arrival_breaks_ties_between_renderings_at_one_position() {
        let catalog = Catalog::from_json(include_str!("../../examples/data/catalog.json"))
            .expect("the demo catalog compiles");
        let validator = Validator::new(&catalog, &Policy::default());
        let shown = |id: &str, channel: &str, price: &str| -> Rendering {
            serde_json::from_str(&format!(
                r#"{{"id": "{id}", "channel": "{channel}", "sku": "LAPTOP-14",
                    "shown": {{"at": "2026-11-28T10:00:00+01:00"}}, "claims": [{{"price": "{price}"}}]}}"#
            ))
            .expect("the rendering parses")
        };
        let renderings = [
            (shown("first-at-5", "web-it", "719.20 EUR"), 5),
            (shown("second-at-5", "tv-it", "699.00 EUR"), 5),
            (shown("at-3", "web-it", "729.00 EUR"), 3),
        ];
        for order in [[0, 1, 2], [2, 0, 1], [0, 2, 1]] {
            let mut cross = CrossChannel::new(&validator);
            for i in order {
                let (rendering, position) = &renderings[i];
                cross.add(rendering, *position);
            }
            let findings = cross.finish();
            assert_eq!(findings.len(), 1, "{order:?}");
            assert_eq!(findings[0].renderings, ["at-3", "first-at-5"], "{order:?}");
            assert_eq!(findings[0].position, 3);
        }
        // The two at one position alone: not a divergence.
        let mut cross = CrossChannel::new(&validator);
        cross.add(&renderings[0].0, 5);
        cross.add(&renderings[1].0, 5);
        assert!(cross.finish().is_empty());
    }
}
