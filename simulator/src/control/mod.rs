//! The test-control API under `/sim/` (JSON, no auth), documented in `docs/simulator.md`:
//! inspect payments and act as the shopper ([`payments`]), make init and updatestatus fail or
//! hang and read every updatestatus received ([`faults`]), end access tokens early ([`tokens`]),
//! list, add and rename the merchants Vipps knows ([`merchants`]).

mod faults;
mod merchants;
mod payments;
mod tokens;

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Json, Router};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::app::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(payments::routes())
        .merge(faults::routes())
        .merge(tokens::routes())
        .merge(merchants::routes())
}

/// Every error of this API: a stable code, a sentence, and the PSP's HTTP status if it answered.
#[derive(Debug, Serialize)]
struct ControlError {
    #[serde(skip)]
    status: StatusCode,
    error: &'static str,
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    psp_http_status: Option<u16>,
}

impl ControlError {
    fn new(status: StatusCode, error: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            error,
            message: message.into(),
            psp_http_status: None,
        }
    }

    /// 400 `invalid_request`.
    fn invalid(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_request", message)
    }
}

impl IntoResponse for ControlError {
    fn into_response(self) -> Response {
        (self.status, Json(self)).into_response()
    }
}

/// A JSON body that may also be empty (then `T::default()`); anything unreadable, unknown
/// fields included, is our 400.
struct Body<T>(T);

impl<S, T> FromRequest<S> for Body<T>
where
    S: Send + Sync,
    T: DeserializeOwned + Default,
{
    type Rejection = ControlError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(|err| ControlError::invalid(err.body_text()))?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(Self(T::default()));
        }
        serde_json::from_slice(&bytes)
            .map(Self)
            .map_err(|err| ControlError::invalid(format!("the body does not fit: {err}")))
    }
}
