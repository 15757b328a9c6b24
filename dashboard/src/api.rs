//! The one wrapper over our HTTP API (same origin, so the browser sends the session cookie):
//! the dashboard's own session calls (`/dashboard/api/session`) and the merchant API
//! (`/v1/…`) with the session's CSRF token. A 401 from the merchant API signs the
//! dashboard out through `on_unauthorized`.

use std::rc::Rc;
use std::time::Duration;

use gloo_net::http::{Request, RequestBuilder, Response};
use leptos::prelude::set_timeout;
use serde::Serialize;
use serde::de::DeserializeOwned;
use shared::checkout::{ApiErrorBody, ErrorCode};
use shared::dashboard::{CSRF_HEADER, Session, SignIn};
use web_sys::{AbortController, RequestCache};

/// A request without an answer by then is given up (and counts as `Network`).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// Why a call did not give us what we asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// No answer (offline, timed out, the connection dropped) or a body we cannot read.
    Network,
    /// 401 from the merchant API: the session ended. The dashboard is signed out already.
    Unauthorized,
    /// An error answer: its body, or one made up when the body is not ours (a proxy's).
    Api { status: u16, body: ApiErrorBody },
}

impl Error {
    /// The field the answer blames (`amount`, `url`, `name`), if one.
    pub fn param(&self) -> Option<&str> {
        match self {
            Self::Api { body, .. } => body.param.as_deref(),
            Self::Network | Self::Unauthorized => None,
        }
    }

    /// Whether sending the same request again (with the same `Idempotency-Key`) may still
    /// succeed: no answer, a server error (never stored), or the first try still running.
    pub fn may_retry(&self) -> bool {
        match self {
            Self::Network => true,
            Self::Unauthorized => false,
            Self::Api { status, body } => {
                *status >= 500 || body.code == ErrorCode::IdempotencyInProgress
            }
        }
    }
}

/// The merchant API as the signed-in user: the cookie goes by itself, the CSRF token in
/// its header.
#[derive(Clone)]
pub struct Api {
    csrf_token: String,
    /// A plain closure, not a reactive `Callback`: it must outlive the view that made the
    /// call (the first 401 removes the page; its other calls still answer after).
    on_unauthorized: Rc<dyn Fn()>,
}

impl Api {
    pub fn new(csrf_token: String, on_unauthorized: Rc<dyn Fn()>) -> Self {
        Self {
            csrf_token,
            on_unauthorized,
        }
    }

    /// `GET path?query`.
    pub async fn get<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, String)],
    ) -> Result<T, Error> {
        let request = self
            .with_token(timed(Request::get(path)))
            .cache(RequestCache::NoStore)
            .query(query.iter().map(|(name, value)| (*name, value.as_str())));
        self.check(read(send(request.build()).await).await)
    }

    /// `POST path` with `body` as JSON (none when `None`) and an `Idempotency-Key`.
    pub async fn post<B: Serialize, T: DeserializeOwned>(
        &self,
        path: &str,
        body: Option<&B>,
        idempotency_key: &str,
    ) -> Result<T, Error> {
        let request = self
            .with_token(timed(Request::post(path)))
            .header("idempotency-key", idempotency_key);
        let request = match body {
            Some(body) => request.json(body),
            None => request.build(),
        };
        self.check(read(send(request).await).await)
    }

    /// `DELETE path`; the body of the answer, if any, is not read.
    pub async fn delete(&self, path: &str) -> Result<(), Error> {
        let request = self.with_token(timed(Request::delete(path))).build();
        let answer = match send(request).await {
            Ok(response) if response.ok() => Ok(()),
            Ok(response) => Err(error(&response).await),
            Err(error) => Err(error),
        };
        self.check(answer)
    }

    fn with_token(&self, request: RequestBuilder) -> RequestBuilder {
        request.header(CSRF_HEADER, &self.csrf_token)
    }

    fn check<T>(&self, answer: Result<T, Error>) -> Result<T, Error> {
        match answer {
            Err(Error::Api { status: 401, .. }) => {
                (self.on_unauthorized)();
                Err(Error::Unauthorized)
            }
            other => other,
        }
    }
}

/// `GET /dashboard/api/session`: the session the cookie stands for (401 without one).
pub async fn current_session() -> Result<Session, Error> {
    let request = timed(Request::get("/dashboard/api/session"))
        .cache(RequestCache::NoStore)
        .build();
    read(send(request).await).await
}

/// `POST /dashboard/api/session`: signs in; the answer sets the cookie.
pub async fn sign_in(email: String, password: String) -> Result<Session, Error> {
    let request = timed(Request::post("/dashboard/api/session")).json(&SignIn { email, password });
    read(send(request).await).await
}

/// `DELETE /dashboard/api/session` with the CSRF token: signs out and clears the cookie.
pub async fn sign_out(csrf_token: &str) -> Result<(), Error> {
    let request = timed(Request::delete("/dashboard/api/session"))
        .header(CSRF_HEADER, csrf_token)
        .build();
    match send(request).await? {
        response if response.ok() => Ok(()),
        response => Err(error(&response).await),
    }
}

/// `request`, to be given up after [`REQUEST_TIMEOUT`].
fn timed(request: RequestBuilder) -> RequestBuilder {
    match AbortController::new() {
        Ok(controller) => {
            let request = request.abort_signal(Some(&controller.signal()));
            set_timeout(move || controller.abort(), REQUEST_TIMEOUT);
            request
        }
        Err(_) => request,
    }
}

async fn send(request: Result<Request, gloo_net::Error>) -> Result<Response, Error> {
    let request = request.map_err(|_| Error::Network)?;
    request.send().await.map_err(|_| Error::Network)
}

/// The JSON of a 2xx answer, or the error it is.
async fn read<T: DeserializeOwned>(response: Result<Response, Error>) -> Result<T, Error> {
    let response = response?;
    if response.ok() {
        response.json().await.map_err(|_| Error::Network)
    } else {
        Err(error(&response).await)
    }
}

/// The error an answer that is not 2xx is: our body, or one made up from the status.
async fn error(response: &Response) -> Error {
    let status = response.status();
    let body = match response.json::<ApiErrorBody>().await {
        Ok(body) => body,
        Err(_) => ApiErrorBody {
            code: match status {
                401 => ErrorCode::Unauthorized,
                429 => ErrorCode::RateLimited,
                _ => ErrorCode::Unknown,
            },
            message: response.status_text(),
            param: None,
        },
    };
    Error::Api { status, body }
}
