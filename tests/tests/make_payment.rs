//! Vipps's makePayment against the real backend, played by the test itself (the
//! backend's Vipps is a recording fake): duplicates, concurrency, refusals, bad card data.

use e2e::fakes::{LoneBackend, send_make_payment};
use e2e::{TestResult, expect_json};
use serde_json::{Value, json};
use shared::vipps::InitRequest;

const APPROVED: &str = "4925000000000004,3012,3854ba014e184e0d8ba259253f4adbfa";
const NO_FUNDS: &str = "4000000000009995,3012,3854ba014e184e0d8ba259253f4adbfa";

/// Creates a payment, starts it, and returns what the backend sent to Vipps.
async fn awaiting_app(backend: &LoneBackend, http: &reqwest::Client) -> TestResult<InitRequest> {
    awaiting_app_with(backend, http, &json!({"phone_number": "91234567"})).await
}

/// A payment started with `start` as the widget's request body, as Vipps's init saw it.
async fn awaiting_app_with(
    backend: &LoneBackend,
    http: &reqwest::Client,
    start: &Value,
) -> TestResult<InitRequest> {
    let payment = backend.create_payment(http).await?;
    let (id, secret) = (
        payment.id.as_str(),
        payment.client_secret.unwrap_or_default(),
    );
    let response = http
        .post(format!("{}/api/checkout/payments/{id}/start", backend.url))
        .header("x-client-secret", &secret)
        .json(start)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let _: Value = expect_json(response, 200).await?;
    backend.last_init()
}

async fn make_payment(
    http: &reqwest::Client,
    init: &InitRequest,
    body: &Value,
) -> TestResult<Value> {
    expect_json(send_make_payment(http, init, body).await?, 200).await
}

/// makePayment as Vipps sends it once the shopper approved with `card` (`NUMBER,YYMM,SESSION`).
async fn approved_with(
    backend: &LoneBackend,
    http: &reqwest::Client,
    init: &InitRequest,
    card: &str,
) -> TestResult<Value> {
    make_payment(
        http,
        init,
        &body(init, Some(backend.card_data(card)?), "YES"),
    )
    .await
}

fn body(init: &InitRequest, card_data: Option<String>, confirmed: &str) -> Value {
    json!({"pspTransactionId": init.psp_transaction_id, "merchantSerialNumber": "123456",
           "cardData": card_data, "confirmed": confirmed})
}

#[tokio::test]
async fn init_carries_the_merchants_amount_and_a_fresh_token_per_payment() -> TestResult {
    let backend = LoneBackend::spawn().await?;
    let http = reqwest::Client::new();
    let first = awaiting_app(&backend, &http).await?;
    let second = awaiting_app(&backend, &http).await?;
    assert_eq!((first.amount, first.currency.as_str()), (12_300, "NOK"));
    assert_eq!(
        first.make_payment_url,
        format!("{}/vipps/make-payment", backend.url)
    );
    assert!(
        first
            .psp_redirect_url
            .starts_with(&format!("{}/return/pay_", backend.url))
    );
    // Without the widget's language the return page follows the browser's.
    assert!(!first.psp_redirect_url.contains('?'), "{first:?}");
    let start = json!({"phone_number": "91234567", "lang": "nn"});
    let nynorsk = awaiting_app_with(&backend, &http, &start).await?;
    assert!(
        nynorsk.psp_redirect_url.ends_with("?lang=nn"),
        "{nynorsk:?}"
    );
    assert!(
        first
            .make_payment_token
            .as_ref()
            .is_some_and(|t| t.len() >= 32)
    );
    assert_ne!(first.make_payment_token, second.make_payment_token);
    assert_ne!(first.psp_transaction_id, second.psp_transaction_id);
    Ok(())
}

#[tokio::test]
async fn dozens_of_concurrent_make_payments_get_the_first_answer_and_one_charge() -> TestResult {
    let backend = LoneBackend::spawn().await?;
    let http = reqwest::Client::new();
    let init = awaiting_app(&backend, &http).await?;
    let request = body(&init, Some(backend.card_data(APPROVED)?), "YES");
    let mut calls = tokio::task::JoinSet::new();
    for _ in 0..40 {
        let (http, init, request) = (http.clone(), init.clone(), request.clone());
        calls.spawn(async move { make_payment(&http, &init, &request).await });
    }
    let answers: Vec<Value> = calls
        .join_all()
        .await
        .into_iter()
        .collect::<Result<_, _>>()?;
    assert_eq!(answers.len(), 40);
    assert!(
        answers.iter().all(|a| a["paymentInfo"]["status"] == "OK"),
        "{answers:?}"
    );
    assert!(
        answers.windows(2).all(|pair| pair[0] == pair[1]),
        "every answer is the first one"
    );
    assert_eq!(backend.charges(), 1, "the acquirer is asked exactly once");
    Ok(())
}

