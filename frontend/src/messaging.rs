//! The postMessage protocol with the merchant page (the loader, `loader/checkout.js`).
//!
//! Every message is an object with `source: "vipps-psp"`. The widget says `ready` to the
//! embedding page's origin as the browser tells it (`location.ancestorOrigins`, else the
//! origin of `document.referrer`), or, when it tells neither (Firefox under a merchant's
//! `no-referrer` policy), to any origin: `ready` carries nothing, and without it the
//! widget never gets its secret. The parent answers `init` with the client secret (and the
//! merchant's `appearance`, and whether it is on a phone), and its origin is recorded;
//! `status`, `started`, `navigate` and `resize` then go to that origin only.

use js_sys::{Object, Reflect};
use leptos::ev;
use leptos::prelude::{WindowListenerHandle, window_event_listener};
use wasm_bindgen::JsValue;
use web_sys::MessageEvent;

use crate::checkout::StatusReport;
use crate::config::ClientSecret;
use crate::wire;

/// The `source` of every message of the protocol.
pub const SOURCE: &str = "vipps-psp";

/// The merchant page that embeds the widget, as identified by its `init` message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parent {
    origin: String,
}

/// The parent's `init` message.
#[derive(Debug, Clone)]
pub struct Init {
    pub client_secret: ClientSecret,
    pub parent: Parent,
    /// `{variables: {colorPrimary, …}}`, unchecked (see `theme`).
    pub appearance: JsValue,
    /// The merchant's page thinks it is on a phone (a cross-origin frame may not see
    /// the device the top page sees, e.g. under emulation).
    pub phone: bool,
}

/// The widget runs inside a frame (as it must: the secret comes from the parent).
pub fn is_embedded() -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    match window.parent() {
        Ok(Some(parent)) => !Object::is(&parent, &window),
        Ok(None) | Err(_) => false,
    }
}

/// Tells the parent the widget is listening: to the embedding page's origin where the
/// browser tells it, else (content-free) to any.
pub fn announce_ready() {
    if let Some(parent) = parent_window() {
        let target = embedder_origin().unwrap_or_else(|| "*".to_owned());
        _ = parent.post_message(&message("ready").into(), &target);
    }
}

/// The embedding page's origin: `location.ancestorOrigins[0]` (Chromium, Safari), else
/// the origin of `document.referrer`, which the merchant's Referrer-Policy may withhold.
fn embedder_origin() -> Option<String> {
    let window = web_sys::window()?;
    let ancestor = Reflect::get(&window.location(), &"ancestorOrigins".into())
        .ok()
        .filter(JsValue::is_object)
        .and_then(|list| Reflect::get(&list, &0.into()).ok())
        .and_then(|first| first.as_string());
    let referrer = || window.document().map(|document| document.referrer());
    ancestor
        .as_deref()
        .and_then(web_origin)
        .or_else(|| web_origin(&referrer()?))
}

/// `scheme://host[:port]` of an http(s) URL or origin; `None` for anything else
/// (`null`, `about:blank`, an empty referrer).
pub fn web_origin(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next()?;
    let plain = !authority.is_empty() && !authority.contains('@');
    (matches!(scheme, "http" | "https") && plain).then(|| format!("{scheme}://{authority}"))
}

/// Calls `on_init` for every well-formed `init` that comes from the parent window.
pub fn listen_for_init(on_init: impl Fn(Init) + 'static) -> WindowListenerHandle {
    window_event_listener(ev::message, move |event: MessageEvent| {
        let from_parent = match (event.source(), parent_window()) {
            (Some(source), Some(parent)) => Object::is(&source, &parent),
            (None, _) | (_, None) => false,
        };
        let data = event.data();
        if !from_parent || field(&data, "source").as_deref() != Some(SOURCE) {
            return;
        }
        if field(&data, "type").as_deref() != Some("init") {
            return;
        }
        let secret = field(&data, "clientSecret").and_then(ClientSecret::parse);
        if let Some(client_secret) = secret {
            on_init(Init {
                client_secret,
                parent: Parent {
                    origin: event.origin(),
                },
                appearance: Reflect::get(&data, &"appearance".into()).unwrap_or_default(),
                phone: Reflect::get(&data, &"phone".into())
                    .ok()
                    .and_then(|v| v.as_bool())
                    == Some(true),
            });
        }
    })
}

impl Parent {
    /// `{source, type: "status", status, reason?}`.
    pub fn post_status(&self, report: StatusReport) {
        let message = message("status");
        set(&message, "status", &wire::status_name(report.status).into());
        if let Some(reason) = report.reason {
            set(&message, "reason", &wire::reason_name(reason).into());
        }
        self.post(&message);
    }

    /// `{source, type: "started"}`: the backend accepted Pay.
    pub fn post_started(&self) {
        self.post(&message("started"));
    }

    /// `{source, type: "navigate", url}`: on a phone, the page itself goes to Vipps (the
    /// app switch), since a frame may not navigate its parent.
    pub fn post_navigate(&self, url: &str) {
        let message = message("navigate");
        set(&message, "url", &url.into());
        self.post(&message);
    }

    /// `{source, type: "resize", height}`, in CSS pixels.
    pub fn post_resize(&self, height: i32) {
        let message = message("resize");
        set(&message, "height", &height.into());
        self.post(&message);
    }

    fn post(&self, message: &Object) {
        if let Some(parent) = parent_window() {
            _ = parent.post_message(message, &self.origin);
        }
    }
}

fn parent_window() -> Option<web_sys::Window> {
    web_sys::window()?.parent().ok().flatten()
}

fn message(kind: &str) -> Object {
    let message = Object::new();
    set(&message, "source", &SOURCE.into());
    set(&message, "type", &kind.into());
    message
}

fn set(object: &Object, key: &str, value: &JsValue) {
    _ = Reflect::set(object, &key.into(), value);
}

fn field(data: &JsValue, key: &str) -> Option<String> {
    if !data.is_object() {
        return None;
    }
    Reflect::get(data, &key.into()).ok()?.as_string()
}

#[cfg(test)]
mod tests {
    use super::web_origin;

    #[test]
    fn the_embedding_pages_origin_is_read_from_an_origin_or_a_referrer() {
        let shop = Some("https://shop.example:8443".to_owned());
        assert_eq!(web_origin("https://shop.example:8443"), shop);
        assert_eq!(web_origin("https://shop.example:8443/"), shop);
        assert_eq!(
            web_origin("https://shop.example:8443/checkout?o=1#pay"),
            shop
        );
        for none in [
            "",
            "null",
            "about:blank",
            "file:///x",
            "https://",
            "https://a@b/",
        ] {
            assert_eq!(web_origin(none), None, "{none}");
        }
    }
}
