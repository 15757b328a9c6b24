//! Placeholder until the webhook subsystem lands (merged from the `hooks` branch).

pub mod store;

pub use store::record_event;
