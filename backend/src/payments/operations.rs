//! Merchant operations after the reservation: capture, refund and cancel, each through
//! the acquirer first and then reported to Vipps through the outbox.
//!
//! An operation is begun (its amount reserved, a pending row) before the acquirer is
//! asked, under an id the acquirer deduplicates. If its instance dies in between, the
//! operation is resumed with the same id: by the merchant's repeat with the same
//! Idempotency-Key (the id derives from it), or by reconciliation once it is stale.

use shared::merchant::{AmountRequest, MerchantPayment};
use shared::vipps::{TransactionInfo, TransactionStatus};
use shared::{MerchantId, PaymentId};

use super::ledger::Operation;
use super::operations_store::{LedgerColumn, OperationKind, OperationRecord, OperationState};
use super::store::Changes;
use super::{Payment, PaymentError, PaymentEvent, PaymentState, Payments, now_unix, view};
use crate::acquirer::AcquirerError;
use crate::keys;
use crate::outbox::store::NewUpdate;

/// Compare-and-set retries before a busy payment is reported as such.
const TRIES: usize = 3;

pub async fn capture(
    state: &Payments,
    merchant: &MerchantId,
    id: &PaymentId,
    request: AmountRequest,
    key: Option<&str>,
) -> Result<MerchantPayment, PaymentError> {
    super::merchant::owned(state, merchant, id).await?;
    run(state, id, Operation::Capture(request.amount), key).await
}

pub async fn refund(
    state: &Payments,
    merchant: &MerchantId,
    id: &PaymentId,
    request: AmountRequest,
    key: Option<&str>,
) -> Result<MerchantPayment, PaymentError> {
    super::merchant::owned(state, merchant, id).await?;
    run(state, id, Operation::Refund(request.amount), key).await
}

/// Before the reservation: cancels locally (a late makePayment gets errorId 85).
/// After it: releases everything not captured at the acquirer and reports it to Vipps.
pub async fn cancel(
    state: &Payments,
    merchant: &MerchantId,
    id: &PaymentId,
    key: Option<&str>,
) -> Result<MerchantPayment, PaymentError> {
    let payment = super::merchant::owned(state, merchant, id).await?;
    // Its repeat after the cancel was done (the payment no longer authorised) follows it.
    if let Some(done) = resumed(state, id, Operation::Cancel, key).await? {
        return Ok(done);
    }
    match payment.state {
        PaymentState::Authorised => run(state, id, Operation::Cancel, key).await,
        PaymentState::Created
        | PaymentState::Initiating
        | PaymentState::AwaitingApp
        | PaymentState::Charging
        | PaymentState::Failed
        | PaymentState::Cancelled
        | PaymentState::Expired => {
            let cancelled = payment.state.apply(PaymentEvent::CancelRequested)?;
            if !state
                .store
                .transition(id, payment.state, cancelled, Changes::default())
                .await?
            {
                return Err(PaymentError::Busy);
            }
            tracing::info!(payment = %id, "payment cancelled by the merchant before reservation");
            Ok(view::merchant(&state.payment(id).await?, now_unix()))
        }
    }
}

/// The id of the operation a request with Idempotency-Key `key` begins.
fn derived_id(id: &PaymentId, operation: Operation, key: &str) -> String {
    let amount = match operation {
        Operation::Capture(amount) | Operation::Refund(amount) => {
            amount.map_or_else(|| "rest".to_owned(), |a| a.ore().to_string())
        }
        Operation::Cancel => "rest".to_owned(),
    };
    let bytes = keys::derived_id(&[id.as_str(), operation.kind(), &amount, key]);
    format!("op_{}", shared::ids::hex(&bytes))
}

