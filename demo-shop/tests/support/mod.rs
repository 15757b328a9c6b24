//! A fake PSP (payments and webhook endpoints, answering with the shared wire types) and the
//! shop in front of it, both on port 0; and webhooks signed as the PSP signs them.

// Each test binary uses a part of this module.
#![allow(dead_code)]

use std::path::Path;
use std::sync::{Arc, Mutex};

use axum::Json;
use axum::Router;
use axum::extract::{Path as UrlPath, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use demo_shop::Config;
use serde_json::{Value, json};
use shared::merchant::{Amounts, CreatePayment, MerchantPayment, PaymentStatus};
use shared::webhooks::{
    CreateEndpoint, Endpoint, EndpointUrl, EndpointWithSecret, Event, EventType,
};
use shared::{EndpointId, EventId, PaymentId};
use standardwebhooks::Webhook;
use tokio::net::TcpListener;

pub type TestResult<T = ()> = Result<T, Box<dyn std::error::Error>>;

pub const PAYMENT_ID: &str = "pay_0123456789abcdef0123456789abcdef";
/// The random bytes behind `PAYMENT_ID`.
const PAYMENT_ID_BYTES: [u8; 16] = [
    0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
];
pub const CLIENT_SECRET: &str = "cs_test_secret";
pub const API_KEY: &str = "sk_test_merchant";
pub const CHECKOUT_ORIGIN: &str = "http://widget.test:8080";
/// The webhook secret the shop is configured with (`SHOP_WEBHOOK_SECRET`).
pub const SHOP_SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
/// The secret the fake PSP gives every endpoint it creates.
pub const PSP_SECRET: &str = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";

/// What the fake PSP answers and what it was sent.
#[derive(Default)]
pub struct FakePsp {
    pub fail: bool,
    pub status: &'static str,
    /// Answers reads with this text in every free-text field the order page shows.
    pub hostile: Option<&'static str>,
    pub authorization: Vec<String>,
    pub created: Vec<CreatePayment>,
    /// `/v1/webhook-endpoints` answers 503 while this is set.
    pub endpoints_down: bool,
    pub endpoints: Vec<Endpoint>,
    pub deleted: Vec<EndpointId>,
    pub rotated: Vec<EndpointId>,
    pub endpoints_created: Vec<CreateEndpoint>,
}

pub type Shared = Arc<Mutex<FakePsp>>;

/// The payment as the real backend would answer it, built from the shared type so that the
/// fake cannot drift from the wire contract.
pub fn payment(request: &CreatePayment, status: &str, secret: Option<&str>) -> MerchantPayment {
    let status = serde_json::from_value(json!(status)).unwrap_or(PaymentStatus::Created);
    MerchantPayment {
        id: PaymentId::from_random(PAYMENT_ID_BYTES),
        client_secret: secret.map(str::to_owned),
        status,
        amount: request.amount,
        currency: request.currency,
        merchant_order_id: request.merchant_order_id.clone(),
        description: request.description.clone(),
        failure: None,
        card: None,
        amounts: Amounts::default(),
        return_url: request.return_url.clone(),
        created_at: 1_700_000_000,
        expires_at: 1_700_000_600,
    }
}

fn payment_json(request: &CreatePayment, status: &str, secret: Option<&str>) -> Value {
    serde_json::to_value(payment(request, status, secret)).unwrap_or_default()
}

fn record_auth(psp: &mut FakePsp, headers: &HeaderMap) {
    let auth = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    psp.authorization.push(auth.to_owned());
}

async fn create(
    State(psp): State<Shared>,
    headers: HeaderMap,
    Json(body): Json<CreatePayment>,
) -> Response {
    let Ok(mut psp) = psp.lock() else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    record_auth(&mut psp, &headers);
    if psp.fail {
        return (StatusCode::INTERNAL_SERVER_ERROR, "{\"code\":\"internal\"}").into_response();
    }
    let answer = payment_json(&body, "created", Some(CLIENT_SECRET));
    psp.created.push(body);
    (StatusCode::CREATED, Json(answer)).into_response()
}

async fn fetch(
    State(psp): State<Shared>,
    headers: HeaderMap,
    UrlPath(id): UrlPath<String>,
) -> Response {
    let Ok(mut psp) = psp.lock() else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    record_auth(&mut psp, &headers);
    let Some(request) = psp.created.last().filter(|_| id == PAYMENT_ID) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let mut answer = payment_json(request, psp.status, None);
    if let Some(text) = psp.hostile {
        answer["description"] = json!(text);
        answer["card"] = json!({"first_six": "", "last_four": text, "expiry": ""});
    }
    Json(answer).into_response()
}

async fn list_endpoints(State(psp): State<Shared>) -> Response {
    match psp.lock() {
        Ok(psp) if !psp.endpoints_down => Json(psp.endpoints.clone()).into_response(),
        Ok(_) | Err(_) => StatusCode::SERVICE_UNAVAILABLE.into_response(),
    }
}

async fn delete_endpoint(State(psp): State<Shared>, UrlPath(id): UrlPath<String>) -> Response {
    let (Ok(mut psp), Ok(id)) = (psp.lock(), id.parse::<EndpointId>()) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    psp.endpoints.retain(|e| e.id != id);
    psp.deleted.push(id);
    StatusCode::NO_CONTENT.into_response()
}

async fn rotate_secret(State(psp): State<Shared>, UrlPath(id): UrlPath<String>) -> Response {
    let (Ok(mut psp), Ok(id)) = (psp.lock(), id.parse::<EndpointId>()) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let Some(endpoint) = psp.endpoints.iter().find(|e| e.id == id).cloned() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    psp.rotated.push(id);
    let answer = EndpointWithSecret {
        endpoint,
        secret: PSP_SECRET.to_owned(),
    };
    Json(answer).into_response()
}

async fn create_endpoint(State(psp): State<Shared>, Json(body): Json<CreateEndpoint>) -> Response {
    let Ok(mut psp) = psp.lock() else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let endpoint = Endpoint {
        id: EndpointId::from_random([0x77; 16]),
        url: body.url.clone(),
        events: body
            .events
            .clone()
            .unwrap_or_else(|| EventType::ALL.to_vec()),
        created_at: 1_700_000_000,
        previous_secret_expires_at: None,
    };
    psp.endpoints.push(endpoint.clone());
    psp.endpoints_created.push(body);
    let answer = EndpointWithSecret {
        endpoint,
        secret: PSP_SECRET.to_owned(),
    };
    (StatusCode::CREATED, Json(answer)).into_response()
}

/// Starts the fake PSP; answers its base URL.
pub async fn spawn_psp(psp: Shared) -> TestResult<String> {
    let fake = Router::new()
        .route("/v1/payments", post(create))
        .route("/v1/payments/{id}", get(fetch))
        .route(
            "/v1/webhook-endpoints",
            get(list_endpoints).post(create_endpoint),
        )
        .route("/v1/webhook-endpoints/{id}", delete(delete_endpoint))
        .route(
            "/v1/webhook-endpoints/{id}/rotate-secret",
            post(rotate_secret),
        )
        .with_state(psp);
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}", listener.local_addr()?);
    tokio::spawn(async move { axum::serve(listener, fake).await });
    Ok(url)
}

