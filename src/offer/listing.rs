//! One product on one channel: its price at an instant, the instants where that can change, and the
//! piecewise-constant timeline between them.

use chrono::{DateTime, Duration, Utc};

use crate::catalog::{
    Audience, Catalog, ChannelKey, LocationKey, MarketKey, Mechanic, PriceSpan, ProductKey,
    Promotion, PromotionKey,
};
use crate::money::Money;
use crate::time::Window;

/// A product as one channel sells it.
#[derive(Clone, Copy)]
pub(crate) struct Listing<'c> {
    pub(crate) catalog: &'c Catalog,
    pub(crate) product: ProductKey,
    pub(crate) channel: ChannelKey,
    pub(crate) market: MarketKey,
    channel_spans: &'c [PriceSpan],
    market_spans: &'c [PriceSpan],
    promotions: &'c [PromotionKey],
}

/// Whose promotions a walk applies (CONTRACT §2, §11, §15).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Walk<'a> {
    /// Promotions for everyone: the public price.
    Public,
    /// For everyone and for members: the members' price (the tier `members`).
    Members,
    /// For everyone and for one other loyalty tier (tiers are independent).
    Tier(&'a str),
    /// For one customer group only.
    Group(&'a str),
}

impl Walk<'_> {
    /// Whether promotions for `audience` take part in this walk.
    #[inline]
    fn admits(self, audience: &Audience) -> bool {
        match audience {
            Audience::Everyone => !matches!(self, Walk::Group(_)),
            Audience::Members => self == Walk::Members,
            Audience::Coupon | Audience::Code { .. } => false,
            Audience::Tier(tier) => matches!(self, Walk::Tier(t) if t == tier),
            Audience::Group(group) => matches!(self, Walk::Group(g) if g == group),
        }
    }
}

/// A promotion that changed a price, and the price after it.
pub(crate) type Step = (PromotionKey, Money);

/// The prices of a listing over a stretch of time where none of them changes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct PriceState {
    pub(crate) regular: Option<PriceSpan>,
    pub(crate) price: Option<Money>,
    pub(crate) member_price: Option<Money>,
    pub(crate) steps: Vec<Step>,
    pub(crate) member_steps: Vec<Step>,
    pub(crate) multi_buys: Vec<PromotionKey>,
}

impl PriceState {
    /// Whether the public price is below the regular price: a reduction in the sense of Omnibus.
    pub(crate) fn is_reduced(&self) -> bool {
        matches!((self.price, self.regular), (Some(p), Some(r)) if p < r.amount)
    }

    /// Same prices and same promotions (the price entry behind the regular price may differ).
    fn same_prices(&self, other: &PriceState) -> bool {
        self.regular.map(|r| r.amount) == other.regular.map(|r| r.amount)
            && self.price == other.price
            && self.member_price == other.member_price
            && self.steps == other.steps
            && self.member_steps == other.member_steps
            && self.multi_buys == other.multi_buys
    }
}

/// The span of a sorted, non-overlapping list that contains `t`.
fn covering(spans: &[PriceSpan], t: DateTime<Utc>) -> Option<&PriceSpan> {
    let after = spans.partition_point(|s| s.window.from <= t);
    after
        .checked_sub(1)
        .and_then(|i| spans.get(i))
        .filter(|s| s.window.contains(t))
}

fn earliest(a: Option<DateTime<Utc>>, b: Option<DateTime<Utc>>) -> Option<DateTime<Utc>> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

fn latest(a: Option<DateTime<Utc>>, b: Option<DateTime<Utc>>) -> Option<DateTime<Utc>> {
    a.max(b)
}

/// The first boundary (start or end) of a sorted, non-overlapping list strictly after `t`.
fn spans_next(spans: &[PriceSpan], t: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let after = spans.partition_point(|s| s.window.from <= t);
    let next_start = spans.get(after).map(|s| s.window.from);
    let current_end = after
        .checked_sub(1)
        .and_then(|i| spans.get(i))
        .and_then(|s| s.window.until)
        .filter(|u| *u > t);
    earliest(next_start, current_end)
}

/// The last boundary of a sorted, non-overlapping list strictly before `t`.
fn spans_prev(spans: &[PriceSpan], t: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let after = spans.partition_point(|s| s.window.from < t);
    let last = after.checked_sub(1).and_then(|i| spans.get(i))?;
    Some(
        last.window
            .until
            .filter(|u| *u < t)
            .unwrap_or(last.window.from),
    )
}