#[tokio::test]
async fn a_repeat_after_a_decline_gets_the_same_fail_and_no_second_charge() -> TestResult {
    let backend = LoneBackend::spawn().await?;
    let http = reqwest::Client::new();
    let init = awaiting_app(&backend, &http).await?;
    let first = approved_with(&backend, &http, &init, NO_FUNDS).await?;
    assert_eq!(first["errorMessage"]["errorId"], "89", "{first}");
    // Vipps retries, even with other card data: the first result stands.
    let again = approved_with(&backend, &http, &init, APPROVED).await?;
    assert_eq!(again, first);
    assert_eq!(backend.charges(), 1);
    Ok(())
}

#[tokio::test]
async fn unreadable_card_data_answers_92_and_charges_nothing() -> TestResult {
    let backend = LoneBackend::spawn().await?;
    let http = reqwest::Client::new();
    for card_data in [
        Some("bm90IGEgY3J5cHRvZ3JhbQ==".to_owned()),
        Some("%%%".to_owned()),
        None,
    ] {
        let init = awaiting_app(&backend, &http).await?;
        let answer = make_payment(&http, &init, &body(&init, card_data, "YES")).await?;
        assert_eq!(answer["paymentInfo"]["status"], "FAIL", "{answer}");
        assert_eq!(answer["errorMessage"]["errorId"], "92", "{answer}");
    }
    assert_eq!(backend.charges(), 0);
    Ok(())
}

#[tokio::test]
async fn no_cancel_and_timeout_from_vipps_answer_93_and_charge_nothing() -> TestResult {
    let backend = LoneBackend::spawn().await?;
    let http = reqwest::Client::new();
    for confirmed in ["NO", "CANCEL", "TIMEOUT"] {
        let init = awaiting_app(&backend, &http).await?;
        let answer = make_payment(
            &http,
            &init,
            &body(&init, Some(backend.card_data(APPROVED)?), confirmed),
        )
        .await?;
        assert_eq!(answer["errorMessage"]["errorId"], "93", "{answer}");
        let text = answer["errorMessage"]["errorText"]
            .as_str()
            .unwrap_or_default();
        assert_eq!(text, format!("Status from Vipps: {confirmed}"));
    }
    assert_eq!(backend.charges(), 0);
    Ok(())
}

#[tokio::test]
async fn a_hung_acquirer_gets_fail_91_in_time_and_its_late_authorisation_is_voided() -> TestResult {
    let tweak = |config: &mut backend::Config| {
        config.acquirer_timeout = std::time::Duration::from_millis(200)
    };
    let backend = LoneBackend::spawn_with(tweak, std::time::Duration::from_millis(1_000)).await?;
    let http = reqwest::Client::new();
    let init = awaiting_app(&backend, &http).await?;
    let slow = "4000000000000259,3012,3854ba014e184e0d8ba259253f4adbfa";
    let answer = approved_with(&backend, &http, &init, slow).await?;
    assert_eq!(answer["errorMessage"]["errorId"], "91", "{answer}");
    // The acquirer authorised after we gave up: reconciliation finds and voids it.
    e2e::eventually("the forgotten authorisation to be voided", || async {
        Ok((backend.voids() == 1).then_some(()))
    })
    .await?;
    Ok(())
}

#[tokio::test]
async fn a_charge_that_outlives_its_stuck_deadline_is_failed_answered_fail_and_voided() -> TestResult
{
    // The charge takes 5 s, but reconciliation counts a charge stuck at once: it fails
    // the payment (FAIL 91 on record) and voids what the acquirer holds, while the
    // acquirer is still answering. Its late "approved" must change none of that.
    let tweak = |config: &mut backend::Config| {
        config.acquirer_timeout = std::time::Duration::from_secs(10);
        config.stuck_after = std::time::Duration::ZERO;
    };
    let backend = LoneBackend::spawn_with(tweak, std::time::Duration::from_secs(5)).await?;
    let http = reqwest::Client::new();
    let init = awaiting_app(&backend, &http).await?;
    let slow = "4000000000000259,3012,3854ba014e184e0d8ba259253f4adbfa";
    let answer = approved_with(&backend, &http, &init, slow).await?;
    assert_eq!(answer["paymentInfo"]["status"], "FAIL", "{answer}");
    assert_eq!(answer["errorMessage"]["errorId"], "91", "{answer}");
    // What is on record says the same: Vipps's retry hears FAIL 91 again.
    let again = approved_with(&backend, &http, &init, slow).await?;
    assert_eq!(again, answer);
    assert_eq!(backend.charges(), 1, "charged once");
    e2e::eventually("the authorisation to be voided", || async {
        Ok((backend.voids() >= 1).then_some(()))
    })
    .await?;
    Ok(())
}

