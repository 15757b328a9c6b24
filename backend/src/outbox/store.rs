//! The outbox table: status updates owed to Vipps, claimed into batches that keep
//! their Request-Id across retries.

use shared::account::Msn;
use shared::vipps::{TransactionInfo, TransactionStatus};
use shared::{Currency, MerchantId};
use sqlx::Row;

use crate::database::Conn;

use crate::payments::{PaymentStore, StoreError};

/// One status update to deliver.
#[derive(Debug, Clone, PartialEq)]
pub struct NewUpdate {
    pub id: String,
    /// Whose sales unit reports it: a batch carries one merchant's MSN.
    pub merchant_id: MerchantId,
    pub operation_id: String,
    pub payment_id: String,
    pub transaction: TransactionInfo,
}

/// A claimed batch: the Request-Id and the updates it carries.
#[derive(Debug, Clone, PartialEq)]
pub struct Batch {
    pub request_id: String,
    /// The merchant's sales unit the whole batch is for.
    pub msn: Msn,
    pub attempts: i64,
    pub updates: Vec<TransactionInfo>,
}

/// An update that Vipps refused for good, kept for the operator.
#[derive(Debug, Clone, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct DeadUpdate {
    pub id: String,
    pub payment_id: String,
    pub psp_transaction_id: String,
    pub status: String,
    pub amount: i64,
    pub attempts: i64,
    pub last_error: Option<String>,
}

pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .ok()
        .and_then(|d| i64::try_from(d.as_millis()).ok())
        .unwrap_or(0)
}

pub async fn insert(conn: &mut Conn, update: &NewUpdate) -> Result<(), StoreError> {
    let t = &update.transaction;
    sqlx::query(
        "INSERT INTO outbox (id, operation_id, payment_id, psp_transaction_id, status, amount_ore, currency,
            payment_text, next_attempt_at_ms, created_at, merchant_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(&update.id)
    .bind(&update.operation_id)
    .bind(&update.payment_id)
    .bind(t.psp_transaction_id.as_str())
    .bind(status_name(t.status))
    .bind(t.amount)
    .bind(t.currency.code())
    .bind(&t.payment_text)
    .bind(now_ms())
    .bind(now_ms() / 1000)
    .bind(update.merchant_id.as_str())
    .execute(conn)
    .await?;
    Ok(())
}

fn status_name(status: TransactionStatus) -> &'static str {
    match status {
        TransactionStatus::Captured => "CAPTURED",
        TransactionStatus::Cancelled => "CANCELLED",
        TransactionStatus::Refunded => "REFUNDED",
    }
}

fn status_from(name: &str) -> Result<TransactionStatus, StoreError> {
    match name {
        "CAPTURED" => Ok(TransactionStatus::Captured),
        "CANCELLED" => Ok(TransactionStatus::Cancelled),
        "REFUNDED" => Ok(TransactionStatus::Refunded),
        other => Err(StoreError::Corrupt(format!("outbox status {other}"))),
    }
}

