//! The one wrapper over the widget API (`/api/checkout/payments/{id}`, same origin as the
//! widget), on the browser's `fetch`. JSON is parsed by the browser and converted with
//! `serde-wasm-bindgen`, which keeps `serde_json` out of the wasm.

use std::time::Duration;

use leptos::prelude::set_timeout;
use serde::Serialize;
use serde::de::DeserializeOwned;
use shared::PaymentId;
use shared::checkout::{
    ApiErrorBody, CLIENT_SECRET_HEADER, CheckoutPayment, ErrorCode, StartPayment,
};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, Headers, Request, RequestCache, RequestInit, Response};

use crate::config::Config;

/// A request that has not been answered by then is given up (and counts as `Network`).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(15);

/// Why a call did not give us a payment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// No answer: offline, timed out, or the connection dropped.
    Network,
    /// The server answered with an error; `Unknown` also covers bodies we cannot read.
    Api { status: u16, code: ErrorCode },
}

/// The widget API for one payment, authenticated with its client secret.
#[derive(Debug, Clone)]
pub struct Api {
    config: Config,
}

impl Api {
    pub fn new(config: Config) -> Self {
        Self { config }
    }

    /// `GET /api/checkout/payments/{id}`.
    pub async fn payment(&self) -> Result<CheckoutPayment, Error> {
        self.send("GET", &path(&self.config.payment_id, ""), None)
            .await
    }

    /// `POST /api/checkout/payments/{id}/start`.
    pub async fn start(&self, body: &StartPayment) -> Result<CheckoutPayment, Error> {
        let value = serde_wasm_bindgen::to_value(body).map_err(|_| Error::Network)?;
        let json = js_sys::JSON::stringify(&value).map_err(|_| Error::Network)?;
        self.send(
            "POST",
            &path(&self.config.payment_id, "/start"),
            Some(json.into()),
        )
        .await
    }

    async fn send<T: DeserializeOwned>(
        &self,
        method: &str,
        url: &str,
        json: Option<JsValue>,
    ) -> Result<T, Error> {
        let response = self.fetch(method, url, json).await?;
        let status = response.status();
        let body = match response.json() {
            Ok(promise) => JsFuture::from(promise).await.ok(),
            Err(_) => None,
        };
        if response.ok() {
            // A 2xx whose body never arrived is a dropped connection.
            let body = body.ok_or(Error::Network)?;
            return serde_wasm_bindgen::from_value(body).map_err(|_| Error::Api {
                status,
                code: ErrorCode::Unknown,
            });
        }
        let code = body
            .and_then(|body| serde_wasm_bindgen::from_value::<ApiErrorBody>(body).ok())
            .map_or(ErrorCode::Unknown, |body| body.code);
        Err(Error::Api { status, code })
    }

    async fn fetch(
        &self,
        method: &str,
        url: &str,
        json: Option<JsValue>,
    ) -> Result<Response, Error> {
        let headers = Headers::new().map_err(|_| Error::Network)?;
        headers
            .set(CLIENT_SECRET_HEADER, self.config.client_secret.expose())
            .map_err(|_| Error::Network)?;
        let init = RequestInit::new();
        init.set_method(method);
        init.set_cache(RequestCache::NoStore);
        if let Some(json) = json {
            headers
                .set("content-type", "application/json")
                .map_err(|_| Error::Network)?;
            init.set_body(&json);
        }
        init.set_headers(&headers);
        if let Ok(controller) = AbortController::new() {
            init.set_signal(Some(&controller.signal()));
            set_timeout(move || controller.abort(), REQUEST_TIMEOUT);
        }
        let request = Request::new_with_str_and_init(url, &init).map_err(|_| Error::Network)?;
        let window = web_sys::window().ok_or(Error::Network)?;
        JsFuture::from(window.fetch_with_request(&request))
            .await
            .map_err(|_| Error::Network)?
            .dyn_into::<Response>()
            .map_err(|_| Error::Network)
    }
}

fn path(id: &PaymentId, rest: &str) -> String {
    format!("/api/checkout/payments/{id}{rest}")
}

/// The serde name of a unit variant (`CheckoutStatus::AwaitingApp` → `awaiting_app`).
pub fn wire_name<T: Serialize>(value: &T) -> String {
    serde_wasm_bindgen::to_value(value)
        .ok()
        .and_then(|value| value.as_string())
        .unwrap_or_default()
}
