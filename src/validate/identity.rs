//! `identity.*`: is this the product the catalog knows, sold on this channel, with its GTIN and title?

use chrono_tz::Tz;

use super::{Check, Finding, Rule, Severity, Validator, Value};
use crate::catalog::ProductKey;
use crate::gtin::Gtin;
use crate::rendering::Rendering;

/// Resolves the rendering's channel and product, or reports why it cannot be checked further.
///
/// `product` is what [`Validator::product_of`] gives for the rendering (looked up by the caller).
pub(super) fn resolve<'a, 'c>(
    v: &'a Validator<'c>,
    r: &'a Rendering,
    position: usize,
    product: Option<ProductKey>,
) -> Result<Check<'a, 'c>, Vec<Finding>> {
    let catalog = v.catalog;
    // A finding about the rendering as a whole, at its first instant (in UTC when even the channel,
    // and so the market's time zone, is unknown).
    let alone = |rule: Rule,
                 zone: Option<Tz>,
                 sku: Option<String>,
                 found: Option<Value>,
                 message: &dyn Fn() -> String| {
        let from = r.shown.window().from;
        let at = zone.map_or_else(
            || from.fixed_offset(),
            |zone| crate::time::in_zone(from, zone),
        );
        let severity = v.severity(rule);
        let finding = (severity != Severity::Allow).then(|| Finding {
            sku,
            found,
            ..Finding::about(r, position, rule, severity, at, message())
        });
        finding.into_iter().collect::<Vec<_>>()
    };
    let Some(channel) = catalog.channel_key(&r.channel) else {
        return Err(alone(
            Rule::IdentityUnknownChannel,
            None,
            r.sku.clone(),
            Some(Value::Text(r.channel.clone())),
            &|| format!("channel {:?} is not in the catalog", r.channel),
        ));
    };
    let zone = Some(
        catalog
            .market_at(catalog.channel_at(channel).market)
            .time_zone,
    );
    if product.is_none() && r.family.is_some() && r.sku.is_none() && r.gtin.is_none() {
        return Err(super::family::unpicked(v, r, position, channel));
    }
    let Some(product) = product else {
        let message = || {
            let named = match (&r.sku, &r.gtin) {
                (Some(sku), _) => format!("SKU {sku:?}"),
                (None, Some(gtin)) => format!("GTIN {gtin:?}"),
                (None, None) => "no SKU and no GTIN".to_owned(),
            };
            format!("{} shows {named}, which is not in the catalog", r.channel)
        };
        let found = r.sku.clone().or_else(|| r.gtin.clone());
        return Err(alone(
            Rule::IdentityUnknownProduct,
            zone,
            r.sku.clone(),
            found.map(Value::Text),
            &message,
        ));
    };
    if !catalog.is_listed(product, channel) {
        let sku = &catalog.product_at(product).sku;
        return Err(alone(
            Rule::IdentityNotListed,
            zone,
            Some(sku.clone()),
            None,
            &|| format!("{} shows {sku}, which is not in its assortment", r.channel),
        ));
    }
    let mut check = Check::new(v, r, position, product, channel);
    if let (Some(_), Some(gtin)) = (&r.sku, &r.gtin) {
        check.compare_gtin(None, gtin);
    }
    Ok(check)
}

impl Check<'_, '_> {
    pub(super) fn gtin(&mut self, i: usize, shown: &str) {
        self.compare_gtin(Some(i), shown);
    }

    fn compare_gtin(&mut self, claim: Option<usize>, shown: &str) {
        let expected = self.product.gtin;
        let parsed = shown.parse::<Gtin>();
        if let (Ok(found), Some(expected)) = (&parsed, expected)
            && *found == expected
        {
            return;
        }
        if !self.wants(Rule::IdentityGtinMismatch) {
            return;
        }
        let message = match (&parsed, expected) {
            (Err(e), _) => format!("{} shows {e}", self.channel.id),
            (Ok(_), Some(expected)) => format!(
                "{} shows GTIN {shown}; the product's is {expected}",
                self.channel.id
            ),
            (Ok(_), None) => format!(
                "{} shows GTIN {shown}; the catalog has no GTIN for {}",
                self.channel.id, self.product.sku
            ),
        };
        let at = self.shown.from;
        self.report(
            Rule::IdentityGtinMismatch,
            claim,
            at,
            expected.map(|g| Value::Text(g.to_string())),
            Some(Value::from(shown)),
            message,
            vec![],
        );
    }

