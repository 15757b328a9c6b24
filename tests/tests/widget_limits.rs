//! The widget API's limits over real HTTP: what a stranger can and cannot use up, and
//! how often one payment may be started, cancelled and drawn as a QR code.

use e2e::{Options, TestApp, TestResult, expect_json};
use serde_json::{Value, json};
use shared::checkout::{
    ApiErrorBody, CLIENT_SECRET_HEADER, CheckoutPayment, CheckoutStatus, ErrorCode,
};
use shared::merchant::MerchantPayment;

const PHONE: &str = "91234567";

/// Simulator test amount: init answers 400 on `customerMobileNumber`.
const REFUSED_NUMBER: u64 = 1414;

/// `GET /api/checkout/payments/{id}` with `secret`.
async fn read(app: &TestApp, id: &str, secret: &str) -> TestResult<reqwest::Response> {
    app.http
        .get(format!("{}/api/checkout/payments/{id}", app.backend_url))
        .header(CLIENT_SECRET_HEADER, secret)
        .send()
        .await
        .map_err(|e| e.to_string())
}

/// `GET …/qr` with the payment's own secret.
async fn qr(app: &TestApp, payment: &MerchantPayment) -> TestResult<reqwest::Response> {
    let secret = payment.client_secret.clone().unwrap_or_default();
    app.http
        .get(format!(
            "{}/api/checkout/payments/{}/qr",
            app.backend_url, payment.id
        ))
        .header(CLIENT_SECRET_HEADER, secret)
        .send()
        .await
        .map_err(|e| e.to_string())
}

/// A well-formed payment id that no payment has.
fn random_id(n: u32) -> String {
    format!("pay_{n:032x}")
}

async fn status_and_code(response: reqwest::Response) -> TestResult<(u16, ErrorCode)> {
    let status = response.status().as_u16();
    let body: ApiErrorBody = response.json().await.map_err(|e| e.to_string())?;
    Ok((status, body.code))
}

#[tokio::test]
async fn a_wrong_secret_does_not_use_up_the_shoppers_budget() -> TestResult {
    let app = TestApp::spawn_with(Options {
        poll_limit_per_minute: Some(3),
        ..Options::default()
    })
    .await?;
    let payment = app.create_payment(100).await?;
    for _ in 0..10 {
        let stranger = read(&app, payment.id.as_str(), "cs_wrong").await?;
        assert_eq!(
            status_and_code(stranger).await?,
            (401, ErrorCode::Unauthorized)
        );
    }
    let view = app.checkout_view(&payment).await?;
    assert_eq!(view.status, CheckoutStatus::AwaitingPhone);
    Ok(())
}

#[tokio::test]
async fn a_flood_of_unknown_ids_from_one_address_is_answered_429() -> TestResult {
    let app = TestApp::spawn_with(Options {
        widget_failures_per_minute: Some(5),
        ..Options::default()
    })
    .await?;
    for n in 0..5 {
        let response = read(&app, &random_id(n), "cs_guess").await?;
        assert_eq!(
            status_and_code(response).await?,
            (401, ErrorCode::Unauthorized)
        );
    }
    let refused = read(&app, &random_id(5), "cs_guess").await?;
    let retry_after = refused
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|s| s.parse::<u64>().ok());
    assert!(
        retry_after.is_some_and(|s| (1..=60).contains(&s)),
        "{retry_after:?}"
    );
    assert_eq!(
        status_and_code(refused).await?,
        (429, ErrorCode::RateLimited)
    );
    let payment = app.create_payment(100).await?;
    let view = app.checkout_view(&payment).await?;
    assert_eq!(
        view.status,
        CheckoutStatus::AwaitingPhone,
        "a shopper at the same address still reads their own payment"
    );
    Ok(())
}

#[tokio::test]
async fn start_cancel_and_qr_get_429_past_their_limit() -> TestResult {
    let app = TestApp::spawn_with(Options {
        widget_actions_per_minute: Some(3),
        ..Options::default()
    })
    .await?;
    let payment = app.create_payment(100).await?;
    let view: CheckoutPayment = expect_json(app.start(&payment, PHONE).await?, 200).await?;
    assert_eq!(view.status, CheckoutStatus::AwaitingApp);
    for _ in 0..2 {
        let image = qr(&app, &payment).await?;
        assert_eq!(image.status().as_u16(), 200);
    }
    let responses = [
        qr(&app, &payment).await?,
        app.start(&payment, PHONE).await?,
        app.checkout_post(&payment, "cancel").await?,
    ];
    for response in responses {
        assert!(response.headers().contains_key("retry-after"));
        assert_eq!(
            status_and_code(response).await?,
            (429, ErrorCode::RateLimited)
        );
    }
    let view = app.checkout_view(&payment).await?;
    assert_eq!(
        view.status,
        CheckoutStatus::AwaitingApp,
        "the refused cancel changed nothing"
    );
    Ok(())
}

#[tokio::test]
async fn a_refused_start_tells_the_browser_our_words_not_vippss() -> TestResult {
    let app = TestApp::spawn().await?;
    let payment = app.create_payment(REFUSED_NUMBER).await?;
    let response = app.start(&payment, PHONE).await?;
    assert_eq!(response.status().as_u16(), 422);
    let text = response.text().await.map_err(|e| e.to_string())?;
    let body: ApiErrorBody = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    assert_eq!(body.code, ErrorCode::VippsRejected);
    assert_eq!(body.message, "Vipps refused the phone number");
    for vipps_words in ["not a Vipps user", "customerMobileNumber", "HTTP 400", "51"] {
        assert!(!text.contains(vipps_words), "{vipps_words:?} in {text}");
    }
    Ok(())
}

#[tokio::test]
async fn the_eleventh_start_after_refused_inits_is_refused_without_asking_vipps() -> TestResult {
    let app = TestApp::spawn().await?;
    let payment = app.create_payment(REFUSED_NUMBER).await?;
    for _ in 0..10 {
        let refused = app.start(&payment, PHONE).await?;
        assert_eq!(
            status_and_code(refused).await?,
            (422, ErrorCode::VippsRejected)
        );
    }
    // A queued fault that any further init would use up: it must stay queued.
    let fault = app
        .http
        .post(format!("{}/sim/init/fail", app.simulator_url))
        .json(&json!({"status": 503, "count": 1}))
        .send()
        .await
        .map_err(|e| e.to_string())?;
    assert!(fault.status().is_success());
    let eleventh = app.start(&payment, PHONE).await?;
    assert_eq!(
        status_and_code(eleventh).await?,
        (409, ErrorCode::TooManyAttempts)
    );
    let faults: Value = expect_json(
        app.http
            .get(format!("{}/sim/faults", app.simulator_url))
            .send()
            .await
            .map_err(|e| e.to_string())?,
        200,
    )
    .await?;
    assert_eq!(
        faults["init"][0]["remaining"],
        json!(1),
        "Vipps was not called: {faults}"
    );
    let view = app.checkout_view(&payment).await?;
    assert_eq!(view.status, CheckoutStatus::AwaitingPhone);
    Ok(())
}
