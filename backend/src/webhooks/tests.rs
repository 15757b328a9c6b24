//! The webhook store: events, deliveries, endpoints and the event log, each scoped by
//! merchant.

use shared::webhooks::{CreateEndpoint, DeliveryState, Event, EventType, RotateSecret};
use shared::{EndpointId, EventId, MerchantId};
use sqlx::SqlitePool;

use super::test_support::{Fixture, fixture, merchant, payment};
use super::*;
use crate::payments::now_unix;

fn request(events: Option<Vec<EventType>>) -> Result<CreateEndpoint, String> {
    Ok(CreateEndpoint {
        url: "https://shop.example/hook"
            .to_owned()
            .try_into()
            .map_err(|_| "url")?,
        events,
    })
}

async fn endpoint(
    f: &Fixture,
    merchant: &MerchantId,
    events: Option<Vec<EventType>>,
) -> Result<EndpointId, String> {
    let created = create_endpoint(&f.pool, &f.sealer, merchant, &request(events)?)
        .await
        .map_err(|e| e.to_string())?;
    Ok(created.endpoint.id)
}

async fn record(
    pool: &SqlitePool,
    merchant: &MerchantId,
    kind: EventType,
    byte: u8,
) -> Result<EventId, String> {
    let mut conn = pool.acquire().await.map_err(|e| e.to_string())?;
    record_event(&mut conn, merchant, kind, 2500, &payment(byte)?)
        .await
        .map_err(|e| e.to_string())
}

async fn one<T>(pool: &SqlitePool, sql: &str, id: &str) -> Result<T, String>
where
    T: for<'r> sqlx::Decode<'r, sqlx::Sqlite> + sqlx::Type<sqlx::Sqlite> + Send + Unpin,
{
    sqlx::query_scalar(sql)
        .bind(id)
        .fetch_one(pool)
        .await
        .map_err(|e| e.to_string())
}

async fn delivered_to(pool: &SqlitePool, event: &EventId) -> Result<Vec<String>, String> {
    sqlx::query_scalar(
        "SELECT endpoint_id FROM webhook_deliveries WHERE event_id = ? ORDER BY endpoint_id",
    )
    .bind(event.as_str())
    .fetch_all(pool)
    .await
    .map_err(|e| e.to_string())
}

#[tokio::test]
async fn events_are_numbered_per_payment_and_owed_to_each_subscribed_endpoint_only()
-> Result<(), String> {
    let f = fixture().await?;
    let (a, b) = (merchant(&f.pool, 1).await?, merchant(&f.pool, 2).await?);
    let all = endpoint(&f, &a, None).await?;
    let captures = endpoint(&f, &a, Some(vec![EventType::Captured])).await?;
    let gone = endpoint(&f, &a, None).await?;
    delete_endpoint(&f.pool, &a, &gone)
        .await
        .map_err(|e| e.to_string())?;
    let _other_merchants = endpoint(&f, &b, None).await?;

    let authorised = record(&f.pool, &a, EventType::Authorised, 7).await?;
    let captured = record(&f.pool, &a, EventType::Captured, 7).await?;
    let elsewhere = record(&f.pool, &a, EventType::Authorised, 8).await?;

    assert_eq!(
        delivered_to(&f.pool, &authorised).await?,
        vec![all.to_string()]
    );
    let mut both = vec![all.to_string(), captures.to_string()];
    both.sort();
    assert_eq!(delivered_to(&f.pool, &captured).await?, both);
    let mut sequences = Vec::new();
    for id in [&authorised, &captured, &elsewhere] {
        let sql = "SELECT sequence FROM events WHERE id = ?";
        sequences.push(one::<i64>(&f.pool, sql, id.as_str()).await?);
    }
    assert_eq!(sequences, vec![1, 2, 1]);
    Ok(())
}

#[tokio::test]
async fn the_stored_body_is_the_event_serialised_once_without_the_client_secret()
-> Result<(), String> {
    let f = fixture().await?;
    let a = merchant(&f.pool, 1).await?;
    let id = record(&f.pool, &a, EventType::Refunded, 3).await?;
    let body: String = one(&f.pool, "SELECT body FROM events WHERE id = ?", id.as_str()).await?;
    let event: Event = serde_json::from_str(&body).map_err(|e| e.to_string())?;
    assert_eq!(
        serde_json::to_string(&event).map_err(|e| e.to_string())?,
        body
    );
    assert_eq!(
        (event.id, event.kind, event.amount),
        (id, EventType::Refunded, 2500)
    );
    assert!(!body.contains("cs_secret"), "{body}");
    assert!(event.payment.client_secret.is_none());
    Ok(())
}

