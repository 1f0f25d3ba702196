//! Building: a plan becomes a document that compiles.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Duration, SecondsFormat, Utc};
use chrono_tz::Tz;
use rust_decimal::Decimal;

use super::ArbConfig;
use super::plan::{
    AnchorPlan, CATEGORIES, EntryPlan, GROUP, MEASURES, MechanicPlan, Plan, ProductPlan,
    PromotionPlan, TimePick,
};
use crate::catalog::document::{
    CatalogDocument, ChannelEntry, ChannelKind, DecimalText, LocationEntry, LocationKind,
    MarketEntry, MechanicEntry, MultiBuy, PriceEntry, ProductEntry, PromotionEntry, StockSnapshot,
    Title, UnitEntry,
};
use crate::gtin::Gtin;
use crate::money::Currency;
use crate::time::{DateEdge, Window, local_midnight};

/// The time grid of one document.
struct Grid {
    start: DateTime<Utc>,
    hours: usize,
    anchors: Vec<DateTime<Utc>>,
}

impl Grid {
    fn new(config: &ArbConfig, plans: &[AnchorPlan], zones: &[Tz]) -> Grid {
        let hours = config.hours();
        let start = config.start;
        let anchors = plans
            .iter()
            .map(|a| {
                let day = a.day.index(config.days.max(1) as usize);
                let midnight = |zone: Tz| {
                    let date = (start + Duration::days(day as i64))
                        .with_timezone(&zone)
                        .date_naive();
                    local_midnight(date, zone).filter(|t| *t >= start && *t <= config.end())
                };
                let hourly = start + Duration::hours((day * 24 + a.hour.index(24)) as i64);
                let t = match a.kind {
                    0 => zones.first().and_then(|z| midnight(*z)),
                    1 => zones.last().and_then(|z| midnight(*z)),
                    _ => None,
                };
                t.unwrap_or(hourly).min(config.end())
            })
            .collect();
        Grid {
            start,
            hours,
            anchors,
        }
    }

    fn at(&self, pick: &TimePick) -> DateTime<Utc> {
        match pick {
            TimePick::Anchor(i) if !self.anchors.is_empty() => {
                self.anchors[i.index(self.anchors.len())]
            }
            TimePick::Anchor(i) | TimePick::Hour(i) => {
                self.start + Duration::hours(i.index(self.hours + 1) as i64)
            }
        }
    }

    /// A non-empty window from two picks: swapped if backwards, open-ended if they coincide.
    fn window(&self, from: &TimePick, until: Option<&TimePick>) -> Window {
        let from = self.at(from);
        match until.map(|u| self.at(u)) {
            None => Window::new(from, None),
            Some(until) if until > from => Window::new(from, Some(until)),
            Some(until) if until < from => Window::new(until, Some(from)),
            Some(_) => Window::new(from, None),
        }
    }
}

/// A market as built, with what the rest of the document needs to know of it.
struct BuiltMarket {
    id: String,
    currency: Currency,
    zone: Tz,
    /// Indexes of its channels in the document.
    channels: Vec<usize>,
}

/// A price entry as built, for the amount-off bound.
struct BuiltPrice {
    product: usize,
    market: usize,
    minor: u32,
}

fn subset<T: Clone>(items: &[T], mask: u32) -> Vec<T> {
    items
        .iter()
        .enumerate()
        .filter(|(i, _)| mask >> (i % 32) & 1 == 1)
        .map(|(_, item)| item.clone())
        .collect()
}

/// A non-empty subset of a non-empty list: the masked items, or one of them if the mask picks none.
fn some_of<T: Clone>(items: &[T], mask: u32) -> Vec<T> {
    let picked = subset(items, mask);
    if picked.is_empty() && !items.is_empty() {
        vec![items[mask as usize % items.len()].clone()]
    } else {
        picked
    }
}

fn money_text(minor: u32, currency: Currency, short: bool) -> String {
    let mut amount = Decimal::new(i64::from(minor), currency.minor_units());
    if short {
        amount = amount.normalize();
    }
    format!("{amount} {currency}")
}

