//! Dashboard users: one merchant each, an email unique across the PSP, an argon2id hash.
//! Created and disabled with the admin command (`backend dashboard-users …`).

use shared::dashboard::{DashboardUser, Email, NewPassword};
use shared::{MerchantId, UserId};
use sqlx::Row;

use super::{DashboardError, passwords};
use crate::database::{DbRow, Pool};
use crate::payments::now_unix;

#[derive(Clone)]
pub struct UserStore {
    pool: Pool,
}

/// A user as sign-in needs them.
pub struct Credentials {
    pub user: DashboardUser,
    pub merchant: MerchantId,
    pub password_hash: String,
}

impl UserStore {
    pub fn new(pool: Pool) -> Self {
        Self { pool }
    }

    /// A new user of `merchant` (which must exist).
    pub async fn create(
        &self,
        merchant: &MerchantId,
        email: Email,
        password: NewPassword,
    ) -> Result<DashboardUser, DashboardError> {
        let exists: Option<String> = sqlx::query_scalar("SELECT id FROM merchants WHERE id = $1")
            .bind(merchant.as_str())
            .fetch_optional(&self.pool)
            .await?;
        if exists.is_none() {
            return Err(DashboardError::NoSuchMerchant);
        }
        let id = UserId::from_random(crate::keys::random_bytes()?);
        let hash = passwords::hash(password).await?;
        let inserted = sqlx::query(
            "INSERT INTO dashboard_users (id, merchant_id, email, password_hash, created_at)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id.as_str())
        .bind(merchant.as_str())
        .bind(email.as_str())
        .bind(&hash)
        .bind(now_unix())
        .execute(&self.pool)
        .await;
        match inserted {
            Ok(_) => {}
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                return Err(DashboardError::EmailTaken);
            }
            Err(e) => return Err(e.into()),
        }
        tracing::info!(user = %id, merchant = %merchant, "dashboard user created");
        Ok(DashboardUser { id, email })
    }

    /// The user `email` names, unless disabled.
    pub async fn credentials(&self, email: &Email) -> Result<Option<Credentials>, DashboardError> {
        let row = sqlx::query(
            "SELECT id, merchant_id, email, password_hash FROM dashboard_users
             WHERE email = $1 AND disabled_at IS NULL",
        )
        .bind(email.as_str())
        .fetch_optional(&self.pool)
        .await?;
        row.map(|row| {
            Ok(Credentials {
                user: user_from_row(&row)?,
                merchant: parse(&row, "merchant_id")?,
                password_hash: row.try_get("password_hash")?,
            })
        })
        .transpose()
    }

    /// `merchant`'s users (disabled ones included), oldest first, with whether each is
    /// disabled.
    pub async fn list(
        &self,
        merchant: &MerchantId,
    ) -> Result<Vec<(DashboardUser, bool)>, DashboardError> {
        let rows = sqlx::query(
            "SELECT id, email, disabled_at FROM dashboard_users WHERE merchant_id = $1
             ORDER BY created_at, id",
        )
        .bind(merchant.as_str())
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let disabled: Option<i64> = row.try_get("disabled_at")?;
                Ok((user_from_row(row)?, disabled.is_some()))
            })
            .collect()
    }

    /// Disables `merchant`'s user `email` and ends their sessions. `false` if there is no
    /// such active user.
    pub async fn disable(
        &self,
        merchant: &MerchantId,
        email: &Email,
    ) -> Result<bool, DashboardError> {
        let mut tx = crate::database::begin(&self.pool).await?;
        let id: Option<String> = sqlx::query_scalar(
            "UPDATE dashboard_users SET disabled_at = $1
             WHERE merchant_id = $2 AND email = $3 AND disabled_at IS NULL RETURNING id",
        )
        .bind(now_unix())
        .bind(merchant.as_str())
        .bind(email.as_str())
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(id) = &id {
            sqlx::query("DELETE FROM dashboard_sessions WHERE user_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(id.is_some())
    }
}

fn user_from_row(row: &DbRow) -> Result<DashboardUser, DashboardError> {
    Ok(DashboardUser {
        id: parse(row, "id")?,
        email: parse(row, "email")?,
    })
}

fn parse<T: std::str::FromStr>(row: &DbRow, column: &str) -> Result<T, DashboardError>
where
    T::Err: std::fmt::Display,
{
    row.try_get::<String, _>(column)?
        .parse()
        .map_err(|e: T::Err| DashboardError::Corrupt(format!("{column}: {e}")))
}
