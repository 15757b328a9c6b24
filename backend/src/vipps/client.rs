//! `HttpVipps`: the `Vipps` trait over HTTP, with every header PSP API v2 requires.

use async_trait::async_trait;
use reqwest::StatusCode;
use secrecy::ExposeSecret;
use shared::vipps::{ErrorDetails, InitRequest, InitResponse, headers};

use super::token::TokenCache;
use super::{Vipps, VippsError};
use crate::config::{MerchantConfig, VippsConfig};

pub struct HttpVipps {
    http: reqwest::Client,
    config: VippsConfig,
    merchant_serial_number: String,
    tokens: TokenCache,
}

impl HttpVipps {
    pub fn new(config: VippsConfig, merchant: &MerchantConfig) -> Result<Self, VippsError> {
        let http = reqwest::Client::builder()
            .connect_timeout(std::time::Duration::from_secs(3))
            .timeout(std::time::Duration::from_secs(10))
            .build()
            .map_err(|e| VippsError::Protocol(e.to_string()))?;
        Ok(Self {
            http,
            config,
            merchant_serial_number: merchant.serial_number.clone(),
            tokens: TokenCache::new(),
        })
    }

    async fn post_once(
        &self,
        request: &InitRequest,
        request_id: &str,
    ) -> Result<reqwest::Response, VippsError> {
        let token = self.tokens.get(&self.http, &self.config).await?;
        let response = self
            .http
            .post(format!("{}/psp/v2/psppayments/init", self.config.base_url))
            .bearer_auth(token.expose_secret())
            .header(
                headers::SUBSCRIPTION_KEY,
                self.config.subscription_key.expose_secret(),
            )
            .header(headers::PSP_ID, &self.config.psp_id)
            .header(
                headers::MERCHANT_SERIAL_NUMBER,
                &self.merchant_serial_number,
            )
            .header(headers::REQUEST_ID, request_id)
            .json(request)
            .send()
            .await
            .map_err(|e| VippsError::Unavailable(e.to_string()))?;
        if response.status() == StatusCode::UNAUTHORIZED {
            self.tokens.invalidate(&token).await;
        }
        Ok(response)
    }
}

#[async_trait]
impl Vipps for HttpVipps {
    async fn init(
        &self,
        request: &InitRequest,
        request_id: &str,
    ) -> Result<InitResponse, VippsError> {
        let mut response = self.post_once(request, request_id).await?;
        if response.status() == StatusCode::UNAUTHORIZED {
            // The token may have expired early: one fresh token, one retry, same Request-Id.
            response = self.post_once(request, request_id).await?;
        }
        let status = response.status();
        if status.is_success() {
            return response
                .json()
                .await
                .map_err(|e| VippsError::Protocol(e.to_string()));
        }
        if status == StatusCode::UNAUTHORIZED || status == StatusCode::FORBIDDEN {
            return Err(VippsError::Unauthorized(status.as_u16()));
        }
        if status.is_client_error() {
            let errors: Vec<ErrorDetails> = response.json().await.unwrap_or_default();
            return Err(VippsError::Rejected(errors));
        }
        Err(VippsError::Unavailable(format!("init: HTTP {status}")))
    }
}
