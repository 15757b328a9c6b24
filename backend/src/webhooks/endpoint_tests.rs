//! Webhook endpoints: created, listed, rotated and deleted, each scoped by merchant.

use shared::webhooks::{DeliveryState, EventType, RotateSecret};

use super::test_support::{delivered_to, endpoint, fixture, merchant, one, record, request};
use super::*;
use crate::payments::now_unix;

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
        "SELECT previous_secret_sealed FROM webhook_endpoints WHERE id = $1",
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
async fn a_merchant_has_at_most_sixteen_live_endpoints() -> Result<(), String> {
    let f = fixture().await?;
    let (a, b) = (merchant(&f.pool, 1).await?, merchant(&f.pool, 2).await?);
    let mut ids = Vec::new();
    for _ in 0..MAX_ENDPOINTS {
        ids.push(endpoint(&f, &a, None).await?);
    }
    assert!(matches!(
        create_endpoint(&f.pool, &f.sealer, &a, &request(None)?).await,
        Err(WebhookError::TooManyEndpoints)
    ));
    // Another merchant's are its own; a deleted one makes room.
    endpoint(&f, &b, None).await?;
    let first = ids.first().ok_or("no endpoint")?;
    delete_endpoint(&f.pool, &a, first)
        .await
        .map_err(|e| e.to_string())?;
    endpoint(&f, &a, None).await?;
    Ok(())
}