/// The id this request's operation gets, and the operation itself when a request with the
/// same `key` already began it (its answer lost with its instance). A key used again after
/// the idempotency layer forgot it (24 h) begins a new operation.
async fn keyed(
    state: &Payments,
    id: &PaymentId,
    operation: Operation,
    key: Option<&str>,
) -> Result<(String, Option<OperationRecord>), PaymentError> {
    let random =
        || -> Result<String, PaymentError> { Ok(format!("op_{}", keys::random_hex::<16>()?)) };
    let Some(key) = key else {
        return Ok((random()?, None));
    };
    let derived = derived_id(id, operation, key);
    let forgotten_before = now_unix().saturating_sub(crate::idempotency::RETENTION_SECONDS);
    match state.store.find_operation(&derived).await? {
        Some(begun) if begun.created_at >= forgotten_before => Ok((derived, Some(begun))),
        Some(_) => Ok((random()?, None)),
        None => Ok((derived, None)),
    }
}

/// When a request with `key` already began this operation: its outcome, after finishing it.
async fn resumed(
    state: &Payments,
    id: &PaymentId,
    operation: Operation,
    key: Option<&str>,
) -> Result<Option<MerchantPayment>, PaymentError> {
    if key.is_none() {
        return Ok(None);
    }
    match keyed(state, id, operation, key).await?.1 {
        Some(begun) => resume(state, &begun).await.map(Some),
        None => Ok(None),
    }
}

async fn run(
    state: &Payments,
    id: &PaymentId,
    operation: Operation,
    key: Option<&str>,
) -> Result<MerchantPayment, PaymentError> {
    for _ in 0..TRIES {
        // Each time round: the same request, repeated on another instance, may have begun
        // it meanwhile (then this one follows it rather than fail on the moved ledger).
        let (operation_id, begun) = keyed(state, id, operation, key).await?;
        if let Some(begun) = begun {
            return resume(state, &begun).await;
        }
        let payment = state.payment(id).await?;
        if payment.state != PaymentState::Authorised {
            return Err(PaymentError::NotAuthorised(payment.state));
        }
        let (ledger, amount) = payment.ledger.apply(operation)?;
        let begun = state
            .store
            .begin_operation(&payment, ledger, &operation_id, operation.into(), amount)
            .await;
        match begun {
            Ok(true) => {}
            // Another operation moved the ledger first: re-read and re-check.
            Ok(false) => continue,
            // The same request, repeated at once on another instance, began it first.
            Err(error) => match state.store.find_operation(&operation_id).await? {
                Some(begun) => return resume(state, &begun).await,
                None => return Err(error.into()),
            },
        }
        let now = now_unix();
        let record = OperationRecord {
            id: operation_id,
            payment_id: id.as_str().to_owned(),
            kind: operation.into(),
            amount,
            state: OperationState::Pending,
            error: None,
            created_at: now,
            updated_at: now,
        };
        return drive(state, &payment, &record).await;
    }
    Err(PaymentError::Busy)
}

/// An operation as it stands: its outcome, after finishing it if still pending. One the
/// acquirer refused stays refused: the same key gets the same refusal (a new key tries
/// again).
async fn resume(
    state: &Payments,
    operation: &OperationRecord,
) -> Result<MerchantPayment, PaymentError> {
    let id: PaymentId = operation
        .payment_id
        .parse()
        .map_err(|_| PaymentError::NotFound)?;
    match operation.state {
        OperationState::Succeeded => Ok(view::merchant(&state.payment(&id).await?, now_unix())),
        OperationState::Failed => Err(PaymentError::Acquirer(AcquirerError::Refused(
            operation.error.clone().unwrap_or_default(),
        ))),
        OperationState::Pending => {
            Box::pin(drive(state, &state.payment(&id).await?, operation)).await
        }
    }
}

/// After `drive` lost the race to record: what the winner recorded.
async fn recorded(
    state: &Payments,
    operation: &OperationRecord,
) -> Result<MerchantPayment, PaymentError> {
    match state.store.find_operation(&operation.id).await? {
        Some(settled) if settled.state != OperationState::Pending => resume(state, &settled).await,
        _ => Err(PaymentError::Busy),
    }
}

