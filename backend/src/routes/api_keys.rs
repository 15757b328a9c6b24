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

#[utoipa::path(
    post, path = "/v1/api-keys", operation_id = "create_api_key", summary = "Create an API key", tag = "api keys", security(("merchant_key" = [])),
    params(("Idempotency-Key" = Option<crate::idempotency::IdempotencyKey>, Header)),
    request_body = CreateApiKey,
    responses(
        (status = 201, description = "The key, with its secret (shown once)", body = CreatedApiKey),
        (status = 400, description = "A field, path id or header does not parse: `param` names it", body = shared::checkout::ApiErrorBody),
        (status = 401, description = "Missing, wrong or revoked key", body = shared::checkout::ApiErrorBody),
        (status = 409, description = "The first request with this Idempotency-Key still runs", body = shared::checkout::ApiErrorBody),
        (status = 413, description = "The body is over 64 KiB", body = shared::checkout::ApiErrorBody),
        (status = 415, description = "The body is not sent as application/json", body = shared::checkout::ApiErrorBody),
        (status = 422, description = "This Idempotency-Key was used with another request", body = shared::checkout::ApiErrorBody),
        (status = 500, description = "Our fault; logged", body = shared::checkout::ApiErrorBody)
    )
)]
pub async fn create(
    State(state): State<AppState>,
    who: Merchant,
    Json(request): Json<CreateApiKey>,
) -> Result<(StatusCode, Json<CreatedApiKey>), ApiError> {
    let merchants = &state.payments.merchants;
    let key = merchants
        .create_key_for(who.id(), &request.name, state.config.mode)
        .await?;
    tracing::info!(merchant = %who.id(), key = %key.key.id, by = ?who.0.credential, "API key created");
    Ok((StatusCode::CREATED, Json(key)))
}

#[utoipa::path(
    get, path = "/v1/api-keys", operation_id = "list_api_keys", summary = "List API keys", tag = "api keys", security(("merchant_key" = [])),
    responses(
        (status = 200, description = "The merchant's keys, never their secrets", body = Vec<ApiKey>),
        (status = 401, description = "Missing, wrong or revoked key", body = shared::checkout::ApiErrorBody),
        (status = 500, description = "Our fault; logged", body = shared::checkout::ApiErrorBody)
    )
)]
pub async fn list(
    State(state): State<AppState>,
    who: Merchant,
) -> Result<Json<Vec<ApiKey>>, ApiError> {
    Ok(Json(state.payments.merchants.keys(who.id()).await?))
}

#[utoipa::path(
    delete, path = "/v1/api-keys/{id}", operation_id = "revoke_api_key", summary = "Revoke an API key", tag = "api keys", security(("merchant_key" = [])),
    params(("id" = ApiKeyId, Path, description = "The key")),
    responses(
        (status = 200, description = "The key, revoked", body = ApiKey),
        (status = 400, description = "A field, path id or header does not parse: `param` names it", body = shared::checkout::ApiErrorBody),
        (status = 401, description = "Missing, wrong or revoked key", body = shared::checkout::ApiErrorBody),
        (status = 404, description = "No such key of this merchant", body = shared::checkout::ApiErrorBody),
        (status = 500, description = "Our fault; logged", body = shared::checkout::ApiErrorBody)
    )
)]
pub async fn revoke(
    State(state): State<AppState>,
    who: Merchant,
    Path(id): Path<String>,
) -> Result<Json<ApiKey>, ApiError> {
    let id: ApiKeyId = id
        .parse()
        .map_err(|e: shared::IdError| ApiError::field("id", e.to_string()))?;
    let key = state.payments.merchants.revoke_key(who.id(), &id).await?;
    tracing::info!(merchant = %who.id(), key = %key.id, by = ?who.0.credential, "API key revoked");
    Ok(Json(key))
}
