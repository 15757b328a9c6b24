//! The test-control API under `/sim/` (JSON, no auth): list and inspect payments, and act
//! as the shopper exactly as the phone app and the landing page do.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use shared::MobileNumber;
use shared::test_cards::TEST_CARDS;
use shared::vipps::MakePaymentResponse;

use crate::app::AppState;
use crate::card_data::{CardNumber, Expiry};
use crate::control_view::{PaymentSummary, PaymentView};
use crate::shopper::{self, Action, ShopperError};
use crate::state::Outcome;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/sim/payments", get(list))
        .route("/sim/payments/{id}", get(one))
        .route("/sim/payments/{id}/approve", post(approve))
        .route(
            "/sim/payments/{id}/reject",
            post(|s, p| act(s, p, Action::Reject)),
        )
        .route(
            "/sim/payments/{id}/cancel",
            post(|s, p| act(s, p, Action::Cancel)),
        )
        .route(
            "/sim/payments/{id}/timeout",
            post(|s, p| act(s, p, Action::Timeout)),
        )
}

/// Every error of this API: a stable code, a sentence, and the PSP's HTTP status if it answered.
#[derive(Debug, Serialize)]
struct ControlError {
    #[serde(skip)]
    status: StatusCode,
    error: &'static str,
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    psp_http_status: Option<u16>,
}

impl ControlError {
    fn new(status: StatusCode, error: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            error,
            message: message.into(),
            psp_http_status: None,
        }
    }
}

impl IntoResponse for ControlError {
    fn into_response(self) -> Response {
        (self.status, Json(self)).into_response()
    }
}

impl From<ShopperError> for ControlError {
    fn from(err: ShopperError) -> Self {
        match err {
            ShopperError::NotFound => Self::new(
                StatusCode::NOT_FOUND,
                "not_found",
                "no payment with this pspTransactionId",
            ),
            ShopperError::NotPending(err) => {
                Self::new(StatusCode::CONFLICT, "not_pending", err.to_string())
            }
            ShopperError::CardData(err) => {
                Self::new(StatusCode::BAD_REQUEST, "invalid_request", err.to_string())
            }
            ShopperError::Random(err) => Self::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                err.to_string(),
            ),
        }
    }
}

#[derive(Debug, Deserialize)]
struct ListQuery {
    #[serde(default)]
    phone: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct ApproveBody {
    #[serde(default)]
    card: Option<String>,
    #[serde(default)]
    expiry: Option<String>,
}

async fn list(
    State(app): State<AppState>,
    Query(query): Query<ListQuery>,
) -> Result<Json<Vec<PaymentSummary>>, ControlError> {
    let phone = match query.phone.as_deref() {
        Some(phone) => Some(phone.parse::<MobileNumber>().map_err(|err| {
            ControlError::new(StatusCode::BAD_REQUEST, "invalid_request", err.to_string())
        })?),
        None => None,
    };
    let store = app.store.lock().await;
    let payments = store
        .iter()
        .filter(|p| phone.is_none() || p.phone == phone)
        .map(|p| PaymentSummary::of(&app, p))
        .collect();
    Ok(Json(payments))
}

async fn one(
    State(app): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<PaymentView>, ControlError> {
    let store = app.store.lock().await;
    let payment = store.get(&id).ok_or(ShopperError::NotFound)?;
    Ok(Json(PaymentView::of(&app, payment)))
}

async fn approve(
    State(app): State<AppState>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<MakePaymentResponse>, ControlError> {
    let invalid =
        |message: String| ControlError::new(StatusCode::BAD_REQUEST, "invalid_request", message);
    let body: ApproveBody = if body.iter().all(u8::is_ascii_whitespace) {
        ApproveBody::default()
    } else {
        serde_json::from_slice(&body)
            .map_err(|err| invalid(format!("the body is not {{\"card\", \"expiry\"}}: {err}")))?
    };
    let first_card = TEST_CARDS.first().map_or("", |card| card.number);
    let card = CardNumber::parse(body.card.as_deref().unwrap_or(first_card))
        .map_err(|err| invalid(err.to_string()))?;
    let expiry = body
        .expiry
        .as_deref()
        .map(Expiry::parse)
        .transpose()
        .map_err(|err| invalid(err.to_string()))?;
    act(State(app), Path(id), Action::Approve { card, expiry }).await
}

/// Calls makePayment and returns the PSP's answer as it came.
async fn act(
    State(app): State<AppState>,
    Path(id): Path<String>,
    action: Action,
) -> Result<Json<MakePaymentResponse>, ControlError> {
    let finished = shopper::act(&app, &id, action).await?;
    match (finished.outcome, finished.answer) {
        (Outcome::Approved | Outcome::Declined { .. }, Some(answer)) => Ok(Json(answer)),
        (Outcome::TooLate, _) => Err(ControlError::new(
            StatusCode::GATEWAY_TIMEOUT,
            "psp_timeout",
            "the PSP did not answer makePayment within 15 seconds; the payment is failed at Vipps",
        )),
        (
            Outcome::PspError {
                http_status,
                message,
            },
            _,
        ) => {
            let mut error = ControlError::new(StatusCode::BAD_GATEWAY, "psp_error", message);
            error.psp_http_status = http_status;
            Err(error)
        }
        (Outcome::Approved | Outcome::Declined { .. }, None) => Err(ControlError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "the PSP's answer was lost",
        )),
    }
}
