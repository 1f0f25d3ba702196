//! `Validator::validate_lines` (streaming JSON Lines) on any bytes, and, differentially, against
//! `read_renderings` + `validate_all` on the same text: the documentation promises the same report.
//! And `parse_line` (whose fast reader takes the common lines) against serde's reading of each line.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use unisono::{Policy, Validator};

fuzz_target!(|data: &[u8]| {
    let catalog = common::demo_catalog();
    let validator = Validator::new(catalog, &Policy::default());
    let streamed = validator.validate_lines(data);
    let _ = unisono::validate::parse_lines(data);
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for (index, line) in text.lines().enumerate() {
        let read = unisono::rendering::parse_line(line, index + 1).ok();
        let serde = serde_json::from_str::<unisono::Rendering>(line).ok();
        assert_eq!(read, serde, "parse_line and serde_json disagree on {line:?}");
    }
    if text.trim_start().starts_with('[') {
        return; // an array: read_renderings reads it as one, validate_lines as lines
    }
    let whole = unisono::rendering::read_renderings(text).map(|r| (validator.validate_all(&r), r));
    match (&streamed, &whole) {
        (Ok(s), Ok((w, renderings))) => {
            let (s, w) = (unisono::report::json(s), unisono::report::json(w));
            assert_eq!(s, w, "validate_lines and validate_all disagree");
            let _ = unisono::report::junit(&validator.validate_all(renderings), renderings);
        }
        (Err(s), Err(w)) => assert_eq!(s.line, w.line, "the first bad line differs: {s} / {w}"),
        (s, w) => panic!(
            "validate_lines: {:?}, read_renderings: {:?}",
            s.as_ref().map(|r| r.summary.renderings),
            w.as_ref().map(|(r, _)| r.summary.renderings)
        ),
    }
});
