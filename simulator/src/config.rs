//! The simulator's one `Config`: sandbox defaults, overridable from the environment.

use std::path::PathBuf;
use std::time::Duration;

use aws_lc_rs::rsa::PublicEncryptingKey;
use shared::sandbox;

use crate::merchant_config::{configured_merchants, sandbox_merchants};
pub use crate::merchants::Merchant;
use crate::merchants::MerchantError;

/// Where the PSP's public key is read from when `PSP_PUBLIC_KEY_FILE` is not set.
pub const DEFAULT_PUBLIC_KEY_FILE: &str = "data/card-key.pub.der";
/// Where `main` listens when `SIM_LISTEN` is not set.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:4001";
const DEFAULT_PUBLIC_URL: &str = "http://localhost:4001";
const DEFAULT_TOKEN_TTL: Duration = Duration::from_secs(3600);
/// Vipps answers `TIMEOUT` for a shopper who has not acted within this (upstream: 5–10 min).
pub const DEFAULT_SHOPPER_TIMEOUT: Duration = Duration::from_secs(300);

/// Everything the simulator needs, read once in `main` and passed down.
#[derive(Clone)]
pub struct Config {
    /// Base of `vippsRedirectUrl` and of the phone app's links, e.g. `http://localhost:4001`.
    pub public_url: String,
    pub client_id: String,
    pub client_secret: String,
    pub subscription_key: String,
    pub psp_id: String,
    /// The sales units Vipps knows at start (more can be added at runtime through
    /// `PUT /sim/merchants/{msn}`); the first is the one `VIPPS_MSN`/`MERCHANT_NAME` set.
    pub merchants: Vec<Merchant>,
    /// The PSP's RSA public key (X.509 SubjectPublicKeyInfo, DER) that encrypts `cardData`.
    pub psp_public_key_der: Vec<u8>,
    /// Lifetime of the access tokens `/accesstoken/get` issues.
    pub token_ttl: Duration,
    /// How long a payment waits for the shopper before Vipps sends makePayment `TIMEOUT`.
    pub shopper_timeout: Duration,
}

impl std::fmt::Debug for Config {
    /// Secrets masked, the key only by size.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("public_url", &self.public_url)
            .field("client_id", &self.client_id)
            .field("client_secret", &"***")
            .field("subscription_key", &"***")
            .field("psp_id", &self.psp_id)
            .field("merchants", &self.merchants)
            .field(
                "psp_public_key_der",
                &format_args!("<{} bytes>", self.psp_public_key_der.len()),
            )
            .field("token_ttl", &self.token_ttl)
            .field("shopper_timeout", &self.shopper_timeout)
            .finish()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("environment variable {0} is not valid unicode")]
    NotUnicode(&'static str),
    #[error(
        "cannot read the PSP public key file {path} (set PSP_PUBLIC_KEY_FILE to the PSP's \
         RSA public key, X.509 SubjectPublicKeyInfo DER): {source}"
    )]
    KeyFile {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "{path} is not an RSA public key in X.509 SubjectPublicKeyInfo DER (PSP_PUBLIC_KEY_FILE)"
    )]
    InvalidKey { path: PathBuf },
    #[error("{name}: {source}")]
    Merchants {
        name: &'static str,
        #[source]
        source: MerchantError,
    },
    #[error("{name} must be {expected}, not {value:?}")]
    Invalid {
        name: &'static str,
        value: String,
        expected: &'static str,
    },
}

impl Config {
    /// The sandbox defaults (`shared::sandbox`) with the given public URL and PSP key.
    pub fn sandbox(public_url: impl Into<String>, psp_public_key_der: Vec<u8>) -> Self {
        Self {
            public_url: public_url.into(),
            client_id: sandbox::CLIENT_ID.to_owned(),
            client_secret: sandbox::CLIENT_SECRET.to_owned(),
            subscription_key: sandbox::SUBSCRIPTION_KEY.to_owned(),
            psp_id: sandbox::PSP_ID.to_owned(),
            merchants: sandbox_merchants(),
            psp_public_key_der,
            token_ttl: DEFAULT_TOKEN_TTL,
            shopper_timeout: DEFAULT_SHOPPER_TIMEOUT,
        }
    }

