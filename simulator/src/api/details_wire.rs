//! Wire types of `GET /psp/v2/psppayments/{pspTransactionId}/details`: the shared contract's,
//! so the simulator and the backend's client cannot drift.

pub use shared::vipps::details::{PaymentDetails, PaymentTransactionDetails, TransactionSummary};
