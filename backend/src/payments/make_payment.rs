//! Vipps's makePayment: check the token, charge once, answer OK or FAIL with the right
//! errorId, and give every repeated call the first answer.

use std::time::{Duration, Instant};

use shared::PspTransactionId;
use shared::checkout::FailureReason;
use shared::vipps::{
    Confirmed, ErrorId, ErrorMessage, MakePaymentRequest, MakePaymentResponse, PaymentInfo,
    PaymentInfoStatus,
};

use super::store::Changes;
use super::{Payment, PaymentError, PaymentEvent, PaymentState, Payments};
use crate::acquirer::{Authorisation, Authorise};
use crate::keys;
use crate::vipps::CardDataError;

/// A repeat that finds the first call still charging waits at most this long.
const WAIT_FOR_FIRST: Duration = Duration::from_secs(13);
const POLL: Duration = Duration::from_millis(50);
/// A charge still `Charging` this long after the acquirer's deadline was left by an
/// instance that died: a live one records an outcome by the deadline.
const ORPHANED_AFTER_DEADLINE: Duration = Duration::from_secs(1);
/// A copy that takes over a charge answers within this of its own arrival (Vipps waits
/// 15 s), or leaves the charge to reconciliation.
const ANSWER_WITHIN: Duration = Duration::from_secs(14);
/// Less than this left of that, and a take-over is not begun.
const LEAST_TO_SETTLE: Duration = Duration::from_secs(1);

/// Handles one makePayment call. The work runs in its own task so that Vipps
/// hanging up mid-call can never leave a charge half-recorded.
pub async fn handle(
    state: &Payments,
    authorization: Option<&str>,
    request: MakePaymentRequest,
) -> Result<MakePaymentResponse, PaymentError> {
    let txn = &request.psp_transaction_id;
    let attempt = state
        .store
        .get_attempt(txn)
        .await?
        .ok_or(PaymentError::NotFound)?;
    let token_ok = authorization
        .is_some_and(|token| keys::secret_matches(token.trim(), &attempt.make_payment_token_hash));
    if !token_ok {
        tracing::warn!(payment = %attempt.payment_id, "makePayment with a wrong or missing token");
        return Err(PaymentError::Unauthorized);
    }
    let payment = state
        .store
        .get(&attempt.payment_id)
        .await?
        .ok_or(PaymentError::NotFound)?;
    let merchant = state.merchants.get(&payment.merchant_id).await?;
    if request.merchant_serial_number != merchant.msn.as_str() {
        tracing::warn!(payment = %payment.id, msn = ?request.merchant_serial_number, "makePayment for another merchant's MSN: refused, nothing charged");
        return Err(PaymentError::WrongMerchant);
    }
    if let Some(answer) = attempt.answer {
        return Ok(answer);
    }
    let state = state.clone();
    let txn = request.psp_transaction_id.clone();
    tokio::spawn(async move {
        let (answer, is_result) = settle(&state, payment, &request).await?;
        if is_result {
            state
                .store
                .record_answer(&request.psp_transaction_id, &answer)
                .await?;
        }
        Ok(answer)
    })
    .await
    .unwrap_or_else(|error| {
        tracing::error!(%error, "makePayment task failed");
        Ok(fail(&txn, ErrorId::InternalError))
    })
}

