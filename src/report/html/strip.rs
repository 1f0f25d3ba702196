//! The timeline strip of one product: the catalog's public price on each channel over the time the
//! product was shown, and what each rendering claimed, as a small SVG drawn here (no script).
//!
//! Coordinates are whole pixels computed without floats: times in seconds (integers), prices as
//! decimals rounded half away from zero to a pixel.

use std::collections::BTreeMap;
use std::fmt::Write;

use chrono::{DateTime, Duration, Utc};
use rust_decimal::{Decimal, RoundingStrategy};

use super::Showing;
use super::escape;
use crate::Catalog;
use crate::time::Window;

const WIDTH: i64 = 640;
const HEIGHT: i64 = 132;
/// The plot inside the strip: room on the left for prices, below for dates and the legend.
const LEFT: i64 = 78;
const RIGHT: i64 = 630;
const TOP: i64 = 10;
const BOTTOM: i64 = 84;
/// Channels drawn in one strip, and claims: the rest are counted in the caption.
const MAX_CHANNELS: usize = 4;
const MAX_CLAIMS: usize = 40;
/// Line styles by channel: colour and dash, so that two channels differ without colour too.
const STYLES: [(&str, &str); MAX_CHANNELS] = [
    ("#1f4e99", ""),
    ("#7a3e9d", "6 3"),
    ("#0f7b6c", "2 3"),
    ("#8a5a00", "9 3 2 3"),
];

/// A stretch of constant catalog price: from, until, price.
type Stretch = (DateTime<Utc>, DateTime<Utc>, crate::Money);

/// The hull of the windows shown, widened so that an instant has some width and the lines do not
/// touch the edges.
fn span(showings: &[&Showing]) -> Option<Window> {
    let from = showings.iter().map(|s| s.window.from).min()?;
    let ends = showings
        .iter()
        .map(|s| s.window.until.unwrap_or(s.window.from));
    let until = ends.max().unwrap_or(from).max(from);
    let length = until - from;
    let pad = if length < Duration::hours(2) {
        Duration::hours(12)
    } else {
        length / 20
    };
    let from = from.checked_sub_signed(pad).unwrap_or(from);
    let until = until.checked_add_signed(pad).unwrap_or(until);
    Some(Window::new(from, Some(until)))
}

struct Axes {
    from: DateTime<Utc>,
    seconds: i64,
    low: Decimal,
    high: Decimal,
}

impl Axes {
    fn x(&self, t: DateTime<Utc>) -> i64 {
        let offset = (t - self.from).num_seconds().clamp(0, self.seconds);
        let width = i128::from(RIGHT - LEFT);
        let x = i128::from(offset) * width / i128::from(self.seconds.max(1));
        LEFT + i64::try_from(x).unwrap_or(0)
    }

    fn y(&self, price: Decimal) -> i64 {
        let range = self.high - self.low;
        if range.is_zero() {
            return (TOP + BOTTOM) / 2;
        }
        let height = Decimal::from(BOTTOM - TOP);
        let y = (self.high - price) * height / range;
        let y = y.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero);
        TOP + i64::try_from(y).unwrap_or(0).clamp(0, BOTTOM - TOP)
    }
}

