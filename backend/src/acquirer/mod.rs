//! The acquirer that charges cards, behind one small trait, and its decline reasons.

pub mod measured;
pub mod test_acquirer;
pub mod test_ledger;

use async_trait::async_trait;
use shared::checkout::FailureReason;
use shared::vipps::ErrorId;
use shared::{Amount, Currency, PaymentId};

pub use test_acquirer::TestAcquirer;

use crate::card::Card;

/// An authorisation request. The amount always comes from our own record.
pub struct Authorise<'a> {
    pub payment: &'a PaymentId,
    pub amount: Amount,
    pub currency: Currency,
    pub card: &'a Card,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Authorisation {
    Approved { reference: String },
    Declined(Decline),
}

/// Why an acquirer declined, each with the makePayment errorId Vipps expects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decline {
    NoSuchIssuer,
    RefusedByIssuer,
    SuspectedFraud,
    ExceedsWithdrawalLimit,
    ExpiredCard,
    InvalidCardNumber,
    CreditCardNotAllowed,
    InsufficientFunds,
}

impl Decline {
    pub fn error_id(self) -> ErrorId {
        match self {
            Self::NoSuchIssuer => ErrorId::NoSuchIssuer,
            Self::RefusedByIssuer => ErrorId::RefusedByIssuer,
            Self::SuspectedFraud => ErrorId::SuspectedFraud,
            Self::ExceedsWithdrawalLimit => ErrorId::ExceedsWithdrawalLimit,
            Self::ExpiredCard => ErrorId::ExpiredCard,
            Self::InvalidCardNumber => ErrorId::InvalidCardNumber,
            Self::CreditCardNotAllowed => ErrorId::CreditCardNotAllowed,
            Self::InsufficientFunds => ErrorId::InsufficientFunds,
        }
    }

    pub fn failure_reason(self) -> FailureReason {
        match self {
            Self::NoSuchIssuer => FailureReason::NoSuchIssuer,
            Self::RefusedByIssuer => FailureReason::RefusedByIssuer,
            Self::SuspectedFraud => FailureReason::SuspectedFraud,
            Self::ExceedsWithdrawalLimit => FailureReason::ExceedsLimit,
            Self::ExpiredCard => FailureReason::ExpiredCard,
            Self::InvalidCardNumber => FailureReason::InvalidCard,
            Self::CreditCardNotAllowed => FailureReason::CreditCardNotAllowed,
            Self::InsufficientFunds => FailureReason::InsufficientFunds,
        }
    }

    /// The decline an errorId stands for; `None` for ids that are not declines.
    pub fn from_error_id(id: ErrorId) -> Option<Self> {
        match id {
            ErrorId::NoSuchIssuer => Some(Self::NoSuchIssuer),
            ErrorId::RefusedByIssuer => Some(Self::RefusedByIssuer),
            ErrorId::SuspectedFraud => Some(Self::SuspectedFraud),
            ErrorId::ExceedsWithdrawalLimit => Some(Self::ExceedsWithdrawalLimit),
            ErrorId::ExpiredCard => Some(Self::ExpiredCard),
            ErrorId::InvalidCardNumber => Some(Self::InvalidCardNumber),
            ErrorId::CreditCardNotAllowed => Some(Self::CreditCardNotAllowed),
            ErrorId::InsufficientFunds => Some(Self::InsufficientFunds),
            ErrorId::TooLate
            | ErrorId::InternalError
            | ErrorId::UnableToDecrypt
            | ErrorId::StatusFromVipps => None,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AcquirerError {
    #[error("the acquirer did not answer in time")]
    Timeout,
    #[error("the acquirer failed: {0}")]
    Failed(String),
    #[error("the acquirer refused: {0}")]
    Refused(String),
}

/// A card acquirer. `operation` ids are unique per request: an acquirer that sees the
/// same id twice must not act twice.
#[async_trait]
pub trait Acquirer: Send + Sync {
    async fn authorise(&self, request: Authorise<'_>) -> Result<Authorisation, AcquirerError>;

    /// Captures `amount` of the authorisation `reference`.
    async fn capture(
        &self,
        reference: &str,
        amount: Amount,
        operation: &str,
    ) -> Result<(), AcquirerError>;

    /// Returns `amount` of what was captured to the card.
    async fn refund(
        &self,
        reference: &str,
        amount: Amount,
        operation: &str,
    ) -> Result<(), AcquirerError>;

    /// Releases `amount` of the authorisation that was not captured.
    async fn void(
        &self,
        reference: &str,
        amount: Amount,
        operation: &str,
    ) -> Result<(), AcquirerError>;

    /// The authorisation the acquirer holds for `payment`, if any (used after a timeout).
    async fn find_authorisation(
        &self,
        payment: &PaymentId,
    ) -> Result<Option<String>, AcquirerError>;

    /// Every authorisation the acquirer holds open for `payment` (more than one only when
    /// a charge whose answer was lost authorised besides the one the payment uses).
    async fn open_authorisations(&self, payment: &PaymentId) -> Result<Vec<String>, AcquirerError> {
        Ok(self
            .find_authorisation(payment)
            .await?
            .into_iter()
            .collect())
    }
}
