//! The full payment flow over real HTTP: backend, Vipps simulator and merchant calls,
//! each on its own port, with a fresh database per test.

use e2e::{Options, TestApp, TestResult, expect_json};
use serde_json::{Value, json};
use shared::checkout::{ApiErrorBody, CheckoutPayment, CheckoutStatus, ErrorCode, FailureReason};
use shared::merchant::{MerchantPayment, PaymentStatus};

const PHONE: &str = "91234567";

/// Creates and starts a payment; returns it with its Vipps pspTransactionId.
async fn started(app: &TestApp) -> TestResult<(MerchantPayment, String)> {
    let payment = app.create_payment(29_900).await?;
    let view: CheckoutPayment =
        expect_json(app.start(&payment, "+47 912 34 567").await?, 200).await?;
    assert_eq!(view.status, CheckoutStatus::AwaitingApp);
    assert!(
        view.vipps_url
            .as_deref()
            .is_some_and(|u| u.starts_with(&app.simulator_url)),
        "{view:?}"
    );
    let at_vipps = app.vipps_payment_for(PHONE).await?;
    let txn = at_vipps["psp_transaction_id"]
        .as_str()
        .ok_or("no psp_transaction_id")?
        .to_owned();
    assert_eq!(
        at_vipps["amount"],
        json!(29_900),
        "Vipps got the merchant's amount: {at_vipps}"
    );
    Ok((payment, txn))
}

#[tokio::test]
async fn a_payment_is_authorised_end_to_end_and_keeps_only_six_and_four_digits() -> TestResult {
    let app = TestApp::spawn().await?;
    let (payment, txn) = started(&app).await?;
    assert_eq!(payment.status, PaymentStatus::Created);

    let answer: Value = app.approve(&txn).await?;
    assert_eq!(answer["paymentInfo"]["status"], "OK", "{answer}");
    assert!(
        answer.get("errorMessage").is_none_or(Value::is_null),
        "{answer}"
    );

    assert_eq!(
        app.checkout_view(&payment).await?.status,
        CheckoutStatus::Succeeded
    );
    let merchant = app.merchant_view(&payment).await?;
    assert_eq!(merchant.status, PaymentStatus::Authorised);
    let card = merchant.card.ok_or("no masked card")?;
    assert_eq!(
        (card.first_six.as_str(), card.last_four.as_str()),
        ("492500", "0004")
    );
    assert!(
        merchant.client_secret.is_none(),
        "the secret is only returned at creation"
    );
    Ok(())
}

#[tokio::test]
async fn an_insufficient_funds_card_fails_with_error_89_and_that_reason() -> TestResult {
    let app = TestApp::spawn().await?;
    let (payment, txn) = started(&app).await?;
    let answer: Value = expect_json(
        app.vipps_control(&txn, "approve", json!({"card": "4000000000009995"}))
            .await?,
        200,
    )
    .await?;
    assert_eq!(answer["paymentInfo"]["status"], "FAIL", "{answer}");
    assert_eq!(answer["errorMessage"]["errorId"], "89", "{answer}");
    let view = app.checkout_view(&payment).await?;
    assert_eq!(
        (view.status, view.failure),
        (
            CheckoutStatus::Failed,
            Some(FailureReason::InsufficientFunds)
        )
    );
    assert_eq!(
        app.merchant_view(&payment).await?.status,
        PaymentStatus::Failed
    );
    Ok(())
}

#[tokio::test]
async fn a_rejection_in_the_app_fails_with_error_93_and_charges_nothing() -> TestResult {
    let app = TestApp::spawn().await?;
    let (payment, txn) = started(&app).await?;
    let answer: Value =
        expect_json(app.vipps_control(&txn, "reject", json!({})).await?, 200).await?;
    assert_eq!(answer["errorMessage"]["errorId"], "93", "{answer}");
    let merchant = app.merchant_view(&payment).await?;
    assert_eq!(
        (merchant.status, merchant.failure),
        (PaymentStatus::Failed, Some(FailureReason::RejectedInApp))
    );
    assert!(merchant.card.is_none());
    Ok(())
}

#[tokio::test]
async fn make_payment_with_a_wrong_or_missing_token_is_401_and_changes_nothing() -> TestResult {
    let app = TestApp::spawn().await?;
    let (payment, txn) = started(&app).await?;
    let body = json!({"pspTransactionId": txn, "merchantSerialNumber": "123456", "cardData": "AAAA", "confirmed": "YES"});
    let url = format!("{}/vipps/make-payment", app.backend_url);
    for token in [Some("wrong-token"), None] {
        let mut request = app.http.post(&url).json(&body);
        if let Some(token) = token {
            request = request.header("Authorization", token);
        }
        let response = request.send().await.map_err(|e| e.to_string())?;
        assert_eq!(response.status().as_u16(), 401);
    }
    assert_eq!(
        app.merchant_view(&payment).await?.status,
        PaymentStatus::AwaitingApp
    );
    Ok(())
}

