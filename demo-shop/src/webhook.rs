//! `POST /webhooks`: the PSP tells the shop what happened to a payment. The signature is
//! checked with the `standardwebhooks` crate before anything is read; a `webhook-id` seen
//! before is answered 2xx and not applied again; the order book decides the rest.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use shared::webhooks::Event;
use standardwebhooks::HEADER_WEBHOOK_ID;

use crate::AppState;
use crate::orders::OrdersError;

/// Why a delivery was not taken; the PSP retries every one of these.
#[derive(Debug, thiserror::Error)]
pub enum WebhookError {
    #[error("the webhook secret is not known yet (endpoint not registered)")]
    NotReady,
    #[error("bad signature: {0}")]
    Signature(#[from] standardwebhooks::WebhookError),
    #[error("the signed body is not an event: {0}")]
    Body(#[from] serde_json::Error),
    #[error(transparent)]
    Orders(#[from] OrdersError),
}

impl IntoResponse for WebhookError {
    fn into_response(self) -> Response {
        let status = match &self {
            Self::NotReady => StatusCode::SERVICE_UNAVAILABLE,
            Self::Signature(_) | Self::Body(_) => StatusCode::BAD_REQUEST,
            Self::Orders(_) => StatusCode::INTERNAL_SERVER_ERROR,
        };
        match &self {
            Self::Orders(_) => tracing::error!(error = %self, "webhook not taken"),
            Self::NotReady | Self::Signature(_) | Self::Body(_) => {
                tracing::warn!(error = %self, "webhook refused");
            }
        }
        status.into_response()
    }
}

pub async fn receive(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<StatusCode, WebhookError> {
    let webhook = state
        .webhook_key
        .get()
        .await
        .ok_or(WebhookError::NotReady)?;
    webhook.verify(&body, &headers)?;
    // `verify` has checked that the header is there and signed.
    let id = headers
        .get(HEADER_WEBHOOK_ID)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let event: Event = serde_json::from_slice(&body)?;
    let handled = state.orders.handle(id, &event).await?;
    tracing::info!(
        webhook_id = id,
        kind = event.kind.as_str(),
        sequence = event.sequence,
        ?handled,
        "webhook"
    );
    Ok(StatusCode::NO_CONTENT)
}
