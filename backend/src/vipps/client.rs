//! `HttpVipps`: the `Vipps` trait over HTTP, with every header PSP API v2 requires.
//! A 401 refreshes the access token and retries once with the same Request-Id.

use async_trait::async_trait;
use reqwest::{Method, StatusCode};
use secrecy::ExposeSecret;
use serde::Serialize;
use shared::PspTransactionId;
use shared::account::Msn;
use shared::vipps::details::PaymentDetails;
use shared::vipps::{ErrorDetails, InitRequest, InitResponse, UpdateStatusRequest, headers};

use super::token::TokenCache;
use super::{Vipps, VippsError};
use crate::config::VippsConfig;

pub struct HttpVipps {
    http: reqwest::Client,
    config: VippsConfig,
    tokens: TokenCache,
}

impl HttpVipps {
    pub fn new(config: VippsConfig) -> Result<Self, VippsError> {
        let http = reqwest::Client::builder()
            .connect_timeout(std::time::Duration::from_secs(3))
            .timeout(std::time::Duration::from_secs(10))
            .build()
            .map_err(|e| VippsError::Protocol(e.to_string()))?;
        Ok(Self {
            http,
            config,
            tokens: TokenCache::new(),
        })
    }

    /// One authenticated call; on 401 one fresh token and one retry.
    async fn call<B: Serialize + Sync>(
        &self,
        msn: &Msn,
        method: Method,
        path: &str,
        body: Option<&B>,
        request_id: Option<&str>,
    ) -> Result<reqwest::Response, VippsError> {
        let mut response = self
            .send(msn, method.clone(), path, body, request_id)
            .await?;
        if response.status() == StatusCode::UNAUTHORIZED {
            response = self.send(msn, method, path, body, request_id).await?;
        }
        let status = response.status();
        if status.is_success() {
            return Ok(response);
        }
        if status == StatusCode::UNAUTHORIZED || status == StatusCode::FORBIDDEN {
            return Err(VippsError::Unauthorized(status.as_u16()));
        }
        if status.is_client_error() {
            let errors: Vec<ErrorDetails> = response.json().await.unwrap_or_default();
            return Err(VippsError::Rejected(status.as_u16(), errors));
        }
        Err(VippsError::Unavailable(format!("{path}: HTTP {status}")))
    }

    async fn send<B: Serialize + Sync>(
        &self,
        msn: &Msn,
        method: Method,
        path: &str,
        body: Option<&B>,
        request_id: Option<&str>,
    ) -> Result<reqwest::Response, VippsError> {
        let token = self.tokens.get(&self.http, &self.config).await?;
        let mut request = self
            .http
            .request(
                method,
                format!("{}/psp/v2/psppayments{path}", self.config.base_url),
            )
            .bearer_auth(token.expose_secret())
            .header(
                headers::SUBSCRIPTION_KEY,
                self.config.subscription_key.expose_secret(),
            )
            .header(headers::PSP_ID, &self.config.psp_id)
            .header(headers::MERCHANT_SERIAL_NUMBER, msn.as_str());
        if let Some(id) = request_id {
            request = request.header(headers::REQUEST_ID, id);
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request
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
        msn: &Msn,
        request: &InitRequest,
        request_id: &str,
    ) -> Result<InitResponse, VippsError> {
        let response = self
            .call(msn, Method::POST, "/init", Some(request), Some(request_id))
            .await?;
        response
            .json()
            .await
            .map_err(|e| VippsError::Protocol(e.to_string()))
    }

    async fn update_status(
        &self,
        msn: &Msn,
        request: &UpdateStatusRequest,
        request_id: &str,
    ) -> Result<(), VippsError> {
        self.call(
            msn,
            Method::POST,
            "/updatestatus",
            Some(request),
            Some(request_id),
        )
        .await
        .map(drop)
    }

    async fn details(
        &self,
        msn: &Msn,
        id: &PspTransactionId,
    ) -> Result<PaymentDetails, VippsError> {
        let response = self
            .call::<()>(msn, Method::GET, &format!("/{id}/details"), None, None)
            .await?;
        response
            .json()
            .await
            .map_err(|e| VippsError::Protocol(e.to_string()))
    }
}
