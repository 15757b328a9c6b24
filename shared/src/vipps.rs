//! Vipps PSP API v2 wire types, field names exactly as in the 2019 swagger.
//!
//! Used by the backend's Vipps client and by the simulator alike, so the two cannot drift.

pub mod details;
mod token;

pub use token::{AccessToken, TokenLifetime};

use serde::{Deserialize, Serialize};

use crate::{Currency, MerchantOrderId, MobileNumber, PspTransactionId};

/// Header names Vipps requires on every PSP call.
pub mod headers {
    pub const SUBSCRIPTION_KEY: &str = "ocp-apim-subscription-key";
    pub const PSP_ID: &str = "psp-id";
    pub const MERCHANT_SERIAL_NUMBER: &str = "merchant-serial-number";
    pub const REQUEST_ID: &str = "request-id";
    pub const CLIENT_ID: &str = "client_id";
    pub const CLIENT_SECRET: &str = "client_secret";
}

/// `POST /psp/v2/psppayments/init`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InitRequest {
    pub psp_transaction_id: PspTransactionId,
    pub merchant_order_id: MerchantOrderId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_mobile_number: Option<MobileNumber>,
    /// Øre. Plain integer on the wire: the simulator must be able to see and refuse 0.
    pub amount: i64,
    pub currency: String,
    pub psp_redirect_url: String,
    pub make_payment_url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub make_payment_token: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_text: Option<String>,
    #[serde(default)]
    pub is_app: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InitResponse {
    pub psp_transaction_id: PspTransactionId,
    pub merchant_order_id: MerchantOrderId,
    pub vipps_redirect_url: String,
}

/// One entry of the error list Vipps answers with on 4xx/5xx.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct ErrorDetails {
    pub error_code: String,
    pub error_message: String,
    #[serde(default)]
    pub error_field: Option<String>,
    #[serde(default)]
    pub error_key: Option<String>,
    #[serde(default)]
    pub developer_msg: Option<String>,
}

/// The shopper's answer, as Vipps reports it in makePayment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Confirmed {
    Yes,
    No,
    Timeout,
    Cancel,
}

/// `POST {makePaymentUrl}`, sent by Vipps with `Authorization: <makePaymentToken>`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MakePaymentRequest {
    pub psp_transaction_id: PspTransactionId,
    pub merchant_serial_number: String,
    /// Base64 of the RSA-OAEP cryptogram of `CARDNUMBER,YYMM,SESSIONID`.
    #[serde(default)]
    pub card_data: Option<String>,
    pub confirmed: Confirmed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum PaymentInfoStatus {
    Ok,
    Fail,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PaymentInfo {
    pub psp_transaction_id: PspTransactionId,
    pub status: PaymentInfoStatus,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorMessage {
    /// A string on the wire, e.g. `"89"`.
    pub error_id: String,
    pub error_text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MakePaymentResponse {
    pub payment_info: PaymentInfo,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_message: Option<ErrorMessage>,
}

/// The error ids a PSP answers makePayment with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorId {
    NoSuchIssuer,
    RefusedByIssuer,
    SuspectedFraud,
    ExceedsWithdrawalLimit,
    TooLate,
    ExpiredCard,
    InvalidCardNumber,
    CreditCardNotAllowed,
    InsufficientFunds,
    InternalError,
    UnableToDecrypt,
    StatusFromVipps,
}

impl ErrorId {
    pub const ALL: [Self; 12] = [
        Self::NoSuchIssuer,
        Self::RefusedByIssuer,
        Self::SuspectedFraud,
        Self::ExceedsWithdrawalLimit,
        Self::TooLate,
        Self::ExpiredCard,
        Self::InvalidCardNumber,
        Self::CreditCardNotAllowed,
        Self::InsufficientFunds,
        Self::InternalError,
        Self::UnableToDecrypt,
        Self::StatusFromVipps,
    ];

    pub fn code(self) -> u8 {
        match self {
            Self::NoSuchIssuer => 81,
            Self::RefusedByIssuer => 82,
            Self::SuspectedFraud => 83,
            Self::ExceedsWithdrawalLimit => 84,
            Self::TooLate => 85,
            Self::ExpiredCard => 86,
            Self::InvalidCardNumber => 87,
            Self::CreditCardNotAllowed => 88,
            Self::InsufficientFunds => 89,
            Self::InternalError => 91,
            Self::UnableToDecrypt => 92,
            Self::StatusFromVipps => 93,
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|id| id.code().to_string() == code)
    }

    /// The text Vipps documents for the id.
    pub fn text(self) -> &'static str {
        match self {
            Self::NoSuchIssuer => "No such issuer",
            Self::RefusedByIssuer => "Refused by issuer",
            Self::SuspectedFraud => "Suspected fraud",
            Self::ExceedsWithdrawalLimit => "Exceeds withdrawal amount limit",
            Self::TooLate => "Response received too late",
            Self::ExpiredCard => "Expired card",
            Self::InvalidCardNumber => "Invalid card number",
            Self::CreditCardNotAllowed => "Merchant does not allow credit cards",
            Self::InsufficientFunds => "Insufficient funds",
            Self::InternalError => "Internal error",
            Self::UnableToDecrypt => "Unable to decrypt",
            Self::StatusFromVipps => "Status from Vipps",
        }
    }
}

/// `POST /psp/v2/psppayments/updatestatus`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdateStatusRequest {
    pub transactions: Vec<TransactionInfo>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum TransactionStatus {
    Captured,
    Cancelled,
    Refunded,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TransactionInfo {
    pub psp_transaction_id: PspTransactionId,
    pub status: TransactionStatus,
    pub amount: i64,
    pub currency: Currency,
    #[serde(default)]
    pub payment_text: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResponseInfo {
    pub response_code: String,
    pub response_message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateStatusResponse {
    pub response_info: ResponseInfo,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_ids_round_trip_through_their_codes() {
        for id in ErrorId::ALL {
            assert_eq!(ErrorId::from_code(&id.code().to_string()), Some(id));
        }
        assert_eq!(ErrorId::from_code("90"), None);
    }

    #[test]
    fn make_payment_request_uses_vipps_field_names() {
        let json = r#"{"pspTransactionId":"abc123","merchantSerialNumber":"123456",
            "cardData":"xyz","confirmed":"TIMEOUT"}"#;
        let parsed: Result<MakePaymentRequest, _> = serde_json::from_str(json);
        assert_eq!(parsed.ok().map(|r| r.confirmed), Some(Confirmed::Timeout));
    }

    #[test]
    fn fail_answer_carries_error_id_as_string() {
        let answer = MakePaymentResponse {
            payment_info: PaymentInfo {
                psp_transaction_id: PspTransactionId::from_random([1; 15]),
                status: PaymentInfoStatus::Fail,
            },
            error_message: Some(ErrorMessage {
                error_id: ErrorId::InsufficientFunds.code().to_string(),
                error_text: ErrorId::InsufficientFunds.text().to_owned(),
            }),
        };
        let json = serde_json::to_string(&answer).unwrap_or_default();
        assert!(json.contains(r#""status":"FAIL""#), "{json}");
        assert!(json.contains(r#""errorId":"89""#), "{json}");
    }
}
