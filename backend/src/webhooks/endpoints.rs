//! A merchant's webhook endpoints: create (the secret shown once), list, delete (soft:
//! its pending deliveries stop) and rotate the secret (the previous one keeps signing
//! beside the new one for a grace period). Every function is scoped by merchant: another
//! merchant's endpoint is [`WebhookError::EndpointNotFound`].

use shared::webhooks::{CreateEndpoint, Endpoint, EndpointUrl, EventType, RotateSecret};
use shared::{EndpointId, MerchantId};
use sqlx::Row;

use crate::database::{DbRow, Pool};

use super::WebhookError;
use super::secret::EndpointSecret;
use crate::idempotency::ResponseSealer;
use crate::keys;
use crate::payments::{StoreError, now_unix};
use shared::webhooks::EndpointWithSecret;

/// How long a rotated-out secret keeps signing when the merchant does not say: 24 h.
pub const DEFAULT_GRACE_SECONDS: u32 = 24 * 60 * 60;
/// Live endpoints a merchant may have: each event goes to every one of them.
pub const MAX_ENDPOINTS: i64 = 16;

/// The longest grace period a merchant may ask for: 7 days.
pub const MAX_GRACE_SECONDS: u32 = 7 * 24 * 60 * 60;

/// A new endpoint for `merchant`, subscribed to `request.events` (all when left out), and
/// its secret: the only time the secret is shown.
pub async fn create_endpoint(
    pool: &Pool,
    sealer: &ResponseSealer,
    merchant: &MerchantId,
    request: &CreateEndpoint,
) -> Result<EndpointWithSecret, WebhookError> {
    let events = match &request.events {
        None => EventType::ALL.to_vec(),
        Some(list) => {
            let mut unique = Vec::new();
            for kind in list {
                if !unique.contains(kind) {
                    unique.push(*kind);
                }
            }
            unique
        }
    };
    if events.is_empty() {
        return Err(WebhookError::NoEvents);
    }
    let live: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM webhook_endpoints WHERE merchant_id = $1 AND deleted_at IS NULL",
    )
    .bind(merchant.as_str())
    .fetch_one(pool)
    .await?;
    if live >= MAX_ENDPOINTS {
        return Err(WebhookError::TooManyEndpoints);
    }
    let id = EndpointId::from_random(keys::random_bytes::<16>()?);
    let secret = EndpointSecret::generate()?;
    let sealed = secret.seal(sealer, &id)?;
    let created_at = now_unix();
    sqlx::query(
        "INSERT INTO webhook_endpoints (id, merchant_id, url, events, secret_sealed, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id.as_str())
    .bind(merchant.as_str())
    .bind(request.url.as_str())
    .bind(events_json(&events)?)
    .bind(sealed)
    .bind(created_at)
    .execute(pool)
    .await?;
    Ok(EndpointWithSecret {
        endpoint: Endpoint {
            id,
            url: request.url.clone(),
            events,
            created_at,
            previous_secret_expires_at: None,
        },
        secret: secret.expose().to_owned(),
    })
}

/// `merchant`'s endpoints that are not deleted, oldest first.
pub async fn list_endpoints(
    pool: &Pool,
    merchant: &MerchantId,
) -> Result<Vec<Endpoint>, WebhookError> {
    let rows = sqlx::query(
        "SELECT * FROM webhook_endpoints WHERE merchant_id = $1 AND deleted_at IS NULL
         ORDER BY created_at, id",
    )
    .bind(merchant.as_str())
    .fetch_all(pool)
    .await?;
    rows.iter().map(endpoint_from_row).collect()
}

/// Deletes `merchant`'s endpoint `id`: it gets no new events, and its pending deliveries
/// are failed (an attempt already under way may still finish).
pub async fn delete_endpoint(
    pool: &Pool,
    merchant: &MerchantId,
    id: &EndpointId,
) -> Result<(), WebhookError> {
    let mut tx = crate::database::begin(pool).await?;
    let deleted = sqlx::query(
        "UPDATE webhook_endpoints SET deleted_at = $1
         WHERE id = $2 AND merchant_id = $3 AND deleted_at IS NULL",
    )
    .bind(now_unix())
    .bind(id.as_str())
    .bind(merchant.as_str())
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if deleted == 0 {
        return Err(WebhookError::EndpointNotFound);
    }
    sqlx::query("UPDATE webhook_deliveries SET state = 'failed' WHERE endpoint_id = $1 AND state = 'pending'")
        .bind(id.as_str())
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// A new secret for `merchant`'s endpoint `id`; the current one keeps signing beside it
/// for `grace_seconds` (default 24 h, at most 7 days; 0 drops it at once). A secret
/// rotated out earlier and still in its grace period is dropped.
pub async fn rotate_secret(
    pool: &Pool,
    sealer: &ResponseSealer,
    merchant: &MerchantId,
    id: &EndpointId,
    request: RotateSecret,
) -> Result<EndpointWithSecret, WebhookError> {
    let grace = request.grace_seconds.unwrap_or(DEFAULT_GRACE_SECONDS);
    if grace > MAX_GRACE_SECONDS {
        return Err(WebhookError::GraceTooLong);
    }
    let secret = EndpointSecret::generate()?;
    let sealed = secret.seal(sealer, id)?;
    let expires_at = (grace > 0).then(|| now_unix() + i64::from(grace));
    let row = sqlx::query(
        "UPDATE webhook_endpoints
         SET previous_secret_sealed = CASE WHEN $1 IS NULL THEN NULL ELSE secret_sealed END,
             previous_secret_expires_at = $1,
             secret_sealed = $2
         WHERE id = $3 AND merchant_id = $4 AND deleted_at IS NULL
         RETURNING *",
    )
    .bind(expires_at)
    .bind(sealed)
    .bind(id.as_str())
    .bind(merchant.as_str())
    .fetch_optional(pool)
    .await?
    .ok_or(WebhookError::EndpointNotFound)?;
    Ok(EndpointWithSecret {
        endpoint: endpoint_from_row(&row)?,
        secret: secret.expose().to_owned(),
    })
}

pub(super) fn events_json(events: &[EventType]) -> Result<String, WebhookError> {
    serde_json::to_string(events).map_err(|e| StoreError::Corrupt(e.to_string()).into())
}

pub(super) fn parse_events(text: &str) -> Result<Vec<EventType>, WebhookError> {
    serde_json::from_str(text)
        .map_err(|e| StoreError::Corrupt(format!("endpoint events: {e}")).into())
}

fn corrupt(what: &str) -> WebhookError {
    StoreError::Corrupt(format!("webhook endpoint: {what}")).into()
}

fn endpoint_from_row(row: &DbRow) -> Result<Endpoint, WebhookError> {
    let id: String = row.try_get("id")?;
    let url: String = row.try_get("url")?;
    let events: String = row.try_get("events")?;
    Ok(Endpoint {
        id: id.parse().map_err(|_| corrupt("id"))?,
        url: EndpointUrl::try_from(url).map_err(|_| corrupt("url"))?,
        events: parse_events(&events)?,
        created_at: row.try_get("created_at")?,
        previous_secret_expires_at: row
            .try_get::<Option<i64>, _>("previous_secret_expires_at")?
            .filter(|at| *at > now_unix()),
    })
}
