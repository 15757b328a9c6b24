//! Toward Vipps, every call is for the payment's merchant's sales unit: init, details and
//! updatestatus carry its MSN, a batch of status updates never mixes merchants, and a
//! makePayment naming another merchant's MSN is refused and charges nothing. The backend's
//! Vipps is a recording fake; the test plays Vipps's makePayment itself.

use e2e::fakes::{LoneBackend, approved_body, send_make_payment};
use e2e::{TestResult, eventually, expect_json};
use serde_json::{Value, json};
use shared::merchant::MerchantPayment;
use shared::vipps::InitRequest;

const ENVIRONMENT_MSN: &str = shared::sandbox::MERCHANT_SERIAL_NUMBER;
const OTHER_MSN: &str = "654321";
const APPROVED: &str = "4925000000000004,3012,3854ba014e184e0d8ba259253f4adbfa";

/// Vipps's makePayment for `init`, approved, naming `msn`.
async fn approve(
    backend: &LoneBackend,
    http: &reqwest::Client,
    init: &InitRequest,
    msn: &str,
) -> TestResult<reqwest::Response> {
    let body = approved_body(init, msn, &backend.card_data(APPROVED)?);
    send_make_payment(http, init, &body).await
}

async fn capture(
    backend: &LoneBackend,
    http: &reqwest::Client,
    key: &str,
    payment: &MerchantPayment,
) -> TestResult {
    let response = http
        .post(format!(
            "{}/v1/payments/{}/capture",
            backend.url, payment.id
        ))
        .bearer_auth(key)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let _: Value = expect_json(response, 200).await?;
    Ok(())
}

#[tokio::test]
async fn every_vipps_call_carries_the_msn_of_the_payments_merchant() -> TestResult {
    let backend = LoneBackend::spawn().await?;
    let http = reqwest::Client::new();
    let other = backend.create_merchant(&http, OTHER_MSN).await?;
    let ours = backend.create_payment(&http).await?;
    let theirs = backend.create_payment_as(&http, &other.key).await?;
    let our_init = backend.start_payment(&http, &ours).await?;
    let their_init = backend.start_payment(&http, &theirs).await?;
    for (init, msn, key) in [
        (&our_init, ENVIRONMENT_MSN, backend.merchant_key.clone()),
        (&their_init, OTHER_MSN, other.key.clone()),
    ] {
        let answer: Value = expect_json(approve(&backend, &http, init, msn).await?, 200).await?;
        assert_eq!(answer["paymentInfo"]["status"], "OK", "{answer}");
        let payment = if msn == OTHER_MSN { &theirs } else { &ours };
        capture(&backend, &http, &key, payment).await?;
    }
    let msn_of = |txn: &str| {
        if txn == their_init.psp_transaction_id.as_str() {
            OTHER_MSN
        } else {
            ENVIRONMENT_MSN
        }
    };
    let inits = backend.vipps.calls_named("init");
    assert_eq!(inits.len(), 2);
    for call in &inits {
        assert_eq!(call.msn, msn_of(&call.psp_transaction_ids[0]), "{call:?}");
    }
    // Both captures reach Vipps, each in a batch of its own merchant's updates only.
    let batches = eventually("both captures reported to Vipps", || async {
        let batches = backend.vipps.calls_named("updatestatus");
        let reported: usize = batches.iter().map(|b| b.psp_transaction_ids.len()).sum();
        Ok((reported == 2).then_some(batches))
    })
    .await?;
    for batch in &batches {
        for txn in &batch.psp_transaction_ids {
            assert_eq!(batch.msn, msn_of(txn), "a batch mixes merchants: {batch:?}");
        }
    }
    Ok(())
}

#[tokio::test]
async fn reconciliation_asks_vipps_about_a_payment_under_its_merchants_msn() -> TestResult {
    let backend = LoneBackend::spawn_with(
        |config| config.initiating_stuck_after = std::time::Duration::ZERO,
        std::time::Duration::from_secs(20),
    )
    .await?;
    let http = reqwest::Client::new();
    let other = backend.create_merchant(&http, OTHER_MSN).await?;
    let theirs = backend.create_payment_as(&http, &other.key).await?;
    // The init hangs, as if the backend died waiting: reconciliation asks Vipps's details.
    backend
        .vipps
        .hang_inits
        .store(1, std::sync::atomic::Ordering::SeqCst);
    let url = format!("{}/api/checkout/payments/{}/start", backend.url, theirs.id);
    let secret = theirs.client_secret.clone().unwrap_or_default();
    let starting = http
        .post(url)
        .header("x-client-secret", secret)
        .json(&json!({"phone_number": "91234567"}))
        .send();
    let _ = tokio::time::timeout(std::time::Duration::from_millis(300), starting).await;
    let asked = eventually("Vipps's details asked", || async {
        let calls = backend.vipps.calls_named("details");
        Ok((!calls.is_empty()).then_some(calls))
    })
    .await?;
    assert!(asked.iter().all(|c| c.msn == OTHER_MSN), "{asked:?}");
    Ok(())
}

#[tokio::test]
async fn a_make_payment_naming_another_merchants_msn_is_refused_and_charges_nothing() -> TestResult
{
    let backend = LoneBackend::spawn().await?;
    let http = reqwest::Client::new();
    let other = backend.create_merchant(&http, OTHER_MSN).await?;
    let theirs = backend.create_payment_as(&http, &other.key).await?;
    let init = backend.start_payment(&http, &theirs).await?;
    for wrong in [ENVIRONMENT_MSN, "999999"] {
        let response = approve(&backend, &http, &init, wrong).await?;
        assert_eq!(response.status(), 400, "MSN {wrong}");
    }
    assert_eq!(backend.charges(), 0);
    let payment: MerchantPayment = expect_json(
        http.get(format!("{}/v1/payments/{}", backend.url, theirs.id))
            .bearer_auth(&other.key)
            .send()
            .await
            .map_err(|e| e.to_string())?,
        200,
    )
    .await?;
    assert_eq!(payment.status, shared::merchant::PaymentStatus::AwaitingApp);
    // Vipps's real call for the right sales unit still goes through, once.
    let answer: Value = expect_json(approve(&backend, &http, &init, OTHER_MSN).await?, 200).await?;
    assert_eq!(answer["paymentInfo"]["status"], "OK", "{answer}");
    assert_eq!(backend.charges(), 1);
    Ok(())
}
