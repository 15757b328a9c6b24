//! What the test-control API shows of a payment: a summary for lists, everything for one.

use serde::Serialize;
use shared::vipps::{Confirmed, MakePaymentResponse};

use crate::api::details_wire::{PaymentTransactionDetails, TransactionSummary};
use crate::app::AppState;
use crate::make_payment::Call;
use crate::payment::Payment;
use crate::state::Outcome;

#[derive(Debug, Serialize)]
pub struct PaymentSummary {
    pub psp_transaction_id: String,
    pub merchant_order_id: String,
    pub merchant_serial_number: String,
    /// Øre.
    pub amount: u32,
    pub phone: Option<String>,
    /// `awaiting_user`, `confirmed`, `sending`, `approved`, `declined`, `too_late` or `psp_error`.
    pub state: &'static str,
    pub is_app: bool,
    pub landing_url: String,
    /// Unix seconds.
    pub created_at: i64,
    /// Unix seconds: when Vipps sends `TIMEOUT` if the shopper has not answered.
    pub shopper_timeout_at: i64,
}

#[derive(Debug, Serialize)]
pub struct PaymentView {
    #[serde(flatten)]
    pub summary: PaymentSummary,
    pub payment_text: Option<String>,
    pub psp_redirect_url: String,
    pub make_payment_url: String,
    /// What was sent in makePayment, once sent.
    pub confirmed: Option<Confirmed>,
    /// The PSP's makePayment answer, once it came.
    pub make_payment_response: Option<MakePaymentResponse>,
    /// Why makePayment failed when the PSP gave no usable answer.
    pub make_payment_error: Option<String>,
    /// Every makePayment call, duplicates and repeats included, in the order they ended.
    pub make_payment_calls: Vec<CallView>,
    pub transaction_summary: TransactionSummary,
    pub transaction_log_history: Vec<PaymentTransactionDetails>,
}

/// One makePayment call.
#[derive(Debug, Serialize)]
pub struct CallView {
    /// `approved`, `declined`, `too_late` or `psp_error`.
    pub outcome: &'static str,
    pub answer: Option<MakePaymentResponse>,
    pub error: Option<String>,
}

impl CallView {
    fn of(call: &Call) -> Self {
        Self {
            outcome: call.outcome.name(),
            answer: call.answer.clone(),
            error: error_of(&call.outcome),
        }
    }
}

fn error_of(outcome: &Outcome) -> Option<String> {
    match outcome {
        Outcome::Approved | Outcome::Declined { .. } => None,
        Outcome::TooLate => Some("the PSP did not answer within 15 seconds".to_owned()),
        Outcome::PspError { message, .. } => Some(message.clone()),
    }
}

impl PaymentSummary {
    pub fn of(app: &AppState, payment: &Payment) -> Self {
        Self {
            psp_transaction_id: payment.psp_transaction_id().to_owned(),
            merchant_order_id: payment.init.merchant_order_id.to_string(),
            merchant_serial_number: payment.merchant_serial_number.clone(),
            amount: payment.init.amount.ore(),
            phone: payment.phone.as_ref().map(|p| p.as_str().to_owned()),
            state: payment.state.name(),
            is_app: payment.init.is_app,
            landing_url: app.url(&format!("/landing/{}", payment.landing_id)),
            created_at: payment.created_unix,
            shopper_timeout_at: payment.created_unix.saturating_add(
                i64::try_from(app.config.shopper_timeout.as_secs()).unwrap_or(i64::MAX),
            ),
        }
    }
}

impl PaymentView {
    pub fn of(app: &AppState, payment: &Payment) -> Self {
        let make_payment_error = payment
            .state
            .completed()
            .and_then(|(_, outcome)| error_of(outcome));
        Self {
            summary: PaymentSummary::of(app, payment),
            payment_text: payment.init.payment_text.clone(),
            psp_redirect_url: payment.init.psp_redirect_url.clone(),
            make_payment_url: payment.init.make_payment_url.clone(),
            confirmed: payment.state.sent(),
            make_payment_response: payment.psp_answer.clone(),
            make_payment_error,
            make_payment_calls: payment
                .make_payment_calls
                .iter()
                .map(CallView::of)
                .collect(),
            transaction_summary: payment.ledger.summary(),
            transaction_log_history: payment.ledger.history(),
        }
    }
}
