//! `MobileNumber`: a Norwegian mobile number, the one thing the shopper types.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Eight digits starting with 4 or 9, stored without country code.
///
/// Parsing accepts what people type: spaces, a `+47` or `0047` prefix.
/// `Debug` masks all but the last two digits so logs never carry the number.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct MobileNumber(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MobileNumberError {
    #[error("enter a mobile number")]
    Empty,
    #[error("a mobile number has only digits")]
    NotDigits,
    #[error("a Norwegian mobile number has 8 digits")]
    WrongLength,
    #[error("a Norwegian mobile number starts with 4 or 9")]
    NotMobile,
}

impl MobileNumber {
    /// The 8 digits, as Vipps's `customerMobileNumber` wants them.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for MobileNumber {
    type Err = MobileNumberError;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let compact: String = input
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect();
        if compact.is_empty() {
            return Err(MobileNumberError::Empty);
        }
        let national = compact
            .strip_prefix("+47")
            .or_else(|| compact.strip_prefix("0047"))
            .unwrap_or(&compact);
        if !national.chars().all(|c| c.is_ascii_digit()) {
            return Err(MobileNumberError::NotDigits);
        }
        if national.len() != 8 {
            return Err(MobileNumberError::WrongLength);
        }
        if !(national.starts_with('4') || national.starts_with('9')) {
            return Err(MobileNumberError::NotMobile);
        }
        Ok(Self(national.to_owned()))
    }
}

impl TryFrom<String> for MobileNumber {
    type Error = MobileNumberError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        value.parse()
    }
}

impl From<MobileNumber> for String {
    fn from(value: MobileNumber) -> Self {
        value.0
    }
}

impl fmt::Display for MobileNumber {
    /// Grouped as Norwegians write it: `912 34 567`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = &self.0;
        write!(f, "{} {} {}", &d[..3], &d[3..5], &d[5..])
    }
}

impl fmt::Debug for MobileNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "MobileNumber(******{})", &self.0[6..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<MobileNumber, MobileNumberError> {
        s.parse()
    }

    #[test]
    fn accepts_plain_grouped_and_prefixed_numbers() {
        for input in [
            "91234567",
            "912 34 567",
            "+47 912 34 567",
            "004791234567",
            " 4123-4567",
        ] {
            let number = parse(input);
            assert!(number.is_ok(), "{input} should parse");
        }
        assert_eq!(
            parse("+4791234567").map(String::from),
            Ok("91234567".to_owned())
        );
    }

    #[test]
    fn rejects_what_is_not_a_norwegian_mobile_number() {
        assert_eq!(parse(""), Err(MobileNumberError::Empty));
        assert_eq!(parse("   "), Err(MobileNumberError::Empty));
        assert_eq!(parse("9123456a"), Err(MobileNumberError::NotDigits));
        assert_eq!(parse("9123456"), Err(MobileNumberError::WrongLength));
        assert_eq!(parse("912345678"), Err(MobileNumberError::WrongLength));
        assert_eq!(parse("22123456"), Err(MobileNumberError::NotMobile));
        assert_eq!(parse("+4622123456"), Err(MobileNumberError::NotDigits));
    }

    #[test]
    fn debug_masks_the_number_and_display_groups_it() {
        let number = parse("91234567");
        assert_eq!(
            number.as_ref().map(|n| format!("{n:?}")),
            Ok("MobileNumber(******67)".to_owned())
        );
        assert_eq!(number.map(|n| n.to_string()), Ok("912 34 567".to_owned()));
    }

    #[test]
    fn deserialising_an_invalid_number_fails() {
        assert!(serde_json::from_str::<MobileNumber>("\"12345678\"").is_err());
        assert!(serde_json::from_str::<MobileNumber>("\"+47 41234567\"").is_ok());
    }
}
