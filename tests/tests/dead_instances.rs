//! What an instance that dies mid-request leaves behind, finished by whoever comes next:
//! the merchant's repeat with the same Idempotency-Key (after the dead request's claim on
//! the key has gone stale) or reconciliation. Nothing is done twice. (makePayment's own
//! case, a charge left `Charging`, is in `make_payment.rs`.)

use std::time::Duration;

use e2e::fakes::{LoneBackend, approved_body, send_make_payment};
use e2e::{Options, TestApp, TestResult, eventually, expect_json};
use serde_json::{Value, json};
use shared::merchant::MerchantPayment;

const APPROVED: &str = "4925000000000004,3012,3854ba014e184e0d8ba259253f4adbfa";

#[tokio::test]
async fn a_create_whose_instance_died_before_answering_is_answered_on_repeat_with_a_working_secret()
-> TestResult {
    let app = TestApp::spawn_with(Options::default()).await?;
    let body = json!({"amount": 29_900, "currency": "NOK", "merchant_order_id": "dead1", "description": "Vipps socks"});
    let send = || {
        app.http
            .post(format!("{}/v1/payments", app.backend_url))
            .bearer_auth(&app.merchant_key)
            .header("idempotency-key", "create-dead-1")
            .json(&body)
            .send()
    };
    let first: MerchantPayment = expect_json(send().await.map_err(|e| e.to_string())?, 201).await?;
    // As if the instance died after inserting the payment, before recording the answer
    // (which it would have sent after): the key claimed an hour ago, nothing recorded.
    let mut db = app.database().await?;
    sqlx::query(
        "UPDATE idempotency_keys SET response_status = NULL, response_content_type = NULL,
             response_body = NULL, completed_at = NULL, created_at = created_at - 3600
         WHERE idempotency_key = 'create-dead-1'",
    )
    .execute(&mut db)
    .await
    .map_err(|e| e.to_string())?;

    let again: MerchantPayment = expect_json(send().await.map_err(|e| e.to_string())?, 201).await?;
    assert_eq!(
        again.id, first.id,
        "the payment the dead request made, not another"
    );
    assert_ne!(again.client_secret, first.client_secret);
    let view = app.checkout_view(&again).await?;
    assert_eq!(view.id, first.id, "the new secret works");
    assert!(
        app.checkout_view(&first).await.is_err(),
        "the secret nobody received no longer does"
    );
    let replay: MerchantPayment =
        expect_json(send().await.map_err(|e| e.to_string())?, 201).await?;
    assert_eq!(replay, again, "from now on the recorded answer");
    Ok(())
}

/// An authorised payment at `backend`.
async fn authorised(backend: &LoneBackend, http: &reqwest::Client) -> TestResult<MerchantPayment> {
    let payment = backend.create_payment(http).await?;
    let response = http
        .post(format!(
            "{}/api/checkout/payments/{}/start",
            backend.url, payment.id
        ))
        .header(
            "x-client-secret",
            payment.client_secret.clone().unwrap_or_default(),
        )
        .json(&json!({"phone_number": "91234567"}))
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let _: Value = expect_json(response, 200).await?;
    let init = backend.last_init()?;
    let body = approved_body(&init, "123456", &backend.card_data(APPROVED)?);
    let answer: Value = expect_json(send_make_payment(http, &init, &body).await?, 200).await?;
    assert_eq!(answer["paymentInfo"]["status"], "OK", "{answer}");
    Ok(payment)
}

/// The `captured` status updates Vipps has received for `payment`, by Request-Id.
fn captures_reported(backend: &LoneBackend) -> usize {
    let mut request_ids: Vec<String> = backend
        .vipps
        .calls_named("updatestatus")
        .into_iter()
        .filter_map(|call| call.request_id)
        .collect();
    request_ids.sort();
    request_ids.dedup();
    request_ids.len()
}

/// Sends a capture held inside the acquirer call (before it reaches the acquirer) until
/// `acquirer.release` is notified: never, for an instance that died there. The operation
/// is left begun and, with a key, the key claimed. Returns the capture's answer, to come.
async fn capture_that_dies(
    backend: &LoneBackend,
    http: &reqwest::Client,
    payment: &MerchantPayment,
    key: Option<&'static str>,
) -> TestResult<tokio::task::JoinHandle<reqwest::Result<reqwest::Response>>> {
    use std::sync::atomic::Ordering;
    backend
        .acquirer
        .hold_next_capture
        .store(true, Ordering::SeqCst);
    let mut request = http
        .post(format!(
            "{}/v1/payments/{}/capture",
            backend.url, payment.id
        ))
        .bearer_auth(&backend.merchant_key)
        .json(&json!({}));
    if let Some(key) = key {
        request = request.header("idempotency-key", key);
    }
    let answer = tokio::spawn(request.send());
    eventually("the capture to reach the acquirer", || async {
        Ok((backend.acquirer.captures.load(Ordering::SeqCst) == 1).then_some(()))
    })
    .await?;
    Ok(answer)
}

