//! The worker's side of the webhook outbox: lease due deliveries (a compare-and-set on
//! `next_attempt_at_ms`, so two workers never send the same delivery at once, and a
//! crashed worker's lease simply runs out) and record each attempt and its verdict.

use shared::{EndpointId, EventId};
use sqlx::Row;

use crate::database::Pool;

use super::WebhookError;
use crate::payments::{StoreError, now_unix};

/// A delivery leased to this worker until `lease_until`, with what sending it needs.
pub(super) struct Leased {
    pub id: String,
    pub lease_until: i64,
    /// Attempts made before this one.
    pub attempts: i64,
    pub give_up_at_ms: i64,
    pub event_id: EventId,
    pub body: String,
    pub endpoint_id: EndpointId,
    pub url: String,
    pub secret_sealed: Vec<u8>,
    /// The rotated-out secret, while its grace period lasts.
    pub previous_secret_sealed: Option<Vec<u8>>,
}

/// How one attempt ended, and what to do next.
pub(super) struct Attempt {
    pub at_ms: i64,
    pub http_status: Option<u16>,
    pub duration_ms: i64,
    pub error: Option<String>,
}

pub(super) enum Verdict {
    Delivered,
    RetryAt(i64),
    Failed,
}

/// Leases up to `limit` due deliveries until `lease_until`; a delivery's retry window
/// (`window_ms`) starts at its first lease.
pub(super) async fn lease_due(
    pool: &Pool,
    now: i64,
    lease_until: i64,
    window_ms: i64,
    limit: i64,
) -> Result<Vec<Leased>, WebhookError> {
    let candidates = sqlx::query(
        "SELECT d.id, d.next_attempt_at_ms FROM webhook_deliveries d
         JOIN webhook_endpoints e ON e.id = d.endpoint_id
         WHERE d.state = 'pending' AND d.next_attempt_at_ms <= $1 AND e.deleted_at IS NULL
         ORDER BY d.next_attempt_at_ms LIMIT $2",
    )
    .bind(now)
    .bind(limit)
    .fetch_all(pool)
    .await?;
    let mut leased = Vec::new();
    for candidate in candidates {
        let id: String = candidate.try_get("id")?;
        let due_at: i64 = candidate.try_get("next_attempt_at_ms")?;
        let won = sqlx::query(
            "UPDATE webhook_deliveries
             SET next_attempt_at_ms = $1,
                 give_up_at_ms = CASE WHEN give_up_at_ms = 0 THEN $2 ELSE give_up_at_ms END
             WHERE id = $3 AND state = 'pending' AND next_attempt_at_ms = $4",
        )
        .bind(lease_until)
        .bind(now.saturating_add(window_ms))
        .bind(&id)
        .bind(due_at)
        .execute(pool)
        .await?
        .rows_affected();
        if won == 1 {
            // One unreadable delivery must not hold up the others: it is logged and left
            // leased (it comes round again when its lease runs out).
            match load(pool, id.clone(), lease_until).await {
                Ok(delivery) => leased.push(delivery),
                Err(error) => {
                    tracing::error!(delivery = %id, %error, "webhooks: unreadable delivery skipped")
                }
            }
        }
    }
    Ok(leased)
}

