//! `GET /psp/v2/psppayments/{pspTransactionId}/details`: totals and the operation log.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};

use super::authorize;
use super::details_wire::PaymentDetails;
use crate::app::AppState;
use crate::auth::RequestId;
use crate::vipps_error::{VippsErrors, detail};

pub async fn details(
    State(app): State<AppState>,
    Path(psp_transaction_id): Path<String>,
    headers: HeaderMap,
) -> Result<Json<PaymentDetails>, VippsErrors> {
    let caller = authorize(&app, &headers, RequestId::NotUsed).await?;
    let store = app.store.lock().await;
    let payment = store
        .get(&psp_transaction_id)
        .filter(|p| p.merchant_serial_number == caller.merchant.serial_number)
        .ok_or_else(|| {
            let error = detail("404", "Payment not found", Some("pspTransactionId"), None);
            VippsErrors::new(StatusCode::NOT_FOUND, vec![error])
        })?;
    Ok(Json(PaymentDetails {
        psp_transaction_id: payment.init.psp_transaction_id.clone(),
        merchant_order_id: payment.init.merchant_order_id.clone(),
        transaction_summary: payment.ledger.summary(),
        transaction_log_history: payment.ledger.history(),
    }))
}
