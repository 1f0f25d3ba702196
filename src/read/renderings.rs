//! Reading renderings: a JSON array, or JSON Lines (one rendering per line), detected by the first
//! character that is not white space.

use crate::rendering::Rendering;

/// Why a renderings document cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{line}:{column}: {path}: {message}")]
pub struct ReadError {
    /// 1-based line in the whole input.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// JSON path of the bad value: `[3].claims[2].price` in an array, `claims[2].price` on a line.
    pub path: String,
    /// What was expected.
    pub message: String,
}

impl ReadError {
    fn new(line: usize, column: usize, path: String, error: &serde_json::Error) -> ReadError {
        let mut message = error.to_string();
        if let Some(cut) = message.rfind(" at line ") {
            message.truncate(cut);
        }
        ReadError {
            line,
            column,
            path,
            message,
        }
    }
}

/// Reads a JSON array of renderings, or JSON Lines.
///
/// ```
/// let lines = r#"{"id": "a", "channel": "web-it", "sku": "X", "shown": {"at": "2026-11-28T10:00:00+01:00"}}
/// {"id": "b", "channel": "web-it", "sku": "X", "shown": {"at": "2026-11-28T10:00:00+01:00"}, "claims": [{"price": 5}]}"#;
/// let err = unisono::rendering::read_renderings(lines).unwrap_err();
/// assert_eq!((err.line, err.path.as_str()), (2, "claims[0].price"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// [`ReadError`] with the line, column and path of the first bad value.
pub fn read_renderings(text: &str) -> Result<Vec<Rendering>, ReadError> {
    crate::limits::check_size(text, crate::limits::MAX_DOCUMENT_BYTES).map_err(|e| ReadError {
        line: 1,
        column: 1,
        path: ".".to_owned(),
        message: e.to_string(),
    })?;
    if text.trim_start().starts_with('[') {
        let mut de = serde_json::Deserializer::from_str(text);
        let renderings: Vec<Rendering> =
            serde_path_to_error::deserialize(&mut de).map_err(|e| {
                let path = e.path().to_string();
                let inner = e.into_inner();
                ReadError::new(inner.line(), inner.column(), path, &inner)
            })?;
        de.end()
            .map_err(|e| ReadError::new(e.line(), e.column(), ".".to_owned(), &e))?;
        return Ok(renderings);
    }
    JsonLines::new(text).collect()
}

/// Renderings one JSON line at a time, without holding the others: for streaming.
pub struct JsonLines<'t> {
    lines: std::iter::Enumerate<std::str::Lines<'t>>,
}

impl<'t> JsonLines<'t> {
    /// Lines of `text`; blank lines are skipped.
    pub fn new(text: &'t str) -> JsonLines<'t> {
        JsonLines {
            lines: text.lines().enumerate(),
        }
    }
}

/// Parses one line of JSON Lines; `number` is its 1-based line number in the input.
///
/// # Errors
/// [`ReadError`] naming that line.
pub fn parse_line(line: &str, number: usize) -> Result<Rendering, ReadError> {
    // Most lines have the common shape that the fast reader reads; it declines the others.
    match super::line::parse(line) {
        Some(rendering) => Ok(rendering),
        None => parse_with_serde(line, number),
    }
}

/// A reader of lines that keeps the memory of the rendering it read last for the next one, so that
/// a line of the common shape costs no allocation once a few have been read. For a thread that
/// reads many lines and is done with each rendering before the next.
#[derive(Default)]
pub(crate) struct LineReader {
    rendering: Option<Rendering>,
    spare: Vec<String>,
}

impl LineReader {
    /// [`parse_line`], the rendering borrowed until the next line.
    pub(crate) fn parse(&mut self, line: &str, number: usize) -> Result<&Rendering, ReadError> {
        let rendering = self.rendering.get_or_insert_with(Rendering::blank);
        if super::line::parse_into(line, rendering, &mut self.spare).is_none() {
            *rendering = parse_with_serde(line, number)?;
        }
        Ok(rendering)
    }
}

/// A line the fast reader declined, read by serde, which names what is wrong.
fn parse_with_serde(line: &str, number: usize) -> Result<Rendering, ReadError> {
    // Tracking the path of every value doubles the parse: parse plainly, and again with the tracker
    // only to say where a line is broken.
    let plain = match serde_json::from_str(line) {
        Ok(rendering) => return Ok(rendering),
        Err(e) => e,
    };
    let mut de = serde_json::Deserializer::from_str(line);
    let traced: Result<Rendering, _> = serde_path_to_error::deserialize(&mut de);
    Err(match traced {
        Err(e) => {
            let path = e.path().to_string();
            let inner = e.into_inner();
            ReadError::new(number, inner.column(), path, &inner)
        }
        Ok(_) => ReadError::new(number, plain.column(), ".".to_owned(), &plain),
    })
}

/// Whether a line holds nothing but JSON's white space (space, tab, carriage return): such a line is
/// skipped. Any other character, Unicode white space included, makes it a line to parse.
pub(crate) fn is_blank(line: &[u8]) -> bool {
    line.iter().all(|b| matches!(b, b' ' | b'\t' | b'\r'))
}

impl Iterator for JsonLines<'_> {
    type Item = Result<Rendering, ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        for (index, line) in self.lines.by_ref() {
            if !is_blank(line.as_bytes()) {
                return Some(parse_line(line, index + 1));
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ONE: &str = r#"{"id": "a", "channel": "web-it", "sku": "X", "shown": {"at": "2026-11-28T10:00:00+01:00"}}"#;

    #[test]
    fn arrays_and_lines_read_alike() {
        let array = format!("[{ONE},\n {ONE}]");
        let lines = format!("{ONE}\n\n{ONE}\n");
        assert_eq!(
            read_renderings(&array).unwrap(),
            read_renderings(&lines).unwrap()
        );
        assert_eq!(read_renderings(&lines).unwrap().len(), 2);
        assert!(read_renderings("").unwrap().is_empty());
    }

    #[test]
    fn errors_name_line_column_and_path() {
        let array = format!(
            "[{ONE},\n {{\"id\": \"b\", \"channel\": \"web-it\", \"shown\": {{\"at\": \"2026-11-28T10:00:00\"}}}}]"
        );
        let err = read_renderings(&array).unwrap_err();
        assert_eq!((err.line, err.path.as_str()), (2, "[1].shown.at"));
        assert!(err.message.contains("no UTC offset"), "{}", err.message);
        let err = read_renderings(&format!("{ONE}\n{{\"id\": 1}}")).unwrap_err();
        assert_eq!((err.line, err.path.as_str()), (2, "id"));
        let err = read_renderings(&format!("{ONE}\n{ONE} trailing")).unwrap_err();
        assert_eq!(err.line, 2);
        let err =
            read_renderings(&format!("{ONE}\n{{\"id\": \"c\", \"chanel\": \"x\"}}")).unwrap_err();
        assert!(
            err.message.contains("unknown field `chanel`"),
            "{}",
            err.message
        );
    }
}
