//! The merchant's own API keys: `POST /v1/api-keys` (the secret is shown once),
//! `GET /v1/api-keys`, `DELETE /v1/api-keys/{id}` (revoked at once: 401 from then on).
//! Several keys may be live together, so a key is rotated without downtime.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use shared::ApiKeyId;
use shared::account::{ApiKey, CreateApiKey, CreatedApiKey};

use super::extract::{Json, Merchant};
use crate::app::AppState;
use crate::error::ApiError;

pub async fn create(
    State(state): State<AppState>,
    who: Merchant,
    Json(request): Json<CreateApiKey>,
) -> Result<(StatusCode, Json<CreatedApiKey>), ApiError> {
    let merchants = &state.payments.merchants;
    let key = merchants
        .create_key_for(who.id(), &request.name, state.config.mode)
        .await?;
    tracing::info!(merchant = %who.id(), key = %key.key.id, "API key created");
    Ok((StatusCode::CREATED, Json(key)))
}

pub async fn list(
    State(state): State<AppState>,
    who: Merchant,
) -> Result<Json<Vec<ApiKey>>, ApiError> {
    Ok(Json(state.payments.merchants.keys(who.id()).await?))
}

pub async fn revoke(
    State(state): State<AppState>,
    who: Merchant,
    Path(id): Path<String>,
) -> Result<Json<ApiKey>, ApiError> {
    let id: ApiKeyId = id
        .parse()
        .map_err(|e: shared::IdError| ApiError::field("id", e.to_string()))?;
    let key = state.payments.merchants.revoke_key(who.id(), &id).await?;
    tracing::info!(merchant = %who.id(), key = %key.id, "API key revoked");
    Ok(Json(key))
}