fn instant_text(t: DateTime<Utc>, zone: Option<Tz>) -> String {
    match zone {
        Some(zone) => t
            .with_timezone(&zone)
            .to_rfc3339_opts(SecondsFormat::Secs, false),
        None => t.to_rfc3339_opts(SecondsFormat::Secs, true),
    }
}

/// A price entry's start or end: in UTC, in the market's offset, or as a local date where the
/// instant is a local midnight (as an end, a date stands for the next midnight: the day before).
fn bound_text(t: DateTime<Utc>, zone: Tz, edge: DateEdge, form: u8) -> String {
    let date = t.with_timezone(&zone).date_naive();
    match form {
        0 => instant_text(t, None),
        2 if local_midnight(date, zone) == Some(t) => match edge {
            DateEdge::Start => date.format("%Y-%m-%d").to_string(),
            DateEdge::End => date.pred_opt().map_or_else(
                || instant_text(t, Some(zone)),
                |d| d.format("%Y-%m-%d").to_string(),
            ),
        },
        _ => instant_text(t, Some(zone)),
    }
}

fn gtin_text((kind, digits): (usize, u64)) -> Option<String> {
    let length = [8_usize, 12, 13, 14][kind % 4];
    let data = format!(
        "{:0width$}",
        digits % 10_u64.pow(length as u32 - 1),
        width = length - 1
    );
    Gtin::check_digit(&data).map(|check| format!("{data}{check}"))
}

