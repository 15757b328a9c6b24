//! The merchant checkout page the widget tests serve themselves: the container, a
//! recorder of the widget's `vipps-psp:*` events (`window.pspEvents`) and the script tag.
//! Unlike the demo shop's POST-rendered checkout it can be reloaded, and it can set
//! `data-locale` and `data-theme`.

use serde_json::{Value, json};
use shared::merchant::MerchantPayment;

use crate::TestApp;

/// Every `vipps-psp:*` event the loader may dispatch; the merchant page records them all.
const EVENTS: [&str; 8] = [
    "ready",
    "status",
    "started",
    "awaiting-app",
    "succeeded",
    "failed",
    "cancelled",
    "expired",
];

/// How the merchant page embeds the widget.
#[derive(Debug, Clone, Default)]
pub struct Embed {
    /// `data-locale`: `nb`, `nn` or `en`.
    pub locale: Option<&'static str>,
    /// `data-theme`: `light` or `dark`.
    pub theme: Option<&'static str>,
    /// Where `checkout.js` (and so the widget) comes from; the backend when `None`.
    pub checkout_origin: Option<String>,
}

/// A merchant's checkout page: the container, an event recorder and the script tag.
pub fn merchant_page(app: &TestApp, payment: &MerchantPayment, embed: &Embed) -> String {
    let origin = embed.checkout_origin.as_deref().unwrap_or(&app.backend_url);
    let attr = |name: &str, value: Option<&str>| {
        value.map_or_else(String::new, |v| format!(" data-{name}=\"{v}\""))
    };
    let secret = payment.client_secret.as_deref().unwrap_or_default();
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Test shop: checkout</title>\
         <style>body{{font-family:system-ui,sans-serif;margin:0;padding:12px}}\
         #vipps-checkout{{max-width:480px}}</style></head><body>\
         <h1>Checkout</h1><div id=\"vipps-checkout\"></div>\
         <script>window.pspEvents = [];{events}.forEach(function (name) {{\
           document.addEventListener('vipps-psp:' + name, function (e) {{\
             window.pspEvents.push({{name: name, detail: e.detail || null}});\
           }});\
         }});</script>\
         <script src=\"{origin}/checkout.js\" data-payment=\"{id}\" data-client-secret=\"{secret}\" \
         data-container=\"#vipps-checkout\"{locale}{theme}></script></body></html>",
        events = json!(EVENTS),
        id = payment.id,
        locale = attr("locale", embed.locale),
        theme = attr("theme", embed.theme),
    )
}

/// A page that loads the loader without `data-payment` and mounts the widget from script,
/// keeping what the promise settles with in `window.outcome`.
pub fn mount_page(backend: &str, payment: &MerchantPayment, appearance: &Value) -> String {
    let options = json!({
        "payment": payment.id,
        "clientSecret": payment.client_secret,
        "locale": "en",
        "appearance": appearance,
    });
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>API shop</title>\
         </head><body><h1>Checkout</h1><div id=\"vipps-checkout\"></div>\
         <script src=\"{backend}/checkout.js\"></script>\
         <script>window.outcome = null; window.settled = 0;\
           VippsPsp.mount('#vipps-checkout', {options}).then(function (o) {{\
             window.outcome = o; window.settled += 1; }});</script></body></html>"
    )
}
