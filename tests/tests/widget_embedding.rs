//! The widget as a guest in the merchant's page: the iframe follows its content's height,
//! the loader believes only messages from the widget's own frame and origin, a page the
//! merchant did not allow cannot frame the widget (CSP `frame-ancestors`), and a shopper
//! on the keyboard alone can pay and cancel, with focus following each step.
//!
//! Ignored in a plain `cargo test`: `cargo xtask test` builds the widget and runs them.

use e2e::browser::Device;
use e2e::browser::widget::{APPROVED_CARD, Embed, PHONE_TYPED, WidgetTest};
use e2e::{Options, TestResult};
use serde_json::{Value, json};

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

/// WebDriver's codes for Tab and Enter.
const TAB: &str = "\u{E004}";
const ENTER: &str = "\u{E007}";

/// The height of the widget's content, read inside its frame.
async fn content_height(t: &WidgetTest) -> TestResult<i64> {
    let script = "const m = document.querySelector('main');
        return m ? Math.ceil(m.getBoundingClientRect().height) : null;";
    t.browser
        .wait_until("the widget's content", script)
        .await?
        .as_i64()
        .ok_or_else(|| "no height".to_owned())
}

/// Waits until the iframe in the merchant page is `height` px high (±1); the browser
/// ends up back in the widget.
async fn frame_becomes(t: &WidgetTest, height: i64) -> TestResult {
    t.to_page().await?;
    let script = format!(
        "const f = document.querySelector('#vipps-checkout iframe');
         return !!f && Math.abs(f.getBoundingClientRect().height - {height}) <= 1;"
    );
    let fitted = t
        .browser
        .wait_until(&format!("the iframe to be {height} px high"), &script)
        .await;
    t.enter_widget().await?;
    fitted.map(drop)
}

#[tokio::test]
#[ignore = "needs the built widget and chromedriver: run `cargo xtask test`"]
async fn the_iframe_grows_and_shrinks_with_the_widgets_content() -> TestResult {
    let t = WidgetTest::start().await?;
    t.open(&Embed::default()).await?;
    t.browser.wait_for("#phone").await?;
    let form = content_height(&t).await?;
    frame_becomes(&t, form).await?;

    let txn = t.pay().await?;
    t.browser.wait_for("#qr svg").await?;
    let waiting = content_height(&t).await?;
    assert!(
        waiting > form + 50,
        "the waiting step with its QR code is taller: {waiting} vs {form}"
    );
    frame_becomes(&t, waiting).await?;

    t.approve(&txn, APPROVED_CARD).await?;
    t.outcome("succeeded").await?;
    let paid = content_height(&t).await?;
    assert!(
        paid < waiting,
        "the receipt is shorter: {paid} vs {waiting}"
    );
    frame_becomes(&t, paid).await
}

#[tokio::test]
#[ignore = "needs the built widget and chromedriver: run `cargo xtask test`"]
async fn the_loader_ignores_messages_that_do_not_come_from_the_widgets_frame() -> TestResult {
    let t = WidgetTest::start().await?;
    t.open(&Embed::default()).await?;
    let txn = t.pay().await?;

    // A forger on another origin, framed by the merchant page, and a script in the page
    // itself both claim to be the widget: a decline, and a frame 5 px high.
    let forged = json!([
        {"source": "vipps-psp", "type": "status", "status": "failed", "reason": "forged"},
        {"source": "vipps-psp", "type": "resize", "height": 5},
    ]);
    let forger = format!(
        "<!doctype html><script>{forged}.forEach(function (m) {{ parent.postMessage(m, '*'); }});\
         parent.postMessage({{forged: 'frame'}}, '*');</script>"
    );
    t.pages.add_html("/forger", &forger)?;
    let forger_url = format!("http://localhost:{}/forger", t.pages.port());
    t.to_page().await?;
    let inject = format!(
        "window.forgedSeen = [];
         addEventListener('message', function (e) {{
           if (e.data && e.data.forged) window.forgedSeen.push(e.data.forged);
         }});
         {forged}.forEach(function (m) {{ postMessage(m, '*'); }});
         postMessage({{forged: 'page'}}, '*');
         const f = document.createElement('iframe');
         f.src = {url};
         document.body.appendChild(f);",
        url = Value::from(forger_url)
    );
    t.browser.eval(&inject, vec![]).await?;
    // Messages are handled in order and the loader listened first: once the page has
    // seen both markers, the loader has seen (and must have dropped) the forgeries.
    t.browser
        .wait_until(
            "both forgers' messages to arrive",
            "return window.forgedSeen.length === 2;",
        )
        .await?;
    let height = t
        .browser.eval(
            "return document.querySelector('#vipps-checkout iframe').getBoundingClientRect().height;",
            vec![],
        ).await?;
    assert!(
        height.as_f64().is_some_and(|h| h > 100.0),
        "a forged resize changed the frame: {height}"
    );
    t.enter_widget().await?;

    t.approve(&txn, APPROVED_CARD).await?;
    t.event("succeeded").await?;
    let events = t.events().await?;
    assert!(
        events
            .iter()
            .all(|e| e["name"] != "failed" && e["detail"]["reason"] != "forged"),
        "the page heard a forged message: {events:?}"
    );
    Ok(())
}

