//! `unisono.Catalog` and `unisono.Offer`.

use std::path::PathBuf;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTzInfoAccess};

use crate::errors;

/// The canonical catalog (CONTRACT §2), compiled once: markets, channels, products, prices over
/// time, promotions and stock. Immutable; share it between threads and validators freely.
///
/// >>> catalog = unisono.Catalog.from_path("catalog.json")
/// >>> catalog.offer("LAPTOP-14", "web-it", datetime(2026, 11, 28, 10, tzinfo=timezone.utc)).price
/// '719.20 EUR'
#[pyclass(module = "unisono", frozen)]
pub struct Catalog {
    pub(crate) inner: Arc<unisono::Catalog>,
}

#[pymethods]
impl Catalog {
    /// Compiles a catalog from its JSON text.
    ///
    /// Raises `CatalogError` (with `.problems`, and `.line`, `.column`, `.path` for bad JSON).
    #[staticmethod]
    fn from_json(py: Python<'_>, text: &Bound<'_, PyAny>) -> PyResult<Catalog> {
        let text = text_of(text)?;
        let compiled = py.detach(|| unisono::Catalog::from_json(&text));
        compiled
            .map(|c| Catalog { inner: Arc::new(c) })
            .map_err(|e| errors::catalog_error(py, &e, None))
    }

    /// Compiles the catalog in the JSON file at `path` (a `str` or `os.PathLike`), reading it as
    /// it compiles.
    ///
    /// Raises `OSError` when the file cannot be opened, `CatalogError` when it is not a catalog.
    #[staticmethod]
    fn from_path(py: Python<'_>, path: PathBuf) -> PyResult<Catalog> {
        let compiled = py.detach(|| -> std::io::Result<_> {
            let file = std::fs::File::open(&path)?;
            Ok(match file.metadata() {
                Ok(metadata) => unisono::Catalog::from_reader_sized(file, metadata.len()),
                Err(_) => unisono::Catalog::from_reader(file),
            })
        })?;
        compiled
            .map(|c| Catalog { inner: Arc::new(c) })
            .map_err(|e| errors::catalog_error(py, &e, Some(&path.display().to_string())))
    }

    /// The canonical offer of product `sku` on `channel` at instant `at` (CONTRACT §5).
    ///
    /// `at` is a `datetime` with a `tzinfo`; a naive one raises `ValueError` (it would mean a
    /// different instant in every market). Raises `OfferError` for an unknown product or
    /// channel, a product the channel does not sell, or no price at that instant.
    fn offer(
        &self,
        py: Python<'_>,
        sku: &str,
        channel: &str,
        at: &Bound<'_, pyo3::types::PyDateTime>,
    ) -> PyResult<Offer> {
        let at = instant(at)?;
        let offer = self
            .inner
            .offer(sku, channel, at)
            .map_err(|e| errors::offer_error(py, &e))?;
        // Through the contract's JSON: the instants in the market's zone, money as written.
        serde_json::to_value(&offer)
            .and_then(serde_json::from_value)
            .map_err(|e| errors::value_error(&format!("offer: {e}")))
    }

    fn __repr__(&self) -> String {
        format!(
            "<unisono.Catalog: {} markets, {} channels, {} products, {} promotions>",
            self.inner.markets().len(),
            self.inner.channels().len(),
            self.inner.products().len(),
            self.inner.promotions().len()
        )
    }
}

/// The instant of an aware `datetime`; `ValueError` for a naive one.
pub(crate) fn instant(at: &Bound<'_, pyo3::types::PyDateTime>) -> PyResult<DateTime<FixedOffset>> {
    if at.get_tzinfo().is_none() {
        return Err(errors::value_error(&format!(
            "at: {} is a naive datetime; give it a tzinfo (datetime.timezone.utc, a ZoneInfo)",
            at.str()?
        )));
    }
    // Through the ISO form, which every tzinfo gives (ZoneInfo is not a fixed offset).
    let iso: String = at.call_method0("isoformat")?.extract()?;
    DateTime::parse_from_rfc3339(&iso).map_err(|e| errors::value_error(&format!("at: {iso}: {e}")))
}

/// The text of a `str`, or of UTF-8 `bytes`.
pub(crate) fn text_of(text: &Bound<'_, PyAny>) -> PyResult<String> {
    if let Ok(bytes) = text.cast::<pyo3::types::PyBytes>() {
        return String::from_utf8(bytes.as_bytes().to_vec())
            .map_err(|e| errors::value_error(&format!("the bytes are not UTF-8: {e}")));
    }
    Ok(text.cast::<pyo3::types::PyString>()?.to_cow()?.into_owned())
}

/// The canonical offer of a product on a channel at an instant (CONTRACT §5). Money is a string,
/// amount and currency, as the contract writes it (`"719.20 EUR"`); instants are aware datetimes
/// in the market's time zone.
#[pyclass(module = "unisono", frozen, eq)]
#[derive(PartialEq, serde::Deserialize)]
pub struct Offer {
    /// The product's SKU.
    #[pyo3(get)]
    sku: String,
    /// The channel's id.
    #[pyo3(get)]
    channel: String,
    /// The instant asked for, in the market's time zone.
    #[pyo3(get)]
    at: DateTime<FixedOffset>,
    /// The price list's price.
    #[pyo3(get)]
    regular_price: String,
    /// The public price: the regular price after the promotions for everyone.
    #[pyo3(get)]
    price: String,
    /// The members' price.
    #[pyo3(get)]
    member_price: String,
    /// The EU Omnibus prior price, while a reduction is in progress in a market with the rule.
    #[pyo3(get)]
    prior_price: Option<String>,
    /// The promotions that shaped `price`, in the order applied, then any multi-buy in force.
    #[pyo3(get)]
    promotions: Vec<String>,
    /// Units available to the channel.
    #[pyo3(get)]
    available: u64,
    /// `in_stock`, `low_stock` or `out_of_stock`.
    #[pyo3(get)]
    availability: String,
    /// The next instant the public price changes, if any.
    #[pyo3(get)]
    valid_until: Option<DateTime<FixedOffset>>,
    /// Why: the price entry, each promotion applied, the prior-price window.
    #[pyo3(get)]
    explanation: Vec<String>,
}

#[pymethods]
impl Offer {
    /// The offer as a dict with CONTRACT §5's keys (instants as datetimes).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        dict.set_item("sku", &self.sku)?;
        dict.set_item("channel", &self.channel)?;
        dict.set_item("at", self.at)?;
        dict.set_item("regular_price", &self.regular_price)?;
        dict.set_item("price", &self.price)?;
        dict.set_item("member_price", &self.member_price)?;
        dict.set_item("prior_price", &self.prior_price)?;
        dict.set_item("promotions", &self.promotions)?;
        dict.set_item("available", self.available)?;
        dict.set_item("availability", &self.availability)?;
        dict.set_item("valid_until", self.valid_until)?;
        dict.set_item("explanation", &self.explanation)?;
        Ok(dict)
    }

    fn __repr__(&self) -> String {
        format!(
            "Offer(sku={:?}, channel={:?}, at={:?}, price={:?}, prior_price={:?}, availability={:?})",
            self.sku,
            self.channel,
            self.at.to_rfc3339(),
            self.price,
            self.prior_price,
            self.availability
        )
    }
}
