//! Payments in the database (SQLite or PostgreSQL) through sqlx. Every state change is a
//! compare-and-set: `UPDATE … WHERE id = $1 AND state = $2`, so two racing writers, in one
//! process or in several, cannot both win.

use std::str::FromStr;
use std::sync::Arc;

use tokio::sync::Notify;

use serde::Serialize;
use serde::de::DeserializeOwned;
use shared::merchant::MaskedCard;
use sqlx::Row;

use crate::database::{self, DbRow, Pool};

use super::ledger::Ledger;
use super::{Payment, PaymentState, now_unix};
use shared::{PaymentId, PspTransactionId};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Open(#[from] database::OpenError),
    #[error("a stored payment is unreadable: {0}")]
    Corrupt(String),
    #[error("duplicate merchant order id")]
    DuplicateOrderId,
}

/// The fields a transition may set besides the state; `None` leaves a field as it is.
#[derive(Debug, Default, Clone)]
pub struct Changes {
    pub psp_transaction_id: Option<PspTransactionId>,
    pub vipps_url: Option<String>,
    pub is_app: Option<bool>,
    pub phone_number: Option<shared::MobileNumber>,
    pub failure: Option<shared::checkout::FailureReason>,
    pub card: Option<MaskedCard>,
    pub acquirer_reference: Option<String>,
    pub make_payment_answer: Option<shared::vipps::MakePaymentResponse>,
    /// A new attempt: forget the previous attempt's outcome (failure, card, answer, URL).
    pub new_attempt: bool,
    /// The acquirer may hold an authorisation we did not record.
    pub acquirer_unsettled: Option<bool>,
}

#[derive(Clone)]
pub struct PaymentStore {
    pub(super) pool: Pool,
    /// Notified after a transaction that recorded a webhook event commits.
    events_written: Arc<Notify>,
}

impl PaymentStore {
    /// The pool, for tables beside the payments (idempotency keys).
    pub fn pool(&self) -> &Pool {
        &self.pool
    }

    /// Wakes whoever delivers webhooks: an event was recorded.
    pub fn events_written(&self) -> Arc<Notify> {
        self.events_written.clone()
    }

