//! `unisono.Report`, `unisono.Summary` and `unisono.Finding`: the report of CONTRACT §4 as objects.

use chrono::{DateTime, FixedOffset};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

/// The result of a validation (CONTRACT §4): `summary` and `findings`, in the contract's order.
#[pyclass(module = "unisono", frozen)]
pub struct Report {
    /// Counts.
    #[pyo3(get)]
    summary: Py<Summary>,
    /// The findings, as `Finding` objects.
    #[pyo3(get)]
    findings: Py<PyList>,
}

impl Report {
    /// The report's objects, made with the GIL held; each finding moves into its object.
    pub(crate) fn new(py: Python<'_>, report: unisono::Report) -> PyResult<Report> {
        let s = report.summary;
        let summary = Summary {
            renderings: s.renderings,
            claims: s.claims,
            errors: s.errors,
            warnings: s.warnings,
            infos: s.infos,
        };
        let findings = PyList::empty(py);
        for finding in report.findings {
            findings.append(Py::new(py, Finding { inner: finding })?)?;
        }
        Ok(Report {
            summary: Py::new(py, summary)?,
            findings: findings.unbind(),
        })
    }

    /// The report again as the library's value, for its JSON.
    fn to_library(&self, py: Python<'_>) -> PyResult<unisono::Report> {
        let list = self.findings.bind(py);
        let mut findings = Vec::with_capacity(list.len());
        for item in list.iter() {
            findings.push(item.cast::<Finding>()?.get().inner.clone());
        }
        let s = self.summary.get();
        Ok(unisono::Report::new(s.renderings, s.claims, findings))
    }
}

#[pymethods]
impl Report {
    /// Whether any finding has severity `error` (the CLI would exit 1).
    #[getter]
    fn has_errors(&self) -> bool {
        self.summary.get().errors > 0
    }

    /// The report as CONTRACT §4's JSON text, byte for byte what `unisono validate --format json`
    /// prints.
    fn to_json(&self, py: Python<'_>) -> PyResult<String> {
        Ok(unisono::report::json(&self.to_library(py)?))
    }

    /// The report as plain dicts and lists with CONTRACT §4's keys.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        dict.set_item("version", 1)?;
        dict.set_item("summary", self.summary.get().to_dict(py)?)?;
        let findings = PyList::empty(py);
        for item in self.findings.bind(py).iter() {
            findings.append(item.cast::<Finding>()?.get().to_dict(py)?)?;
        }
        dict.set_item("findings", findings)?;
        Ok(dict)
    }

    fn __len__(&self, py: Python<'_>) -> usize {
        self.findings.bind(py).len()
    }

    fn __repr__(&self) -> String {
        let s = self.summary.get();
        format!(
            "<unisono.Report: {} renderings, {} claims, {} errors, {} warnings, {} infos>",
            s.renderings, s.claims, s.errors, s.warnings, s.infos
        )
    }
}

/// Counts of a report.
#[pyclass(module = "unisono", frozen, eq)]
#[derive(PartialEq)]
pub struct Summary {
    /// Renderings checked.
    #[pyo3(get)]
    renderings: usize,
    /// Claims checked.
    #[pyo3(get)]
    claims: usize,
    /// Findings of severity error.
    #[pyo3(get)]
    errors: usize,
    /// Findings of severity warning.
    #[pyo3(get)]
    warnings: usize,
    /// Findings of severity info.
    #[pyo3(get)]
    infos: usize,
}

#[pymethods]
impl Summary {
    /// The counts as a dict.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        dict.set_item("renderings", self.renderings)?;
        dict.set_item("claims", self.claims)?;
        dict.set_item("errors", self.errors)?;
        dict.set_item("warnings", self.warnings)?;
        dict.set_item("infos", self.infos)?;
        Ok(dict)
    }

    fn __repr__(&self) -> String {
        format!(
            "Summary(renderings={}, claims={}, errors={}, warnings={}, infos={})",
            self.renderings, self.claims, self.errors, self.warnings, self.infos
        )
    }
}

