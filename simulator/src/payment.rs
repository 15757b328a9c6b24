//! One payment as Vipps keeps it: what the PSP sent at init, its state and its ledger.

use shared::vipps::{MakePaymentRequest, MakePaymentResponse};
use shared::{Amount, MerchantOrderId, MobileNumber, PspTransactionId};

use crate::ledger::Ledger;
use crate::make_payment::Call;
use crate::state::PaymentState;

/// An init request that passed every check Vipps makes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidInit {
    pub psp_transaction_id: PspTransactionId,
    pub merchant_order_id: MerchantOrderId,
    pub phone: Option<MobileNumber>,
    pub amount: Amount,
    pub payment_text: Option<String>,
    pub psp_redirect_url: String,
    pub make_payment_url: String,
    pub make_payment_token: Option<String>,
    pub is_app: bool,
}

#[derive(Debug, Clone)]
pub struct Payment {
    pub init: ValidInit,
    pub merchant_serial_number: String,
    pub merchant_name: String,
    /// The unguessable id in `vippsRedirectUrl`.
    pub landing_id: String,
    /// The number the shopper confirmed, or the one the PSP gave.
    pub phone: Option<MobileNumber>,
    pub created_unix: i64,
    pub state: PaymentState,
    /// The PSP's answer to the makePayment that decided the payment, once it came.
    pub psp_answer: Option<MakePaymentResponse>,
    /// The makePayment request as first sent: repeats send exactly this again.
    pub sent_request: Option<MakePaymentRequest>,
    /// Every makePayment call made, repeats included, in the order they ended.
    pub make_payment_calls: Vec<Call>,
    pub ledger: Ledger,
}

impl Payment {
    pub fn new(
        init: ValidInit,
        merchant_serial_number: String,
        merchant_name: String,
        landing_id: String,
        now: i64,
    ) -> Self {
        Self {
            phone: init.phone.clone(),
            init,
            merchant_serial_number,
            merchant_name,
            landing_id,
            created_unix: now,
            state: PaymentState::AwaitingUser,
            psp_answer: None,
            sent_request: None,
            make_payment_calls: Vec::new(),
            ledger: Ledger::default(),
        }
    }

    pub fn psp_transaction_id(&self) -> &str {
        self.init.psp_transaction_id.as_str()
    }
}
