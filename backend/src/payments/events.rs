//! What a merchant is told (webhook events) about which change, recorded in the same
//! transaction as the change itself: an event exists exactly when its change does.

use shared::PaymentId;
use shared::vipps::TransactionStatus;
use shared::webhooks::EventType;

use super::store::{StoreError, from_row};
use super::{PaymentState, now_unix, view};
use crate::database::Conn;

/// The event a move into `to` makes; `None` for the steps on the way.
pub fn of_state(to: PaymentState) -> Option<EventType> {
    match to {
        PaymentState::Authorised => Some(EventType::Authorised),
        PaymentState::Failed => Some(EventType::Failed),
        PaymentState::Cancelled => Some(EventType::Cancelled),
        PaymentState::Expired => Some(EventType::Expired),
        PaymentState::Created
        | PaymentState::Initiating
        | PaymentState::AwaitingApp
        | PaymentState::Charging => None,
    }
}

/// The event of a completed operation on an authorised payment.
pub fn of_operation(status: TransactionStatus) -> EventType {
    match status {
        TransactionStatus::Captured => EventType::Captured,
        TransactionStatus::Refunded => EventType::Refunded,
        TransactionStatus::Cancelled => EventType::Cancelled,
    }
}

/// Records `kind` for the payment as it now is in this transaction. `amount` is the
/// operation's own; the payment's amount when `None`.
pub async fn record(
    conn: &mut Conn,
    id: &PaymentId,
    kind: EventType,
    amount: Option<u32>,
) -> Result<(), StoreError> {
    // The payment's row is locked first (a no-op write): on PostgreSQL two operations
    // finishing at once would otherwise both number their event `MAX(sequence) + 1`.
    lock_payment(conn, id).await?;
    let row = sqlx::query("SELECT * FROM payments WHERE id = $1")
        .bind(id.as_str())
        .fetch_one(&mut *conn)
        .await?;
    let payment = from_row(&row)?;
    let shown = view::merchant(&payment, now_unix());
    let amount = amount.unwrap_or(payment.amount.ore());
    crate::webhooks::record_event(conn, &payment.merchant_id, kind, amount, &shown).await?;
    Ok(())
}

/// Holds the payment's row until the transaction ends: on PostgreSQL a writer that
/// comes later waits here (SQLite's `BEGIN IMMEDIATE` already holds the whole database).
pub async fn lock_payment(conn: &mut Conn, id: &PaymentId) -> Result<(), StoreError> {
    sqlx::query("UPDATE payments SET updated_at = updated_at WHERE id = $1")
        .bind(id.as_str())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_outcomes_are_told_and_every_operation_is() {
        let told: Vec<_> = PaymentState::ALL.into_iter().filter_map(of_state).collect();
        assert_eq!(
            told,
            [
                EventType::Authorised,
                EventType::Failed,
                EventType::Cancelled,
                EventType::Expired
            ]
        );
        assert_eq!(
            of_operation(TransactionStatus::Captured),
            EventType::Captured
        );
        assert_eq!(
            of_operation(TransactionStatus::Refunded),
            EventType::Refunded
        );
        assert_eq!(
            of_operation(TransactionStatus::Cancelled),
            EventType::Cancelled
        );
    }
}
