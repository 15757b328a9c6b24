//! `spawn_app()`: the simulator on port 0 plus a fake PSP makePayment endpoint that records
//! every call and answers like a PSP would (OK for `YES`, FAIL 93 otherwise), and helpers for
//! the PSP calls and the test controls.

// Each test binary uses a part of this module.
#![allow(dead_code)]

use std::error::Error;
use std::sync::Arc;
use std::time::Duration;

use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rsa::{
    KeySize, OAEP_SHA256_MGF1SHA256, OaepPrivateDecryptingKey, PrivateDecryptingKey,
};
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};
use shared::vipps::{Confirmed, MakePaymentRequest};
use tokio::net::TcpListener;
use tokio::sync::{Barrier, mpsc};

pub type TestResult<T = ()> = Result<T, Box<dyn Error>>;

/// A makePayment call as the fake PSP received it.
#[derive(Debug)]
pub struct Received {
    pub authorization: Option<String>,
    pub request: MakePaymentRequest,
}

pub struct TestApp {
    pub sim: String,
    pub psp: String,
    pub http: reqwest::Client,
    key: OaepPrivateDecryptingKey,
    calls: mpsc::UnboundedReceiver<Received>,
}

/// The makePaymentToken that makes the fake PSP answer HTTP 500.
pub const BROKEN_TOKEN: &str = "answer-500";
/// The makePaymentToken that makes the fake PSP hold each call until a second one is in
/// flight: two calls sent one after the other never get an answer.
pub const PAIRED_TOKEN: &str = "answer-in-pairs";

/// What the fake PSP shares between calls.
#[derive(Clone)]
struct FakePsp {
    calls: mpsc::UnboundedSender<Received>,
    pairs: Arc<Barrier>,
}

pub async fn spawn_app() -> TestResult<TestApp> {
    spawn_app_with(|_| {}).await
}

/// [`spawn_app`] with the simulator's config changed first.
pub async fn spawn_app_with(configure: impl FnOnce(&mut simulator::Config)) -> TestResult<TestApp> {
    let private = PrivateDecryptingKey::generate(KeySize::Rsa2048)?;
    let public_der = private.public_key().as_der()?.as_ref().to_vec();

    let (sender, calls) = mpsc::unbounded_channel();
    let psp_listener = TcpListener::bind("127.0.0.1:0").await?;
    let psp = format!("http://{}", psp_listener.local_addr()?);
    let fake_psp = axum::Router::new()
        .route("/makepayment", post(make_payment))
        .with_state(FakePsp {
            calls: sender,
            pairs: Arc::new(Barrier::new(2)),
        });
    tokio::spawn(async move { axum::serve(psp_listener, fake_psp).await });

    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let sim = format!("http://{}", listener.local_addr()?);
    let mut config = simulator::Config::sandbox(sim.clone(), public_der);
    configure(&mut config);
    tokio::spawn(simulator::run(listener, config));

    let http = reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    Ok(TestApp {
        sim,
        psp,
        http,
        key: OaepPrivateDecryptingKey::new(private)?,
        calls,
    })
}

async fn make_payment(
    State(psp): State<FakePsp>,
    headers: HeaderMap,
    Json(request): Json<MakePaymentRequest>,
) -> Response {
    let authorization = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let broken = authorization.as_deref() == Some(BROKEN_TOKEN);
    let paired = authorization.as_deref() == Some(PAIRED_TOKEN);
    let answer = match request.confirmed {
        Confirmed::Yes => {
            json!({"paymentInfo": {"pspTransactionId": request.psp_transaction_id, "status": "OK"}})
        }
        Confirmed::No | Confirmed::Cancel | Confirmed::Timeout => json!({
            "paymentInfo": {"pspTransactionId": request.psp_transaction_id, "status": "FAIL"},
            "errorMessage": {"errorId": "93", "errorText": "Status from Vipps"}
        }),
    };
    let _ = psp.calls.send(Received {
        authorization,
        request,
    });
    if paired {
        psp.pairs.wait().await;
    }
    if broken {
        return (StatusCode::INTERNAL_SERVER_ERROR, "boom").into_response();
    }
    Json(answer).into_response()
}

impl TestApp {
    pub async fn token(&self) -> TestResult<String> {
        let answer: Value = self
            .http
            .post(format!("{}/accesstoken/get", self.sim))
            .header("client_id", shared::sandbox::CLIENT_ID)
            .header("client_secret", shared::sandbox::CLIENT_SECRET)
            .header(
                "Ocp-Apim-Subscription-Key",
                shared::sandbox::SUBSCRIPTION_KEY,
            )
            .send()
            .await?
            .json()
            .await?;
        Ok(answer["access_token"]
            .as_str()
            .unwrap_or_default()
            .to_owned())
    }

    /// A PSP call with every header Vipps wants.
    pub fn psp_call(&self, path: &str, token: &str, request_id: &str) -> reqwest::RequestBuilder {
        let msn = shared::sandbox::MERCHANT_SERIAL_NUMBER;
        self.psp_call_as(msn, path, token, request_id)
    }

    /// [`TestApp::psp_call`] for the merchant with this serial number.
    pub fn psp_call_as(
        &self,
        msn: &str,
        path: &str,
        token: &str,
        request_id: &str,
    ) -> reqwest::RequestBuilder {
        self.http
            .post(format!("{}/psp/v2/psppayments/{path}", self.sim))
            .bearer_auth(token)
            .header(
                "Ocp-Apim-Subscription-Key",
                shared::sandbox::SUBSCRIPTION_KEY,
            )
            .header("PSP-ID", shared::sandbox::PSP_ID)
            .header("Merchant-Serial-Number", msn)
            .header("Request-Id", request_id)
    }

