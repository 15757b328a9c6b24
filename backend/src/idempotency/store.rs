//! Idempotency records in SQLite (`idempotency_keys`). A row is claimed atomically
//! (`INSERT … ON CONFLICT DO NOTHING`), then completed with the response or forgotten.

use sqlx::Row;

use crate::database::Pool;

use super::key::{Fingerprint, IdempotencyKey};

/// A response as stored; its body, once opened, is replayed byte for byte.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredResponse {
    pub status: u16,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
    /// `body` is sealed under the server key (`seal`); `false` only in rows written before
    /// answers were sealed (migration 0007 took the client secret out of those).
    pub sealed: bool,
}

/// An existing record: what it was first used for and, once finished, its response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub fingerprint: Fingerprint,
    /// `None` while the first request is still running (or died with its instance).
    pub response: Option<StoredResponse>,
    /// Unix seconds when the running request claimed the key.
    pub created_at: i64,
}

#[derive(Clone)]
pub struct IdempotencyStore {
    pool: Pool,
}

impl IdempotencyStore {
    pub fn new(pool: Pool) -> Self {
        Self { pool }
    }

    /// Records `key` as in progress for `fingerprint`; `false` if `scope` already used it.
    pub async fn claim(
        &self,
        scope: &str,
        key: &IdempotencyKey,
        fingerprint: &Fingerprint,
        now: i64,
    ) -> Result<bool, sqlx::Error> {
        let result = sqlx::query(
            "INSERT INTO idempotency_keys (scope, idempotency_key, method, path, body_hash, created_at)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (scope, idempotency_key) DO NOTHING",
        )
        .bind(scope)
        .bind(key.as_str())
        .bind(&fingerprint.method)
        .bind(&fingerprint.path)
        .bind(&fingerprint.body_hash)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(result.rows_affected() == 1)
    }

    pub async fn find(
        &self,
        scope: &str,
        key: &IdempotencyKey,
    ) -> Result<Option<Record>, sqlx::Error> {
        let row = sqlx::query(
            "SELECT method, path, body_hash, response_status, response_content_type, response_body,
                    response_sealed, created_at
             FROM idempotency_keys WHERE scope = $1 AND idempotency_key = $2",
        )
        .bind(scope)
        .bind(key.as_str())
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let status: Option<i64> = row.try_get("response_status")?;
        let response = match status {
            None => None,
            Some(status) => Some(StoredResponse {
                status: u16::try_from(status).map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
                content_type: row.try_get("response_content_type")?,
                body: row
                    .try_get::<Option<Vec<u8>>, _>("response_body")?
                    .unwrap_or_default(),
                sealed: crate::database::flag(&row, "response_sealed")?,
            }),
        };
        Ok(Some(Record {
            fingerprint: Fingerprint {
                method: row.try_get("method")?,
                path: row.try_get("path")?,
                body_hash: row.try_get("body_hash")?,
            },
            response,
            created_at: row.try_get("created_at")?,
        }))
    }

    /// Claims a key whose request is still unanswered since `claimed_at`, its instance
    /// presumed dead; `false` if another request took it over or finished it first.
    pub async fn take_over(
        &self,
        scope: &str,
        key: &IdempotencyKey,
        claimed_at: i64,
        now: i64,
    ) -> Result<bool, sqlx::Error> {
        let result = sqlx::query(
            "UPDATE idempotency_keys SET created_at = $1
             WHERE scope = $2 AND idempotency_key = $3 AND response_status IS NULL
               AND created_at = $4",
        )
        .bind(now)
        .bind(scope)
        .bind(key.as_str())
        .bind(claimed_at)
        .execute(&self.pool)
        .await?;
        Ok(result.rows_affected() == 1)
    }

