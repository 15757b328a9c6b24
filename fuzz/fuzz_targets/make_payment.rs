#![no_main]
//! See `fuzz::checks::make_payment`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz::checks::make_payment(data));
