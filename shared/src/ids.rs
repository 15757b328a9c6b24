//! Identifiers: our payment ids, the merchant's order id and the per-attempt Vipps transaction id.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    #[error("a payment id is `pay_` followed by 32 lowercase hex digits")]
    PaymentId,
    #[error("an order id is 1 to 30 ASCII letters or digits")]
    MerchantOrderId,
    #[error("a PSP transaction id is 1 to 30 lowercase letters or digits")]
    PspTransactionId,
    #[error("a merchant id is `mer_` followed by 32 lowercase hex digits")]
    MerchantId,
    #[error("an API key id is `key_` followed by 32 lowercase hex digits")]
    ApiKeyId,
    #[error("a webhook endpoint id is `we_` followed by 32 lowercase hex digits")]
    EndpointId,
    #[error("an event id is `evt_` followed by 32 lowercase hex digits")]
    EventId,
    #[error("a dashboard user id is `usr_` followed by 32 lowercase hex digits")]
    UserId,
}

macro_rules! string_id {
    ($(#[$doc:meta])* $name:ident, $check:expr, $err:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl FromStr for $name {
            type Err = IdError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                let check: fn(&str) -> bool = $check;
                if check(s) { Ok(Self(s.to_owned())) } else { Err($err) }
            }
        }

        impl TryFrom<String> for $name {
            type Error = IdError;
            fn try_from(value: String) -> Result<Self, Self::Error> {
                value.parse()
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> Self {
                value.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

fn is_lower_hex(s: &str) -> bool {
    s.bytes()
        .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

string_id!(
    /// Our id for a merchant's payment: `pay_` + 32 lowercase hex digits (128 random bits).
    PaymentId,
    |s| s.strip_prefix("pay_").is_some_and(|hex| hex.len() == 32 && is_lower_hex(hex)),
    IdError::PaymentId
);

string_id!(
    /// The merchant's own reference, sent to Vipps as `merchantOrderId` (max 30, `[A-Za-z0-9]`).
    MerchantOrderId,
    |s| (1..=30).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric()),
    IdError::MerchantOrderId
);

string_id!(
    /// Vipps's `pspTransactionId`: one per attempt at Vipps (max 30, `[a-z0-9]`).
    PspTransactionId,
    |s| (1..=30).contains(&s.len())
        && s.bytes().all(|b| b.is_ascii_digit() || b.is_ascii_lowercase()),
    IdError::PspTransactionId
);

/// `prefix` followed by 32 lowercase hex digits.
fn is_prefixed_hex(s: &str, prefix: &str) -> bool {
    s.strip_prefix(prefix)
        .is_some_and(|hex| hex.len() == 32 && is_lower_hex(hex))
}

macro_rules! random_id {
    ($(#[$doc:meta])* $name:ident, $prefix:literal, $err:expr) => {
        string_id!($(#[$doc])* $name, |s| is_prefixed_hex(s, $prefix), $err);

        impl $name {
            /// Builds an id from 16 random bytes.
            pub fn from_random(bytes: [u8; 16]) -> Self {
                Self(format!(concat!($prefix, "{}"), hex(&bytes)))
            }
        }
    };
}

random_id!(
    /// A merchant account: `mer_` + 32 lowercase hex digits.
    MerchantId,
    "mer_",
    IdError::MerchantId
);

random_id!(
    /// One of a merchant's API keys (the key itself is secret; this names it).
    ApiKeyId,
    "key_",
    IdError::ApiKeyId
);

random_id!(
    /// One of a merchant's webhook endpoints.
    EndpointId,
    "we_",
    IdError::EndpointId
);

random_id!(
    /// One event told to a merchant's webhook endpoints (also the `webhook-id` header).
    EventId,
    "evt_",
    IdError::EventId
);

random_id!(
    /// A person who signs in to the merchant dashboard.
    UserId,
    "usr_",
    IdError::UserId
);

impl PaymentId {
    /// Builds an id from 16 random bytes.
    pub fn from_random(bytes: [u8; 16]) -> Self {
        Self(format!("pay_{}", hex(&bytes)))
    }
}

impl PspTransactionId {
    /// Builds an id from 15 random bytes (30 hex digits, Vipps's maximum).
    pub fn from_random(bytes: [u8; 15]) -> Self {
        Self(hex(&bytes))
    }
}

/// Lowercase hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payment_ids_round_trip_and_reject_garbage() {
        let id = PaymentId::from_random([0xab; 16]);
        assert_eq!(id.as_str().parse::<PaymentId>(), Ok(id.clone()));
        for bad in [
            "",
            "pay_",
            "pay_ABABABABABABABABABABABABABABABAB",
            "cs_abababababababababababababababab",
        ] {
            assert_eq!(bad.parse::<PaymentId>(), Err(IdError::PaymentId), "{bad}");
        }
    }

    #[test]
    fn order_ids_follow_vipps_limits() {
        assert!("order123ABC".parse::<MerchantOrderId>().is_ok());
        assert!("a".repeat(30).parse::<MerchantOrderId>().is_ok());
        assert!("a".repeat(31).parse::<MerchantOrderId>().is_err());
        assert!("order-1".parse::<MerchantOrderId>().is_err());
        assert!("".parse::<MerchantOrderId>().is_err());
    }

    #[test]
    fn psp_transaction_ids_are_thirty_lowercase_hex_digits() {
        let id = PspTransactionId::from_random([0x0f; 15]);
        assert_eq!(id.as_str().len(), 30);
        assert!("ABC".parse::<PspTransactionId>().is_err());
        assert!("7686f7788898767977".parse::<PspTransactionId>().is_ok());
    }
}