    pub fn init_body(&self, psp_transaction_id: &str, order_id: &str) -> Value {
        json!({
            "pspTransactionId": psp_transaction_id, "merchantOrderId": order_id,
            "customerMobileNumber": "91234567", "amount": 29900, "currency": "NOK",
            "pspRedirectUrl": "http://shop.test/back", "makePaymentUrl": format!("{}/makepayment", self.psp),
            "makePaymentToken": "mp-token-1", "paymentText": "One pair of Vipps socks", "isApp": false
        })
    }

    /// Fetches a token and initiates `body`, checking it was accepted.
    pub async fn init(&self, body: &Value) -> TestResult<Value> {
        let token = self.token().await?;
        let response = self
            .psp_call("init", &token, &random_id())
            .json(body)
            .send()
            .await?;
        if response.status() != StatusCode::OK {
            return Err(format!(
                "init answered {}: {}",
                response.status(),
                response.text().await?
            )
            .into());
        }
        Ok(response.json().await?)
    }

    pub async fn sim_post(&self, path: &str, body: Value) -> TestResult<reqwest::Response> {
        self.control(&format!("payments/{path}"), body).await
    }

    /// `POST /sim/{path}` with a JSON body.
    pub async fn control(&self, path: &str, body: Value) -> TestResult<reqwest::Response> {
        Ok(self
            .http
            .post(format!("{}/sim/{path}", self.sim))
            .json(&body)
            .send()
            .await?)
    }

    /// `PUT /sim/{path}` with a JSON body.
    pub async fn control_put(&self, path: &str, body: Value) -> TestResult<reqwest::Response> {
        Ok(self
            .http
            .put(format!("{}/sim/{path}", self.sim))
            .json(&body)
            .send()
            .await?)
    }

    /// `GET /sim/{path}` as JSON.
    pub async fn control_get(&self, path: &str) -> TestResult<Value> {
        let response = self
            .http
            .get(format!("{}/sim/{path}", self.sim))
            .send()
            .await?;
        Ok(response.json().await?)
    }

    /// The makePayment call the fake PSP received, if any.
    pub fn received(&mut self) -> Option<Received> {
        self.calls.try_recv().ok()
    }

    /// The next makePayment call the fake PSP receives, waiting for it (an error after a
    /// minute, so a missing call fails the test instead of hanging it).
    pub async fn next_call(&mut self) -> TestResult<Received> {
        match tokio::time::timeout(Duration::from_secs(60), self.calls.recv()).await {
            Ok(Some(call)) => Ok(call),
            Ok(None) | Err(_) => Err("the fake PSP received no makePayment".into()),
        }
    }

    /// `POST /psp/v2/psppayments/updatestatus`.
    pub async fn update_status(
        &self,
        token: &str,
        request_id: &str,
        body: &Value,
    ) -> TestResult<reqwest::Response> {
        Ok(self
            .psp_call("updatestatus", token, request_id)
            .json(body)
            .send()
            .await?)
    }

    /// `GET /psp/v2/psppayments/{id}/details`.
    pub async fn details(&self, token: &str, id: &str) -> TestResult<reqwest::Response> {
        let msn = shared::sandbox::MERCHANT_SERIAL_NUMBER;
        self.details_as(msn, token, id).await
    }

    /// [`TestApp::details`] for the merchant with this serial number.
    pub async fn details_as(
        &self,
        msn: &str,
        token: &str,
        id: &str,
    ) -> TestResult<reqwest::Response> {
        Ok(self
            .http
            .get(format!("{}/psp/v2/psppayments/{id}/details", self.sim))
            .bearer_auth(token)
            .header(
                "Ocp-Apim-Subscription-Key",
                shared::sandbox::SUBSCRIPTION_KEY,
            )
            .header("PSP-ID", shared::sandbox::PSP_ID)
            .header("Merchant-Serial-Number", msn)
            .send()
            .await?)
    }

    /// Initiates `tx1` and approves it: a reserved payment of 299 kr.
    pub async fn reserved_payment(&self) -> TestResult {
        self.init(&self.init_body("tx1", "order1")).await?;
        let answer = self.sim_post("tx1/approve", json!({})).await?;
        if answer.status() != StatusCode::OK {
            return Err(format!("approve answered {}", answer.status()).into());
        }
        Ok(())
    }

    /// What the PSP reads from `cardData`.
    pub fn decrypt(&self, card_data: &str) -> TestResult<String> {
        let cryptogram = STANDARD.decode(card_data)?;
        let mut plain = vec![0u8; self.key.min_output_size()];
        let plain = self
            .key
            .decrypt(&OAEP_SHA256_MGF1SHA256, &cryptogram, &mut plain, None)?;
        Ok(String::from_utf8(plain.to_vec())?)
    }
}

/// A fresh Request-Id.
pub fn random_id() -> String {
    let mut bytes = [0u8; 8];
    let _ = aws_lc_rs::rand::fill(&mut bytes);
    shared::ids::hex(&bytes)
}

/// One updatestatus transaction.
pub fn transaction(id: &str, status: &str, amount: u32) -> Value {
    json!({"pspTransactionId": id, "status": status, "amount": amount, "currency": "NOK"})
}
