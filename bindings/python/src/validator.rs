//! `unisono.Policy` and `unisono.Validator`.

use std::sync::Arc;

use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString};

use crate::catalog::{Catalog, text_of};
use crate::errors::{self, Origin};
use crate::report::Report;

/// How findings are weighed (CONTRACT §6): severities per rule, stock thresholds, title
/// similarity, the prior price's scope, the channels that must show one price.
/// `Policy()` is the default policy.
#[pyclass(module = "unisono", frozen)]
#[derive(Clone)]
pub struct Policy {
    inner: unisono::Policy,
}

#[pymethods]
impl Policy {
    /// The default policy.
    #[new]
    fn new() -> Policy {
        Policy {
            inner: unisono::Policy::default(),
        }
    }

    /// A policy from its JSON text. Raises `PolicyError` with `.line`, `.column` and `.path`.
    #[staticmethod]
    fn from_json(py: Python<'_>, text: &Bound<'_, PyAny>) -> PyResult<Policy> {
        let text = text_of(text)?;
        unisono::Policy::from_json(&text)
            .map(|inner| Policy { inner })
            .map_err(|e| errors::policy_error(py, &e))
    }

    fn __repr__(&self) -> String {
        format!(
            "<unisono.Policy: low_stock_threshold {}, {} severities changed>",
            self.inner.low_stock_threshold,
            self.inner.severity.len()
        )
    }
}

/// Checks renderings against one catalog under one policy. Build it once, validate many times,
/// from several threads if you like: the GIL is released while it works.
#[pyclass(module = "unisono", frozen)]
pub struct Validator {
    catalog: Arc<unisono::Catalog>,
    policy: unisono::Policy,
    /// Where the library spreads its work: this validator's own threads.
    pool: rayon::ThreadPool,
}

/// Renderings as text, and where its lines come from.
pub(crate) struct Input {
    pub(crate) text: String,
    pub(crate) origin: Origin,
}

#[pymethods]
impl Validator {
    /// A validator of `catalog` under `policy` (the default policy when None). `threads` parse and
    /// validate JSON Lines (default: every core, as the CLI does).
    #[new]
    #[pyo3(signature = (catalog, policy = None, *, threads = None))]
    fn new(
        catalog: &Catalog,
        policy: Option<&Policy>,
        threads: Option<usize>,
    ) -> PyResult<Validator> {
        let threads = threads
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from))
            .max(1);
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .map_err(|e| errors::value_error(&format!("cannot start {threads} threads: {e}")))?;
        Ok(Validator {
            catalog: Arc::clone(&catalog.inner),
            policy: policy.map(|p| p.inner.clone()).unwrap_or_default(),
            pool,
        })
    }

    /// Validates `renderings` (CONTRACT §3) and returns the `Report`, cross-channel rules
    /// included.
    ///
    /// `renderings` is a JSON array or JSON Lines (`str` or UTF-8 `bytes`), or a list (any
    /// iterable) of dicts. Dicts may hold aware `datetime`s for instants. Raises `InputError` at
    /// the first rendering that cannot be read: `.line` and `.column` in a text, `.path` starting
    /// with `[index]` in a list.
    fn validate(&self, py: Python<'_>, renderings: &Bound<'_, PyAny>) -> PyResult<Report> {
        let input =
            if renderings.is_instance_of::<PyString>() || renderings.is_instance_of::<PyBytes>() {
                Input {
                    text: text_of(renderings)?,
                    origin: Origin::Text,
                }
            } else {
                let lines = py
                    .import("unisono._input")?
                    .getattr("json_lines")?
                    .call1((renderings,))?;
                Input {
                    text: lines.extract()?,
                    origin: Origin::Items,
                }
            };
        self.run(py, input)
    }

    /// Validates the renderings of an Arrow record batch, table or stream (pyarrow, polars, or any
    /// object with `__arrow_c_array__` / `__arrow_c_stream__`). Columns: either `rendering`, one
    /// rendering's JSON per row, or `id`, `channel`, `sku` (or `gtin`), `shown_from`,
    /// `shown_until` (null: the single instant `shown_from`), `claims` (a JSON array) and
    /// optionally `meta` (a JSON object). Instants are RFC 3339 strings or timestamps with a time
    /// zone. `InputError.path` starts with `[row]`.
    fn validate_arrow(
        &self,
        py: Python<'_>,
        data: pyo3_arrow::input::AnyRecordBatch,
    ) -> PyResult<Report> {
        let reader = data.into_reader()?;
        let text = py
            .detach(|| crate::arrow::json_lines(reader))
            .map_err(|e| errors::value_error(&e))?;
        self.run(
            py,
            Input {
                text,
                origin: Origin::Items,
            },
        )
    }

    fn __repr__(&self) -> String {
        format!(
            "<unisono.Validator: {} threads>",
            self.pool.current_num_threads()
        )
    }
}

impl Validator {
    /// Validates without the GIL, then makes the report's objects.
    fn run(&self, py: Python<'_>, input: Input) -> PyResult<Report> {
        let (catalog, policy, pool) = (&self.catalog, &self.policy, &self.pool);
        let Input { text, origin } = input;
        let outcome = py.detach(move || {
            // A rendering that cannot be read raises InputError here (strict), as a caller's
            // mistake, rather than becoming an input.malformed finding as on the command line.
            let validator = unisono::Validator::new(catalog, policy).strict(true);
            let validator = &validator;
            // Items are always one JSON line each, whatever they hold.
            if matches!(origin, Origin::Text) && text.trim_start().starts_with('[') {
                unisono::rendering::read_renderings(&text).map(|r| validator.validate_all(&r))
            } else {
                pool.install(|| validator.validate_lines(text.as_bytes()))
            }
        });
        match outcome {
            Ok(report) => Report::new(py, report),
            Err(e) => Err(errors::input_error(
                py, origin, e.line, e.column, &e.path, &e.message,
            )),
        }
    }
}
