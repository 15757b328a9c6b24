//! What the widget and the backend say to each other (`/api/checkout/...`).
//!
//! The widget authenticates with the payment's client secret in the
//! [`CLIENT_SECRET_HEADER`] header; the secret never travels in a URL.

use serde::{Deserialize, Serialize};

use crate::text::Lang;
use crate::{Amount, Currency, MobileNumber, PaymentId};

/// The header that carries the client secret from the widget.
pub const CLIENT_SECRET_HEADER: &str = "x-client-secret";

/// What the shopper's widget sees: a projection of the backend's internal state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum CheckoutStatus {
    /// Waiting for the shopper's phone number and a press on Pay.
    AwaitingPhone,
    /// Sent to Vipps; the shopper confirms on the landing page and in the app.
    AwaitingApp,
    /// The shopper confirmed; we are charging the card.
    Processing,
    Succeeded,
    Failed,
    Cancelled,
    Expired,
}

impl CheckoutStatus {
    /// Every variant, in declaration order.
    pub const ALL: [Self; 7] = [
        Self::AwaitingPhone,
        Self::AwaitingApp,
        Self::Processing,
        Self::Succeeded,
        Self::Failed,
        Self::Cancelled,
        Self::Expired,
    ];
}

impl CheckoutStatus {
    /// No further change will happen to a payment in this status.
    pub fn is_final(self) -> bool {
        match self {
            Self::AwaitingPhone | Self::AwaitingApp | Self::Processing => false,
            Self::Succeeded | Self::Failed | Self::Cancelled | Self::Expired => true,
        }
    }
}

/// Why a payment failed, as a stable code the widget and merchants branch on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum FailureReason {
    NoSuchIssuer,
    RefusedByIssuer,
    SuspectedFraud,
    ExceedsLimit,
    TooLate,
    ExpiredCard,
    InvalidCard,
    CreditCardNotAllowed,
    InsufficientFunds,
    /// The shopper rejected the payment in the Vipps app.
    RejectedInApp,
    /// The shopper cancelled on the Vipps landing page.
    CancelledAtVipps,
    /// The shopper did not act in time at Vipps.
    TimedOut,
    /// Vipps sent card data we could not read.
    CardUnreadable,
    Internal,
}

impl FailureReason {
    /// Every variant, in declaration order.
    pub const ALL: [Self; 14] = [
        Self::NoSuchIssuer,
        Self::RefusedByIssuer,
        Self::SuspectedFraud,
        Self::ExceedsLimit,
        Self::TooLate,
        Self::ExpiredCard,
        Self::InvalidCard,
        Self::CreditCardNotAllowed,
        Self::InsufficientFunds,
        Self::RejectedInApp,
        Self::CancelledAtVipps,
        Self::TimedOut,
        Self::CardUnreadable,
        Self::Internal,
    ];
}

/// A payment as the widget sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckoutPayment {
    pub id: PaymentId,
    pub amount: Amount,
    pub currency: Currency,
    pub description: String,
    pub merchant_name: String,
    /// Prefilled by the merchant, if it knew the shopper's number.
    pub phone_number: Option<MobileNumber>,
    pub status: CheckoutStatus,
    pub failure: Option<FailureReason>,
    /// The Vipps landing page, once the payment is started.
    pub vipps_url: Option<String>,
    /// The current attempt was started from a phone (Vipps switches to the app).
    #[serde(default)]
    pub is_app: bool,
    /// Unix seconds after which the payment can no longer be started.
    pub expires_at: i64,
}

/// `POST /api/checkout/payments/{id}/start`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StartPayment {
    pub phone_number: MobileNumber,
    /// The shopper is on a phone: Vipps switches to the app instead of the landing page.
    #[serde(default)]
    pub is_app: bool,
    /// The widget's language, so that the page Vipps sends the shopper back to speaks it
    /// too. Without it that page follows the browser's `Accept-Language`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<Lang>,
}

/// Stable machine codes in every 4xx/5xx body of our APIs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ErrorCode {
    InvalidRequest,
    Unauthorized,
    NotFound,
    PaymentExpired,
    /// The payment is not in a state that allows this operation.
    InvalidState,
    /// Another payment already uses this merchant order id.
    DuplicateOrderId,
    /// Vipps refused the phone number or is not reachable.
    VippsRejected,
    VippsUnavailable,
    /// Too many requests; wait for the `Retry-After` seconds.
    RateLimited,
    /// A capture or refund asks for more than is left.
    AmountExceedsBalance,
    /// The acquirer refused or failed the operation; nothing changed.
    AcquirerFailed,
    /// The `Idempotency-Key` was already used with a different method, path or body.
    IdempotencyKeyReused,
    /// The first request with this `Idempotency-Key` is still running; retry later.
    IdempotencyInProgress,
    /// The payment was sent to Vipps as often as one payment may be; the shop must
    /// create a new one.
    TooManyAttempts,
    /// The shop behind this payment does not take payments now (its account is disabled).
    MerchantUnavailable,
    /// Another merchant already has this Vipps MSN (operator API).
    MsnTaken,
    Internal,
    /// A code this build does not know yet.
    #[serde(other)]
    Unknown,
}

impl ErrorCode {
    /// Every variant, in declaration order.
    pub const ALL: [Self; 18] = [
        Self::InvalidRequest,
        Self::Unauthorized,
        Self::NotFound,
        Self::PaymentExpired,
        Self::InvalidState,
        Self::DuplicateOrderId,
        Self::VippsRejected,
        Self::VippsUnavailable,
        Self::RateLimited,
        Self::AmountExceedsBalance,
        Self::AcquirerFailed,
        Self::IdempotencyKeyReused,
        Self::IdempotencyInProgress,
        Self::TooManyAttempts,
        Self::MerchantUnavailable,
        Self::MsnTaken,
        Self::Internal,
        Self::Unknown,
    ];
}

/// The body of every error answer: a stable code, a sentence for developers, and the
/// field at fault when one is (`amount`, `allowed_origins[1]`, `id` for a path's id).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiErrorBody {
    pub code: ErrorCode,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub param: Option<String>,
}
