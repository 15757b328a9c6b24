//! The merchant's webhooks: endpoints (`/v1/webhook-endpoints`, the secret shown on create
//! and rotate only) and the event log (`/v1/events`, with every delivery attempt, and
//! redelivery). All scoped to the key's merchant: another's endpoint or event is 404.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use shared::webhooks::{
    CreateEndpoint, Endpoint, EndpointWithSecret, Event, EventQuery, EventWithDeliveries,
    RotateSecret,
};
use shared::{EndpointId, EventId};

use super::extract::{Json, JsonOrEmpty, Merchant, Query};
use crate::app::AppState;
use crate::error::ApiError;
use crate::webhooks;

pub async fn create_endpoint(
    State(state): State<AppState>,
    who: Merchant,
    Json(request): Json<CreateEndpoint>,
) -> Result<(StatusCode, Json<EndpointWithSecret>), ApiError> {
    let pool = state.payments.store.pool();
    let created =
        webhooks::create_endpoint(pool, &state.response_sealer, who.id(), &request).await?;
    tracing::info!(merchant = %who.id(), endpoint = %created.endpoint.id, "webhook endpoint created");
    Ok((StatusCode::CREATED, Json(created)))
}

pub async fn list_endpoints(
    State(state): State<AppState>,
    who: Merchant,
) -> Result<Json<Vec<Endpoint>>, ApiError> {
    let pool = state.payments.store.pool();
    Ok(Json(webhooks::list_endpoints(pool, who.id()).await?))
}

pub async fn delete_endpoint(
    State(state): State<AppState>,
    who: Merchant,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let id: EndpointId = parse(&id)?;
    webhooks::delete_endpoint(state.payments.store.pool(), who.id(), &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

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
    tracing::info!(merchant = %who.id(), endpoint = %id, "webhook secret rotated");
    Ok(Json(rotated))
}

pub async fn list_events(
    State(state): State<AppState>,
    who: Merchant,
    Query(query): Query<EventQuery>,
) -> Result<Json<Vec<Event>>, ApiError> {
    let pool = state.payments.store.pool();
    let events = webhooks::list_events(pool, who.id(), query.payment.as_ref()).await?;
    Ok(Json(events))
}

pub async fn get_event(
    State(state): State<AppState>,
    who: Merchant,
    Path(id): Path<String>,
) -> Result<Json<EventWithDeliveries>, ApiError> {
    let id: EventId = parse(&id)?;
    let pool = state.payments.store.pool();
    Ok(Json(webhooks::get_event(pool, who.id(), &id).await?))
}

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
