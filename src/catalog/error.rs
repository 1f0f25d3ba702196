//! Why a catalog could not be read or compiled.

use std::fmt;

use crate::error::InputError;

/// What kind of problem a [`Problem`] is, for programs (the message is for people).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ProblemKind {
    /// Two entries share an id that must be unique.
    Duplicate,
    /// An id names nothing in the catalog.
    UnknownReference,
    /// Two entries of one scope overlap in time.
    Overlap,
    /// A window whose `from` is not before its `until`.
    EmptyWindow,
    /// An instant that is not RFC 3339 with an offset.
    Time,
    /// A money amount that does not parse, does not fit the minor unit, or is not positive.
    Money,
    /// An amount in a currency other than its market's.
    Currency,
    /// A GTIN with a bad length or check digit, or one given to two products.
    Gtin,
    /// A negative stock figure.
    Stock,
    /// A promotion that would price something at or below zero, or whose mechanic is out of range.
    Promotion,
    /// Any other value out of its range (time zone, percent, quantity, ...).
    Value,
    /// Advice: the catalog compiles, but something is likely a mistake.
    Lint,
}

impl ProblemKind {
    /// The kind as unisono's JSON spells codes, for programs in other languages (the bindings).
    ///
    /// ```
    /// assert_eq!(unisono::ProblemKind::UnknownReference.code(), "unknown_reference");
    /// ```
    pub fn code(&self) -> &'static str {
        match self {
            ProblemKind::Duplicate => "duplicate",
            ProblemKind::UnknownReference => "unknown_reference",
            ProblemKind::Overlap => "overlap",
            ProblemKind::EmptyWindow => "empty_window",
            ProblemKind::Time => "time",
            ProblemKind::Money => "money",
            ProblemKind::Currency => "currency",
            ProblemKind::Gtin => "gtin",
            ProblemKind::Stock => "stock",
            ProblemKind::Promotion => "promotion",
            ProblemKind::Value => "value",
            ProblemKind::Lint => "lint",
        }
    }
}

/// One problem in a catalog document, with the JSON path of the value at fault.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Problem {
    /// Path of the bad value: `prices[3].amount`.
    pub path: String,
    /// What kind of problem.
    pub kind: ProblemKind,
    /// What is wrong and what was expected.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// A catalog that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CatalogError {
    /// The text is not a catalog document: bad JSON, a wrong type, an unknown field.
    #[error("{0}")]
    Syntax(InputError),
    /// The document parsed, but its content is wrong: every problem found, sorted by path.
    #[error("{}", list(problems))]
    Invalid {
        /// Every problem, in document order.
        problems: Vec<Problem>,
    },
}

fn list(problems: &[Problem]) -> String {
    let mut text = format!(
        "the catalog has {} problem{}:",
        problems.len(),
        if problems.len() == 1 { "" } else { "s" }
    );
    for problem in problems {
        text.push_str("\n  ");
        text.push_str(&problem.to_string());
    }
    text
}

impl CatalogError {
    pub(crate) fn from_serde(error: serde_path_to_error::Error<serde_json::Error>) -> CatalogError {
        let path = error.path().to_string();
        CatalogError::syntax(path, &error.into_inner())
    }

    pub(crate) fn from_json(error: serde_json::Error) -> CatalogError {
        CatalogError::syntax(".".to_owned(), &error)
    }

    pub(crate) fn at_path(path: String, error: &serde_json::Error) -> CatalogError {
        CatalogError::syntax(path, error)
    }

    fn syntax(path: String, inner: &serde_json::Error) -> CatalogError {
        CatalogError::Syntax(InputError::from_serde(path, inner))
    }

    /// Every problem: the syntax error alone, or the list.
    pub fn problems(&self) -> Vec<Problem> {
        match self {
            CatalogError::Syntax(e) => vec![Problem {
                path: e.path.clone(),
                kind: ProblemKind::Value,
                message: format!("{} (line {}, column {})", e.message, e.line, e.column),
            }],
            CatalogError::Invalid { problems } => problems.clone(),
        }
    }
}
