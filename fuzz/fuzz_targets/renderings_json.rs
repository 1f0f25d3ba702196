//! `read_renderings` on any text (array or JSON Lines), then the validator against the demo catalog
//! under the default policy, and the report as JSON, human text and JUnit.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match unisono::rendering::read_renderings(text) {
        Ok(renderings) => common::validate_and_report(
            common::demo_catalog(),
            &unisono::Policy::default(),
            &renderings,
        ),
        Err(e) => {
            let _ = e.to_string();
        }
    }
});