/// The answer for this attempt, and whether it is the attempt's result (kept for
/// duplicates) rather than a stop-gap such as "still charging, gave up waiting".
async fn settle(
    state: &Payments,
    mut payment: Payment,
    request: &MakePaymentRequest,
) -> Result<(MakePaymentResponse, bool), PaymentError> {
    let started = Instant::now();
    let txn = &request.psp_transaction_id;
    loop {
        if payment.psp_transaction_id.as_ref() != Some(txn) {
            // The shopper has moved on to a newer attempt: this one is over.
            return Ok((fail(txn, ErrorId::TooLate), true));
        }
        if let Some(answer) = payment.make_payment_answer.clone() {
            return Ok((answer, true));
        }
        match payment.state {
            PaymentState::AwaitingApp => {
                if let Some(answer) = decide(state, &payment, request).await? {
                    return Ok((answer, true));
                }
            }
            PaymentState::Charging => {
                if let Some(answer) = take_over(state, &payment, request, started).await? {
                    return Ok((answer, true));
                }
                if started.elapsed() >= WAIT_FOR_FIRST {
                    return Ok((fail(txn, ErrorId::InternalError), false));
                }
                tokio::time::sleep(POLL).await;
            }
            PaymentState::Initiating => {
                // Vipps took this attempt's init (it calls with the attempt's token) but its
                // answer was never recorded: record the acceptance, re-read, go on as usual.
                // Losing the race to the init answer or to reconciliation is fine either way.
                let accepted = payment.state.apply(PaymentEvent::VippsAccepted)?;
                let changes = Changes::default();
                if state
                    .store
                    .transition_attempt(&payment.id, txn, payment.state, accepted, changes)
                    .await?
                {
                    tracing::warn!(payment = %payment.id, "makePayment for an attempt left initiating: handed to the app");
                }
            }
            PaymentState::Cancelled | PaymentState::Expired => {
                return Ok((fail(txn, ErrorId::TooLate), true));
            }
            PaymentState::Created | PaymentState::Authorised | PaymentState::Failed => {
                tracing::error!(payment = %payment.id, state = %payment.state, "makePayment in an unexpected state");
                return Ok((fail(txn, ErrorId::InternalError), false));
            }
        }
        payment = state
            .store
            .get(&payment.id)
            .await?
            .ok_or(PaymentError::NotFound)?;
    }
}

/// Applies the shopper's answer to a payment awaiting it. `None` when another call
/// moved the payment first: the caller re-reads and follows that call.
async fn decide(
    state: &Payments,
    payment: &Payment,
    request: &MakePaymentRequest,
) -> Result<Option<MakePaymentResponse>, PaymentError> {
    let txn = &request.psp_transaction_id;
    let declined_by_shopper = match request.confirmed {
        Confirmed::Yes => None,
        Confirmed::No => Some(FailureReason::RejectedInApp),
        Confirmed::Cancel => Some(FailureReason::CancelledAtVipps),
        Confirmed::Timeout => Some(FailureReason::TimedOut),
    };
    if let Some(reason) = declined_by_shopper {
        let mut answer = fail(txn, ErrorId::StatusFromVipps);
        if let Some(message) = answer.error_message.as_mut() {
            message.error_text =
                format!("Status from Vipps: {}", confirmed_name(request.confirmed));
        }
        let to = payment.state.apply(PaymentEvent::ShopperDeclined)?;
        let changes = Changes {
            failure: Some(reason),
            make_payment_answer: Some(answer.clone()),
            ..Changes::default()
        };
        let won = state
            .store
            .transition(&payment.id, payment.state, to, changes)
            .await?;
        return Ok(won.then_some(answer));
    }
    let charging = payment.state.apply(PaymentEvent::ShopperConfirmed)?;
    if !state
        .store
        .transition(&payment.id, payment.state, charging, Changes::default())
        .await?
    {
        return Ok(None);
    }
    let (event, changes) = charge(state, payment, request, state.settings.acquirer_timeout).await;
    finish(state, payment, txn, charging, event, changes).await
}

