//! The merchant API: `POST /v1/payments`, `GET /v1/payments/{id}` (Bearer merchant key).

use axum::extract::State;
use axum::http::StatusCode;
use shared::merchant::{AmountRequest, CreatePayment, MerchantPayment};

use super::extract::{Json, JsonOrEmpty, Merchant, PaymentPath};
use crate::app::AppState;
use crate::error::ApiError;
use crate::outbox::store::DeadUpdate;
use crate::payments::{PaymentError, merchant, operations};

pub async fn create(
    State(state): State<AppState>,
    _: Merchant,
    Json(request): Json<CreatePayment>,
) -> Result<(StatusCode, Json<MerchantPayment>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(merchant::create(&state, request).await?),
    ))
}

pub async fn get(
    State(state): State<AppState>,
    _: Merchant,
    PaymentPath(id): PaymentPath,
) -> Result<Json<MerchantPayment>, ApiError> {
    Ok(Json(merchant::get(&state, &id).await?))
}

pub async fn capture(
    State(state): State<AppState>,
    _: Merchant,
    PaymentPath(id): PaymentPath,
    JsonOrEmpty(request): JsonOrEmpty<AmountRequest>,
) -> Result<Json<MerchantPayment>, ApiError> {
    Ok(Json(operations::capture(&state, &id, request).await?))
}

pub async fn refund(
    State(state): State<AppState>,
    _: Merchant,
    PaymentPath(id): PaymentPath,
    JsonOrEmpty(request): JsonOrEmpty<AmountRequest>,
) -> Result<Json<MerchantPayment>, ApiError> {
    Ok(Json(operations::refund(&state, &id, request).await?))
}

pub async fn cancel(
    State(state): State<AppState>,
    _: Merchant,
    PaymentPath(id): PaymentPath,
) -> Result<Json<MerchantPayment>, ApiError> {
    Ok(Json(operations::cancel(&state, &id).await?))
}

/// Status updates Vipps refused for good, for the operator to look at.
pub async fn dead_updates(
    State(state): State<AppState>,
    _: Merchant,
) -> Result<Json<Vec<DeadUpdate>>, ApiError> {
    Ok(Json(
        state
            .store
            .dead_updates()
            .await
            .map_err(PaymentError::from)?,
    ))
}
