//! The worker as the app runs it: woken after events are recorded, and a receiver that is
//! down is a failed attempt like any other.

use std::time::{Duration, Instant};

use shared::EventId;
use shared::webhooks::DeliveryState;

use super::delivery_support::{Setup, config, setup, state};
use super::test_support::receiver;
use super::*;

/// Polls the event log (without draining) until the event is delivered.
async fn delivered(s: &Setup, event: &EventId) -> Result<(), String> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let shown = get_event(&s.f.pool, &s.merchant, event)
            .await
            .map_err(|e| e.to_string())?;
        if state(&shown) == Some(DeliveryState::Delivered) {
            return Ok(());
        }
        if Instant::now() > deadline {
            return Err(format!("not delivered: {shown:?}"));
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

#[tokio::test]
async fn the_running_worker_delivers_when_woken_without_waiting_for_its_poll() -> Result<(), String>
{
    let (base, rx) = receiver(&[]).await?;
    let slow_poll = WebhookConfig {
        poll: Duration::from_secs(3600),
        ..config(true)
    };
    let s = setup(&format!("{base}/hook"), slow_poll).await?;
    let running = tokio::spawn(s.worker.clone().run());
    for _ in 0..2 {
        let event = s.record().await?;
        s.wake.notify_one();
        delivered(&s, &event).await?;
    }
    running.abort();
    assert_eq!(rx.count(), 2);
    Ok(())
}

#[tokio::test]
async fn a_receiver_that_is_down_is_a_failed_attempt_retried_later() -> Result<(), String> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| e.to_string())?;
    let address = listener.local_addr().map_err(|e| e.to_string())?;
    drop(listener);
    let s = setup(&format!("http://{address}/hook"), config(true)).await?;
    let (shown, attempt) = s.first_attempt().await?;
    let error = attempt.error.clone().unwrap_or_default();
    assert!(error.starts_with("connection failed"), "{error}");
    assert_eq!(attempt.http_status, None);
    assert_eq!(state(&shown), Some(DeliveryState::Pending));
    Ok(())
}