pub(super) fn build(config: &ArbConfig, plan: &Plan) -> CatalogDocument {
    let mut doc = CatalogDocument::default();

    // Markets.
    let mut markets: Vec<BuiltMarket> = Vec::new();
    for (i, m) in plan.markets.iter().enumerate().take(2) {
        let (id, code, zone, locale) = match (i, m.yen) {
            (0, _) => ("IT", "EUR", chrono_tz::Europe::Rome, "it-IT"),
            (_, true) => ("JP", "JPY", chrono_tz::Asia::Tokyo, "ja-JP"),
            (_, false) => ("DE", "EUR", chrono_tz::Europe::Berlin, "de-DE"),
        };
        doc.markets.push(MarketEntry {
            id: id.to_owned(),
            currency: code.to_owned(),
            time_zone: zone.name().to_owned(),
            locale: m.locale.then(|| locale.to_owned()),
            prices_include_tax: m.prices_include_tax,
            reference_price_days: m.reference_price_days,
            unit_price_required: m.unit_price_required,
            anchor_price_date: m.anchor.as_ref().map(|(day, _)| {
                let day = day.index(config.days.max(1) as usize) as i64;
                (config.start + Duration::days(day))
                    .with_timezone(&zone)
                    .date_naive()
                    .format("%Y-%m-%d")
                    .to_string()
            }),
            anchor_price_channels: m
                .anchor
                .as_ref()
                .and_then(|(_, kinds)| *kinds)
                .map(|mask| some_of(&ChannelKind::ALL, mask)),
            meta: None,
        });
        markets.push(BuiltMarket {
            id: id.to_owned(),
            currency: Currency::from_code(code).unwrap_or(Currency::EUR),
            zone,
            channels: Vec::new(),
        });
    }
    let zones: Vec<Tz> = markets.iter().map(|m| m.zone).collect();
    let grid = Grid::new(config, &plan.anchors, &zones);

    // Locations and channels.
    for (i, &store) in plan.locations.iter().enumerate() {
        let (kind, prefix) = if store {
            (LocationKind::Store, "store")
        } else {
            (LocationKind::Warehouse, "wh")
        };
        doc.locations.push(LocationEntry {
            id: format!("{prefix}-{i}"),
            kind,
            meta: None,
        });
    }
    let location_ids: Vec<String> = doc.locations.iter().map(|l| l.id.clone()).collect();
    for (m, market) in markets.iter_mut().enumerate() {
        for (j, c) in plan.channels.get(m).into_iter().flatten().enumerate() {
            let kind = ChannelKind::ALL[c.kind.index(ChannelKind::ALL.len())];
            market.channels.push(doc.channels.len());
            doc.channels.push(ChannelEntry {
                id: format!("{kind}-{}-{j}", market.id.to_lowercase()),
                kind,
                market: market.id.clone(),
                locations: subset(&location_ids, c.locations),
                meta: None,
            });
        }
    }
    let channel_ids: Vec<String> = doc.channels.iter().map(|c| c.id.clone()).collect();

    // Products, their prices and stock.
    let mut prices: Vec<BuiltPrice> = Vec::new();
    let mut gtins = BTreeSet::new();
    for (p, plan) in plan.products.iter().enumerate() {
        let sku = format!("SKU-{p}");
        let gtin = plan.gtin.and_then(gtin_text).filter(|text| {
            text.parse::<Gtin>()
                .is_ok_and(|normal| gtins.insert(normal))
        });
        let title = if plan.localized_title {
            Title::ByLocale(BTreeMap::from([
                ("en".to_owned(), format!("Product {p}")),
                ("it".to_owned(), format!("Prodotto {p}")),
            ]))
        } else {
            Title::One(format!("Product {p}"))
        };
        let unit = plan.unit.as_ref().map(|(measure, quantity)| {
            let (measure, quantities) = MEASURES[measure.index(MEASURES.len())];
            UnitEntry {
                quantity: DecimalText(quantities[quantity.index(quantities.len())].to_owned()),
                measure,
            }
        });
        doc.products.push(ProductEntry {
            sku: sku.clone(),
            gtin,
            title,
            brand: plan.brand.then(|| "Acme".to_owned()),
            category: plan
                .category
                .as_ref()
                .map(|c| CATEGORIES[c.index(CATEGORIES.len())].to_owned()),
            launched: plan
                .launched
                .as_ref()
                .map(|t| instant_text(grid.at(t), None)),
            unit,
            perishable: plan.perishable,
            channels: plan
                .channels
                .filter(|_| !channel_ids.is_empty())
                .map(|mask| some_of(&channel_ids, mask)),
            family: plan
                .family
                .map(|second| format!("FAM-{}", u8::from(second))),
            variant: plan
                .family
                .map(|_| BTreeMap::from([("size".to_owned(), format!("S{p}"))])),
            rrp: None,
            meta: None,
        });
        build_lanes(&mut doc, &mut prices, &grid, &markets, p, plan);
        build_channel_prices(&mut doc, &mut prices, &grid, &markets, p, plan);
        build_tiered(&mut doc, &mut prices, &grid, &markets, p, plan);
        build_rrp(&mut doc, &prices, &markets, p, plan);
        build_stock(&mut doc, &grid, &location_ids, &sku, plan);
    }

    // Promotions.
    for (i, promotion) in plan.promotions.iter().enumerate() {
        let entry = build_promotion(&doc, &prices, &grid, &markets, i, promotion);
        doc.promotions.push(entry);
    }
    doc
}

