//! The widget API: read a payment and start it, authenticated by the client secret header.

use axum::extract::State;
use shared::checkout::{CheckoutPayment, StartPayment};

use super::extract::{ClientSecret, Json, PaymentPath};
use crate::app::AppState;
use crate::error::ApiError;
use crate::payments::checkout;

pub async fn get(
    State(state): State<AppState>,
    PaymentPath(id): PaymentPath,
    ClientSecret(secret): ClientSecret,
) -> Result<Json<CheckoutPayment>, ApiError> {
    state
        .poll_limiter
        .check(id.as_str())
        .map_err(ApiError::RateLimited)?;
    Ok(Json(checkout::get(&state, &id, &secret).await?))
}

pub async fn start(
    State(state): State<AppState>,
    PaymentPath(id): PaymentPath,
    ClientSecret(secret): ClientSecret,
    Json(request): Json<StartPayment>,
) -> Result<Json<CheckoutPayment>, ApiError> {
    Ok(Json(checkout::start(&state, &id, &secret, request).await?))
}

pub async fn cancel(
    State(state): State<AppState>,
    PaymentPath(id): PaymentPath,
    ClientSecret(secret): ClientSecret,
) -> Result<Json<CheckoutPayment>, ApiError> {
    Ok(Json(checkout::cancel(&state, &id, &secret).await?))
}
