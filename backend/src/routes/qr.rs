//! `GET /api/checkout/payments/{id}/qr`: the Vipps landing page as an SVG QR code, so a
//! desktop shopper can scan it with the phone. Rendered here to keep it out of the wasm.

use axum::extract::State;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::IntoResponse;
use qrcode::QrCode;
use qrcode::render::svg;
use shared::PaymentId;

use super::widget_auth::WidgetPayment;
use crate::app::AppState;
use crate::error::ApiError;
use crate::payments::{PaymentError, checkout};

#[utoipa::path(
    get, path = "/api/checkout/payments/{id}/qr", operation_id = "widget_qr_code", summary = "QR code of the Vipps landing page (widget)", tag = "widget", security(("client_secret" = [])),
    params(("id" = PaymentId, Path, description = "The payment")),
    responses(
        (status = 200, description = "A QR code of the Vipps landing page, for a phone", content_type = "image/svg+xml", body = String),
        (status = 400, description = "A field, path id or header does not parse: `param` names it", body = shared::checkout::ApiErrorBody),
        (status = 401, description = "Missing or wrong client secret, or no such payment", body = shared::checkout::ApiErrorBody),
        (status = 403, description = "The merchant is disabled", body = shared::checkout::ApiErrorBody),
        (status = 409, description = "The payment's state forbids it", body = shared::checkout::ApiErrorBody),
        (status = 429, description = "Too many requests for this payment or from this address; see Retry-After", body = shared::checkout::ApiErrorBody),
        (status = 500, description = "Our fault; logged", body = shared::checkout::ApiErrorBody)
    )
)]
/// Counted with start and cancel against the payment's actions.
pub async fn qr(
    State(state): State<AppState>,
    WidgetPayment(payment): WidgetPayment,
) -> Result<impl IntoResponse, ApiError> {
    state
        .limits
        .actions
        .check(&payment.id)
        .map_err(ApiError::RateLimited)?;
    let payment = checkout::get(&state.payments, &payment).await?;
    let url = payment.vipps_url.ok_or(PaymentError::NotFound)?;
    let code = QrCode::new(url.as_bytes()).map_err(|e| ApiError::BadRequest(e.to_string()))?;
    let image = code
        .render::<svg::Color<'_>>()
        .min_dimensions(160, 160)
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .build();
    Ok((
        [(CONTENT_TYPE, "image/svg+xml"), (CACHE_CONTROL, "no-store")],
        image,
    ))
}
