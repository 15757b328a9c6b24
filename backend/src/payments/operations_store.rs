//! Ledger writes. An operation first reserves its amount on the ledger (compare-and-set
//! on `ledger_version`) with a pending row; after the acquirer answers it either
//! succeeds, writing the status update for Vipps to the outbox in the same transaction,
//! or fails and gives the amount back.

use shared::{Amount, PaymentId};
use sqlx::Row;

use super::ledger::{Ledger, Operation};
use super::store::{PaymentStore, StoreError};
use super::{Payment, now_unix};
use crate::outbox::store::{self as outbox, NewUpdate};

impl PaymentStore {
    /// Reserves `amount` for operation `id`; `false` if the ledger changed since `payment` was read.
    pub async fn begin_operation(
        &self,
        payment: &Payment,
        ledger: Ledger,
        id: &str,
        kind: OperationKind,
        amount: Amount,
    ) -> Result<bool, StoreError> {
        let now = now_unix();
        let mut tx = crate::database::begin(&self.pool).await?;
        let moved = sqlx::query(
            "UPDATE payments SET captured_ore = $1, refunded_ore = $2, released_ore = $3,
                ledger_version = ledger_version + 1, updated_at = $4
             WHERE id = $5 AND ledger_version = $6 AND state = 'authorised'",
        )
        .bind(i64::from(ledger.captured))
        .bind(i64::from(ledger.refunded))
        .bind(i64::from(ledger.released))
        .bind(now)
        .bind(payment.id.as_str())
        .bind(payment.ledger_version)
        .execute(&mut *tx)
        .await?;
        if moved.rows_affected() != 1 {
            return Ok(false);
        }
        sqlx::query(
            "INSERT INTO operations (id, payment_id, kind, amount_ore, state, created_at, updated_at)
             VALUES ($1, $2, $3, $4, 'pending', $5, $6)",
        )
        .bind(id)
        .bind(payment.id.as_str())
        .bind(kind.as_str())
        .bind(i64::from(amount.ore()))
        .bind(now)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// The acquirer did it: the operation succeeds, Vipps is owed `update` and the
    /// merchant is told, atomically. `false` (nothing written) when the operation was no
    /// longer pending: another instance finished it first.
    pub async fn complete_operation(
        &self,
        payment: &Payment,
        id: &str,
        update: &NewUpdate,
    ) -> Result<bool, StoreError> {
        let mut tx = crate::database::begin(&self.pool).await?;
        // First: the payment's updates reach the outbox (and its events their numbers)
        // one transaction at a time, in the order they commit.
        super::events::lock_payment(&mut tx, &payment.id).await?;
        let done = sqlx::query("UPDATE operations SET state = 'succeeded', updated_at = $1 WHERE id = $2 AND state = 'pending'")
            .bind(now_unix())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() != 1 {
            return Ok(false);
        }
        outbox::insert(&mut tx, update).await?;
        let kind = super::events::of_operation(update.transaction.status);
        let amount = u32::try_from(update.transaction.amount)
            .map_err(|_| StoreError::Corrupt(format!("amount {}", update.transaction.amount)))?;
        super::events::record(&mut tx, &payment.id, kind, Some(amount)).await?;
        tx.commit().await?;
        self.events_written().notify_one();
        Ok(true)
    }

    /// The acquirer refused or failed: the reserved amount goes back on the ledger.
    /// `false` (nothing written) when the operation was no longer pending.
    pub async fn fail_operation(
        &self,
        payment: &Payment,
        id: &str,
        column: LedgerColumn,
        amount: Amount,
        error: &str,
    ) -> Result<bool, StoreError> {
        let now = now_unix();
        let mut tx = crate::database::begin(&self.pool).await?;
        let failed = sqlx::query("UPDATE operations SET state = 'failed', error = $1, updated_at = $2 WHERE id = $3 AND state = 'pending'")
            .bind(error)
            .bind(now)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if failed.rows_affected() != 1 {
            return Ok(false);
        }
        let sql = match column {
            LedgerColumn::Captured => {
                "UPDATE payments SET captured_ore = captured_ore - $1, ledger_version = ledger_version + 1, updated_at = $2 WHERE id = $3"
            }
            LedgerColumn::Refunded => {
                "UPDATE payments SET refunded_ore = refunded_ore - $1, ledger_version = ledger_version + 1, updated_at = $2 WHERE id = $3"
            }
            LedgerColumn::Released => {
                "UPDATE payments SET released_ore = released_ore - $1, ledger_version = ledger_version + 1, updated_at = $2 WHERE id = $3"
            }
        };
        sqlx::query(sql)
            .bind(i64::from(amount.ore()))
            .bind(now)
            .bind(payment.id.as_str())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// The operation `id`, if it was begun.
    pub async fn find_operation(&self, id: &str) -> Result<Option<OperationRecord>, StoreError> {
        let row = sqlx::query(&format!("{OPERATION_COLUMNS} WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(OperationRecord::from_row).transpose()
    }

    /// The payment's operations in the order they were begun (within one second, in the
    /// order of their status updates to Vipps).
    pub async fn operations_of(
        &self,
        payment: &PaymentId,
    ) -> Result<Vec<OperationRecord>, StoreError> {
        let rows = sqlx::query(
            "SELECT op.id, op.payment_id, op.kind, op.amount_ore, op.state, op.error,
                    op.created_at, op.updated_at
             FROM operations op LEFT JOIN outbox o ON o.operation_id = op.id
             WHERE op.payment_id = $1 ORDER BY op.created_at, COALESCE(o.seq, 0), op.id",
        )
        .bind(payment.as_str())
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(OperationRecord::from_row).collect()
    }

    /// Operations still pending since before `before` (Unix seconds): their instance died
    /// between the acquirer and the record, or the acquirer never answered.
    pub async fn stale_operations(&self, before: i64) -> Result<Vec<OperationRecord>, StoreError> {
        let rows = sqlx::query(&format!(
            "{OPERATION_COLUMNS} WHERE state = 'pending' AND updated_at < $1 ORDER BY created_at LIMIT 100"
        ))
        .bind(before)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(OperationRecord::from_row).collect()
    }

    /// Claims a stale operation for resuming (compare-and-set on `updated_at`), so that
    /// one instance resumes it; `false` if another did first.
    pub async fn claim_stale_operation(
        &self,
        operation: &OperationRecord,
    ) -> Result<bool, StoreError> {
        let claimed = sqlx::query(
            "UPDATE operations SET updated_at = $1 WHERE id = $2 AND state = 'pending' AND updated_at = $3",
        )
        .bind(now_unix())
        .bind(&operation.id)
        .bind(operation.updated_at)
        .execute(&self.pool)
        .await?;
        Ok(claimed.rows_affected() == 1)
    }

    /// Marks that the acquirer may hold an authorisation we must find and void.
    pub async fn mark_acquirer_unsettled(&self, payment: &Payment) -> Result<(), StoreError> {
        sqlx::query("UPDATE payments SET acquirer_unsettled = 1 WHERE id = $1")
            .bind(payment.id.as_str())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Clears the mark, only while the payment is as `payment` was read: a newer attempt
    /// that left an authorisation unsettled meanwhile keeps it, for the next sweep.
    /// `false` when it was no longer so.
    pub async fn clear_acquirer_unsettled(&self, payment: &Payment) -> Result<bool, StoreError> {
        let cleared = sqlx::query(
            "UPDATE payments SET acquirer_unsettled = 0
             WHERE id = $1 AND acquirer_unsettled = 1 AND state = $2
               AND (psp_transaction_id = $3 OR ($3 IS NULL AND psp_transaction_id IS NULL))",
        )
        .bind(payment.id.as_str())
        .bind(payment.state.as_str())
        .bind(payment.psp_transaction_id.as_ref().map(|t| t.as_str()))
        .execute(&self.pool)
        .await?;
        Ok(cleared.rows_affected() == 1)
    }
}

const OPERATION_COLUMNS: &str =
    "SELECT id, payment_id, kind, amount_ore, state, error, created_at, updated_at FROM operations";

/// What an operation does to the authorisation (`operations.kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OperationKind {
    Capture,
    Refund,
    Cancel,
}

impl OperationKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Capture => "capture",
            Self::Refund => "refund",
            Self::Cancel => "cancel",
        }
    }

    fn parse(text: &str) -> Option<Self> {
        [Self::Capture, Self::Refund, Self::Cancel]
            .into_iter()
            .find(|kind| kind.as_str() == text)
    }
}

impl From<Operation> for OperationKind {
    fn from(operation: Operation) -> Self {
        match operation {
            Operation::Capture(_) => Self::Capture,
            Operation::Refund(_) => Self::Refund,
            Operation::Cancel => Self::Cancel,
        }
    }
}

/// Where an operation stands (`operations.state`): begun, and then settled one way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OperationState {
    Pending,
    Succeeded,
    Failed,
}