/// A shop that keeps its orders in `data_dir`, listening on `listener`.
pub fn config(
    psp_api_url: String,
    listener: &TcpListener,
    data_dir: &Path,
    webhook_secret: Option<&str>,
) -> TestResult<Config> {
    let webhook_url = EndpointUrl::try_from(format!("{}/webhooks", url_of(listener)?))?;
    Ok(Config {
        psp_api_url,
        psp_checkout_url: CHECKOUT_ORIGIN.to_owned(),
        merchant_api_key: API_KEY.to_owned(),
        data_dir: data_dir.to_owned(),
        webhook_url,
        webhook_secret: webhook_secret.map(str::to_owned),
    })
}

pub fn url_of(listener: &TcpListener) -> TestResult<String> {
    Ok(format!("http://{}", listener.local_addr()?))
}

/// Starts a fake PSP and the shop in front of it (its webhook secret configured, its orders
/// in a fresh directory); returns the shop's base URL.
pub async fn spawn_shop(psp: Shared) -> TestResult<String> {
    let psp_url = spawn_psp(psp).await?;
    spawn_shop_against(psp_url).await
}

pub async fn spawn_shop_against(psp_api_url: String) -> TestResult<String> {
    let data = tempfile::tempdir()?;
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let config = config(psp_api_url, &listener, data.path(), Some(SHOP_SECRET))?;
    let url = url_of(&listener)?;
    // The directory lives as long as the shop.
    tokio::spawn(async move {
        let _data = data;
        demo_shop::run(listener, config).await
    });
    Ok(url)
}

pub async fn buy(shop: &str, quantity: &str) -> Result<(StatusCode, String), reqwest::Error> {
    let response = reqwest::Client::new()
        .post(format!("{shop}/checkout"))
        .form(&[("quantity", quantity)])
        .send()
        .await?;
    Ok((response.status(), response.text().await?))
}

/// An event about the payment the fake PSP created last.
pub fn event(psp: &Shared, kind: EventType, sequence: i64) -> TestResult<Event> {
    let psp = psp.lock().map_err(|e| e.to_string())?;
    let request = psp.created.last().ok_or("no payment was created")?;
    let payment = payment(request, "authorised", None);
    Ok(Event {
        id: EventId::from_random([0x42; 16]),
        kind,
        created: 1_700_000_100,
        sequence,
        amount: payment.amount.ore(),
        payment,
    })
}

/// Posts `event` to the shop's `/webhooks` as delivery `webhook_id`, signed with `secret`.
pub async fn deliver(
    shop: &str,
    secret: &str,
    webhook_id: &str,
    event: &Event,
) -> TestResult<StatusCode> {
    let body = serde_json::to_vec(event)?;
    let timestamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_secs();
    let timestamp = i64::try_from(timestamp)?;
    let signature = Webhook::new(secret)?.sign(webhook_id, timestamp, &body)?;
    let response = reqwest::Client::new()
        .post(format!("{shop}/webhooks"))
        .header("webhook-id", webhook_id)
        .header("webhook-timestamp", timestamp.to_string())
        .header("webhook-signature", signature)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await?;
    Ok(response.status())
}

/// The shop's status of the order for `PAYMENT_ID`, as the order list shows it.
pub async fn listed_status(shop: &str) -> TestResult<Option<String>> {
    let page = reqwest::get(format!("{shop}/orders")).await?.text().await?;
    let marker = format!("data-payment=\"{PAYMENT_ID}\" data-status=\"");
    Ok(page
        .split_once(&marker)
        .and_then(|(_, rest)| rest.split_once('"').map(|(status, _)| status.to_owned())))
}
