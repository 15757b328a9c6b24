//! `GET /v1/payments/{id}/timeline`: one payment's story from what the payments core, the
//! outbox and the webhooks each recorded. Read only; nothing here is kept twice.

use shared::timeline::{
    MakePaymentOutcome, Operation, OperationKind, OperationState, PaymentTimeline, StatusUpdate,
    StatusUpdateState, TimelineEntry, TimelineEvent,
};
use shared::vipps::{MakePaymentResponse, PaymentInfoStatus};
use shared::webhooks::{EventType, EventWithDeliveries};
use shared::{MerchantId, PaymentId};
use sqlx::Row;

use crate::database::Pool;
use crate::payments::operations_store::{self, OperationRecord};
use crate::payments::{PaymentError, Payments, StoreError, merchant, now_unix, view};
use crate::webhooks::{WebhookError, get_event, list_events};

#[derive(Debug, thiserror::Error)]
pub enum TimelineError {
    #[error(transparent)]
    Payment(#[from] PaymentError),
    #[error(transparent)]
    Webhook(#[from] WebhookError),
}

impl From<StoreError> for TimelineError {
    fn from(error: StoreError) -> Self {
        Self::Payment(error.into())
    }
}

impl From<sqlx::Error> for TimelineError {
    fn from(error: sqlx::Error) -> Self {
        StoreError::from(error).into()
    }
}

/// `merchant`'s payment `id` and everything that happened to it, oldest first; another
/// merchant's payment is "not found".
pub async fn of_payment(
    payments: &Payments,
    merchant: &MerchantId,
    id: &PaymentId,
) -> Result<PaymentTimeline, TimelineError> {
    let payment = merchant::owned(payments, merchant, id).await?;
    let pool = payments.store.pool();
    let mut entries = vec![TimelineEntry {
        at: payment.created_at,
        what: TimelineEvent::Created {
            amount: payment.amount.ore(),
        },
    }];
    entries.extend(attempts(pool, id).await?);
    // At most a page of events, newest first: a payment has a handful.
    let mut events = Vec::new();
    for event in list_events(pool, merchant, Some(id))
        .await?
        .into_iter()
        .rev()
    {
        events.push(get_event(pool, merchant, &event.id).await?);
    }
    // Each operation that succeeded caused one event: it follows the operation.
    let mut operations_and_their_events = Vec::new();
    for (operation, at) in operations(payments, id).await? {
        let caused = (operation.state == OperationState::Succeeded)
            .then(|| events.iter().position(|event| caused_by(&operation, event)))
            .flatten()
            .map(|at| events.remove(at));
        operations_and_their_events.push(TimelineEntry {
            at,
            what: TimelineEvent::Operation(operation),
        });
        operations_and_their_events.extend(caused.map(event_entry));
    }
    entries.extend(events.into_iter().map(event_entry));
    entries.extend(operations_and_their_events);
    // Times are in seconds; within one, the order gathered: the order of cause and effect.
    entries.sort_by_key(|entry| entry.at);
    Ok(PaymentTimeline {
        payment: view::merchant(&payment, now_unix()),
        entries,
    })
}

/// Whether `event` is the one `operation` caused: its kind and amount.
fn caused_by(operation: &Operation, event: &EventWithDeliveries) -> bool {
    let kind = match operation.operation {
        OperationKind::Capture => EventType::Captured,
        OperationKind::Refund => EventType::Refunded,
        OperationKind::Cancel => EventType::Cancelled,
    };
    event.event.kind == kind && event.event.amount == operation.amount
}

fn event_entry(event: EventWithDeliveries) -> TimelineEntry {
    TimelineEntry {
        at: event.event.created,
        what: TimelineEvent::Event(Box::new(event)),
    }
}

/// Each start at Vipps and what we answered its makePayment.
async fn attempts(pool: &Pool, id: &PaymentId) -> Result<Vec<TimelineEntry>, TimelineError> {
    let rows = sqlx::query(
        "SELECT psp_transaction_id, make_payment_answer, created_at FROM attempts
         WHERE payment_id = $1 ORDER BY created_at, psp_transaction_id",
    )
    .bind(id.as_str())
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|row| {
            let answer: Option<String> = row.try_get("make_payment_answer")?;
            let make_payment = answer
                .map(|text| serde_json::from_str::<MakePaymentResponse>(&text))
                .transpose()
                .map_err(|e| StoreError::Corrupt(format!("makePayment answer: {e}")))?
                .map(|answer| match answer.payment_info.status {
                    PaymentInfoStatus::Ok => MakePaymentOutcome::Ok,
                    PaymentInfoStatus::Fail => MakePaymentOutcome::Fail,
                });
            Ok(TimelineEntry {
                at: row.try_get("created_at")?,
                what: TimelineEvent::StartedAtVipps {
                    psp_transaction_id: row.try_get("psp_transaction_id")?,
                    make_payment,
                },
            })
        })
        .collect()
}

/// Each capture, refund and cancel, with its status update to Vipps.
async fn operations(
    payments: &Payments,
    id: &PaymentId,
) -> Result<Vec<(Operation, i64)>, TimelineError> {
    let pool = payments.store.pool();
    let mut entries = Vec::new();
    for record in payments.store.operations_of(id).await? {
        let update = sqlx::query(
            "SELECT state, attempts, last_error, delivered_at FROM outbox WHERE operation_id = $1",
        )
        .bind(&record.id)
        .fetch_optional(pool)
        .await?;
        let status_update = update.map(|row| status_update(&row)).transpose()?;
        let at = record.created_at;
        entries.push((operation(record, status_update), at));
    }
    Ok(entries)
}

fn operation(record: OperationRecord, status_update: Option<StatusUpdate>) -> Operation {
    Operation {
        operation: match record.kind {
            operations_store::OperationKind::Capture => OperationKind::Capture,
            operations_store::OperationKind::Refund => OperationKind::Refund,
            operations_store::OperationKind::Cancel => OperationKind::Cancel,
        },
        amount: record.amount.ore(),
        state: match record.state {
            operations_store::OperationState::Pending => OperationState::Pending,
            operations_store::OperationState::Succeeded => OperationState::Succeeded,
            operations_store::OperationState::Failed => OperationState::Failed,
        },
        error: record.error,
        status_update,
    }
}

fn status_update(row: &crate::database::DbRow) -> Result<StatusUpdate, TimelineError> {
    let state: String = row.try_get("state")?;
    let state = match state.as_str() {
        "pending" => StatusUpdateState::Pending,
        "delivered" => StatusUpdateState::Delivered,
        "dead" => StatusUpdateState::Dead,
        other => return Err(StoreError::Corrupt(format!("outbox state {other}")).into()),
    };
    // The outbox counts the sends that did not deliver; the one that did is not in it.
    let failed: i64 = row.try_get("attempts")?;
    let sent = match state {
        StatusUpdateState::Delivered => failed.saturating_add(1),
        StatusUpdateState::Pending | StatusUpdateState::Dead => failed,
    };
    Ok(StatusUpdate {
        state,
        attempts: u32::try_from(sent).unwrap_or(u32::MAX),
        last_error: match state {
            StatusUpdateState::Delivered => None,
            StatusUpdateState::Pending | StatusUpdateState::Dead => row.try_get("last_error")?,
        },
        delivered_at: row.try_get("delivered_at")?,
    })
}