    /// Opens (creating an SQLite file if needed) the database at `url` and runs the
    /// migrations.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        Ok(Self::with_pool(database::open(url).await?))
    }

    pub fn with_pool(pool: Pool) -> Self {
        Self {
            pool,
            events_written: Arc::new(Notify::new()),
        }
    }

    pub async fn insert(&self, p: &Payment) -> Result<(), StoreError> {
        let result = sqlx::query(
            "INSERT INTO payments (id, state, amount_ore, currency, merchant_order_id, description,
                phone_number, client_secret_hash, created_at, expires_at, updated_at, return_url,
                merchant_id)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        )
        .bind(p.id.as_str())
        .bind(p.state.as_str())
        .bind(i64::from(p.amount.ore()))
        .bind(p.currency.code())
        .bind(p.merchant_order_id.as_str())
        .bind(p.description.as_str())
        .bind(p.phone_number.as_ref().map(|n| n.as_str().to_owned()))
        .bind(&p.client_secret_hash)
        .bind(p.created_at)
        .bind(p.expires_at)
        .bind(p.created_at)
        .bind(p.return_url.as_ref().map(|u| u.as_str().to_owned()))
        .bind(p.merchant_id.as_str())
        .execute(&self.pool)
        .await;
        match result {
            Ok(_) => Ok(()),
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                Err(StoreError::DuplicateOrderId)
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Gives a payment still `Created` a new client secret (compare-and-set on the old one);
    /// `false` if it had moved on.
    pub async fn replace_client_secret(
        &self,
        payment: &Payment,
        new_hash: &[u8],
    ) -> Result<bool, StoreError> {
        let replaced = sqlx::query(
            "UPDATE payments SET client_secret_hash = $1
             WHERE id = $2 AND client_secret_hash = $3 AND state = 'created'",
        )
        .bind(new_hash)
        .bind(payment.id.as_str())
        .bind(&payment.client_secret_hash)
        .execute(&self.pool)
        .await?;
        Ok(replaced.rows_affected() == 1)
    }

    pub async fn get(&self, id: &PaymentId) -> Result<Option<Payment>, StoreError> {
        let row = sqlx::query("SELECT * FROM payments WHERE id = $1")
            .bind(id.as_str())
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(from_row).transpose()
    }

    /// Moves `id` from `from` to `to`, setting `changes`. `false` when the payment was
    /// no longer in `from` (someone else got there first): nothing was written.
    pub async fn transition(
        &self,
        id: &PaymentId,
        from: PaymentState,
        to: PaymentState,
        changes: Changes,
    ) -> Result<bool, StoreError> {
        self.transition_of(id, None, from, to, changes).await
    }

    /// As [`Self::transition`], and only while `attempt` is still the payment's current
    /// attempt: a verdict about one attempt never lands on a newer one in the same state.
    pub async fn transition_attempt(
        &self,
        id: &PaymentId,
        attempt: &PspTransactionId,
        from: PaymentState,
        to: PaymentState,
        changes: Changes,
    ) -> Result<bool, StoreError> {
        self.transition_of(id, Some(attempt), from, to, changes)
            .await
    }

    async fn transition_of(
        &self,
        id: &PaymentId,
        attempt: Option<&PspTransactionId>,
        from: PaymentState,
        to: PaymentState,
        changes: Changes,
    ) -> Result<bool, StoreError> {
        let mut tx = crate::database::begin(&self.pool).await?;
        let result = sqlx::query(
            "UPDATE payments SET state = $1,
                psp_transaction_id = COALESCE($2, psp_transaction_id),
                vipps_url = COALESCE($3, CASE WHEN $15 THEN NULL ELSE vipps_url END),
                is_app = COALESCE($4, is_app),
                phone_number = COALESCE($5, phone_number),
                failure_reason = COALESCE($6, CASE WHEN $15 THEN NULL ELSE failure_reason END),
                card_first_six = COALESCE($7, CASE WHEN $15 THEN NULL ELSE card_first_six END),
                card_last_four = COALESCE($8, CASE WHEN $15 THEN NULL ELSE card_last_four END),
                card_expiry = COALESCE($9, CASE WHEN $15 THEN NULL ELSE card_expiry END),
                acquirer_reference = COALESCE($10, CASE WHEN $15 THEN NULL ELSE acquirer_reference END),
                make_payment_answer = COALESCE($11, CASE WHEN $15 THEN NULL ELSE make_payment_answer END),
                acquirer_unsettled = COALESCE($16, acquirer_unsettled),
                updated_at = $12
             WHERE id = $13 AND state = $14
                AND ($17 IS NULL OR psp_transaction_id = $17)",
        )
        .bind(to.as_str())
        .bind(changes.psp_transaction_id.map(String::from))
        .bind(changes.vipps_url)
        .bind(changes.is_app.map(i64::from))
        .bind(changes.phone_number.map(String::from))
        .bind(changes.failure.map(|f| to_text(&f)).transpose()?)
        .bind(changes.card.as_ref().map(|c| c.first_six.clone()))
        .bind(changes.card.as_ref().map(|c| c.last_four.clone()))
        .bind(changes.card.map(|c| c.expiry))
        .bind(changes.acquirer_reference)
        .bind(
            changes
                .make_payment_answer
                .map(|a| to_json(&a))
                .transpose()?,
        )
        .bind(now_unix())
        .bind(id.as_str())
        .bind(from.as_str())
        .bind(changes.new_attempt)
        .bind(changes.acquirer_unsettled.map(i64::from))
        .bind(attempt.map(PspTransactionId::as_str))
        .execute(&mut *tx)
        .await?;
        if result.rows_affected() != 1 {
            return Ok(false);
        }
        let event = super::events::of_state(to);
        if let Some(kind) = event {
            super::events::record(&mut tx, id, kind, None).await?;
        }
        tx.commit().await?;
        if event.is_some() {
            self.events_written.notify_one();
        }
        Ok(true)
    }
}

