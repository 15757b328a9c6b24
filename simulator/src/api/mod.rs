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
    let tokens = app.tokens.lock().await;
    auth::check_psp_call(&app.config, &tokens, headers, request_id, Instant::now())
}

/// A `Request-Id` call: checks the headers, answers a retry from what was stored, or runs
/// `handle` under the store lock and stores its answer. Same key, other body: 400.
async fn once(
    app: &AppState,
    headers: &HeaderMap,
    endpoint: Endpoint,
    body: &Bytes,
    handle: impl FnOnce(&mut Store, &Caller, &Value) -> Answer,
) -> Response {
    let caller = match authorize(app, headers, RequestId::Required).await {
        Ok(caller) => caller,
        Err(errors) => return errors.into_response(),
    };
    let Ok(request) = serde_json::from_slice::<Value>(body) else {
        let error = invalid_field("body", "Invalid request: the body is not JSON");
        return VippsErrors::bad_request(error).into_response();
    };
    let (msn, request_id) = (
        caller.merchant.serial_number.as_str(),
        caller.request_id.as_str(),
    );
    let mut store = app.store.lock().await;
    match store
        .idempotency
        .lookup(endpoint, msn, request_id, &request)
    {
        Lookup::Replay(answer) => return answer.into_response(),
        Lookup::Conflict => {
            let error = invalid_field(
                "Request-Id",
                "Request-Id was already used for a different request",
            );
            return VippsErrors::bad_request(error).into_response();
        }
        Lookup::New => {}
    }
    let answer = handle(&mut store, &caller, &request);
    store
        .idempotency
        .remember(endpoint, msn, request_id, request, &answer);
    answer.into_response()
}
