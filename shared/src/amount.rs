//! Money: integer øre in `Amount`, and the one `Currency` Vipps takes.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A positive amount in øre (1/100 NOK), at most what Vipps's int32 `amount` holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u64", into = "u32")]
pub struct Amount(u32);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AmountError {
    #[error("amount must be at least 1 øre")]
    Zero,
    #[error("amount must be at most 2147483647 øre")]
    TooLarge,
}

impl Amount {
    /// Vipps sends and takes amounts as signed 32-bit integers.
    pub const MAX_ORE: u32 = 2_147_483_647;

    pub fn from_ore(ore: u64) -> Result<Self, AmountError> {
        match u32::try_from(ore) {
            Ok(0) => Err(AmountError::Zero),
            Ok(ore) if ore <= Self::MAX_ORE => Ok(Self(ore)),
            _ => Err(AmountError::TooLarge),
        }
    }

    pub fn ore(self) -> u32 {
        self.0
    }

    pub fn checked_add(self, other: Self) -> Option<Self> {
        self.0
            .checked_add(other.0)
            .and_then(|sum| Self::from_ore(sum.into()).ok())
    }

    /// `None` when the result would not be positive.
    pub fn checked_sub(self, other: Self) -> Option<Self> {
        self.0
            .checked_sub(other.0)
            .and_then(|rest| Self::from_ore(rest.into()).ok())
    }
}

impl TryFrom<u64> for Amount {
    type Error = AmountError;
    fn try_from(value: u64) -> Result<Self, Self::Error> {
        Self::from_ore(value)
    }
}

impl From<Amount> for u32 {
    fn from(value: Amount) -> Self {
        value.0
    }
}

impl fmt::Display for Amount {
    /// `kr 1 234,50`-style without grouping: `1234,50 kr`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{},{:02} kr", self.0 / 100, self.0 % 100)
    }
}

/// ISO 4217 code. Vipps only supports NOK; anything else fails to parse.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Currency {
    #[default]
    #[serde(rename = "NOK")]
    Nok,
}

impl Currency {
    pub fn code(self) -> &'static str {
        match self {
            Self::Nok => "NOK",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amount_is_between_one_ore_and_int32_max() {
        assert_eq!(Amount::from_ore(0), Err(AmountError::Zero));
        assert_eq!(Amount::from_ore(1).map(Amount::ore), Ok(1));
        assert!(Amount::from_ore(2_147_483_647).is_ok());
        assert_eq!(Amount::from_ore(2_147_483_648), Err(AmountError::TooLarge));
        assert_eq!(Amount::from_ore(u64::MAX), Err(AmountError::TooLarge));
    }

    #[test]
    fn arithmetic_is_checked() {
        let (one, two) = (Amount::from_ore(1), Amount::from_ore(2));
        let (Ok(one), Ok(two)) = (one, two) else {
            unreachable!("valid amounts")
        };
        assert_eq!(one.checked_add(two).map(Amount::ore), Some(3));
        assert_eq!(two.checked_sub(one).map(Amount::ore), Some(1));
        assert_eq!(one.checked_sub(one), None);
        assert_eq!(one.checked_sub(two), None);
        let max = Amount::from_ore(Amount::MAX_ORE.into());
        assert_eq!(max.ok().and_then(|m| m.checked_add(one)), None);
    }

    #[test]
    fn displays_kroner_and_ore() {
        assert_eq!(
            Amount::from_ore(29_950).map(|a| a.to_string()),
            Ok("299,50 kr".to_owned())
        );
        assert_eq!(
            Amount::from_ore(5).map(|a| a.to_string()),
            Ok("0,05 kr".to_owned())
        );
    }

    #[test]
    fn json_rejects_zero_negative_and_fractional_amounts() {
        assert!(serde_json::from_str::<Amount>("0").is_err());
        assert!(serde_json::from_str::<Amount>("-5").is_err());
        assert!(serde_json::from_str::<Amount>("1.5").is_err());
        assert!(serde_json::from_str::<Amount>("100").is_ok());
        assert!(serde_json::from_str::<Currency>("\"SEK\"").is_err());
        assert!(serde_json::from_str::<Currency>("\"NOK\"").is_ok());
    }
}
