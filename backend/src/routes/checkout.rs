//! The widget API: read a payment and start or cancel it, authenticated by the client
//! secret header ([`WidgetPayment`]) before anything is counted against the payment.

use axum::extract::State;
use shared::checkout::{CheckoutPayment, StartPayment};

use super::extract::Json;
use super::widget_auth::WidgetPayment;
use crate::app::AppState;
use crate::error::ApiError;
use crate::payments::checkout;

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
