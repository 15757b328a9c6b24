//! `POST /vipps/make-payment`: Vipps's makePaymentUrl. The `Authorization` header is
//! the raw makePaymentToken we gave at init.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::http::header::AUTHORIZATION;
use shared::vipps::{MakePaymentRequest, MakePaymentResponse, PaymentInfoStatus};

use super::extract::Json;
use crate::app::AppState;
use crate::error::ApiError;
use crate::payments::make_payment;
use crate::telemetry::metrics::MakePaymentOutcome;

pub async fn make_payment(
    State(state): State<AppState>,
    headers: HeaderMap,
    Json(request): Json<MakePaymentRequest>,
) -> Result<Json<MakePaymentResponse>, ApiError> {
    let token = headers.get(AUTHORIZATION).and_then(|v| v.to_str().ok());
    let started = std::time::Instant::now();
    let answer = make_payment::handle(&state.payments, token, request).await;
    let outcome = match &answer {
        Ok(answer) if answer.payment_info.status == PaymentInfoStatus::Ok => MakePaymentOutcome::Ok,
        Ok(_) => MakePaymentOutcome::Fail,
        Err(_) => MakePaymentOutcome::Error,
    };
    state.metrics.make_payment(outcome, started.elapsed());
    Ok(Json(answer?))
}
