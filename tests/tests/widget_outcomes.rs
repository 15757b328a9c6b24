//! Every way a payment ends, seen in the widget: paid, each card decline, rejected or
//! left to time out in the app, cancelled in the widget (and a late approval answered
//! 85), expired, and a second attempt after a failure. Vipps is driven headlessly
//! through the simulator's `/sim/` API; the phone flow (`widget_phone.rs`) and
//! `browser.rs` go through its pages.
//!
//! Ignored in a plain `cargo test`: `cargo xtask test` builds the widget and runs them.

use std::collections::HashSet;

use e2e::browser::widget::{APPROVED_CARD, DECLINED_CARD, Embed, WidgetTest};
use e2e::{Options, TestResult};
use serde_json::{Value, json};
use shared::merchant::PaymentStatus;
use shared::test_cards::{TEST_CARDS, TestOutcome};
use shared::vipps::ErrorId;

/// The `FailureReason` a card decline must end in; `None` for ids that are no decline.
fn reason_for(id: ErrorId) -> Option<&'static str> {
    match id {
        ErrorId::NoSuchIssuer => Some("no_such_issuer"),
        ErrorId::RefusedByIssuer => Some("refused_by_issuer"),
        ErrorId::SuspectedFraud => Some("suspected_fraud"),
        ErrorId::ExceedsWithdrawalLimit => Some("exceeds_limit"),
        ErrorId::ExpiredCard => Some("expired_card"),
        ErrorId::InvalidCardNumber => Some("invalid_card"),
        ErrorId::CreditCardNotAllowed => Some("credit_card_not_allowed"),
        ErrorId::InsufficientFunds => Some("insufficient_funds"),
        ErrorId::TooLate
        | ErrorId::InternalError
        | ErrorId::UnableToDecrypt
        | ErrorId::StatusFromVipps => None,
    }
}

