//! The one error type of every input document: a catalog's JSON, a policy, renderings.

/// Why an input document cannot be read: where (line, column and JSON path) and what was expected.
/// Catalogs ([`CatalogError::Syntax`](crate::CatalogError::Syntax)), policies
/// ([`Policy::from_json`](crate::Policy::from_json)) and renderings
/// ([`read_renderings`](crate::rendering::read_renderings)) all report it.
///
/// ```
/// let err = unisono::Policy::from_json(r#"{"low_stock_threshold": "five"}"#).unwrap_err();
/// assert_eq!((err.line, err.path.as_str()), (1, "low_stock_threshold"));
/// assert!(err.to_string().starts_with("1:"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{line}:{column}: {path}: {message}")]
pub struct InputError {
    /// 1-based line in the whole input (0 when the failure has no place, such as a read error).
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// JSON path of the bad value: `prices[3].amount`, `[3].claims[2].price`; `.` for the document.
    pub path: String,
    /// What was expected.
    pub message: String,
}

impl InputError {
    /// The error serde_json gives for the value at `path`, placed by serde_json's line and column.
    pub(crate) fn from_serde(path: String, error: &serde_json::Error) -> InputError {
        InputError::at(error.line(), error.column(), path, error)
    }

    /// serde_json's error at a place of the caller's (a line of JSON Lines counted in the whole input).
    pub(crate) fn at(
        line: usize,
        column: usize,
        path: String,
        error: &serde_json::Error,
    ) -> InputError {
        // serde_json appends " at line L column C" to its message; the fields carry it already.
        let mut message = error.to_string();
        if let Some(cut) = message.rfind(" at line ") {
            message.truncate(cut);
        }
        InputError {
            line,
            column,
            path: crate::limits::bound_text(path),
            message: crate::limits::bound_message(message),
        }
    }
}
