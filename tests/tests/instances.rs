//! Two backend processes on one database, as behind a load balancer: requests alternate
//! between them, duplicate makePayments are split across both, and each background job
//! (the outbox to Vipps, webhooks to the merchant) claims its work in the database, so
//! nothing is sent twice. `cargo xtask test` runs this on PostgreSQL; a plain `cargo test`
//! runs it on one SQLite file.

use std::collections::{HashMap, HashSet};

use e2e::fakes::{LoneBackend, approved_body, send_make_payment};
use e2e::receiver::Receiver;
use e2e::{TestResult, eventually, expect_json};
use serde_json::{Value, json};
use shared::merchant::MerchantPayment;
use shared::vipps::InitRequest;

const APPROVED: &str = "4925000000000004,3012,3854ba014e184e0d8ba259253f4adbfa";
const PAYMENTS: usize = 6;
/// makePayments Vipps sends for one payment at once, half to each instance.
const COPIES: usize = 6;

/// Creates a payment through `create`, starts it through `start`; what Vipps's init saw.
async fn started(
    create: &LoneBackend,
    start: &LoneBackend,
    http: &reqwest::Client,
) -> TestResult<(MerchantPayment, InitRequest)> {
    let payment = create.create_payment(http).await?;
    let secret = payment.client_secret.clone().unwrap_or_default();
    let response = http
        .post(format!(
            "{}/api/checkout/payments/{}/start",
            start.url, payment.id
        ))
        .header("x-client-secret", &secret)
        .json(&json!({"phone_number": "91234567"}))
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let _: Value = expect_json(response, 200).await?;
    let init = start.last_init()?;
    Ok((payment, init))
}

/// `COPIES` makePayments for `init` at once, alternating between the instances.
async fn duplicates(
    instances: [&LoneBackend; 2],
    http: &reqwest::Client,
    init: &InitRequest,
    body: &Value,
) -> TestResult<Vec<Value>> {
    let mut calls = tokio::task::JoinSet::new();
    for copy in 0..COPIES {
        let mut init = init.clone();
        let to = instances[copy % 2].url.as_str();
        init.make_payment_url = init.make_payment_url.replace(&instances[0].url, to);
        let (http, body) = (http.clone(), body.clone());
        calls.spawn(async move {
            let response = send_make_payment(&http, &init, &body).await?;
            expect_json::<Value>(response, 200).await
        });
    }
    calls.join_all().await.into_iter().collect()
}

#[tokio::test]
async fn two_instances_charge_once_answer_alike_and_send_every_update_and_event_once() -> TestResult
{
    let a = LoneBackend::spawn().await?;
    let b = a.another_instance().await?;
    let instances = [&a, &b];
    let http = reqwest::Client::new();
    let receiver = Receiver::start().await?;
    let response = http
        .post(format!("{}/v1/webhook-endpoints", b.url))
        .bearer_auth(&b.merchant_key)
        .json(&json!({ "url": receiver.url }))
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let _: Value = expect_json(response, 201).await?;

    let mut paid = Vec::new();
    for i in 0..PAYMENTS {
        let (payment, init) = started(instances[i % 2], instances[(i + 1) % 2], &http).await?;
        let body = approved_body(&init, "123456", &a.card_data(APPROVED)?);
        let answers = duplicates(instances, &http, &init, &body).await?;
        assert!(
            answers.iter().all(|x| x["paymentInfo"]["status"] == "OK"),
            "{answers:?}"
        );
        assert!(
            answers.windows(2).all(|pair| pair[0] == pair[1]),
            "every copy gets the first answer: {answers:?}"
        );
        paid.push((payment, init.psp_transaction_id));
    }
    assert_eq!(
        a.charges(),
        PAYMENTS,
        "one charge per payment, whichever instance"
    );

    for (i, (payment, _)) in paid.iter().enumerate() {
        let response = http
            .post(format!(
                "{}/v1/payments/{}/capture",
                instances[i % 2].url,
                payment.id
            ))
            .bearer_auth(&a.merchant_key)
            .json(&json!({}))
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let _: MerchantPayment = expect_json(response, 200).await?;
    }

    // Every capture reaches Vipps under one Request-Id, from whichever instance claimed
    // it: a batch sent again (its answer lost) keeps its Request-Id, which Vipps
    // deduplicates; a second Request-Id would be a second update.
    let reported = eventually("every capture reported to Vipps", || async {
        let mut reported: HashMap<String, HashSet<String>> = HashMap::new();
        for call in a.vipps.calls_named("updatestatus") {
            for id in call.psp_transaction_ids {
                let request_id = call.request_id.clone().unwrap_or_default();
                reported.entry(id).or_default().insert(request_id);
            }
        }
        Ok((reported.len() >= PAYMENTS).then_some(reported))
    })
    .await?;
    for (payment, txn) in &paid {
        let request_ids = reported.get(txn.as_str()).map(HashSet::len);
        assert_eq!(request_ids, Some(1), "{}: {reported:?}", payment.id);
    }

    // Every event (authorised and captured, per payment) reaches the merchant once.
    let deliveries = eventually("every event delivered", || async {
        let deliveries = receiver.deliveries();
        Ok((deliveries.len() >= 2 * PAYMENTS).then_some(deliveries))
    })
    .await?;
    let mut ids: Vec<String> = deliveries.iter().map(|d| d.webhook_id()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), deliveries.len(), "no event delivered twice");
    assert_eq!(ids.len(), 2 * PAYMENTS);
    Ok(())
}

#[tokio::test]
async fn instances_starting_at_once_on_a_new_database_migrate_it_once_and_all_serve() -> TestResult
{
    let (a, b) = LoneBackend::spawn_two_at_once().await?;
    let http = reqwest::Client::new();
    for instance in [&a, &b] {
        let payment = instance.create_payment(&http).await?;
        assert!(payment.client_secret.is_some());
    }
    Ok(())
}
