//! The worker against a tiny receiver on loopback: signed deliveries verified with the
//! `standardwebhooks` crate, retries, rotation, the SSRF rule, redirects, timeouts and the
//! retry window.

use shared::webhooks::{DeliveryState, RotateSecret};

use super::delivery_support::{config, setup, state, verify};
use super::test_support::receiver;
use super::*;

#[tokio::test]
async fn an_event_is_delivered_signed_once_and_never_sent_again() -> Result<(), String> {
    let (base, rx) = receiver(&[]).await?;
    let s = setup(&format!("{base}/hook"), config(true)).await?;
    let event = s.record().await?;
    let shown = s
        .until(&event, |e| state(e) == Some(DeliveryState::Delivered))
        .await?;
    let got = rx.all();
    let request = got.first().ok_or("nothing received")?;
    assert!(verify(&s.endpoint.secret, request), "{:?}", request.headers);
    assert_eq!(request.path, "/hook");
    let body: String = sqlx::query_scalar("SELECT body FROM events WHERE id = $1")
        .bind(event.as_str())
        .fetch_one(&s.f.pool)
        .await
        .map_err(|e| e.to_string())?;
    assert_eq!(
        request.body.as_ref(),
        body.as_bytes(),
        "the stored body, byte for byte"
    );
    assert_eq!(
        request.headers.get("webhook-id").map(|v| v.as_bytes()),
        Some(event.as_str().as_bytes())
    );
    assert_eq!(
        request.headers.get("content-type").map(|v| v.as_bytes()),
        Some(b"application/json".as_slice())
    );
    let attempts = shown
        .deliveries
        .first()
        .map(|d| d.attempts.clone())
        .unwrap_or_default();
    assert_eq!(
        attempts.iter().map(|a| a.http_status).collect::<Vec<_>>(),
        vec![Some(200)]
    );

    assert_eq!(s.worker.drain().await.map_err(|e| e.to_string())?, 0);
    redeliver(&s.f.pool, &s.merchant, &event)
        .await
        .map_err(|e| e.to_string())?;
    s.until(&event, |e| state(e) == Some(DeliveryState::Delivered))
        .await?;
    assert_eq!(rx.count(), 2, "sent again only when redelivered");
    Ok(())
}

#[tokio::test]
async fn a_receiver_answering_500_gets_the_event_on_a_retry() -> Result<(), String> {
    let (base, rx) = receiver(&[500, 503]).await?;
    let s = setup(&format!("{base}/hook"), config(true)).await?;
    let event = s.record().await?;
    let shown = s
        .until(&event, |e| state(e) == Some(DeliveryState::Delivered))
        .await?;
    let statuses: Vec<_> = shown
        .deliveries
        .iter()
        .flat_map(|d| d.attempts.iter().map(|a| a.http_status))
        .collect();
    assert_eq!(statuses, vec![Some(500), Some(503), Some(200)]);
    assert!(rx.all().iter().all(|r| verify(&s.endpoint.secret, r)));
    Ok(())
}

#[tokio::test]
async fn during_the_grace_period_both_the_old_and_the_new_secret_verify() -> Result<(), String> {
    let (base, rx) = receiver(&[]).await?;
    let s = setup(&format!("{base}/hook"), config(true)).await?;
    let id = s.endpoint.endpoint.id.clone();
    let rotated = rotate_secret(
        &s.f.pool,
        &s.f.sealer,
        &s.merchant,
        &id,
        RotateSecret::default(),
    )
    .await
    .map_err(|e| e.to_string())?;
    let event = s.record().await?;
    s.until(&event, |e| state(e) == Some(DeliveryState::Delivered))
        .await?;
    let got = rx.all();
    let request = got.first().ok_or("nothing received")?;
    assert!(verify(&rotated.secret, request), "new secret");
    assert!(
        verify(&s.endpoint.secret, request),
        "old secret, in its grace period"
    );

    let at_once = RotateSecret {
        grace_seconds: Some(0),
    };
    let latest = rotate_secret(&s.f.pool, &s.f.sealer, &s.merchant, &id, at_once)
        .await
        .map_err(|e| e.to_string())?;
    redeliver(&s.f.pool, &s.merchant, &event)
        .await
        .map_err(|e| e.to_string())?;
    s.until(&event, |e| state(e) == Some(DeliveryState::Delivered))
        .await?;
    let got = rx.all();
    let request = got.get(1).ok_or("not received again")?;
    assert!(verify(&latest.secret, request));
    assert!(
        !verify(&rotated.secret, request),
        "no grace asked: the old one is gone"
    );
    Ok(())
}

#[tokio::test]
async fn a_loopback_endpoint_is_never_contacted_unless_private_addresses_are_allowed()
-> Result<(), String> {
    let (base, rx) = receiver(&[]).await?;
    let port = base.rsplit(':').next().ok_or("port")?;
    for (url, refused) in [
        (format!("{base}/hook"), super::delivery::NOT_PUBLIC),
        (
            format!("http://localhost:{port}/hook"),
            super::delivery::NOT_PUBLIC,
        ),
        (
            format!("http://[::ffff:127.0.0.1]:{port}/hook"),
            super::delivery::NOT_PUBLIC,
        ),
    ] {
        let s = setup(&url, config(false)).await?;
        let (shown, attempt) = s.first_attempt().await?;
        let error = attempt.error.clone().unwrap_or_default();
        assert!(error.starts_with(refused), "{url}: {error}");
        assert_eq!(attempt.http_status, None);
        assert_eq!(
            state(&shown),
            Some(DeliveryState::Pending),
            "retried like any failure"
        );
    }
    assert_eq!(rx.count(), 0);
    Ok(())
}

#[tokio::test]
async fn redirects_are_not_followed_and_timeouts_are_failed_attempts() -> Result<(), String> {
    let (base, rx) = receiver(&[]).await?;
    for (path, expect_status, expect_error) in [
        ("redirect", Some(307), ""),
        ("hang", None, "timed out after 500 ms"),
    ] {
        let s = setup(&format!("{base}/{path}"), config(true)).await?;
        let (shown, attempt) = s.first_attempt().await?;
        assert_eq!(attempt.http_status, expect_status, "{path}");
        assert_eq!(
            attempt.error.clone().unwrap_or_default(),
            expect_error,
            "{path}"
        );
        assert_eq!(state(&shown), Some(DeliveryState::Pending), "{path}");
    }
    assert_eq!(rx.count(), 0, "the redirect's target was never asked");
    Ok(())
}

#[tokio::test]
async fn a_delivery_still_failing_when_its_retry_window_closes_is_failed() -> Result<(), String> {
    let (base, rx) = receiver(&[500; 50]).await?;
    let short = WebhookConfig {
        retry_window: Duration::from_millis(50),
        ..config(true)
    };
    let s = setup(&format!("{base}/hook"), short).await?;
    let event = s.record().await?;
    let shown = s
        .until(&event, |e| state(e) == Some(DeliveryState::Failed))
        .await?;
    assert!(rx.count() >= 1);
    assert_eq!(
        shown.deliveries.first().and_then(|d| d.next_attempt_at_ms),
        None
    );
    assert_eq!(s.worker.drain().await.map_err(|e| e.to_string())?, 0);
    Ok(())
}
