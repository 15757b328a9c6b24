//! `POST /psp/v2/psppayments/updatestatus`: captures, cancels and refunds the PSP reports.
//! All transactions of a batch are checked before any is recorded.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use shared::vipps::{ResponseInfo, UpdateStatusRequest, UpdateStatusResponse};
use shared::{Amount, AmountError};

use super::authorize;
use crate::app::AppState;
use crate::auth::{Caller, RequestId};
use crate::clock;
use crate::idempotency::{Answer, Endpoint, Lookup};
use crate::store::Store;
use crate::vipps_error::{VippsErrors, detail, invalid_field};

pub async fn update_status(
    State(app): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let caller = match authorize(&app, &headers, RequestId::Required).await {
        Ok(caller) => caller,
        Err(errors) => return errors.into_response(),
    };
    let Ok(request) = serde_json::from_slice::<Value>(&body) else {
        return VippsErrors::bad_request(invalid_field(
            "body",
            "Invalid request: the body is not JSON",
        ))
        .into_response();
    };
    let msn = caller.merchant.serial_number.clone();
    let mut store = app.store.lock().await;
    match store
        .idempotency
        .lookup(Endpoint::UpdateStatus, &msn, &caller.request_id, &request)
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
    let answer = match record(&mut store, &caller, &request) {
        Ok(response) => Answer {
            status: StatusCode::OK,
            body: serde_json::to_value(response).unwrap_or_default(),
        },
        Err(errors) => errors.into(),
    };
    store.idempotency.remember(
        Endpoint::UpdateStatus,
        &msn,
        &caller.request_id,
        request,
        &answer,
    );
    answer.into_response()
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
        match u64::try_from(transaction.amount)
            .map_err(|_| AmountError::Zero)
            .and_then(Amount::from_ore)
        {
            Ok(amount) => checked.push((transaction, amount)),
            Err(AmountError::Zero) => {
                errors.push(detail(
                    "amount",
                    "Amount must be at least 1 øre",
                    Some("amount"),
                    Some("amount.less.than.one"),
                ));
            }
            Err(AmountError::TooLarge) => errors.push(invalid_field(
                "amount",
                "Invalid request: amount is too large",
            )),
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
            tracing::info!(psp_transaction_id = %transaction.psp_transaction_id, status = ?transaction.status, applied, "status update");
        }
    }
    Ok(UpdateStatusResponse {
        response_info: ResponseInfo {
            response_code: "9000".to_owned(),
            response_message: "SUCCESS".to_owned(),
        },
    })
}
