//! Test set-up for the worker: a merchant with one endpoint, a worker with shrunk
//! timings, and helpers to drain until a delivery reaches a state and to verify requests.

use std::sync::Arc;
use std::time::{Duration, Instant};

use shared::webhooks::{
    CreateEndpoint, DeliveryAttempt, DeliveryState, EndpointWithSecret, EventType,
    EventWithDeliveries,
};
use shared::{EventId, MerchantId};
use standardwebhooks::Webhook;
use tokio::sync::Notify;

use super::test_support::{Fixture, Received, fixture, merchant, payment};
use super::*;

pub fn config(allow_private_addresses: bool) -> WebhookConfig {
    WebhookConfig {
        timeout: Duration::from_millis(500),
        retry_window: Duration::from_secs(60),
        base_delay: Duration::from_millis(2),
        max_delay: Duration::from_millis(10),
        poll: Duration::from_millis(10),
        allow_private_addresses,
    }
}

pub struct Setup {
    pub f: Fixture,
    pub merchant: MerchantId,
    pub endpoint: EndpointWithSecret,
    pub worker: WebhookWorker,
    pub wake: Arc<Notify>,
}

pub async fn setup(url: &str, config: WebhookConfig) -> Result<Setup, String> {
    let f = fixture().await?;
    let merchant = merchant(&f.pool, 1).await?;
    let request = CreateEndpoint {
        url: url.to_owned().try_into().map_err(|_| "url")?,
        events: None,
    };
    let endpoint = create_endpoint(&f.pool, &f.sealer, &merchant, &request)
        .await
        .map_err(|e| e.to_string())?;
    let wake = Arc::new(Notify::new());
    let worker = WebhookWorker::new(f.pool.clone(), f.sealer.clone(), wake.clone(), config)
        .map_err(|e| e.to_string())?;
    Ok(Setup {
        f,
        merchant,
        endpoint,
        worker,
        wake,
    })
}

impl Setup {
    pub async fn record(&self) -> Result<EventId, String> {
        let mut conn = self.f.pool.acquire().await.map_err(|e| e.to_string())?;
        record_event(
            &mut conn,
            &self.merchant,
            EventType::Authorised,
            10000,
            &payment(1)?,
        )
        .await
        .map_err(|e| e.to_string())
    }

    /// Drains until `done` holds for the event, within a deadline.
    pub async fn until(
        &self,
        event: &EventId,
        done: impl Fn(&EventWithDeliveries) -> bool,
    ) -> Result<EventWithDeliveries, String> {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            self.worker.drain().await.map_err(|e| e.to_string())?;
            let shown = get_event(&self.f.pool, &self.merchant, event)
                .await
                .map_err(|e| e.to_string())?;
            if done(&shown) {
                return Ok(shown);
            }
            if Instant::now() > deadline {
                return Err(format!("not done in time: {shown:?}"));
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }
}

impl Setup {
    /// Records an event and drains until its first delivery has its first attempt; the
    /// event as shown then, and that attempt.
    pub async fn first_attempt(&self) -> Result<(EventWithDeliveries, DeliveryAttempt), String> {
        let event = self.record().await?;
        let shown = self
            .until(&event, |e| {
                e.deliveries.iter().any(|d| !d.attempts.is_empty())
            })
            .await?;
        let attempt = shown
            .deliveries
            .first()
            .and_then(|d| d.attempts.first())
            .cloned()
            .ok_or("no attempt")?;
        Ok((shown, attempt))
    }
}

pub fn state(shown: &EventWithDeliveries) -> Option<DeliveryState> {
    shown.deliveries.first().map(|d| d.state)
}

pub fn verify(secret: &str, request: &Received) -> bool {
    Webhook::new(secret).is_ok_and(|hook| hook.verify(&request.body, &request.headers).is_ok())
}
