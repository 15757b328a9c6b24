//! A payment left in `Initiating` (the backend died while Vipps's `init` was under way):
//! reconciliation settles it with Vipps's `details`, and a makePayment for its attempt
//! settles it as if the init answer had been recorded.

use std::sync::atomic::Ordering;
use std::time::Duration;

use e2e::fakes::{LoneBackend, approved_body, send_make_payment};
use e2e::{Options, TestApp, TestResult, eventually, expect_json};
use serde_json::{Value, json};
use shared::checkout::{CLIENT_SECRET_HEADER, CheckoutPayment, CheckoutStatus};
use shared::merchant::{MerchantPayment, PaymentStatus};
use shared::vipps::InitRequest;
use tokio::task::JoinHandle;

const PHONE: &str = "91234567";
const APPROVED: &str = "4925000000000004,3012,3854ba014e184e0d8ba259253f4adbfa";

type Pending = JoinHandle<Result<reqwest::Response, reqwest::Error>>;

/// The widget's start, sent in the background: it does not come back while Vipps hangs.
fn start_in_background(
    http: &reqwest::Client,
    backend_url: &str,
    id: &str,
    secret: &str,
) -> Pending {
    let request = http
        .post(format!("{backend_url}/api/checkout/payments/{id}/start"))
        .header(CLIENT_SECRET_HEADER, secret)
        .json(&json!({"phone_number": PHONE}));
    tokio::spawn(request.send())
}

/// A payment whose init reached (fake) Vipps and never came back: it is `Initiating`.
/// Returns it, the init Vipps got, and the hanging start (abort it to "crash").
async fn left_initiating(
    backend: &LoneBackend,
    http: &reqwest::Client,
) -> TestResult<(MerchantPayment, InitRequest, Pending)> {
    backend.vipps.hang_inits.store(1, Ordering::SeqCst);
    let payment = backend.create_payment(http).await?;
    let secret = payment.client_secret.clone().unwrap_or_default();
    let start = start_in_background(http, &backend.url, payment.id.as_str(), &secret);
    let init = eventually("the init to reach Vipps", || async {
        Ok(backend.last_init().ok())
    })
    .await?;
    Ok((payment, init, start))
}

async fn merchant_view(
    backend: &LoneBackend,
    http: &reqwest::Client,
    payment: &MerchantPayment,
) -> TestResult<MerchantPayment> {
    let response = http
        .get(format!("{}/v1/payments/{}", backend.url, payment.id))
        .bearer_auth(&backend.merchant_key)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    expect_json(response, 200).await
}

async fn checkout_post(
    backend: &LoneBackend,
    http: &reqwest::Client,
    payment: &MerchantPayment,
    action: &str,
    body: Option<&Value>,
) -> TestResult<reqwest::Response> {
    let url = format!(
        "{}/api/checkout/payments/{}/{action}",
        backend.url, payment.id
    );
    let mut request = http.post(url).header(
        CLIENT_SECRET_HEADER,
        payment.client_secret.clone().unwrap_or_default(),
    );
    if let Some(body) = body {
        request = request.json(body);
    }
    request.send().await.map_err(|e| e.to_string())
}

/// makePayment as Vipps sends it for `init`'s attempt once the shopper approved.
async fn approved(
    backend: &LoneBackend,
    http: &reqwest::Client,
    init: &InitRequest,
) -> TestResult<Value> {
    let body = approved_body(init, "123456", &backend.card_data(APPROVED)?);
    expect_json(send_make_payment(http, init, &body).await?, 200).await
}

/// Makes the simulator take the next init and hold its answer back for `seconds`.
async fn hang_next_init(app: &TestApp, seconds: u64) -> TestResult {
    let response = app
        .http
        .post(format!("{}/sim/init/hang", app.simulator_url))
        .json(&json!({"seconds": seconds, "count": 1}))
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let _: Value = expect_json(response, 200).await?;
    Ok(())
}

/// Starts `payment` in the background against the simulator, whose init answer hangs for
/// `seconds`; returns once Vipps has the payment, with its pspTransactionId.
async fn started_with_hanging_init(
    app: &TestApp,
    payment: &MerchantPayment,
    seconds: u64,
) -> TestResult<(String, Pending)> {
    hang_next_init(app, seconds).await?;
    let secret = payment.client_secret.clone().unwrap_or_default();
    let start = start_in_background(&app.http, &app.backend_url, payment.id.as_str(), &secret);
    let at_vipps = eventually("Vipps to take the init", || async {
        Ok(app.vipps_payment_for(PHONE).await.ok())
    })
    .await?;
    let txn = at_vipps["psp_transaction_id"]
        .as_str()
        .ok_or("no psp_transaction_id")?
        .to_owned();
    Ok((txn, start))
}

#[tokio::test]
async fn a_payment_left_initiating_that_vipps_accepted_is_moved_on_and_can_be_paid_in_the_app()
-> TestResult {
    let app = TestApp::spawn_with(Options {
        initiating_stuck_after_seconds: Some(2),
        ..Options::default()
    })
    .await?;
    let payment = app.create_payment(1000).await?;
    // Vipps takes the init, and the backend dies before its answer comes back (the
    // start request is dropped mid-call; hyper drops the handler with it).
    let (txn, start) = started_with_hanging_init(&app, &payment, 600).await?;
    start.abort();

    eventually("reconciliation to hand the payment to the app", || async {
        let merchant = app.merchant_view(&payment).await?;
        Ok((merchant.status == PaymentStatus::AwaitingApp).then_some(()))
    })
    .await?;
    let view = app.checkout_view(&payment).await?;
    assert_eq!(view.status, CheckoutStatus::AwaitingApp);
    assert_eq!(
        view.vipps_url, None,
        "the landing page's URL went with the answer"
    );

    let answer: Value = app.approve(&txn).await?;
    assert_eq!(answer["paymentInfo"]["status"], "OK", "{answer}");
    let merchant = app.merchant_view(&payment).await?;
    assert_eq!(merchant.status, PaymentStatus::Authorised);
    Ok(())
}

