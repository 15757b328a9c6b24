//! What the shopper (or the clock) does at Vipps, and the makePayment call it causes.
//! The landing page, the phone app and the test-control API all go through [`act`].

use shared::vipps::{Confirmed, MakePaymentRequest, MakePaymentResponse, PaymentInfoStatus};

use crate::app::AppState;
use crate::card_data::{CardDataError, CardNumber, Expiry};
use crate::clock;
use crate::make_payment::{self, Delivery};
use crate::random::{self, RandomError};
use crate::state::{self, Event, InvalidTransition, Outcome};

/// The shopper's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Approve in the app with this card; expiry defaults to three years ahead.
    Approve {
        card: CardNumber,
        expiry: Option<Expiry>,
    },
    /// Reject in the app (`NO`).
    Reject,
    /// Cancel on the landing page (`CANCEL`).
    Cancel,
    /// Never answered (`TIMEOUT`).
    Timeout,
}

#[derive(Debug, thiserror::Error)]
pub enum ShopperError {
    #[error("no payment with this id")]
    NotFound,
    #[error(transparent)]
    NotPending(#[from] InvalidTransition),
    #[error(transparent)]
    CardData(#[from] CardDataError),
    #[error(transparent)]
    Random(#[from] RandomError),
}

/// How makePayment ended, and where the shopper goes next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finished {
    pub outcome: Outcome,
    pub answer: Option<MakePaymentResponse>,
    pub psp_redirect_url: String,
}

impl Action {
    pub fn confirmed(&self) -> Confirmed {
        match self {
            Self::Approve { .. } => Confirmed::Yes,
            Self::Reject => Confirmed::No,
            Self::Cancel => Confirmed::Cancel,
            Self::Timeout => Confirmed::Timeout,
        }
    }
}

/// Moves the payment to `Sending`, calls makePayment, records the answer.
pub async fn act(
    app: &AppState,
    psp_transaction_id: &str,
    action: Action,
) -> Result<Finished, ShopperError> {
    let confirmed = action.confirmed();
    let card_data = match &action {
        Action::Approve { card, expiry } => {
            let expiry = match expiry {
                Some(expiry) => expiry.clone(),
                None => Expiry::parse(&clock::card_expiry_three_years_ahead(clock::now_unix()))?,
            };
            Some(app.card_key.encrypt(card, &expiry, &random::hex::<16>()?)?)
        }
        Action::Reject | Action::Cancel | Action::Timeout => None,
    };
    let (url, token, request) = {
        let mut store = app.store.lock().await;
        let payment = store
            .get_mut(psp_transaction_id)
            .ok_or(ShopperError::NotFound)?;
        payment.state = state::apply(&payment.state, Event::Send(confirmed))?;
        let request = MakePaymentRequest {
            psp_transaction_id: payment.init.psp_transaction_id.clone(),
            merchant_serial_number: payment.merchant_serial_number.clone(),
            card_data,
            confirmed,
        };
        (
            payment.init.make_payment_url.clone(),
            payment.init.make_payment_token.clone(),
            request,
        )
    };
    tracing::info!(psp_transaction_id, ?confirmed, "calling makePayment");
    let delivery = make_payment::send(&app.http, &url, token.as_deref(), &request).await;
    let (outcome, answer) = outcome_of(delivery);
    tracing::info!(psp_transaction_id, ?outcome, "makePayment done");

    let mut store = app.store.lock().await;
    let payment = store
        .get_mut(psp_transaction_id)
        .ok_or(ShopperError::NotFound)?;
    payment.state = state::apply(&payment.state, Event::Finish(outcome.clone()))?;
    payment.psp_answer.clone_from(&answer);
    if confirmed == Confirmed::Yes && answer.is_some() {
        let approved = outcome == Outcome::Approved;
        let text = payment.init.payment_text.clone();
        payment
            .ledger
            .record_reservation(payment.init.amount, approved, text, clock::now_unix());
    }
    Ok(Finished {
        outcome,
        answer,
        psp_redirect_url: payment.init.psp_redirect_url.clone(),
    })
}

fn outcome_of(delivery: Delivery) -> (Outcome, Option<MakePaymentResponse>) {
    match delivery {
        Delivery::Answered(answer) => {
            let outcome = match answer.payment_info.status {
                PaymentInfoStatus::Ok => Outcome::Approved,
                PaymentInfoStatus::Fail => {
                    let (error_id, error_text) = answer
                        .error_message
                        .as_ref()
                        .map(|e| (e.error_id.clone(), e.error_text.clone()))
                        .unwrap_or_default();
                    Outcome::Declined {
                        error_id,
                        error_text,
                    }
                }
            };
            (outcome, Some(answer))
        }
        Delivery::TooLate => (Outcome::TooLate, None),
        Delivery::Status { status, body } => {
            let message = format!("the PSP answered HTTP {status}: {body}");
            (
                Outcome::PspError {
                    http_status: Some(status),
                    message,
                },
                None,
            )
        }
        Delivery::Unreadable(message) => (
            Outcome::PspError {
                http_status: Some(200),
                message,
            },
            None,
        ),
        Delivery::Unreachable(reason) => {
            let message = format!("the PSP could not be reached: {reason}");
            (
                Outcome::PspError {
                    http_status: None,
                    message,
                },
                None,
            )
        }
    }
}