    pub(super) fn title(&mut self, i: usize, shown: &str) {
        let titles = || -> Box<dyn Iterator<Item = &str> + '_> {
            match &self.product.title {
                crate::catalog::Title::One(t) => Box::new(std::iter::once(t.as_str())),
                crate::catalog::Title::ByLocale(map) => Box::new(map.values().map(String::as_str)),
            }
        };
        // The common case first, without allocating: the title of one locale, as written.
        if titles().any(|t| same_words(t, shown)) {
            return;
        }
        let best = titles()
            .map(|t| similarity(t, shown))
            .fold(0.0_f64, f64::max);
        let threshold = self.v.policy.title_min_similarity;
        if best >= threshold || !self.wants(Rule::IdentityTitleMismatch) {
            return;
        }
        let expected = self
            .product
            .title
            .for_locale(self.market.locale.as_deref())
            .to_owned();
        let message = format!(
            "{} shows the title {shown:?}, {:.0}% alike to the product's {expected:?} (the policy wants {:.0}%)",
            self.channel.id,
            best * 100.0,
            threshold * 100.0
        );
        let at = self.shown.from;
        self.report(
            Rule::IdentityTitleMismatch,
            Some(i),
            at,
            Some(Value::Text(expected)),
            Some(Value::from(shown)),
            message,
            vec![],
        );
    }
}

/// How alike two titles are, 0 to 1: the Sørensen–Dice coefficient of the character bigrams of their
/// normal forms (lower case, letters and digits, single spaces). Word order and a typo cost little; a
/// different product name costs much. Similarity is a score for people, not money: a float is fine.
pub fn similarity(a: &str, b: &str) -> f64 {
    if same_words(a, b) {
        return 1.0;
    }
    let (a, b): (String, String) = (normal_chars(a).collect(), normal_chars(b).collect());
    let (mut x, mut y) = (bigrams(&a), bigrams(&b));
    if x.is_empty() || y.is_empty() {
        return 0.0;
    }
    x.sort_unstable();
    y.sort_unstable();
    let (mut i, mut j, mut shared) = (0, 0, 0_usize);
    while let (Some(p), Some(q)) = (x.get(i), y.get(j)) {
        match p.cmp(q) {
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
        }
    }
    // Counts are far below 2^52: exact as f64.
    2.0 * shared as f64 / (x.len() + y.len()) as f64
}

/// Whether two titles have the same normal form (similarity 1), without allocating: the common
/// case, a title shown as written.
fn same_words(a: &str, b: &str) -> bool {
    a == b
        || if a.is_ascii() && b.is_ascii() {
            ascii_words(a).eq(ascii_words(b))
        } else {
            normal_chars(a).eq(normal_chars(b))
        }
}

/// The normal form of an ASCII title as bytes, lazily: the same as [`normal_chars`], cheaper.
fn ascii_words(text: &str) -> impl Iterator<Item = u8> + '_ {
    let mut bytes = text.bytes().peekable();
    let (mut started, mut space_due) = (false, false);
    std::iter::from_fn(move || {
        loop {
            let &b = bytes.peek()?;
            if b.is_ascii_alphanumeric() {
                if space_due {
                    space_due = false;
                    return Some(b' ');
                }
                bytes.next();
                started = true;
                return Some(b.to_ascii_lowercase());
            }
            bytes.next();
            space_due = started;
        }
    })
}

/// The normal form of a title, lazily: lower-case words of letters and digits, one space between.
fn normal_chars(text: &str) -> impl Iterator<Item = char> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .enumerate()
        .flat_map(|(i, word)| {
            (i > 0)
                .then_some(' ')
                .into_iter()
                .chain(word.chars().flat_map(char::to_lowercase))
        })
}

fn bigrams(text: &str) -> Vec<(char, char)> {
    let chars: Vec<char> = text.chars().collect();
    chars
        .iter()
        .zip(chars.iter().skip(1))
        .map(|(a, b)| (*a, *b))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::similarity;

    #[test]
    fn similar_titles_score_high_and_other_products_low() {
        assert_eq!(similarity("Notebook Acme 14", "notebook  ACME-14"), 1.0);
        assert!(similarity("Notebook Acme 14", "Acme Notebook 14") > 0.8);
        assert!(similarity("Notebook Acme 14", "Notebok Acme 14") > 0.8);
        assert!(similarity("Notebook Acme 14", "Smartphone Acme X") < 0.5);
        assert_eq!(similarity("", "x"), 0.0);
        assert_eq!(similarity("  Olio EVO, 1 l ", "olio evo 1 L"), 1.0);
        assert!(similarity("Olio EVO 1 l", "olio evo 1 ml") < 1.0);
        assert!(similarity("Olio EVO 1 l", "olioevo 1 l") < 1.0);
    }
}