    /// Stores the first request's response; repeats get it from now on.
    /// Only while the request that claimed the key at `claimed_at` still holds it: one
    /// that was taken over (presumed dead, yet finishing late) records nothing.
    pub async fn complete(
        &self,
        scope: &str,
        key: &IdempotencyKey,
        claimed_at: i64,
        response: &StoredResponse,
        now: i64,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "UPDATE idempotency_keys
             SET response_status = $1, response_content_type = $2, response_body = $3,
                 response_sealed = $4, completed_at = $5
             WHERE scope = $6 AND idempotency_key = $7 AND created_at = $8
               AND response_status IS NULL",
        )
        .bind(i64::from(response.status))
        .bind(response.content_type.as_deref())
        .bind(&response.body)
        .bind(i64::from(response.sealed))
        .bind(now)
        .bind(scope)
        .bind(key.as_str())
        .bind(claimed_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Drops the record so that the key can be used again (after a 5xx).
    /// Only while the request that claimed the key at `claimed_at` still holds it.
    pub async fn forget(
        &self,
        scope: &str,
        key: &IdempotencyKey,
        claimed_at: i64,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "DELETE FROM idempotency_keys
             WHERE scope = $1 AND idempotency_key = $2 AND created_at = $3
               AND response_status IS NULL",
        )
        .bind(scope)
        .bind(key.as_str())
        .bind(claimed_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Deletes the records created before `cutoff` (Unix seconds); returns how many.
    pub async fn delete_created_before(&self, cutoff: i64) -> Result<u64, sqlx::Error> {
        let result = sqlx::query("DELETE FROM idempotency_keys WHERE created_at < $1")
            .bind(cutoff)
            .execute(&self.pool)
            .await?;
        Ok(result.rows_affected())
    }
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use sqlx::migrate::Migrator;

    use super::*;

    #[tokio::test]
    async fn an_answer_stored_in_clear_before_sealing_replays_without_its_client_secret()
    -> Result<(), String> {
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let url = format!(
            "sqlite://{}?mode=rwc",
            dir.path().join("t.sqlite").display()
        );
        sqlx::any::install_default_drivers();
        let pool = Pool::connect(&url).await.map_err(|e| e.to_string())?;
        let all = sqlx::migrate!("./migrations/sqlite");
        let sealing = all
            .iter()
            .find(|m| m.description == "sealed idempotent responses")
            .map(|m| m.version)
            .ok_or("no sealing migration")?;
        let before = all.iter().filter(|m| m.version < sealing).cloned();
        let older = Migrator {
            migrations: Cow::Owned(before.collect()),
            ..Migrator::DEFAULT
        };
        older.run(&pool).await.map_err(|e| e.to_string())?;
        let clear = br#"{"id":"pay_1","client_secret":"cs_0123","status":"created"}"#;
        sqlx::query(
            "INSERT INTO idempotency_keys (scope, idempotency_key, method, path, body_hash,
                response_status, response_content_type, response_body, created_at, completed_at)
             VALUES ('s', 'k', 'POST', '/v1/payments', x'00', 201, 'application/json', $1, 1, 1)",
        )
        .bind(clear.as_slice())
        .execute(&pool)
        .await
        .map_err(|e| e.to_string())?;

        all.run(&pool).await.map_err(|e| e.to_string())?;
        let key = "k".parse().map_err(|_| "key")?;
        let found = IdempotencyStore::new(pool).find("s", &key).await;
        let response = found.map_err(|e| e.to_string())?.and_then(|r| r.response);
        let response = response.ok_or("the answer is gone")?;
        assert!(!response.sealed, "written before sealing");
        assert_eq!(response.body, br#"{"id":"pay_1","status":"created"}"#);
        Ok(())
    }

    #[tokio::test]
    async fn a_request_taken_over_records_nothing_when_it_finishes_late() -> Result<(), String> {
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let url = format!("sqlite://{}", dir.path().join("t.sqlite").display());
        let store = crate::database::open(&url)
            .await
            .map_err(|e| e.to_string())?;
        let records = IdempotencyStore::new(store);
        let key = "k".parse().map_err(|_| "key")?;
        let print = Fingerprint {
            method: "POST".to_owned(),
            path: "/v1/payments".to_owned(),
            body_hash: vec![0],
        };
        let answer = |status| StoredResponse {
            status,
            content_type: None,
            body: Vec::new(),
            sealed: true,
        };
        assert!(
            records
                .claim("s", &key, &print, 100)
                .await
                .map_err(|e| e.to_string())?
        );
        assert!(
            records
                .take_over("s", &key, 100, 200)
                .await
                .map_err(|e| e.to_string())?
        );
        // The first request, presumed dead, finishes after all: fenced out.
        records
            .complete("s", &key, 100, &answer(500), 201)
            .await
            .map_err(|e| e.to_string())?;
        records
            .forget("s", &key, 100)
            .await
            .map_err(|e| e.to_string())?;
        let record = records.find("s", &key).await.map_err(|e| e.to_string())?;
        assert_eq!(
            record.map(|r| r.response),
            Some(None),
            "still the taker's, unanswered"
        );
        records
            .complete("s", &key, 200, &answer(201), 202)
            .await
            .map_err(|e| e.to_string())?;
        let record = records.find("s", &key).await.map_err(|e| e.to_string())?;
        let status = record.and_then(|r| r.response).map(|r| r.status);
        assert_eq!(status, Some(201));
        Ok(())
    }
}
