//! `ApiError`: the one place that knows HTTP status codes. 4xx bodies carry a stable
//! code; 5xx bodies are opaque and the cause is logged.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use shared::checkout::{ApiErrorBody, ErrorCode};

use crate::payments::PaymentError;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    BadRequest(String),
    #[error("missing or wrong credentials")]
    Unauthorized,
    #[error(transparent)]
    Payment(#[from] PaymentError),
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        Self::BadRequest(rejection.body_text())
    }
}

impl ApiError {
    fn parts(&self) -> (StatusCode, ErrorCode, String) {
        use PaymentError as P;
        let message = self.to_string();
        match self {
            Self::BadRequest(_) => (StatusCode::BAD_REQUEST, ErrorCode::InvalidRequest, message),
            Self::Unauthorized => (StatusCode::UNAUTHORIZED, ErrorCode::Unauthorized, message),
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
                P::VippsUnavailable(_) => (
                    StatusCode::BAD_GATEWAY,
                    ErrorCode::VippsUnavailable,
                    "Vipps is unavailable; try again".into(),
                ),
                P::Store(_) | P::Key(_) => (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    ErrorCode::Internal,
                    "internal error".into(),
                ),
            },
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code, message) = self.parts();
        if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
        }
        (status, Json(ApiErrorBody { code, message })).into_response()
    }
}
