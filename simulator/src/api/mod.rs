//! The PSP API as Vipps serves it: `/accesstoken/get` and `/psp/v2/psppayments/...`.

mod details;
pub mod details_wire;
mod init;
mod init_request;
mod token;
mod update_status;

use std::time::Instant;

use axum::Router;
use axum::http::HeaderMap;
use axum::routing::{get, post};

use crate::app::AppState;
use crate::auth::{self, Caller, RequestId};
use crate::vipps_error::VippsErrors;

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
