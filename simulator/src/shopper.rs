//! What the shopper (or the clock) does at Vipps, and the makePayment calls it causes.
//! The landing page, the phone app, the timeout and the test-control API all go through
//! [`act`] / [`act_with`]; [`repeat`] sends a recorded makePayment again.

use shared::vipps::{Confirmed, MakePaymentRequest, MakePaymentResponse};

use crate::app::AppState;
use crate::card_data::{CardDataError, CardNumber, Expiry};
use crate::clock;
use crate::make_payment::{self, Call, Target};
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

/// How many times one makePayment goes out, and whether all at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sends {
    times: usize,
    at_once: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("times is 1 to {max}", max = Sends::MAX_TIMES)]
pub struct TimesOutOfRange;

impl Sends {
    pub const MAX_TIMES: usize = 100;
    pub const ONCE: Self = Self {
        times: 1,
        at_once: false,
    };

    /// Two calls: the duplicate makePayment Vipps may send.
    pub const fn twice(at_once: bool) -> Self {
        Self { times: 2, at_once }
    }

    pub fn new(times: u64, at_once: bool) -> Result<Self, TimesOutOfRange> {
        match usize::try_from(times) {
            Ok(times) if (1..=Self::MAX_TIMES).contains(&times) => Ok(Self { times, at_once }),
            Ok(_) | Err(_) => Err(TimesOutOfRange),
        }
    }
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

/// Why a makePayment cannot be repeated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum RepeatError {
    #[error("no payment with this id")]
    NotFound,
    #[error("makePayment has not been sent for this payment yet, so there is nothing to repeat")]
    NotSent,
    #[error("the makePayment sent carried confirmed {sent:?}; repeat it through that control")]
    Mismatch { sent: Confirmed },
}

/// How the deciding makePayment ended, and where the shopper goes next.
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

/// Moves the payment to `Sending`, calls makePayment once, records the answer.
pub async fn act(
    app: &AppState,
    psp_transaction_id: &str,
    action: Action,
) -> Result<Finished, ShopperError> {
    let (finished, _) = act_with(app, psp_transaction_id, action, Sends::ONCE).await?;
    Ok(finished)
}

/// [`act`], with makePayment sent `sends` times. One after the other: the first answer
/// decides the payment before the next call goes out. All at once: the first call started
/// decides once all have ended. Answers every call, in the order they were started.
pub async fn act_with(
    app: &AppState,
    psp_transaction_id: &str,
    action: Action,
    sends: Sends,
) -> Result<(Finished, Vec<Call>), ShopperError> {
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
    let target = {
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
        payment.sent_request = Some(request.clone());
        Target {
            url: payment.init.make_payment_url.clone(),
            token: payment.init.make_payment_token.clone(),
            request,
        }
    };
    tracing::info!(
        psp_transaction_id,
        ?confirmed,
        ?sends,
        "calling makePayment"
    );
    let first_sends = if sends.at_once { sends } else { Sends::ONCE };
    let mut calls = deliver(app, &target, first_sends).await;
    let first = calls.first().cloned().unwrap_or_else(|| Call {
        outcome: Outcome::PspError {
            http_status: None,
            message: "no makePayment was sent".to_owned(),
        },
        answer: None,
    });
    tracing::info!(psp_transaction_id, outcome = ?first.outcome, "makePayment done");
    let finished = finish(app, psp_transaction_id, confirmed, first).await?;
    if !sends.at_once && sends.times > 1 {
        let rest = Sends {
            times: sends.times.saturating_sub(1),
            at_once: false,
        };
        calls.extend(deliver(app, &target, rest).await);
    }
    Ok((finished, calls))
}

/// Sends the recorded makePayment again, same cardData, `sends` times. The payment keeps
/// the outcome it has; the new calls are only logged and answered.
pub async fn repeat(
    app: &AppState,
    psp_transaction_id: &str,
    expected: Confirmed,
    sends: Sends,
) -> Result<Vec<Call>, RepeatError> {
    let target = {
        let store = app.store.lock().await;
        let payment = store.get(psp_transaction_id).ok_or(RepeatError::NotFound)?;
        let request = payment.sent_request.clone().ok_or(RepeatError::NotSent)?;
        if request.confirmed != expected {
            return Err(RepeatError::Mismatch {
                sent: request.confirmed,
            });
        }
        Target {
            url: payment.init.make_payment_url.clone(),
            token: payment.init.make_payment_token.clone(),
            request,
        }
    };
    tracing::info!(psp_transaction_id, ?sends, "repeating makePayment");
    Ok(deliver(app, &target, sends).await)
}

/// Sends, then logs every call on the payment.
async fn deliver(app: &AppState, target: &Target, sends: Sends) -> Vec<Call> {
    let calls = make_payment::send_repeatedly(&app.http, target, sends.times, sends.at_once).await;
    let mut store = app.store.lock().await;
    let id = target.request.psp_transaction_id.as_str();
    if let Some(payment) = store.get_mut(id) {
        payment.make_payment_calls.extend(calls.iter().cloned());
    }
    calls
}

/// Records the deciding call: the payment's outcome, its answer and any reservation.
async fn finish(
    app: &AppState,
    psp_transaction_id: &str,
    confirmed: Confirmed,
    call: Call,
) -> Result<Finished, ShopperError> {
    let mut store = app.store.lock().await;
    let payment = store
        .get_mut(psp_transaction_id)
        .ok_or(ShopperError::NotFound)?;
    payment.state = state::apply(&payment.state, Event::Finish(call.outcome.clone()))?;
    payment.psp_answer.clone_from(&call.answer);
    if confirmed == Confirmed::Yes && call.answer.is_some() {
        let approved = call.outcome == Outcome::Approved;
        let text = payment.init.payment_text.clone();
        payment
            .ledger
            .record_reservation(payment.init.amount, approved, text, clock::now_unix());
    }
    Ok(Finished {
        outcome: call.outcome,
        answer: call.answer,
        psp_redirect_url: payment.init.psp_redirect_url.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn makepayment_goes_out_one_to_a_hundred_times() {
        assert_eq!(Sends::new(0, false), Err(TimesOutOfRange));
        assert_eq!(Sends::new(101, true), Err(TimesOutOfRange));
        assert_eq!(Sends::new(1, false), Ok(Sends::ONCE));
        let most = Sends {
            times: 100,
            at_once: true,
        };
        assert_eq!(Sends::new(100, true), Ok(most));
    }
}
