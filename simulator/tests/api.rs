//! The simulator over real HTTP: tokens, init checks, and makePayment as the PSP receives it.

mod support;

use reqwest::StatusCode;
use serde_json::{Value, json};
use shared::vipps::{Confirmed, ErrorDetails, MakePaymentResponse, PaymentInfoStatus};
use support::{BROKEN_TOKEN, TestResult, random_id, spawn_app};

fn first_error(errors: &[ErrorDetails]) -> (&str, Option<&str>) {
    errors.first().map_or(("", None), |e| {
        (e.error_code.as_str(), e.error_key.as_deref())
    })
}

#[tokio::test]
async fn a_token_lets_the_psp_initiate_a_payment_shown_on_the_landing_page() -> TestResult {
    let app = spawn_app().await?;
    let token = app.token().await?;
    assert_eq!(token.len(), 64);
    let answer = app
        .psp_call("init", &token, "req-1")
        .json(&app.init_body("tx1", "order1"))
        .send()
        .await?;
    assert_eq!(answer.status(), StatusCode::OK);
    let answer: Value = answer.json().await?;
    assert_eq!(answer["pspTransactionId"], "tx1");
    assert_eq!(answer["merchantOrderId"], "order1");
    let landing = answer["vippsRedirectUrl"].as_str().unwrap_or_default();
    assert!(
        landing.starts_with(&format!("{}/landing/", app.sim)),
        "{landing}"
    );

    let page = app.http.get(landing).send().await?.text().await?;
    assert!(
        page.contains("299,00 kr")
            && page.contains("Demo Shop AS")
            && page.contains("id=\"confirm\"")
    );
    let listed: Value = app
        .http
        .get(format!("{}/sim/payments?phone=91234567", app.sim))
        .send()
        .await?
        .json()
        .await?;
    assert_eq!(listed[0]["psp_transaction_id"], "tx1");
    assert_eq!(listed[0]["state"], "awaiting_user");
    assert_eq!(listed[0]["amount"], 29900);
    Ok(())
}

#[tokio::test]
async fn a_retried_init_with_the_same_request_id_gets_the_same_answer() -> TestResult {
    let app = spawn_app().await?;
    let token = app.token().await?;
    let body = app.init_body("tx1", "order1");
    let first: Value = app
        .psp_call("init", &token, "same")
        .json(&body)
        .send()
        .await?
        .json()
        .await?;
    let again = app
        .psp_call("init", &token, "same")
        .json(&body)
        .send()
        .await?;
    assert_eq!(again.status(), StatusCode::OK);
    assert_eq!(again.json::<Value>().await?, first);
    let other = app
        .psp_call("init", &token, "other")
        .json(&body)
        .send()
        .await?;
    assert_eq!(other.status(), StatusCode::BAD_REQUEST);
    Ok(())
}

#[tokio::test]
async fn init_answers_vipps_errors() -> TestResult {
    let app = spawn_app().await?;
    let token = app.token().await?;
    let bad_token = app
        .psp_call("init", "not-a-token", "r")
        .json(&app.init_body("tx1", "o1"))
        .send()
        .await?;
    assert_eq!(bad_token.status(), StatusCode::UNAUTHORIZED);

    let refused = |field: &'static str, value: Value| {
        let mut body = app.init_body("tx2", "o2");
        body[field] = value;
        let call = app.psp_call("init", &token, &random_id()).json(&body);
        async move {
            let answer = call.send().await?;
            let status = answer.status();
            Ok::<_, Box<dyn std::error::Error>>((status, answer.json::<Vec<ErrorDetails>>().await?))
        }
    };
    let (status, errors) = refused("amount", json!(0)).await?;
    assert_eq!(
        (status, first_error(&errors)),
        (
            StatusCode::BAD_REQUEST,
            ("amount", Some("amount.less.than.one"))
        )
    );
    let (status, errors) = refused("currency", json!("SEK")).await?;
    assert_eq!(
        (status, first_error(&errors)),
        (
            StatusCode::BAD_REQUEST,
            ("currency", Some("transaction.currency.invalid"))
        )
    );

    app.init(&app.init_body("tx1", "o1")).await?;
    let duplicate_tx = app
        .psp_call("init", &token, &random_id())
        .json(&app.init_body("tx1", "o3"))
        .send()
        .await?;
    assert_eq!(duplicate_tx.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        first_error(&duplicate_tx.json::<Vec<ErrorDetails>>().await?).0,
        "44"
    );
    let duplicate_order = app
        .psp_call("init", &token, &random_id())
        .json(&app.init_body("tx4", "o1"))
        .send()
        .await?;
    assert_eq!(duplicate_order.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        first_error(&duplicate_order.json::<Vec<ErrorDetails>>().await?).0,
        "99"
    );
    Ok(())
}

