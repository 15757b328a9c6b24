//! Events and their deliveries: [`record_event`] writes an event and its deliveries inside
//! the caller's transaction (the webhook outbox); the event log reads them back and
//! [`redeliver`] sends one again. Scoped by merchant: another merchant's event is
//! [`WebhookError::EventNotFound`].
//!
//! A delivery's `give_up_at_ms` is 0 until its first attempt: the retry window is the
//! worker's setting and starts when the worker first leases it.

use shared::merchant::MerchantPayment;
use shared::webhooks::{
    Delivery, DeliveryAttempt, DeliveryState, Event, EventType, EventWithDeliveries,
};
use shared::{EventId, MerchantId, PaymentId};
use sqlx::Row;

use crate::database::{Conn, Pool};

use super::endpoints::parse_events;
use super::{WebhookError, now_ms};
use crate::keys;
use crate::payments::{StoreError, now_unix};

/// The most events [`list_events`] returns, newest first.
pub const EVENT_LIST_LIMIT: i64 = 500;

/// Records that `kind` happened to `payment` (as the merchant now sees it; `amount` is
/// this capture's or refund's own amount, the payment's otherwise) and owes it to every
/// endpoint of `merchant` subscribed to `kind`. Call it inside the transaction of the
/// change that causes it, then wake the worker after the commit.
pub async fn record_event(
    conn: &mut Conn,
    merchant: &MerchantId,
    kind: EventType,
    amount: u32,
    payment: &MerchantPayment,
) -> Result<EventId, StoreError> {
    let random = |e: keys::KeyError| StoreError::Corrupt(e.to_string());
    let id = EventId::from_random(keys::random_bytes::<16>().map_err(random)?);
    let sequence: i64 = sqlx::query_scalar(
        "SELECT COALESCE(MAX(sequence), 0) + 1 FROM events WHERE payment_id = $1",
    )
    .bind(payment.id.as_str())
    .fetch_one(&mut *conn)
    .await?;
    let created = now_unix();
    let event = Event {
        id: id.clone(),
        kind,
        created,
        sequence,
        amount,
        payment: MerchantPayment {
            client_secret: None,
            ..payment.clone()
        },
    };
    let body = serde_json::to_string(&event).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    sqlx::query(
        "INSERT INTO events (id, merchant_id, payment_id, type, sequence, body, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(id.as_str())
    .bind(merchant.as_str())
    .bind(payment.id.as_str())
    .bind(kind.as_str())
    .bind(sequence)
    .bind(&body)
    .bind(created)
    .execute(&mut *conn)
    .await?;
    for endpoint in subscribed(conn, merchant, kind).await? {
        insert_delivery(conn, &id, &endpoint).await?;
    }
    Ok(id)
}

/// A pending delivery of `event` to `endpoint`, due now, unless it has one.
async fn insert_delivery(
    conn: &mut Conn,
    event: &EventId,
    endpoint: &str,
) -> Result<(), StoreError> {
    let delivery = keys::random_hex::<16>().map_err(|e| StoreError::Corrupt(e.to_string()))?;
    sqlx::query(
        "INSERT INTO webhook_deliveries
            (id, event_id, endpoint_id, state, attempts, next_attempt_at_ms, give_up_at_ms, created_at)
         VALUES ($1, $2, $3, 'pending', 0, $4, 0, $5)
         ON CONFLICT (event_id, endpoint_id) DO NOTHING",
    )
    .bind(format!("dlv_{delivery}"))
    .bind(event.as_str())
    .bind(endpoint)
    .bind(now_ms())
    .bind(now_unix())
    .execute(conn)
    .await?;
    Ok(())
}

/// Ids of `merchant`'s endpoints, not deleted, subscribed to `kind`.
async fn subscribed(
    conn: &mut Conn,
    merchant: &MerchantId,
    kind: EventType,
) -> Result<Vec<String>, StoreError> {
    let rows = sqlx::query(
        "SELECT id, events FROM webhook_endpoints WHERE merchant_id = $1 AND deleted_at IS NULL",
    )
    .bind(merchant.as_str())
    .fetch_all(&mut *conn)
    .await?;
    let mut ids = Vec::new();
    for row in rows {
        let events: String = row.try_get("events")?;
        let kinds = parse_events(&events).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        if kinds.contains(&kind) {
            ids.push(row.try_get("id")?);
        }
    }
    Ok(ids)
}

/// `merchant`'s events, of one payment if given, newest first (at most
/// [`EVENT_LIST_LIMIT`]).
pub async fn list_events(
    pool: &Pool,
    merchant: &MerchantId,
    payment: Option<&PaymentId>,
) -> Result<Vec<Event>, WebhookError> {
    let bodies: Vec<String> = sqlx::query_scalar(
        "SELECT body FROM events WHERE merchant_id = $1 AND ($2 IS NULL OR payment_id = $2)
         ORDER BY created_at DESC, rowid DESC LIMIT $3",
    )
    .bind(merchant.as_str())
    .bind(payment.map(PaymentId::as_str))
    .bind(EVENT_LIST_LIMIT)
    .fetch_all(pool)
    .await?;
    bodies.iter().map(|body| parse_event(body)).collect()
}

/// `merchant`'s event `id` with every delivery and attempt.
pub async fn get_event(
    pool: &Pool,
    merchant: &MerchantId,
    id: &EventId,
) -> Result<EventWithDeliveries, WebhookError> {
    let body: String =
        sqlx::query_scalar("SELECT body FROM events WHERE id = $1 AND merchant_id = $2")
            .bind(id.as_str())
            .bind(merchant.as_str())
            .fetch_optional(pool)
            .await?
            .ok_or(WebhookError::EventNotFound)?;
    let rows = sqlx::query(
        "SELECT id, endpoint_id, state, next_attempt_at_ms FROM webhook_deliveries
         WHERE event_id = $1 ORDER BY created_at, rowid",
    )
    .bind(id.as_str())
    .fetch_all(pool)
    .await?;
    let mut deliveries = Vec::new();
    for row in rows {
        let delivery_id: String = row.try_get("id")?;
        let endpoint: String = row.try_get("endpoint_id")?;
        let state = match row.try_get::<String, _>("state")?.as_str() {
            "pending" => DeliveryState::Pending,
            "delivered" => DeliveryState::Delivered,
            "failed" => DeliveryState::Failed,
            other => return Err(corrupt(&format!("delivery state {other}"))),
        };
        deliveries.push(Delivery {
            endpoint_id: endpoint.parse().map_err(|_| corrupt("endpoint id"))?,
            state,
            attempts: attempts(pool, &delivery_id).await?,
            next_attempt_at_ms: (state == DeliveryState::Pending)
                .then(|| row.try_get("next_attempt_at_ms"))
                .transpose()?,
        });
    }
    Ok(EventWithDeliveries {
        event: parse_event(&body)?,
        deliveries,
    })
}

async fn attempts(pool: &Pool, delivery: &str) -> Result<Vec<DeliveryAttempt>, WebhookError> {
    let rows = sqlx::query(
        "SELECT at_ms, http_status, duration_ms, error FROM webhook_attempts
         WHERE delivery_id = $1 ORDER BY at_ms, rowid",
    )
    .bind(delivery)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|row| {
            let status: Option<i64> = row.try_get("http_status")?;
            Ok(DeliveryAttempt {
                at_ms: row.try_get("at_ms")?,
                http_status: status.and_then(|s| u16::try_from(s).ok()),
                duration_ms: row.try_get("duration_ms")?,
                error: row.try_get("error")?,
            })
        })
        .collect()
}