#[tokio::test]
async fn every_test_card_decline_answers_its_error_id() -> TestResult {
    use shared::test_cards::{TEST_CARDS, TestOutcome};
    let backend = LoneBackend::spawn().await?;
    let http = reqwest::Client::new();
    for card in TEST_CARDS {
        let TestOutcome::Declined(id) = card.outcome else {
            continue;
        };
        let init = awaiting_app(&backend, &http).await?;
        let card_data = backend.card_data(&format!("{},3012,abc123", card.number))?;
        let answer = make_payment(&http, &init, &body(&init, Some(card_data), "YES")).await?;
        assert_eq!(
            answer["paymentInfo"]["status"], "FAIL",
            "{}: {answer}",
            card.label
        );
        assert_eq!(
            answer["errorMessage"]["errorId"],
            id.code().to_string(),
            "{}: {answer}",
            card.label
        );
        assert_eq!(
            answer["errorMessage"]["errorText"],
            id.text(),
            "{}",
            card.label
        );
    }
    // A past expiry on an otherwise good card is an expired card.
    let init = awaiting_app(&backend, &http).await?;
    let answer = make_payment(
        &http,
        &init,
        &body(
            &init,
            Some(backend.card_data("4925000000000004,2001,abc")?),
            "YES",
        ),
    )
    .await?;
    assert_eq!(answer["errorMessage"]["errorId"], "86", "{answer}");
    Ok(())
}

/// What an instance that died mid-charge leaves: the attempt `Charging` since long ago,
/// no outcome recorded. Returns the payment's id.
async fn left_charging_by_a_dead_instance(
    backend: &LoneBackend,
    init: &InitRequest,
) -> TestResult<shared::PaymentId> {
    let mut db = backend.database().await?;
    let moved = sqlx::query(
        "UPDATE payments SET state = 'charging', updated_at = updated_at - 60
         WHERE psp_transaction_id = $1 AND state = 'awaiting_app'",
    )
    .bind(init.psp_transaction_id.as_str())
    .execute(&mut db)
    .await
    .map_err(|e| e.to_string())?;
    assert_eq!(moved.rows_affected(), 1);
    let id: String = sqlx::query_scalar("SELECT id FROM payments WHERE psp_transaction_id = $1")
        .bind(init.psp_transaction_id.as_str())
        .fetch_one(&mut db)
        .await
        .map_err(|e| e.to_string())?;
    id.parse().map_err(|e: shared::ids::IdError| e.to_string())
}

/// The acquirer's deadline 1 s, so a charge 60 s old is past it; reconciliation's own
/// "stuck" verdict (which would fail the payment) an hour away.
fn one_second_acquirer(config: &mut backend::Config) {
    config.acquirer_timeout = std::time::Duration::from_secs(1);
    config.stuck_after = std::time::Duration::from_secs(3600);
}

#[tokio::test]
async fn a_repeat_settles_a_charge_its_dead_instance_left_by_charging_once_and_answering_ok()
-> TestResult {
    let backend = LoneBackend::spawn_with(one_second_acquirer, std::time::Duration::ZERO).await?;
    let http = reqwest::Client::new();
    let init = awaiting_app(&backend, &http).await?;
    left_charging_by_a_dead_instance(&backend, &init).await?;

    // Vipps sends makePayment again (its first call was cut): the shopper approved.
    let answer = approved_with(&backend, &http, &init, APPROVED).await?;
    assert_eq!(answer["paymentInfo"]["status"], "OK", "{answer}");
    assert_eq!(
        backend.charges(),
        1,
        "the acquirer held nothing: charged now, once"
    );
    let again = approved_with(&backend, &http, &init, APPROVED).await?;
    assert_eq!(again, answer, "later copies get the recorded answer");
    assert_eq!(backend.charges(), 1);
    Ok(())
}

#[tokio::test]
async fn a_repeat_takes_the_authorisation_a_dead_instance_got_and_charges_nothing_more()
-> TestResult {
    use backend::acquirer::{Acquirer, Authorise};
    let backend = LoneBackend::spawn_with(one_second_acquirer, std::time::Duration::ZERO).await?;
    let http = reqwest::Client::new();
    let init = awaiting_app(&backend, &http).await?;
    let payment = left_charging_by_a_dead_instance(&backend, &init).await?;
    // The dead instance's charge reached the acquirer before it died.
    let amount = u64::try_from(init.amount).map_err(|e| e.to_string())?;
    let card = backend::card::Card::new("4925000000000004", "3012").map_err(|e| e.to_string())?;
    let authorised = backend
        .acquirer
        .authorise(Authorise {
            payment: &payment,
            amount: shared::Amount::from_ore(amount).map_err(|e| e.to_string())?,
            currency: shared::Currency::Nok,
            card: &card,
        })
        .await
        .map_err(|e| e.to_string())?;
    assert!(matches!(
        authorised,
        backend::acquirer::Authorisation::Approved { .. }
    ));

    let answer = approved_with(&backend, &http, &init, APPROVED).await?;
    assert_eq!(answer["paymentInfo"]["status"], "OK", "{answer}");
    assert_eq!(
        backend.charges(),
        1,
        "the dead instance's authorisation is the payment's"
    );
    Ok(())
}