#[tokio::test]
async fn an_event_is_written_only_if_the_callers_transaction_commits() -> Result<(), String> {
    let f = fixture().await?;
    let a = merchant(&f.pool, 1).await?;
    endpoint(&f, &a, None).await?;
    let mut tx = f.pool.begin().await.map_err(|e| e.to_string())?;
    record_event(&mut tx, &a, EventType::Authorised, 1, &payment(1)?)
        .await
        .map_err(|e| e.to_string())?;
    tx.rollback().await.map_err(|e| e.to_string())?;
    let events: i64 = one(
        &f.pool,
        "SELECT COUNT(*) FROM events WHERE ? IS NOT NULL",
        "x",
    )
    .await?;
    let deliveries: i64 = one(
        &f.pool,
        "SELECT COUNT(*) FROM webhook_deliveries WHERE ? IS NOT NULL",
        "x",
    )
    .await?;
    assert_eq!((events, deliveries), (0, 0));
    Ok(())
}

#[tokio::test]
async fn another_merchants_endpoint_is_not_found_and_unchanged() -> Result<(), String> {
    let f = fixture().await?;
    let (a, b) = (merchant(&f.pool, 1).await?, merchant(&f.pool, 2).await?);
    let id = endpoint(&f, &a, None).await?;
    assert!(
        list_endpoints(&f.pool, &b)
            .await
            .map_err(|e| e.to_string())?
            .is_empty()
    );
    assert!(matches!(
        delete_endpoint(&f.pool, &b, &id).await,
        Err(WebhookError::EndpointNotFound)
    ));
    assert!(matches!(
        rotate_secret(&f.pool, &f.sealer, &b, &id, RotateSecret::default()).await,
        Err(WebhookError::EndpointNotFound)
    ));
    let listed = list_endpoints(&f.pool, &a)
        .await
        .map_err(|e| e.to_string())?;
    assert_eq!(listed.len(), 1);
    assert_eq!(
        listed.first().map(|e| e.previous_secret_expires_at),
        Some(None)
    );
    Ok(())
}

#[tokio::test]
async fn an_endpoint_needs_at_least_one_event_and_lists_each_once() -> Result<(), String> {
    let f = fixture().await?;
    let a = merchant(&f.pool, 1).await?;
    let empty = create_endpoint(&f.pool, &f.sealer, &a, &request(Some(vec![]))?).await;
    assert!(matches!(empty, Err(WebhookError::NoEvents)));
    let twice = Some(vec![EventType::Failed, EventType::Failed]);
    let created = create_endpoint(&f.pool, &f.sealer, &a, &request(twice)?)
        .await
        .map_err(|e| e.to_string())?;
    assert_eq!(created.endpoint.events, vec![EventType::Failed]);
    assert!(created.secret.starts_with("whsec_"));
    let all = endpoint(&f, &a, None).await?;
    let listed = list_endpoints(&f.pool, &a)
        .await
        .map_err(|e| e.to_string())?;
    assert_eq!(listed.len(), 2);
    assert!(
        listed
            .iter()
            .any(|e| e.id == all && e.events == EventType::ALL.to_vec())
    );
    Ok(())
}

#[tokio::test]
async fn rotating_keeps_the_old_secret_for_the_grace_period_of_at_most_seven_days()
-> Result<(), String> {
    let f = fixture().await?;
    let a = merchant(&f.pool, 1).await?;
    let created = create_endpoint(&f.pool, &f.sealer, &a, &request(None)?)
        .await
        .map_err(|e| e.to_string())?;
    let id = created.endpoint.id.clone();
    let too_long = RotateSecret {
        grace_seconds: Some(MAX_GRACE_SECONDS + 1),
    };
    let refused = rotate_secret(&f.pool, &f.sealer, &a, &id, too_long).await;
    assert!(matches!(refused, Err(WebhookError::GraceTooLong)));

    let rotated = rotate_secret(&f.pool, &f.sealer, &a, &id, RotateSecret::default())
        .await
        .map_err(|e| e.to_string())?;
    assert_ne!(rotated.secret, created.secret);
    let expires = rotated
        .endpoint
        .previous_secret_expires_at
        .ok_or("no grace")?;
    let expected = now_unix() + i64::from(DEFAULT_GRACE_SECONDS);
    assert!((expected - 5..=expected).contains(&expires), "{expires}");
    let previous: Vec<u8> = one(
        &f.pool,
        "SELECT previous_secret_sealed FROM webhook_endpoints WHERE id = ?",
        id.as_str(),
    )
    .await?;
    let opened = EndpointSecret::open(&f.sealer, &id, &previous).map_err(|e| e.to_string())?;
    assert_eq!(opened.expose(), created.secret);

    let at_once = RotateSecret {
        grace_seconds: Some(0),
    };
    let rotated = rotate_secret(&f.pool, &f.sealer, &a, &id, at_once)
        .await
        .map_err(|e| e.to_string())?;
    assert_eq!(rotated.endpoint.previous_secret_expires_at, None);
    Ok(())
}

