//! `POST /psp/v2/psppayments/updatestatus`: captures, cancels and refunds the PSP reports.
//! All transactions of a batch are checked before any is recorded. Every call is logged with
//! its answer, injected failures and hangs included.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::Value;
use shared::vipps::{ResponseInfo, UpdateStatusRequest, UpdateStatusResponse, headers};

use super::{fields, once};
use crate::app::AppState;
use crate::auth::Caller;
use crate::clock;
use crate::idempotency::{Answer, Endpoint};
use crate::store::Store;
use crate::vipps_error::{VippsErrors, invalid_field};

pub async fn update_status(
    State(app): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let request_id = headers
        .get(headers::REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let index = app
        .store
        .lock()
        .await
        .update_calls
        .received(request_id, &body);
    let handled = once(
        &app,
        &headers,
        Endpoint::UpdateStatus,
        &body,
        |store, caller, request| match record(store, caller, request) {
            Ok(response) => Answer {
                status: StatusCode::OK,
                body: serde_json::to_value(response).unwrap_or_default(),
            },
            Err(errors) => errors.into(),
        },
    )
    .await;
    let (status, injected) = (handled.answer.status.as_u16(), handled.injected());
    app.store
        .lock()
        .await
        .update_calls
        .answered(index, status, injected);
    handled.respond().await
}

fn record(
    store: &mut Store,
    caller: &Caller,
    request: &Value,
) -> Result<UpdateStatusResponse, VippsErrors> {
    let update = serde_json::from_value::<UpdateStatusRequest>(request.clone()).map_err(|err| {
        let mut error = invalid_field("transactions", "Invalid request");
        error.developer_msg = Some(err.to_string());
        VippsErrors::bad_request(error)
    })?;
    if update.transactions.is_empty() {
        return Err(VippsErrors::bad_request(invalid_field(
            "transactions",
            "Invalid request: no transactions",
        )));
    }
    let mut errors = Vec::new();
    let mut checked = Vec::new();
    for transaction in &update.transactions {
        let id = transaction.psp_transaction_id.as_str();
        let known = store
            .get(id)
            .is_some_and(|p| p.merchant_serial_number == caller.merchant.serial_number);
        if !known {
            errors.push(invalid_field(
                "pspTransactionId",
                &format!("Unknown pspTransactionId {id}"),
            ));
        }
        match fields::ore(transaction.amount) {
            Ok(amount) => checked.push((transaction, amount)),
            Err(error) => errors.push(error),
        }
    }
    if !errors.is_empty() {
        return Err(VippsErrors::new(StatusCode::BAD_REQUEST, errors));
    }
    let now = clock::now_unix();
    for (transaction, amount) in checked {
        if let Some(payment) = store.get_mut(transaction.psp_transaction_id.as_str()) {
            let text = transaction.payment_text.clone();
            let applied = payment
                .ledger
                .record_update(transaction.status, amount, text, now);
            let id = transaction.psp_transaction_id.as_str();
            tracing::info!(psp_transaction_id = id, status = ?transaction.status, applied, "status update");
        }
    }
    Ok(UpdateStatusResponse {
        response_info: ResponseInfo {
            response_code: "9000".to_owned(),
            response_message: "SUCCESS".to_owned(),
        },
    })
}
