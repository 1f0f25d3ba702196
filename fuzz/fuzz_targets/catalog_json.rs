//! `Catalog::from_json` on any text; when the catalog compiles, its lints, offers and timelines.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Strict UTF-8 first (what the CLI hands over), then the lossy reading of the same bytes.
    if let Ok(text) = std::str::from_utf8(data) {
        check(text, data);
    } else {
        check(&String::from_utf8_lossy(data), data);
    }
});

fn check(text: &str, data: &[u8]) {
    match unisono::Catalog::from_json(text) {
        Ok(catalog) => common::exercise_catalog(&catalog, data),
        Err(e) => {
            let _ = e.to_string();
            let _ = format!("{e:?}");
        }
    }
}
