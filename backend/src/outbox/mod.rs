//! Reliable status updates to Vipps. Captures, cancels and refunds write an update to
//! the outbox in the same transaction as the operation; this worker batches due updates
//! under a Request-Id that stays the same across retries, retries 5xx, timeouts and
//! outages with exponential back-off and jitter, and parks 4xx answers as dead for the
//! operator (`GET /v1/status-updates/dead`). Nothing is lost across restarts.

pub mod store;

use std::sync::Arc;
use std::time::Duration;

use shared::vipps::UpdateStatusRequest;
use tokio::sync::Notify;

use crate::keys;
use crate::payments::PaymentStore;
use crate::vipps::{Vipps, VippsError};
use store::{Batch, now_ms};

/// Updates sent in one updatestatus call at most.
const BATCH_SIZE: i64 = 50;

#[derive(Debug, Clone, Copy)]
pub struct OutboxConfig {
    /// How often to look for due updates when nobody wakes the worker.
    pub poll: Duration,
    /// The first retry delay; doubled per attempt.
    pub base_delay: Duration,
    pub max_delay: Duration,
    /// How long a batch being sent is hidden from other workers.
    pub lease: Duration,
}

impl Default for OutboxConfig {
    fn default() -> Self {
        Self {
            poll: Duration::from_secs(1),
            base_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(300),
            lease: Duration::from_secs(30),
        }
    }
}

pub struct OutboxWorker {
    pub store: PaymentStore,
    pub vipps: Arc<dyn Vipps>,
    pub wake: Arc<Notify>,
    pub config: OutboxConfig,
}

impl OutboxWorker {
    /// Runs until the process ends.
    pub async fn run(self) {
        loop {
            if let Err(error) = self.drain().await {
                tracing::error!(%error, "outbox: database error");
            }
            tokio::select! {
                () = self.wake.notified() => {}
                () = tokio::time::sleep(self.config.poll) => {}
            }
        }
    }

    async fn drain(&self) -> Result<(), crate::payments::StoreError> {
        loop {
            let request_id = format!(
                "upd-{}",
                keys::random_hex::<16>()
                    .map_err(|e| crate::payments::StoreError::Corrupt(e.to_string()))?
            );
            if self.store.claim_new_batch(&request_id, BATCH_SIZE).await? == 0 {
                break;
            }
        }
        let lease = i64::try_from(self.config.lease.as_millis()).unwrap_or(30_000);
        while let Some(batch) = self
            .store
            .lease_due_batch(now_ms(), now_ms() + lease)
            .await?
        {
            self.send(batch).await?;
        }
        Ok(())
    }

    async fn send(&self, batch: Batch) -> Result<(), crate::payments::StoreError> {
        let request = UpdateStatusRequest {
            transactions: batch.updates,
        };
        match self
            .vipps
            .update_status(&batch.msn, &request, &batch.request_id)
            .await
        {
            Ok(()) => {
                tracing::info!(request_id = %batch.request_id, updates = request.transactions.len(), "updatestatus delivered");
                self.store.batch_delivered(&batch.request_id).await
            }
            Err(error @ VippsError::Rejected(..)) => {
                tracing::error!(request_id = %batch.request_id, %error, "updatestatus refused for good: parked as dead");
                self.store
                    .batch_dead(&batch.request_id, &error.to_string())
                    .await
            }
            Err(error) => {
                let delay = backoff(&self.config, batch.attempts);
                tracing::warn!(request_id = %batch.request_id, %error, retry_in_ms = delay.as_millis(), "updatestatus failed; will retry");
                let at = now_ms() + i64::try_from(delay.as_millis()).unwrap_or(i64::MAX / 2);
                self.store
                    .batch_retry_at(&batch.request_id, at, &error.to_string())
                    .await
            }
        }
    }
}

/// `base · 2^attempts`, capped, with "equal jitter": a random point in its upper half.
pub fn backoff(config: &OutboxConfig, attempts: i64) -> Duration {
    let exponent = u32::try_from(attempts.clamp(0, 20)).unwrap_or(20);
    let full = config
        .base_delay
        .saturating_mul(2u32.saturating_pow(exponent))
        .min(config.max_delay);
    let half = full / 2;
    let random = keys::random_bytes::<4>()
        .map(u32::from_le_bytes)
        .unwrap_or(0);
    let spread = u64::try_from(half.as_millis()).unwrap_or(0);
    half + Duration::from_millis(u64::from(random) % spread.max(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_within_jitter_and_is_capped() {
        let config = OutboxConfig {
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(2),
            ..OutboxConfig::default()
        };
        for attempts in 0..4 {
            let full = Duration::from_millis(100 * 2u64.pow(u32::try_from(attempts).unwrap_or(0)));
            let delay = backoff(&config, attempts);
            assert!(
                delay >= full / 2 && delay <= full,
                "attempt {attempts}: {delay:?}"
            );
        }
        assert!(backoff(&config, 40) <= Duration::from_secs(2));
    }
}