/// Sends `merchant`'s event `id` again: each delivery to an endpoint that is not deleted
/// (delivered, failed or pending) becomes pending, due now, with a fresh retry window;
/// endpoints subscribed to its type now that had no delivery of it get one. Wake the
/// worker afterwards.
pub async fn redeliver(
    pool: &Pool,
    merchant: &MerchantId,
    id: &EventId,
) -> Result<EventWithDeliveries, WebhookError> {
    let mut tx = crate::database::begin(pool).await?;
    let kind: String =
        sqlx::query_scalar("SELECT type FROM events WHERE id = $1 AND merchant_id = $2")
            .bind(id.as_str())
            .bind(merchant.as_str())
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(WebhookError::EventNotFound)?;
    let kind: EventType = kind.parse().map_err(|_| corrupt("event type"))?;
    sqlx::query(
        "UPDATE webhook_deliveries
         SET state = 'pending', attempts = 0, next_attempt_at_ms = $1, give_up_at_ms = 0,
             delivered_at = NULL
         WHERE event_id = $2 AND endpoint_id IN
             (SELECT id FROM webhook_endpoints WHERE deleted_at IS NULL)",
    )
    .bind(now_ms())
    .bind(id.as_str())
    .execute(&mut *tx)
    .await?;
    for endpoint in subscribed(&mut tx, merchant, kind).await? {
        insert_delivery(&mut tx, id, &endpoint).await?;
    }
    tx.commit().await?;
    get_event(pool, merchant, id).await
}

fn parse_event(body: &str) -> Result<Event, WebhookError> {
    serde_json::from_str(body).map_err(|e| corrupt(&format!("event body: {e}")))
}

fn corrupt(what: &str) -> WebhookError {
    StoreError::Corrupt(format!("webhook store: {what}")).into()
}
