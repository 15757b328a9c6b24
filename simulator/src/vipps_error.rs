//! Vipps-style error answers: an HTTP status with a JSON array of `ErrorDetails`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use shared::vipps::ErrorDetails;

use crate::idempotency::Answer;

/// Error code Vipps uses for "invalid request".
pub const INVALID_REQUEST: &str = "51";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VippsErrors {
    pub status: StatusCode,
    pub errors: Vec<ErrorDetails>,
}

/// One `ErrorDetails` entry.
pub fn detail(code: &str, message: &str, field: Option<&str>, key: Option<&str>) -> ErrorDetails {
    ErrorDetails {
        error_code: code.to_owned(),
        error_message: message.to_owned(),
        error_field: field.map(str::to_owned),
        error_key: key.map(str::to_owned),
        developer_msg: None,
    }
}

/// Code 51 for `field`.
pub fn invalid_field(field: &str, message: &str) -> ErrorDetails {
    detail(INVALID_REQUEST, message, Some(field), None)
}

impl VippsErrors {
    pub fn new(status: StatusCode, errors: Vec<ErrorDetails>) -> Self {
        Self { status, errors }
    }

    pub fn unauthorized(message: &str) -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            vec![detail("401", message, None, None)],
        )
    }

    pub fn forbidden(message: &str) -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            vec![detail("403", message, None, None)],
        )
    }

    pub fn bad_request(error: ErrorDetails) -> Self {
        Self::new(StatusCode::BAD_REQUEST, vec![error])
    }

    pub fn internal(message: &str) -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            vec![detail("500", message, None, None)],
        )
    }
}

impl From<VippsErrors> for Answer {
    fn from(value: VippsErrors) -> Self {
        let body = serde_json::to_value(&value.errors).unwrap_or_default();
        Answer {
            status: value.status,
            body,
        }
    }
}

impl IntoResponse for VippsErrors {
    fn into_response(self) -> Response {
        Answer::from(self).into_response()
    }
}