/// Applies one mechanic to a price, rounding half away from zero, never below one minor unit.
pub(crate) fn apply(price: Money, mechanic: &Mechanic) -> Money {
    let reduced = match mechanic {
        Mechanic::PercentOff(p) => price.percent_off(*p).unwrap_or(price),
        Mechanic::AmountOff(off) => price.checked_sub(*off).unwrap_or(price),
        Mechanic::FixedPrice(fixed) => match fixed.partial_cmp(&price) {
            Some(std::cmp::Ordering::Less) => *fixed,
            _ => price,
        },
        Mechanic::MultiBuy(_) => price,
    };
    let floor = Money::new(price.currency().minor_unit(), price.currency()).unwrap_or(price);
    if reduced < floor { floor } else { reduced }
}

impl<'c> Listing<'c> {
    pub(crate) fn new(
        catalog: &'c Catalog,
        product: ProductKey,
        channel: ChannelKey,
    ) -> Listing<'c> {
        let market = catalog.channel_at(channel).market;
        let store = &catalog.store;
        let books = catalog.books_of(product);
        let book = books
            .binary_search_by_key(&market, |b| b.market)
            .ok()
            .and_then(|i| books.get(i));
        let (market_spans, channel_spans) = match book {
            Some(book) => {
                let lists = book.channels.of(&store.channel_spans);
                let channel_spans = lists
                    .binary_search_by_key(&channel, |c| c.channel)
                    .ok()
                    .and_then(|i| lists.get(i))
                    .map_or(&[][..], |c| c.spans.of(&store.spans));
                (book.market_wide.of(&store.spans), channel_spans)
            }
            None => (&[][..], &[][..]),
        };
        Listing {
            catalog,
            product,
            channel,
            market,
            channel_spans,
            market_spans,
            promotions: catalog.promotions_of(product),
        }
    }

    /// Promotions targeting the product on this channel, in stacking order, whatever the time.
    pub(crate) fn promotions(&self) -> impl Iterator<Item = (PromotionKey, &'c Promotion)> + 'c {
        let (catalog, channel, market) = (self.catalog, self.channel, self.market);
        self.promotions
            .iter()
            .map(move |&k| (k, catalog.promotion_at(k)))
            .filter(move |(_, p)| p.covers_channel(channel, market))
    }

    /// The price list entry in force: the channel's own, else the market-wide one.
    pub(crate) fn regular_at(&self, t: DateTime<Utc>) -> Option<&'c PriceSpan> {
        covering(self.channel_spans, t).or_else(|| covering(self.market_spans, t))
    }

    /// Walks the active promotions of the given audiences in stacking order (CONTRACT §2): an exclusive
    /// one applies only if nothing applied yet, and then stops the walk; others apply in turn. Each
    /// promotion applied and the price after it go to `record`.
    pub(crate) fn stack(
        &self,
        regular: Money,
        t: DateTime<Utc>,
        walk: Walk<'_>,
        mut record: impl FnMut(Step),
    ) -> Money {
        let mut price = regular;
        let mut applied = false;
        for (key, promotion) in self.promotions() {
            if !walk.admits(&promotion.audience)
                || matches!(promotion.mechanic, Mechanic::MultiBuy(_))
                || !promotion.window.contains(t)
                || (promotion.exclusive && applied)
            {
                continue;
            }
            // A fixed price at or above the current price does not apply: it neither shows as
            // applied nor, exclusive, stops the walk.
            if let Mechanic::FixedPrice(fixed) = promotion.mechanic
                && fixed >= price
            {
                continue;
            }
            price = apply(price, &promotion.mechanic);
            applied = true;
            record((key, price));
            if promotion.exclusive {
                break;
            }
        }
        price
    }

    /// The regular and the public price at `t`, without recording how: the fast path for walks
    /// over time (prior price, next change).
    pub(crate) fn public_at(&self, t: DateTime<Utc>) -> Option<(Money, Money)> {
        let regular = self.regular_at(t)?.amount;
        Some((regular, self.stack(regular, t, Walk::Public, |_| {})))
    }

    /// Every price of the listing at `t`.
    pub(crate) fn state_at(&self, t: DateTime<Utc>) -> PriceState {
        let Some(regular) = self.regular_at(t).copied() else {
            return PriceState::default();
        };
        let mut steps = Vec::new();
        let price = self.stack(regular.amount, t, Walk::Public, |step| steps.push(step));
        let has_member_offer = self
            .promotions()
            .any(|(_, p)| p.audience == Audience::Members && p.window.contains(t));
        // Members get the public price at least: a members' promotion that would block a better
        // exclusive promotion for everyone never leaves them paying more than the public.
        let members_walk = has_member_offer.then(|| {
            let mut member_steps = Vec::new();
            (
                self.stack(regular.amount, t, Walk::Members, |step| {
                    member_steps.push(step)
                }),
                member_steps,
            )
        });
        let (member_price, member_steps) = match members_walk {
            Some((member_price, member_steps)) if member_price < price => {
                (member_price, member_steps)
            }
            _ => (price, steps.clone()),
        };
        let multi_buys = self
            .promotions()
            .filter(|(_, p)| {
                matches!(p.mechanic, Mechanic::MultiBuy(_))
                    && p.audience == Audience::Everyone
                    && p.window.contains(t)
            })
            .map(|(k, _)| k)
            .collect();
        PriceState {
            regular: Some(regular),
            price: Some(price),
            member_price: Some(member_price),
            steps,
            member_steps,
            multi_buys,
        }
    }

    /// The first instant after `t` at which a price entry or promotion of this listing starts or ends.
    pub(crate) fn next_boundary(&self, t: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let mut next = earliest(
            spans_next(self.channel_spans, t),
            spans_next(self.market_spans, t),
        );
        for (_, p) in self.promotions() {
            next = earliest(next, Some(p.window.from).filter(|f| *f > t));
            next = earliest(next, p.window.until.filter(|u| *u > t));
        }
        next
    }

    /// The last instant before `t` at which a price entry or promotion of this listing starts or ends.
    pub(crate) fn prev_boundary(&self, t: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let mut prev = latest(
            spans_prev(self.channel_spans, t),
            spans_prev(self.market_spans, t),
        );
        for (_, p) in self.promotions() {
            prev = latest(prev, Some(p.window.from).filter(|f| *f < t));
            prev = latest(prev, p.window.until.filter(|u| *u < t));
        }
        prev
    }

    /// The start of the stretch of constant prices that holds `t`.
    pub(crate) fn segment_start(&self, t: DateTime<Utc>) -> Option<DateTime<Utc>> {
        match t.checked_add_signed(Duration::nanoseconds(1)) {
            Some(next) => self.prev_boundary(next),
            None => self.prev_boundary(t),
        }
    }

    /// The next instant after `t` where the public price differs from `price`.
    pub(crate) fn price_changes_after(
        &self,
        t: DateTime<Utc>,
        price: Option<Money>,
    ) -> Option<DateTime<Utc>> {
        let mut cursor = t;
        while let Some(boundary) = self.next_boundary(cursor) {
            if self.public_at(boundary).map(|(_, p)| p) != price {
                return Some(boundary);
            }
            cursor = boundary;
        }
        None
    }

    /// The start of the uninterrupted reduction in progress at `t` (CONTRACT §8 step 2): progressive
    /// steps of one campaign keep the start of the first.
    pub(crate) fn reduction_since(&self, t: DateTime<Utc>) -> DateTime<Utc> {
        let mut start = self.segment_start(t).unwrap_or(t);
        while let Some(before) = self.prev_boundary(start) {
            if !self
                .public_at(before)
                .is_some_and(|(regular, price)| price < regular)
            {
                break;
            }
            start = before;
        }
        start
    }

    /// Stretches of constant prices covering `window` with neither gap nor overlap; adjacent stretches
    /// always differ in some price or promotion.
    pub(crate) fn segments(&self, window: Window) -> Vec<(Window, PriceState)> {
        let mut out: Vec<(Window, PriceState)> = Vec::new();
        if window.is_empty() {
            return out;
        }
        let mut start = window.from;
        loop {
            let end = match (self.next_boundary(start), window.until) {
                (Some(next), Some(until)) => Some(next.min(until)),
                (next, until) => next.or(until),
            };
            let state = self.state_at(start);
            match out.last_mut() {
                Some((last, last_state)) if last_state.same_prices(&state) => last.until = end,
                _ => out.push((Window::new(start, end), state)),
            }
            match end {
                Some(end) if window.until.is_none_or(|until| end < until) => start = end,
                _ => break,
            }
        }
        out
    }

    /// The lowest public price over `window`, and the first stretch between change points that had
    /// it (the earliest, on a tie).
    pub(crate) fn lowest_price(&self, window: Window) -> Option<(Money, Window)> {
        let mut best: Option<(Money, Window)> = None;
        if window.is_empty() {
            return best;
        }
        let mut start = window.from;
        loop {
            let end = match (self.next_boundary(start), window.until) {
                (Some(next), Some(until)) => Some(next.min(until)),
                (next, until) => next.or(until),
            };
            if let Some((_, price)) = self.public_at(start)
                && best.is_none_or(|(b, _)| price < b)
            {
                best = Some((price, Window::new(start, end)));
            }
            match end {
                Some(end) if window.until.is_none_or(|until| end < until) => start = end,
                _ => break,
            }
        }
        best
    }

    /// Units available to the channel at `t` (CONTRACT §2): the sum over its locations of the latest
    /// snapshot at or before `t`; a location never counted contributes 0.
    pub(crate) fn available(&self, t: DateTime<Utc>) -> u64 {
        let locations = &self.catalog.channel_at(self.channel).locations;
        locations
            .iter()
            .map(|&l| self.available_at(l, t))
            .fold(0_u64, u64::saturating_add)
    }

    /// The stretch around `t` over which the discount shown at `t` holds, `None` when the public
    /// price at `t` is not reduced. The public price stays reduced throughout; the stretch ends
    /// where it stops being reduced, or where one of the promotions `applied` at `t` ends and the
    /// public price changes with it (and begins symmetrically). So a list price changing under a
    /// running promotion does not end it ("-20% until Sunday" stays true), nor does a promotion
    /// ending while another keeps the price where it is (a fixed price that overrides it).
    pub(crate) fn discount_stretch(
        &self,
        t: DateTime<Utc>,
        applied: &[PromotionKey],
    ) -> Option<Window> {
        let public = |at: DateTime<Utc>| self.public_at(at).map(|(_, price)| price);
        let reduced = |at: DateTime<Utc>| {
            self.public_at(at)
                .is_some_and(|(regular, price)| price < regular)
        };
        let windows = || applied.iter().map(|&k| self.catalog.promotion_at(k).window);
        if !reduced(t) {
            return None;
        }
        let mut from = self.segment_start(t).unwrap_or(t);
        while let Some(before) = self.prev_boundary(from) {
            let one_starts = windows().any(|w| w.from == from);
            if !reduced(before) || (one_starts && public(before) != public(from)) {
                break;
            }
            from = before;
        }
        let mut cursor = t;
        let mut until = None;
        while let Some(boundary) = self.next_boundary(cursor) {
            let one_ends = windows().any(|w| w.until == Some(boundary));
            if !reduced(boundary) || (one_ends && public(boundary) != public(cursor)) {
                until = Some(boundary);
                break;
            }
            cursor = boundary;
        }
        Some(Window { from, until })
    }

    /// The start of the stretch, up to `t`, over which the public price has been `price`.
    pub(crate) fn price_since(&self, t: DateTime<Utc>, price: Option<Money>) -> DateTime<Utc> {
        let mut start = self.segment_start(t).unwrap_or(t);
        while let Some(before) = self.prev_boundary(start) {
            if self.public_at(before).map(|(_, p)| p) != price {
                break;
            }
            start = before;
        }
        start
    }

    /// The product's stock counts at one location, sorted by `as_of`.
    fn snapshots_at(&self, location: LocationKey) -> Option<&'c [(DateTime<Utc>, u64)]> {
        let runs = self.catalog.stock_of(self.product);
        let run = runs
            .binary_search_by_key(&location, |s| s.location)
            .ok()
            .and_then(|at| runs.get(at))?;
        Some(run.snapshots.of(&self.catalog.store.snapshots))
    }

    /// Units at one location at `t`: its latest snapshot at or before `t`, 0 if never counted.
    pub(crate) fn available_at(&self, location: LocationKey, t: DateTime<Utc>) -> u64 {
        self.snapshots_at(location)
            .and_then(|snapshots| {
                let latest = snapshots
                    .partition_point(|(as_of, _)| *as_of <= t)
                    .checked_sub(1)?;
                snapshots.get(latest).map(|(_, units)| *units)
            })
            .unwrap_or(0)
    }

    /// The first instant after `t` at which one of `locations` takes a new stock snapshot.
    pub(crate) fn next_stock_change(
        &self,
        locations: &[LocationKey],
        t: DateTime<Utc>,
    ) -> Option<DateTime<Utc>> {
        locations
            .iter()
            .filter_map(|&location| {
                let snapshots = self.snapshots_at(location)?;
                let next = snapshots.partition_point(|(as_of, _)| *as_of <= t);
                snapshots.get(next).map(|(as_of, _)| *as_of)
            })
            .min()
    }
}

