//! The PSP API as Vipps serves it: `/accesstoken/get` and `/psp/v2/psppayments/...`.

mod details;
pub mod details_wire;
mod fields;
mod init;
mod init_request;
mod token;
mod update_status;

use std::time::Instant;

use axum::Router;
use axum::body::Bytes;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::Value;

use crate::app::AppState;
use crate::auth::{self, Caller, RequestId};
use crate::faults::{self, Fault};
use crate::idempotency::{Answer, Endpoint, Lookup};
use crate::store::Store;
use crate::vipps_error::{VippsErrors, invalid_field};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/accesstoken/get", post(token::access_token))
        .route("/psp/v2/psppayments/init", post(init::init))
        .route(
            "/psp/v2/psppayments/updatestatus",
            post(update_status::update_status),
        )
        .route(
            "/psp/v2/psppayments/{psp_transaction_id}/details",
            get(details::details),
        )
}

/// The token and header checks every PSP call passes first.
async fn authorize(
    app: &AppState,
    headers: &HeaderMap,
    request_id: RequestId,
) -> Result<Caller, VippsErrors> {
    let merchants = app.merchants.lock().await;
    let tokens = app.tokens.lock().await;
    let now = Instant::now();
    auth::check_psp_call(&app.config, &merchants, &tokens, headers, request_id, now)
}

/// What a `Request-Id` call answers, and the injected fault that hit it, if any.
struct Handled {
    answer: Answer,
    fault: Option<Fault>,
}

impl Handled {
    fn plain(answer: impl Into<Answer>) -> Self {
        Self {
            answer: answer.into(),
            fault: None,
        }
    }

    /// `fail` or `hang`, as the updatestatus log shows it.
    fn injected(&self) -> Option<&'static str> {
        self.fault.map(|fault| match fault {
            Fault::Fail(_) => "fail",
            Fault::Hang(_) => "hang",
        })
    }

    /// Holds the answer back for a hang, then sends it.
    async fn respond(self) -> Response {
        if let Some(Fault::Hang(wait)) = self.fault {
            tokio::time::sleep(wait).await;
        }
        self.answer.into_response()
    }
}

/// A `Request-Id` call: checks the headers, applies an injected fault (a failure answers at
/// once and has no effect; a hang is left to [`Handled::respond`]), answers a retry from what
/// was stored, or runs `handle` under the store lock and stores its answer.
/// Same key, other body: 400.
async fn once(
    app: &AppState,
    headers: &HeaderMap,
    endpoint: Endpoint,
    body: &Bytes,
    handle: impl FnOnce(&mut Store, &Caller, &Value) -> Answer,
) -> Handled {
    let caller = match authorize(app, headers, RequestId::Required).await {
        Ok(caller) => caller,
        Err(errors) => return Handled::plain(errors),
    };
    let fault = app.faults.lock().await.queue(endpoint).take();
    if let Some(Fault::Fail(status)) = fault {
        tracing::info!(?endpoint, %status, "failing a call on purpose");
        let answer = faults::failure(status).into();
        return Handled { answer, fault };
    }
    let answer = match serde_json::from_slice::<Value>(body) {
        Ok(request) => answer(app, &caller, endpoint, request, handle).await,
        Err(_) => {
            let error = invalid_field("body", "Invalid request: the body is not JSON");
            VippsErrors::bad_request(error).into()
        }
    };
    Handled { answer, fault }
}

async fn answer(
    app: &AppState,
    caller: &Caller,
    endpoint: Endpoint,
    request: Value,
    handle: impl FnOnce(&mut Store, &Caller, &Value) -> Answer,
) -> Answer {
    let (msn, request_id) = (
        caller.merchant.serial_number.as_str(),
        caller.request_id.as_str(),
    );
    let mut store = app.store.lock().await;
    match store
        .idempotency
        .lookup(endpoint, msn, request_id, &request)
    {
        Lookup::Replay(answer) => return answer,
        Lookup::Conflict => {
            let error = invalid_field(
                "Request-Id",
                "Request-Id was already used for a different request",
            );
            return VippsErrors::bad_request(error).into();
        }
        Lookup::New => {}
    }
    let answer = handle(&mut store, caller, &request);
    store
        .idempotency
        .remember(endpoint, msn, request_id, request, &answer);
    answer
}
