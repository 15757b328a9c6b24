#![no_main]
//! See `fuzz::checks::accept_language`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz::checks::accept_language(data));
