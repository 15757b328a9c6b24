//! API keys: several per merchant, each named, stored as SHA-256 hashes only. A key is
//! 256 random bits, so its hash is found by an index; the stored hash is then compared
//! in constant time. Revoked keys and disabled merchants' keys authenticate nothing.

use shared::account::{ApiKey, CreatedApiKey, KeyName, Merchant};
use shared::{ApiKeyId, MerchantId};
use sqlx::Row;

use crate::database::DbRow;
use subtle::ConstantTimeEq;

use super::MerchantError;
use super::store::{MerchantStore, from_row};
use crate::config::Mode;
use crate::keys;
use crate::payments::now_unix;

/// Every secret key starts with this; then `test_` (sandbox) or `live_` (production).
pub const KEY_PREFIX: &str = "sk_";
/// `last_used_at` is written at most this often per key (seconds), not on every request.
const LAST_USED_GRANULARITY: i64 = 60;
/// How much of a key is kept in clear to tell keys apart (`sk_test_1a2b`), and only of a
/// key long enough that this gives nothing away ([`MIN_SHOWN_LENGTH`]).
const SHOWN_CHARS: usize = 12;
const MIN_SHOWN_LENGTH: usize = 40;

/// A request's credentials, checked: the merchant (active), and which of its keys or
/// which dashboard user's session.
#[derive(Debug, Clone)]
pub struct Authenticated {
    pub merchant: Merchant,
    pub credential: Credential,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credential {
    Key(ApiKeyId),
    Session(shared::UserId),
}

/// A new secret key: `sk_test_…` in the sandbox, `sk_live_…` in production.
fn new_secret(mode: Mode) -> Result<String, MerchantError> {
    let kind = match mode {
        Mode::Sandbox => "test",
        Mode::Production => "live",
    };
    Ok(format!("{KEY_PREFIX}{kind}_{}", keys::random_hex::<32>()?))
}

impl MerchantStore {
    /// A new key for `merchant` (which must exist), in a transaction of its own.
    pub async fn create_key_for(
        &self,
        merchant: &MerchantId,
        name: &KeyName,
        mode: Mode,
    ) -> Result<CreatedApiKey, MerchantError> {
        self.get(merchant).await?;
        let mut conn = self.pool.acquire().await?;
        self.create_key(&mut conn, merchant, name, mode).await
    }

    /// A new key for `merchant`, returned with its secret (shown once).
    pub async fn create_key(
        &self,
        conn: &mut crate::database::Conn,
        merchant: &MerchantId,
        name: &KeyName,
        mode: Mode,
    ) -> Result<CreatedApiKey, MerchantError> {
        let secret = new_secret(mode)?;
        let key = self.register_key(conn, merchant, name, &secret).await?;
        Ok(CreatedApiKey { key, secret })
    }

    /// Registers a key the operator already holds (the environment's `MERCHANT_API_KEY`).
    pub async fn register_key(
        &self,
        conn: &mut crate::database::Conn,
        merchant: &MerchantId,
        name: &KeyName,
        secret: &str,
    ) -> Result<ApiKey, MerchantError> {
        let id = ApiKeyId::from_random(keys::random_bytes()?);
        let shown = if secret.chars().count() >= MIN_SHOWN_LENGTH {
            SHOWN_CHARS
        } else {
            0
        };
        let prefix: String = secret.chars().take(shown).collect();
        let now = now_unix();
        sqlx::query(
            "INSERT INTO api_keys (id, merchant_id, name, key_hash, prefix, created_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id.as_str())
        .bind(merchant.as_str())
        .bind(name.as_str())
        .bind(keys::secret_hash(secret))
        .bind(&prefix)
        .bind(now)
        .execute(conn)
        .await?;
        Ok(ApiKey {
            id,
            name: name.clone(),
            prefix,
            created_at: now,
            last_used_at: None,
            revoked_at: None,
        })
    }

    /// The merchant's keys, revoked ones included, oldest first.
    pub async fn keys(&self, merchant: &MerchantId) -> Result<Vec<ApiKey>, MerchantError> {
        sqlx::query("SELECT * FROM api_keys WHERE merchant_id = $1 ORDER BY created_at, rowid")
            .bind(merchant.as_str())
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(key_from_row)
            .collect()
    }

    /// Revokes one of the merchant's keys at once; another merchant's key is not found.
    pub async fn revoke_key(
        &self,
        merchant: &MerchantId,
        key: &ApiKeyId,
    ) -> Result<ApiKey, MerchantError> {
        sqlx::query(
            "UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2 AND merchant_id = $3",
        )
        .bind(now_unix())
        .bind(key.as_str())
        .bind(merchant.as_str())
        .execute(&self.pool)
        .await?;
        sqlx::query("SELECT * FROM api_keys WHERE id = $1 AND merchant_id = $2")
            .bind(key.as_str())
            .bind(merchant.as_str())
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(key_from_row)
            .transpose()?
            .ok_or(MerchantError::KeyNotFound)
    }

    /// The active merchant whose live key `presented` is; `None` for anything else.
    pub async fn authenticate(
        &self,
        presented: &str,
    ) -> Result<Option<Authenticated>, MerchantError> {
        let hash = keys::secret_hash(presented);
        let row = sqlx::query(
            "SELECT k.id AS key_id, k.key_hash, k.last_used_at, m.* FROM api_keys k
             JOIN merchants m ON m.id = k.merchant_id
             WHERE k.key_hash = $1 AND k.revoked_at IS NULL AND m.status = 'active'",
        )
        .bind(&hash)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let stored: Vec<u8> = row.try_get("key_hash")?;
        if !bool::from(stored.ct_eq(&hash)) {
            return Ok(None);
        }
        let key_id: ApiKeyId = row
            .try_get::<String, _>("key_id")?
            .parse()
            .map_err(|e: shared::IdError| MerchantError::Corrupt(e.to_string()))?;
        let now = now_unix();
        let last_used: Option<i64> = row.try_get("last_used_at")?;
        if last_used.is_none_or(|at| now.saturating_sub(at) >= LAST_USED_GRANULARITY) {
            sqlx::query("UPDATE api_keys SET last_used_at = $1 WHERE id = $2")
                .bind(now)
                .bind(key_id.as_str())
                .execute(&self.pool)
                .await?;
        }
        Ok(Some(Authenticated {
            merchant: from_row(&row)?,
            credential: Credential::Key(key_id),
        }))
    }
}

fn key_from_row(row: &DbRow) -> Result<ApiKey, MerchantError> {
    let corrupt = |e: &dyn std::fmt::Display| MerchantError::Corrupt(e.to_string());
    Ok(ApiKey {
        id: row
            .try_get::<String, _>("id")?
            .parse()
            .map_err(|e| corrupt(&e))?,
        name: row
            .try_get::<String, _>("name")?
            .try_into()
            .map_err(|e| corrupt(&e))?,
        prefix: row.try_get("prefix")?,
        created_at: row.try_get("created_at")?,
        last_used_at: row.try_get("last_used_at")?,
        revoked_at: row.try_get("revoked_at")?,
    })
}
