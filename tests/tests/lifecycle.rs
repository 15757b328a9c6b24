//! After the reservation: capture, cancel and refund on the amount ledger, each through
//! the acquirer and reported to Vipps (the simulator) through the outbox, reliably.

use e2e::{Options, TestApp, TestResult, eventually, expect_json};
use serde_json::{Value, json};
use shared::checkout::{ApiErrorBody, CheckoutPayment, CheckoutStatus, ErrorCode, FailureReason};
use shared::merchant::{MerchantPayment, PaymentStatus};

const PHONE: &str = "91234567";

/// A payment of 1000 øre, authorised with the approving test card. Returns it and its
/// pspTransactionId at Vipps.
async fn authorised(app: &TestApp) -> TestResult<(MerchantPayment, String)> {
    app.authorised(1000, PHONE).await
}

async fn operate(
    app: &TestApp,
    payment: &MerchantPayment,
    op: &str,
    body: Value,
) -> TestResult<reqwest::Response> {
    app.merchant_post(&format!("/v1/payments/{}/{op}", payment.id), &body)
        .await
}

/// Every updatestatus Vipps has received, once it has received at least `n`.
async fn vipps_updates(app: &TestApp, n: usize) -> TestResult<Vec<Value>> {
    let url = format!(
        "{}/sim/updatestatus?wait_for={n}&timeout_seconds=20",
        app.simulator_url
    );
    let response = app.http.get(url).send().await.map_err(|e| e.to_string())?;
    let calls: Vec<Value> = expect_json(response, 200).await?;
    if calls.len() < n {
        return Err(format!(
            "Vipps got {} updatestatus calls, expected {n}: {calls:?}",
            calls.len()
        ));
    }
    Ok(calls)
}

/// The transactions Vipps has received (over however many batches), once there are `n`.
async fn vipps_transactions(app: &TestApp, n: usize) -> TestResult<Vec<Value>> {
    eventually("Vipps to receive the updates", || async {
        let response = app
            .http
            .get(format!("{}/sim/updatestatus", app.simulator_url))
            .send()
            .await;
        let calls: Vec<Value> = expect_json(response.map_err(|e| e.to_string())?, 200).await?;
        let delivered = calls.iter().filter(|c| c["answered_status"] == 200);
        let all: Vec<Value> = delivered
            .flat_map(|c| c["transactions"].as_array().cloned().unwrap_or_default())
            .collect();
        Ok((all.len() >= n).then_some(all))
    })
    .await
}

async fn vipps_summary(app: &TestApp, txn: &str) -> TestResult<Value> {
    let url = format!("{}/sim/payments/{txn}", app.simulator_url);
    let one: Value = expect_json(
        app.http.get(url).send().await.map_err(|e| e.to_string())?,
        200,
    )
    .await?;
    Ok(one["transaction_summary"].clone())
}

#[tokio::test]
async fn happy_day_capture_then_refund_is_reported_to_vipps() -> TestResult {
    let app = TestApp::spawn().await?;
    let (payment, txn) = authorised(&app).await?;
    let captured: MerchantPayment =
        expect_json(operate(&app, &payment, "capture", json!({})).await?, 200).await?;
    assert_eq!(
        (captured.status, captured.amounts.captured),
        (PaymentStatus::Captured, 1000)
    );
    let refunded: MerchantPayment = expect_json(
        operate(&app, &payment, "refund", json!({"amount": 400})).await?,
        200,
    )
    .await?;
    assert_eq!(
        (refunded.status, refunded.amounts.refundable),
        (PaymentStatus::PartiallyRefunded, 600)
    );

    // One updatestatus call or two: the worker batches whatever is due together.
    let transactions = vipps_transactions(&app, 2).await?;
    let statuses: Vec<Value> = transactions.iter().map(|t| t["status"].clone()).collect();
    assert_eq!(
        statuses,
        vec![json!("CAPTURED"), json!("REFUNDED")],
        "{transactions:?}"
    );
    let summary = vipps_summary(&app, &txn).await?;
    assert_eq!(
        (
            summary["capturedAmount"].clone(),
            summary["refundedAmount"].clone()
        ),
        (json!(1000), json!(400)),
        "{summary}"
    );
    Ok(())
}

