//! The merchant API's payments: `POST /v1/payments`, `GET /v1/payments/{id}`, capture,
//! refund, cancel. Every call is scoped to the merchant of the Bearer key: another
//! merchant's payment is 404, exactly like one that does not exist.

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
    who: Merchant,
    Json(request): Json<CreatePayment>,
) -> Result<(StatusCode, Json<MerchantPayment>), ApiError> {
    let created = merchant::create(&state.payments, who.id(), request).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

pub async fn get(
    State(state): State<AppState>,
    who: Merchant,
    PaymentPath(id): PaymentPath,
) -> Result<Json<MerchantPayment>, ApiError> {
    Ok(Json(merchant::get(&state.payments, who.id(), &id).await?))
}

pub async fn capture(
    State(state): State<AppState>,
    who: Merchant,
    PaymentPath(id): PaymentPath,
    JsonOrEmpty(request): JsonOrEmpty<AmountRequest>,
) -> Result<Json<MerchantPayment>, ApiError> {
    let payment = operations::capture(&state.payments, who.id(), &id, request).await?;
    Ok(Json(payment))
}

pub async fn refund(
    State(state): State<AppState>,
    who: Merchant,
    PaymentPath(id): PaymentPath,
    JsonOrEmpty(request): JsonOrEmpty<AmountRequest>,
) -> Result<Json<MerchantPayment>, ApiError> {
    let payment = operations::refund(&state.payments, who.id(), &id, request).await?;
    Ok(Json(payment))
}

pub async fn cancel(
    State(state): State<AppState>,
    who: Merchant,
    PaymentPath(id): PaymentPath,
) -> Result<Json<MerchantPayment>, ApiError> {
    Ok(Json(
        operations::cancel(&state.payments, who.id(), &id).await?,
    ))
}

/// This merchant's status updates that Vipps refused for good.
pub async fn dead_updates(
    State(state): State<AppState>,
    who: Merchant,
) -> Result<Json<Vec<DeadUpdate>>, ApiError> {
    let dead = state.payments.store.dead_updates(who.id()).await;
    Ok(Json(dead.map_err(PaymentError::from)?))
}
