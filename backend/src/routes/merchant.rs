//! The merchant API's payments: `POST /v1/payments`, `GET /v1/payments/{id}`, capture,
//! refund, cancel. Every call is scoped to the merchant of the Bearer key: another
//! merchant's payment is 404, exactly like one that does not exist.

use axum::Extension;
use axum::extract::State;
use axum::http::StatusCode;
use shared::PaymentId;
use shared::merchant::{AmountRequest, CreatePayment, MerchantPayment};
use shared::payment_list::{ListPayments, PaymentList};
use shared::timeline::PaymentTimeline;

use super::extract::{Json, JsonOrEmpty, Merchant, PaymentPath, Query};
use crate::app::AppState;
use crate::error::ApiError;
use crate::idempotency::IdempotencyKey;
use crate::outbox::store::DeadUpdate;
use crate::payments::{PaymentError, listing, merchant, operations};

#[utoipa::path(
    post, path = "/v1/payments", operation_id = "create_payment", summary = "Create a payment", tag = "payments", security(("merchant_key" = [])),
    params(("Idempotency-Key" = Option<crate::idempotency::IdempotencyKey>, Header)),
    request_body = CreatePayment,
    responses(
        (status = 201, description = "The payment, with its client secret for the widget (shown once)", body = MerchantPayment),
        (status = 400, description = "A field, path id or header does not parse: `param` names it", body = shared::checkout::ApiErrorBody),
        (status = 401, description = "Missing, wrong or revoked key", body = shared::checkout::ApiErrorBody),
        (status = 403, description = "The merchant is disabled", body = shared::checkout::ApiErrorBody),
        (status = 409, description = "The order id is taken (`param`: `merchant_order_id`), or the first request with this Idempotency-Key still runs", body = shared::checkout::ApiErrorBody),
        (status = 413, description = "The body is over 64 KiB", body = shared::checkout::ApiErrorBody),
        (status = 415, description = "The body is not sent as application/json", body = shared::checkout::ApiErrorBody),
        (status = 422, description = "This Idempotency-Key was used with another request", body = shared::checkout::ApiErrorBody),
        (status = 500, description = "Our fault; logged", body = shared::checkout::ApiErrorBody)
    )
)]
pub async fn create(
    State(state): State<AppState>,
    who: Merchant,
    key: Option<Extension<IdempotencyKey>>,
    Json(request): Json<CreatePayment>,
) -> Result<(StatusCode, Json<MerchantPayment>), ApiError> {
    let created = merchant::create(&state.payments, who.id(), request, key_of(&key)).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

#[utoipa::path(
    get, path = "/v1/payments", operation_id = "list_payments", summary = "List, search and filter payments", tag = "payments", security(("merchant_key" = [])),
    params(ListPayments),
    responses(
        (status = 200, description = "A page of payments, newest first", body = PaymentList),
        (status = 400, description = "A field, path id or header does not parse: `param` names it", body = shared::checkout::ApiErrorBody),
        (status = 401, description = "Missing, wrong or revoked key", body = shared::checkout::ApiErrorBody),
        (status = 404, description = "`starting_after` is no payment of this merchant", body = shared::checkout::ApiErrorBody),
        (status = 500, description = "Our fault; logged", body = shared::checkout::ApiErrorBody)
    )
)]
pub async fn list(
    State(state): State<AppState>,
    who: Merchant,
    Query(query): Query<ListPayments>,
) -> Result<Json<PaymentList>, ApiError> {
    Ok(Json(
        listing::list(&state.payments, who.id(), &query).await?,
    ))
}

#[utoipa::path(
    get, path = "/v1/payments/{id}/timeline", operation_id = "get_payment_timeline", summary = "Everything that happened to a payment", tag = "payments", security(("merchant_key" = [])),
    params(("id" = PaymentId, Path, description = "The payment")),
    responses(
        (status = 200, description = "The payment and its story, oldest first", body = PaymentTimeline),
        (status = 400, description = "A field, path id or header does not parse: `param` names it", body = shared::checkout::ApiErrorBody),
        (status = 401, description = "Missing, wrong or revoked key", body = shared::checkout::ApiErrorBody),
        (status = 404, description = "No such payment of this merchant", body = shared::checkout::ApiErrorBody),
        (status = 500, description = "Our fault; logged", body = shared::checkout::ApiErrorBody)
    )
)]
pub async fn timeline(
    State(state): State<AppState>,
    who: Merchant,
    PaymentPath(id): PaymentPath,
) -> Result<Json<PaymentTimeline>, ApiError> {
    Ok(Json(
        crate::timeline::of_payment(&state.payments, who.id(), &id).await?,
    ))
}

#[utoipa::path(
    get, path = "/v1/payments/{id}", operation_id = "get_payment", summary = "Read a payment", tag = "payments", security(("merchant_key" = [])),
    params(("id" = PaymentId, Path, description = "The payment")),
    responses(
        (status = 200, description = "The payment", body = MerchantPayment),
        (status = 400, description = "A field, path id or header does not parse: `param` names it", body = shared::checkout::ApiErrorBody),
        (status = 401, description = "Missing, wrong or revoked key", body = shared::checkout::ApiErrorBody),
        (status = 404, description = "No such payment of this merchant", body = shared::checkout::ApiErrorBody),
        (status = 500, description = "Our fault; logged", body = shared::checkout::ApiErrorBody)
    )
)]
pub async fn get(
    State(state): State<AppState>,
    who: Merchant,
    PaymentPath(id): PaymentPath,
) -> Result<Json<MerchantPayment>, ApiError> {
    Ok(Json(merchant::get(&state.payments, who.id(), &id).await?))
}