/// Price selection of CONTRACT §11 and §15, and the v2 prices of a listing.
impl<'c> Listing<'c> {
    /// The price entry for `group` and `quantity` at `t`: the most specific scope with an entry
    /// valid at `t` whose `min_quantity` ≤ `quantity` (group + channel, group, channel, market),
    /// and inside it the largest `min_quantity`. Without a group, group entries never apply.
    pub(crate) fn select(
        &self,
        group: Option<crate::catalog::GroupKey>,
        quantity: u32,
        t: DateTime<Utc>,
    ) -> Option<PriceSpan> {
        let rows = self.catalog.tiered_of(self.product);
        let best = |channel: Option<ChannelKey>, group| {
            rows.iter()
                .filter(|r| {
                    r.market == self.market
                        && r.channel == channel
                        && r.group == group
                        && r.min_quantity <= quantity
                        && r.span.window.contains(t)
                })
                .max_by_key(|r| r.min_quantity)
                .map(|r| r.span)
        };
        if let Some(group) = group
            && let Some(span) =
                best(Some(self.channel), Some(group)).or_else(|| best(None, Some(group)))
        {
            return Some(span);
        }
        best(Some(self.channel), None)
            .or_else(|| covering(self.channel_spans, t).copied())
            .or_else(|| best(None, None))
            .or_else(|| covering(self.market_spans, t).copied())
    }

