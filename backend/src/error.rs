//! `ApiError`: the one place that knows HTTP status codes. 4xx bodies carry a stable
//! code, a sentence, and the field at fault (`param`) when one is; 5xx bodies are opaque
//! and the cause is logged.

use axum::Json;
use axum::http::header::RETRY_AFTER;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use shared::checkout::{ApiErrorBody, ErrorCode};

use crate::merchants::MerchantError;
use crate::payments::{LedgerError, PaymentError};
use crate::webhooks::WebhookError;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// Bad input that is no one field's fault (a body that is not JSON, say).
    #[error("{0}")]
    BadRequest(String),
    /// One field (or path segment, or query parameter) is wrong.
    #[error("{param}: {message}")]
    InvalidField { param: String, message: String },
    #[error("the request body is larger than {} KiB", crate::idempotency::MAX_BODY_BYTES / 1024)]
    BodyTooLarge,
    #[error("the body must be JSON, sent with Content-Type: application/json")]
    UnsupportedMediaType,
    #[error("missing or wrong credentials")]
    Unauthorized,
    #[error("too many requests; retry after {} s", .0.as_secs().max(1))]
    RateLimited(std::time::Duration),
    #[error(transparent)]
    Payment(#[from] PaymentError),
    #[error(transparent)]
    Idempotency(#[from] crate::idempotency::IdempotencyError),
    #[error(transparent)]
    Merchant(#[from] MerchantError),
    #[error(transparent)]
    Webhook(#[from] WebhookError),
    #[error(transparent)]
    Dashboard(#[from] crate::dashboard::DashboardError),
}

impl From<crate::timeline::TimelineError> for ApiError {
    fn from(error: crate::timeline::TimelineError) -> Self {
        use crate::timeline::TimelineError as T;
        match error {
            T::Payment(error) => Self::Payment(error),
            T::Webhook(error) => Self::Webhook(error),
        }
    }
}

impl ApiError {
    /// `param` is wrong, as `message` says.
    pub fn field(param: &str, message: impl Into<String>) -> Self {
        Self::InvalidField {
            param: param.to_owned(),
            message: message.into(),
        }
    }

    /// The field at fault, if one is: bad input names it, and so do the refusals that are
    /// about one field's value (an order id taken, an amount over the balance).
    fn param(&self) -> Option<&str> {
        use PaymentError as P;
        match self {
            Self::InvalidField { param, .. } => Some(param),
            Self::Payment(P::DuplicateOrderId) => Some("merchant_order_id"),
            Self::Payment(P::Ledger(
                LedgerError::CaptureExceedsRemaining { .. }
                | LedgerError::RefundExceedsCaptured { .. },
            )) => Some("amount"),
            Self::Merchant(MerchantError::DuplicateMsn)
            | Self::Payment(P::Merchant(MerchantError::DuplicateMsn)) => Some("msn"),
            Self::Webhook(WebhookError::NoEvents) => Some("events"),
            Self::Webhook(WebhookError::GraceTooLong) => Some("grace_seconds"),
            _ => None,
        }
    }

    fn parts(&self) -> (StatusCode, ErrorCode, String) {
        use PaymentError as P;
        let message = self.to_string();
        match self {
            Self::BadRequest(_) => (StatusCode::BAD_REQUEST, ErrorCode::InvalidRequest, message),
            // The field is in `param`; the sentence need not repeat it.
            Self::InvalidField { message, .. } => (
                StatusCode::BAD_REQUEST,
                ErrorCode::InvalidRequest,
                message.clone(),
            ),
            Self::BodyTooLarge => (
                StatusCode::PAYLOAD_TOO_LARGE,
                ErrorCode::InvalidRequest,
                message,
            ),
            Self::UnsupportedMediaType => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                ErrorCode::InvalidRequest,
                message,
            ),
            Self::Unauthorized => (StatusCode::UNAUTHORIZED, ErrorCode::Unauthorized, message),
            Self::RateLimited(_) => (
                StatusCode::TOO_MANY_REQUESTS,
                ErrorCode::RateLimited,
                message,
            ),
            Self::Payment(error) => match error {
                P::Unauthorized => (StatusCode::UNAUTHORIZED, ErrorCode::Unauthorized, message),
                P::NotFound => (StatusCode::NOT_FOUND, ErrorCode::NotFound, message),
                P::Expired => (StatusCode::GONE, ErrorCode::PaymentExpired, message),
                P::InvalidState(_) => (StatusCode::CONFLICT, ErrorCode::InvalidState, message),
                P::DuplicateOrderId => (StatusCode::CONFLICT, ErrorCode::DuplicateOrderId, message),
                P::VippsRejected(_) => (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    ErrorCode::VippsRejected,
                    message,
                ),
                P::TooManyAttempts => (StatusCode::CONFLICT, ErrorCode::TooManyAttempts, message),
                P::VippsUnavailable(_) => (
                    StatusCode::BAD_GATEWAY,
                    ErrorCode::VippsUnavailable,
                    "Vipps is unavailable; try again".into(),
                ),
                P::Ledger(
                    LedgerError::CaptureExceedsRemaining { .. }
                    | LedgerError::RefundExceedsCaptured { .. },
                ) => (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    ErrorCode::AmountExceedsBalance,
                    message,
                ),
                P::Ledger(
                    LedgerError::NothingToCapture
                    | LedgerError::NothingToRefund
                    | LedgerError::NothingToCancel,
                )
                | P::NotAuthorised(_)
                | P::Busy => (StatusCode::CONFLICT, ErrorCode::InvalidState, message),
                P::Acquirer(_) => (StatusCode::BAD_GATEWAY, ErrorCode::AcquirerFailed, message),
                P::WrongMerchant => (StatusCode::BAD_REQUEST, ErrorCode::InvalidRequest, message),
                P::MerchantDisabled => (
                    StatusCode::FORBIDDEN,
                    ErrorCode::MerchantUnavailable,
                    message,
                ),
                P::Merchant(error) => merchant_parts(error),
                P::Store(_) | P::Key(_) => (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    ErrorCode::Internal,
                    "internal error".into(),
                ),
            },
            Self::Merchant(error) => merchant_parts(error),
            Self::Dashboard(error) => dashboard_parts(error),
            Self::Webhook(error) => match error {
                WebhookError::EndpointNotFound | WebhookError::EventNotFound => {
                    (StatusCode::NOT_FOUND, ErrorCode::NotFound, message)
                }
                WebhookError::NoEvents
                | WebhookError::GraceTooLong
                | WebhookError::TooManyEndpoints => {
                    (StatusCode::BAD_REQUEST, ErrorCode::InvalidRequest, message)
                }
                WebhookError::Store(_)
                | WebhookError::Seal(_)
                | WebhookError::Key(_)
                | WebhookError::Client(_) => (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    ErrorCode::Internal,
                    "internal error".into(),
                ),
            },
            Self::Idempotency(error) => {
                use crate::idempotency::IdempotencyError as I;
                match error {
                    I::BodyTooLarge => (
                        StatusCode::PAYLOAD_TOO_LARGE,
                        ErrorCode::InvalidRequest,
                        message,
                    ),
                    I::InvalidKey(_) | I::UnreadableBody(_) => {
                        (StatusCode::BAD_REQUEST, ErrorCode::InvalidRequest, message)
                    }
                    I::KeyReused => (
                        StatusCode::UNPROCESSABLE_ENTITY,
                        ErrorCode::IdempotencyKeyReused,
                        message,
                    ),
                    I::InProgress => (
                        StatusCode::CONFLICT,
                        ErrorCode::IdempotencyInProgress,
                        message,
                    ),
                    I::Store(_) | I::Corrupt(_) | I::Seal(_) | I::Handler(_) => (
                        StatusCode::INTERNAL_SERVER_ERROR,
                        ErrorCode::Internal,
                        "internal error".into(),
                    ),
                }
            }
        }
    }
}

/// Merchant accounts and keys: the operator's and the merchant's own views of them.
fn merchant_parts(error: &MerchantError) -> (StatusCode, ErrorCode, String) {
    let message = error.to_string();
    match error {
        MerchantError::NotFound | MerchantError::KeyNotFound => {
            (StatusCode::NOT_FOUND, ErrorCode::NotFound, message)
        }
        MerchantError::DuplicateMsn => (StatusCode::CONFLICT, ErrorCode::MsnTaken, message),
        MerchantError::Corrupt(_) | MerchantError::Database(_) | MerchantError::Key(_) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            ErrorCode::Internal,
            "internal error".into(),
        ),
    }
}

/// The dashboard's sign-in and its users.
fn dashboard_parts(error: &crate::dashboard::DashboardError) -> (StatusCode, ErrorCode, String) {
    use crate::dashboard::DashboardError as D;
    let message = error.to_string();
    match error {
        D::WrongCredentials => (StatusCode::UNAUTHORIZED, ErrorCode::Unauthorized, message),
        D::EmailTaken => (StatusCode::CONFLICT, ErrorCode::InvalidRequest, message),
        D::Busy => (
            StatusCode::TOO_MANY_REQUESTS,
            ErrorCode::RateLimited,
            message,
        ),
        D::NoSuchMerchant => (StatusCode::NOT_FOUND, ErrorCode::NotFound, message),
        D::Corrupt(_) | D::Hashing(_) | D::Database(_) | D::Key(_) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            ErrorCode::Internal,
            "internal error".into(),
        ),
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code, message) = self.parts();
        if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
        }
        let param = self.param().map(str::to_owned);
        let body = ApiErrorBody {
            code,
            message,
            param,
        };
        let mut response = (status, Json(body)).into_response();
        if let Self::RateLimited(wait) = self {
            response
                .headers_mut()
                .insert(RETRY_AFTER, HeaderValue::from(wait.as_secs().max(1)));
        }
        response
    }
}
