//! Time from the iframe starting to load (its `performance.timeOrigin`) to the frame
//! that first paints a phone field (the server's `#boot-phone` or the app's `#phone`),
//! and to the one that paints the app's `#phone`, for the widget and for a static copy
//! of its phone form.
//!
//! A script registered through CDP (`Page.addScriptToEvaluateOnNewDocument`) runs in
//! the iframe before anything else: a MutationObserver sees each field arrive and the
//! next `requestAnimationFrame` (the frame that paints it) records `performance.now()`. The
//! merchant page and the iframe are on one site (`localhost`), so they share a renderer
//! and the script reaches the frame.

use e2e::TestResult;
use e2e::browser::Browser;
use serde_json::{Value, json};

const MARK: &str = "(() => {
  if (window === window.top) return;
  const paint = (key) => requestAnimationFrame(() => { window[key] = performance.now(); });
  let form = false;
  const seen = new MutationObserver(() => {
    const app = document.getElementById('phone');
    if (!form && (app || document.getElementById('boot-phone'))) { form = true; paint('__formShownAt'); }
    if (app) { seen.disconnect(); paint('__appShownAt'); }
  });
  seen.observe(document, {childList: true, subtree: true});
})();";

const SHOWN_AT: &str = "const f = window.__formShownAt, a = window.__appShownAt;
return typeof f === 'number' && typeof a === 'number' ? [f, a] : null;";

/// Milliseconds from the iframe's start to a phone field painted, and to the app's.
#[derive(Debug, Clone, Copy)]
pub struct Shown {
    pub form: f64,
    pub app: f64,
}

/// The widget's document as rendered, without its scripts: the floor's markup.
const MARKUP: &str = "const doc = document.documentElement.cloneNode(true);
doc.querySelectorAll('script, link[rel=modulepreload], link[rel=preload]').forEach(e => e.remove());
doc.querySelectorAll('[integrity]').forEach(e => e.removeAttribute('integrity'));
return '<!doctype html>' + doc.outerHTML;";

/// Registers the timing script for every document from now on.
pub async fn prepare(browser: &Browser) -> TestResult {
    browser
        .cdp(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": MARK }),
        )
        .await?;
    browser.cdp("Network.enable", json!({})).await?;
    Ok(())
}

/// Cold runs download and compile everything again; warm ones may use the cache.
pub async fn use_cache(browser: &Browser, cache: bool) -> TestResult {
    browser
        .cdp(
            "Network.setCacheDisabled",
            json!({ "cacheDisabled": !cache }),
        )
        .await?;
    Ok(())
}

/// Opens `url` (a page with one iframe) and returns the milliseconds from the iframe's
/// start to a phone field painted and to the app's. Leaves the browser in the iframe.
pub async fn time_to_phone(browser: &Browser, url: &str) -> TestResult<Shown> {
    browser.client.goto(url).await.map_err(err)?;
    browser
        .wait_for("iframe")
        .await?
        .enter_frame()
        .await
        .map_err(err)?;
    let at = browser.wait_until("#phone to be painted", SHOWN_AT).await?;
    match (
        at.get(0).and_then(Value::as_f64),
        at.get(1).and_then(Value::as_f64),
    ) {
        (Some(form), Some(app)) => Ok(Shown { form, app }),
        _ => Err(format!("the timing script reported {at}")),
    }
}

/// The current frame's rendered document without scripts.
pub async fn markup(browser: &Browser) -> TestResult<String> {
    match browser.client.execute(MARKUP, vec![]).await.map_err(err)? {
        Value::String(html) => Ok(html),
        other => Err(format!("no markup: {other}")),
    }
}

/// A merchant page that embeds the widget for a payment.
pub fn widget_page(checkout_origin: &str, payment: &str, secret: &str) -> String {
    page(&format!(
        "<div id=\"vipps-checkout\"></div><script src=\"{checkout_origin}/checkout.js\" \
         data-payment=\"{payment}\" data-client-secret=\"{secret}\" \
         data-container=\"#vipps-checkout\"></script>"
    ))
}

/// The same page with the floor in an iframe styled as the loader styles its own.
pub fn floor_page(frame_url: &str) -> String {
    page(&format!(
        "<div id=\"vipps-checkout\"><iframe src=\"{frame_url}\" title=\"Pay with Vipps\" \
         style=\"display:block;width:100%;height:240px;border:0;\"></iframe></div>"
    ))
}

fn page(body: &str) -> String {
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Benchmark shop</title></head><body><h1>Checkout</h1>{body}</body></html>"
    )
}

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}
