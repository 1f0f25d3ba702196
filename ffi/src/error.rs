//! The error document every function returns instead of a crash:
//! `{"error": {"kind": ..., "message": ..., ...location}}`.
//!
//! `kind` is for programs (stable, snake_case), `message` for people; the other fields say where the
//! problem is, when the library knows.

use serde_json::{json, Map, Value};

/// Why a call failed, with where.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Error {
    kind: &'static str,
    message: String,
    location: Map<String, Value>,
}

impl Error {
    fn new(kind: &'static str, message: impl Into<String>) -> Error {
        Error {
            kind,
            message: message.into(),
            location: Map::new(),
        }
    }

    fn with(mut self, field: &str, value: impl Into<Value>) -> Error {
        self.location.insert(field.to_owned(), value.into());
        self
    }

    /// A buyer document (`unisono_offer_for`) that does not read.
    pub(crate) fn invalid_buyer(error: &serde_json::Error) -> Error {
        Error::new("invalid_buyer", error.to_string())
            .with("argument", "buyer")
            .with("line", error.line())
            .with("column", error.column())
    }

    /// A required pointer argument was null.
    pub(crate) fn null_argument(argument: &'static str) -> Error {
        Error::new("null_argument", format!("{argument} is null")).with("argument", argument)
    }

    /// A length past what a slice can hold (`isize::MAX` bytes).
    pub(crate) fn too_long(argument: &'static str, len: usize) -> Error {
        Error::new(
            "invalid_argument",
            format!("{argument}: a length of {len} bytes is not a valid length"),
        )
        .with("argument", argument)
    }

    /// The handle is null, freed, or not one `unisono_catalog_load` returned.
    pub(crate) fn invalid_handle(argument: &'static str) -> Error {
        Error::new(
            "invalid_handle",
            format!(
                "{argument} is not a live catalog handle: it was freed, or did not come from unisono_catalog_load"
            ),
        )
        .with("argument", argument)
    }

    /// The bytes are not UTF-8; `offset` is the byte offset of the first bad byte.
    pub(crate) fn invalid_utf8(argument: &'static str, offset: usize) -> Error {
        Error::new(
            "invalid_utf8",
            format!("{argument} is not UTF-8: invalid byte at offset {offset}"),
        )
        .with("argument", argument)
        .with("offset", offset)
    }

    /// A panic inside unisono, caught at the boundary (a bug: please report it with the input).
    pub(crate) fn internal(message: String) -> Error {
        Error::new(
            "internal",
            format!("unisono failed unexpectedly: {message}"),
        )
    }

    /// The error document, as compact JSON.
    pub(crate) fn to_json(&self) -> String {
        let mut error = Map::new();
        error.insert("kind".to_owned(), Value::from(self.kind));
        error.insert("message".to_owned(), Value::from(self.message.as_str()));
        for (field, value) in &self.location {
            error.insert(field.clone(), value.clone());
        }
        json!({ "error": error }).to_string()
    }
}

impl From<unisono::CatalogError> for Error {
    fn from(error: unisono::CatalogError) -> Error {
        match &error {
            unisono::CatalogError::Syntax(e) => Error::new("catalog_syntax", error.to_string())
                .with("path", e.path.as_str())
                .with("line", e.line)
                .with("column", e.column),
            unisono::CatalogError::Invalid { problems } => {
                let problems: Vec<Value> = problems
                    .iter()
                    .map(|p| {
                        json!({"path": p.path, "kind": snake_case(&format!("{:?}", p.kind)), "message": p.message})
                    })
                    .collect();
                Error::new("catalog_invalid", error.to_string()).with("problems", problems)
            }
        }
    }
}

impl Error {
    /// An input document's error (`kind` names the document: `renderings_syntax`, `policy_invalid`)
    /// with its path, and its line and column where it has a place (0 means none).
    pub(crate) fn input(kind: &'static str, error: unisono::InputError) -> Error {
        let located = Error::new(kind, error.to_string()).with("path", error.path.as_str());
        if error.line == 0 {
            located
        } else {
            located
                .with("line", error.line)
                .with("column", error.column)
        }
    }
}

impl From<unisono::time::TimeError> for Error {
    fn from(error: unisono::time::TimeError) -> Error {
        Error::new("invalid_instant", error.to_string()).with("argument", "at")
    }
}

impl From<unisono::OfferError> for Error {
    fn from(error: unisono::OfferError) -> Error {
        let message = error.to_string();
        match error {
            unisono::OfferError::UnknownProduct { sku } => {
                Error::new("unknown_product", message).with("sku", sku)
            }
            unisono::OfferError::UnknownChannel { channel } => {
                Error::new("unknown_channel", message).with("channel", channel)
            }
            unisono::OfferError::NotListed { sku, channel } => Error::new("not_listed", message)
                .with("sku", sku)
                .with("channel", channel),
            unisono::OfferError::NoPrice { sku, channel, at } => Error::new("no_price", message)
                .with("sku", sku)
                .with("channel", channel)
                .with("at", at),
        }
    }
}

/// `UnknownReference` -> `unknown_reference`: the library's problem kinds, spelled like every other
/// code in unisono's JSON.
fn snake_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problem_kinds_are_snake_case() {
        assert_eq!(snake_case("UnknownReference"), "unknown_reference");
        assert_eq!(snake_case("Gtin"), "gtin");
        assert_eq!(snake_case(""), "");
    }

    #[test]
    fn the_document_carries_kind_message_and_location() {
        let value: Value =
            serde_json::from_str(&Error::invalid_utf8("json", 3).to_json()).unwrap_or_default();
        assert_eq!(
            value,
            json!({"error": {"kind": "invalid_utf8", "argument": "json", "offset": 3,
                             "message": "json is not UTF-8: invalid byte at offset 3"}})
        );
    }

    #[test]
    fn a_policy_value_out_of_range_has_a_path_and_the_place_of_its_key() {
        let error = unisono::Policy::from_json(r#"{"title_min_similarity": 2}"#)
            .err()
            .map(|e| Error::input("policy_invalid", e));
        let value: Value = serde_json::from_str(&error.map(|e| e.to_json()).unwrap_or_default())
            .unwrap_or_default();
        assert_eq!(value["error"]["kind"], "policy_invalid");
        assert_eq!(value["error"]["path"], "title_min_similarity");
        assert_eq!(
            (&value["error"]["line"], &value["error"]["column"]),
            (&json!(1), &json!(2))
        );
    }
}
