//! The widget keeps its footing: the connection drops and comes back (a relay between
//! the browser and the backend is unplugged, so requests really fail), and the merchant
//! page is reloaded in the middle of a payment.
//!
//! Ignored in a plain `cargo test`: `cargo xtask test` builds the widget and runs them.

use e2e::TestResult;
use e2e::browser::network::Cable;
use e2e::browser::widget::{APPROVED_CARD, Embed, PHONE_TYPED, WidgetTest};

#[tokio::test]
#[ignore = "needs the built widget and chromedriver: run `cargo xtask test`"]
async fn while_offline_the_widget_says_so_and_afterwards_shows_what_happened_meanwhile()
-> TestResult {
    let t = WidgetTest::start().await?;
    let cable = Cable::to(&t.app.backend_url).await?;
    let embed = Embed {
        checkout_origin: Some(cable.url().to_owned()),
        ..Embed::default()
    };
    let payment = t.open(&embed).await?;
    let txn = t.pay().await?;
    cable.unplug();
    t.browser.wait_for("main .trouble").await?;
    t.snapshot("connection-trouble").await?;
    // The shopper approves on the phone while the widget cannot reach us.
    t.approve(&txn, APPROVED_CARD).await?;
    cable.plug_in();
    t.ends_paid(&payment).await?;
    assert!(
        t.browser.is_absent("main .trouble").await?,
        "the trouble notice is gone"
    );
    Ok(())
}

#[tokio::test]
#[ignore = "needs the built widget and chromedriver: run `cargo xtask test`"]
async fn pay_while_offline_asks_to_retry_and_pay_again_online_starts_the_payment() -> TestResult {
    let t = WidgetTest::start().await?;
    let cable = Cable::to(&t.app.backend_url).await?;
    let embed = Embed {
        checkout_origin: Some(cable.url().to_owned()),
        ..Embed::default()
    };
    t.open(&embed).await?;
    t.type_phone(PHONE_TYPED).await?;
    cable.unplug();
    t.press_pay().await?;
    t.browser.wait_for("#phone-error").await?;
    cable.plug_in();
    t.press_pay().await?;
    t.browser.wait_for("#waiting").await?;
    let txn = t.pending_at_vipps().await?;
    t.approve(&txn, APPROVED_CARD).await?;
    t.outcome("succeeded").await?;
    Ok(())
}

#[tokio::test]
#[ignore = "needs the built widget and chromedriver: run `cargo xtask test`"]
async fn reloading_the_page_mid_payment_resumes_waiting_and_ends_paid() -> TestResult {
    let t = WidgetTest::start().await?;
    let payment = t.open(&Embed::default()).await?;
    let txn = t.pay().await?;
    t.to_page().await?;
    t.browser
        .client
        .refresh()
        .await
        .map_err(|e| e.to_string())?;
    t.enter_widget().await?;
    // Back to waiting, with a link to Vipps in case the shopper closed its window.
    t.browser.wait_for("#waiting #open-vipps").await?;
    t.snapshot("waiting-after-reload").await?;
    t.approve(&txn, APPROVED_CARD).await?;
    t.ends_paid(&payment).await?;
    assert_eq!(t.event("succeeded").await?["status"], "succeeded");
    Ok(())
}
