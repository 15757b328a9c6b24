//! The reads the background jobs need: payments left waiting, stuck or unsettled.

use super::store::{PaymentStore, StoreError, from_row};
use super::{Payment, PaymentState};

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

    /// Payments whose acquirer outcome we never learned.
    pub async fn acquirer_unsettled(&self) -> Result<Vec<Payment>, StoreError> {
        let rows = sqlx::query("SELECT * FROM payments WHERE acquirer_unsettled = 1 LIMIT $1")
            .bind(PAGE)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(from_row).collect()
    }
}
