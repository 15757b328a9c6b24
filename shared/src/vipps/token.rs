//! The answer of `POST /accesstoken/get`, as far as a PSP uses it.
//!
//! Vipps's token service (Azure AD) also sends `ext_expires_in`, `not_before`, `expires_on`
//! and `resource`; nothing here needs them, so they are neither required nor read, and an
//! answer without them (or with more) decodes. `expires_in` comes as a string in Vipps's
//! examples and as an integer in the 2019 swagger: both are accepted.

use core::time::Duration;

use serde::{Deserialize, Serialize};

/// What the PSP reads from a token answer. Unknown fields are ignored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessToken {
    /// `Bearer`; Vipps always sends it, nothing depends on it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_type: Option<String>,
    pub access_token: String,
    pub expires_in: TokenLifetime,
}

/// How long a token is valid, in whole seconds, from `"3600"` or `3600` on the wire.
/// Written as a string, the way Vipps's token service sends it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "SecondsOnWire", into = "String")]
pub struct TokenLifetime(u64);

impl TokenLifetime {
    pub const fn from_secs(seconds: u64) -> Self {
        Self(seconds)
    }

    pub const fn as_secs(self) -> u64 {
        self.0
    }

    pub const fn as_duration(self) -> Duration {
        Duration::from_secs(self.0)
    }
}

impl From<TokenLifetime> for String {
    fn from(lifetime: TokenLifetime) -> Self {
        lifetime.0.to_string()
    }
}

#[derive(Deserialize)]
#[serde(untagged)]
enum SecondsOnWire {
    Number(u64),
    Text(String),
}

#[derive(Debug, thiserror::Error)]
#[error("expires_in must be whole seconds, got {0:?}")]
pub struct LifetimeError(String);

impl TryFrom<SecondsOnWire> for TokenLifetime {
    type Error = LifetimeError;

    fn try_from(wire: SecondsOnWire) -> Result<Self, Self::Error> {
        match wire {
            SecondsOnWire::Number(seconds) => Ok(Self(seconds)),
            SecondsOnWire::Text(text) => text
                .trim()
                .parse()
                .map(Self)
                .map_err(|_| LifetimeError(text)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_answer_with_only_the_fields_we_use_decodes() {
        let minimal = r#"{"access_token":"abc","expires_in":"3600"}"#;
        let Ok(token) = serde_json::from_str::<AccessToken>(minimal) else {
            unreachable!("a minimal token answer must decode")
        };
        assert_eq!(token.access_token, "abc");
        assert_eq!(token.expires_in.as_duration(), Duration::from_secs(3600));
        assert_eq!(token.token_type, None);
    }

    #[test]
    fn a_full_azure_answer_with_numbers_or_strings_decodes() {
        for answer in [
            r#"{"token_type":"Bearer","access_token":"abc","expires_in":"86398","ext_expires_in":"86398","not_before":"1547823408","expires_on":"1547909808","resource":"00000002-0000-0000-c000-000000000000"}"#,
            r#"{"token_type":"Bearer","access_token":"abc","expires_in":86398,"ext_expires_in":86398,"not_before":1547823408,"resource":"x","something_new":{"a":[1]}}"#,
        ] {
            let decoded = serde_json::from_str::<AccessToken>(answer).map(|t| t.expires_in);
            assert_eq!(
                decoded.ok(),
                Some(TokenLifetime::from_secs(86398)),
                "{answer}"
            );
        }
    }

    #[test]
    fn a_lifetime_that_is_not_whole_seconds_is_refused() {
        for bad in [r#""soon""#, "-1", "1.5", r#""""#, "null"] {
            assert!(serde_json::from_str::<TokenLifetime>(bad).is_err(), "{bad}");
        }
        let json = r#"{"access_token":"abc"}"#;
        assert!(serde_json::from_str::<AccessToken>(json).is_err());
    }

    #[test]
    fn a_lifetime_is_written_as_a_string() {
        let written = serde_json::to_string(&TokenLifetime::from_secs(3600)).ok();
        assert_eq!(written.as_deref(), Some(r#""3600""#));
    }
}