#[tokio::test]
async fn the_merchant_api_requires_the_secret_key() -> TestResult {
    let app = TestApp::spawn().await?;
    let body = json!({"amount": 100, "merchant_order_id": "o1", "description": "x"});
    for key in ["", "sk_test_wrong"] {
        let url = format!("{}/v1/payments", app.backend_url);
        let response = app
            .http
            .post(url)
            .bearer_auth(key)
            .json(&body)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let error: ApiErrorBody = expect_json(response, 401).await?;
        assert_eq!(error.code, ErrorCode::Unauthorized);
    }
    Ok(())
}

#[tokio::test]
async fn the_widget_api_requires_the_payments_own_client_secret() -> TestResult {
    let app = TestApp::spawn().await?;
    let payment = app.create_payment(100).await?;
    let other = app.create_payment(100).await?;
    let url = format!("{}/api/checkout/payments/{}", app.backend_url, payment.id);
    let wrong = other.client_secret.unwrap_or_default();
    let response = app
        .http
        .get(&url)
        .header("x-client-secret", wrong)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    assert_eq!(
        expect_json::<ApiErrorBody>(response, 401).await?.code,
        ErrorCode::Unauthorized
    );
    let response = app.http.get(&url).send().await.map_err(|e| e.to_string())?;
    assert_eq!(response.status().as_u16(), 401);
    Ok(())
}

#[tokio::test]
async fn bad_merchant_input_is_a_typed_400_and_creates_nothing() -> TestResult {
    let app = TestApp::spawn().await?;
    for body in [
        json!({"amount": 0, "merchant_order_id": "o1", "description": "x"}),
        json!({"amount": 100, "currency": "SEK", "merchant_order_id": "o1", "description": "x"}),
        json!({"amount": 100, "merchant_order_id": "not valid!", "description": "x"}),
        json!({"amount": 100, "merchant_order_id": "o1", "description": ""}),
        json!({"amount": 1.5, "merchant_order_id": "o1", "description": "x"}),
    ] {
        let error: ApiErrorBody =
            expect_json(app.merchant_post("/v1/payments", &body).await?, 400).await?;
        assert_eq!(error.code, ErrorCode::InvalidRequest, "{body}");
    }
    // None of those took the order id.
    let ok = json!({"amount": 100, "merchant_order_id": "o1", "description": "x"});
    let _: MerchantPayment =
        expect_json(app.merchant_post("/v1/payments", &ok).await?, 201).await?;
    let error: ApiErrorBody =
        expect_json(app.merchant_post("/v1/payments", &ok).await?, 409).await?;
    assert_eq!(error.code, ErrorCode::DuplicateOrderId);
    Ok(())
}

#[tokio::test]
async fn a_bad_phone_number_is_refused_and_the_payment_stays_startable() -> TestResult {
    let app = TestApp::spawn().await?;
    let payment = app.create_payment(100).await?;
    for phone in ["22123456", "9123", "abc"] {
        let error: ApiErrorBody = expect_json(app.start(&payment, phone).await?, 400).await?;
        assert_eq!(error.code, ErrorCode::InvalidRequest, "{phone}");
    }
    assert_eq!(
        app.checkout_view(&payment).await?.status,
        CheckoutStatus::AwaitingPhone
    );
    let view: CheckoutPayment = expect_json(app.start(&payment, PHONE).await?, 200).await?;
    assert_eq!(view.status, CheckoutStatus::AwaitingApp);
    Ok(())
}

#[tokio::test]
async fn a_payment_cannot_be_started_twice() -> TestResult {
    let app = TestApp::spawn().await?;
    let (payment, _) = started(&app).await?;
    let error: ApiErrorBody = expect_json(app.start(&payment, PHONE).await?, 409).await?;
    assert_eq!(error.code, ErrorCode::InvalidState);
    Ok(())
}

#[tokio::test]
async fn an_expired_payment_cannot_be_started() -> TestResult {
    let app = TestApp::spawn_with(Options {
        payment_ttl_seconds: Some(0),
        ..Options::default()
    })
    .await?;
    let payment = app.create_payment(100).await?;
    assert_eq!(
        app.checkout_view(&payment).await?.status,
        CheckoutStatus::Expired
    );
    let error: ApiErrorBody = expect_json(app.start(&payment, PHONE).await?, 410).await?;
    assert_eq!(error.code, ErrorCode::PaymentExpired);
    assert_eq!(
        app.merchant_view(&payment).await?.status,
        PaymentStatus::Expired
    );
    Ok(())
}