#[tokio::test]
#[ignore = "needs the built widget and chromedriver: run `cargo xtask test`"]
async fn a_page_the_merchant_did_not_allow_cannot_frame_the_widget() -> TestResult {
    // Only the test's shop origin (http://127.0.0.1:<port>) may frame the widget; the same
    // page served as http://localhost:<port> is another origin.
    let t = WidgetTest::start_with(Device::Desktop, Options::default()).await?;
    let payment = t.open(&Embed::default()).await?;
    t.browser.wait_for("#phone").await?;

    let elsewhere = format!(
        "http://localhost:{}/checkout/{}",
        t.pages.port(),
        payment.id
    );
    t.browser.client.goto(&elsewhere).await.map_err(err)?;
    t.enter_widget().await?;
    let blocked = t
        .browser
        .wait_until(
            "the browser to refuse the frame",
            "return document.readyState === 'complete' && location.href.startsWith('chrome-error:');",
        )
        .await?;
    assert_eq!(blocked, Value::Bool(true));
    assert!(
        t.browser.is_absent("#phone").await?,
        "the widget rendered in a forbidden frame"
    );
    Ok(())
}

/// Presses `key` on whatever has focus in the current frame.
async fn press_key(t: &WidgetTest, key: &str) -> TestResult {
    t.browser
        .client
        .active_element()
        .await
        .map_err(err)?
        .send_keys(key)
        .await
        .map_err(err)
}

/// `id`, else the tag, of the focused element in the current frame.
async fn focused(t: &WidgetTest) -> TestResult<String> {
    let script = "const a = document.activeElement;
        return a ? (a.id || (a.closest('[id]') ? a.tagName + ' in #' + a.closest('[id]').id : a.tagName)) : '';";
    t.browser.eval_string(script, vec![]).await
}

/// Waits until focus is on the heading of the step `#id` (where a screen reader reads on).
async fn focus_reaches_heading_of(t: &WidgetTest, id: &str) -> TestResult {
    let script = format!(
        "const a = document.activeElement;
         return !!a && a.tagName === 'H1' && !!a.closest('#{id}');"
    );
    t.browser
        .wait_until(&format!("focus on the heading of #{id}"), &script)
        .await
        .map(drop)
}

#[tokio::test]
#[ignore = "needs the built widget and chromedriver: run `cargo xtask test`"]
async fn a_shopper_on_the_keyboard_alone_can_pay_and_cancel() -> TestResult {
    let t = WidgetTest::start().await?;
    t.open(&Embed::default()).await?;
    t.browser.wait_for("#phone").await?;

    press_key(&t, TAB).await?;
    assert_eq!(focused(&t).await?, "phone", "the number comes first");
    press_key(&t, PHONE_TYPED).await?;
    press_key(&t, TAB).await?;
    assert_eq!(focused(&t).await?, "pay");
    press_key(&t, ENTER).await?;
    t.browser.wait_for("#waiting").await?;
    t.back_to_shop().await?;
    // Focus follows the shopper to the new step's heading, where a screen reader reads on.
    focus_reaches_heading_of(&t, "waiting").await?;

    // Cancel is a few Tabs away, and Enter on it ends the payment.
    let mut presses = 0;
    while focused(&t).await? != "cancel" {
        presses += 1;
        assert!(
            presses <= 3,
            "Cancel is not reachable by Tab: at {}",
            focused(&t).await?
        );
        press_key(&t, TAB).await?;
    }
    press_key(&t, ENTER).await?;
    t.outcome("cancelled").await?;
    focus_reaches_heading_of(&t, "result").await?;
    Ok(())
}
