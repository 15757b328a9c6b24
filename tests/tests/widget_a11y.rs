//! axe-core (WCAG 2.0 and 2.1, levels A and AA) finds nothing in any state of the
//! widget: the phone form, a phone error, waiting, paid, failed, cancelled, expired, a
//! problem it cannot solve, and the same in the dark theme. Each state is also photographed (`docs/screenshots/`).
//!
//! Ignored in a plain `cargo test`: `cargo xtask test` builds the widget and runs them.

use e2e::browser::widget::{APPROVED_CARD, DECLINED_CARD, Embed, WidgetTest};
use e2e::browser::{Device, axe};
use e2e::{Options, TestResult};
use shared::merchant::PaymentStatus;

/// axe-core on the widget as it is now, and a picture of it named `state`.
async fn check(t: &WidgetTest, state: &str) -> TestResult {
    axe::check(&t.browser, state).await?;
    t.snapshot(state).await
}

/// Phone form → phone error → waiting → paid, checked at each step.
async fn walk_to_paid(t: &WidgetTest, embed: &Embed, prefix: &str) -> TestResult {
    t.open(embed).await?;
    t.browser.wait_for("#phone").await?;
    check(t, &format!("{prefix}phone-form")).await?;
    t.type_phone("123").await?;
    t.press_pay().await?;
    t.browser.wait_for("#phone-error").await?;
    check(t, &format!("{prefix}phone-error")).await?;
    let txn = t.pay().await?;
    check(t, &format!("{prefix}waiting")).await?;
    t.approve(&txn, APPROVED_CARD).await?;
    t.outcome("succeeded").await?;
    check(t, &format!("{prefix}succeeded")).await
}

#[tokio::test]
#[ignore = "needs the built widget and chromedriver: run `cargo xtask test`"]
async fn the_way_to_a_paid_payment_has_no_accessibility_violations() -> TestResult {
    let t = WidgetTest::start().await?;
    walk_to_paid(&t, &Embed::default(), "").await
}

#[tokio::test]
#[ignore = "needs the built widget and chromedriver: run `cargo xtask test`"]
async fn the_dark_theme_has_no_accessibility_violations() -> TestResult {
    let t = WidgetTest::start().await?;
    let dark = Embed {
        theme: Some("dark"),
        ..Embed::default()
    };
    walk_to_paid(&t, &dark, "dark-").await?;
    t.open(&dark).await?;
    let txn = t.pay().await?;
    t.approve(&txn, DECLINED_CARD).await?;
    t.outcome("failed").await?;
    check(&t, "dark-failed").await
}

#[tokio::test]
#[ignore = "needs the built widget and chromedriver: run `cargo xtask test`"]
async fn failed_and_cancelled_screens_have_no_accessibility_violations() -> TestResult {
    let t = WidgetTest::start().await?;
    t.open(&Embed::default()).await?;
    let txn = t.pay().await?;
    t.approve(&txn, DECLINED_CARD).await?;
    t.outcome("failed").await?;
    check(&t, "failed").await?;

    t.open(&Embed::default()).await?;
    t.pay().await?;
    t.press("#cancel").await?;
    t.outcome("cancelled").await?;
    check(&t, "cancelled").await
}

#[tokio::test]
#[ignore = "needs the built widget and chromedriver: run `cargo xtask test`"]
async fn the_expired_screen_has_no_accessibility_violations() -> TestResult {
    let t = WidgetTest::start_with(
        Device::Desktop,
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
    check(&t, "expired").await
}

#[tokio::test]
#[ignore = "needs the built widget and chromedriver: run `cargo xtask test`"]
async fn the_problem_screen_has_no_accessibility_violations() -> TestResult {
    let t = WidgetTest::start().await?;
    let mut payment = t.app.create_payment(29_900).await?;
    // A well-formed client secret that is not this payment's.
    let secret = payment.client_secret.take().unwrap_or_default();
    payment.client_secret = Some(format!("{secret}0"));
    t.show(&payment, &Embed::default()).await?;
    t.browser.wait_for("#problem").await?;
    check(&t, "problem").await
}
