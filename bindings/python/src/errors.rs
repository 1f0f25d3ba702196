//! The library's errors as the exception classes of `unisono._errors` (defined in Python, so that
//! they have ordinary constructors, attributes and docstrings).

use pyo3::IntoPyObjectExt;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyDict;

/// Echoed input in messages is cut to this many characters (the project's bound on error size).
const ECHO: usize = 200;

/// An instance of the exception class `name` of `unisono._errors`, built with `message` and the
/// keyword arguments `fields`, as a `PyErr` to raise.
fn raise<'py>(
    py: Python<'py>,
    name: &str,
    message: &str,
    fields: &[(&str, Bound<'py, PyAny>)],
) -> PyErr {
    let build = || -> PyResult<PyErr> {
        let class = py.import("unisono._errors")?.getattr(name)?;
        let kwargs = PyDict::new(py);
        for (key, value) in fields {
            kwargs.set_item(key, value)?;
        }
        Ok(PyErr::from_value(
            class.call((cut(message),), Some(&kwargs))?,
        ))
    };
    build().unwrap_or_else(|e| e)
}

/// `text` cut to [`ECHO`] characters, marked when cut.
pub(crate) fn cut(text: &str) -> String {
    match text.char_indices().nth(ECHO) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}

fn value<'py, T: IntoPyObject<'py>>(py: Python<'py>, v: T) -> Bound<'py, PyAny> {
    v.into_bound_py_any(py)
        .unwrap_or_else(|_| py.None().into_bound(py))
}

/// `unisono.CatalogError`: a document that is not a catalog, or one whose content is wrong.
pub(crate) fn catalog_error(
    py: Python<'_>,
    error: &unisono::CatalogError,
    file: Option<&str>,
) -> PyErr {
    let problem = py
        .import("unisono._errors")
        .and_then(|m| m.getattr("Problem"));
    let problems: Vec<Bound<'_, PyAny>> = error
        .problems()
        .iter()
        .filter_map(|p| {
            let class = problem.as_ref().ok()?;
            class
                .call1((p.path.as_str(), p.kind.code(), cut(&p.message)))
                .ok()
        })
        .collect();
    let (line, column, path) = match error {
        unisono::CatalogError::Syntax(e) => (Some(e.line), Some(e.column), Some(e.path.clone())),
        unisono::CatalogError::Invalid { problems } => {
            (None, None, problems.first().map(|p| p.path.clone()))
        }
    };
    let message = match file {
        Some(file) => format!("{file}: {error}"),
        None => error.to_string(),
    };
    raise(
        py,
        "CatalogError",
        &message,
        &[
            ("problems", value(py, problems)),
            ("file", value(py, file)),
            ("line", value(py, line)),
            ("column", value(py, column)),
            ("path", value(py, path)),
        ],
    )
}

/// `unisono.PolicyError`.
pub(crate) fn policy_error(py: Python<'_>, error: &unisono::InputError) -> PyErr {
    raise(
        py,
        "PolicyError",
        &format!(
            "{}:{}: {}: {}",
            error.line, error.column, error.path, error.message
        ),
        &[
            ("line", value(py, error.line)),
            ("column", value(py, error.column)),
            ("path", value(py, error.path.as_str())),
        ],
    )
}

/// Where an input error is: a line of the text given, or an item of a list or a row of a batch
/// (then the JSON path starts with `[index]` and there is no line).
#[derive(Clone, Copy)]
pub(crate) enum Origin {
    Text,
    Items,
}

/// `unisono.InputError` for renderings that cannot be read.
pub(crate) fn input_error(
    py: Python<'_>,
    origin: Origin,
    line: usize,
    column: usize,
    path: &str,
    message: &str,
) -> PyErr {
    let (line, column, path) = match origin {
        Origin::Text => (Some(line), Some(column), path.to_owned()),
        // Line n of the generated JSON Lines is item n - 1.
        Origin::Items => {
            let item = line.saturating_sub(1);
            let path = match path {
                "" | "." => format!("[{item}]"),
                _ => format!("[{item}].{path}"),
            };
            (None, None, path)
        }
    };
    let place = match line {
        Some(line) => format!("{line}:{}: {path}", column.unwrap_or(0)),
        None => path.clone(),
    };
    raise(
        py,
        "InputError",
        &format!("{place}: {message}"),
        &[
            ("line", value(py, line)),
            ("column", value(py, column)),
            ("path", value(py, path)),
        ],
    )
}

/// `unisono.OfferError`: no offer for this product on this channel at this instant.
pub(crate) fn offer_error(py: Python<'_>, error: &unisono::OfferError) -> PyErr {
    raise(
        py,
        "OfferError",
        &error.to_string(),
        &[("reason", value(py, error.code()))],
    )
}

/// A plain `ValueError` (a naive datetime, a bad argument).
pub(crate) fn value_error(message: &str) -> PyErr {
    PyValueError::new_err(cut(message))
}