#[tokio::test]
async fn a_make_payment_after_the_shopper_cancelled_is_too_late_and_charges_nothing() -> TestResult
{
    let app = TestApp::spawn().await?;
    let (payment, txn) = started(&app).await?;
    let view: CheckoutPayment =
        expect_json(app.checkout_post(&payment, "cancel").await?, 200).await?;
    assert_eq!(view.status, CheckoutStatus::Cancelled);

    let answer: Value = app.approve(&txn).await?;
    assert_eq!(answer["paymentInfo"]["status"], "FAIL", "{answer}");
    assert_eq!(answer["errorMessage"]["errorId"], "85", "{answer}");
    let merchant = app.merchant_view(&payment).await?;
    assert_eq!(merchant.status, PaymentStatus::Cancelled);
    assert!(merchant.card.is_none(), "no card was charged or kept");

    // A cancelled payment stays cancelled.
    let error: ApiErrorBody =
        expect_json(app.checkout_post(&payment, "cancel").await?, 409).await?;
    assert_eq!(error.code, ErrorCode::InvalidState);
    Ok(())
}

#[tokio::test]
async fn after_a_failure_the_shopper_can_try_again_with_a_new_attempt_at_vipps() -> TestResult {
    let app = TestApp::spawn().await?;
    let (payment, first) = started(&app).await?;
    let declined: Value = expect_json(
        app.vipps_control(&first, "approve", json!({"card": "4000000000009995"}))
            .await?,
        200,
    )
    .await?;
    assert_eq!(declined["errorMessage"]["errorId"], "89", "{declined}");

    let view: CheckoutPayment = expect_json(app.start(&payment, PHONE).await?, 200).await?;
    assert_eq!(
        (view.status, view.failure),
        (CheckoutStatus::AwaitingApp, None),
        "the new attempt starts clean"
    );
    let second = app.vipps_payment_for(PHONE).await?["psp_transaction_id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert_ne!(first, second, "a new pspTransactionId per attempt");
    let paid: Value = app.approve(&second).await?;
    assert_eq!(paid["paymentInfo"]["status"], "OK", "{paid}");
    let merchant = app.merchant_view(&payment).await?;
    assert_eq!(
        (merchant.status, merchant.failure),
        (PaymentStatus::Authorised, None)
    );
    Ok(())
}

#[tokio::test]
async fn a_runaway_poller_gets_429_with_retry_after() -> TestResult {
    let app = TestApp::spawn_with(Options {
        poll_limit_per_minute: Some(3),
        ..Options::default()
    })
    .await?;
    let payment = app.create_payment(100).await?;
    for _ in 0..3 {
        app.checkout_view(&payment).await?;
    }
    let url = format!("{}/api/checkout/payments/{}", app.backend_url, payment.id);
    let secret = payment.client_secret.clone().unwrap_or_default();
    let response = app
        .http
        .get(url)
        .header("x-client-secret", secret)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let retry_after = response
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    assert!(
        retry_after
            .as_deref()
            .and_then(|s| s.parse::<u64>().ok())
            .is_some_and(|s| (1..=60).contains(&s))
    );
    assert_eq!(
        expect_json::<ApiErrorBody>(response, 429).await?.code,
        ErrorCode::RateLimited
    );
    Ok(())
}

#[tokio::test]
async fn the_widget_gets_a_qr_code_of_the_landing_page_once_started() -> TestResult {
    let app = TestApp::spawn().await?;
    let payment = app.create_payment(100).await?;
    let qr_url = format!(
        "{}/api/checkout/payments/{}/qr",
        app.backend_url, payment.id
    );
    let secret = payment.client_secret.clone().unwrap_or_default();
    let before = app
        .http
        .get(&qr_url)
        .header("x-client-secret", &secret)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    assert_eq!(
        before.status().as_u16(),
        404,
        "no landing page before the start"
    );
    let _: CheckoutPayment = expect_json(app.start(&payment, PHONE).await?, 200).await?;
    let qr = app
        .http
        .get(&qr_url)
        .header("x-client-secret", &secret)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    assert_eq!(qr.status().as_u16(), 200);
    let svg = qr.text().await.map_err(|e| e.to_string())?;
    assert!(svg.contains("<svg") && svg.contains("<path"), "{svg}");
    let anonymous = app
        .http
        .get(&qr_url)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    assert_eq!(anonymous.status().as_u16(), 401);
    Ok(())
}

#[tokio::test]
async fn only_the_merchants_origins_may_frame_the_widget() -> TestResult {
    let app = TestApp::spawn_with(Options {
        allowed_origins: vec!["https://shop.example".into()],
        ..Options::default()
    })
    .await?;
    let payment = app.create_payment(10_000).await?;
    let response = app
        .http
        .get(format!(
            "{}/widget/?payment={}",
            app.backend_url, payment.id
        ))
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let csp = response
        .headers()
        .get("content-security-policy")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let ancestors = format!(
        "; frame-ancestors 'self' {} https://shop.example;",
        app.shop_url
    );
    assert!(csp.starts_with("default-src 'none';"), "{csp}");
    assert!(csp.contains(&ancestors), "{csp}");
    // Deliberately no X-Frame-Options: it cannot name the merchant's origins, and
    // `frame-ancestors` supersedes it.
    assert!(!response.headers().contains_key("x-frame-options"));
    Ok(())
}

/// The return page for `payment`, with `query` appended and `Accept-Language` if given.
async fn return_page(
    app: &TestApp,
    payment: &MerchantPayment,
    query: &str,
    accept_language: Option<&str>,
) -> TestResult<String> {
    let url = format!("{}/return/{}{query}", app.backend_url, payment.id);
    let mut request = app.http.get(url);
    if let Some(languages) = accept_language {
        request = request.header("accept-language", languages);
    }
    let response = request.send().await.map_err(|e| e.to_string())?;
    assert_eq!(response.status(), 200);
    let header = |name| {
        let value = response.headers().get(name);
        value.and_then(|v| v.to_str().ok()).unwrap_or_default()
    };
    let csp = header("content-security-policy");
    assert!(
        csp.starts_with("default-src 'none'; style-src 'sha256-"),
        "the return page runs no script: {csp}"
    );
    assert!(
        !csp.contains("script-src") && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    // It is never framed, and says so in both ways browsers understand.
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert_eq!(header("x-frame-options"), "DENY");
    response.text().await.map_err(|e| e.to_string())
}

#[tokio::test]
async fn the_return_page_shows_server_state_and_leads_back_to_the_merchant() -> TestResult {
    let app = TestApp::spawn().await?;
    let body = json!({"amount": 100, "merchant_order_id": "r1", "description": "x",
                      "return_url": "https://shop.example/orders/r1?a=1&b=2"});
    let payment: MerchantPayment =
        expect_json(app.merchant_post("/v1/payments", &body).await?, 201).await?;
    let page = return_page(&app, &payment, "", None).await?;
    assert!(page.contains("data-status=\"created\""), "{page}");
    assert!(
        page.contains("href=\"https://shop.example/orders/r1?a=1&amp;b=2\""),
        "{page}"
    );
    // Not final yet: the page reloads itself until it is.
    assert!(page.contains("http-equiv=\"refresh\""), "{page}");
    assert!(page.contains("<html lang=\"en\">"), "{page}");
    let bad = json!({"amount": 100, "merchant_order_id": "r2", "description": "x", "return_url": "javascript:alert(1)"});
    assert_eq!(
        expect_json::<ApiErrorBody>(app.merchant_post("/v1/payments", &bad).await?, 400)
            .await?
            .code,
        ErrorCode::InvalidRequest
    );
    Ok(())
}

#[tokio::test]
async fn the_return_page_speaks_the_widgets_language_else_the_browsers() -> TestResult {
    let app = TestApp::spawn().await?;
    let payment = app.create_payment(100).await?;
    let bokmal = return_page(&app, &payment, "", Some("nb-NO,nb;q=0.9,en;q=0.8")).await?;
    assert!(bokmal.contains("<html lang=\"nb\">"), "{bokmal}");
    assert!(bokmal.contains("<h1>Betalingen pågår</h1>"), "{bokmal}");
    // The widget's language (added to the redirect) wins over the browser's.
    let nynorsk = return_page(&app, &payment, "?lang=nn", Some("en-US")).await?;
    assert!(nynorsk.contains("<h1>Betalinga pågår</h1>"), "{nynorsk}");
    // One we do not speak falls back to the browser's.
    let english = return_page(&app, &payment, "?lang=xx", Some("en-GB")).await?;
    assert!(
        english.contains("<h1>Payment in progress</h1>"),
        "{english}"
    );

    // The widget says its language when it starts; one we do not speak is refused, and
    // the payment is left as it was.
    let body = json!({"phone_number": "91234567", "lang": "de"});
    let start = app.start_with(&payment, &body).await?;
    let refused: ApiErrorBody = expect_json(start, 400).await?;
    assert_eq!(refused.code, ErrorCode::InvalidRequest);
    let view = app.checkout_view(&payment).await?;
    assert_eq!(view.status, CheckoutStatus::AwaitingPhone);
    Ok(())
}