#[tokio::test]
async fn a_capture_whose_instance_died_mid_call_is_finished_once_by_the_repeat() -> TestResult {
    let tweak = |config: &mut backend::Config| {
        config.idempotency_stale_after = Duration::from_secs(1);
    };
    let backend = LoneBackend::spawn_with(tweak, Duration::from_secs(20)).await?;
    let http = reqwest::Client::new();
    let payment = authorised(&backend, &http).await?;
    capture_that_dies(&backend, &http, &payment, Some("capture-dead-1")).await?;

    // The merchant's server, which got no answer, sends the capture again with its key:
    // "in progress" while the claim may still be live, then the capture, finished.
    let captured: MerchantPayment = eventually("the repeated capture to be answered", || async {
        let response = http
            .post(format!(
                "{}/v1/payments/{}/capture",
                backend.url, payment.id
            ))
            .bearer_auth(&backend.merchant_key)
            .header("idempotency-key", "capture-dead-1")
            .json(&json!({}))
            .send()
            .await
            .map_err(|e| e.to_string())?;
        if response.status() == 409 {
            return Ok(None);
        }
        expect_json(response, 200).await.map(Some)
    })
    .await?;
    assert_eq!(captured.amounts.captured, payment.amount.ore());
    assert_eq!(captured.amounts.capturable, 0);
    eventually("the capture reported to Vipps", || async {
        Ok((captures_reported(&backend) == 1).then_some(()))
    })
    .await?;
    assert_eq!(captures_reported(&backend), 1, "reported once");
    Ok(())
}

#[tokio::test]
async fn reconciliation_finishes_an_operation_its_instance_left_begun() -> TestResult {
    let tweak = |config: &mut backend::Config| {
        config.stuck_after = Duration::from_secs(1);
    };
    let backend = LoneBackend::spawn_with(tweak, Duration::from_secs(20)).await?;
    let http = reqwest::Client::new();
    let payment = authorised(&backend, &http).await?;
    capture_that_dies(&backend, &http, &payment, None).await?;

    // Nobody repeats it: reconciliation asks the acquirer again under the same operation
    // id, and Vipps hears of the capture.
    eventually("the capture reported to Vipps", || async {
        Ok((captures_reported(&backend) == 1).then_some(()))
    })
    .await?;
    assert_eq!(
        backend
            .acquirer
            .captures
            .load(std::sync::atomic::Ordering::SeqCst),
        2,
        "asked once more, under the same operation id"
    );
    Ok(())
}

#[tokio::test]
async fn an_operation_finished_by_reconciliation_and_by_its_late_caller_is_reported_once()
-> TestResult {
    // Not dead, only slow: reconciliation resumes the capture while its own call is still
    // waiting on the acquirer; then that call gets its answer too. Whoever records first
    // decides; the other writes nothing.
    let tweak = |config: &mut backend::Config| {
        config.stuck_after = Duration::from_secs(1);
    };
    let backend = LoneBackend::spawn_with(tweak, Duration::from_secs(20)).await?;
    let http = reqwest::Client::new();
    let payment = authorised(&backend, &http).await?;
    let late = capture_that_dies(&backend, &http, &payment, None).await?;
    eventually("reconciliation to report the capture", || async {
        Ok((captures_reported(&backend) == 1).then_some(()))
    })
    .await?;
    backend.acquirer.release.notify_one();
    let answer = late
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| e.to_string())?;
    let captured: MerchantPayment = expect_json(answer, 200).await?;
    assert_eq!(captured.amounts.captured, payment.amount.ore());
    // The late call has recorded (or not) by the time it answered: one update to Vipps.
    let events: Vec<Value> = expect_json(
        http.get(format!("{}/v1/events?payment={}", backend.url, payment.id))
            .bearer_auth(&backend.merchant_key)
            .send()
            .await
            .map_err(|e| e.to_string())?,
        200,
    )
    .await?;
    let captures = events
        .iter()
        .filter(|e| e["type"] == "payment.captured")
        .count();
    assert_eq!(captures, 1, "one capture event: {events:?}");
    Ok(())
}
