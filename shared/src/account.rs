//! Merchant accounts: who a merchant is toward Vipps and the shopper, and their API keys.
//! The operator API (`/operator/v1/merchants`) and the merchant API's `/v1/api-keys`
//! exchange these.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::appearance::{VARIABLES, plainly_valid};
use crate::text::Lang;
use crate::{ApiKeyId, MerchantId};

/// Vipps's Merchant Serial Number of a sales unit: exactly 6 digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Msn(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("msn must be Vipps's Merchant Serial Number: exactly 6 digits")]
pub struct MsnError;

impl Msn {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::str::FromStr for Msn {
    type Err = MsnError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.len() == 6 && s.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Self(s.to_owned()))
        } else {
            Err(MsnError)
        }
    }
}

impl TryFrom<String> for Msn {
    type Error = MsnError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        value.parse()
    }
}

impl From<Msn> for String {
    fn from(value: Msn) -> Self {
        value.0
    }
}

impl std::fmt::Display for Msn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A web origin allowed to frame a merchant's widget: `http(s)://host[:port]`, lowercase,
/// no path, no wildcard. It goes into a `frame-ancestors` directive as it is.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Origin(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("an origin is http(s)://host[:port] without a path, e.g. https://shop.example")]
pub struct OriginError;

impl Origin {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::str::FromStr for Origin {
    type Err = OriginError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim().trim_end_matches('/').to_ascii_lowercase();
        let rest = s
            .strip_prefix("https://")
            .or_else(|| s.strip_prefix("http://"))
            .ok_or(OriginError)?;
        let (host, port) = match rest.rsplit_once(':') {
            Some((host, port)) if !host.contains(']') || host.ends_with(']') => (host, Some(port)),
            _ => (rest, None),
        };
        let host_ok = !host.is_empty()
            && host.len() <= 253
            && host
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-.[]:".contains(&b));
        let port_ok = port
            .is_none_or(|p| !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()));
        if host_ok && port_ok {
            Ok(Self(s))
        } else {
            Err(OriginError)
        }
    }
}

impl TryFrom<String> for Origin {
    type Error = OriginError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        value.parse()
    }
}

impl From<Origin> for String {
    fn from(value: Origin) -> Self {
        value.0
    }
}

/// The name the shopper sees (widget, return page, Vipps): 1 to 100 printable characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DisplayName(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a name is 1 to 100 characters without control characters")]
pub struct DisplayNameError;

impl DisplayName {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for DisplayName {
    type Error = DisplayNameError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        let trimmed = value.trim();
        let len = trimmed.chars().count();
        if (1..=100).contains(&len) && !trimmed.chars().any(char::is_control) {
            Ok(Self(trimmed.to_owned()))
        } else {
            Err(DisplayNameError)
        }
    }
}

impl From<DisplayName> for String {
    fn from(value: DisplayName) -> Self {
        value.0
    }
}

/// A merchant's default look: `appearance.variables` keys (`colorPrimary`, …) with values
/// of a plain shape (`shared::appearance`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(
    try_from = "BTreeMap<String, String>",
    into = "BTreeMap<String, String>"
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Appearance(BTreeMap<String, String>);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("appearance takes the widget's variables (colorPrimary, …) with plain values; {0}")]
pub struct AppearanceError(String);

impl Appearance {
    pub fn variables(&self) -> &BTreeMap<String, String> {
        &self.0
    }
}

impl TryFrom<BTreeMap<String, String>> for Appearance {
    type Error = AppearanceError;
    fn try_from(map: BTreeMap<String, String>) -> Result<Self, Self::Error> {
        for (key, value) in &map {
            let variable = VARIABLES
                .iter()
                .find(|v| v.key == key)
                .ok_or_else(|| AppearanceError(format!("{key} is not one")))?;
            if !plainly_valid(variable.kind, value) {
                return Err(AppearanceError(format!(
                    "{key} has a value of another shape"
                )));
            }
        }
        Ok(Self(map))
    }
}

impl From<Appearance> for BTreeMap<String, String> {
    fn from(value: Appearance) -> Self {
        value.0
    }
}

/// Whether a merchant may take payments. A disabled merchant's keys and widgets stop
/// working; its payments stay readable by the operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum MerchantStatus {
    Active,
    Disabled,
}

/// `POST /operator/v1/merchants`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateMerchant {
    pub name: DisplayName,
    pub msn: Msn,
    /// Origins whose pages may frame the widget.
    #[serde(default)]
    pub allowed_origins: Vec<Origin>,
    /// The widget's language when the page names none.
    #[serde(default)]
    pub language: Option<Lang>,
    #[serde(default)]
    pub appearance: Appearance,
}

/// A merchant as the operator sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Merchant {
    pub id: MerchantId,
    pub name: DisplayName,
    pub msn: Msn,
    pub allowed_origins: Vec<Origin>,
    pub language: Option<Lang>,
    pub appearance: Appearance,
    pub status: MerchantStatus,
    /// Unix seconds.
    pub created_at: i64,
}

/// The answer to creating a merchant: the merchant and its first secret key, shown once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreatedMerchant {
    pub merchant: Merchant,
    pub api_key: CreatedApiKey,
}

/// A key's name: 1 to 100 printable characters (e.g. `production`, `rotated 2026-12`).
pub type KeyName = DisplayName;

/// `POST /v1/api-keys` (and the operator's `/operator/v1/merchants/{id}/api-keys`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateApiKey {
    pub name: KeyName,
}

/// An API key as listed: never the key itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiKey {
    pub id: ApiKeyId,
    pub name: KeyName,
    /// The key's first characters (`sk_1a2b…`), to tell keys apart.
    pub prefix: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

/// A new key: the only time the secret is shown. `Debug` leaves the secret out.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreatedApiKey {
    #[serde(flatten)]
    pub key: ApiKey,
    /// `sk_…`: keep it secret; the PSP keeps only its hash.
    pub secret: String,
}

impl std::fmt::Debug for CreatedApiKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CreatedApiKey")
            .field("key", &self.key)
            .field("secret", &"***")
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn msns_are_six_digits() {
        assert!("123456".parse::<Msn>().is_ok());
        for bad in ["12345", "1234567", "12345a", "", " 12345"] {
            assert_eq!(bad.parse::<Msn>(), Err(MsnError), "{bad}");
        }
    }

    #[test]
    fn origins_are_scheme_host_and_port_only() {
        for good in [
            "https://shop.example",
            "http://localhost:4002",
            "HTTPS://Shop.Example/",
            "http://127.0.0.1:8080",
        ] {
            assert!(good.parse::<Origin>().is_ok(), "{good}");
        }
        assert_eq!(
            "HTTPS://Shop.Example/".parse::<Origin>().map(String::from),
            Ok("https://shop.example".to_owned())
        );
        for bad in [
            "shop.example",
            "https://shop.example/path",
            "https://*.shop.example",
            "javascript:alert(1)",
            "https://",
            "https://a b",
            "https://x:99999999",
            "https://x;script-src *",
        ] {
            assert!(bad.parse::<Origin>().is_err(), "{bad}");
        }
    }

    #[test]
    fn appearance_takes_known_variables_with_plain_values() {
        let map = |k: &str, v: &str| BTreeMap::from([(k.to_owned(), v.to_owned())]);
        assert!(Appearance::try_from(map("colorPrimary", "#ff5b24")).is_ok());
        assert!(Appearance::try_from(map("colourPrimary", "#ff5b24")).is_err());
        assert!(Appearance::try_from(map("colorPrimary", "red;}")).is_err());
    }
}
