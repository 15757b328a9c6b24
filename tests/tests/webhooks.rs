//! Webhooks end to end: every event type reaches the merchant's endpoint, signed per
//! Standard Webhooks and verified here by the maintained `standardwebhooks` crate; a
//! failing, slow or absent receiver gets every event once it recovers and an event it
//! answered 2xx is not sent again; a backend killed mid-delivery delivers after its
//! restart; rotated secrets sign side by side; redelivery; the private-address rule;
//! and each merchant sees only its own endpoints and events.

use e2e::receiver::{Answer, Receiver};
use e2e::{Options, TestApp, TestResult, eventually, expect_json};
use serde_json::{Value, json};
use shared::merchant::{MerchantPayment, PaymentStatus};
use shared::webhooks::{DeliveryState, EndpointWithSecret, Event, EventType, EventWithDeliveries};

const PHONE: &str = "91234567";
const APPROVED: &str = "4925000000000004";
const NO_FUNDS: &str = "4000000000009995";

/// A payment of `amount` started at Vipps and answered with `card`.
async fn paid_with(app: &TestApp, amount: u64, card: &str) -> TestResult<MerchantPayment> {
    let payment = app.create_payment(amount).await?;
    let _: Value = expect_json(app.start(&payment, PHONE).await?, 200).await?;
    let at_vipps = app.vipps_payment_for(PHONE).await?;
    let txn = at_vipps["psp_transaction_id"]
        .as_str()
        .ok_or("no psp_transaction_id")?;
    let _: Value = expect_json(
        app.vipps_control(txn, "approve", json!({ "card": card }))
            .await?,
        200,
    )
    .await?;
    Ok(payment)
}

/// An app set up by `options` and a receiver that the environment's merchant has registered.
async fn listening(options: Options) -> TestResult<(TestApp, Receiver, EndpointWithSecret)> {
    let app = TestApp::spawn_with(options).await?;
    let receiver = Receiver::start().await?;
    let endpoint = app
        .register_endpoint(&app.merchant_key, &receiver.url)
        .await?;
    Ok((app, receiver, endpoint))
}

async fn operate(
    app: &TestApp,
    payment: &MerchantPayment,
    action: &str,
    body: Value,
) -> TestResult {
    let path = format!("/v1/payments/{}/{action}", payment.id);
    let _: MerchantPayment = expect_json(app.merchant_post(&path, &body).await?, 200).await?;
    Ok(())
}

/// The accepted events, once there are `count` of them.
async fn accepted(receiver: &Receiver, secret: &str, count: usize) -> TestResult<Vec<Event>> {
    eventually(&format!("{count} events accepted"), || async {
        let events = receiver.accepted_events(secret)?;
        Ok((events.len() >= count).then_some(events))
    })
    .await
}

async fn event_log(app: &TestApp, key: &str, id: &str) -> TestResult<(u16, Value)> {
    let response = app
        .http
        .get(format!("{}/v1/events/{id}", app.backend_url))
        .bearer_auth(key)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let status = response.status().as_u16();
    Ok((status, response.json().await.map_err(|e| e.to_string())?))
}

#[tokio::test]
async fn every_event_type_reaches_the_endpoint_signed_in_order_with_the_payment_as_it_is()
-> TestResult {
    let (app, receiver, endpoint) = listening(Options {
        payment_ttl_seconds: Some(4),
        ..Options::default()
    })
    .await?;
    assert!(endpoint.secret.starts_with("whsec_"), "{}", endpoint.secret);
    let sold = paid_with(&app, 10_000, APPROVED).await?;
    operate(&app, &sold, "capture", json!({"amount": 3_000})).await?;
    operate(&app, &sold, "refund", json!({"amount": 1_000})).await?;
    operate(&app, &sold, "cancel", json!({})).await?;
    // Declined, then left alone until it expires.
    let declined = paid_with(&app, 5_000, NO_FUNDS).await?;
    let events = accepted(&receiver, &endpoint.secret, 6).await?;
    let of = |payment: &MerchantPayment| -> Vec<(EventType, i64, u32)> {
        events
            .iter()
            .filter(|e| e.payment.id == payment.id)
            .map(|e| (e.kind, e.sequence, e.amount))
            .collect()
    };
    assert_eq!(
        of(&sold),
        [
            (EventType::Authorised, 1, 10_000),
            (EventType::Captured, 2, 3_000),
            (EventType::Refunded, 3, 1_000),
            (EventType::Cancelled, 4, 7_000),
        ]
    );
    assert_eq!(
        of(&declined),
        [
            (EventType::Failed, 1, 5_000),
            (EventType::Expired, 2, 5_000)
        ]
    );
    let failed = events
        .iter()
        .find(|e| e.kind == EventType::Failed)
        .ok_or("no payment.failed")?;
    assert_eq!(
        failed.payment.failure,
        Some(shared::checkout::FailureReason::InsufficientFunds)
    );
    // The last event carries the payment as the merchant API shows it now.
    let last = events
        .iter()
        .find(|e| e.payment.id == sold.id && e.sequence == 4)
        .ok_or("no fourth event")?;
    assert_eq!(last.payment, app.merchant_view(&sold).await?);
    assert_eq!(last.payment.status, PaymentStatus::PartiallyRefunded);
    assert!(last.payment.client_secret.is_none());
    Ok(())
}

