//! Attempts at Vipps: one row per `pspTransactionId`, holding its makePayment token
//! hash and the first answer we gave, so duplicates of any attempt get that answer.

use shared::vipps::MakePaymentResponse;
use shared::{MerchantOrderId, PaymentId, PspTransactionId};

use super::store::{PaymentStore, StoreError};

#[derive(Debug, Clone, PartialEq)]
pub struct Attempt {
    pub psp_transaction_id: PspTransactionId,
    pub payment_id: PaymentId,
    pub make_payment_token_hash: Vec<u8>,
    pub answer: Option<MakePaymentResponse>,
}

impl PaymentStore {
    pub async fn insert_attempt(&self, attempt: &Attempt, now: i64) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO attempts (psp_transaction_id, payment_id, make_payment_token_hash, created_at)
             VALUES ($1, $2, $3, $4)",
        )
        .bind(attempt.psp_transaction_id.as_str())
        .bind(attempt.payment_id.as_str())
        .bind(&attempt.make_payment_token_hash)
        .bind(now)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    pub async fn get_attempt(&self, id: &PspTransactionId) -> Result<Option<Attempt>, StoreError> {
        let row: Option<(String, Vec<u8>, Option<String>)> = sqlx::query_as(
            "SELECT payment_id, make_payment_token_hash, make_payment_answer FROM attempts
             WHERE psp_transaction_id = $1",
        )
        .bind(id.as_str())
        .fetch_optional(self.pool())
        .await?;
        let Some((payment_id, make_payment_token_hash, answer)) = row else {
            return Ok(None);
        };
        let corrupt = |e: String| StoreError::Corrupt(e);
        Ok(Some(Attempt {
            psp_transaction_id: id.clone(),
            payment_id: payment_id
                .parse()
                .map_err(|e: shared::IdError| corrupt(e.to_string()))?,
            make_payment_token_hash,
            answer: answer
                .map(|a| serde_json::from_str(&a).map_err(|e| corrupt(e.to_string())))
                .transpose()?,
        }))
    }

    /// Keeps the first answer of an attempt; later ones never replace it.
    pub async fn record_answer(
        &self,
        id: &PspTransactionId,
        answer: &MakePaymentResponse,
    ) -> Result<(), StoreError> {
        let json = serde_json::to_string(answer).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        sqlx::query("UPDATE attempts SET make_payment_answer = $1 WHERE psp_transaction_id = $2 AND make_payment_answer IS NULL")
            .bind(json)
            .bind(id.as_str())
            .execute(self.pool())
            .await?;
        Ok(())
    }
}

/// How many times one payment may be sent to Vipps (refused inits included).
pub const MAX_ATTEMPTS: u32 = 10;

impl PaymentStore {
    /// How many attempts at Vipps the payment has had.
    pub async fn count_attempts(&self, payment: &PaymentId) -> Result<u32, StoreError> {
        let (count,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM attempts WHERE payment_id = $1")
                .bind(payment.as_str())
                .fetch_one(self.pool())
                .await?;
        u32::try_from(count).map_err(|e| StoreError::Corrupt(e.to_string()))
    }
}

/// The `merchantOrderId` sent to Vipps for attempt `n` (1-based). Vipps refuses a
/// repeated order id (error 99), so retries carry a suffix: `order123` → `order123r2`,
/// cutting the merchant's id where the 30-character limit requires.
pub fn vipps_order_id(order: &MerchantOrderId, n: u32) -> MerchantOrderId {
    if n <= 1 {
        return order.clone();
    }
    let suffix = format!("r{n}");
    let keep = 30usize
        .saturating_sub(suffix.len())
        .min(order.as_str().len());
    format!("{}{suffix}", &order.as_str()[..keep])
        .parse()
        .unwrap_or_else(|_| order.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn order(s: &str) -> MerchantOrderId {
        s.parse().unwrap_or_else(|e| unreachable!("{e}"))
    }

    #[test]
    fn retries_get_their_own_vipps_order_id_within_thirty_characters() {
        assert_eq!(vipps_order_id(&order("order123"), 1), order("order123"));
        assert_eq!(vipps_order_id(&order("order123"), 2), order("order123r2"));
        let long = "a".repeat(30);
        let retried = vipps_order_id(&order(&long), 12);
        assert_eq!(retried.as_str(), format!("{}r12", "a".repeat(27)));
    }
}
