//! The merchant's webhooks: endpoints (`/v1/webhook-endpoints`, the secret shown on create
//! and rotate only) and the event log (`/v1/events`, with every delivery attempt, and
//! redelivery). All scoped to the key's merchant: another's endpoint or event is 404.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use shared::webhooks::{
    CreateEndpoint, Endpoint, EndpointWithSecret, Event, EventQuery, EventWithDeliveries,
    RotateSecret,
};
use shared::{EndpointId, EventId, PaymentId};

use super::extract::{Json, JsonOrEmpty, Merchant, Query};
use crate::app::AppState;
use crate::error::ApiError;
use crate::webhooks;

#[utoipa::path(
    post, path = "/v1/webhook-endpoints", operation_id = "create_webhook_endpoint", summary = "Add a webhook endpoint", tag = "webhooks", security(("merchant_key" = [])),
    params(("Idempotency-Key" = Option<crate::idempotency::IdempotencyKey>, Header)),
    request_body = CreateEndpoint,
    responses(
        (status = 201, description = "The endpoint, with its signing secret (shown once)", body = EndpointWithSecret),
        (status = 400, description = "A field, path id or header does not parse: `param` names it", body = shared::checkout::ApiErrorBody),
        (status = 401, description = "Missing, wrong or revoked key", body = shared::checkout::ApiErrorBody),
        (status = 409, description = "The first request with this Idempotency-Key still runs", body = shared::checkout::ApiErrorBody),
        (status = 413, description = "The body is over 64 KiB", body = shared::checkout::ApiErrorBody),
        (status = 415, description = "The body is not sent as application/json", body = shared::checkout::ApiErrorBody),
        (status = 422, description = "This Idempotency-Key was used with another request", body = shared::checkout::ApiErrorBody),
        (status = 500, description = "Our fault; logged", body = shared::checkout::ApiErrorBody)
    )
)]
pub async fn create_endpoint(
    State(state): State<AppState>,
    who: Merchant,
    Json(request): Json<CreateEndpoint>,
) -> Result<(StatusCode, Json<EndpointWithSecret>), ApiError> {
    let pool = state.payments.store.pool();
    let created =
        webhooks::create_endpoint(pool, &state.response_sealer, who.id(), &request).await?;
    tracing::info!(merchant = %who.id(), endpoint = %created.endpoint.id, by = ?who.0.credential, "webhook endpoint created");
    Ok((StatusCode::CREATED, Json(created)))
}

#[utoipa::path(
    get, path = "/v1/webhook-endpoints", operation_id = "list_webhook_endpoints", summary = "List webhook endpoints", tag = "webhooks", security(("merchant_key" = [])),
    responses(
        (status = 200, description = "The merchant's endpoints, never their secrets", body = Vec<Endpoint>),
        (status = 401, description = "Missing, wrong or revoked key", body = shared::checkout::ApiErrorBody),
        (status = 500, description = "Our fault; logged", body = shared::checkout::ApiErrorBody)
    )
)]
pub async fn list_endpoints(
    State(state): State<AppState>,
    who: Merchant,
) -> Result<Json<Vec<Endpoint>>, ApiError> {
    let pool = state.payments.store.pool();
    Ok(Json(webhooks::list_endpoints(pool, who.id()).await?))
}