#[tokio::test]
async fn partial_captures_then_cancel_release_the_rest_at_the_acquirer_and_at_vipps() -> TestResult
{
    let app = TestApp::spawn().await?;
    let (payment, txn) = authorised(&app).await?;
    for amount in [100, 200] {
        let p: MerchantPayment = expect_json(
            operate(&app, &payment, "capture", json!({"amount": amount})).await?,
            200,
        )
        .await?;
        assert_eq!(p.status, PaymentStatus::PartiallyCaptured);
    }
    let cancelled: MerchantPayment =
        expect_json(operate(&app, &payment, "cancel", json!({})).await?, 200).await?;
    assert_eq!(
        (
            cancelled.amounts.captured,
            cancelled.amounts.cancelled,
            cancelled.amounts.capturable
        ),
        (300, 700, 0)
    );
    assert_eq!(cancelled.status, PaymentStatus::Captured);
    let transactions = vipps_transactions(&app, 3).await?;
    let amounts: Vec<(Value, Value)> = transactions
        .iter()
        .map(|t| (t["status"].clone(), t["amount"].clone()))
        .collect();
    assert_eq!(
        amounts,
        vec![
            (json!("CAPTURED"), json!(100)),
            (json!("CAPTURED"), json!(200)),
            (json!("CANCELLED"), json!(700))
        ]
    );
    let summary = vipps_summary(&app, &txn).await?;
    assert_eq!(
        (
            summary["capturedAmount"].clone(),
            summary["remainingAmountToCapture"].clone()
        ),
        (json!(300), json!(0)),
        "{summary}"
    );
    Ok(())
}

#[tokio::test]
async fn illegal_operations_are_typed_4xx_and_change_nothing() -> TestResult {
    let app = TestApp::spawn().await?;
    let (payment, _) = authorised(&app).await?;
    let refuse = |status: u16, code: ErrorCode, op: &'static str, body: Value| {
        let (app, payment) = (&app, &payment);
        async move {
            let error: ApiErrorBody =
                expect_json(operate(app, payment, op, body.clone()).await?, status).await?;
            assert_eq!(error.code, code, "{op} {body}");
            TestResult::Ok(())
        }
    };
    refuse(409, ErrorCode::InvalidState, "refund", json!({})).await?; // refund before capture
    refuse(
        422,
        ErrorCode::AmountExceedsBalance,
        "capture",
        json!({"amount": 1001}),
    )
    .await?;
    refuse(
        400,
        ErrorCode::InvalidRequest,
        "capture",
        json!({"amount": 0}),
    )
    .await?;
    let _: MerchantPayment = expect_json(
        operate(&app, &payment, "capture", json!({"amount": 600})).await?,
        200,
    )
    .await?;
    refuse(
        422,
        ErrorCode::AmountExceedsBalance,
        "refund",
        json!({"amount": 601}),
    )
    .await?;
    refuse(
        422,
        ErrorCode::AmountExceedsBalance,
        "capture",
        json!({"amount": 401}),
    )
    .await?;
    let unchanged: MerchantPayment = app.merchant_view(&payment).await?;
    assert_eq!(
        (unchanged.amounts.captured, unchanged.amounts.refunded),
        (600, 0)
    );

    // Anything on a failed payment.
    let failed = app.create_payment(500).await?;
    let error: ApiErrorBody =
        expect_json(operate(&app, &failed, "capture", json!({})).await?, 409).await?;
    assert_eq!(error.code, ErrorCode::InvalidState);
    Ok(())
}

#[tokio::test]
async fn updatestatus_is_retried_through_5xx_under_the_same_request_id() -> TestResult {
    let app = TestApp::spawn().await?;
    let (payment, _) = authorised(&app).await?;
    app.fail_status_updates(503, 2).await?;
    let _: MerchantPayment =
        expect_json(operate(&app, &payment, "capture", json!({})).await?, 200).await?;
    let calls = vipps_updates(&app, 3).await?;
    let ids: Vec<&Value> = calls.iter().map(|c| &c["request_id"]).collect();
    assert!(
        ids.iter().all(|id| *id == ids[0]),
        "one Request-Id across retries: {calls:?}"
    );
    let answered: Vec<Value> = calls.iter().map(|c| c["answered_status"].clone()).collect();
    assert_eq!(answered, vec![json!(503), json!(503), json!(200)]);
    Ok(())
}

