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

/// Where the shopper goes back to after Vipps: an absolute `http(s)` URL without spaces,
/// quotes or angle brackets, at most 2048 characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ReturnUrl(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("return_url must be an absolute http(s) URL of at most 2048 characters")]
pub struct ReturnUrlError;

impl ReturnUrl {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for ReturnUrl {
    type Error = ReturnUrlError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        let rest = value
            .strip_prefix("https://")
            .or_else(|| value.strip_prefix("http://"));
        let host_present =
            rest.is_some_and(|r| r.chars().next().is_some_and(|c| c.is_ascii_alphanumeric()));
        let clean = !value
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "\"'<>`".contains(c));
        if host_present && clean && value.len() <= 2048 {
            Ok(Self(value))
        } else {
            Err(ReturnUrlError)
        }
    }
}

impl From<ReturnUrl> for String {
    fn from(value: ReturnUrl) -> Self {
        value.0
    }
}

/// `POST /v1/payments`: the only place an amount is ever set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreatePayment {
    pub amount: Amount,
    #[serde(default)]
    pub currency: Currency,
    pub merchant_order_id: MerchantOrderId,
    pub description: Description,
    /// Prefills the widget's phone field.
    #[serde(default)]
    pub phone_number: Option<MobileNumber>,
    /// The page the shopper returns to from Vipps's app (phone flow).
    #[serde(default)]
    pub return_url: Option<ReturnUrl>,
}

/// The lifecycle as a merchant sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum PaymentStatus {
    Created,
    AwaitingApp,
    Processing,
    /// The card is charged (reserved at the acquirer); ready to capture.
    Authorised,
    PartiallyCaptured,
    Captured,
    PartiallyRefunded,
    Refunded,
    Failed,
    Cancelled,
    Expired,
}

impl PaymentStatus {
    /// Every status, in the order a payment goes through them.
    pub const ALL: [Self; 11] = [
        Self::Created,
        Self::AwaitingApp,
        Self::Processing,
        Self::Authorised,
        Self::PartiallyCaptured,
        Self::Captured,
        Self::PartiallyRefunded,
        Self::Refunded,
        Self::Failed,
        Self::Cancelled,
        Self::Expired,
    ];

    /// The wire name (`partially_captured`), as serde writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Created => "created",
            Self::AwaitingApp => "awaiting_app",
            Self::Processing => "processing",
            Self::Authorised => "authorised",
            Self::PartiallyCaptured => "partially_captured",
            Self::Captured => "captured",
            Self::PartiallyRefunded => "partially_refunded",
            Self::Refunded => "refunded",
            Self::Failed => "failed",
            Self::Cancelled => "cancelled",
            Self::Expired => "expired",
        }
    }
}

/// What is kept of the card: never more than the first six and last four digits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MaskedCard {
    pub first_six: String,
    pub last_four: String,
    /// `YYMM`, as Vipps sends it.
    pub expiry: String,
}

/// Where the money of a payment is, in øre.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Amounts {
    /// Reserved on the card by the authorisation.
    pub authorised: u32,
    pub captured: u32,
    pub refunded: u32,
    /// Released back to the shopper by a cancel.
    pub cancelled: u32,
    /// What a capture may still take.
    pub capturable: u32,
    /// What a refund may still return.
    pub refundable: u32,
}

/// `POST /v1/payments/{id}/capture` and `/refund`; without an amount, all that is left.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AmountRequest {
    #[serde(default)]
    pub amount: Option<Amount>,
}

/// A payment as the merchant sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
    /// The amount ledger, in øre.
    pub amounts: Amounts,
    pub return_url: Option<ReturnUrl>,
    /// Unix seconds.
    pub created_at: i64,
    /// Unix seconds after which the shopper can no longer start the payment.
    pub expires_at: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_status_s_name_is_the_one_serde_writes() -> Result<(), serde_json::Error> {
        for status in PaymentStatus::ALL {
            assert_eq!(serde_json::to_value(status)?, status.as_str());
        }
        Ok(())
    }

    #[test]
    fn return_urls_are_absolute_http_urls_without_markup() {
        for good in [
            "https://shop.example/orders/1?x=y",
            "http://localhost:4002/",
        ] {
            assert!(ReturnUrl::try_from(good.to_owned()).is_ok(), "{good}");
        }
        for bad in [
            "javascript:alert(1)",
            "/relative",
            "https://",
            "https://a b",
            "https://x\"onload=",
            "ftp://x",
        ] {
            assert!(ReturnUrl::try_from(bad.to_owned()).is_err(), "{bad}");
        }
    }
}