#[utoipa::path(
    delete, path = "/v1/webhook-endpoints/{id}", operation_id = "delete_webhook_endpoint", summary = "Delete a webhook endpoint", tag = "webhooks", security(("merchant_key" = [])),
    params(("id" = EndpointId, Path, description = "The endpoint")),
    responses(
        (status = 204, description = "Deleted: nothing more is sent to it"),
        (status = 400, description = "A field, path id or header does not parse: `param` names it", body = shared::checkout::ApiErrorBody),
        (status = 401, description = "Missing, wrong or revoked key", body = shared::checkout::ApiErrorBody),
        (status = 404, description = "No such endpoint of this merchant", body = shared::checkout::ApiErrorBody),
        (status = 500, description = "Our fault; logged", body = shared::checkout::ApiErrorBody)
    )
)]
pub async fn delete_endpoint(
    State(state): State<AppState>,
    who: Merchant,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let id: EndpointId = parse(&id)?;
    webhooks::delete_endpoint(state.payments.store.pool(), who.id(), &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(
    post, path = "/v1/webhook-endpoints/{id}/rotate-secret", operation_id = "rotate_webhook_secret", summary = "Rotate an endpoint's signing secret", tag = "webhooks", security(("merchant_key" = [])),
    params(("id" = EndpointId, Path, description = "The endpoint"), ("Idempotency-Key" = Option<crate::idempotency::IdempotencyKey>, Header)),
    request_body(content = Option<RotateSecret>, description = "How long the old secret keeps signing beside the new one"),
    responses(
        (status = 200, description = "The endpoint with its new secret (shown once)", body = EndpointWithSecret),
        (status = 400, description = "A field, path id or header does not parse: `param` names it", body = shared::checkout::ApiErrorBody),
        (status = 401, description = "Missing, wrong or revoked key", body = shared::checkout::ApiErrorBody),
        (status = 404, description = "No such endpoint of this merchant", body = shared::checkout::ApiErrorBody),
        (status = 409, description = "The first request with this Idempotency-Key still runs", body = shared::checkout::ApiErrorBody),
        (status = 413, description = "The body is over 64 KiB", body = shared::checkout::ApiErrorBody),
        (status = 415, description = "The body is not sent as application/json", body = shared::checkout::ApiErrorBody),
        (status = 422, description = "This Idempotency-Key was used with another request", body = shared::checkout::ApiErrorBody),
        (status = 500, description = "Our fault; logged", body = shared::checkout::ApiErrorBody)
    )
)]
pub async fn rotate_secret(
    State(state): State<AppState>,
    who: Merchant,
    Path(id): Path<String>,
    JsonOrEmpty(request): JsonOrEmpty<RotateSecret>,
) -> Result<Json<EndpointWithSecret>, ApiError> {
    let id: EndpointId = parse(&id)?;
    let pool = state.payments.store.pool();
    let rotated =
        webhooks::rotate_secret(pool, &state.response_sealer, who.id(), &id, request).await?;
    tracing::info!(merchant = %who.id(), endpoint = %id, by = ?who.0.credential, "webhook secret rotated");
    Ok(Json(rotated))
}

#[utoipa::path(
    get, path = "/v1/events", operation_id = "list_events", summary = "List events", tag = "webhooks", security(("merchant_key" = [])),
    params(("payment" = Option<PaymentId>, Query, description = "Only this payment's events")),
    responses(
        (status = 200, description = "The merchant's events, newest first (at most 500)", body = Vec<Event>),
        (status = 400, description = "A field, path id or header does not parse: `param` names it", body = shared::checkout::ApiErrorBody),
        (status = 401, description = "Missing, wrong or revoked key", body = shared::checkout::ApiErrorBody),
        (status = 500, description = "Our fault; logged", body = shared::checkout::ApiErrorBody)
    )
)]
pub async fn list_events(
    State(state): State<AppState>,
    who: Merchant,
    Query(query): Query<EventQuery>,
) -> Result<Json<Vec<Event>>, ApiError> {
    let pool = state.payments.store.pool();
    let events = webhooks::list_events(pool, who.id(), query.payment.as_ref()).await?;
    Ok(Json(events))
}

#[utoipa::path(
    get, path = "/v1/events/{id}", operation_id = "get_event", summary = "Read an event and its deliveries", tag = "webhooks", security(("merchant_key" = [])),
    params(("id" = EventId, Path, description = "The event")),
    responses(
        (status = 200, description = "The event and its deliveries, each attempt with its answer", body = EventWithDeliveries),
        (status = 400, description = "A field, path id or header does not parse: `param` names it", body = shared::checkout::ApiErrorBody),
        (status = 401, description = "Missing, wrong or revoked key", body = shared::checkout::ApiErrorBody),
        (status = 404, description = "No such event of this merchant", body = shared::checkout::ApiErrorBody),
        (status = 500, description = "Our fault; logged", body = shared::checkout::ApiErrorBody)
    )
)]
pub async fn get_event(
    State(state): State<AppState>,
    who: Merchant,
    Path(id): Path<String>,
) -> Result<Json<EventWithDeliveries>, ApiError> {
    let id: EventId = parse(&id)?;
    let pool = state.payments.store.pool();
    Ok(Json(webhooks::get_event(pool, who.id(), &id).await?))
}

#[utoipa::path(
    post, path = "/v1/events/{id}/redeliver", operation_id = "redeliver_event", summary = "Send an event again", tag = "webhooks", security(("merchant_key" = [])),
    params(("id" = EventId, Path, description = "The event"), ("Idempotency-Key" = Option<crate::idempotency::IdempotencyKey>, Header)),
    responses(
        (status = 200, description = "The event, due again at every endpoint subscribed to it", body = EventWithDeliveries),
        (status = 400, description = "A field, path id or header does not parse: `param` names it", body = shared::checkout::ApiErrorBody),
        (status = 401, description = "Missing, wrong or revoked key", body = shared::checkout::ApiErrorBody),
        (status = 404, description = "No such event of this merchant", body = shared::checkout::ApiErrorBody),
        (status = 409, description = "The first request with this Idempotency-Key still runs", body = shared::checkout::ApiErrorBody),
        (status = 422, description = "This Idempotency-Key was used with another request", body = shared::checkout::ApiErrorBody),
        (status = 500, description = "Our fault; logged", body = shared::checkout::ApiErrorBody)
    )
)]
pub async fn redeliver(
    State(state): State<AppState>,
    who: Merchant,
    Path(id): Path<String>,
) -> Result<Json<EventWithDeliveries>, ApiError> {
    let id: EventId = parse(&id)?;
    let pool = state.payments.store.pool();
    let event = webhooks::redeliver(pool, who.id(), &id).await?;
    state.payments.webhook_wake.notify_one();
    Ok(Json(event))
}

fn parse<T: std::str::FromStr<Err = shared::IdError>>(raw: &str) -> Result<T, ApiError> {
    raw.parse()
        .map_err(|e: shared::IdError| ApiError::field("id", e.to_string()))
}
