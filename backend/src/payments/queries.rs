//! The reads the background jobs need: payments left waiting, stuck or unsettled.

use super::store::{PaymentStore, StoreError, from_row};
use super::{Payment, PaymentState};
use shared::{PaymentId, PspTransactionId};

/// At most this many payments per sweep; the next sweep takes the rest.
const PAGE: i64 = 100;

impl PaymentStore {
    /// Payments in `state` whose `expires_at` has passed.
    pub async fn expired_in(
        &self,
        state: PaymentState,
        now: i64,
    ) -> Result<Vec<Payment>, StoreError> {
        let rows =
            sqlx::query("SELECT * FROM payments WHERE state = $1 AND expires_at <= $2 LIMIT $3")
                .bind(state.as_str())
                .bind(now)
                .bind(PAGE)
                .fetch_all(&self.pool)
                .await?;
        rows.iter().map(from_row).collect()
    }

    /// Payments in `state` not touched since `before` (unix seconds).
    pub async fn untouched_in(
        &self,
        state: PaymentState,
        before: i64,
    ) -> Result<Vec<Payment>, StoreError> {
        let rows =
            sqlx::query("SELECT * FROM payments WHERE state = $1 AND updated_at <= $2 LIMIT $3")
                .bind(state.as_str())
                .bind(before)
                .bind(PAGE)
                .fetch_all(&self.pool)
                .await?;
        rows.iter().map(from_row).collect()
    }

    /// Takes over attempt `attempt`'s charge, left `Charging` since before `before` (Unix
    /// seconds) by an instance that died: compare-and-set on the state and `updated_at`,
    /// so that one caller takes it. `false` if it was not so, or another caller took it.
    pub async fn take_over_charge(
        &self,
        id: &PaymentId,
        attempt: &PspTransactionId,
        before: i64,
        now: i64,
    ) -> Result<bool, StoreError> {
        let since: Option<i64> = sqlx::query_scalar(
            "SELECT updated_at FROM payments
             WHERE id = $1 AND state = 'charging' AND psp_transaction_id = $2",
        )
        .bind(id.as_str())
        .bind(attempt.as_str())
        .fetch_optional(&self.pool)
        .await?;
        let Some(since) = since.filter(|since| *since < before) else {
            return Ok(false);
        };
        let taken = sqlx::query(
            "UPDATE payments SET updated_at = $1
             WHERE id = $2 AND state = 'charging' AND psp_transaction_id = $3 AND updated_at = $4",
        )
        .bind(now)
        .bind(id.as_str())
        .bind(attempt.as_str())
        .bind(since)
        .execute(&self.pool)
        .await?;
        Ok(taken.rows_affected() == 1)
    }

    /// Payments whose acquirer outcome we never learned.
    pub async fn acquirer_unsettled(&self) -> Result<Vec<Payment>, StoreError> {
        let rows = sqlx::query("SELECT * FROM payments WHERE acquirer_unsettled = 1 LIMIT $1")
            .bind(PAGE)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(from_row).collect()
    }
}