impl PaymentStore {
    /// Puts pending, unbatched updates (at most `max`) into a new batch `request_id`: all
    /// of one merchant, the one with the oldest such update, since a batch goes to Vipps
    /// under one Merchant-Serial-Number.
    pub async fn claim_new_batch(&self, request_id: &str, max: i64) -> Result<u64, StoreError> {
        let result = sqlx::query(
            "UPDATE outbox SET batch_id = $1 WHERE batch_id IS NULL AND id IN (
                SELECT id FROM outbox WHERE state = 'pending' AND batch_id IS NULL
                  AND merchant_id = (SELECT merchant_id FROM outbox
                                     WHERE state = 'pending' AND batch_id IS NULL
                                     ORDER BY seq LIMIT 1)
                ORDER BY seq LIMIT $2)",
        )
        .bind(request_id)
        .bind(max)
        .execute(self.pool())
        .await?;
        Ok(result.rows_affected())
    }

    /// A batch that is due, leased until `lease_until_ms` so no other worker sends it meanwhile.
    /// Vipps hears each payment's updates in the order they happened (a capture before the
    /// cancel that releases the rest): a batch waits while an older update of one of its
    /// payments is still pending in another batch (being retried, say). Order is the
    /// insertion order, `seq` (outbox rows are never deleted).
    pub async fn lease_due_batch(
        &self,
        now_ms: i64,
        lease_until_ms: i64,
    ) -> Result<Option<Batch>, StoreError> {
        // Another instance may lease the batch between the look and the lease: then
        // look again, for the next due batch.
        let request_id = loop {
            let due: Option<(String, i64)> = sqlx::query_as(
                "SELECT o.batch_id, o.next_attempt_at_ms FROM outbox o
                 WHERE o.state = 'pending' AND o.batch_id IS NOT NULL AND o.next_attempt_at_ms <= $1
                   AND NOT EXISTS (
                     SELECT 1 FROM outbox mine JOIN outbox older ON older.payment_id = mine.payment_id
                     WHERE mine.batch_id = o.batch_id AND mine.state = 'pending'
                       AND older.state = 'pending' AND older.seq < mine.seq
                       AND (older.batch_id IS NULL OR older.batch_id <> o.batch_id))
                 ORDER BY o.next_attempt_at_ms LIMIT 1",
            )
            .bind(now_ms)
            .fetch_optional(self.pool())
            .await?;
            let Some((request_id, due_at)) = due else {
                return Ok(None);
            };
            let leased = sqlx::query(
                "UPDATE outbox SET next_attempt_at_ms = $1
                 WHERE batch_id = $2 AND state = 'pending' AND next_attempt_at_ms = $3",
            )
            .bind(lease_until_ms)
            .bind(&request_id)
            .bind(due_at)
            .execute(self.pool())
            .await?;
            if leased.rows_affected() > 0 {
                break request_id;
            }
        };
        let rows = sqlx::query(
            "SELECT psp_transaction_id, status, amount_ore, currency, payment_text, attempts FROM outbox
             WHERE batch_id = $1 AND state = 'pending' ORDER BY seq",
        )
        .bind(&request_id)
        .fetch_all(self.pool())
        .await?;
        let msn: String = sqlx::query_scalar(
            "SELECT m.msn FROM outbox o JOIN merchants m ON m.id = o.merchant_id
             WHERE o.batch_id = $1 LIMIT 1",
        )
        .bind(&request_id)
        .fetch_one(self.pool())
        .await?;
        let msn = msn
            .parse()
            .map_err(|e: shared::account::MsnError| StoreError::Corrupt(e.to_string()))?;
        let mut attempts = 0;
        let mut updates = Vec::with_capacity(rows.len());
        for row in rows {
            attempts = row.try_get("attempts")?;
            let txn: String = row.try_get("psp_transaction_id")?;
            let currency: String = row.try_get("currency")?;
            updates.push(TransactionInfo {
                psp_transaction_id: txn
                    .parse()
                    .map_err(|e: shared::IdError| StoreError::Corrupt(e.to_string()))?,
                status: status_from(&row.try_get::<String, _>("status")?)?,
                amount: row.try_get("amount_ore")?,
                currency: if currency == "NOK" {
                    Currency::Nok
                } else {
                    return Err(StoreError::Corrupt(currency));
                },
                payment_text: row.try_get("payment_text")?,
            });
        }
        Ok(Some(Batch {
            request_id,
            msn,
            attempts,
            updates,
        }))
    }

    pub async fn batch_delivered(&self, request_id: &str) -> Result<(), StoreError> {
        sqlx::query("UPDATE outbox SET state = 'delivered', delivered_at = $1 WHERE batch_id = $2 AND state = 'pending'")
            .bind(now_ms() / 1000)
            .bind(request_id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    pub async fn batch_retry_at(
        &self,
        request_id: &str,
        at_ms: i64,
        error: &str,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE outbox SET attempts = attempts + 1, next_attempt_at_ms = $1, last_error = $2
             WHERE batch_id = $3 AND state = 'pending'",
        )
        .bind(at_ms)
        .bind(error)
        .bind(request_id)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    pub async fn batch_dead(&self, request_id: &str, error: &str) -> Result<(), StoreError> {
        sqlx::query("UPDATE outbox SET state = 'dead', attempts = attempts + 1, last_error = $1 WHERE batch_id = $2 AND state = 'pending'")
            .bind(error)
            .bind(request_id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// The merchant's updates that Vipps refused for good.
    pub async fn dead_updates(&self, merchant: &MerchantId) -> Result<Vec<DeadUpdate>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, payment_id, psp_transaction_id, status, amount_ore, attempts, last_error FROM outbox
             WHERE state = 'dead' AND merchant_id = $1 ORDER BY created_at, id",
        )
        .bind(merchant.as_str())
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(DeadUpdate {
                    id: row.try_get("id")?,
                    payment_id: row.try_get("payment_id")?,
                    psp_transaction_id: row.try_get("psp_transaction_id")?,
                    status: row.try_get("status")?,
                    amount: row.try_get("amount_ore")?,
                    attempts: row.try_get("attempts")?,
                    last_error: row.try_get("last_error")?,
                })
            })
            .collect()
    }
}
