#![no_main]
//! See `fuzz::checks::idempotency_key`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz::checks::idempotency_key(data));
