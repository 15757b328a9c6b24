//! The merchant API: `POST /v1/payments`, `GET /v1/payments/{id}` (Bearer merchant key).

use axum::extract::State;
use axum::http::StatusCode;
use shared::merchant::{CreatePayment, MerchantPayment};

use super::extract::{Json, Merchant, PaymentPath};
use crate::app::AppState;
use crate::error::ApiError;
use crate::payments::merchant;

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
