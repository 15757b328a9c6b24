//! The webhook worker: leases due deliveries, signs each per Standard Webhooks (the
//! `standardwebhooks` crate; during a rotation's grace period both the new and the old
//! secret sign, space-separated), POSTs the stored body, and records every attempt. A 2xx
//! delivers it for good; anything else (non-2xx, timeout, refused connection, an address
//! the policy refuses) is retried with exponential back-off and jitter until the retry
//! window closes, then it is failed. Redirects are not followed.

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::database::Pool;
use reqwest::Url;
use reqwest::header::CONTENT_TYPE;
use standardwebhooks::{
    HEADER_WEBHOOK_ID, HEADER_WEBHOOK_SIGNATURE, HEADER_WEBHOOK_TIMESTAMP, Webhook,
};
use tokio::sync::Notify;
use tokio::task::JoinSet;

use super::address_policy::{AddressNotAllowed, PolicyResolver, check_literal_host};
use super::leases::{self, Attempt, Leased, Verdict};
use super::secret::EndpointSecret;
use super::{WebhookConfig, WebhookError, millis, now_ms};
use crate::idempotency::ResponseSealer;
use crate::outbox::{OutboxConfig, backoff};
use crate::payments::now_unix;

/// Deliveries sent at the same time by one worker.
const CONCURRENCY: i64 = 16;

/// Delivers webhooks; one per process (several are safe: leases keep them apart).
#[derive(Clone)]
pub struct WebhookWorker {
    pool: Pool,
    sealer: Arc<ResponseSealer>,
    wake: Arc<Notify>,
    config: WebhookConfig,
    client: reqwest::Client,
}