#[tokio::test]
async fn a_later_update_waits_for_an_earlier_one_of_the_same_payment_being_retried() -> TestResult {
    // The capture's first delivery fails and is retried a second later; the cancel that
    // follows it must not overtake it at Vipps (a cancel, then a capture, would be refused).
    let app = TestApp::spawn_with(Options {
        outbox_base_delay_ms: Some(1_000),
        ..Options::default()
    })
    .await?;
    let (payment, _) = authorised(&app).await?;
    app.fail_status_updates(503, 1).await?;
    let _: MerchantPayment = expect_json(
        operate(&app, &payment, "capture", json!({"amount": 400})).await?,
        200,
    )
    .await?;
    vipps_updates(&app, 1).await?;
    let _: MerchantPayment =
        expect_json(operate(&app, &payment, "cancel", json!({})).await?, 200).await?;
    let delivered: Vec<(Value, Value)> = vipps_transactions(&app, 2)
        .await?
        .iter()
        .map(|t| (t["status"].clone(), t["amount"].clone()))
        .collect();
    assert_eq!(
        delivered,
        vec![
            (json!("CAPTURED"), json!(400)),
            (json!("CANCELLED"), json!(600))
        ]
    );
    Ok(())
}

#[tokio::test]
async fn a_4xx_from_vipps_parks_the_update_as_dead_for_the_operator() -> TestResult {
    let app = TestApp::spawn().await?;
    let (payment, _) = authorised(&app).await?;
    app.fail_status_updates(400, 1).await?;
    let _: MerchantPayment =
        expect_json(operate(&app, &payment, "capture", json!({})).await?, 200).await?;
    let dead = eventually("a dead update", || async {
        let list: Vec<Value> =
            expect_json(app.merchant_get("/v1/status-updates/dead").await?, 200).await?;
        Ok((!list.is_empty()).then_some(list))
    })
    .await?;
    assert_eq!(
        (
            dead.len(),
            dead[0]["status"].clone(),
            dead[0]["amount"].clone()
        ),
        (1, json!("CAPTURED"), json!(1000))
    );
    assert_eq!(
        vipps_updates(&app, 1).await?.len(),
        1,
        "a 4xx is not retried"
    );
    Ok(())
}

/// A backend whose payments expire `ttl` seconds after creation, and a payment of 1000
/// øre started at Vipps; returns them with its pspTransactionId.
async fn started_with_ttl(ttl: u64) -> TestResult<(TestApp, MerchantPayment, String)> {
    let app = TestApp::spawn_with(Options {
        payment_ttl_seconds: Some(ttl),
        ..Options::default()
    })
    .await?;
    let payment = app.create_payment(1000).await?;
    let _: CheckoutPayment = expect_json(app.start(&payment, PHONE).await?, 200).await?;
    let txn = app.vipps_payment_for(PHONE).await?["psp_transaction_id"]
        .as_str()
        .ok_or("no psp_transaction_id")?
        .to_owned();
    Ok((app, payment, txn))
}

#[tokio::test]
async fn a_payment_left_at_vipps_past_its_expiry_is_cancelled_and_a_late_answer_is_too_late()
-> TestResult {
    // Expiry is counted in whole seconds from creation: 3 s leave the start at least 2 s,
    // however the creation falls within its second.
    let (app, payment, txn) = started_with_ttl(3).await?;
    eventually("the payment to be cancelled", || async {
        let p: MerchantPayment = app.merchant_view(&payment).await?;
        Ok((p.status == PaymentStatus::Cancelled).then_some(()))
    })
    .await?;
    let late: Value =
        expect_json(app.vipps_control(&txn, "approve", json!({})).await?, 200).await?;
    assert_eq!(late["errorMessage"]["errorId"], "85", "{late}");
    Ok(())
}

#[tokio::test]
async fn a_declined_payment_left_past_its_expiry_expires_and_cannot_be_tried_again() -> TestResult {
    let (app, payment, txn) = started_with_ttl(2).await?;
    // Insufficient funds: the payment fails, and the shopper could try again until expiry.
    let declined: Value = expect_json(
        app.vipps_control(&txn, "approve", json!({"card": "4000000000009995"}))
            .await?,
        200,
    )
    .await?;
    assert_eq!(declined["errorMessage"]["errorId"], "89", "{declined}");

    // The merchant API is not rate limited as the widget's polling is: wait there.
    eventually("the failed payment to expire", || async {
        let merchant: MerchantPayment = app.merchant_view(&payment).await?;
        Ok((merchant.status == PaymentStatus::Expired).then_some(()))
    })
    .await?;
    let view = app.checkout_view(&payment).await?;
    assert_eq!(view.status, CheckoutStatus::Expired);
    assert_eq!(
        view.failure,
        Some(FailureReason::InsufficientFunds),
        "the last decline stays on record"
    );
    let error: ApiErrorBody = expect_json(app.start(&payment, PHONE).await?, 410).await?;
    assert_eq!(error.code, ErrorCode::PaymentExpired);
    Ok(())
}