#[utoipa::path(
    post, path = "/v1/payments/{id}/capture", operation_id = "capture_payment", summary = "Capture all or part of a payment", tag = "payments", security(("merchant_key" = [])),
    params(("id" = PaymentId, Path, description = "The payment"), ("Idempotency-Key" = Option<crate::idempotency::IdempotencyKey>, Header)),
    request_body(content = Option<AmountRequest>, description = "The amount; without it, all that is left"),
    responses(
        (status = 200, description = "The payment after the capture", body = MerchantPayment),
        (status = 400, description = "A field, path id or header does not parse: `param` names it", body = shared::checkout::ApiErrorBody),
        (status = 401, description = "Missing, wrong or revoked key", body = shared::checkout::ApiErrorBody),
        (status = 404, description = "No such payment of this merchant", body = shared::checkout::ApiErrorBody),
        (status = 409, description = "The payment's state forbids it, or the first request with this Idempotency-Key still runs", body = shared::checkout::ApiErrorBody),
        (status = 410, description = "The payment expired", body = shared::checkout::ApiErrorBody),
        (status = 413, description = "The body is over 64 KiB", body = shared::checkout::ApiErrorBody),
        (status = 415, description = "The body is not sent as application/json", body = shared::checkout::ApiErrorBody),
        (status = 422, description = "More than is left to capture or refund (`param`: `amount`), or this Idempotency-Key was used with another request", body = shared::checkout::ApiErrorBody),
        (status = 500, description = "Our fault; logged", body = shared::checkout::ApiErrorBody),
        (status = 502, description = "Vipps or the acquirer failed; nothing changed, try again", body = shared::checkout::ApiErrorBody)
    )
)]
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

#[utoipa::path(
    post, path = "/v1/payments/{id}/refund", operation_id = "refund_payment", summary = "Refund all or part of what was captured", tag = "payments", security(("merchant_key" = [])),
    params(("id" = PaymentId, Path, description = "The payment"), ("Idempotency-Key" = Option<crate::idempotency::IdempotencyKey>, Header)),
    request_body(content = Option<AmountRequest>, description = "The amount; without it, all captured and not refunded"),
    responses(
        (status = 200, description = "The payment after the refund", body = MerchantPayment),
        (status = 400, description = "A field, path id or header does not parse: `param` names it", body = shared::checkout::ApiErrorBody),
        (status = 401, description = "Missing, wrong or revoked key", body = shared::checkout::ApiErrorBody),
        (status = 404, description = "No such payment of this merchant", body = shared::checkout::ApiErrorBody),
        (status = 409, description = "The payment's state forbids it, or the first request with this Idempotency-Key still runs", body = shared::checkout::ApiErrorBody),
        (status = 410, description = "The payment expired", body = shared::checkout::ApiErrorBody),
        (status = 413, description = "The body is over 64 KiB", body = shared::checkout::ApiErrorBody),
        (status = 415, description = "The body is not sent as application/json", body = shared::checkout::ApiErrorBody),
        (status = 422, description = "More than is left to capture or refund (`param`: `amount`), or this Idempotency-Key was used with another request", body = shared::checkout::ApiErrorBody),
        (status = 500, description = "Our fault; logged", body = shared::checkout::ApiErrorBody),
        (status = 502, description = "Vipps or the acquirer failed; nothing changed, try again", body = shared::checkout::ApiErrorBody)
    )
)]
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

#[utoipa::path(
    post, path = "/v1/payments/{id}/cancel", operation_id = "cancel_payment", summary = "Cancel a payment, or release what is not captured", tag = "payments", security(("merchant_key" = [])),
    params(("id" = PaymentId, Path, description = "The payment"), ("Idempotency-Key" = Option<crate::idempotency::IdempotencyKey>, Header)),
    responses(
        (status = 200, description = "The payment, cancelled (before the reservation) or with all not captured released", body = MerchantPayment),
        (status = 400, description = "A field, path id or header does not parse: `param` names it", body = shared::checkout::ApiErrorBody),
        (status = 401, description = "Missing, wrong or revoked key", body = shared::checkout::ApiErrorBody),
        (status = 404, description = "No such payment of this merchant", body = shared::checkout::ApiErrorBody),
        (status = 409, description = "The payment's state forbids it, or the first request with this Idempotency-Key still runs", body = shared::checkout::ApiErrorBody),
        (status = 410, description = "The payment expired", body = shared::checkout::ApiErrorBody),
        (status = 422, description = "This Idempotency-Key was used with another request", body = shared::checkout::ApiErrorBody),
        (status = 500, description = "Our fault; logged", body = shared::checkout::ApiErrorBody),
        (status = 502, description = "Vipps or the acquirer failed; nothing changed, try again", body = shared::checkout::ApiErrorBody)
    )
)]
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

#[utoipa::path(
    get, path = "/v1/status-updates/dead", operation_id = "list_dead_status_updates", summary = "Status updates Vipps refused for good", tag = "payments", security(("merchant_key" = [])),
    responses(
        (status = 200, description = "Status updates Vipps refused for good", body = Vec<DeadUpdate>),
        (status = 401, description = "Missing, wrong or revoked key", body = shared::checkout::ApiErrorBody),
        (status = 500, description = "Our fault; logged", body = shared::checkout::ApiErrorBody)
    )
)]
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