impl WebhookWorker {
    /// `wake` is notified after a transaction that recorded events commits (and after a
    /// redelivery), so that they go out at once rather than at the next poll.
    pub fn new(
        pool: Pool,
        sealer: Arc<ResponseSealer>,
        wake: Arc<Notify>,
        config: WebhookConfig,
    ) -> Result<Self, WebhookError> {
        let client = reqwest::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.timeout)
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .dns_resolver(Arc::new(PolicyResolver {
                allow_private: config.allow_private_addresses,
            }))
            .user_agent("vipps-psp-webhooks/1")
            .build()
            .map_err(|e| WebhookError::Client(e.to_string()))?;
        Ok(Self {
            pool,
            sealer,
            wake,
            config,
            client,
        })
    }

    /// Runs until the process ends.
    pub async fn run(self) {
        loop {
            if let Err(error) = self.drain().await {
                tracing::error!(%error, "webhooks: database error");
            }
            tokio::select! {
                () = self.wake.notified() => {}
                () = tokio::time::sleep(self.config.poll) => {}
            }
        }
    }

    /// Makes one attempt at every delivery due now; how many were made.
    pub async fn drain(&self) -> Result<usize, WebhookError> {
        let mut made = 0;
        loop {
            let now = now_ms();
            // Long enough to send and record; a dead worker's deliveries go out again after.
            let lease_until = now + 2 * millis(self.config.timeout) + 1_000;
            let window = millis(self.config.retry_window);
            let due = leases::lease_due(&self.pool, now, lease_until, window, CONCURRENCY).await?;
            if due.is_empty() {
                return Ok(made);
            }
            made += due.len();
            let mut sending = JoinSet::new();
            for leased in due {
                let worker = self.clone();
                sending.spawn(async move { worker.attempt(leased).await });
            }
            let mut failed = None;
            while let Some(done) = sending.join_next().await {
                match done {
                    Ok(Ok(())) => {}
                    Ok(Err(error)) => failed = Some(error),
                    Err(error) => tracing::error!(%error, "webhooks: a delivery task failed"),
                }
            }
            if let Some(error) = failed {
                return Err(error);
            }
        }
    }

    async fn attempt(&self, leased: Leased) -> Result<(), WebhookError> {
        let at_ms = now_ms();
        let started = Instant::now();
        let outcome = self.send(&leased).await;
        let duration_ms = millis(started.elapsed());
        let (http_status, error) = match &outcome {
            Ok(status) => (Some(*status), None),
            Err(error) => (None, Some(error.clone())),
        };
        let verdict = if http_status.is_some_and(|s| (200..300).contains(&s)) {
            Verdict::Delivered
        } else {
            let now = now_ms();
            if now >= leased.give_up_at_ms {
                Verdict::Failed
            } else {
                let delay = backoff(&self.backoff_config(), leased.attempts);
                Verdict::RetryAt(now.saturating_add(millis(delay)).min(leased.give_up_at_ms))
            }
        };
        let (delivery, event, endpoint) = (&leased.id, &leased.event_id, &leased.endpoint_id);
        let reason = error.as_deref();
        match &verdict {
            Verdict::Delivered => {
                tracing::info!(delivery, %event, %endpoint, status = http_status, "webhook delivered");
            }
            Verdict::RetryAt(at) => {
                tracing::warn!(delivery, %event, %endpoint, status = http_status, error = reason, retry_in_ms = at - now_ms(), "webhook not delivered; will retry");
            }
            Verdict::Failed => {
                tracing::error!(delivery, %event, %endpoint, status = http_status, error = reason, "webhook failed for good: retry window closed");
            }
        }
        let attempt = Attempt {
            at_ms,
            http_status,
            duration_ms,
            error,
        };
        if !leases::finish(&self.pool, &leased, &attempt, &verdict).await? {
            tracing::info!(
                delivery,
                "webhook delivery changed while sending (redelivered or endpoint deleted)"
            );
        }
        Ok(())
    }

    /// The endpoint's HTTP status, or why there was none.
    async fn send(&self, leased: &Leased) -> Result<u16, String> {
        let url = Url::parse(&leased.url).map_err(|_| "the endpoint URL is invalid".to_owned())?;
        check_literal_host(&url, self.config.allow_private_addresses).map_err(|refused| {
            tracing::warn!(%refused, "webhook endpoint on an address that is not allowed");
            NOT_PUBLIC.to_owned()
        })?;
        let timestamp = now_unix();
        let signature = self.signature(leased, timestamp)?;
        let response = self
            .client
            .post(url)
            .header(CONTENT_TYPE, "application/json")
            .header(HEADER_WEBHOOK_ID, leased.event_id.as_str())
            .header(HEADER_WEBHOOK_TIMESTAMP, timestamp.to_string())
            .header(HEADER_WEBHOOK_SIGNATURE, signature)
            .body(leased.body.clone())
            .send()
            .await
            .map_err(|e| describe(&e, self.config.timeout))?;
        Ok(response.status().as_u16())
    }

    /// `v1,<sig>` under the current secret, followed by ` v1,<sig>` under the previous
    /// one while it is in its grace period.
    fn signature(&self, leased: &Leased, timestamp: i64) -> Result<String, String> {
        let sign = |sealed: &[u8]| {
            let secret = EndpointSecret::open(&self.sealer, &leased.endpoint_id, sealed)
                .map_err(|e| e.to_string())?;
            Webhook::new(secret.expose())
                .and_then(|hook| {
                    hook.sign(leased.event_id.as_str(), timestamp, leased.body.as_bytes())
                })
                .map_err(|e| e.to_string())
        };
        let mut signatures = vec![sign(&leased.secret_sealed)];
        if let Some(previous) = &leased.previous_secret_sealed {
            signatures.push(sign(previous));
        }
        let signatures: Result<Vec<String>, String> = signatures.into_iter().collect();
        signatures.map(|s| s.join(" ")).map_err(|cause| {
            tracing::error!(endpoint = %leased.endpoint_id, %cause, "webhooks: cannot sign");
            "internal error: cannot sign the delivery".to_owned()
        })
    }

    fn backoff_config(&self) -> OutboxConfig {
        OutboxConfig {
            base_delay: self.config.base_delay,
            max_delay: self.config.max_delay,
            ..OutboxConfig::default()
        }
    }
}

/// What the merchant's event log says of an endpoint on a private address.
pub const NOT_PUBLIC: &str = "address not allowed: not a public address";

/// Why a request got no answer, in a few words for the merchant's event log.
fn describe(error: &reqwest::Error, timeout: Duration) -> String {
    if error.is_timeout() {
        return format!("timed out after {} ms", timeout.as_millis());
    }
    let mut cause: &dyn std::error::Error = error;
    while let Some(source) = cause.source() {
        if let Some(refused) = source.downcast_ref::<AddressNotAllowed>() {
            // The address stays in our log: a name's address is our resolver's business.
            tracing::warn!(%refused, "webhook endpoint on an address that is not allowed");
            return NOT_PUBLIC.to_owned();
        }
        cause = source;
    }
    if error.is_connect() {
        format!("connection failed: {cause}")
    } else {
        format!("request failed: {cause}")
    }
}
