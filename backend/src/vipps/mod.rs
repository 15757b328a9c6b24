//! Everything Vipps-shaped: the `Vipps` trait the lifecycle calls, its HTTP client
//! with the access-token cache, and the decryption of makePayment's `cardData`.

pub mod card_data;
pub mod client;
pub mod landing;
pub mod token;

use async_trait::async_trait;
use shared::PspTransactionId;
use shared::account::Msn;
use shared::vipps::details::PaymentDetails;
use shared::vipps::{ErrorDetails, InitRequest, InitResponse, UpdateStatusRequest};

pub use card_data::{CardDataError, CardDecryptor};
pub use client::HttpVipps;
pub use landing::LandingUrl;

/// The calls we make to Vipps, each for one merchant's sales unit (`msn`, sent as
/// `Merchant-Serial-Number`). `request_id` is the idempotency key, stable across retries.
#[async_trait]
pub trait Vipps: Send + Sync {
    async fn init(
        &self,
        msn: &Msn,
        request: &InitRequest,
        request_id: &str,
    ) -> Result<InitResponse, VippsError>;

    /// Reports captures, cancels and refunds (a batch).
    async fn update_status(
        &self,
        msn: &Msn,
        request: &UpdateStatusRequest,
        request_id: &str,
    ) -> Result<(), VippsError>;

    /// What Vipps knows of one attempt.
    async fn details(&self, msn: &Msn, id: &PspTransactionId)
    -> Result<PaymentDetails, VippsError>;
}

#[derive(Debug, thiserror::Error)]
pub enum VippsError {
    /// Vipps answered 4xx (the status) with its error list: the request itself is wrong.
    #[error("Vipps refused the request (HTTP {0}): {details}", details = describe(.1))]
    Rejected(u16, Vec<ErrorDetails>),
    /// Our credentials were refused even after a fresh token.
    #[error("Vipps refused our credentials (HTTP {0})")]
    Unauthorized(u16),
    /// 5xx, timeout or connection failure: worth retrying later.
    #[error("Vipps is unavailable: {0}")]
    Unavailable(String),
    /// Vipps answered something we cannot read.
    #[error("unexpected answer from Vipps: {0}")]
    Protocol(String),
    /// Init's `vippsRedirectUrl` is not a web address we may show the shopper.
    #[error("Vipps sent a landing page that is not an http(s) address")]
    UnsafeLandingUrl,
}

fn describe(errors: &[ErrorDetails]) -> String {
    let parts: Vec<String> = errors
        .iter()
        .map(|e| match &e.error_field {
            Some(field) => format!("{} {} ({field})", e.error_code, e.error_message),
            None => format!("{} {}", e.error_code, e.error_message),
        })
        .collect();
    parts.join("; ")
}
