//! The PSP backend: merchants create payments, the widget starts them, Vipps calls
//! makePayment, the acquirer charges the card. See ARCHITECTURE.md for the map.

pub mod acquirer;
pub mod admin;
pub mod app;
pub mod card;
pub mod config;
pub mod dashboard;
pub mod data_dir;
pub mod database;
pub mod error;
pub mod idempotency;
pub mod keys;
pub mod merchants;
pub mod outbox;
pub mod payments;
pub mod rate_limit;
pub mod reconcile;
pub mod routes;
pub mod serve;
pub mod telemetry;
pub mod timeline;
pub mod vipps;
pub mod webhooks;

pub use app::{Application, StartupError};
pub use config::Config;