#[tokio::test]
async fn approving_sends_encrypted_card_data_with_the_make_payment_token() -> TestResult {
    let mut app = spawn_app().await?;
    app.init(&app.init_body("tx1", "order1")).await?;
    let answer = app
        .sim_post("tx1/approve", json!({"card": "4925000000000004"}))
        .await?;
    assert_eq!(answer.status(), StatusCode::OK);
    let answer: MakePaymentResponse = answer.json().await?;
    assert_eq!(answer.payment_info.status, PaymentInfoStatus::Ok);

    let Some(call) = app.received() else {
        return Err("makePayment was not called".into());
    };
    assert_eq!(call.authorization.as_deref(), Some("mp-token-1"));
    assert_eq!(call.request.confirmed, Confirmed::Yes);
    assert_eq!(
        call.request.merchant_serial_number,
        shared::sandbox::MERCHANT_SERIAL_NUMBER
    );
    let card_data = call.request.card_data.unwrap_or_default();
    assert_eq!(card_data.len(), 344);
    let plain = app.decrypt(&card_data)?;
    let parts: Vec<&str> = plain.split(',').collect();
    let [card, expiry, session] = parts.as_slice() else {
        return Err(format!("not 3 parts: {plain}").into());
    };
    assert_eq!(*card, "4925000000000004");
    let month = expiry
        .get(2..)
        .and_then(|m| m.parse::<u8>().ok())
        .unwrap_or_default();
    assert!(expiry.len() == 4 && (1..=12).contains(&month), "{expiry}");
    assert!(
        session.len() == 32 && session.bytes().all(|b| b.is_ascii_hexdigit()),
        "{session}"
    );

    let state: Value = app
        .http
        .get(format!("{}/sim/payments/tx1", app.sim))
        .send()
        .await?
        .json()
        .await?;
    assert_eq!(state["state"], "approved");
    assert_eq!(
        state["make_payment_response"]["paymentInfo"]["status"],
        "OK"
    );
    let again = app.sim_post("tx1/approve", json!({})).await?;
    assert_eq!(again.status(), StatusCode::CONFLICT);
    assert!(
        app.received().is_none(),
        "makePayment must be sent only once"
    );
    Ok(())
}

#[tokio::test]
async fn rejecting_sends_confirmed_no_without_card_data() -> TestResult {
    let mut app = spawn_app().await?;
    app.init(&app.init_body("tx1", "order1")).await?;
    let answer: MakePaymentResponse = app.sim_post("tx1/reject", json!({})).await?.json().await?;
    assert_eq!(
        answer.error_message.map(|e| e.error_id).as_deref(),
        Some("93")
    );
    let Some(call) = app.received() else {
        return Err("makePayment was not called".into());
    };
    assert_eq!(call.request.confirmed, Confirmed::No);
    assert_eq!(call.request.card_data, None);
    let state: Value = app
        .http
        .get(format!("{}/sim/payments/tx1", app.sim))
        .send()
        .await?
        .json()
        .await?;
    assert_eq!(state["state"], "declined");
    Ok(())
}

#[tokio::test]
async fn a_psp_error_is_reported_with_its_http_status() -> TestResult {
    let app = spawn_app().await?;
    let mut body = app.init_body("tx1", "order1");
    body["makePaymentToken"] = json!(BROKEN_TOKEN);
    app.init(&body).await?;
    let answer = app.sim_post("tx1/approve", json!({})).await?;
    assert_eq!(answer.status(), StatusCode::BAD_GATEWAY);
    let answer: Value = answer.json().await?;
    assert_eq!(answer["psp_http_status"], 500);
    let unknown = app.sim_post("nope/approve", json!({})).await?;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    Ok(())
}

#[tokio::test]
async fn status_updates_show_in_the_details() -> TestResult {
    let app = spawn_app().await?;
    app.init(&app.init_body("tx1", "order1")).await?;
    app.sim_post("tx1/approve", json!({})).await?;
    let token = app.token().await?;
    let capture = json!({"transactions": [{"pspTransactionId": "tx1", "status": "CAPTURED", "amount": 29900, "currency": "NOK"}]});
    let answer: Value = app
        .psp_call("updatestatus", &token, "u1")
        .json(&capture)
        .send()
        .await?
        .json()
        .await?;
    assert_eq!(answer["responseInfo"]["responseCode"], "9000");
    let unknown = json!({"transactions": [{"pspTransactionId": "zzz", "status": "CAPTURED", "amount": 1, "currency": "NOK"}]});
    let refused = app
        .psp_call("updatestatus", &token, "u2")
        .json(&unknown)
        .send()
        .await?;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);

    let details: simulator::PaymentDetails = app
        .http
        .get(format!("{}/psp/v2/psppayments/tx1/details", app.sim))
        .bearer_auth(&token)
        .header(
            "Ocp-Apim-Subscription-Key",
            shared::sandbox::SUBSCRIPTION_KEY,
        )
        .header("PSP-ID", shared::sandbox::PSP_ID)
        .header(
            "Merchant-Serial-Number",
            shared::sandbox::MERCHANT_SERIAL_NUMBER,
        )
        .send()
        .await?
        .json()
        .await?;
    assert_eq!(details.transaction_summary.captured_amount, 29900);
    assert_eq!(details.transaction_summary.remaining_amount_to_capture, 0);
    let operations: Vec<&str> = details
        .transaction_log_history
        .iter()
        .map(|e| e.operation.as_str())
        .collect();
    assert_eq!(operations, ["RESERVED", "CAPTURED"]);
    Ok(())
}