/// The market-wide price list of one product in each market: contiguous stretches between sorted
/// boundaries, some left out as gaps, the last one sometimes open-ended.
fn build_lanes(
    doc: &mut CatalogDocument,
    prices: &mut Vec<BuiltPrice>,
    grid: &Grid,
    markets: &[BuiltMarket],
    product: usize,
    plan: &ProductPlan,
) {
    for (m, (market, lane)) in markets.iter().zip(&plan.lanes).enumerate() {
        if !lane.priced {
            continue;
        }
        let start = lane.start.as_ref().map_or(grid.start, |t| grid.at(t));
        let bounds: BTreeSet<DateTime<Utc>> = std::iter::once(start)
            .chain(lane.steps.iter().map(|(t, _)| grid.at(t)))
            .collect();
        let bounds: Vec<DateTime<Utc>> = bounds.into_iter().collect();
        let entries: Vec<&EntryPlan> = std::iter::once(&lane.first)
            .chain(lane.steps.iter().map(|(_, e)| e))
            .collect();
        let mut windows: Vec<(Window, &EntryPlan)> = bounds
            .windows(2)
            .zip(&entries)
            .map(|(pair, entry)| (Window::new(pair[0], Some(pair[1])), *entry))
            .collect();
        if windows.is_empty() || lane.open_ended {
            let last = bounds.last().copied().unwrap_or(grid.start);
            let entry = entries.get(windows.len()).copied().unwrap_or(&lane.first);
            match windows.last_mut() {
                Some((window, _)) if lane.open_ended => window.until = None,
                _ => windows.push((Window::new(last, None), entry)),
            }
        }
        let kept: Vec<&(Window, &EntryPlan)> = windows.iter().filter(|(_, e)| !e.gap).collect();
        let kept = if kept.is_empty() {
            windows.iter().take(1).collect()
        } else {
            kept
        };
        for (window, entry) in kept {
            push_price(doc, prices, market, m, product, None, *window, entry);
        }
    }
}

/// Channel-specific entries, each kept unless it overlaps one already kept on a channel it names.
fn build_channel_prices(
    doc: &mut CatalogDocument,
    prices: &mut Vec<BuiltPrice>,
    grid: &Grid,
    markets: &[BuiltMarket],
    product: usize,
    plan: &ProductPlan,
) {
    let mut taken: BTreeMap<usize, Vec<Window>> = BTreeMap::new();
    for c in &plan.channel_prices {
        let m = c.market.index(markets.len());
        let market = &markets[m];
        if market.channels.is_empty() {
            continue;
        }
        let channels = some_of(&market.channels, c.channels);
        let window = grid.window(&c.from, c.until.as_ref());
        let clash = channels.iter().any(|ch| {
            taken
                .get(ch)
                .is_some_and(|ws| ws.iter().any(|w| w.overlaps(&window)))
        });
        if clash {
            continue;
        }
        for ch in &channels {
            taken.entry(*ch).or_default().push(window);
        }
        let ids = channels
            .iter()
            .map(|&ch| doc.channels[ch].id.clone())
            .collect();
        push_price(doc, prices, market, m, product, Some(ids), window, &c.entry);
    }
}

/// Group and volume entries, market-wide, each kept unless it overlaps one already kept of the
/// same market, group and `min_quantity` (CONTRACT §11).
fn build_tiered(
    doc: &mut CatalogDocument,
    prices: &mut Vec<BuiltPrice>,
    grid: &Grid,
    markets: &[BuiltMarket],
    product: usize,
    plan: &ProductPlan,
) {
    let mut taken: BTreeMap<(usize, bool, u32), Vec<Window>> = BTreeMap::new();
    for t in &plan.tiered {
        let m = t.market.index(markets.len());
        let Some(market) = markets.get(m) else {
            continue;
        };
        let window = grid.window(&t.from, t.until.as_ref());
        let kept = taken.entry((m, t.group, t.min_quantity)).or_default();
        if kept.iter().any(|w| w.overlaps(&window)) {
            continue;
        }
        kept.push(window);
        push_price(doc, prices, market, m, product, None, window, &t.entry);
        if let Some(entry) = doc.prices.last_mut() {
            entry.group = t.group.then(|| GROUP.to_owned());
            entry.min_quantity = (t.min_quantity > 1).then_some(t.min_quantity);
        }
    }
}