/// The SVG strip of `sku`, or `None` when nothing of it can be drawn (no showing, no price).
pub(super) fn strip(
    catalog: &Catalog,
    sku: &str,
    showings: &[&Showing],
    id: usize,
) -> Option<String> {
    let window = span(showings)?;
    let until = window.until?;
    let channels: Vec<&str> = {
        let mut seen: Vec<&str> = showings.iter().map(|s| s.channel.as_str()).collect();
        seen.sort_unstable();
        seen.dedup();
        seen
    };
    // The catalog's public price, per channel, as stretches of constant price.
    let mut lines: BTreeMap<&str, Vec<Stretch>> = BTreeMap::new();
    for channel in channels.iter().take(MAX_CHANNELS) {
        let Ok(segments) = catalog.timeline(sku, channel, window) else {
            continue;
        };
        let stretches = segments
            .iter()
            .filter_map(|s| Some((s.window.from, s.window.until.unwrap_or(until), s.price?)))
            .collect();
        lines.insert(channel, stretches);
    }
    let claims: Vec<&&Showing> = showings.iter().filter(|s| s.price.is_some()).collect();
    let prices = lines
        .values()
        .flatten()
        .map(|(_, _, p)| p.amount())
        .chain(claims.iter().filter_map(|s| s.price.map(|p| p.amount())));
    let (low, high) = prices.fold(None, |acc: Option<(Decimal, Decimal)>, p| match acc {
        None => Some((p, p)),
        Some((l, h)) => Some((l.min(p), h.max(p))),
    })?;
    let axes = Axes {
        from: window.from,
        seconds: (until - window.from).num_seconds().max(1),
        low,
        high,
    };
    let zone = channels
        .first()
        .and_then(|c| catalog.channel(c))
        .map(|c| catalog.market_at(c.market).time_zone);
    let when = |t: DateTime<Utc>| {
        let text = zone.map_or_else(
            || t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            |z| crate::time::rfc3339_in(t, z),
        );
        // "2026-11-27T07:00:00+01:00" -> "2026-11-27 07:00".
        text.get(..16).unwrap_or(&text).replacen('T', " ", 1)
    };
    let currency = lines
        .values()
        .flatten()
        .map(|(_, _, p)| p.currency())
        .chain(claims.iter().filter_map(|s| s.price.map(|p| p.currency())))
        .next();
    let code = currency.as_ref().map_or("", |c| c.code());

    let mut svg = String::new();
    let title = format!(
        "Timeline of {}: the catalog's price on {} from {} to {}, and {} claimed price{}",
        sku,
        channels.join(", "),
        when(window.from),
        when(until),
        claims.len(),
        if claims.len() == 1 { "" } else { "s" }
    );
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="strip" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="strip-{id}"><title id="strip-{id}">{}</title>"#,
        escape(&title)
    );
    // Axes: the price range on the left, the time span below.
    let _ = write!(
        svg,
        r##"<path class="axis" d="M{LEFT} {TOP}V{BOTTOM}H{RIGHT}" fill="none" stroke="#888"/><text x="{}" y="{}" text-anchor="end">{} {code}</text><text x="{}" y="{}" text-anchor="end">{} {code}</text><text x="{LEFT}" y="{}">{}</text><text x="{RIGHT}" y="{}" text-anchor="end">{}</text>"##,
        LEFT - 4,
        axes.y(high) + 4,
        high,
        LEFT - 4,
        axes.y(low) + 4,
        low,
        BOTTOM + 14,
        escape(&when(window.from)),
        BOTTOM + 14,
        escape(&when(until)),
    );
    let style_of = |channel: &str| {
        channels
            .iter()
            .position(|c| *c == channel)
            .and_then(|i| STYLES.get(i))
            .copied()
            .unwrap_or(("#555", "1 2"))
    };
    for (channel, stretches) in &lines {
        let (colour, dash) = style_of(channel);
        let mut d = String::new();
        for (from, to, price) in stretches {
            let y = axes.y(price.amount());
            let _ = write!(d, "M{} {y}H{}", axes.x(*from), axes.x(*to));
        }
        if d.is_empty() {
            continue;
        }
        let _ = write!(
            svg,
            r#"<path class="catalog" d="{d}" fill="none" stroke="{colour}" stroke-width="2" stroke-dasharray="{dash}"><title>{}</title></path>"#,
            escape(&format!("the catalog's price on {channel}"))
        );
    }
    for s in claims.iter().take(MAX_CLAIMS) {
        let Some(price) = s.price else { continue };
        let (colour, _) = style_of(&s.channel);
        let (x1, y) = (axes.x(s.window.from), axes.y(price.amount()));
        let x2 = axes.x(s.window.until.unwrap_or(until)).max(x1 + 2);
        let shown = match s.window.until {
            Some(end) if end - s.window.from > Duration::seconds(1) => {
                format!("{} to {}", when(s.window.from), when(end))
            }
            Some(_) => format!("at {}", when(s.window.from)),
            None => format!("from {}", when(s.window.from)),
        };
        let _ = write!(
            svg,
            r#"<g class="claim"><line x1="{x1}" y1="{y}" x2="{x2}" y2="{y}" stroke="{colour}" stroke-width="6" stroke-opacity="0.45"/><circle cx="{x1}" cy="{y}" r="3.5" fill="{colour}"/><title>{}</title></g>"#,
            escape(&format!(
                "{} on {} claims {price}, {shown}",
                s.rendering, s.channel
            ))
        );
    }
    // The legend: one entry per channel drawn, line style and name.
    let mut x = LEFT;
    for channel in lines.keys() {
        let (colour, dash) = style_of(channel);
        let _ = write!(
            svg,
            r#"<path d="M{x} {y}h22" stroke="{colour}" stroke-width="2" stroke-dasharray="{dash}"/><text x="{}" y="{}">{}</text>"#,
            x + 26,
            BOTTOM + 38,
            escape(channel),
            y = BOTTOM + 34,
        );
        x += 30 + 8 * i64::try_from(channel.chars().count().min(24)).unwrap_or(24);
    }
    let _ = write!(
        svg,
        r##"<circle cx="{}" cy="{}" r="3.5" fill="#555"/><text x="{}" y="{}">claimed</text>"##,
        x + 4,
        BOTTOM + 34,
        x + 12,
        BOTTOM + 38
    );
    svg.push_str("</svg>");
    Some(svg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_strip_draws_each_channel_and_each_claim() {
        let catalog = Catalog::from_json(include_str!("../../../examples/data/catalog.json"))
            .expect("demo catalog compiles");
        let at = |t: &str| crate::time::parse_instant(t).expect("an instant");
        let showing = |id: &str, channel: &str, price: &str| Showing {
            rendering: id.to_owned(),
            channel: channel.to_owned(),
            sku: "LAPTOP-14".to_owned(),
            window: Window::new(
                at("2026-11-26T00:00:00+01:00"),
                Some(at("2026-11-29T00:00:00+01:00")),
            ),
            price: price.parse().ok(),
        };
        let shown = [
            showing("page", "web-it", "719.20 EUR"),
            showing("<hero>", "email-it", "729.00 EUR"),
        ];
        let refs: Vec<&Showing> = shown.iter().collect();
        let svg = strip(&catalog, "LAPTOP-14", &refs, 7).expect("a strip");
        assert_eq!(svg.matches(r#"<path class="catalog""#).count(), 2, "{svg}");
        assert_eq!(svg.matches(r#"<g class="claim">"#).count(), 2);
        assert!(
            svg.contains("&lt;hero&gt; on email-it claims 729.00 EUR"),
            "{svg}"
        );
        assert!(!svg.contains("<hero>"));
        // 899.00 before Black Friday, 719.20 from it: the top and bottom of the price axis.
        assert!(
            svg.contains(">899.00 EUR</text>") && svg.contains(">719.20 EUR</text>"),
            "{svg}"
        );
        assert!(svg.contains(r#"aria-labelledby="strip-7""#));
    }
}