#[tokio::test]
async fn an_init_answer_arriving_after_the_shopper_paid_in_the_app_changes_nothing() -> TestResult {
    let app = TestApp::spawn().await?;
    let payment = app.create_payment(1000).await?;
    let (txn, start) = started_with_hanging_init(&app, &payment, 3).await?;

    // The shopper approves before the backend has heard back from init.
    let answer: Value = app.approve(&txn).await?;
    assert_eq!(answer["paymentInfo"]["status"], "OK", "{answer}");

    // Then init's answer arrives: the widget learns the outcome, which stands.
    let response = start
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| e.to_string())?;
    let view: CheckoutPayment = expect_json(response, 200).await?;
    assert_eq!(view.status, CheckoutStatus::Succeeded);
    let merchant = app.merchant_view(&payment).await?;
    assert_eq!(merchant.status, PaymentStatus::Authorised);
    Ok(())
}

#[tokio::test]
async fn make_payments_for_an_attempt_left_initiating_settle_it_and_charge_once() -> TestResult {
    let backend = LoneBackend::spawn().await?;
    let http = reqwest::Client::new();
    let (payment, init, start) = left_initiating(&backend, &http).await?;
    start.abort();

    let mut calls = tokio::task::JoinSet::new();
    for _ in 0..8 {
        let (http, init, card_data) = (http.clone(), init.clone(), backend.card_data(APPROVED)?);
        calls.spawn(async move {
            let body = approved_body(&init, "123456", &card_data);
            expect_json::<Value>(send_make_payment(&http, &init, &body).await?, 200).await
        });
    }
    while let Some(answer) = calls.join_next().await {
        let answer = answer.map_err(|e| e.to_string())??;
        assert_eq!(answer["paymentInfo"]["status"], "OK", "{answer}");
    }
    assert_eq!(backend.charges(), 1);
    let merchant = merchant_view(&backend, &http, &payment).await?;
    assert_eq!(merchant.status, PaymentStatus::Authorised);
    Ok(())
}

#[tokio::test]
async fn a_payment_left_initiating_that_vipps_never_saw_can_be_started_again() -> TestResult {
    let backend = LoneBackend::spawn_with(
        |config| config.initiating_stuck_after = Duration::from_secs(1),
        Duration::from_secs(20),
    )
    .await?;
    let http = reqwest::Client::new();
    let (payment, _, start) = left_initiating(&backend, &http).await?;
    start.abort();

    eventually("reconciliation to ask Vipps about the attempt", || async {
        Ok((backend.vipps.details_asked.load(Ordering::SeqCst) > 0).then_some(()))
    })
    .await?;
    let view = eventually("the payment to be startable again", || async {
        let response = checkout_post(
            &backend,
            &http,
            &payment,
            "start",
            Some(&json!({"phone_number": PHONE})),
        )
        .await?;
        Ok(if response.status() == 200 {
            Some(expect_json::<CheckoutPayment>(response, 200).await?)
        } else {
            None
        })
    })
    .await?;
    assert_eq!(view.status, CheckoutStatus::AwaitingApp);
    let inits = backend.vipps.inits.lock().map_err(|e| e.to_string())?;
    assert_eq!(inits.len(), 2, "a new attempt at Vipps");
    assert_ne!(inits[0].psp_transaction_id, inits[1].psp_transaction_id);
    Ok(())
}

#[tokio::test]
async fn a_payment_left_initiating_past_its_expiry_that_vipps_never_saw_expires() -> TestResult {
    let backend = LoneBackend::spawn_with(
        |config| {
            config.initiating_stuck_after = Duration::from_secs(1);
            config.payment_ttl = Duration::from_secs(2);
        },
        Duration::from_secs(20),
    )
    .await?;
    let http = reqwest::Client::new();
    let (payment, _, start) = left_initiating(&backend, &http).await?;
    start.abort();

    eventually("the payment to expire", || async {
        let merchant = merchant_view(&backend, &http, &payment).await?;
        Ok((merchant.status == PaymentStatus::Expired).then_some(()))
    })
    .await?;
    let again = checkout_post(
        &backend,
        &http,
        &payment,
        "start",
        Some(&json!({"phone_number": PHONE})),
    )
    .await?;
    assert_eq!(again.status(), 410);
    Ok(())
}

#[tokio::test]
async fn the_shopper_can_cancel_a_payment_left_initiating_and_a_later_make_payment_is_too_late()
-> TestResult {
    let backend = LoneBackend::spawn().await?;
    let http = reqwest::Client::new();
    let (payment, init, start) = left_initiating(&backend, &http).await?;
    start.abort();

    let view: CheckoutPayment = expect_json(
        checkout_post(&backend, &http, &payment, "cancel", None).await?,
        200,
    )
    .await?;
    assert_eq!(view.status, CheckoutStatus::Cancelled);

    let answer = approved(&backend, &http, &init).await?;
    assert_eq!(answer["paymentInfo"]["status"], "FAIL", "{answer}");
    assert_eq!(answer["errorMessage"]["errorId"], "85", "{answer}");
    assert_eq!(backend.charges(), 0);
    Ok(())
}
