//! `GET /v1/payments`: a merchant's payments, newest first, found by what a person has at
//! hand (an order id, a payment id, a card's last four digits) and filtered by status.

use serde::{Deserialize, Serialize};

use crate::PaymentId;
use crate::merchant::{MerchantPayment, PaymentStatus};

/// The query string of `GET /v1/payments`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct ListPayments {
    /// Only payments in this status.
    #[serde(default)]
    pub status: Option<PaymentStatus>,
    /// A payment id (exact), an order id (any part of it, in any case) or a card's last
    /// four digits: 1 to 100 characters once trimmed, without control characters.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", param(value_type = Option<String>, min_length = 1))]
    pub q: Option<SearchText>,
    /// How many to return: 1 to 100 (25 when left out).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", param(value_type = Option<u8>, minimum = 1, maximum = 100))]
    pub limit: Option<PageSize>,
    /// The last payment of the previous page: the page goes on after it.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", param(value_type = Option<PaymentId>))]
    pub starting_after: Option<PaymentId>,
}

/// A page of payments, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentList {
    pub data: Vec<MerchantPayment>,
    /// Whether more payments follow the last one here (ask with `starting_after`).
    pub has_more: bool,
}

/// What to look for: 1 to 100 characters once trimmed, none of them control characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct SearchText(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("q is 1 to 100 characters, without control characters")]
pub struct SearchTextError;

impl SearchText {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The payment id it is, if it is one.
    pub fn payment_id(&self) -> Option<PaymentId> {
        self.0.parse().ok()
    }

    /// The last four digits of a card it may be.
    pub fn last_four(&self) -> Option<&str> {
        (self.0.len() == 4 && self.0.bytes().all(|b| b.is_ascii_digit())).then_some(&self.0)
    }
}

impl TryFrom<String> for SearchText {
    type Error = SearchTextError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        let text = value.trim();
        if (1..=100).contains(&text.chars().count()) && !text.chars().any(char::is_control) {
            Ok(Self(text.to_owned()))
        } else {
            Err(SearchTextError)
        }
    }
}

impl From<SearchText> for String {
    fn from(value: SearchText) -> Self {
        value.0
    }
}

/// How many payments a page holds: 1 to 100.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "u64", into = "u8")]
pub struct PageSize(u8);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("limit is 1 to 100")]
pub struct PageSizeError;

impl PageSize {
    pub const DEFAULT: Self = Self(25);

    pub fn get(self) -> u8 {
        self.0
    }
}

impl TryFrom<u64> for PageSize {
    type Error = PageSizeError;
    fn try_from(value: u64) -> Result<Self, Self::Error> {
        u8::try_from(value)
            .ok()
            .filter(|n| (1..=100).contains(n))
            .map(Self)
            .ok_or(PageSizeError)
    }
}

impl From<PageSize> for u8 {
    fn from(value: PageSize) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_text_knows_payment_ids_and_last_fours() {
        let text = |s: &str| SearchText::try_from(s.to_owned());
        assert_eq!(text("  ").ok(), None);
        assert_eq!(text(&"x".repeat(101)).ok(), None);
        let four = text(" 4242 ");
        assert_eq!(
            four.as_ref().ok().and_then(SearchText::last_four),
            Some("4242")
        );
        assert_eq!(
            text("42a2").ok().as_ref().and_then(SearchText::last_four),
            None
        );
        assert_eq!(
            text("order\u{0}").ok(),
            None,
            "PostgreSQL refuses NUL in text"
        );
        let id = "pay_0123456789abcdef0123456789abcdef";
        assert!(text(id).ok().and_then(|t| t.payment_id()).is_some());
    }

    #[test]
    fn page_sizes_are_1_to_100() {
        assert!(PageSize::try_from(0).is_err());
        assert!(PageSize::try_from(101).is_err());
        assert_eq!(PageSize::try_from(100).map(PageSize::get), Ok(100));
    }
}
