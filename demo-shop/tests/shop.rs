//! The shop against a fake PSP: both on port 0, spoken to over real HTTP.

use std::sync::{Arc, Mutex};

use axum::Json;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use demo_shop::Config;
use serde_json::{Value, json};
use shared::PaymentId;
use shared::merchant::{Amounts, CreatePayment, MerchantPayment, PaymentStatus};
use tokio::net::TcpListener;

type TestResult = Result<(), Box<dyn std::error::Error>>;

const PAYMENT_ID: &str = "pay_0123456789abcdef0123456789abcdef";
/// The random bytes behind `PAYMENT_ID`.
const PAYMENT_ID_BYTES: [u8; 16] = [
    0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
];
const CLIENT_SECRET: &str = "cs_test_secret";
const API_KEY: &str = "sk_test_merchant";
const CHECKOUT_ORIGIN: &str = "http://widget.test:8080";

/// What the fake PSP answers and what it was sent.
#[derive(Default)]
struct FakePsp {
    fail: bool,
    status: &'static str,
    /// Answers reads with this text in every free-text field the order page shows.
    hostile: Option<&'static str>,
    authorization: Vec<String>,
    created: Vec<CreatePayment>,
}

type Shared = Arc<Mutex<FakePsp>>;

/// The payment as the real backend would answer it, built from the shared type so that the
/// fake cannot drift from the wire contract.
fn payment_json(request: &CreatePayment, status: &str, secret: Option<&str>) -> Value {
    let status = serde_json::from_value(json!(status)).unwrap_or(PaymentStatus::Created);
    let payment = MerchantPayment {
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
    };
    serde_json::to_value(payment).unwrap_or_default()
}

async fn create(
    State(psp): State<Shared>,
    headers: HeaderMap,
    Json(body): Json<CreatePayment>,
) -> Response {
    let Ok(mut psp) = psp.lock() else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let auth = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    psp.authorization.push(auth.to_owned());
    if psp.fail {
        return (StatusCode::INTERNAL_SERVER_ERROR, "{\"code\":\"internal\"}").into_response();
    }
    let answer = payment_json(&body, "created", Some(CLIENT_SECRET));
    psp.created.push(body);
    (StatusCode::CREATED, Json(answer)).into_response()
}

async fn fetch(State(psp): State<Shared>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    let Ok(mut psp) = psp.lock() else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let auth = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    psp.authorization.push(auth.to_owned());
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

/// Starts a fake PSP and the shop in front of it; returns the shop's base URL.
async fn spawn_shop(psp: Shared) -> Result<String, Box<dyn std::error::Error>> {
    let fake = Router::new()
        .route("/v1/payments", post(create))
        .route("/v1/payments/{id}", get(fetch))
        .with_state(psp);
    let psp_listener = TcpListener::bind("127.0.0.1:0").await?;
    let psp_url = format!("http://{}", psp_listener.local_addr()?);
    tokio::spawn(async move { axum::serve(psp_listener, fake).await });
    spawn_shop_against(psp_url).await
}

async fn spawn_shop_against(psp_api_url: String) -> Result<String, Box<dyn std::error::Error>> {
    let config = Config {
        psp_api_url,
        psp_checkout_url: CHECKOUT_ORIGIN.to_owned(),
        merchant_api_key: API_KEY.to_owned(),
    };
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}", listener.local_addr()?);
    tokio::spawn(demo_shop::run(listener, config));
    Ok(url)
}

async fn buy(shop: &str, quantity: &str) -> Result<(StatusCode, String), reqwest::Error> {
    let response = reqwest::Client::new()
        .post(format!("{shop}/checkout"))
        .form(&[("quantity", quantity)])
        .send()
        .await?;
    Ok((response.status(), response.text().await?))
}

#[tokio::test]
async fn checkout_page_embeds_the_widget_for_the_payment_the_server_created() -> TestResult {
    let psp = Shared::default();
    let shop = spawn_shop(psp.clone()).await?;

    let (status, page) = buy(&shop, "2").await?;

    assert_eq!(status, StatusCode::OK, "{page}");
    let script = format!(
        "<div id=\"vipps-checkout\"></div><script src=\"{CHECKOUT_ORIGIN}/checkout.js\" \
         data-payment=\"{PAYMENT_ID}\" data-client-secret=\"{CLIENT_SECRET}\" \
         data-container=\"#vipps-checkout\"></script>"
    );
    assert!(page.contains(&script), "{page}");
    assert!(page.contains("vipps-psp:succeeded"), "{page}");
    assert!(page.contains("598,00 kr"), "{page}");
    assert!(
        !page.contains(API_KEY),
        "the merchant key must never reach the browser"
    );

    let psp = psp.lock().map_err(|e| e.to_string())?;
    assert_eq!(psp.authorization, [format!("Bearer {API_KEY}")]);
    let [sent] = psp.created.as_slice() else {
        return Err("expected exactly one payment".into());
    };
    assert_eq!(sent.amount.ore(), 59_800);
    assert_eq!(sent.currency.code(), "NOK");
    assert_eq!(sent.description.as_str(), "2 × Vipps socks");
    assert!(sent.merchant_order_id.as_str().starts_with("shop"));
    Ok(())
}

