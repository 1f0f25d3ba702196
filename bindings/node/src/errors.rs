//! The library's errors as JavaScript `Error`s with a `code` (`UNISONO_CATALOG`, `UNISONO_POLICY`,
//! `UNISONO_INPUT`, `UNISONO_OFFER`) and the place as properties, as Node's own errors do.

use napi::bindgen_prelude::*;
use napi_derive::napi;

/// Echoed input in messages is cut to this many characters.
const ECHO: usize = 200;

/// One problem in a catalog document.
#[napi(object)]
pub struct Problem {
    /// JSON path of the bad value: `prices[3].amount`.
    pub path: String,
    /// `duplicate`, `unknown_reference`, `overlap`, `empty_window`, `time`, `money`, `currency`,
    /// `gtin`, `stock`, `promotion` or `value`.
    pub kind: String,
    /// What is wrong and what was expected.
    pub message: String,
}

/// A property of a thrown error.
enum Property {
    Text(Option<String>),
    Number(Option<i64>),
    Problems(Vec<Problem>),
}

/// Throws an `Error` with `code` and `properties`; returns the error for napi-rs to leave pending.
fn throw(env: &Env, code: &str, message: &str, properties: Vec<(&str, Property)>) -> Error {
    let message = cut(message);
    let thrown = (|| -> Result<()> {
        let mut error = env.create_error(Error::new(Status::InvalidArg, message.clone()))?;
        error.set_named_property("code", code)?;
        for (name, value) in properties {
            match value {
                Property::Text(v) => error.set_named_property(name, v)?,
                Property::Number(v) => error.set_named_property(name, v)?,
                Property::Problems(v) => error.set_named_property(name, v)?,
            }
        }
        env.throw(error)
    })();
    match thrown {
        Ok(()) => Error::new(Status::PendingException, message),
        Err(e) => e,
    }
}

fn cut(text: &str) -> String {
    match text.char_indices().nth(ECHO) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}

fn number(n: usize) -> Property {
    Property::Number(i64::try_from(n).ok())
}

/// `UNISONO_CATALOG`: `problems`, and `line`, `column`, `path` for a document that is not a catalog.
pub(crate) fn catalog_error(env: &Env, error: &unisono::CatalogError, file: Option<&str>) -> Error {
    let problems = error
        .problems()
        .into_iter()
        .map(|p| Problem {
            kind: p.kind.code().to_owned(),
            message: cut(&p.message),
            path: p.path,
        })
        .collect();
    let (line, column, path) = match error {
        unisono::CatalogError::Syntax(e) => {
            (number(e.line), number(e.column), Some(e.path.clone()))
        }
        unisono::CatalogError::Invalid { problems } => (
            Property::Number(None),
            Property::Number(None),
            problems.first().map(|p| p.path.clone()),
        ),
    };
    let message = match file {
        Some(file) => format!("{file}: {error}"),
        None => error.to_string(),
    };
    throw(
        env,
        "UNISONO_CATALOG",
        &message,
        vec![
            ("problems", Property::Problems(problems)),
            ("file", Property::Text(file.map(str::to_owned))),
            ("line", line),
            ("column", column),
            ("path", Property::Text(path)),
        ],
    )
}

/// `UNISONO_POLICY`.
pub(crate) fn policy_error(env: &Env, error: &unisono::InputError) -> Error {
    throw(
        env,
        "UNISONO_POLICY",
        &format!(
            "{}:{}: {}: {}",
            error.line, error.column, error.path, error.message
        ),
        vec![
            ("line", number(error.line)),
            ("column", number(error.column)),
            ("path", Property::Text(Some(error.path.clone()))),
        ],
    )
}

/// `UNISONO_OFFER`, with `reason`.
pub(crate) fn offer_error(env: &Env, error: &unisono::OfferError) -> Error {
    throw(
        env,
        "UNISONO_OFFER",
        &error.to_string(),
        vec![("reason", Property::Text(Some(error.code().to_owned())))],
    )
}

/// Where renderings came from: a text (errors have a line), or an array (errors have an index).
#[derive(Clone, Copy)]
pub(crate) enum Origin {
    Text,
    Items,
}

/// The line, column and path of a read error as the caller sees them.
fn place(origin: Origin, error: &unisono::InputError) -> (Option<usize>, Option<usize>, String) {
    match origin {
        Origin::Text => (Some(error.line), Some(error.column), error.path.clone()),
        // Line n of the JSON Lines written from an array is its item n - 1.
        Origin::Items => {
            let item = error.line.saturating_sub(1);
            let path = match error.path.as_str() {
                "" | "." => format!("[{item}]"),
                path => format!("[{item}].{path}"),
            };
            (None, None, path)
        }
    }
}

/// The read error in one line: `line:column: path: message`, or `path: message`.
pub(crate) fn describe(origin: Origin, error: &unisono::InputError) -> String {
    let message = match place(origin, error) {
        (Some(line), Some(column), path) => format!("{line}:{column}: {path}: {}", error.message),
        (_, _, path) => format!("{path}: {}", error.message),
    };
    cut(&message)
}

/// `UNISONO_INPUT`: `line`, `column` (null for an array of objects) and `path`.
pub(crate) fn input_error(env: &Env, origin: Origin, error: &unisono::InputError) -> Error {
    let (line, column, path) = place(origin, error);
    throw(
        env,
        "UNISONO_INPUT",
        &describe(origin, error),
        vec![
            (
                "line",
                Property::Number(line.and_then(|l| i64::try_from(l).ok())),
            ),
            (
                "column",
                Property::Number(column.and_then(|c| i64::try_from(c).ok())),
            ),
            ("path", Property::Text(Some(path))),
        ],
    )
}