    /// The first instant after `t` at which a price entry (group and volume entries included) or
    /// promotion of this listing starts or ends.
    pub(crate) fn next_boundary_v2(&self, t: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let mut next = self.next_boundary(t);
        for r in self
            .catalog
            .tiered_of(self.product)
            .iter()
            .filter(|r| r.market == self.market)
        {
            next = earliest(next, Some(r.span.window.from).filter(|f| *f > t));
            next = earliest(next, r.span.window.until.filter(|u| *u > t));
        }
        next
    }

    /// The price of a loyalty tier at `t`: the list price walked with the promotions for everyone
    /// and for that tier (for `members`, the members' price); never above the public price.
    pub(crate) fn tier_at(&self, tier: &str, t: DateTime<Utc>) -> Option<(Money, Vec<Step>)> {
        let regular = self.regular_at(t)?.amount;
        let walk = if tier == "members" {
            Walk::Members
        } else {
            Walk::Tier(tier)
        };
        let mut public_steps = Vec::new();
        let public = self.stack(regular, t, Walk::Public, |s| public_steps.push(s));
        let mut steps = Vec::new();
        let price = self.stack(regular, t, walk, |s| steps.push(s));
        Some(if price < public {
            (price, steps)
        } else {
            (public, public_steps)
        })
    }

