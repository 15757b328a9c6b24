//! The widget API: read a payment and start or cancel it, authenticated by the client
//! secret header ([`WidgetPayment`]) before anything is counted against the payment.

use axum::extract::State;
use shared::PaymentId;
use shared::checkout::{CheckoutPayment, StartPayment};

use super::extract::Json;
use super::widget_auth::WidgetPayment;
use crate::app::AppState;
use crate::error::ApiError;
use crate::payments::checkout;

#[utoipa::path(
    get, path = "/api/checkout/payments/{id}", operation_id = "widget_get_payment", summary = "Read the payment (widget)", tag = "widget", security(("client_secret" = [])),
    params(("id" = PaymentId, Path, description = "The payment")),
    responses(
        (status = 200, description = "The payment as the widget shows it", body = CheckoutPayment),
        (status = 400, description = "A field, path id or header does not parse: `param` names it", body = shared::checkout::ApiErrorBody),
        (status = 401, description = "Missing or wrong client secret, or no such payment", body = shared::checkout::ApiErrorBody),
        (status = 403, description = "The merchant is disabled", body = shared::checkout::ApiErrorBody),
        (status = 429, description = "Too many requests for this payment or from this address; see Retry-After", body = shared::checkout::ApiErrorBody),
        (status = 500, description = "Our fault; logged", body = shared::checkout::ApiErrorBody)
    )
)]
pub async fn get(
    State(state): State<AppState>,
    WidgetPayment(payment): WidgetPayment,
) -> Result<Json<CheckoutPayment>, ApiError> {
    state
        .limits
        .reads
        .check(&payment.id)
        .map_err(ApiError::RateLimited)?;
    Ok(Json(checkout::get(&state.payments, &payment).await?))
}

#[utoipa::path(
    post, path = "/api/checkout/payments/{id}/start", operation_id = "widget_start_payment", summary = "Start the payment at Vipps (widget)", tag = "widget", security(("client_secret" = [])),
    params(("id" = PaymentId, Path, description = "The payment")),
    request_body = StartPayment,
    responses(
        (status = 200, description = "Started at Vipps: the landing page's URL, or the app's", body = CheckoutPayment),
        (status = 400, description = "A field, path id or header does not parse: `param` names it", body = shared::checkout::ApiErrorBody),
        (status = 401, description = "Missing or wrong client secret, or no such payment", body = shared::checkout::ApiErrorBody),
        (status = 403, description = "The merchant is disabled", body = shared::checkout::ApiErrorBody),
        (status = 409, description = "The payment's state forbids it, or it was sent to Vipps as often as one payment may be", body = shared::checkout::ApiErrorBody),
        (status = 410, description = "The payment expired", body = shared::checkout::ApiErrorBody),
        (status = 413, description = "The body is over 64 KiB", body = shared::checkout::ApiErrorBody),
        (status = 415, description = "The body is not sent as application/json", body = shared::checkout::ApiErrorBody),
        (status = 422, description = "Vipps refused the start (the phone number, or the payment)", body = shared::checkout::ApiErrorBody),
        (status = 429, description = "Too many requests for this payment or from this address; see Retry-After", body = shared::checkout::ApiErrorBody),
        (status = 500, description = "Our fault; logged", body = shared::checkout::ApiErrorBody),
        (status = 502, description = "Vipps or the acquirer failed; nothing changed, try again", body = shared::checkout::ApiErrorBody)
    )
)]
pub async fn start(
    State(state): State<AppState>,
    WidgetPayment(payment): WidgetPayment,
    Json(request): Json<StartPayment>,
) -> Result<Json<CheckoutPayment>, ApiError> {
    state
        .limits
        .actions
        .check(&payment.id)
        .map_err(ApiError::RateLimited)?;
    Ok(Json(
        checkout::start(&state.payments, payment, request).await?,
    ))
}

#[utoipa::path(
    post, path = "/api/checkout/payments/{id}/cancel", operation_id = "widget_cancel_payment", summary = "Cancel the payment (widget)", tag = "widget", security(("client_secret" = [])),
    params(("id" = PaymentId, Path, description = "The payment")),
    responses(
        (status = 200, description = "Cancelled by the shopper", body = CheckoutPayment),
        (status = 400, description = "A field, path id or header does not parse: `param` names it", body = shared::checkout::ApiErrorBody),
        (status = 401, description = "Missing or wrong client secret, or no such payment", body = shared::checkout::ApiErrorBody),
        (status = 403, description = "The merchant is disabled", body = shared::checkout::ApiErrorBody),
        (status = 409, description = "The payment's state forbids it", body = shared::checkout::ApiErrorBody),
        (status = 410, description = "The payment expired", body = shared::checkout::ApiErrorBody),
        (status = 429, description = "Too many requests for this payment or from this address; see Retry-After", body = shared::checkout::ApiErrorBody),
        (status = 500, description = "Our fault; logged", body = shared::checkout::ApiErrorBody),
        (status = 502, description = "Vipps or the acquirer failed; nothing changed, try again", body = shared::checkout::ApiErrorBody)
    )
)]
pub async fn cancel(
    State(state): State<AppState>,
    WidgetPayment(payment): WidgetPayment,
) -> Result<Json<CheckoutPayment>, ApiError> {
    state
        .limits
        .actions
        .check(&payment.id)
        .map_err(ApiError::RateLimited)?;
    Ok(Json(checkout::cancel(&state.payments, payment).await?))
}
