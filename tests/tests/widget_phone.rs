//! On a phone the widget switches to Vipps in the same tab: the payment starts with
//! `is_app`, the page goes to the Vipps landing page, and after the shopper approves,
//! Vipps sends the browser to the PSP's return page, which shows the server's state.
//! This flow goes through the simulator's landing page, not only its `/sim/` API.
//!
//! Ignored in a plain `cargo test`: `cargo xtask test` builds the widget and runs them.

use e2e::browser::Device;
use e2e::browser::widget::{APPROVED_CARD, Embed, PHONE, PHONE_TYPED, WidgetTest};
use e2e::{Options, TestResult, expect_json};
use serde_json::Value;

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

#[tokio::test]
#[ignore = "needs the built widget and chromedriver: run `cargo xtask test`"]
async fn on_a_phone_the_page_switches_to_vipps_and_comes_back_to_the_result() -> TestResult {
    let t = WidgetTest::start_with(Device::Phone, Options::default()).await?;
    // The merchant chose nynorsk for a browser set to English: the return page, reached
    // through Vipps, speaks nynorsk too.
    let embed = Embed {
        locale: Some("nn"),
        ..Embed::default()
    };
    let payment = t.open(&embed).await?;
    t.type_phone(PHONE_TYPED).await?;
    t.snapshot("phone-form-mobile").await?;
    t.press("#pay").await?;

    let landing = format!("{}/landing/", t.app.simulator_url);
    t.browser.wait_for_url(&landing).await?;
    let url = format!("{}/sim/payments?phone={PHONE}", t.app.simulator_url);
    let at_vipps: Vec<Value> =
        expect_json(t.app.http.get(url).send().await.map_err(err)?, 200).await?;
    let [one] = at_vipps.as_slice() else {
        return Err(format!("expected one payment at Vipps: {at_vipps:?}"));
    };
    assert_eq!(one["is_app"], true, "started as an app payment: {one}");
    let txn = one["psp_transaction_id"]
        .as_str()
        .ok_or("no psp_transaction_id")?
        .to_owned();

    // The landing page replaced the merchant's page: the shopper confirms there (out of
    // the widget's frame), then approves in the app.
    t.to_page().await?;
    t.browser
        .wait_for("#confirm")
        .await?
        .click()
        .await
        .map_err(err)?;
    t.browser.wait_for("#waiting").await?;
    t.approve(&txn, APPROVED_CARD).await?;

    let back = format!("{}/return/{}", t.app.backend_url, payment.id);
    let url = t.browser.wait_for_url(&back).await?;
    assert!(url.ends_with("?lang=nn"), "{url}");
    t.browser
        .wait_for("#return[data-status='authorised']")
        .await?;
    t.browser.wait_for("html[lang='nn']").await?;
    t.browser.screenshot("phone-return-page").await?;
    Ok(())
}
