//! `extract::html::extract` on any text: never a panic, and every rendering it gives serializes to
//! JSON that reads back as the same rendering (so `unisono extract html | unisono validate` works).
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| common::extraction_round_trips(data, unisono::extract::html::extract));
