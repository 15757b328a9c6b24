//! The payment lifecycle: the record, its states, its store and the use cases.

pub mod attempts;
pub mod checkout;
pub mod context;
pub mod events;
pub mod ledger;
pub mod listing;
pub mod make_payment;
pub mod merchant;
pub mod operations;
pub mod operations_store;
pub mod queries;
pub mod state;
pub mod store;
pub mod view;

use shared::checkout::FailureReason;
use shared::merchant::{Description, MaskedCard, ReturnUrl};
use shared::vipps::MakePaymentResponse;
use shared::{
    Amount, Currency, MerchantId, MerchantOrderId, MobileNumber, PaymentId, PspTransactionId,
};

pub use context::{Payments, Settings};
pub use ledger::{Ledger, LedgerError};
pub use state::{InvalidTransition, PaymentEvent, PaymentState};
pub use store::{PaymentStore, StoreError};

use crate::keys::KeyError;
use crate::vipps::VippsError;

/// One merchant payment as stored. Secrets appear only as hashes.
#[derive(Debug, Clone, PartialEq)]
pub struct Payment {
    pub id: PaymentId,
    /// Whose payment this is: every merchant API call is scoped by it.
    pub merchant_id: MerchantId,
    pub state: PaymentState,
    pub amount: Amount,
    pub currency: Currency,
    pub merchant_order_id: MerchantOrderId,
    pub description: Description,
    pub phone_number: Option<MobileNumber>,
    pub return_url: Option<ReturnUrl>,
    pub client_secret_hash: Vec<u8>,
    /// The current attempt at Vipps.
    pub psp_transaction_id: Option<PspTransactionId>,
    pub vipps_url: Option<String>,
    pub is_app: bool,
    pub failure: Option<FailureReason>,
    pub card: Option<MaskedCard>,
    pub acquirer_reference: Option<String>,
    /// What we answered Vipps's first makePayment; every repeat gets the same.
    pub make_payment_answer: Option<MakePaymentResponse>,
    pub created_at: i64,
    pub expires_at: i64,
    /// Money reserved, captured, refunded and released (authorised payments only).
    pub ledger: Ledger,
    /// Bumped by every ledger write (compare-and-set).
    pub ledger_version: i64,
    /// The acquirer may hold an authorisation we did not record (timeout, crash):
    /// reconciliation asks it and voids what it finds.
    pub acquirer_unsettled: bool,
}

impl Payment {
    /// Past its expiry with nothing going on: never started, or failed and not tried
    /// again (a new attempt is refused from now on). Reconciliation writes it down.
    pub fn is_expired_at(&self, now: i64) -> bool {
        matches!(self.state, PaymentState::Created | PaymentState::Failed) && now >= self.expires_at
    }
}

/// Why a use case failed. Mapped to HTTP in `crate::error` only.
#[derive(Debug, thiserror::Error)]
pub enum PaymentError {
    #[error("no such payment")]
    NotFound,
    #[error("the credentials do not match this payment")]
    Unauthorized,
    #[error("the payment has expired")]
    Expired,
    #[error(transparent)]
    InvalidState(#[from] InvalidTransition),
    #[error("another payment already uses this merchant order id")]
    DuplicateOrderId,
    #[error(transparent)]
    VippsRejected(Refusal),
    #[error("this payment was started too many times; the shop must create a new one")]
    TooManyAttempts,
    #[error("Vipps is unavailable: {0}")]
    VippsUnavailable(VippsError),
    #[error(transparent)]
    Store(StoreError),
    #[error(transparent)]
    Key(#[from] KeyError),
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    #[error("the payment is {0}, not authorised")]
    NotAuthorised(PaymentState),
    #[error("another operation on this payment is running; try again")]
    Busy,
    #[error("the acquirer failed the operation: {0}")]
    Acquirer(#[from] crate::acquirer::AcquirerError),
    /// A makePayment naming another merchant than the payment's: nothing is charged.
    #[error("merchantSerialNumber is not this payment's merchant's")]
    WrongMerchant,
    /// The payment's merchant is disabled: its widgets stop working.
    #[error("this merchant does not take payments now")]
    MerchantDisabled,
    #[error(transparent)]
    Merchant(crate::merchants::MerchantError),
}

impl From<crate::merchants::MerchantError> for PaymentError {
    fn from(error: crate::merchants::MerchantError) -> Self {
        match error {
            crate::merchants::MerchantError::NotFound => Self::NotFound,
            other => Self::Merchant(other),
        }
    }
}

/// What Vipps refused at init, in our own words: its text is logged, never shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("Vipps refused the phone number")]
    PhoneNumber,
    #[error("Vipps refused the payment")]
    Payment,
}

impl Refusal {
    /// From Vipps's error list: the number when Vipps names `customerMobileNumber`.
    pub fn of(errors: &[shared::vipps::ErrorDetails]) -> Self {
        let names_number = |e: &shared::vipps::ErrorDetails| {
            e.error_field.as_deref() == Some("customerMobileNumber")
        };
        if errors.iter().any(names_number) {
            Self::PhoneNumber
        } else {
            Self::Payment
        }
    }
}

impl From<StoreError> for PaymentError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::DuplicateOrderId => Self::DuplicateOrderId,
            other => Self::Store(other),
        }
    }
}

/// Seconds since the Unix epoch.
pub fn now_unix() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .ok()
        .and_then(|d| i64::try_from(d.as_secs()).ok())
        .unwrap_or(0)
}