/// A charge whose instance died mid-call (the acquirer's deadline long past, no outcome
/// recorded), taken over by this repeat and settled at once with the acquirer: the
/// authorisation it holds for the payment if there is one, else a charge made now. The
/// shopper, who approved, gets OK rather than a failure. `None` while the charge may still
/// be live, when another call took it over first, or when this copy has too little of
/// Vipps's 15 s left (reconciliation settles it then).
///
/// The payment is marked "acquirer unsettled" as it is taken over: should the dead
/// instance's call have authorised after all besides the one used here, reconciliation
/// voids every authorisation but the payment's own.
async fn take_over(
    state: &Payments,
    payment: &Payment,
    request: &MakePaymentRequest,
    arrived: Instant,
) -> Result<Option<MakePaymentResponse>, PaymentError> {
    let txn = &request.psp_transaction_id;
    let left = || ANSWER_WITHIN.saturating_sub(arrived.elapsed());
    if left() < LEAST_TO_SETTLE {
        return Ok(None);
    }
    let now = super::now_unix();
    // Whole seconds, rounded up: `updated_at` is in seconds.
    let live_for = state
        .settings
        .acquirer_timeout
        .saturating_add(ORPHANED_AFTER_DEADLINE)
        .as_millis()
        .div_ceil(1000);
    let before = now.saturating_sub(i64::try_from(live_for).unwrap_or(i64::MAX));
    if !state
        .store
        .take_over_charge(&payment.id, txn, before, now)
        .await?
    {
        return Ok(None);
    }
    tracing::warn!(payment = %payment.id, "a charge left by an instance that died: settling it with the acquirer");
    // An authorisation left unsettled by an earlier attempt is reconciliation's to void;
    // only one the dead charge may have made is this attempt's to use.
    let held = if payment.acquirer_unsettled {
        Ok(Ok(None))
    } else {
        tokio::time::timeout(
            state.settings.acquirer_timeout.min(left()),
            state.acquirer.find_authorisation(&payment.id),
        )
        .await
    };
    let (event, mut changes) = match held {
        Ok(Ok(Some(reference))) => {
            let card = request
                .card_data
                .as_deref()
                .ok_or(CardDataError::Missing)
                .and_then(|d| state.card_decryptor.decrypt(d))
                .ok()
                .map(|card| card.masked());
            let changes = Changes {
                acquirer_reference: Some(reference),
                make_payment_answer: Some(ok(txn)),
                card,
                ..Changes::default()
            };
            (PaymentEvent::ChargeApproved, changes)
        }
        Ok(Ok(None)) if left() >= LEAST_TO_SETTLE => {
            charge(
                state,
                payment,
                request,
                state.settings.acquirer_timeout.min(left()),
            )
            .await
        }
        Ok(Ok(None)) => {
            tracing::error!(payment = %payment.id, "no time left to charge in Vipps's window");
            unsettled(charge_failed(
                txn,
                FailureReason::Internal,
                ErrorId::InternalError,
            ))
        }
        Ok(Err(error)) => {
            tracing::error!(payment = %payment.id, %error, "acquirer lookup failed");
            unsettled(charge_failed(
                txn,
                FailureReason::Internal,
                ErrorId::InternalError,
            ))
        }
        Err(_elapsed) => {
            tracing::error!(payment = %payment.id, "acquirer lookup timed out");
            unsettled(charge_failed(
                txn,
                FailureReason::Internal,
                ErrorId::InternalError,
            ))
        }
    };
    changes.acquirer_unsettled = Some(true);
    finish(state, payment, txn, PaymentState::Charging, event, changes).await
}

/// Records a charge's outcome, if the payment is still `charging` as this call left it.
async fn finish(
    state: &Payments,
    payment: &Payment,
    txn: &PspTransactionId,
    charging: PaymentState,
    event: PaymentEvent,
    changes: Changes,
) -> Result<Option<MakePaymentResponse>, PaymentError> {
    let answer = changes
        .make_payment_answer
        .clone()
        .unwrap_or_else(|| fail(txn, ErrorId::InternalError));
    let to = charging.apply(event)?;
    let may_hold =
        event == PaymentEvent::ChargeApproved || changes.acquirer_unsettled == Some(true);
    if !state
        .store
        .transition(&payment.id, charging, to, changes)
        .await?
    {
        // Reconciliation judged the charge stuck and failed it, or a copy took it over,
        // while the acquirer was still answering. What was recorded stands (Vipps must not
        // hear OK for a payment we hold as failed), and an authorisation this call may
        // have got is voided by reconciliation (all but the payment's own).
        tracing::error!(payment = %payment.id, "the charge outlived its deadline; its outcome is void");
        if may_hold {
            state.store.mark_acquirer_unsettled(payment).await?;
        }
        return Ok(None);
    }
    tracing::info!(payment = %payment.id, state = %to, "makePayment answered");
    Ok(Some(answer))
}