async fn load(pool: &Pool, id: String, lease_until: i64) -> Result<Leased, WebhookError> {
    let row = sqlx::query(
        "SELECT d.attempts, d.give_up_at_ms, d.event_id, ev.body, d.endpoint_id, e.url,
                e.secret_sealed, e.previous_secret_sealed, e.previous_secret_expires_at
         FROM webhook_deliveries d
         JOIN events ev ON ev.id = d.event_id
         JOIN webhook_endpoints e ON e.id = d.endpoint_id
         WHERE d.id = $1",
    )
    .bind(&id)
    .fetch_one(pool)
    .await?;
    let event: String = row.try_get("event_id")?;
    let endpoint: String = row.try_get("endpoint_id")?;
    let corrupt = |what: &str| StoreError::Corrupt(format!("webhook delivery {id}: {what}"));
    let previous_expires: Option<i64> = row.try_get("previous_secret_expires_at")?;
    let previous_live = previous_expires.is_some_and(|at| at > now_unix());
    Ok(Leased {
        attempts: row.try_get("attempts")?,
        give_up_at_ms: row.try_get("give_up_at_ms")?,
        event_id: event.parse().map_err(|_| corrupt("event id"))?,
        body: row.try_get("body")?,
        endpoint_id: endpoint.parse().map_err(|_| corrupt("endpoint id"))?,
        url: row.try_get("url")?,
        secret_sealed: row.try_get("secret_sealed")?,
        previous_secret_sealed: row
            .try_get::<Option<Vec<u8>>, _>("previous_secret_sealed")?
            .filter(|_| previous_live),
        id,
        lease_until,
    })
}

/// Records `attempt` and, while this worker still holds the lease, its verdict. The
/// attempt is recorded even when the lease was lost (it happened); `false` then.
pub(super) async fn finish(
    pool: &Pool,
    leased: &Leased,
    attempt: &Attempt,
    verdict: &Verdict,
) -> Result<bool, WebhookError> {
    let mut tx = crate::database::begin(pool).await?;
    sqlx::query(
        "INSERT INTO webhook_attempts (delivery_id, at_ms, http_status, duration_ms, error)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&leased.id)
    .bind(attempt.at_ms)
    .bind(attempt.http_status.map(i64::from))
    .bind(attempt.duration_ms)
    .bind(&attempt.error)
    .execute(&mut *tx)
    .await?;
    let (state, next, delivered_at) = match verdict {
        Verdict::Delivered => ("delivered", leased.lease_until, Some(now_unix())),
        Verdict::RetryAt(at) => ("pending", *at, None),
        Verdict::Failed => ("failed", leased.lease_until, None),
    };
    let updated = sqlx::query(
        "UPDATE webhook_deliveries
         SET state = $1, next_attempt_at_ms = $2, delivered_at = $3, attempts = attempts + 1
         WHERE id = $4 AND state = 'pending' AND next_attempt_at_ms = $5",
    )
    .bind(state)
    .bind(next)
    .bind(delivered_at)
    .bind(&leased.id)
    .bind(leased.lease_until)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    tx.commit().await?;
    Ok(updated == 1)
}

#[cfg(test)]
mod tests {
    use shared::webhooks::EventType;

    use super::*;
    use crate::webhooks::now_ms;
    use crate::webhooks::test_support::{endpoint, fixture, merchant, record};

    #[tokio::test]
    async fn a_leased_delivery_is_not_leased_again_until_its_lease_runs_out() -> Result<(), String>
    {
        let f = fixture().await?;
        let a = merchant(&f.pool, 1).await?;
        endpoint(&f, &a, None).await?;
        record(&f.pool, &a, EventType::Authorised, 1).await?;
        let now = now_ms();
        let lease = |at: i64, until: i64| lease_due(&f.pool, at, until, 60_000, 10);
        let first = lease(now, now + 1000).await.map_err(|e| e.to_string())?;
        assert_eq!(first.len(), 1);
        let again = lease(now + 999, now + 2000)
            .await
            .map_err(|e| e.to_string())?;
        assert!(again.is_empty(), "held by the first worker");
        let after = lease(now + 1000, now + 3000)
            .await
            .map_err(|e| e.to_string())?;
        assert_eq!(after.len(), 1, "a crashed worker's lease runs out");
        let stale = Attempt {
            at_ms: now,
            http_status: Some(200),
            duration_ms: 1,
            error: None,
        };
        let Some(old) = first.first() else {
            unreachable!()
        };
        let written = finish(&f.pool, old, &stale, &Verdict::Delivered)
            .await
            .map_err(|e| e.to_string())?;
        assert!(
            !written,
            "a lost lease records its attempt but not its verdict"
        );
        Ok(())
    }
}
