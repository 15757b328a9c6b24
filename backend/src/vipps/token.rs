//! The Vipps access token, cached until shortly before it expires. One refresh at a
//! time: callers wait on the lock while a single request fetches the token.

use std::time::{Duration, Instant};

use secrecy::{ExposeSecret, SecretString};
use shared::vipps::{AccessToken, headers};
use tokio::sync::Mutex;

use super::VippsError;
use crate::config::VippsConfig;

/// Refresh this long before Vipps says the token expires.
const REFRESH_MARGIN: Duration = Duration::from_secs(60);

pub struct TokenCache {
    current: Mutex<Option<Cached>>,
}

struct Cached {
    token: SecretString,
    refresh_at: Instant,
}

impl TokenCache {
    pub fn new() -> Self {
        Self {
            current: Mutex::new(None),
        }
    }

    /// A valid token, fetched only when the cached one is missing or due.
    pub async fn get(
        &self,
        http: &reqwest::Client,
        config: &VippsConfig,
    ) -> Result<SecretString, VippsError> {
        let mut current = self.current.lock().await;
        if let Some(cached) = current.as_ref().filter(|c| Instant::now() < c.refresh_at) {
            return Ok(cached.token.clone());
        }
        let fresh = fetch(http, config).await?;
        let token = fresh.token.clone();
        *current = Some(fresh);
        Ok(token)
    }

    /// Forgets `token` (Vipps said 401 to it), unless another caller already replaced it.
    pub async fn invalidate(&self, token: &SecretString) {
        let mut current = self.current.lock().await;
        if current
            .as_ref()
            .is_some_and(|c| c.token.expose_secret() == token.expose_secret())
        {
            *current = None;
        }
    }
}

impl Default for TokenCache {
    fn default() -> Self {
        Self::new()
    }
}

async fn fetch(http: &reqwest::Client, config: &VippsConfig) -> Result<Cached, VippsError> {
    let response = http
        .post(format!("{}/accesstoken/get", config.base_url))
        .header(headers::CLIENT_ID, &config.client_id)
        .header(headers::CLIENT_SECRET, config.client_secret.expose_secret())
        .header(
            headers::SUBSCRIPTION_KEY,
            config.subscription_key.expose_secret(),
        )
        .send()
        .await
        .map_err(|e| VippsError::Unavailable(e.to_string()))?;
    let status = response.status();
    if status.is_server_error() {
        return Err(VippsError::Unavailable(format!(
            "access token: HTTP {status}"
        )));
    }
    if !status.is_success() {
        return Err(VippsError::Unauthorized(status.as_u16()));
    }
    let token: AccessToken = response
        .json()
        .await
        .map_err(|e| VippsError::Protocol(e.to_string()))?;
    let lifetime = token.expires_in.as_duration();
    Ok(Cached {
        token: token.access_token.into(),
        refresh_at: Instant::now() + lifetime.saturating_sub(REFRESH_MARGIN.min(lifetime / 2)),
    })
}

#[cfg(test)]
mod tests {
    use axum::Router;
    use axum::routing::post;
    use secrecy::ExposeSecret;

    use super::*;

    /// A token service that answers only `access_token` and `expires_in`, as a number.
    async fn minimal_token_service() -> Result<String, std::io::Error> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let url = format!("http://{}", listener.local_addr()?);
        let answer = r#"{"access_token":"minimal-token","expires_in":3600}"#;
        let router = Router::new().route("/accesstoken/get", post(move || async move { answer }));
        tokio::spawn(async move { axum::serve(listener, router).await });
        Ok(url)
    }

    #[tokio::test]
    async fn a_token_answer_without_the_unused_fields_is_accepted() -> Result<(), String> {
        let url = minimal_token_service().await.map_err(|e| e.to_string())?;
        let mut config = crate::Config::sandbox(std::path::PathBuf::from("unused")).vipps;
        config.base_url = url;
        let token = TokenCache::new()
            .get(&reqwest::Client::new(), &config)
            .await
            .map_err(|e| e.to_string())?;
        assert_eq!(token.expose_secret(), "minimal-token");
        Ok(())
    }
}
