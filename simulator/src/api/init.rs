//! `POST /psp/v2/psppayments/init`: checks, creates the payment, starts its shopper timeout,
//! answers the landing URL. A retry with the same `Request-Id` and body gets the first answer
//! again. Test amounts are refused as their table says.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::Value;
use shared::vipps::InitResponse;

use super::{init_request, once};
use crate::app::AppState;
use crate::auth::Caller;
use crate::clock;
use crate::idempotency::{Answer, Endpoint};
use crate::payment::Payment;
use crate::store::{Duplicate, Store};
use crate::vipps_error::{VippsErrors, detail};
use crate::{forcing, random, shopper_timeout};

pub async fn init(State(app): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    once(
        &app,
        &headers,
        Endpoint::Init,
        &body,
        |store, caller, request| create(&app, store, caller, request),
    )
    .await
    .respond()
    .await
}

fn create(app: &AppState, store: &mut Store, caller: &Caller, request: &Value) -> Answer {
    let init = match init_request::parse(request) {
        Ok(init) => init,
        Err(errors) => return VippsErrors::new(StatusCode::BAD_REQUEST, errors).into(),
    };
    if let Some(refusal) = forcing::init_refusal(init.amount) {
        tracing::info!(amount = init.amount.ore(), "init refused for a test amount");
        return refusal.into();
    }
    let Ok(landing_id) = random::hex::<16>() else {
        return VippsErrors::internal("Internal error").into();
    };
    let response = InitResponse {
        psp_transaction_id: init.psp_transaction_id.clone(),
        merchant_order_id: init.merchant_order_id.clone(),
        vipps_redirect_url: app.url(&format!("/landing/{landing_id}")),
    };
    let merchant = &caller.merchant;
    let payment = Payment::new(
        init,
        merchant.serial_number.clone(),
        merchant.name.clone(),
        landing_id,
        clock::now_unix(),
    );
    match store.insert(payment) {
        Ok(()) => {
            tracing::info!(psp_transaction_id = %response.psp_transaction_id, "payment initiated");
            shopper_timeout::start(app, response.psp_transaction_id.as_str());
            let body = serde_json::to_value(&response).unwrap_or_default();
            Answer {
                status: StatusCode::OK,
                body,
            }
        }
        Err(duplicate @ Duplicate::PspTransactionId) => VippsErrors::bad_request(detail(
            "44",
            &duplicate.to_string(),
            Some("pspTransactionId"),
            None,
        ))
        .into(),
        Err(duplicate @ Duplicate::MerchantOrderId) => VippsErrors::bad_request(detail(
            "99",
            &duplicate.to_string(),
            Some("merchantOrderId"),
            None,
        ))
        .into(),
    }
}
