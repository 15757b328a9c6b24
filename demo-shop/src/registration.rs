//! The shop's webhook endpoint at the PSP: at start, the endpoint left with the shop's own
//! URL is kept and given a new secret (so events still owed to it, from while the shop was
//! down, are delivered, signed with that secret), or a new one is created; its `whsec_…`
//! secret is kept in memory to verify deliveries. While the PSP is not up, a background task retries with back-off and the shop
//! serves pages meanwhile (webhooks answer 503 until then, so the PSP retries them).

use std::sync::Arc;
use std::time::Duration;

use shared::webhooks::{CreateEndpoint, EndpointUrl};
use standardwebhooks::Webhook;
use tokio::sync::RwLock;

use crate::psp::{PspClient, PspError};

/// The first wait after a failed registration; it doubles up to [`MAX_BACKOFF`].
const FIRST_BACKOFF: Duration = Duration::from_millis(250);
const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// The verifier of the PSP's webhooks, once the secret is known.
#[derive(Clone, Default)]
pub struct WebhookKey(Arc<RwLock<Option<Arc<Webhook>>>>);

impl WebhookKey {
    /// A key known from the start (`SHOP_WEBHOOK_SECRET`).
    pub fn from_secret(secret: &str) -> Result<Self, standardwebhooks::WebhookError> {
        let webhook = Arc::new(Webhook::new(secret)?);
        Ok(Self(Arc::new(RwLock::new(Some(webhook)))))
    }

    pub async fn get(&self) -> Option<Arc<Webhook>> {
        self.0.read().await.clone()
    }

    async fn set(&self, webhook: Webhook) {
        *self.0.write().await = Some(Arc::new(webhook));
    }
}

#[derive(Debug, thiserror::Error)]
enum RegisterError {
    #[error(transparent)]
    Psp(#[from] PspError),
    #[error("the PSP gave a webhook secret that is not a Standard Webhooks secret")]
    Secret,
}

/// Keeps the endpoint with `url` under a new secret (other copies are deleted), or creates
/// one; answers its verifier.
async fn register(psp: &PspClient, url: &EndpointUrl) -> Result<Webhook, RegisterError> {
    let ours: Vec<_> = psp
        .endpoints()
        .await?
        .into_iter()
        .filter(|e| &e.url == url)
        .collect();
    let registered = match ours.split_first() {
        Some((kept, copies)) => {
            for copy in copies {
                psp.delete_endpoint(&copy.id).await?;
                tracing::info!(endpoint = %copy.id, "second webhook endpoint for the shop deleted");
            }
            psp.rotate_secret(&kept.id).await?
        }
        None => {
            let request = CreateEndpoint {
                url: url.clone(),
                events: None,
            };
            psp.create_endpoint(&request).await?
        }
    };
    tracing::info!(endpoint = %registered.endpoint.id, url = url.as_str(), "webhook endpoint registered");
    Webhook::new(&registered.secret).map_err(|_| RegisterError::Secret)
}

/// Registers in the background until it works, then fills `key`.
pub fn spawn(psp: PspClient, url: EndpointUrl, key: WebhookKey) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut backoff = FIRST_BACKOFF;
        loop {
            match register(&psp, &url).await {
                Ok(webhook) => {
                    key.set(webhook).await;
                    return;
                }
                Err(err) => {
                    tracing::warn!(error = %err, retry_in = ?backoff, "cannot register the webhook endpoint yet");
                }
            }
            tokio::time::sleep(backoff).await;
            backoff = backoff.saturating_mul(2).min(MAX_BACKOFF);
        }
    })
}