#[tokio::test]
async fn a_deleted_endpoint_gets_nothing_more_and_its_pending_deliveries_stop() -> Result<(), String>
{
    let f = fixture().await?;
    let a = merchant(&f.pool, 1).await?;
    let id = endpoint(&f, &a, None).await?;
    let before = record(&f.pool, &a, EventType::Authorised, 1).await?;
    delete_endpoint(&f.pool, &a, &id)
        .await
        .map_err(|e| e.to_string())?;
    let after = record(&f.pool, &a, EventType::Captured, 1).await?;
    assert!(delivered_to(&f.pool, &after).await?.is_empty());
    let shown = get_event(&f.pool, &a, &before)
        .await
        .map_err(|e| e.to_string())?;
    assert_eq!(
        shown.deliveries.first().map(|d| d.state),
        Some(DeliveryState::Failed)
    );
    assert!(
        list_endpoints(&f.pool, &a)
            .await
            .map_err(|e| e.to_string())?
            .is_empty()
    );
    assert!(matches!(
        delete_endpoint(&f.pool, &a, &id).await,
        Err(WebhookError::EndpointNotFound)
    ));
    Ok(())
}

#[tokio::test]
async fn the_event_log_shows_a_merchant_only_its_own_events() -> Result<(), String> {
    let f = fixture().await?;
    let (a, b) = (merchant(&f.pool, 1).await?, merchant(&f.pool, 2).await?);
    let first = record(&f.pool, &a, EventType::Authorised, 1).await?;
    let second = record(&f.pool, &a, EventType::Authorised, 2).await?;
    let theirs = record(&f.pool, &b, EventType::Authorised, 3).await?;
    let ids = |events: Vec<Event>| events.into_iter().map(|e| e.id).collect::<Vec<_>>();
    let mine = list_events(&f.pool, &a, None)
        .await
        .map_err(|e| e.to_string())?;
    assert_eq!(
        ids(mine),
        vec![second.clone(), first.clone()],
        "newest first"
    );
    let of_one = list_events(&f.pool, &a, Some(&payment(1)?.id))
        .await
        .map_err(|e| e.to_string())?;
    assert_eq!(ids(of_one), vec![first]);
    let of_theirs = list_events(&f.pool, &a, Some(&payment(3)?.id))
        .await
        .map_err(|e| e.to_string())?;
    assert!(of_theirs.is_empty());
    assert!(matches!(
        get_event(&f.pool, &a, &theirs).await,
        Err(WebhookError::EventNotFound)
    ));
    assert!(matches!(
        redeliver(&f.pool, &a, &theirs).await,
        Err(WebhookError::EventNotFound)
    ));
    Ok(())
}

#[tokio::test]
async fn redelivering_makes_every_delivery_pending_again_and_adds_new_endpoints()
-> Result<(), String> {
    let f = fixture().await?;
    let a = merchant(&f.pool, 1).await?;
    let old = endpoint(&f, &a, None).await?;
    let event = record(&f.pool, &a, EventType::Authorised, 1).await?;
    sqlx::query(
        "UPDATE webhook_deliveries SET state = 'delivered', attempts = 3, give_up_at_ms = 5",
    )
    .execute(&f.pool)
    .await
    .map_err(|e| e.to_string())?;
    let new = endpoint(&f, &a, None).await?;
    let _not_subscribed = endpoint(&f, &a, Some(vec![EventType::Refunded])).await?;
    let shown = redeliver(&f.pool, &a, &event)
        .await
        .map_err(|e| e.to_string())?;
    let mut endpoints: Vec<_> = shown
        .deliveries
        .iter()
        .map(|d| d.endpoint_id.clone())
        .collect();
    endpoints.sort_by(|x, y| x.as_str().cmp(y.as_str()));
    let mut expected = vec![old, new];
    expected.sort_by(|x, y| x.as_str().cmp(y.as_str()));
    assert_eq!(endpoints, expected);
    assert!(
        shown
            .deliveries
            .iter()
            .all(|d| d.state == DeliveryState::Pending)
    );
    let reset: i64 = one(
        &f.pool,
        "SELECT COUNT(*) FROM webhook_deliveries WHERE event_id = ? AND attempts = 0 AND give_up_at_ms = 0",
        event.as_str(),
    )
    .await?;
    assert_eq!(reset, 2);
    Ok(())
}