impl OperationState {
    fn parse(text: &str) -> Option<Self> {
        match text {
            "pending" => Some(Self::Pending),
            "succeeded" => Some(Self::Succeeded),
            "failed" => Some(Self::Failed),
            _ => None,
        }
    }
}

/// A capture, refund or cancel as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationRecord {
    pub id: String,
    pub payment_id: String,
    pub kind: OperationKind,
    pub amount: Amount,
    pub state: OperationState,
    pub error: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl OperationRecord {
    fn from_row(row: &crate::database::DbRow) -> Result<Self, StoreError> {
        let ore: i64 = row.try_get("amount_ore")?;
        let kind: String = row.try_get("kind")?;
        let state: String = row.try_get("state")?;
        let amount = u64::try_from(ore)
            .ok()
            .and_then(|ore| Amount::from_ore(ore).ok())
            .ok_or_else(|| StoreError::Corrupt(format!("operation amount {ore}")))?;
        Ok(Self {
            id: row.try_get("id")?,
            payment_id: row.try_get("payment_id")?,
            kind: OperationKind::parse(&kind)
                .ok_or_else(|| StoreError::Corrupt(format!("operation kind {kind}")))?,
            amount,
            state: OperationState::parse(&state)
                .ok_or_else(|| StoreError::Corrupt(format!("operation state {state}")))?,
            error: row.try_get("error")?,
            created_at: row.try_get("created_at")?,
            updated_at: row.try_get("updated_at")?,
        })
    }
}

/// Which ledger column an operation moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LedgerColumn {
    Captured,
    Refunded,
    Released,
}
