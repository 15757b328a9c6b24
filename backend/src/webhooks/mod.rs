//! Webhooks: the PSP telling a merchant's server what happened to its payments.
//!
//! Owns the events (written by [`record_event`] inside the transaction of the change that
//! causes them, one delivery per subscribed endpoint: the webhook outbox), the merchant's
//! endpoints and their `whsec_…` secrets (sealed at rest under the server key), the event
//! log, and the [`WebhookWorker`] that delivers: signed per Standard Webhooks (the
//! `standardwebhooks` crate), at least once, retried with back-off until the retry window
//! closes, only to public addresses unless the configuration allows private ones.

mod address_policy;
mod delivery;
#[cfg(test)]
mod delivery_support;
#[cfg(test)]
mod delivery_tests;
#[cfg(test)]
mod endpoint_tests;
mod endpoints;
mod leases;
mod secret;
mod store;
#[cfg(test)]
mod store_tests;
#[cfg(test)]
pub(crate) mod test_support;
#[cfg(test)]
mod worker_tests;

use std::time::Duration;

pub use address_policy::{AddressNotAllowed, is_public};
pub use delivery::WebhookWorker;
pub use endpoints::{
    DEFAULT_GRACE_SECONDS, MAX_ENDPOINTS, MAX_GRACE_SECONDS, create_endpoint, delete_endpoint,
    list_endpoints, rotate_secret,
};
pub use secret::EndpointSecret;
pub use store::{get_event, list_events, record_event, redeliver};

use crate::idempotency::SealError;
use crate::keys::KeyError;
use crate::payments::StoreError;

/// How the webhook worker delivers.
#[derive(Debug, Clone, Copy)]
pub struct WebhookConfig {
    /// How long one delivery may take, connecting included.
    pub timeout: Duration,
    /// How long a delivery is retried (from its first attempt) before it is failed.
    pub retry_window: Duration,
    /// The first retry delay; doubled per attempt, with jitter.
    pub base_delay: Duration,
    pub max_delay: Duration,
    /// How often to look for due deliveries when nobody wakes the worker.
    pub poll: Duration,
    /// Whether endpoints may be on loopback, private, link-local … addresses (sandbox only).
    pub allow_private_addresses: bool,
}

impl Default for WebhookConfig {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(10),
            retry_window: Duration::from_secs(3 * 24 * 60 * 60),
            base_delay: Duration::from_secs(5),
            max_delay: Duration::from_secs(60 * 60),
            poll: Duration::from_secs(1),
            allow_private_addresses: false,
        }
    }
}

/// What the webhook store and worker can fail with.
#[derive(Debug, thiserror::Error)]
pub enum WebhookError {
    #[error("no such webhook endpoint")]
    EndpointNotFound,
    #[error("no such event")]
    EventNotFound,
    #[error("events must name at least one event type")]
    NoEvents,
    #[error("a merchant has at most {MAX_ENDPOINTS} webhook endpoints; delete one first")]
    TooManyEndpoints,
    #[error("grace_seconds must be at most {MAX_GRACE_SECONDS} (7 days)")]
    GraceTooLong,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("a webhook secret cannot be sealed or opened: {0}")]
    Seal(#[from] SealError),
    #[error(transparent)]
    Key(#[from] KeyError),
    #[error("cannot build the webhook HTTP client: {0}")]
    Client(String),
}

impl From<sqlx::Error> for WebhookError {
    fn from(error: sqlx::Error) -> Self {
        Self::Store(StoreError::Database(error))
    }
}

/// Unix milliseconds now.
fn now_ms() -> i64 {
    crate::outbox::store::now_ms()
}

/// A duration in milliseconds as stored (saturating).
fn millis(duration: Duration) -> i64 {
    i64::try_from(duration.as_millis()).unwrap_or(i64::MAX / 4)
}
