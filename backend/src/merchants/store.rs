//! Merchants in the database. A merchant's MSN is unique; its origins and look are JSON.

use shared::account::{
    Appearance, CreateMerchant, CreatedMerchant, KeyName, Merchant, MerchantStatus, Origin,
};
use shared::text::Lang;
use shared::{MerchantId, PaymentId};
use sqlx::Row;

use crate::database::{DbRow, Pool};

use super::MerchantError;
use crate::payments::now_unix;

#[derive(Clone)]
pub struct MerchantStore {
    pub(super) pool: Pool,
}

impl MerchantStore {
    pub fn new(pool: Pool) -> Self {
        Self { pool }
    }

    pub fn pool(&self) -> &Pool {
        &self.pool
    }

    /// A new merchant with its first secret key, in one transaction.
    pub async fn create(
        &self,
        request: &CreateMerchant,
        mode: crate::config::Mode,
    ) -> Result<CreatedMerchant, MerchantError> {
        let id = super::new_id()?;
        let first_key: KeyName =
            "first key"
                .to_owned()
                .try_into()
                .map_err(|e: shared::account::DisplayNameError| {
                    MerchantError::Corrupt(e.to_string())
                })?;
        let mut tx = crate::database::begin(&self.pool).await?;
        let merchant = self.insert(&mut tx, &id, request).await?;
        let api_key = self.create_key(&mut tx, &id, &first_key, mode).await?;
        tx.commit().await?;
        tracing::info!(merchant = %id, msn = %merchant.msn, "merchant created");
        Ok(CreatedMerchant { merchant, api_key })
    }

    /// Writes a new merchant; its MSN must be free.
    pub async fn insert(
        &self,
        conn: &mut crate::database::Conn,
        id: &MerchantId,
        request: &CreateMerchant,
    ) -> Result<Merchant, MerchantError> {
        let now = now_unix();
        let result = sqlx::query(
            "INSERT INTO merchants (id, name, msn, allowed_origins, language, appearance, status, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, 'active', $7)",
        )
        .bind(id.as_str())
        .bind(request.name.as_str())
        .bind(request.msn.as_str())
        .bind(json(&request.allowed_origins)?)
        .bind(request.language.map(Lang::code))
        .bind(json(&request.appearance)?)
        .bind(now)
        .execute(&mut *conn)
        .await;
        match result {
            Ok(_) => {}
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                return Err(MerchantError::DuplicateMsn);
            }
            Err(e) => return Err(e.into()),
        }
        Ok(Merchant {
            id: id.clone(),
            name: request.name.clone(),
            msn: request.msn.clone(),
            allowed_origins: request.allowed_origins.clone(),
            language: request.language,
            appearance: request.appearance.clone(),
            status: MerchantStatus::Active,
            created_at: now,
        })
    }

    pub async fn get(&self, id: &MerchantId) -> Result<Merchant, MerchantError> {
        self.one("SELECT * FROM merchants WHERE id = $1", id.as_str())
            .await?
            .ok_or(MerchantError::NotFound)
    }

    /// The merchant a payment belongs to.
    pub async fn of_payment(&self, payment: &PaymentId) -> Result<Merchant, MerchantError> {
        let sql =
            "SELECT m.* FROM merchants m JOIN payments p ON p.merchant_id = m.id WHERE p.id = $1";
        self.one(sql, payment.as_str())
            .await?
            .ok_or(MerchantError::NotFound)
    }

    pub async fn by_msn(&self, msn: &str) -> Result<Option<Merchant>, MerchantError> {
        self.one("SELECT * FROM merchants WHERE msn = $1", msn)
            .await
    }

    /// The merchant `sql` finds by its one parameter `value`, if any.
    async fn one(&self, sql: &str, value: &str) -> Result<Option<Merchant>, MerchantError> {
        sqlx::query(sql)
            .bind(value)
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(from_row)
            .transpose()
    }

    pub async fn list(&self) -> Result<Vec<Merchant>, MerchantError> {
        sqlx::query("SELECT * FROM merchants ORDER BY created_at, id")
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(from_row)
            .collect()
    }

    /// Enables or disables a merchant; returns it as it is now.
    pub async fn set_status(
        &self,
        id: &MerchantId,
        status: MerchantStatus,
    ) -> Result<Merchant, MerchantError> {
        let name = match status {
            MerchantStatus::Active => "active",
            MerchantStatus::Disabled => "disabled",
        };
        let mut tx = crate::database::begin(&self.pool).await?;
        let result = sqlx::query("UPDATE merchants SET status = $1 WHERE id = $2")
            .bind(name)
            .bind(id.as_str())
            .execute(&mut *tx)
            .await?;
        if result.rows_affected() == 0 {
            return Err(MerchantError::NotFound);
        }
        // A disabled merchant's dashboard sessions end, and do not come back with an enable.
        if status == MerchantStatus::Disabled {
            sqlx::query(
                "DELETE FROM dashboard_sessions WHERE user_id IN
                 (SELECT id FROM dashboard_users WHERE merchant_id = $1)",
            )
            .bind(id.as_str())
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        self.get(id).await
    }

    /// Gives payments made before merchants existed (`merchant_id` empty) to `id`.
    pub async fn adopt_orphan_payments(&self, id: &MerchantId) -> Result<u64, MerchantError> {
        let mut tx = crate::database::begin(&self.pool).await?;
        let payments = sqlx::query("UPDATE payments SET merchant_id = $1 WHERE merchant_id = ''")
            .bind(id.as_str())
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE outbox SET merchant_id = $1 WHERE merchant_id = ''")
            .bind(id.as_str())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(payments.rows_affected())
    }
}

fn json<T: serde::Serialize>(value: &T) -> Result<String, MerchantError> {
    serde_json::to_string(value).map_err(|e| MerchantError::Corrupt(e.to_string()))
}

pub(super) fn from_row(row: &DbRow) -> Result<Merchant, MerchantError> {
    let corrupt = |e: &dyn std::fmt::Display| MerchantError::Corrupt(e.to_string());
    let text = |col: &str| row.try_get::<String, _>(col);
    let origins: Vec<Origin> =
        serde_json::from_str(&text("allowed_origins")?).map_err(|e| corrupt(&e))?;
    let appearance: Appearance =
        serde_json::from_str(&text("appearance")?).map_err(|e| corrupt(&e))?;
    let language = row
        .try_get::<Option<String>, _>("language")?
        .map(|code| serde_json::from_value::<Lang>(serde_json::Value::String(code)))
        .transpose()
        .map_err(|e| corrupt(&e))?;
    let status = match text("status")?.as_str() {
        "active" => MerchantStatus::Active,
        "disabled" => MerchantStatus::Disabled,
        other => return Err(corrupt(&format!("status {other}"))),
    };
    Ok(Merchant {
        id: text("id")?.parse().map_err(|e| corrupt(&e))?,
        name: text("name")?.try_into().map_err(|e| corrupt(&e))?,
        msn: text("msn")?.parse().map_err(|e| corrupt(&e))?,
        allowed_origins: origins,
        language,
        appearance,
        status,
        created_at: row.try_get("created_at")?,
    })
}
