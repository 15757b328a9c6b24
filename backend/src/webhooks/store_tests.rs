//! The webhook store: events recorded in the caller's transaction, their deliveries, the
//! event log and redelivery, each scoped by merchant.

use shared::webhooks::{DeliveryState, Event, EventType};

use super::test_support::{delivered_to, endpoint, fixture, merchant, one, payment, record};
use super::*;

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
        let sql = "SELECT sequence FROM events WHERE id = $1";
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
    let body: String = one(
        &f.pool,
        "SELECT body FROM events WHERE id = $1",
        id.as_str(),
    )
    .await?;
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
    let mut tx = crate::database::begin(&f.pool)
        .await
        .map_err(|e| e.to_string())?;
    record_event(&mut tx, &a, EventType::Authorised, 1, &payment(1)?)
        .await
        .map_err(|e| e.to_string())?;
    tx.rollback().await.map_err(|e| e.to_string())?;
    let events: i64 = one(
        &f.pool,
        "SELECT COUNT(*) FROM events WHERE $1 IS NOT NULL",
        "x",
    )
    .await?;
    let deliveries: i64 = one(
        &f.pool,
        "SELECT COUNT(*) FROM webhook_deliveries WHERE $1 IS NOT NULL",
        "x",
    )
    .await?;
    assert_eq!((events, deliveries), (0, 0));
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
        "SELECT COUNT(*) FROM webhook_deliveries WHERE event_id = $1 AND attempts = 0 AND give_up_at_ms = 0",
        event.as_str(),
    )
    .await?;
    assert_eq!(reset, 2);
    Ok(())
}
