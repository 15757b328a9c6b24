//! The one wrapper over the widget API (`/api/checkout/payments/{id}`, same origin as the
//! widget), on gloo-net's `fetch`. The browser parses the JSON (`JSON.parse`); the few fields
//! of a `CheckoutPayment` are read by hand (`Reflect`), which keeps serde out of the wasm.

use std::time::Duration;

use gloo_net::http::{Method, RequestBuilder, Response};
use js_sys::{JSON, Object, Reflect};
use leptos::prelude::set_timeout;
use shared::checkout::{CLIENT_SECRET_HEADER, CheckoutPayment, ErrorCode};
use shared::{Amount, Currency, MobileNumber};
use wasm_bindgen::JsValue;
use web_sys::{AbortController, RequestCache};

use crate::config::Config;
use crate::text::Lang;
use crate::wire;

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

/// An answer and what its headers say about timing.
#[derive(Debug)]
pub struct Reply {
    pub result: Result<CheckoutPayment, Error>,
    /// The `Date` header, in Unix milliseconds.
    pub server_ms: Option<f64>,
    /// The `Retry-After` header of a 429, in seconds.
    pub retry_after: Option<u32>,
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
    pub async fn payment(&self) -> Reply {
        self.send(Method::GET, "", None).await
    }

    /// `POST /api/checkout/payments/{id}/start` with `{phone_number, is_app, lang}`.
    pub async fn start(&self, phone: &MobileNumber, is_app: bool, lang: Lang) -> Reply {
        let body = Object::new();
        _ = Reflect::set(&body, &"phone_number".into(), &phone.as_str().into());
        _ = Reflect::set(&body, &"is_app".into(), &is_app.into());
        _ = Reflect::set(&body, &"lang".into(), &lang.code().into());
        let json = JSON::stringify(&body).ok().map(JsValue::from);
        self.send(Method::POST, "/start", json).await
    }

    /// `POST /api/checkout/payments/{id}/cancel`, no body.
    pub async fn cancel(&self) -> Reply {
        self.send(Method::POST, "/cancel", None).await
    }

    /// `GET /api/checkout/payments/{id}/qr`: our own server's SVG of the landing page
    /// address, as text; `None` if there is none (404) or no answer.
    pub async fn qr(&self) -> Option<String> {
        let response = self.fetch(Method::GET, "/qr", None).await.ok()?;
        if !response.ok() {
            return None;
        }
        response.text().await.ok()
    }

    async fn send(&self, method: Method, rest: &str, json: Option<JsValue>) -> Reply {
        let response = match self.fetch(method, rest, json).await {
            Ok(response) => response,
            Err(error) => {
                return Reply {
                    result: Err(error),
                    server_ms: None,
                    retry_after: None,
                };
            }
        };
        let headers = response.headers();
        let header = |name| headers.get(name);
        let server_ms = header("date")
            .map(|date| js_sys::Date::parse(&date))
            .filter(|ms| ms.is_finite());
        let retry_after = header("retry-after").and_then(|s| s.trim().parse().ok());
        let status = response.status();
        let body = match response.text().await {
            Ok(text) => JSON::parse(&text).ok(),
            Err(_) => None,
        };
        let result = if response.ok() {
            // A 2xx whose body never arrived is a dropped connection.
            body.ok_or(Error::Network).and_then(|body| {
                payment(&body).ok_or(Error::Api {
                    status,
                    code: ErrorCode::Unknown,
                })
            })
        } else {
            let code = body
                .as_ref()
                .and_then(|body| string(body, "code"))
                .map_or(ErrorCode::Unknown, |code| wire::parse_code(&code));
            // A proxy's 429 has no body of ours.
            let code = if status == 429 {
                ErrorCode::RateLimited
            } else {
                code
            };
            Err(Error::Api { status, code })
        };
        Reply {
            result,
            server_ms,
            retry_after,
        }
    }

    async fn fetch(
        &self,
        method: Method,
        rest: &str,
        json: Option<JsValue>,
    ) -> Result<Response, Error> {
        let mut url = String::from("/api/checkout/payments/");
        url.push_str(self.config.payment_id.as_str());
        url.push_str(rest);
        let mut request = RequestBuilder::new(&url)
            .method(method)
            .cache(RequestCache::NoStore)
            .header(CLIENT_SECRET_HEADER, self.config.client_secret.expose());
        if let Ok(controller) = AbortController::new() {
            request = request.abort_signal(Some(&controller.signal()));
            set_timeout(move || controller.abort(), REQUEST_TIMEOUT);
        }
        let request = match json {
            Some(json) => request
                .header("content-type", "application/json")
                .body(json),
            None => request.build(),
        };
        request
            .map_err(|_| Error::Network)?
            .send()
            .await
            .map_err(|_| Error::Network)
    }
}

/// A `CheckoutPayment` from the parsed JSON; `None` if any field is missing or invalid.
fn payment(value: &JsValue) -> Option<CheckoutPayment> {
    let ore = number(value, "amount").and_then(wire::whole_u32)?;
    let expires_at = number(value, "expires_at").and_then(wire::whole_u32)?;
    let phone_number = match string(value, "phone_number") {
        Some(number) => Some(number.parse().ok()?),
        None => None,
    };
    Some(CheckoutPayment {
        id: string(value, "id")?.parse().ok()?,
        amount: Amount::from_ore(ore.into()).ok()?,
        currency: (string(value, "currency")? == Currency::Nok.code()).then_some(Currency::Nok)?,
        description: string(value, "description")?,
        merchant_name: string(value, "merchant_name")?,
        phone_number,
        status: wire::parse_status(&string(value, "status")?)?,
        failure: string(value, "failure").and_then(|reason| wire::parse_reason(&reason)),
        vipps_url: string(value, "vipps_url"),
        is_app: get(value, "is_app").is_some_and(|v| v.is_truthy()),
        expires_at: expires_at.into(),
    })
}

fn get(value: &JsValue, key: &str) -> Option<JsValue> {
    if !value.is_object() {
        return None;
    }
    Reflect::get(value, &key.into()).ok()
}

fn string(value: &JsValue, key: &str) -> Option<String> {
    get(value, key)?.as_string()
}

fn number(value: &JsValue, key: &str) -> Option<f64> {
    get(value, key)?.as_f64()
}
