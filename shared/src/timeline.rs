//! `GET /v1/payments/{id}/timeline`: one payment's story, oldest first: created, each
//! start at Vipps and what Vipps answered, every event told to the merchant with each
//! webhook delivery, and every capture, refund and cancel with its status update to Vipps.

use serde::{Deserialize, Serialize};

use crate::merchant::MerchantPayment;
use crate::webhooks::EventWithDeliveries;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentTimeline {
    pub payment: MerchantPayment,
    /// Oldest first.
    pub entries: Vec<TimelineEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TimelineEntry {
    /// Unix seconds.
    pub at: i64,
    #[serde(flatten)]
    pub what: TimelineEvent,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum TimelineEvent {
    /// The merchant created the payment.
    Created { amount: u32 },
    /// The shopper started the payment: we asked Vipps to (`init`) under this attempt's
    /// transaction id.
    StartedAtVipps {
        psp_transaction_id: String,
        /// Vipps's makePayment for this attempt, once the shopper confirmed: what we
        /// answered it.
        make_payment: Option<MakePaymentOutcome>,
    },
    /// An event told to the merchant's webhook endpoints, with each delivery and its
    /// answers. Its type tells what happened (authorised, failed, …).
    Event(Box<EventWithDeliveries>),
    /// A capture, refund or cancel, and its status update to Vipps (`updatestatus`).
    Operation(Operation),
}

/// What we answered Vipps's makePayment: the acquirer's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum MakePaymentOutcome {
    Ok,
    Fail,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Operation {
    pub operation: OperationKind,
    pub amount: u32,
    pub state: OperationState,
    /// Why it failed, when it did.
    pub error: Option<String>,
    /// Its status update to Vipps; none for an operation that failed at the acquirer.
    pub status_update: Option<StatusUpdate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum OperationKind {
    Capture,
    Refund,
    Cancel,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum OperationState {
    Pending,
    Succeeded,
    Failed,
}

/// One `updatestatus` to Vipps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatusUpdate {
    pub state: StatusUpdateState,
    /// How many times it was sent.
    pub attempts: u32,
    /// What went wrong the last time, while it is not delivered.
    pub last_error: Option<String>,
    /// Unix seconds.
    pub delivered_at: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum StatusUpdateState {
    Pending,
    Delivered,
    /// Vipps refused it for good (`GET /v1/status-updates/dead`).
    Dead,
}