#[tokio::test]
async fn psp_failure_gives_a_friendly_502_page() -> TestResult {
    let psp = Shared::default();
    psp.lock().map_err(|e| e.to_string())?.fail = true;
    let shop = spawn_shop(psp).await?;

    let (status, page) = buy(&shop, "1").await?;

    assert_eq!(status, StatusCode::BAD_GATEWAY);
    assert!(
        page.contains("could not reach our payment provider"),
        "{page}"
    );
    assert!(!page.contains("vipps-checkout"), "{page}");
    Ok(())
}

#[tokio::test]
async fn unreachable_psp_gives_a_502_page() -> TestResult {
    let closed = TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}", closed.local_addr()?);
    drop(closed);
    let shop = spawn_shop_against(url).await?;

    let (status, _) = buy(&shop, "1").await?;

    assert_eq!(status, StatusCode::BAD_GATEWAY);
    Ok(())
}

#[tokio::test]
async fn a_bad_quantity_is_refused_without_calling_the_psp() -> TestResult {
    let psp = Shared::default();
    let shop = spawn_shop(psp.clone()).await?;

    let (status, _) = buy(&shop, "999").await?;

    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        psp.lock()
            .map_err(|e| e.to_string())?
            .authorization
            .is_empty()
    );
    Ok(())
}

async fn order_page(psp_status: &'static str) -> Result<String, Box<dyn std::error::Error>> {
    let psp = Shared::default();
    psp.lock().map_err(|e| e.to_string())?.status = psp_status;
    let shop = spawn_shop(psp.clone()).await?;
    buy(&shop, "1").await?;
    let response = reqwest::get(format!("{shop}/orders/{PAYMENT_ID}")).await?;
    assert_eq!(response.status(), StatusCode::OK);
    let auth = psp.lock().map_err(|e| e.to_string())?.authorization.clone();
    assert_eq!(
        auth.last().map(String::as_str),
        Some("Bearer sk_test_merchant")
    );
    Ok(response.text().await?)
}

#[tokio::test]
async fn order_page_thanks_the_shopper_when_the_psp_says_authorised() -> TestResult {
    let page = order_page("authorised").await?;
    assert!(
        page.contains("id=\"order-status\" data-status=\"authorised\""),
        "{page}"
    );
    assert!(page.contains("Thank you, order paid"), "{page}");
    Ok(())
}

#[tokio::test]
async fn order_page_shows_the_status_when_not_paid() -> TestResult {
    let page = order_page("processing").await?;
    assert!(page.contains("data-status=\"processing\""), "{page}");
    assert!(!page.contains("Thank you"), "{page}");
    Ok(())
}

#[tokio::test]
async fn unknown_orders_are_not_found() -> TestResult {
    let shop = spawn_shop(Shared::default()).await?;
    for id in ["not-a-payment-id", PAYMENT_ID] {
        let response = reqwest::get(format!("{shop}/orders/{id}")).await?;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{id}");
    }
    Ok(())
}

#[tokio::test]
async fn home_page_has_a_buy_button() -> TestResult {
    let shop = spawn_shop(Shared::default()).await?;
    let page = reqwest::get(format!("{shop}/")).await?.text().await?;
    assert!(page.contains("id=\"buy\""), "{page}");
    assert!(page.contains("Vipps socks"), "{page}");
    Ok(())
}

#[tokio::test]
async fn hostile_text_from_the_psp_is_shown_as_text_on_the_order_page() -> TestResult {
    let psp = Shared::default();
    {
        let mut fake = psp.lock().map_err(|e| e.to_string())?;
        fake.status = "authorised";
        fake.hostile = Some("<img src=x onerror=alert(1)>");
    }
    let shop = spawn_shop(psp.clone()).await?;
    buy(&shop, "1").await?;
    let page = reqwest::get(format!("{shop}/orders/{PAYMENT_ID}"))
        .await?
        .text()
        .await?;
    assert!(!page.contains("<img"), "{page}");
    assert_eq!(
        page.matches("&lt;img src=x onerror=alert(1)&gt;").count(),
        2,
        "{page}"
    );
    Ok(())
}
