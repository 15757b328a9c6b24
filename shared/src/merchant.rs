//! The merchant API (`/v1/payments`), called server to server with the merchant's secret key.

use serde::{Deserialize, Serialize};

use crate::checkout::FailureReason;
use crate::{Amount, Currency, MerchantOrderId, MobileNumber, PaymentId};

/// Text shown to the shopper at Vipps (`paymentText`): 1 to 100 printable characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Description(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a description is 1 to 100 characters without control characters")]
pub struct DescriptionError;

impl Description {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Description {
    type Error = DescriptionError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        let len = value.trim().chars().count();
        if (1..=100).contains(&len) && !value.chars().any(char::is_control) {
            Ok(Self(value.trim().to_owned()))
        } else {
            Err(DescriptionError)
        }
    }
}

impl From<Description> for String {
    fn from(value: Description) -> Self {
        value.0
    }
}

/// `POST /v1/payments`: the only place an amount is ever set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreatePayment {
    pub amount: Amount,
    #[serde(default)]
    pub currency: Currency,
    pub merchant_order_id: MerchantOrderId,
    pub description: Description,
    /// Prefills the widget's phone field.
    #[serde(default)]
    pub phone_number: Option<MobileNumber>,
}

/// The lifecycle as a merchant sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentStatus {
    Created,
    AwaitingApp,
    Processing,
    /// The card is charged (reserved at the acquirer); ready to capture.
    Authorised,
    Failed,
    Cancelled,
    Expired,
}

/// What is kept of the card: never more than the first six and last four digits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MaskedCard {
    pub first_six: String,
    pub last_four: String,
    /// `YYMM`, as Vipps sends it.
    pub expiry: String,
}

/// A payment as the merchant sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MerchantPayment {
    pub id: PaymentId,
    /// Hand this to the widget (`data-client-secret`); it is only good for this payment.
    /// Only in the answer to create: the backend keeps nothing but its hash.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<String>,
    pub status: PaymentStatus,
    pub amount: Amount,
    pub currency: Currency,
    pub merchant_order_id: MerchantOrderId,
    pub description: Description,
    pub failure: Option<FailureReason>,
    pub card: Option<MaskedCard>,
    /// Unix seconds.
    pub created_at: i64,
    /// Unix seconds after which the shopper can no longer start the payment.
    pub expires_at: i64,
}