    /// The price of a customer group for `quantity` at `t`: its selected entry walked with that
    /// group's promotions only (CONTRACT §15).
    pub(crate) fn group_at(
        &self,
        group: &str,
        quantity: u32,
        t: DateTime<Utc>,
    ) -> Option<(PriceSpan, Money, Vec<Step>)> {
        let key = self.catalog.group_key(group);
        let span = self.select(key, quantity, t)?;
        let mut steps = Vec::new();
        let price = self.stack(span.amount, t, Walk::Group(group), |s| steps.push(s));
        Some((span, price, steps))
    }

    /// The public price for `quantity` at `t`: the selected public entry walked with the
    /// promotions for everyone (a volume price is public, CONTRACT §15).
    pub(crate) fn volume_at(
        &self,
        quantity: u32,
        t: DateTime<Utc>,
    ) -> Option<(PriceSpan, Money, Vec<Step>)> {
        let span = self.select(None, quantity, t)?;
        let mut steps = Vec::new();
        let price = self.stack(span.amount, t, Walk::Public, |s| steps.push(s));
        Some((span, price, steps))
    }

    /// The coupon promotions redeemed with `code` that run on this channel at `t`, in stacking
    /// order: a `"coupon"` audience is redeemed with the promotion's id, `{"coupon": CODE}` with
    /// its code.
    pub(crate) fn coupons_at(
        &self,
        code: &str,
        t: DateTime<Utc>,
    ) -> impl Iterator<Item = (PromotionKey, &'c Promotion)> + 'c {
        let code = code.to_owned();
        self.promotions().filter(move |(_, p)| {
            let named = match &p.audience {
                Audience::Coupon => p.id == code,
                Audience::Code { code: c, .. } => *c == code,
                _ => false,
            };
            named && p.window.contains(t)
        })
    }

    /// The public price at `t` after one coupon: one more step on the public price, rounded as
    /// every step (the coupon is typed at checkout, after the promotions for everyone).
    pub(crate) fn after_coupon(&self, coupon: &Promotion, t: DateTime<Utc>) -> Option<Money> {
        let (_, public) = self.public_at(t)?;
        Some(apply(public, &coupon.mechanic))
    }
}
