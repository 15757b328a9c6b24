//! The phone form is in the widget's page as the server sends it, so the shopper can
//! type and press Pay before the app's JavaScript and WebAssembly have arrived; the app
//! then takes the form over without losing a keystroke, the focus or the press.
//!
//! The app is held back (a copy of the built widget without the script that runs it)
//! until the test has acted, then started: no timing involved.
//!
//! Ignored in a plain `cargo test`: `cargo xtask test` builds the widget and runs them.

use e2e::browser::widget::{APPROVED_CARD, Embed, HeldWidget, PHONE, PHONE_TYPED, WidgetTest};
use e2e::browser::{Device, axe};
use e2e::{Options, TestResult};
use serde_json::{Value, json};

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

/// A widget test whose app waits for [`WidgetTest::start_app`].
async fn held() -> TestResult<(WidgetTest, HeldWidget)> {
    let held = HeldWidget::copy()?;
    let options = Options {
        widget_dir: Some(held.dir.path().to_owned()),
        ..Options::default()
    };
    Ok((
        WidgetTest::start_with(Device::Desktop, options).await?,
        held,
    ))
}

#[tokio::test]
#[ignore = "needs the built widget and chromedriver: run `cargo xtask test`"]
async fn the_form_works_before_the_app_and_a_press_on_pay_is_carried_out() -> TestResult {
    let (t, held) = held().await?;
    let embed = Embed {
        locale: Some("nb"),
        ..Embed::default()
    };
    let payment = t.open(&embed).await?;
    let input = t.browser.wait_for("#boot-phone").await?;
    assert_eq!(t.text_of("#boot-form label").await?, "Mobilnummer");
    axe::check(&t.browser, "boot-form").await?;
    t.snapshot("phone-form-before-the-app").await?;
    input.send_keys(PHONE_TYPED).await.map_err(err)?;
    t.press("#boot-form button").await?;
    // Kept for the app, and said so.
    t.browser.wait_for("#boot-form form[data-pending]").await?;
    assert_eq!(t.text_of("#boot-form button").await?, "Åpner Vipps …");

    t.start_app(&held).await?;
    // The app starts the payment with the number typed before it ran.
    t.browser.wait_for("#waiting").await?;
    t.back_to_shop().await?;
    let txn = t.pending_at_vipps().await?;
    assert!(
        t.browser.is_absent("#boot-form").await?,
        "the server's form is gone"
    );
    assert_eq!(
        t.browser
            .eval_string("return document.documentElement.lang", vec![])
            .await?,
        "nb"
    );
    t.approve(&txn, APPROVED_CARD).await?;
    t.ends_paid(&payment).await?;
    t.no_csp_violations().await?;
    Ok(())
}

#[tokio::test]
#[ignore = "needs the built widget and chromedriver: run `cargo xtask test`"]
async fn typing_goes_on_in_the_apps_field_with_the_number_and_the_focus_kept() -> TestResult {
    let (t, held) = held().await?;
    t.open(&Embed::default()).await?;
    let input = t.browser.wait_for("#boot-phone").await?;
    input.send_keys("912 3").await.map_err(err)?;
    let top = "const e = document.querySelector(arguments[0]);
        return e ? String(e.getBoundingClientRect().top) : 'none';";
    let before = t
        .browser
        .eval_string(top, vec!["#boot-phone".into()])
        .await?;

    t.start_app(&held).await?;
    let field = t.browser.wait_for("#phone").await?;
    assert!(
        t.browser.is_absent("#boot-form").await?,
        "the server's form is gone"
    );
    // The summary's placeholder is as tall as the summary: the field did not move.
    let after = t.browser.eval_string(top, vec!["#phone".into()]).await?;
    assert_eq!(
        before, after,
        "the phone field moved when the app took over"
    );
    let value = field.prop("value").await.map_err(err)?;
    assert_eq!(value.as_deref(), Some("912 3"));
    let focused = "return document.activeElement && document.activeElement.id";
    assert_eq!(t.browser.eval_string(focused, vec![]).await?, "phone");
    // The shopper keeps typing where the caret is, in the app's field now.
    let active = t.browser.client.active_element().await.map_err(err)?;
    active.send_keys("4 567").await.map_err(err)?;
    let value = field.prop("value").await.map_err(err)?;
    assert_eq!(value.as_deref(), Some(PHONE_TYPED));
    t.press_pay().await?;
    t.browser.wait_for("#waiting").await?;
    let at_vipps = t.app.vipps_payment_for(PHONE).await?;
    assert_eq!(at_vipps["state"], Value::from("awaiting_user"));
    Ok(())
}

