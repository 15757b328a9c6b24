#![no_main]
//! See `fuzz::checks::card_data`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz::checks::card_data(data));
