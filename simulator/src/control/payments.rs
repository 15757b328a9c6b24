//! `/sim/payments`: list and inspect payments, and act as the shopper exactly as the phone
//! app and the landing page do, with makePayment sent once, N times (one after the other or
//! all at once), or repeated after the payment is finished.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use shared::MobileNumber;
use shared::test_cards::TEST_CARDS;
use shared::vipps::{Confirmed, MakePaymentResponse};

use super::{Body, ControlError};
use crate::app::AppState;
use crate::card_data::{CardNumber, Expiry};
use crate::control_view::{PaymentSummary, PaymentView};
use crate::make_payment::Call;
use crate::shopper::{self, Action, RepeatError, Sends, ShopperError};
use crate::state::Outcome;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/sim/payments", get(list))
        .route("/sim/payments/{id}", get(one))
        .route("/sim/payments/{id}/approve", post(approve))
        .route("/sim/payments/{id}/reject", post(reject))
        .route("/sim/payments/{id}/cancel", post(cancel))
        .route("/sim/payments/{id}/timeout", post(timeout))
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
            ShopperError::CardData(err) => Self::invalid(err.to_string()),
            ShopperError::Random(err) => Self::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                err.to_string(),
            ),
        }
    }
}

impl From<RepeatError> for ControlError {
    fn from(err: RepeatError) -> Self {
        let (status, code) = match err {
            RepeatError::NotFound => (StatusCode::NOT_FOUND, "not_found"),
            RepeatError::NotSent => (StatusCode::CONFLICT, "not_sent"),
            RepeatError::Mismatch { .. } => (StatusCode::CONFLICT, "repeat_mismatch"),
        };
        Self::new(status, code, err.to_string())
    }
}

#[derive(Debug, Deserialize)]
struct ListQuery {
    #[serde(default)]
    phone: Option<String>,
}

/// `approve`'s body; every field optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ApproveBody {
    card: Option<String>,
    expiry: Option<String>,
    times: Option<u64>,
    concurrent: Option<bool>,
    repeat: Option<bool>,
}

/// `reject`, `cancel` and `timeout`'s body; every field optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct AnswerBody {
    times: Option<u64>,
    concurrent: Option<bool>,
    repeat: Option<bool>,
}

/// How makePayment goes out, and whether the reply lists every answer.
struct Plan {
    sends: Sends,
    list: bool,
    repeat: bool,
}

impl Plan {
    fn parse(
        times: Option<u64>,
        concurrent: Option<bool>,
        repeat: Option<bool>,
    ) -> Result<Self, ControlError> {
        let times_given = times.unwrap_or(1);
        let sends = Sends::new(times_given, concurrent.unwrap_or(false))
            .map_err(|err| ControlError::invalid(err.to_string()))?;
        Ok(Self {
            sends,
            list: times_given > 1,
            repeat: repeat.unwrap_or(false),
        })
    }
}

/// `{"answers": [...]}`: each the PSP's makePayment answer, or why that call got none.
#[derive(Debug, Serialize)]
struct Answers {
    answers: Vec<AnswerOrError>,
}

#[derive(Debug, Serialize)]
#[serde(untagged)]
enum AnswerOrError {
    Answer(MakePaymentResponse),
    Error(ControlError),
}

async fn list(
    State(app): State<AppState>,
    Query(query): Query<ListQuery>,
) -> Result<Json<Vec<PaymentSummary>>, ControlError> {
    let phone = match query.phone.as_deref() {
        Some(phone) => Some(
            phone
                .parse::<MobileNumber>()
                .map_err(|err| ControlError::invalid(err.to_string()))?,
        ),
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
    Body(body): Body<ApproveBody>,
) -> Result<Response, ControlError> {
    let plan = Plan::parse(body.times, body.concurrent, body.repeat)?;
    if plan.repeat {
        if body.card.is_some() || body.expiry.is_some() {
            return Err(ControlError::invalid(
                "card and expiry do not go with repeat: the recorded cardData is sent again",
            ));
        }
        return repeat(&app, &id, Confirmed::Yes, &plan).await;
    }
    let first_card = TEST_CARDS.first().map_or("", |card| card.number);
    let card = CardNumber::parse(body.card.as_deref().unwrap_or(first_card))
        .map_err(|err| ControlError::invalid(err.to_string()))?;
    let expiry = body
        .expiry
        .as_deref()
        .map(Expiry::parse)
        .transpose()
        .map_err(|err| ControlError::invalid(err.to_string()))?;
    act(&app, &id, Action::Approve { card, expiry }, &plan).await
}

async fn reject(
    State(app): State<AppState>,
    Path(id): Path<String>,
    Body(body): Body<AnswerBody>,
) -> Result<Response, ControlError> {
    answer(&app, &id, Action::Reject, body).await
}

async fn cancel(
    State(app): State<AppState>,
    Path(id): Path<String>,
    Body(body): Body<AnswerBody>,
) -> Result<Response, ControlError> {
    answer(&app, &id, Action::Cancel, body).await
}

async fn timeout(
    State(app): State<AppState>,
    Path(id): Path<String>,
    Body(body): Body<AnswerBody>,
) -> Result<Response, ControlError> {
    answer(&app, &id, Action::Timeout, body).await
}

async fn answer(
    app: &AppState,
    id: &str,
    action: Action,
    body: AnswerBody,
) -> Result<Response, ControlError> {
    let plan = Plan::parse(body.times, body.concurrent, body.repeat)?;
    if plan.repeat {
        return repeat(app, id, action.confirmed(), &plan).await;
    }
    act(app, id, action, &plan).await
}

/// Calls makePayment as the plan says and returns the PSP's answer(s) as they came.
async fn act(
    app: &AppState,
    id: &str,
    action: Action,
    plan: &Plan,
) -> Result<Response, ControlError> {
    let (finished, calls) = shopper::act_with(app, id, action, plan.sends).await?;
    if plan.list {
        return Ok(listed(calls));
    }
    let decided = Call {
        outcome: finished.outcome,
        answer: finished.answer,
    };
    single(decided)
}

async fn repeat(
    app: &AppState,
    id: &str,
    confirmed: Confirmed,
    plan: &Plan,
) -> Result<Response, ControlError> {
    let calls = shopper::repeat(app, id, confirmed, plan.sends).await?;
    if plan.list {
        return Ok(listed(calls));
    }
    let call = calls.into_iter().next().ok_or_else(|| {
        ControlError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "no makePayment was sent",
        )
    })?;
    single(call)
}

fn listed(calls: Vec<Call>) -> Response {
    let answers = calls
        .into_iter()
        .map(|call| match reply(call) {
            Ok(answer) => AnswerOrError::Answer(answer),
            Err(error) => AnswerOrError::Error(error),
        })
        .collect();
    Json(Answers { answers }).into_response()
}

fn single(call: Call) -> Result<Response, ControlError> {
    reply(call).map(|answer| Json(answer).into_response())
}

/// The PSP's answer, or why there is none.
fn reply(call: Call) -> Result<MakePaymentResponse, ControlError> {
    match (call.outcome, call.answer) {
        (Outcome::Approved | Outcome::Declined { .. }, Some(answer)) => Ok(answer),
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
