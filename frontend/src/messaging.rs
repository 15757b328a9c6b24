//! The postMessage protocol with the merchant page (the loader, `loader/checkout.js`).
//!
//! Every message is an object with `source: "vipps-psp"`. The widget says `ready` to any
//! origin (it carries nothing); the parent answers `init` with the client secret (and the
//! merchant's `appearance`, and whether it is on a phone), and its origin is recorded; `status`, `started`, `navigate`
//! and `resize` then go to that origin only.

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

/// Tells the parent the widget is listening. Content-free, so it may go to any origin.
pub fn announce_ready() {
    if let Some(parent) = parent_window() {
        _ = parent.post_message(&message("ready").into(), "*");
    }
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
