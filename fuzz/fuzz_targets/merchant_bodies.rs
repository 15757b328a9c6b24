#![no_main]
//! See `fuzz::checks::merchant_bodies`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz::checks::merchant_bodies(data));