#[tokio::test]
#[ignore = "needs the built widget and chromedriver: run `cargo xtask test`"]
async fn a_payment_already_started_comes_without_the_form() -> TestResult {
    let (t, held) = held().await?;
    let payment = t.open(&Embed::default()).await?;
    t.browser.wait_for("#boot-phone").await?;
    t.start_app(&held).await?;
    t.pay().await?;
    // Reloaded mid-payment: the page shows the spinner, not a form to type into, and
    // the app resumes waiting.
    t.show(&payment, &Embed::default()).await?;
    t.browser.wait_for("#boot").await?;
    assert!(
        t.browser.is_absent("#boot-phone").await?,
        "no form for a started payment"
    );
    t.start_app(&held).await?;
    t.browser.wait_for("#waiting").await?;
    Ok(())
}

#[tokio::test]
#[ignore = "needs the built widget and chromedriver: run `cargo xtask test`"]
async fn the_form_wears_the_merchants_look_before_the_app_runs() -> TestResult {
    let (t, held) = held().await?;
    let appearance = json!({"variables": {
        "colorPrimary": "#0a5c36",
        "borderRadius": "2px",
        // A shape the server does not vouch for: left to the app, which asks the browser.
        "colorText": "rebeccapurple",
    }});
    t.mount(&appearance).await?;
    t.browser.wait_for("#boot-phone").await?;
    let green = "rgb(10, 92, 54)";
    assert_eq!(
        t.style_of("#boot-form button", "background-color").await?,
        green
    );
    assert_eq!(
        t.style_of("#boot-phone", "border-top-left-radius").await?,
        "2px"
    );
    assert_ne!(
        t.style_of("#boot-form label", "color").await?,
        "rgb(102, 51, 153)"
    );

    t.start_app(&held).await?;
    t.browser.wait_for("#pay").await?;
    assert_eq!(t.style_of("#pay", "background-color").await?, green);
    assert_eq!(t.style_of("#phone", "border-top-left-radius").await?, "2px");
    assert_eq!(t.style_of("label", "color").await?, "rgb(102, 51, 153)");
    // The merchant's look, in the server's inline style, is allowed by its hash.
    t.no_csp_violations().await?;
    Ok(())
}

#[tokio::test]
#[ignore = "needs the built widget and chromedriver: run `cargo xtask test`"]
async fn a_kept_press_with_a_bad_number_shows_the_apps_error_and_one_never_served_says_so()
-> TestResult {
    let (t, held) = held().await?;
    t.open(&Embed::default()).await?;
    let input = t.browser.wait_for("#boot-phone").await?;
    input.send_keys("123").await.map_err(err)?;
    // The app's code never comes: after a while (shortened here) the form says to reload.
    let shorten = "document.querySelector('#boot-form form').dataset.stuckMs = '50';";
    t.browser.eval(shorten, vec![]).await?;
    t.press("#boot-form button").await?;
    assert_eq!(
        t.text_of("#boot-stuck").await?,
        "The payment could not start. Reload the page and try again."
    );
    // It comes after all: the number is checked as if Pay were pressed in the app.
    t.start_app(&held).await?;
    assert_eq!(
        t.text_of("#phone-error").await?,
        "A Norwegian mobile number has 8 digits."
    );
    assert!(
        t.browser.is_absent("#boot-stuck").await?,
        "the server's form is gone"
    );
    Ok(())
}