/// Reconciliation: finishes the operations left pending by an instance that died (or an
/// acquirer that never answered) before `before` (Unix seconds). Returns how many it
/// settled; one that cannot be settled now is logged and tried again next time.
pub async fn resume_stale(state: &Payments, before: i64) -> Result<usize, PaymentError> {
    let mut settled = 0;
    for operation in state.store.stale_operations(before).await? {
        if !state.store.claim_stale_operation(&operation).await? {
            continue; // another instance is on it
        }
        tracing::warn!(payment = %operation.payment_id, operation = %operation.id, "resuming an operation left pending");
        match resume(state, &operation).await {
            Ok(_) => settled += 1,
            Err(error) => {
                tracing::warn!(payment = %operation.payment_id, operation = %operation.id, %error, "could not settle the operation now; will try again");
            }
        }
    }
    Ok(settled)
}

/// Asks the acquirer for a begun operation (under its id, so a repeat is not acted on
/// twice, and within the acquirer's deadline) and records the outcome; whoever records
/// first decides, and a caller that comes second answers what was recorded. Only a
/// refusal fails the operation: a timeout or a failure leaves it pending, to be asked
/// again (by a repeat, or by reconciliation), since the acquirer may have booked it.
async fn drive(
    state: &Payments,
    payment: &Payment,
    operation: &OperationRecord,
) -> Result<MerchantPayment, PaymentError> {
    let reference = payment.acquirer_reference.clone().unwrap_or_default();
    let acquirer = &state.acquirer;
    let (id, amount) = (operation.id.as_str(), operation.amount);
    let (call, column, status) = match operation.kind {
        OperationKind::Capture => (
            acquirer.capture(&reference, amount, id),
            LedgerColumn::Captured,
            TransactionStatus::Captured,
        ),
        OperationKind::Refund => (
            acquirer.refund(&reference, amount, id),
            LedgerColumn::Refunded,
            TransactionStatus::Refunded,
        ),
        OperationKind::Cancel => (
            acquirer.void(&reference, amount, id),
            LedgerColumn::Released,
            TransactionStatus::Cancelled,
        ),
    };
    let result = tokio::time::timeout(state.settings.acquirer_timeout, call)
        .await
        .unwrap_or(Err(AcquirerError::Timeout));
    match result {
        Ok(()) => {}
        Err(AcquirerError::Refused(reason)) => {
            tracing::warn!(payment = %payment.id, operation = operation.kind.as_str(), %reason, "acquirer refused the operation");
            if !state
                .store
                .fail_operation(payment, id, column, amount, &reason)
                .await?
            {
                return recorded(state, operation).await;
            }
            return Err(PaymentError::Acquirer(AcquirerError::Refused(reason)));
        }
        Err(error) => {
            tracing::warn!(payment = %payment.id, operation = operation.kind.as_str(), %error, "acquirer did not settle the operation; left pending");
            return Err(PaymentError::Acquirer(error));
        }
    }
    let update = update_for(payment, id, status, amount.ore())?;
    if !state.store.complete_operation(payment, id, &update).await? {
        return recorded(state, operation).await;
    }
    state.wake_outboxes();
    tracing::info!(payment = %payment.id, operation = operation.kind.as_str(), amount = amount.ore(), "operation done");
    Ok(view::merchant(
        &state.payment(&payment.id).await?,
        now_unix(),
    ))
}

fn update_for(
    payment: &Payment,
    operation_id: &str,
    status: TransactionStatus,
    amount: u32,
) -> Result<NewUpdate, PaymentError> {
    let psp_transaction_id = payment
        .psp_transaction_id
        .clone()
        .ok_or(PaymentError::NotAuthorised(payment.state))?;
    Ok(NewUpdate {
        id: format!("upd_{}", keys::random_hex::<16>()?),
        merchant_id: payment.merchant_id.clone(),
        operation_id: operation_id.to_owned(),
        payment_id: payment.id.as_str().to_owned(),
        transaction: TransactionInfo {
            psp_transaction_id,
            status,
            amount: i64::from(amount),
            currency: payment.currency,
            payment_text: Some(payment.description.as_str().to_owned()),
        },
    })
}
