//! The JavaScript API for pages that build the container themselves: `VippsPsp.mount`
//! shows the widget with the merchant's colours (values the browser finds invalid are
//! dropped), and its promise settles once, with the outcome: a decline does not settle it
//! (the shopper may try again), the payment that then succeeds does. Also: the widget
//! stops its spinner for shoppers who ask for reduced motion.
//!
//! Ignored in a plain `cargo test`: `cargo xtask test` builds the widget and runs them.

use e2e::browser::Device;
use e2e::browser::widget::{APPROVED_CARD, DECLINED_CARD, Embed, WidgetTest};
use e2e::{Options, TestResult};
use serde_json::json;

/// `--radius` as the widget's stylesheet sets it.
const DEFAULT_RADIUS: &str = "8px";

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

#[tokio::test]
#[ignore = "needs the built widget and chromedriver: run `cargo xtask test`"]
async fn mount_applies_the_merchants_colours_and_settles_once_with_the_outcome() -> TestResult {
    let t = WidgetTest::start().await?;
    let appearance = json!({"variables": {
        "colorPrimary": "#0a5c36",
        "borderRadius": "url(javascript:alert(1))",
    }});
    t.mount(&appearance).await?;
    t.browser.wait_for("#pay").await?;
    assert_eq!(
        t.style_of("#pay", "background-color").await?,
        "rgb(10, 92, 54)",
        "the merchant's primary colour paints the Pay button"
    );
    assert_eq!(
        t.style_of(":root", "--radius").await?,
        DEFAULT_RADIUS,
        "a value the browser finds invalid is dropped"
    );

    // Declined: the promise waits, since the shopper may try again.
    let txn = t.pay().await?;
    t.approve(&txn, DECLINED_CARD).await?;
    t.outcome("failed").await?;
    let txn = t.try_again().await?;
    t.approve(&txn, APPROVED_CARD).await?;
    t.outcome("succeeded").await?;

    t.to_page().await?;
    let outcome = t
        .browser
        .wait_until("the promise to settle", "return window.outcome;")
        .await?;
    assert_eq!(outcome["status"], "succeeded", "{outcome}");
    let settled = t.browser.eval("return window.settled;", vec![]).await?;
    assert_eq!(settled, json!(1));
    Ok(())
}

#[tokio::test]
#[ignore = "needs the built widget and chromedriver: run `cargo xtask test`"]
async fn mount_without_a_container_or_secret_rejects_with_a_reason() -> TestResult {
    let t = WidgetTest::start().await?;
    let page = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>API shop</title>\
         </head><body><div id=\"vipps-checkout\"></div>\
         <script src=\"{}/checkout.js\"></script>\
         <script>window.errors = [];\
           function keep(p) {{ return p.then(function () {{ errors.push('resolved'); }},\
             function (e) {{ errors.push(e.message); }}); }}\
           Promise.all([\
             keep(VippsPsp.mount('#nowhere', {{payment: 'pay_x', clientSecret: 'cs_x'}})),\
             keep(VippsPsp.mount('#vipps-checkout', {{payment: 'pay_x'}}))\
           ]).then(function () {{ window.done = true; }});</script></body></html>",
        t.app.backend_url
    );
    let url = t.pages.add_html("/broken-shop", &page)?;
    t.browser.client.goto(&url).await.map_err(err)?;
    t.browser
        .wait_until("both mounts to settle", "return window.done === true;")
        .await?;
    let errors = t.browser.eval("return window.errors;", vec![]).await?;
    let errors: Vec<String> = serde_json::from_value(errors).map_err(err)?;
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(errors[0].contains("no container"), "{errors:?}");
    assert!(errors[1].contains("clientSecret"), "{errors:?}");
    assert!(t.browser.is_absent("iframe").await?, "nothing was mounted");
    Ok(())
}

#[tokio::test]
#[ignore = "needs the built widget and chromedriver: run `cargo xtask test`"]
async fn shoppers_who_ask_for_reduced_motion_get_no_spinning() -> TestResult {
    let t = WidgetTest::start_with_flags(
        Device::Desktop,
        Options::default(),
        &["--force-prefers-reduced-motion"],
    )
    .await?;
    t.open(&Embed::default()).await?;
    t.pay().await?;
    let asked = t
        .browser
        .eval(
            "return matchMedia('(prefers-reduced-motion: reduce)').matches;",
            vec![],
        )
        .await?;
    assert_eq!(
        asked,
        json!(true),
        "the browser asks the widget for reduced motion"
    );
    assert_eq!(
        t.style_of("#waiting .spinner", "animation-name").await?,
        "none"
    );
    Ok(())
}