#[tokio::test]
async fn a_receiver_failing_slow_or_down_gets_the_event_when_it_recovers_and_never_again()
-> TestResult {
    let (app, receiver, endpoint) = listening(Options {
        webhook_timeout_ms: Some(300),
        ..Options::default()
    })
    .await?;
    receiver.answer_next(&[Answer::Status(500), Answer::Hang, Answer::Status(503)])?;
    let payment = paid_with(&app, 10_000, APPROVED).await?;
    // 500, a timeout, 503: then the receiver goes down for a while.
    eventually("three failed tries", || async {
        Ok((receiver.deliveries().len() >= 3).then_some(()))
    })
    .await?;
    receiver.stop().await?;
    let id = receiver.deliveries()[0].webhook_id();
    let refused = eventually("a refused connection on record", || async {
        let (_, log) = event_log(&app, &app.merchant_key, &id).await?;
        // The demo shop's own endpoint gets the event too: read the delivery to ours.
        let attempts = log["deliveries"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|d| d["endpoint_id"] == endpoint.endpoint.id.as_str())
            .and_then(|d| d["attempts"].as_array().cloned())
            .unwrap_or_default();
        Ok((attempts.len() >= 4).then_some(attempts))
    })
    .await?;
    assert_eq!(refused[0]["http_status"], 500);
    assert!(
        refused[1]["error"]
            .as_str()
            .unwrap_or_default()
            .contains("timed out"),
        "{refused:?}"
    );
    assert_eq!(refused[2]["http_status"], 503);
    assert!(
        refused[3]["http_status"].is_null() && refused[3]["error"].is_string(),
        "{refused:?}"
    );
    receiver.restart().await?;
    let events = accepted(&receiver, &endpoint.secret, 1).await?;
    assert_eq!(events[0].kind, EventType::Authorised);
    // A later event goes through the same worker: by then the first would have been sent
    // again if a 2xx did not end it.
    operate(&app, &payment, "capture", json!({})).await?;
    let events = accepted(&receiver, &endpoint.secret, 2).await?;
    assert_eq!(events.len(), 2, "{events:?}");
    let copies = receiver
        .deliveries()
        .iter()
        .filter(|d| d.webhook_id() == id)
        .count();
    let (_, log) = event_log(&app, &app.merchant_key, &id).await?;
    let log: EventWithDeliveries = serde_json::from_value(log).map_err(|e| e.to_string())?;
    let ours = log
        .deliveries
        .iter()
        .find(|d| d.endpoint_id == endpoint.endpoint.id);
    assert_eq!(
        ours.map(|d| d.state),
        Some(DeliveryState::Delivered),
        "{log:?}"
    );
    assert_eq!(
        copies, 4,
        "tries: 500, timeout, 503, 2xx (the refused ones never arrived)"
    );
    Ok(())
}

#[tokio::test]
async fn a_backend_killed_mid_delivery_delivers_after_its_restart() -> TestResult {
    let (app, receiver, endpoint) = listening(Options {
        webhook_timeout_ms: Some(300),
        ..Options::default()
    })
    .await?;
    receiver.answer_next(&[Answer::Hang])?;
    paid_with(&app, 10_000, APPROVED).await?;
    eventually("the delivery under way", || async {
        Ok((!receiver.deliveries().is_empty()).then_some(()))
    })
    .await?;
    app.restart_backend().await?;
    let events = accepted(&receiver, &endpoint.secret, 1).await?;
    assert_eq!(events[0].kind, EventType::Authorised);
    Ok(())
}

