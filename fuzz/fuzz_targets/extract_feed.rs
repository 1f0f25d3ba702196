//! `extract::feed::extract` on any text: never a panic, and every rendering it gives serializes to
//! JSON that reads back as the same rendering (so `unisono extract feed | unisono validate` works).
#![no_main]

use libfuzzer_sys::fuzz_target;
use unisono::extract::{feed::extract, html::Context};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let at = chrono::DateTime::from_timestamp(1_795_000_000, 0).unwrap_or_default();
    let read = extract(text, &Context::at("fuzz", "web-it", at));
    for rendering in &read.renderings {
        let json = serde_json::to_string(rendering).expect("a rendering serializes");
        let back: unisono::Rendering =
            serde_json::from_str(&json).expect("an extracted rendering reads back");
        assert_eq!(&back, rendering);
    }
});
