//! `input.*`: what is wrong with the input as a whole rather than with one claim: a line of JSON
//! Lines that is not a rendering, and two renderings with one id.

use rustc_hash::FxHashMap;

use super::cross::Text;
use super::{Finding, Rule, Severity, Validator, Value};
use crate::InputError;

/// The ids seen so far, each with the position of the first rendering that had it. Ids are kept
/// inline when short (most are), so remembering one costs no allocation; memory grows with the
/// renderings (about 48 bytes each), the one part of a stream that does.
#[derive(Default)]
pub(super) struct Ids {
    first: FxHashMap<Text, usize>,
}

/// The id and channel of a rendering, as kept for [`Ids::see`].
pub(super) struct Seen {
    pub(super) id: Text,
    pub(super) channel: Text,
    pub(super) position: usize,
}

impl Seen {
    pub(super) fn new(id: &str, channel: &str, position: usize) -> Seen {
        Seen {
            id: Text::new(id),
            channel: Text::new(channel),
            position,
        }
    }
}

impl Ids {
    /// The `input.duplicate_id` finding of a rendering whose id an earlier one had.
    pub(super) fn see(&mut self, v: &Validator<'_>, seen: Seen) -> Option<Finding> {
        let severity = v.severity(Rule::InputDuplicateId);
        let first = match self.first.get(&seen.id) {
            Some(&first) => first,
            None => {
                self.first.insert(seen.id, seen.position);
                return None;
            }
        };
        (severity != Severity::Allow).then(|| Finding {
            rule: Rule::InputDuplicateId,
            severity,
            rendering: seen.id.as_str().to_owned(),
            renderings: Vec::new(),
            position: seen.position,
            channel: seen.channel.as_str().to_owned(),
            sku: None,
            claim: None,
            source: None,
            at: None,
            expected: None,
            found: Some(Value::Text(seen.id.as_str().to_owned())),
            message: format!(
                "rendering {} has the id of rendering {} before it: findings cannot tell them apart",
                seen.position + 1,
                first + 1
            ),
            explanation: Vec::new(),
        })
    }
}

/// The `input.malformed` finding of a line that is not a rendering, at `position` in the input:
/// the run goes on without it.
pub(super) fn malformed(v: &Validator<'_>, error: &InputError, position: usize) -> Option<Finding> {
    let severity = v.severity(Rule::InputMalformed);
    (severity != Severity::Allow).then(|| Finding {
        rule: Rule::InputMalformed,
        severity,
        rendering: format!("line {}", error.line),
        renderings: Vec::new(),
        position,
        channel: String::new(),
        sku: None,
        claim: None,
        source: None,
        at: None,
        expected: None,
        found: None,
        message: format!(
            "line {}, column {}: {}: {}",
            error.line, error.column, error.path, error.message
        ),
        explanation: Vec::new(),
    })
}
