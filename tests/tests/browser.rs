//! A shopper pays through the widget in headless Chromium: demo shop → widget →
//! Vipps landing page → Vipps phone app → back to the shop.
//!
//! These need the built widget and chromedriver, so they are `#[ignore]`d in a plain
//! `cargo test`; `cargo xtask test` builds the widget and runs them with `--ignored`.

use std::path::PathBuf;

use e2e::browser::Browser;
use e2e::{Options, TestApp, TestResult};

const PHONE: &str = "91234567";

fn widget_dir() -> TestResult<PathBuf> {
    let dir = std::env::var("WIDGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../frontend/dist"));
    if dir.join("index.html").exists() {
        Ok(dir)
    } else {
        Err(format!(
            "no built widget in {} (run `cargo xtask test`)",
            dir.display()
        ))
    }
}

/// Buys in the shop, types the phone number in the widget, presses Pay, confirms on
/// the landing page and approves with `card` in the phone app. Leaves the browser on
/// the shop's window.
async fn pay(app: &TestApp, browser: &Browser, card: &str, name: &str) -> TestResult {
    let c = &browser.client;
    let err = |e: fantoccini::error::CmdError| e.to_string();
    c.goto(&app.shop_url).await.map_err(err)?;
    browser.wait_for("#buy").await?.click().await.map_err(err)?;
    browser
        .wait_for("#vipps-checkout iframe")
        .await?
        .enter_frame()
        .await
        .map_err(err)?;
    browser
        .wait_for("#phone")
        .await?
        .send_keys("912 34 567")
        .await
        .map_err(err)?;
    browser.screenshot(&format!("{name}-1-phone")).await?;
    let shop = c.window().await.map_err(err)?;
    let known = c.windows().await.map_err(err)?;
    browser.wait_for("#pay").await?.click().await.map_err(err)?;
    browser.wait_for("#waiting").await?;
    browser.screenshot(&format!("{name}-2-waiting")).await?;

    // The landing page opened in a new window (desktop flow).
    browser.switch_to_new_window(&known).await?;
    browser
        .wait_for("#confirm")
        .await?
        .click()
        .await
        .map_err(err)?;
    browser.wait_for("#waiting").await?;

    // The shopper's phone: the Vipps app lists the request for their number.
    let phone_app = c.new_window(true).await.map_err(err)?.handle;
    c.switch_to_window(phone_app).await.map_err(err)?;
    c.goto(&format!("{}/app?phone={PHONE}", app.simulator_url))
        .await
        .map_err(err)?;
    browser
        .wait_for(&format!("input[name=card][value='{card}']"))
        .await?
        .click()
        .await
        .map_err(err)?;
    browser
        .wait_for("button.approve")
        .await?
        .click()
        .await
        .map_err(err)?;
    browser.wait_for("#result").await?;
    browser.screenshot(&format!("{name}-3-phone-app")).await?;
    c.switch_to_window(shop).await.map_err(err)?;
    Ok(())
}

#[tokio::test]
#[ignore = "needs the built widget and chromedriver: run `cargo xtask test`"]
async fn a_shopper_pays_through_the_widget_and_the_shop_sees_the_order_paid() -> TestResult {
    let app = TestApp::spawn_with(Options {
        widget_dir: Some(widget_dir()?),
        ..Options::default()
    })
    .await?;
    let browser = Browser::start().await?;
    pay(&app, &browser, "4925000000000004", "paid").await?;
    // The widget reported success to the page (DOM event), the shop's server checked
    // the payment at the PSP and shows the order as paid.
    let order = browser
        .wait_for("#order-status[data-status='authorised']")
        .await?;
    let text = order.text().await.map_err(|e| e.to_string())?;
    assert!(
        text.to_lowercase().contains("paid"),
        "order page says: {text}"
    );
    browser.screenshot("paid-4-order").await?;
    Ok(())
}

#[tokio::test]
#[ignore = "needs the built widget and chromedriver: run `cargo xtask test`"]
async fn a_declined_card_ends_in_the_widget_with_the_reason_in_words() -> TestResult {
    let app = TestApp::spawn_with(Options {
        widget_dir: Some(widget_dir()?),
        ..Options::default()
    })
    .await?;
    let browser = Browser::start().await?;
    pay(&app, &browser, "4000000000009995", "declined").await?;
    browser
        .wait_for("#vipps-checkout iframe")
        .await?
        .enter_frame()
        .await
        .map_err(|e| e.to_string())?;
    let result = browser.wait_for("#result[data-outcome='failed']").await?;
    let reason = result
        .attr("data-reason")
        .await
        .map_err(|e| e.to_string())?;
    assert_eq!(reason.as_deref(), Some("insufficient_funds"));
    let text = result.text().await.map_err(|e| e.to_string())?;
    assert!(
        text.to_lowercase().contains("insufficient funds"),
        "the widget says: {text}"
    );
    browser.screenshot("declined-4-widget").await?;
    Ok(())
}