/// One place where a rendering departs from the catalog or from another rendering, with the
/// fields of CONTRACT §4. A cross-channel finding has `rendering` None and names every rendering
/// involved in `renderings`; any other has `renderings` empty.
#[pyclass(module = "unisono", frozen, eq)]
#[derive(PartialEq)]
pub struct Finding {
    inner: unisono::Finding,
}

#[pymethods]
impl Finding {
    /// The rule code, e.g. `"price.mismatch"` (CONTRACT §7).
    #[getter]
    fn rule(&self) -> &'static str {
        self.inner.rule.code()
    }

    /// `"error"`, `"warning"` or `"info"`.
    #[getter]
    fn severity(&self) -> &'static str {
        self.inner.severity.as_str()
    }

    /// The rendering's id; None for a cross-channel finding.
    #[getter]
    fn rendering(&self) -> Option<&str> {
        self.inner
            .renderings
            .is_empty()
            .then_some(self.inner.rendering.as_str())
    }

    /// Every rendering involved in a cross-channel finding; empty otherwise.
    #[getter]
    fn renderings(&self) -> Vec<String> {
        self.inner.renderings.clone()
    }

    /// The channel's id.
    #[getter]
    fn channel(&self) -> &str {
        &self.inner.channel
    }

    /// The product's SKU, when known.
    #[getter]
    fn sku(&self) -> Option<&str> {
        self.inner.sku.as_deref()
    }

    /// Index of the claim in the rendering; None for the rendering as a whole.
    #[getter]
    fn claim(&self) -> Option<usize> {
        self.inner.claim
    }

    /// The claim's `source`, echoed.
    #[getter]
    fn source(&self) -> Option<&str> {
        self.inner.source.as_deref()
    }

    /// The first instant at which the claim fails, in the market's time zone.
    #[getter]
    fn at(&self) -> Option<DateTime<FixedOffset>> {
        self.inner.at
    }

    /// What the catalog says, as the contract writes it (`"719.20 EUR"`).
    #[getter]
    fn expected(&self) -> Option<String> {
        self.inner.expected.as_ref().map(ToString::to_string)
    }

    /// What the rendering says.
    #[getter]
    fn found(&self) -> Option<String> {
        self.inner.found.as_ref().map(ToString::to_string)
    }

    /// For people.
    #[getter]
    fn message(&self) -> &str {
        &self.inner.message
    }

    /// Why the catalog expects what it does: price entry, promotions in order, prior-price window.
    #[getter]
    fn explanation(&self) -> Vec<String> {
        self.inner.explanation.clone()
    }

    /// The finding as a dict with CONTRACT §4's keys (`at` as a datetime).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        dict.set_item("rule", self.rule())?;
        dict.set_item("severity", self.severity())?;
        if self.inner.renderings.is_empty() {
            dict.set_item("rendering", &self.inner.rendering)?;
        } else {
            dict.set_item("renderings", &self.inner.renderings)?;
        }
        dict.set_item("channel", self.channel())?;
        dict.set_item("sku", self.sku())?;
        dict.set_item("claim", self.claim())?;
        if let Some(source) = self.source() {
            dict.set_item("source", source)?;
        }
        dict.set_item("at", self.at())?;
        dict.set_item("expected", self.expected())?;
        dict.set_item("found", self.found())?;
        dict.set_item("message", self.message())?;
        dict.set_item("explanation", &self.inner.explanation)?;
        Ok(dict)
    }

    fn __repr__(&self) -> String {
        format!(
            "Finding(rule={:?}, severity={:?}, rendering={:?}, claim={:?}, message={:?})",
            self.rule(),
            self.severity(),
            self.inner.rendering,
            self.inner.claim,
            self.inner.message
        )
    }
}
