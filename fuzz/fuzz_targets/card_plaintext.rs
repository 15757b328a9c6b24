#![no_main]
//! See `fuzz::checks::card_plaintext`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz::checks::card_plaintext(data));