#[tokio::test]
async fn an_update_owed_to_vipps_survives_a_backend_restart() -> TestResult {
    let app = TestApp::spawn().await?;
    let (payment, txn) = authorised(&app).await?;
    // Vipps is down for a good while: the capture's update stays in the outbox.
    app.fail_status_updates(503, 100).await?;
    let _: MerchantPayment =
        expect_json(operate(&app, &payment, "capture", json!({})).await?, 200).await?;
    vipps_updates(&app, 1).await?;
    app.restart_backend().await?;
    app.http
        .delete(format!("{}/sim/faults", app.simulator_url))
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let transactions = vipps_transactions(&app, 1).await?;
    assert_eq!(
        (
            transactions[0]["status"].clone(),
            transactions[0]["amount"].clone()
        ),
        (json!("CAPTURED"), json!(1000))
    );
    assert_eq!(
        vipps_summary(&app, &txn).await?["capturedAmount"],
        json!(1000)
    );
    Ok(())
}

#[tokio::test]
async fn concurrent_calls_share_one_access_token_and_a_401_refreshes_it_once() -> TestResult {
    let app = TestApp::spawn().await?;
    let mut starts = tokio::task::JoinSet::new();
    for i in 0..8 {
        let payment = app.create_payment(1000 + i).await?;
        let (http, url) = (
            app.http.clone(),
            format!(
                "{}/api/checkout/payments/{}/start",
                app.backend_url, payment.id
            ),
        );
        let secret = payment.client_secret.unwrap_or_default();
        starts.spawn(async move {
            let response = http
                .post(url)
                .header("x-client-secret", secret)
                .json(&json!({"phone_number": "91234567"}))
                .send()
                .await;
            response
                .map(|r| r.status().as_u16())
                .map_err(|e| e.to_string())
        });
    }
    let statuses: Vec<u16> = starts
        .join_all()
        .await
        .into_iter()
        .collect::<Result<_, _>>()?;
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
    let tokens = |app: &TestApp| {
        let url = format!("{}/sim/tokens", app.simulator_url);
        let http = app.http.clone();
        async move {
            expect_json::<Value>(http.get(url).send().await.map_err(|e| e.to_string())?, 200).await
        }
    };
    assert_eq!(tokens(&app).await?["issued"], json!(1), "single flight");

    app.http
        .post(format!("{}/sim/tokens/expire", app.simulator_url))
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let payment = app.create_payment(999).await?;
    let _: CheckoutPayment = expect_json(app.start(&payment, PHONE).await?, 200).await?;
    assert_eq!(
        tokens(&app).await?["issued"],
        json!(2),
        "one refresh after the 401, then one retry"
    );
    Ok(())
}

#[tokio::test]
async fn captures_finishing_at_once_each_get_their_event_in_order_and_none_fails() -> TestResult {
    let app = TestApp::spawn().await?;
    let (payment, _) = authorised(&app).await?;
    let mut captures = tokio::task::JoinSet::new();
    for _ in 0..6 {
        let (url, key, id) = (
            app.backend_url.clone(),
            app.merchant_key.clone(),
            payment.id.clone(),
        );
        captures.spawn(async move {
            let response = reqwest::Client::new()
                .post(format!("{url}/v1/payments/{id}/capture"))
                .bearer_auth(key)
                .json(&json!({"amount": 100}))
                .send()
                .await
                .map_err(|e| e.to_string())?;
            TestResult::Ok(response.status().as_u16())
        });
    }
    let statuses: Vec<u16> = captures
        .join_all()
        .await
        .into_iter()
        .collect::<Result<_, _>>()?;
    // Each capture either happened or found the payment busy (409): none breaks.
    assert!(
        statuses.iter().all(|s| *s == 200 || *s == 409),
        "{statuses:?}"
    );
    let captured = statuses.iter().filter(|s| **s == 200).count();
    assert!(captured >= 1, "{statuses:?}");
    let path = format!("/v1/events?payment={}", payment.id);
    let events: Vec<shared::webhooks::Event> =
        expect_json(app.merchant_get(&path).await?, 200).await?;
    let mut sequences: Vec<i64> = events.iter().map(|e| e.sequence).collect();
    sequences.sort_unstable();
    let expected: Vec<i64> =
        (1..=i64::try_from(captured + 1).map_err(|e| e.to_string())?).collect();
    assert_eq!(
        sequences, expected,
        "authorised, then one event per capture"
    );
    let shown: MerchantPayment = expect_json(
        app.merchant_get(&format!("/v1/payments/{}", payment.id))
            .await?,
        200,
    )
    .await?;
    assert_eq!(
        shown.amounts.captured,
        u32::try_from(captured * 100).map_err(|e| e.to_string())?
    );
    Ok(())
}
