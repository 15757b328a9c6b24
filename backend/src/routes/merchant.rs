//! The merchant API's payments: `POST /v1/payments`, `GET /v1/payments/{id}`, capture,
//! refund, cancel. Every call is scoped to the merchant of the Bearer key: another
//! merchant's payment is 404, exactly like one that does not exist.

use axum::Extension;
use axum::extract::State;
use axum::http::StatusCode;
use shared::merchant::{AmountRequest, CreatePayment, MerchantPayment};

use super::extract::{Json, JsonOrEmpty, Merchant, PaymentPath};
use crate::app::AppState;
use crate::error::ApiError;
use crate::idempotency::IdempotencyKey;
use crate::outbox::store::DeadUpdate;
use crate::payments::{PaymentError, merchant, operations};

pub async fn create(
    State(state): State<AppState>,
    who: Merchant,
    key: Option<Extension<IdempotencyKey>>,
    Json(request): Json<CreatePayment>,
) -> Result<(StatusCode, Json<MerchantPayment>), ApiError> {
    let created = merchant::create(&state.payments, who.id(), request, key_of(&key)).await?;
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
    key: Option<Extension<IdempotencyKey>>,
    JsonOrEmpty(request): JsonOrEmpty<AmountRequest>,
) -> Result<Json<MerchantPayment>, ApiError> {
    let key = key_of(&key);
    let payment = operations::capture(&state.payments, who.id(), &id, request, key).await?;
    Ok(Json(payment))
}

pub async fn refund(
    State(state): State<AppState>,
    who: Merchant,
    PaymentPath(id): PaymentPath,
    key: Option<Extension<IdempotencyKey>>,
    JsonOrEmpty(request): JsonOrEmpty<AmountRequest>,
) -> Result<Json<MerchantPayment>, ApiError> {
    let key = key_of(&key);
    let payment = operations::refund(&state.payments, who.id(), &id, request, key).await?;
    Ok(Json(payment))
}

pub async fn cancel(
    State(state): State<AppState>,
    who: Merchant,
    PaymentPath(id): PaymentPath,
    key: Option<Extension<IdempotencyKey>>,
) -> Result<Json<MerchantPayment>, ApiError> {
    let key = key_of(&key);
    Ok(Json(
        operations::cancel(&state.payments, who.id(), &id, key).await?,
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

/// The request's Idempotency-Key, which the idempotency layer hands on.
fn key_of(key: &Option<Extension<IdempotencyKey>>) -> Option<&str> {
    key.as_ref().map(|Extension(key)| key.as_str())
}