pub(super) fn from_row(row: &DbRow) -> Result<Payment, StoreError> {
    let text = |col: &str| row.try_get::<String, _>(col);
    let opt = |col: &str| row.try_get::<Option<String>, _>(col);
    let card = match (
        opt("card_first_six")?,
        opt("card_last_four")?,
        opt("card_expiry")?,
    ) {
        (Some(first_six), Some(last_four), Some(expiry)) => Some(MaskedCard {
            first_six,
            last_four,
            expiry,
        }),
        _ => None,
    };
    let amount: i64 = row.try_get("amount_ore")?;
    let state: PaymentState = text("state")?
        .parse()
        .map_err(|e| StoreError::Corrupt(format!("{e}")))?;
    Ok(Payment {
        id: parse(&text("id")?)?,
        merchant_id: parse(&text("merchant_id")?)?,
        state: text("state")?
            .parse()
            .map_err(|e| StoreError::Corrupt(format!("{e}")))?,
        amount: u64::try_from(amount)
            .ok()
            .and_then(|a| shared::Amount::from_ore(a).ok())
            .ok_or_else(|| StoreError::Corrupt(format!("amount {amount}")))?,
        currency: from_text(&text("currency")?)?,
        merchant_order_id: parse(&text("merchant_order_id")?)?,
        description: text("description")?
            .try_into()
            .map_err(|e| StoreError::Corrupt(format!("{e}")))?,
        phone_number: opt("phone_number")?.map(|n| parse(&n)).transpose()?,
        return_url: opt("return_url")?
            .map(|u| {
                u.try_into().map_err(|e: shared::merchant::ReturnUrlError| {
                    StoreError::Corrupt(e.to_string())
                })
            })
            .transpose()?,
        client_secret_hash: row.try_get("client_secret_hash")?,
        psp_transaction_id: opt("psp_transaction_id")?
            .map(|id| parse(&id))
            .transpose()?,
        vipps_url: opt("vipps_url")?,
        is_app: database::flag(row, "is_app")?,
        failure: opt("failure_reason")?.map(|f| from_text(&f)).transpose()?,
        card,
        acquirer_reference: opt("acquirer_reference")?,
        make_payment_answer: opt("make_payment_answer")?
            .map(|a| serde_json::from_str(&a).map_err(|e| StoreError::Corrupt(e.to_string())))
            .transpose()?,
        created_at: row.try_get("created_at")?,
        expires_at: row.try_get("expires_at")?,
        ledger: ledger_from_row(row, state, amount)?,
        ledger_version: row.try_get("ledger_version")?,
        acquirer_unsettled: database::flag(row, "acquirer_unsettled")?,
    })
}

/// The ledger columns; only an authorised payment has money reserved.
fn ledger_from_row(row: &DbRow, state: PaymentState, amount: i64) -> Result<Ledger, StoreError> {
    let ore = |col: &str| -> Result<u32, StoreError> {
        let value: i64 = row.try_get(col)?;
        u32::try_from(value).map_err(|_| StoreError::Corrupt(format!("{col} {value}")))
    };
    let authorised = if state == PaymentState::Authorised {
        ore_of(amount)?
    } else {
        0
    };
    Ok(Ledger {
        authorised,
        captured: ore("captured_ore")?,
        refunded: ore("refunded_ore")?,
        released: ore("released_ore")?,
    })
}

fn ore_of(amount: i64) -> Result<u32, StoreError> {
    u32::try_from(amount).map_err(|_| StoreError::Corrupt(format!("amount {amount}")))
}

fn parse<T: FromStr>(s: &str) -> Result<T, StoreError>
where
    T::Err: std::fmt::Display,
{
    s.parse()
        .map_err(|e: T::Err| StoreError::Corrupt(e.to_string()))
}

/// A unit enum stored as its serde name (`insufficient_funds`, `NOK`).
fn to_text<T: Serialize>(value: &T) -> Result<String, StoreError> {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => Ok(s),
        Ok(other) => Err(StoreError::Corrupt(format!("not a name: {other}"))),
        Err(e) => Err(StoreError::Corrupt(e.to_string())),
    }
}

fn from_text<T: DeserializeOwned>(s: &str) -> Result<T, StoreError> {
    serde_json::from_value(serde_json::Value::String(s.to_owned()))
        .map_err(|e| StoreError::Corrupt(e.to_string()))
}

fn to_json<T: Serialize>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Corrupt(e.to_string()))
}
