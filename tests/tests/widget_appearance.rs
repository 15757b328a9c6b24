//! What the shopper sees besides the flow: the widget speaks the language the merchant
//! asks for (`data-locale` nb, nn, en → `html[lang]` and its words), turns dark on
//! `data-theme="dark"`, and offers a QR code for the phone while waiting on a desktop.
//!
//! Ignored in a plain `cargo test`: `cargo xtask test` builds the widget and runs them.

use e2e::TestResult;
use e2e::browser::widget::{Embed, WidgetTest};
use serde_json::Value;

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

/// The first opaque background from the widget's root outwards, and the text colour,
/// each as relative luminance (0 black … 1 white).
const COLOURS: &str = "
const lum = (css) => {
  const m = css.match(/rgba?\\(([^)]+)\\)/);
  if (!m) return null;
  const [r, g, b, a] = m[1].split(',').map(Number);
  if (a === 0) return null;
  const c = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
  return 0.2126 * c(r) + 0.7152 * c(g) + 0.0722 * c(b);
};
let bg = null;
for (let el = document.querySelector('main'); el && bg === null; el = el.parentElement) {
  bg = lum(getComputedStyle(el).backgroundColor);
}
return {background: bg === null ? 1 : bg, text: lum(getComputedStyle(document.querySelector('main')).color)};";

#[tokio::test]
#[ignore = "needs the built widget and chromedriver: run `cargo xtask test`"]
async fn the_widget_speaks_the_language_the_merchant_asks_for() -> TestResult {
    let t = WidgetTest::start().await?;
    // The pay button, and the hint under the number, which tells nb from nn.
    let languages = [
        ("nb", "Betal med Vipps", "Nummeret du bruker i Vipps."),
        ("nn", "Betal med Vipps", "Nummeret du brukar i Vipps."),
        ("en", "Pay with Vipps", "The number you use with Vipps."),
    ];
    for (locale, pay, hint) in languages {
        t.open(&Embed {
            locale: Some(locale),
            ..Embed::default()
        })
        .await?;
        let button = t.text_of("#pay").await?;
        let lang = t
            .browser
            .client
            .execute("return document.documentElement.lang;", vec![])
            .await
            .map_err(err)?;
        assert_eq!(lang, Value::from(locale), "html[lang]");
        assert_eq!(button.trim(), pay, "{locale}");
        let shown = t.text_of("#phone-hint").await?;
        assert_eq!(shown.trim(), hint, "{locale}");
        t.snapshot(&format!("phone-form-{locale}")).await?;
    }
    Ok(())
}

#[tokio::test]
#[ignore = "needs the built widget and chromedriver: run `cargo xtask test`"]
async fn the_dark_theme_paints_light_text_on_a_dark_background() -> TestResult {
    let t = WidgetTest::start().await?;
    t.open(&Embed {
        theme: Some("dark"),
        ..Embed::default()
    })
    .await?;
    t.browser.wait_for("#phone").await?;
    t.browser.wait_for("[data-theme='dark']").await?;
    let colours = t
        .browser
        .client
        .execute(COLOURS, vec![])
        .await
        .map_err(err)?;
    let background = colours["background"].as_f64().ok_or("no background")?;
    let text = colours["text"].as_f64().ok_or("no text colour")?;
    assert!(
        background < 0.1 && text > 0.5,
        "dark theme: background luminance {background}, text {text}"
    );
    Ok(())
}

#[tokio::test]
#[ignore = "needs the built widget and chromedriver: run `cargo xtask test`"]
async fn the_light_theme_is_the_default() -> TestResult {
    let t = WidgetTest::start().await?;
    t.open(&Embed::default()).await?;
    t.browser.wait_for("#phone").await?;
    let colours = t
        .browser
        .client
        .execute(COLOURS, vec![])
        .await
        .map_err(err)?;
    let background = colours["background"].as_f64().ok_or("no background")?;
    assert!(
        background > 0.8,
        "light theme: background luminance {background}"
    );
    Ok(())
}

#[tokio::test]
#[ignore = "needs the built widget and chromedriver: run `cargo xtask test`"]
async fn on_a_desktop_the_waiting_screen_offers_a_qr_code_and_a_way_out() -> TestResult {
    let t = WidgetTest::start().await?;
    t.open(&Embed::default()).await?;
    t.pay().await?;
    t.browser.wait_for("#waiting #qr").await?;
    t.browser.wait_for("#cancel").await?;
    Ok(())
}
