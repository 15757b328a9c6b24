//! The shop's errors and the HTML page each one becomes.

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use crate::pages;
use crate::psp::PspError;

#[derive(Debug, thiserror::Error)]
pub enum ShopError {
    #[error(transparent)]
    Psp(#[from] PspError),
    #[error("bad order form: {0}")]
    BadOrder(String),
    #[error("no such order")]
    NoSuchOrder,
    #[error("could not build the order: {0}")]
    Internal(String),
}

impl IntoResponse for ShopError {
    fn into_response(self) -> Response {
        let (status, title, message) = match &self {
            Self::Psp(PspError::NotFound(_)) | Self::NoSuchOrder => (
                StatusCode::NOT_FOUND,
                "Order not found",
                "We could not find that order.",
            ),
            Self::Psp(
                PspError::Unreachable(_)
                | PspError::Status { .. }
                | PspError::Decode(_)
                | PspError::MissingClientSecret(_),
            ) => (
                StatusCode::BAD_GATEWAY,
                "Payment is unavailable",
                "Sorry, we could not reach our payment provider. Nothing was charged. \
                 Please try again in a moment.",
            ),
            Self::BadOrder(_) => (
                StatusCode::BAD_REQUEST,
                "Please check your order",
                "Choose a quantity from the list and try again.",
            ),
            Self::Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "Something went wrong",
                "Sorry, something went wrong on our side. Nothing was charged.",
            ),
        };
        if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
        } else {
            tracing::info!(error = %self, "request refused");
        }
        (status, Html(pages::error(title, message))).into_response()
    }
}
