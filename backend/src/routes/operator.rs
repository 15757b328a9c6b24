//! The operator API (`/operator/v1`, its own key): onboard merchants, disable and enable
//! them, manage their keys, and read any payment (a disabled merchant's stay readable).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use shared::account::{
    ApiKey, CreateApiKey, CreateMerchant, CreatedApiKey, CreatedMerchant, Merchant, MerchantStatus,
};
use shared::merchant::MerchantPayment;
use shared::{ApiKeyId, MerchantId};

use super::extract::{Json, Operator, PaymentPath};
use crate::app::AppState;
use crate::error::ApiError;
use crate::payments::{now_unix, view};

pub async fn create_merchant(
    State(state): State<AppState>,
    _: Operator,
    Json(request): Json<CreateMerchant>,
) -> Result<(StatusCode, Json<CreatedMerchant>), ApiError> {
    let created = state
        .payments
        .merchants
        .create(&request, state.config.mode)
        .await?;
    Ok((StatusCode::CREATED, Json(created)))
}

pub async fn list_merchants(
    State(state): State<AppState>,
    _: Operator,
) -> Result<Json<Vec<Merchant>>, ApiError> {
    Ok(Json(state.payments.merchants.list().await?))
}

pub async fn get_merchant(
    State(state): State<AppState>,
    _: Operator,
    Path(id): Path<String>,
) -> Result<Json<Merchant>, ApiError> {
    Ok(Json(
        state.payments.merchants.get(&merchant_id(&id)?).await?,
    ))
}

pub async fn disable_merchant(
    State(state): State<AppState>,
    _: Operator,
    Path(id): Path<String>,
) -> Result<Json<Merchant>, ApiError> {
    set_status(&state, &id, MerchantStatus::Disabled).await
}

pub async fn enable_merchant(
    State(state): State<AppState>,
    _: Operator,
    Path(id): Path<String>,
) -> Result<Json<Merchant>, ApiError> {
    set_status(&state, &id, MerchantStatus::Active).await
}

async fn set_status(
    state: &AppState,
    id: &str,
    status: MerchantStatus,
) -> Result<Json<Merchant>, ApiError> {
    let id = merchant_id(id)?;
    let merchant = state.payments.merchants.set_status(&id, status).await?;
    tracing::info!(merchant = %id, ?status, "merchant status set by the operator");
    Ok(Json(merchant))
}

pub async fn create_key(
    State(state): State<AppState>,
    _: Operator,
    Path(id): Path<String>,
    Json(request): Json<CreateApiKey>,
) -> Result<(StatusCode, Json<CreatedApiKey>), ApiError> {
    let id = merchant_id(&id)?;
    let key = state
        .payments
        .merchants
        .create_key_for(&id, &request.name, state.config.mode)
        .await?;
    Ok((StatusCode::CREATED, Json(key)))
}

pub async fn list_keys(
    State(state): State<AppState>,
    _: Operator,
    Path(id): Path<String>,
) -> Result<Json<Vec<ApiKey>>, ApiError> {
    let id = merchant_id(&id)?;
    state.payments.merchants.get(&id).await?;
    Ok(Json(state.payments.merchants.keys(&id).await?))
}

pub async fn revoke_key(
    State(state): State<AppState>,
    _: Operator,
    Path((id, key)): Path<(String, String)>,
) -> Result<Json<ApiKey>, ApiError> {
    let id = merchant_id(&id)?;
    let key: ApiKeyId = key
        .parse()
        .map_err(|e: shared::IdError| ApiError::field("key", e.to_string()))?;
    Ok(Json(state.payments.merchants.revoke_key(&id, &key).await?))
}

/// Any merchant's payment, whatever the merchant's status.
pub async fn payment(
    State(state): State<AppState>,
    _: Operator,
    PaymentPath(id): PaymentPath,
) -> Result<Json<MerchantPayment>, ApiError> {
    let payment = state.payments.payment(&id).await?;
    Ok(Json(view::merchant(&payment, now_unix())))
}

fn merchant_id(raw: &str) -> Result<MerchantId, ApiError> {
    raw.parse()
        .map_err(|e: shared::IdError| ApiError::field("id", e.to_string()))
}
