//! `unit_price.*`: the price per kg, l, m, m² or m³ beside the selling price of goods sold by quantity
//! (Directive 98/6/EC art. 3; Codice del Consumo artt. 13–17).

use rust_decimal::Decimal;

use super::{Check, Rule, Value};
use crate::catalog::Measure;
use crate::money::Money;
use crate::rendering::{ClaimKind, UnitPrice};

/// A measure as a multiple of its dimension's base unit: g = 0.001 kg, ml = 0.001 l.
fn in_base(measure: Measure) -> Option<(&'static str, Decimal)> {
    let milli = Decimal::new(1, 3);
    match measure {
        Measure::Kilogram => Some(("mass", Decimal::ONE)),
        Measure::Gram => Some(("mass", milli)),
        Measure::Litre => Some(("volume", Decimal::ONE)),
        Measure::Millilitre => Some(("volume", milli)),
        Measure::Metre => Some(("length", Decimal::ONE)),
        Measure::SquareMetre => Some(("area", Decimal::ONE)),
        Measure::CubicMetre => Some(("cubic metres", Decimal::ONE)),
        // Pieces of a multipack (CONTRACT §12): `"per": "1 item"`.
        Measure::Item => Some(("items", Decimal::ONE)),
    }
}

/// The unit price of `price` for a pack of `quantity`, per `per`, rounded half away from zero.
pub(crate) fn unit_price_of(
    price: Money,
    quantity: Decimal,
    measure: Measure,
    per: crate::rendering::Quantity,
) -> Option<Money> {
    let (dimension, factor) = in_base(measure)?;
    let (per_dimension, per_factor) = in_base(per.measure)?;
    if dimension != per_dimension {
        return None;
    }
    let pack = quantity.checked_mul(factor)?;
    let wanted = per.amount.checked_mul(per_factor)?;
    let amount = price.amount().checked_mul(wanted)?.checked_div(pack)?;
    Money::new(amount, price.currency())
        .ok()
        .map(|m| m.round_to_minor())
}

impl Check<'_, '_> {
    pub(super) fn unit_price(&mut self, i: usize, shown: UnitPrice) {
        // A price per item is for multipacks (`"unit": {"quantity": "6", "measure": "item"}`).
        let per_item = shown.per.measure == Measure::Item;
        let Some(unit) = self
            .product
            .unit
            .filter(|u| u.measure.is_quantity() || (per_item && u.measure == Measure::Item))
        else {
            if !self.wants(Rule::UnitPriceMismatch) {
                return;
            }
            let message = format!(
                "{} shows a unit price of {shown}, but {} is not sold by weight, volume, length or area",
                self.channel.id, self.product.sku
            );
            let at = self.shown.from;
            self.report(
                Rule::UnitPriceMismatch,
                Some(i),
                at,
                None,
                Some(Value::Text(shown.to_string())),
                message,
                vec![],
            );
            return;
        };
        for s in 0..self.segments.len() {
            let Some((window, state)) = self.segments.get(s) else {
                break;
            };
            let at = window.from;
            let expected = state
                .price
                .and_then(|p| unit_price_of(p, unit.quantity, unit.measure, shown.per));
            if expected == Some(shown.price) {
                continue;
            }
            let pack = format!("{} {}", unit.quantity.normalize(), unit.measure.symbol());
            if !self.wants(Rule::UnitPriceMismatch) {
                return;
            }
            let message = match (state.price, expected) {
                (Some(price), Some(e)) => format!(
                    "{} shows {shown}; {price} for {pack} is {e} per {}",
                    self.channel.id, shown.per
                ),
                (Some(_), None) => format!(
                    "{} shows a price per {}, which cannot be compared with {pack}",
                    self.channel.id, shown.per
                ),
                (None, _) => format!(
                    "{} shows {shown}, but the catalog has no price then",
                    self.channel.id
                ),
            };
            let mut explanation = self.price_lines(s);
            explanation.push(format!("net quantity {pack}"));
            self.report(
                Rule::UnitPriceMismatch,
                Some(i),
                at,
                expected.map(|e| Value::Text(format!("{e} per {}", shown.per))),
                Some(Value::Text(shown.to_string())),
                message,
                explanation,
            );
            return;
        }
    }

    /// `unit_price.missing`: a price shown for goods sold by quantity, without a unit price, where the
    /// market requires one.
    pub(super) fn unit_price_missing(&mut self) {
        let sold_by_quantity = self.product.unit.is_some_and(|u| u.measure.is_quantity());
        if !self.market.unit_price_required || !sold_by_quantity {
            return;
        }
        if self.first_claim(&[ClaimKind::UnitPrice]).is_some() {
            return;
        }
        let Some(i) = self.first_claim(&[ClaimKind::Price]) else {
            return;
        };
        let unit = self.product.unit;
        let expected = unit.and_then(|u| {
            let base = match u.measure {
                Measure::Gram | Measure::Kilogram => "1 kg",
                Measure::Millilitre | Measure::Litre => "1 l",
                Measure::Metre => "1 m",
                Measure::SquareMetre => "1 m2",
                _ => "1 m3",
            };
            let per = base.parse().ok()?;
            let price = self.segments.first().and_then(|(_, st)| st.price)?;
            unit_price_of(price, u.quantity, u.measure, per).map(|p| format!("{p} per {base}"))
        });
        if !self.wants(Rule::UnitPriceMissing) {
            return;
        }
        let message = format!(
            "{} shows a price of {}, sold by quantity, without its unit price (required in market {})",
            self.channel.id, self.product.sku, self.market.id
        );
        let at = self.shown.from;
        self.report(
            Rule::UnitPriceMissing,
            Some(i),
            at,
            expected.map(Value::Text),
            None,
            message,
            vec![],
        );
    }
}
