//! The fuzz targets' checks, in one module so that `cargo test` can replay
//! `fuzz/regressions/` through the very same functions (`backend/tests/fuzz_regressions.rs`
//! includes `checks.rs` by path).

pub mod checks;
