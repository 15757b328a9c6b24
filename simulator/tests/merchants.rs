//! Merchants as Vipps knows them: by Merchant Serial Number, each seeing only its own
//! payments, the unavailable test MSN, and merchants added at runtime.

mod support;

use reqwest::StatusCode;
use serde_json::{Value, json};
use shared::sandbox::{
    MERCHANT_NAME, MERCHANT_SERIAL_NUMBER, SECOND_MERCHANT_NAME, SECOND_MERCHANT_SERIAL_NUMBER,
    UNAVAILABLE_MERCHANT_SERIAL_NUMBER,
};
use shared::vipps::ErrorDetails;
use support::{TestApp, TestResult, random_id, spawn_app, transaction};

/// Initiates `body` as the merchant `msn`; the status and the answer.
async fn init_as(app: &TestApp, msn: &str, body: &Value) -> TestResult<(StatusCode, Value)> {
    let token = app.token().await?;
    let answer = app
        .psp_call_as(msn, "init", &token, &random_id())
        .json(body)
        .send()
        .await?;
    Ok((answer.status(), answer.json().await?))
}

fn error_code(answer: &Value) -> Option<String> {
    let errors: Vec<ErrorDetails> = serde_json::from_value(answer.clone()).ok()?;
    errors.first().map(|e| e.error_code.clone())
}

#[tokio::test]
async fn each_merchant_sees_and_updates_only_its_own_payments() -> TestResult {
    let app = spawn_app().await?;
    let (first, _) = init_as(
        &app,
        MERCHANT_SERIAL_NUMBER,
        &app.init_body("tx1", "order1"),
    )
    .await?;
    let second_msn = SECOND_MERCHANT_SERIAL_NUMBER;
    // The same merchantOrderId is the second merchant's own.
    let (second, _) = init_as(&app, second_msn, &app.init_body("tx2", "order1")).await?;
    assert_eq!((first, second), (StatusCode::OK, StatusCode::OK));
    app.sim_post("tx1/approve", json!({})).await?;
    let token = app.token().await?;

    for (msn, id, expected) in [
        (MERCHANT_SERIAL_NUMBER, "tx1", StatusCode::OK),
        (second_msn, "tx1", StatusCode::NOT_FOUND),
        (MERCHANT_SERIAL_NUMBER, "tx2", StatusCode::NOT_FOUND),
        (second_msn, "tx2", StatusCode::OK),
    ] {
        let details = app.details_as(msn, &token, id).await?;
        assert_eq!(details.status(), expected, "{msn} reading {id}");
    }

    let capture = json!({"transactions": [transaction("tx1", "CAPTURED", 29900)]});
    let refused = app
        .psp_call_as(second_msn, "updatestatus", &token, &random_id())
        .json(&capture)
        .send()
        .await?;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    let details: simulator::PaymentDetails = app.details(&token, "tx1").await?.json().await?;
    assert_eq!(details.transaction_summary.captured_amount, 0);
    Ok(())
}

#[tokio::test]
async fn the_unavailable_msn_always_gets_error_21() -> TestResult {
    let app = spawn_app().await?;
    let unavailable = UNAVAILABLE_MERCHANT_SERIAL_NUMBER;
    let (status, answer) = init_as(&app, unavailable, &app.init_body("tx1", "order1")).await?;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error_code(&answer).as_deref(), Some("21"), "{answer}");

    let path = format!("merchants/{unavailable}");
    let refused = app.control_put(&path, json!({"name": "Sneaky AS"})).await?;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    let (status, answer) = init_as(&app, unavailable, &app.init_body("tx1", "order1")).await?;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error_code(&answer).as_deref(), Some("21"), "{answer}");
    Ok(())
}

#[tokio::test]
async fn the_landing_page_and_the_app_show_the_payments_own_merchant() -> TestResult {
    let app = spawn_app().await?;
    let body = app.init_body("tx2", "order2");
    let (_, answer) = init_as(&app, SECOND_MERCHANT_SERIAL_NUMBER, &body).await?;
    let landing = answer["vippsRedirectUrl"].as_str().unwrap_or_default();
    let phone_app = format!("{}/app?phone=91234567", app.sim);
    for url in [landing, phone_app.as_str()] {
        let page = app.http.get(url).send().await?.text().await?;
        assert!(page.contains(SECOND_MERCHANT_NAME), "{url}: {page}");
        assert!(!page.contains(MERCHANT_NAME), "{url}: {page}");
    }
    Ok(())
}

#[tokio::test]
async fn a_merchant_added_at_runtime_is_known_at_once_and_may_be_renamed() -> TestResult {
    let app = spawn_app().await?;
    let (status, answer) = init_as(&app, "111111", &app.init_body("tx1", "order1")).await?;
    assert_eq!(
        error_code(&answer).as_deref(),
        Some("21"),
        "{status} {answer}"
    );

    let added = app
        .control_put("merchants/111111", json!({"name": "Nordlys Sko AS"}))
        .await?;
    assert_eq!(added.status(), StatusCode::CREATED);
    let (status, answer) = init_as(&app, "111111", &app.init_body("tx1", "order1")).await?;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let landing = answer["vippsRedirectUrl"].as_str().unwrap_or_default();

    let renamed = app
        .control_put(
            "merchants/111111",
            json!({"name": "Nordlys Sko og Sport AS"}),
        )
        .await?;
    assert_eq!(renamed.status(), StatusCode::OK);
    let listed = app.control_get("merchants").await?;
    assert!(
        listed.as_array().is_some_and(|all| all
            .contains(&json!({"serial_number": "111111", "name": "Nordlys Sko og Sport AS"}))),
        "{listed}"
    );
    let page = app.http.get(landing).send().await?.text().await?;
    assert!(
        page.contains("Nordlys Sko AS"),
        "a payment keeps the name it was made under: {page}"
    );
    Ok(())
}

#[tokio::test]
async fn bad_merchants_are_refused_by_the_control_api() -> TestResult {
    let app = spawn_app().await?;
    for (path, body) in [
        ("merchants/12345", json!({"name": "Short AS"})),
        ("merchants/abcdef", json!({"name": "Letters AS"})),
        ("merchants/222222", json!({})),
        ("merchants/222222", json!({"name": "  "})),
        ("merchants/222222", json!({"name": "A", "colour": "red"})),
    ] {
        let answer = app.control_put(path, body.clone()).await?;
        assert_eq!(answer.status(), StatusCode::BAD_REQUEST, "{path} {body}");
        let error: Value = answer.json().await?;
        assert_eq!(error["error"], "invalid_request");
    }
    let listed = app.control_get("merchants").await?;
    assert_eq!(listed.as_array().map(Vec::len), Some(2), "{listed}");
    Ok(())
}