/// The recommended retail prices of a product: per market, some per mille above its highest price
/// there (CONTRACT §12).
fn build_rrp(
    doc: &mut CatalogDocument,
    prices: &[BuiltPrice],
    markets: &[BuiltMarket],
    product: usize,
    plan: &ProductPlan,
) {
    let mut rrp = BTreeMap::new();
    for (m, (market, above)) in markets.iter().zip(&plan.rrp).enumerate() {
        let Some(above) = above else {
            continue;
        };
        let highest = prices
            .iter()
            .filter(|p| p.product == product && p.market == m)
            .map(|p| u64::from(p.minor))
            .max()
            .unwrap_or(1000);
        let minor = highest * (1000 + u64::from(*above)) / 1000;
        let minor = u32::try_from(minor).unwrap_or(u32::MAX);
        rrp.insert(market.id.clone(), money_text(minor, market.currency, false));
    }
    if let Some(entry) = doc.products.get_mut(product) {
        entry.rrp = (!rrp.is_empty()).then_some(rrp);
    }
}

#[allow(clippy::too_many_arguments)] // One entry: every field of it comes from somewhere else.
fn push_price(
    doc: &mut CatalogDocument,
    prices: &mut Vec<BuiltPrice>,
    market: &BuiltMarket,
    m: usize,
    product: usize,
    channels: Option<Vec<String>>,
    window: Window,
    entry: &EntryPlan,
) {
    let minor = entry.amount.minor;
    doc.prices.push(PriceEntry {
        sku: doc.products[product].sku.clone(),
        market: market.id.clone(),
        channels,
        amount: money_text(minor, market.currency, entry.amount.short),
        from: bound_text(window.from, market.zone, DateEdge::Start, entry.form),
        until: window
            .until
            .map(|u| bound_text(u, market.zone, DateEdge::End, entry.form)),
        group: None,
        min_quantity: None,
        meta: None,
    });
    prices.push(BuiltPrice {
        product,
        market: m,
        minor,
    });
}

fn build_stock(
    doc: &mut CatalogDocument,
    grid: &Grid,
    locations: &[String],
    sku: &str,
    plan: &ProductPlan,
) {
    if locations.is_empty() {
        return;
    }
    let mut counted = BTreeSet::new();
    for s in &plan.stock {
        let location = s.location.index(locations.len());
        let as_of = grid.at(&s.as_of);
        // One count per product, location and instant: a second one would contradict it.
        if !counted.insert((location, as_of)) {
            continue;
        }
        doc.stock.push(StockSnapshot {
            sku: sku.to_owned(),
            location: locations[location].clone(),
            on_hand: s.on_hand,
            reserved: s.reserved,
            as_of: instant_text(as_of, None),
            meta: None,
        });
    }
}

fn build_promotion(
    doc: &CatalogDocument,
    prices: &[BuiltPrice],
    grid: &Grid,
    markets: &[BuiltMarket],
    i: usize,
    plan: &PromotionPlan,
) -> PromotionEntry {
    let (market_scope, in_scope) = promotion_markets(markets, plan);
    let (skus, categories, targets) = promotion_targets(doc, plan);
    let currency = markets[in_scope[0]].currency;
    let mechanic = match &plan.mechanic {
        MechanicPlan::PercentOff(p) => MechanicEntry::PercentOff(DecimalText(p.to_string())),
        MechanicPlan::AmountOff(per_mille) => {
            // Smaller than every price it can meet: below the lowest price of its targets in its
            // markets; a percentage where the lowest is one minor unit.
            let lowest = prices
                .iter()
                .filter(|p| targets.contains(&p.product) && in_scope.contains(&p.market))
                .map(|p| p.minor)
                .min();
            match lowest {
                None => MechanicEntry::AmountOff(money_text(*per_mille, currency, false)),
                Some(lowest) if lowest >= 2 => {
                    let off = (u64::from(lowest) * u64::from(*per_mille) / 1000)
                        .clamp(1, u64::from(lowest) - 1);
                    let off = u32::try_from(off).unwrap_or(1);
                    MechanicEntry::AmountOff(money_text(off, currency, false))
                }
                Some(_) => MechanicEntry::PercentOff(DecimalText((per_mille % 99 + 1).to_string())),
            }
        }
        MechanicPlan::FixedPrice(amount) => {
            MechanicEntry::FixedPrice(money_text(amount.minor, currency, amount.short))
        }
        MechanicPlan::MultiBuy(buy, pay) => MechanicEntry::MultiBuy(MultiBuy {
            buy: *buy,
            pay: *pay,
        }),
    };
    let eligible: Vec<String> = in_scope
        .iter()
        .flat_map(|&m| &markets[m].channels)
        .map(|&c| doc.channels[c].id.clone())
        .collect();
    let channels = plan
        .channels
        .filter(|_| !eligible.is_empty())
        .map(|mask| some_of(&eligible, mask));
    let window = grid.window(&plan.from, plan.until.as_ref());
    // Local dates are read in the time zone its markets share; without one, instants only.
    let zones: BTreeSet<&str> = in_scope.iter().map(|&m| markets[m].zone.name()).collect();
    let form = if zones.len() == 1 {
        plan.form
    } else {
        plan.form.min(1)
    };
    let zone = markets[in_scope[0]].zone;
    PromotionEntry {
        id: format!("{}{i}", plan.letter),
        name: plan.named.then(|| format!("Promotion {i}")),
        markets: market_scope.map(|ms| ms.iter().map(|&m| markets[m].id.clone()).collect()),
        channels,
        skus,
        categories,
        from: bound_text(window.from, zone, DateEdge::Start, form),
        until: window
            .until
            .map(|u| bound_text(u, zone, DateEdge::End, form)),
        mechanic,
        audience: plan.audience.clone(),
        priority: plan.priority,
        exclusive: plan.exclusive,
        meta: None,
    }
}

