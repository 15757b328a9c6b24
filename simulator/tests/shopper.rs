//! The shopper side over real HTTP: makePayment sent several times, at once, repeated after
//! the fact, sent late; the shopper timeout; and the test phone numbers.

mod support;

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};
use shared::vipps::Confirmed;
use support::{PAIRED_TOKEN, TestApp, TestResult, spawn_app, spawn_app_with};

async fn payment(app: &TestApp, id: &str) -> TestResult<Value> {
    app.control_get(&format!("payments/{id}")).await
}

/// The statuses (`OK`/`FAIL`) of a `{"answers": [...]}` reply.
fn statuses(reply: &Value) -> Vec<&str> {
    reply["answers"]
        .as_array()
        .map(|answers| {
            answers
                .iter()
                .map(|a| a["paymentInfo"]["status"].as_str().unwrap_or("none"))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn approving_three_times_sends_the_same_make_payment_three_times_and_reserves_once()
-> TestResult {
    let mut app = spawn_app().await?;
    app.init(&app.init_body("tx1", "order1")).await?;
    let reply = app
        .sim_post("tx1/approve", json!({"times": 3, "concurrent": false}))
        .await?;
    assert_eq!(reply.status(), StatusCode::OK);
    let reply: Value = reply.json().await?;
    assert_eq!(statuses(&reply), ["OK", "OK", "OK"]);

    let mut card_data = Vec::new();
    while let Some(call) = app.received() {
        assert_eq!(call.request.confirmed, Confirmed::Yes);
        card_data.push(call.request.card_data.unwrap_or_default());
    }
    assert_eq!(card_data.len(), 3);
    assert!(
        card_data
            .iter()
            .all(|c| c.len() == 344 && *c == card_data[0]),
        "every call carries the same cardData"
    );
    let view = payment(&app, "tx1").await?;
    assert_eq!(view["state"], "approved");
    assert_eq!(view["make_payment_calls"].as_array().map(Vec::len), Some(3));
    let reserved = view["transaction_log_history"]
        .as_array()
        .map(|log| log.iter().filter(|e| e["operation"] == "RESERVED").count());
    assert_eq!(reserved, Some(1));
    Ok(())
}

#[tokio::test]
async fn approving_twice_at_once_has_both_calls_in_flight_together() -> TestResult {
    let app = spawn_app().await?;
    let mut body = app.init_body("tx1", "order1");
    // The fake PSP answers neither call until both have arrived.
    body["makePaymentToken"] = json!(PAIRED_TOKEN);
    app.init(&body).await?;
    let reply: Value = app
        .sim_post("tx1/approve", json!({"times": 2, "concurrent": true}))
        .await?
        .json()
        .await?;
    assert_eq!(statuses(&reply), ["OK", "OK"], "{reply}");
    assert_eq!(payment(&app, "tx1").await?["state"], "approved");
    Ok(())
}

#[tokio::test]
async fn a_repeat_after_the_payment_is_finished_sends_the_recorded_request_again() -> TestResult {
    let mut app = spawn_app().await?;
    app.init(&app.init_body("tx1", "order1")).await?;
    let not_sent = app.sim_post("tx1/approve", json!({"repeat": true})).await?;
    assert_eq!(not_sent.status(), StatusCode::CONFLICT);
    assert_eq!(not_sent.json::<Value>().await?["error"], "not_sent");

    app.sim_post("tx1/approve", json!({"card": "4925000000000004"}))
        .await?;
    let first = app.next_call().await?;
    let again = app.sim_post("tx1/approve", json!({})).await?;
    assert_eq!(again.status(), StatusCode::CONFLICT, "without repeat");
    assert_eq!(again.json::<Value>().await?["error"], "not_pending");

    let repeated = app.sim_post("tx1/approve", json!({"repeat": true})).await?;
    assert_eq!(repeated.status(), StatusCode::OK);
    let repeated: Value = repeated.json().await?;
    assert_eq!(repeated["paymentInfo"]["status"], "OK", "{repeated}");
    let second = app.next_call().await?;
    assert_eq!(second.request, first.request, "same request, same cardData");

    let listed: Value = app
        .sim_post("tx1/approve", json!({"repeat": true, "times": 2}))
        .await?
        .json()
        .await?;
    assert_eq!(statuses(&listed), ["OK", "OK"]);
    let view = payment(&app, "tx1").await?;
    assert_eq!(view["state"], "approved");
    assert_eq!(view["make_payment_calls"].as_array().map(Vec::len), Some(4));

    let mismatch = app.sim_post("tx1/reject", json!({"repeat": true})).await?;
    assert_eq!(mismatch.status(), StatusCode::CONFLICT);
    assert_eq!(mismatch.json::<Value>().await?["error"], "repeat_mismatch");
    let with_card = app
        .sim_post(
            "tx1/approve",
            json!({"repeat": true, "card": "4925000000000004"}),
        )
        .await?;
    assert_eq!(with_card.status(), StatusCode::BAD_REQUEST);
    Ok(())
}

#[tokio::test]
async fn bodies_out_of_range_or_with_unknown_fields_are_refused() -> TestResult {
    let app = spawn_app().await?;
    app.init(&app.init_body("tx1", "order1")).await?;
    for body in [
        json!({"times": 0}),
        json!({"times": 101}),
        json!({"late": true}),
        json!({"concurrent": "yes"}),
    ] {
        let answer = app.sim_post("tx1/approve", body.clone()).await?;
        assert_eq!(answer.status(), StatusCode::BAD_REQUEST, "{body}");
        let answer: Value = answer.json().await?;
        assert_eq!(answer["error"], "invalid_request");
    }
    assert_eq!(payment(&app, "tx1").await?["state"], "awaiting_user");
    Ok(())
}

#[tokio::test]
async fn a_late_make_payment_can_be_sent_after_the_shopper_left_the_landing_page() -> TestResult {
    let mut app = spawn_app().await?;
    let answer = app.init(&app.init_body("tx1", "order1")).await?;
    let landing = answer["vippsRedirectUrl"].as_str().unwrap_or_default();
    let confirmed = app.http.post(format!("{landing}/confirm")).send().await?;
    assert_eq!(confirmed.status(), StatusCode::SEE_OTHER);
    assert!(app.received().is_none());
    // Meanwhile the PSP may have cancelled; Vipps still sends the shopper's answer.
    let late = app.sim_post("tx1/approve", json!({})).await?;
    assert_eq!(late.status(), StatusCode::OK);
    assert_eq!(app.next_call().await?.request.confirmed, Confirmed::Yes);
    Ok(())
}

#[tokio::test]
async fn a_shopper_who_never_acts_gets_timeout_from_the_clock() -> TestResult {
    let mut app =
        spawn_app_with(|config| config.shopper_timeout = Duration::from_millis(1)).await?;
    app.init(&app.init_body("tx1", "order1")).await?;
    let call = app.next_call().await?;
    assert_eq!(call.request.confirmed, Confirmed::Timeout);
    assert_eq!(call.request.card_data, None);
    let view = payment(&app, "tx1").await?;
    assert_eq!(view["confirmed"], "TIMEOUT");
    let approve = app.sim_post("tx1/approve", json!({})).await?;
    assert_eq!(approve.status(), StatusCode::CONFLICT);
    Ok(())
}

#[tokio::test]
async fn the_shopper_timeout_defaults_to_five_minutes_after_init() -> TestResult {
    let app = spawn_app().await?;
    app.init(&app.init_body("tx1", "order1")).await?;
    let view = payment(&app, "tx1").await?;
    let (created, due) = (
        view["created_at"].as_i64().unwrap_or_default(),
        view["shopper_timeout_at"].as_i64().unwrap_or_default(),
    );
    assert_eq!(due - created, 300);
    assert_eq!(view["state"], "awaiting_user");
    Ok(())
}

/// Initiates `id` for `phone` and posts the landing page's Confirm.
async fn confirm_with(
    app: &TestApp,
    id: &str,
    phone: &str,
    token: &str,
) -> TestResult<reqwest::Response> {
    let mut body = app.init_body(id, &format!("order{id}"));
    body["customerMobileNumber"] = json!(phone);
    body["makePaymentToken"] = json!(token);
    let answer = app.init(&body).await?;
    let landing = answer["vippsRedirectUrl"].as_str().unwrap_or_default();
    Ok(app.http.post(format!("{landing}/confirm")).send().await?)
}

#[tokio::test]
async fn test_phone_numbers_answer_as_soon_as_the_landing_page_is_confirmed() -> TestResult {
    let mut app = spawn_app().await?;
    let cases = [
        ("40000001", Confirmed::No, "declined"),
        ("40000002", Confirmed::Timeout, "declined"),
        ("40000003", Confirmed::Cancel, "declined"),
        ("40000004", Confirmed::Yes, "approved"),
    ];
    for (i, (phone, confirmed, state)) in cases.into_iter().enumerate() {
        let id = format!("tx{i}");
        let answer = confirm_with(&app, &id, phone, "mp-token-1").await?;
        assert_eq!(answer.status(), StatusCode::SEE_OTHER, "{phone}");
        let location = answer
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok());
        assert_eq!(location, Some("http://shop.test/back"), "{phone}");
        let call = app.next_call().await?;
        assert_eq!(call.request.confirmed, confirmed, "{phone}");
        assert_eq!(payment(&app, &id).await?["state"], state, "{phone}");
    }
    assert!(app.received().is_none(), "one makePayment each");

    let mut body = app.init_body("typed", "ordertyped");
    body["customerMobileNumber"] = Value::Null;
    let answer = app.init(&body).await?;
    let landing = answer["vippsRedirectUrl"].as_str().unwrap_or_default();
    let typed = app
        .http
        .post(format!("{landing}/confirm"))
        .form(&[("phone", "400 00 001")])
        .send()
        .await?;
    assert_eq!(typed.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.next_call().await?.request.confirmed, Confirmed::No);
    Ok(())
}

#[tokio::test]
async fn test_phone_numbers_can_make_vipps_send_make_payment_twice() -> TestResult {
    let mut app = spawn_app().await?;
    confirm_with(&app, "twice", "40000005", "mp-token-1").await?;
    let (first, second) = (app.next_call().await?, app.next_call().await?);
    assert_eq!(first.request, second.request);
    assert_eq!(first.request.confirmed, Confirmed::Yes);
    let view = payment(&app, "twice").await?;
    assert_eq!(view["state"], "approved");
    assert_eq!(view["make_payment_calls"].as_array().map(Vec::len), Some(2));

    // Only answered once both calls are in flight.
    confirm_with(&app, "atonce", "40000006", PAIRED_TOKEN).await?;
    let view = payment(&app, "atonce").await?;
    assert_eq!(view["state"], "approved", "{view}");
    let outcomes: Vec<&Value> = view["make_payment_calls"]
        .as_array()
        .map(|calls| calls.iter().map(|c| &c["outcome"]).collect())
        .unwrap_or_default();
    assert_eq!(outcomes, [&json!("approved"), &json!("approved")]);
    Ok(())
}
