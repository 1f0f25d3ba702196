//! Arrow record batches to JSON Lines, which the library then reads as it reads any renderings (one
//! reader, one set of error messages). A row is a line, so an error's line is its row.

use arrow_array::cast::AsArray;
use arrow_array::{Array, RecordBatch, RecordBatchReader, StringArray};
use arrow_schema::DataType;

/// Columns of the structured form, besides `claims` and `meta`, in the order they are written.
const REQUIRED: [&str; 3] = ["id", "channel", "shown_from"];

/// The renderings of every batch of `reader`, one JSON line per row.
pub(crate) fn json_lines(reader: Box<dyn RecordBatchReader + Send>) -> Result<String, String> {
    let mut text = String::new();
    let mut row = 0_usize;
    for batch in reader {
        let batch = batch.map_err(|e| format!("the Arrow stream failed: {e}"))?;
        if batch.schema().index_of("rendering").is_ok() {
            whole(&batch, &mut text, &mut row)?;
        } else {
            structured(&batch, &mut text, &mut row)?;
        }
    }
    Ok(text)
}

/// The column `name` as strings (any string type, numbers, timestamps with their zone), if any.
fn column(batch: &RecordBatch, name: &str) -> Result<Option<StringArray>, String> {
    let Some(array) = batch.column_by_name(name) else {
        return Ok(None);
    };
    let strings = arrow_cast::cast(array, &DataType::Utf8)
        .map_err(|e| format!("column {name:?} ({}): {e}", array.data_type()))?;
    Ok(Some(strings.as_string::<i32>().clone()))
}

fn value(array: &StringArray, i: usize) -> Option<&str> {
    (!array.is_null(i)).then(|| array.value(i))
}

/// JSON text on one line: a raw line break can only be white space between JSON tokens (inside a
/// string it must be escaped), so it becomes a space.
fn push_one_line(text: &mut String, json: &str) {
    text.extend(
        json.chars()
            .map(|c| if c == '\n' || c == '\r' { ' ' } else { c }),
    );
}

/// Form 1: a `rendering` column holding each rendering's JSON.
fn whole(batch: &RecordBatch, text: &mut String, row: &mut usize) -> Result<(), String> {
    let Some(json) = column(batch, "rendering")? else {
        return Ok(());
    };
    for i in 0..json.len() {
        let value = value(&json, i).ok_or_else(|| format!("[{row}].rendering: null"))?;
        push_one_line(text, value);
        text.push('\n');
        *row += 1;
    }
    Ok(())
}

/// Form 2: the rendering's fields as columns.
fn structured(batch: &RecordBatch, text: &mut String, row: &mut usize) -> Result<(), String> {
    let required = REQUIRED
        .iter()
        .map(|name| {
            column(batch, name)?.ok_or_else(|| {
                format!(
                    "the batch has neither a \"rendering\" column nor a {name:?} column \
                     (columns: {})",
                    names(batch)
                )
            })
        })
        .collect::<Result<Vec<_>, String>>()?;
    let [id, channel, from] = required.as_slice() else {
        return Err("internal: three required columns".to_owned());
    };
    let (sku, gtin) = (column(batch, "sku")?, column(batch, "gtin")?);
    if sku.is_none() && gtin.is_none() {
        return Err(format!(
            "the batch has neither a \"sku\" nor a \"gtin\" column (columns: {})",
            names(batch)
        ));
    }
    let until = column(batch, "shown_until")?;
    let claims = column(batch, "claims")?;
    let meta = column(batch, "meta")?;
    let quoted = |s: &str| serde_json::to_string(s).unwrap_or_default();
    for i in 0..batch.num_rows() {
        let at = *row;
        let field = |array: &'_ StringArray, name: &str| -> Result<String, String> {
            value(array, i)
                .map(str::to_owned)
                .ok_or_else(|| format!("[{at}].{name}: null"))
        };
        text.push_str("{\"id\":");
        text.push_str(&quoted(&field(id, "id")?));
        text.push_str(",\"channel\":");
        text.push_str(&quoted(&field(channel, "channel")?));
        let product = [("sku", &sku), ("gtin", &gtin)]
            .into_iter()
            .find_map(|(name, array)| Some((name, value(array.as_ref()?, i)?)));
        if let Some((name, value)) = product {
            text.push_str(&format!(",\"{name}\":{}", quoted(value)));
        }
        let from = field(from, "shown_from")?;
        match until.as_ref().and_then(|u| value(u, i)) {
            Some(until) => text.push_str(&format!(
                ",\"shown\":{{\"from\":{},\"until\":{}}}",
                quoted(&from),
                quoted(until)
            )),
            None => text.push_str(&format!(",\"shown\":{{\"at\":{}}}", quoted(&from))),
        }
        for (name, array) in [("claims", &claims), ("meta", &meta)] {
            if let Some(json) = array.as_ref().and_then(|a| value(a, i)) {
                text.push_str(&format!(",\"{name}\":"));
                push_one_line(text, json);
            }
        }
        text.push_str("}\n");
        *row += 1;
    }
    Ok(())
}

fn names(batch: &RecordBatch) -> String {
    let schema = batch.schema();
    let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
    names.join(", ")
}
