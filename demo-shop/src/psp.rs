//! The shop's client for the PSP's merchant API: create a payment, look one up, and manage
//! the shop's webhook endpoints.
//!
//! This runs on the shop's server: the merchant key never reaches the browser.

use std::time::Duration;

use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use shared::merchant::{CreatePayment, MerchantPayment};
use shared::webhooks::{CreateEndpoint, Endpoint, EndpointWithSecret, RotateSecret};
use shared::{EndpointId, PaymentId};

#[derive(Debug, thiserror::Error)]
pub enum PspError {
    #[error("could not reach the PSP: {0}")]
    Unreachable(#[source] reqwest::Error),
    #[error("the PSP answered {status}: {body}")]
    Status { status: StatusCode, body: String },
    #[error("the PSP's answer could not be read: {0}")]
    Decode(#[source] reqwest::Error),
    #[error("the PSP created payment {0} without a client secret")]
    MissingClientSecret(PaymentId),
    #[error("the PSP does not know payment {0}")]
    NotFound(PaymentId),
}

/// A payment that was just created, with the secret the widget needs.
#[derive(Debug, Clone)]
pub struct CreatedPayment {
    pub payment: MerchantPayment,
    pub client_secret: String,
}

#[derive(Debug, Clone)]
pub struct PspClient {
    http: reqwest::Client,
    base_url: String,
    api_key: String,
}

impl PspClient {
    pub fn new(base_url: String, api_key: String) -> Result<Self, reqwest::Error> {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(15))
            .build()?;
        Ok(Self {
            http,
            base_url,
            api_key,
        })
    }

    /// `POST /v1/payments`.
    pub async fn create_payment(
        &self,
        request: &CreatePayment,
    ) -> Result<CreatedPayment, PspError> {
        let response = self
            .http
            .post(format!("{}/v1/payments", self.base_url))
            .bearer_auth(&self.api_key)
            .json(request)
            .send()
            .await
            .map_err(PspError::Unreachable)?;
        let mut payment: MerchantPayment = read_json(response).await?;
        match payment.client_secret.take() {
            Some(client_secret) => Ok(CreatedPayment {
                payment,
                client_secret,
            }),
            None => Err(PspError::MissingClientSecret(payment.id)),
        }
    }

    /// `GET /v1/payments/{id}`.
    pub async fn payment(&self, id: &PaymentId) -> Result<MerchantPayment, PspError> {
        let response = self
            .http
            .get(format!("{}/v1/payments/{id}", self.base_url))
            .bearer_auth(&self.api_key)
            .send()
            .await
            .map_err(PspError::Unreachable)?;
        if response.status() == StatusCode::NOT_FOUND {
            return Err(PspError::NotFound(id.clone()));
        }
        read_json(response).await
    }
}

impl PspClient {
    /// `GET /v1/webhook-endpoints`.
    pub async fn endpoints(&self) -> Result<Vec<Endpoint>, PspError> {
        let response = self
            .http
            .get(format!("{}/v1/webhook-endpoints", self.base_url))
            .bearer_auth(&self.api_key)
            .send()
            .await
            .map_err(PspError::Unreachable)?;
        read_json(response).await
    }

    /// `DELETE /v1/webhook-endpoints/{id}`; one already gone counts as deleted.
    pub async fn delete_endpoint(&self, id: &EndpointId) -> Result<(), PspError> {
        let response = self
            .http
            .delete(format!("{}/v1/webhook-endpoints/{id}", self.base_url))
            .bearer_auth(&self.api_key)
            .send()
            .await
            .map_err(PspError::Unreachable)?;
        let status = response.status();
        if status.is_success() || status == StatusCode::NOT_FOUND {
            return Ok(());
        }
        let body = response.text().await.unwrap_or_default();
        Err(PspError::Status { status, body })
    }

    /// `POST /v1/webhook-endpoints/{id}/rotate-secret` with no grace: the endpoint with its
    /// new secret (shown only now); what is still pending for it is signed with that one.
    pub async fn rotate_secret(&self, id: &EndpointId) -> Result<EndpointWithSecret, PspError> {
        let response = self
            .http
            .post(format!(
                "{}/v1/webhook-endpoints/{id}/rotate-secret",
                self.base_url
            ))
            .bearer_auth(&self.api_key)
            .json(&RotateSecret {
                grace_seconds: Some(0),
            })
            .send()
            .await
            .map_err(PspError::Unreachable)?;
        read_json(response).await
    }

    /// `POST /v1/webhook-endpoints`: the new endpoint with its secret (shown only now).
    pub async fn create_endpoint(
        &self,
        request: &CreateEndpoint,
    ) -> Result<EndpointWithSecret, PspError> {
        let response = self
            .http
            .post(format!("{}/v1/webhook-endpoints", self.base_url))
            .bearer_auth(&self.api_key)
            .json(request)
            .send()
            .await
            .map_err(PspError::Unreachable)?;
        read_json(response).await
    }
}

async fn read_json<T: DeserializeOwned>(response: reqwest::Response) -> Result<T, PspError> {
    let status = response.status();
    if !status.is_success() {
        let body = response.text().await.unwrap_or_default();
        return Err(PspError::Status { status, body });
    }
    response.json().await.map_err(PspError::Decode)
}
