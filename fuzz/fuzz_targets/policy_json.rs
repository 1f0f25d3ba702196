//! `Policy::from_json` on any text, then the demo renderings validated under it.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match unisono::Policy::from_json(text) {
        Ok(policy) => {
            let _ = policy.offer_options();
            common::validate_and_report(common::demo_catalog(), &policy, common::demo_renderings());
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
});