/// The markets a promotion names (`None`: every market) and the markets it runs in. Money is in one
/// currency, so a promotion with a money mechanic keeps to the markets of one currency.
fn promotion_markets(
    markets: &[BuiltMarket],
    plan: &PromotionPlan,
) -> (Option<Vec<usize>>, Vec<usize>) {
    let all: Vec<usize> = (0..markets.len()).collect();
    let currencies: Vec<Currency> = markets
        .iter()
        .map(|m| m.currency)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let is_money = matches!(
        plan.mechanic,
        MechanicPlan::AmountOff(_) | MechanicPlan::FixedPrice(_)
    );
    if is_money && currencies.len() > 1 {
        let currency = currencies[plan.currency.index(currencies.len())];
        let same: Vec<usize> = all
            .into_iter()
            .filter(|&m| markets[m].currency == currency)
            .collect();
        return (Some(same.clone()), same);
    }
    match plan.markets {
        None => (None, all),
        Some(mask) => {
            let chosen = some_of(&all, u32::from(mask));
            (Some(chosen.clone()), chosen)
        }
    }
}

/// The skus and categories a promotion targets (at least one of them), and the products they cover
/// (a category covers its sub-categories).
fn promotion_targets(
    doc: &CatalogDocument,
    plan: &PromotionPlan,
) -> (Vec<String>, Vec<String>, Vec<usize>) {
    let paths: BTreeSet<&str> = doc
        .products
        .iter()
        .filter_map(|p| p.category.as_deref())
        .flat_map(|c| c.match_indices('/').map(|(cut, _)| &c[..cut]).chain([c]))
        .collect();
    let paths: Vec<String> = paths.into_iter().map(str::to_owned).collect();
    let categories = subset(&paths, plan.categories);
    let all_skus: Vec<String> = doc.products.iter().map(|p| p.sku.clone()).collect();
    let mut skus = subset(&all_skus, plan.skus);
    if skus.is_empty() && categories.is_empty() {
        skus = some_of(&all_skus, plan.skus);
    }
    let under = |category: &str, target: &str| {
        category
            .strip_prefix(target)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    };
    let targets = doc
        .products
        .iter()
        .enumerate()
        .filter(|(_, p)| {
            skus.contains(&p.sku)
                || p.category
                    .as_deref()
                    .is_some_and(|c| categories.iter().any(|t| under(c, t)))
        })
        .map(|(i, _)| i)
        .collect();
    (skus, categories, targets)
}