    /// Embedded defaults (`shared::sandbox`), overridden by `SIM_PUBLIC_URL`, `VIPPS_CLIENT_ID`,
    /// `VIPPS_CLIENT_SECRET`, `VIPPS_SUBSCRIPTION_KEY`, `VIPPS_PSP_ID`, `SIM_MERCHANTS`
    /// (`MSN=name,…`), `VIPPS_MSN` and `MERCHANT_NAME` (they replace the first merchant),
    /// `SIM_SHOPPER_TIMEOUT_SECONDS`; the key is read from
    /// `PSP_PUBLIC_KEY_FILE` (default `data/card-key.pub.der`). `SIM_LISTEN` is `main`'s business.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(std::env::var)
    }

    /// `from_env` over any variable source, so it can be tested without touching the process.
    pub fn from_lookup(
        lookup: impl Fn(&'static str) -> Result<String, std::env::VarError>,
    ) -> Result<Self, ConfigError> {
        let var = |name: &'static str, default: &str| match lookup(name) {
            Ok(value) if !value.trim().is_empty() => Ok(value.trim().to_owned()),
            Ok(_) | Err(std::env::VarError::NotPresent) => Ok(default.to_owned()),
            Err(std::env::VarError::NotUnicode(_)) => Err(ConfigError::NotUnicode(name)),
        };
        let path = PathBuf::from(var("PSP_PUBLIC_KEY_FILE", DEFAULT_PUBLIC_KEY_FILE)?);
        let der = std::fs::read(&path).map_err(|source| ConfigError::KeyFile {
            path: path.clone(),
            source,
        })?;
        if PublicEncryptingKey::from_der(&der).is_err() {
            return Err(ConfigError::InvalidKey { path });
        }
        let mut config = Self::sandbox(var("SIM_PUBLIC_URL", DEFAULT_PUBLIC_URL)?, der);
        config.public_url = config.public_url.trim_end_matches('/').to_owned();
        config.client_id = var("VIPPS_CLIENT_ID", sandbox::CLIENT_ID)?;
        config.client_secret = var("VIPPS_CLIENT_SECRET", sandbox::CLIENT_SECRET)?;
        config.subscription_key = var("VIPPS_SUBSCRIPTION_KEY", sandbox::SUBSCRIPTION_KEY)?;
        config.psp_id = var("VIPPS_PSP_ID", sandbox::PSP_ID)?;
        config.merchants = configured_merchants(
            &var("SIM_MERCHANTS", "")?,
            Some(var("VIPPS_MSN", "")?).filter(|v| !v.is_empty()),
            Some(var("MERCHANT_NAME", "")?).filter(|v| !v.is_empty()),
        )?;
        let name = "SIM_SHOPPER_TIMEOUT_SECONDS";
        let seconds = var(name, &DEFAULT_SHOPPER_TIMEOUT.as_secs().to_string())?;
        config.shopper_timeout = seconds
            .parse::<u64>()
            .ok()
            .filter(|s| *s >= 1)
            .map(Duration::from_secs)
            .ok_or(ConfigError::Invalid {
                name,
                value: seconds,
                expected: "a whole number of seconds, at least 1",
            })?;
        Ok(config)
    }

    /// The configured merchant with this serial number.
    pub fn merchant(&self, serial_number: &str) -> Option<&Merchant> {
        self.merchants
            .iter()
            .find(|m| m.serial_number == serial_number)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::env::VarError;

    use aws_lc_rs::encoding::AsDer;
    use aws_lc_rs::rsa::{KeySize, PrivateDecryptingKey};

    use super::*;

    fn lookup(
        vars: HashMap<&'static str, String>,
    ) -> impl Fn(&'static str) -> Result<String, VarError> {
        move |name| vars.get(name).cloned().ok_or(VarError::NotPresent)
    }

    /// A fresh PSP public key in a temporary file named after `tag`.
    fn key_file(tag: &str) -> PathBuf {
        let Ok(key) = PrivateDecryptingKey::generate(KeySize::Rsa2048) else {
            unreachable!()
        };
        let Ok(der) = key.public_key().as_der() else {
            unreachable!()
        };
        let name = format!("sim-config-{tag}-{}.der", std::process::id());
        let path = std::env::temp_dir().join(name);
        assert!(std::fs::write(&path, der.as_ref()).is_ok());
        path
    }

    #[test]
    fn a_missing_key_file_is_named_in_the_error() {
        let vars = HashMap::from([("PSP_PUBLIC_KEY_FILE", "/nonexistent/key.der".to_owned())]);
        let Err(err) = Config::from_lookup(lookup(vars)) else {
            unreachable!("the file does not exist")
        };
        assert!(err.to_string().contains("/nonexistent/key.der"), "{err}");
    }

    #[test]
    fn a_bad_shopper_timeout_is_named_in_the_error() {
        let path = key_file("timeout");
        for bad in ["0", "soon", "-5"] {
            let vars = HashMap::from([
                ("PSP_PUBLIC_KEY_FILE", path.display().to_string()),
                ("SIM_SHOPPER_TIMEOUT_SECONDS", bad.to_owned()),
            ]);
            let result = Config::from_lookup(lookup(vars));
            assert!(
                result.is_err_and(|err| err.to_string().contains("SIM_SHOPPER_TIMEOUT_SECONDS")),
                "{bad} is not a timeout"
            );
        }
        let _ = std::fs::remove_file(&path);
    }

    #[test]
    fn environment_overrides_the_sandbox_defaults() {
        let path = key_file("overrides");
        let vars = HashMap::from([
            ("PSP_PUBLIC_KEY_FILE", path.display().to_string()),
            ("SIM_PUBLIC_URL", "http://sim.test:9/".to_owned()),
            ("VIPPS_MSN", "654321".to_owned()),
            ("SIM_SHOPPER_TIMEOUT_SECONDS", "42".to_owned()),
        ]);
        let config = Config::from_lookup(lookup(vars));
        let _ = std::fs::remove_file(&path);
        let Ok(config) = config else {
            unreachable!("valid config")
        };
        assert_eq!(config.public_url, "http://sim.test:9");
        assert_eq!(config.client_id, sandbox::CLIENT_ID);
        assert_eq!(config.merchants.len(), 1);
        assert!(
            config
                .merchant("654321")
                .is_some_and(|m| m.name == sandbox::MERCHANT_NAME)
        );
        assert_eq!(config.token_ttl, DEFAULT_TOKEN_TTL);
        assert_eq!(config.shopper_timeout, Duration::from_secs(42));
        assert!(!format!("{config:?}").contains(shared::sandbox::CLIENT_SECRET));
    }
}
