//! `GET /psp/v2/psppayments/{pspTransactionId}/details`: what Vipps knows of a payment.

use crate::{MerchantOrderId, PspTransactionId};
use serde::{Deserialize, Serialize};

/// `PaymentDetailsRepresentation`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PaymentDetails {
    pub psp_transaction_id: PspTransactionId,
    pub merchant_order_id: MerchantOrderId,
    pub transaction_summary: TransactionSummary,
    pub transaction_log_history: Vec<PaymentTransactionDetails>,
}

/// Totals in øre.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct TransactionSummary {
    pub captured_amount: i64,
    pub remaining_amount_to_capture: i64,
    pub refunded_amount: i64,
    pub remaining_amount_to_refund: i64,
}

/// One operation on the payment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PaymentTransactionDetails {
    pub amount: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_text: Option<String>,
    /// ISO-8601.
    pub time_stamp: String,
    /// `RESERVED`, `CAPTURED`, `CANCELLED` or `REFUNDED`.
    pub operation: String,
    pub operation_success: bool,
}
