//! Merchant operations after the reservation: capture, refund and cancel, each through
//! the acquirer first and then reported to Vipps through the outbox.

use shared::merchant::{AmountRequest, MerchantPayment};
use shared::vipps::{TransactionInfo, TransactionStatus};
use shared::{MerchantId, PaymentId};

use super::ledger::Operation;
use super::operations_store::LedgerColumn;
use super::store::Changes;
use super::{Payment, PaymentError, PaymentEvent, PaymentState, Payments, now_unix, view};
use crate::keys;
use crate::outbox::store::NewUpdate;

/// Compare-and-set retries before a busy payment is reported as such.
const TRIES: usize = 3;

pub async fn capture(
    state: &Payments,
    merchant: &MerchantId,
    id: &PaymentId,
    request: AmountRequest,
) -> Result<MerchantPayment, PaymentError> {
    super::merchant::owned(state, merchant, id).await?;
    run(state, id, Operation::Capture(request.amount)).await
}

pub async fn refund(
    state: &Payments,
    merchant: &MerchantId,
    id: &PaymentId,
    request: AmountRequest,
) -> Result<MerchantPayment, PaymentError> {
    super::merchant::owned(state, merchant, id).await?;
    run(state, id, Operation::Refund(request.amount)).await
}

/// Before the reservation: cancels locally (a late makePayment gets errorId 85).
/// After it: releases everything not captured at the acquirer and reports it to Vipps.
pub async fn cancel(
    state: &Payments,
    merchant: &MerchantId,
    id: &PaymentId,
) -> Result<MerchantPayment, PaymentError> {
    let payment = super::merchant::owned(state, merchant, id).await?;
    match payment.state {
        PaymentState::Authorised => run(state, id, Operation::Cancel).await,
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

async fn run(
    state: &Payments,
    id: &PaymentId,
    operation: Operation,
) -> Result<MerchantPayment, PaymentError> {
    for _ in 0..TRIES {
        let payment = state.payment(id).await?;
        if payment.state != PaymentState::Authorised {
            return Err(PaymentError::NotAuthorised(payment.state));
        }
        let (ledger, amount) = payment.ledger.apply(operation)?;
        let operation_id = format!("op_{}", keys::random_hex::<16>()?);
        if !state
            .store
            .begin_operation(&payment, ledger, &operation_id, operation.kind(), amount)
            .await?
        {
            continue; // Another operation moved the ledger first: re-read and re-check.
        }
        let reference = payment.acquirer_reference.clone().unwrap_or_default();
        let acquirer = &state.acquirer;
        let (result, column, status) = match operation {
            Operation::Capture(_) => (
                acquirer.capture(&reference, amount, &operation_id).await,
                LedgerColumn::Captured,
                TransactionStatus::Captured,
            ),
            Operation::Refund(_) => (
                acquirer.refund(&reference, amount, &operation_id).await,
                LedgerColumn::Refunded,
                TransactionStatus::Refunded,
            ),
            Operation::Cancel => (
                acquirer.void(&reference, amount, &operation_id).await,
                LedgerColumn::Released,
                TransactionStatus::Cancelled,
            ),
        };
        if let Err(error) = result {
            tracing::warn!(payment = %id, operation = operation.kind(), %error, "acquirer refused the operation");
            state
                .store
                .fail_operation(&payment, &operation_id, column, amount, &error.to_string())
                .await?;
            return Err(PaymentError::Acquirer(error));
        }
        let update = update_for(&payment, &operation_id, status, amount.ore())?;
        state
            .store
            .complete_operation(&payment, &operation_id, &update)
            .await?;
        state.wake_outboxes();
        tracing::info!(payment = %id, operation = operation.kind(), amount = amount.ore(), "operation done");
        return Ok(view::merchant(&state.payment(id).await?, now_unix()));
    }
    Err(PaymentError::Busy)
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