/// The PSP's makePayment answer: `OK`, or `FAIL` with its errorId.
fn answer_of(answer: &Value) -> (String, Option<String>) {
    let status = answer["paymentInfo"]["status"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let id = answer["errorMessage"]["errorId"]
        .as_str()
        .map(str::to_owned);
    (status, id)
}

/// Shopper words: a sentence, no wire code, no error number.
fn assert_shopper_words(text: &str, code: &str, error_id: &str) {
    assert!(text.len() > 20, "too short to explain anything: {text:?}");
    assert!(
        !text.contains('_') && !text.contains(code) && !text.contains(error_id),
        "the widget shows codes instead of words: {text:?}"
    );
}

#[tokio::test]
#[ignore = "needs the built widget and chromedriver: run `cargo xtask test`"]
async fn an_approved_payment_shows_paid_and_tells_the_page_each_step() -> TestResult {
    let t = WidgetTest::start().await?;
    let payment = t.open(&Embed::default()).await?;
    let txn = t.pay().await?;
    let (status, _) = answer_of(&t.approve(&txn, APPROVED_CARD).await?);
    assert_eq!(status, "OK");
    t.outcome("succeeded").await?;
    let text = t.text_of("#result").await?;
    assert!(text.contains("299"), "the receipt names the amount: {text}");
    assert_eq!(t.event("succeeded").await?["status"], "succeeded");
    let names: Vec<String> = t
        .events()
        .await?
        .iter()
        .filter_map(|e| e["name"].as_str().map(str::to_owned))
        .filter(|name| name != "status")
        .collect();
    assert_eq!(
        names,
        ["ready", "started", "awaiting-app", "succeeded"],
        "the page hears each step once, in order"
    );
    assert_eq!(
        t.merchant_view(&payment).await?.status,
        PaymentStatus::Authorised
    );
    t.no_csp_violations().await?;
    Ok(())
}

#[tokio::test]
#[ignore = "needs the built widget and chromedriver: run `cargo xtask test`"]
async fn every_declined_test_card_ends_in_its_own_reason_in_words() -> TestResult {
    let t = WidgetTest::start().await?;
    let mut texts = HashSet::new();
    for card in TEST_CARDS {
        let TestOutcome::Declined(id) = card.outcome else {
            continue;
        };
        let code = reason_for(id).ok_or_else(|| format!("{id:?} is no card decline"))?;
        t.open(&Embed::default()).await?;
        let txn = t.pay().await?;
        let answer = t.approve(&txn, card.number).await?;
        let error_id = id.code().to_string();
        assert_eq!(
            answer_of(&answer),
            ("FAIL".to_owned(), Some(error_id.clone())),
            "{}: {answer}",
            card.label
        );
        let result = format!("#result[data-outcome='failed'][data-reason='{code}']");
        let text = t.text_of(&result).await?;
        assert_shopper_words(&text, code, &error_id);
        assert_eq!(t.event("failed").await?["reason"], code);
        texts.insert(text);
    }
    assert_eq!(texts.len(), 8, "each reason has its own words: {texts:?}");
    t.no_csp_violations().await?;
    Ok(())
}

#[tokio::test]
#[ignore = "needs the built widget and chromedriver: run `cargo xtask test`"]
async fn rejecting_cancelling_or_ignoring_at_vipps_fails_with_that_reason() -> TestResult {
    let t = WidgetTest::start().await?;
    let endings = [
        ("reject", "rejected_in_app"),
        ("cancel", "cancelled_at_vipps"),
        ("timeout", "timed_out"),
    ];
    for (action, code) in endings {
        let payment = t.open(&Embed::default()).await?;
        let txn = t.pay().await?;
        let answer = t.at_vipps(&txn, action, json!({})).await?;
        assert_eq!(answer_of(&answer).1.as_deref(), Some("93"), "{answer}");
        let result = format!("#result[data-outcome='failed'][data-reason='{code}']");
        assert_shopper_words(&t.text_of(&result).await?, code, "93");
        assert_eq!(t.event("failed").await?["reason"], code);
        assert_eq!(
            t.merchant_view(&payment).await?.status,
            PaymentStatus::Failed
        );
    }
    t.no_csp_violations().await?;
    Ok(())
}

#[tokio::test]
#[ignore = "needs the built widget and chromedriver: run `cargo xtask test`"]
async fn cancelling_in_the_widget_ends_it_and_a_late_approval_gets_85() -> TestResult {
    let t = WidgetTest::start().await?;
    let payment = t.open(&Embed::default()).await?;
    let txn = t.pay().await?;
    t.press("#cancel").await?;
    t.outcome("cancelled").await?;
    assert_eq!(t.event("cancelled").await?["status"], "cancelled");
    let answer = t.approve(&txn, APPROVED_CARD).await?;
    assert_eq!(
        answer_of(&answer),
        ("FAIL".to_owned(), Some("85".to_owned())),
        "{answer}"
    );
    assert_eq!(
        t.merchant_view(&payment).await?.status,
        PaymentStatus::Cancelled
    );
    // The widget still says cancelled: nothing was charged.
    t.outcome("cancelled").await?;
    t.no_csp_violations().await?;
    Ok(())
}

#[tokio::test]
#[ignore = "needs the built widget and chromedriver: run `cargo xtask test`"]
async fn after_a_decline_try_again_starts_a_new_attempt_that_can_succeed() -> TestResult {
    let t = WidgetTest::start().await?;
    let payment = t.open(&Embed::default()).await?;
    let first = t.pay().await?;
    t.approve(&first, DECLINED_CARD).await?;
    t.outcome("failed").await?;
    let second = t.try_again().await?;
    assert_ne!(first, second, "a new attempt has a new pspTransactionId");
    let (status, _) = answer_of(&t.approve(&second, APPROVED_CARD).await?);
    assert_eq!(status, "OK");
    t.ends_paid(&payment).await?;
    t.no_csp_violations().await?;
    Ok(())
}

#[tokio::test]
#[ignore = "needs the built widget and chromedriver: run `cargo xtask test`"]
async fn a_payment_past_its_time_opens_as_expired() -> TestResult {
    let t = WidgetTest::start_with(
        e2e::browser::Device::Desktop,
        Options {
            payment_ttl_seconds: Some(1),
            ..Options::default()
        },
    )
    .await?;
    let payment = t.app.create_payment(29_900).await?;
    t.wait_for_status(&payment, PaymentStatus::Expired).await?;
    t.show(&payment, &Embed::default()).await?;
    t.outcome("expired").await?;
    assert_eq!(t.event("expired").await?["status"], "expired");
    t.no_csp_violations().await?;
    Ok(())
}

#[tokio::test]
#[ignore = "needs the built widget and chromedriver: run `cargo xtask test`"]
async fn the_countdown_runs_out_on_the_open_form_and_the_widget_shows_expired() -> TestResult {
    let t = WidgetTest::start_with(
        e2e::browser::Device::Desktop,
        Options {
            payment_ttl_seconds: Some(8),
            ..Options::default()
        },
    )
    .await?;
    t.open(&Embed::default()).await?;
    t.browser.wait_for("#phone").await?;
    t.browser.wait_for("#countdown").await?;
    t.outcome("expired").await?;
    assert_eq!(t.event("expired").await?["status"], "expired");
    t.no_csp_violations().await?;
    Ok(())
}