/// Decrypts the card and asks the acquirer, within `deadline`.
async fn charge(
    state: &Payments,
    payment: &Payment,
    request: &MakePaymentRequest,
    deadline: Duration,
) -> (PaymentEvent, Changes) {
    let txn = &request.psp_transaction_id;
    let failed = |reason, id| charge_failed(txn, reason, id);
    let card = request
        .card_data
        .as_deref()
        .ok_or(CardDataError::Missing)
        .and_then(|d| state.card_decryptor.decrypt(d));
    let card = match card {
        Ok(card) => card,
        Err(error) => {
            tracing::warn!(payment = %payment.id, %error, "cardData unreadable");
            return failed(FailureReason::CardUnreadable, ErrorId::UnableToDecrypt);
        }
    };
    let authorise = Authorise {
        payment: &payment.id,
        amount: payment.amount,
        currency: payment.currency,
        card: &card,
    };
    let outcome = tokio::time::timeout(deadline, state.acquirer.authorise(authorise)).await;
    let (event, mut changes) = match outcome {
        Ok(Ok(Authorisation::Approved { reference })) => {
            let changes = Changes {
                acquirer_reference: Some(reference),
                make_payment_answer: Some(ok(txn)),
                ..Changes::default()
            };
            (PaymentEvent::ChargeApproved, changes)
        }
        Ok(Ok(Authorisation::Declined(decline))) => {
            failed(decline.failure_reason(), decline.error_id())
        }
        Ok(Err(error)) => {
            tracing::error!(payment = %payment.id, %error, "acquirer failed");
            unsettled(failed(FailureReason::Internal, ErrorId::InternalError))
        }
        Err(_elapsed) => {
            // Answer Vipps in time; the acquirer may still authorise, so reconciliation
            // asks it later and voids what it finds.
            tracing::error!(payment = %payment.id, "acquirer timed out");
            unsettled(failed(FailureReason::Internal, ErrorId::InternalError))
        }
    };
    changes.card = Some(card.masked());
    (event, changes)
}

fn charge_failed(
    txn: &PspTransactionId,
    reason: FailureReason,
    id: ErrorId,
) -> (PaymentEvent, Changes) {
    let changes = Changes {
        failure: Some(reason),
        make_payment_answer: Some(fail(txn, id)),
        ..Changes::default()
    };
    (PaymentEvent::ChargeFailed, changes)
}

fn ok(psp_transaction_id: &PspTransactionId) -> MakePaymentResponse {
    MakePaymentResponse {
        payment_info: PaymentInfo {
            psp_transaction_id: psp_transaction_id.clone(),
            status: PaymentInfoStatus::Ok,
        },
        error_message: None,
    }
}

/// A FAIL answer with Vipps's documented text for `id`.
pub fn fail(psp_transaction_id: &PspTransactionId, id: ErrorId) -> MakePaymentResponse {
    MakePaymentResponse {
        payment_info: PaymentInfo {
            psp_transaction_id: psp_transaction_id.clone(),
            status: PaymentInfoStatus::Fail,
        },
        error_message: Some(ErrorMessage {
            error_id: id.code().to_string(),
            error_text: id.text().to_owned(),
        }),
    }
}

fn unsettled((event, changes): (PaymentEvent, Changes)) -> (PaymentEvent, Changes) {
    (
        event,
        Changes {
            acquirer_unsettled: Some(true),
            ..changes
        },
    )
}

fn confirmed_name(confirmed: Confirmed) -> &'static str {
    match confirmed {
        Confirmed::Yes => "YES",
        Confirmed::No => "NO",
        Confirmed::Timeout => "TIMEOUT",
        Confirmed::Cancel => "CANCEL",
    }
}