#[tokio::test]
async fn a_rotated_secret_signs_beside_the_old_one_during_its_grace_and_redelivery_resends()
-> TestResult {
    let (app, receiver, endpoint) = listening(Options::default()).await?;
    let path = format!(
        "/v1/webhook-endpoints/{}/rotate-secret",
        endpoint.endpoint.id
    );
    let rotated: shared::webhooks::EndpointWithSecret = expect_json(
        app.merchant_post(&path, &json!({"grace_seconds": 3600}))
            .await?,
        200,
    )
    .await?;
    assert_ne!(rotated.secret, endpoint.secret);
    paid_with(&app, 10_000, APPROVED).await?;
    let with_new = accepted(&receiver, &rotated.secret, 1).await?;
    let with_old = receiver.accepted_events(&endpoint.secret)?;
    assert_eq!(with_new, with_old, "both secrets verify the same delivery");
    let signatures = receiver.deliveries()[0]
        .headers
        .get("webhook-signature")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert_eq!(signatures.split(' ').count(), 2, "{signatures}");
    let id = with_new[0].id.to_string();
    let path = format!("/v1/events/{id}/redeliver");
    let _: Value = expect_json(app.merchant_post(&path, &json!({})).await?, 200).await?;
    let again = accepted(&receiver, &rotated.secret, 2).await?;
    assert_eq!(
        again[1].id.as_str(),
        id,
        "the redelivery keeps its webhook-id"
    );
    Ok(())
}

#[tokio::test]
async fn endpoints_on_private_addresses_are_never_contacted_unless_allowed() -> TestResult {
    let app = TestApp::spawn_with(Options {
        webhooks_to_private_addresses: Some(false),
        ..Options::default()
    })
    .await?;
    let receiver = Receiver::start().await?;
    app.register_endpoint(&app.merchant_key, &receiver.url)
        .await?;
    let payment = paid_with(&app, 10_000, APPROVED).await?;
    let path = format!("/v1/events?payment={}", payment.id);
    let events: Vec<Event> = expect_json(app.merchant_get(&path).await?, 200).await?;
    let id = events.first().ok_or("no event recorded")?.id.to_string();
    let error = eventually("the refused attempt on record", || async {
        let (_, log) = event_log(&app, &app.merchant_key, &id).await?;
        let ours = log["deliveries"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|d| d["attempts"][0]["error"].is_string())
            .map(|d| d["attempts"][0]["error"].to_string());
        Ok(ours)
    })
    .await?;
    assert!(
        error.contains("address not allowed: not a public address"),
        "{error}"
    );
    assert!(
        receiver.deliveries().is_empty(),
        "a private address was contacted"
    );
    Ok(())
}

#[tokio::test]
async fn a_merchant_sees_only_its_own_endpoints_and_events_and_bad_urls_are_refused() -> TestResult
{
    let app = TestApp::spawn().await?;
    let other = app.second_merchant().await?;
    let receiver = Receiver::start().await?;
    let theirs = app.register_endpoint(&other.key, &receiver.url).await?;
    let payment = paid_with(&app, 10_000, APPROVED).await?;
    let path = format!("/v1/events?payment={}", payment.id);
    let ours: Vec<Event> = expect_json(app.merchant_get(&path).await?, 200).await?;
    let id = ours.first().ok_or("no event")?.id.to_string();
    assert_eq!(event_log(&app, &other.key, &id).await?.0, 404);
    let response = app
        .http
        .delete(format!(
            "{}/v1/webhook-endpoints/{}",
            app.backend_url, theirs.endpoint.id
        ))
        .bearer_auth(&app.merchant_key)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    assert_eq!(response.status(), 404);
    assert!(
        receiver.deliveries().is_empty(),
        "our event went to their endpoint"
    );
    let response = app.merchant_get("/v1/events?payment=nope").await?;
    let error: Value = expect_json(response, 400).await?;
    assert_eq!(error["code"], "invalid_request");
    for url in [
        "ftp://shop.example/hooks",
        "https://user:pw@shop.example/",
        "/hooks",
    ] {
        let response = app
            .merchant_post("/v1/webhook-endpoints", &json!({ "url": url }))
            .await?;
        let error: Value = expect_json(response, 400).await?;
        assert!(
            error["message"]
                .as_str()
                .unwrap_or_default()
                .contains("url"),
            "{error}"
        );
    }
    Ok(())
}
