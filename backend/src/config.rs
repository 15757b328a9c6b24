//! The one `Config`, read from the environment once in `main` and passed down.
//! Every setting has an embedded default so the backend runs with nothing configured.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use secrecy::SecretString;
use shared::sandbox;

#[derive(Debug, Clone)]
pub struct Config {
    /// Where to listen (`PSP_LISTEN`).
    pub listen: SocketAddr,
    /// How browsers and Vipps reach us, without a trailing slash (`PSP_PUBLIC_URL`).
    pub public_url: String,
    /// SQLite file, card key and generated merchant key live here (`PSP_DATA_DIR`).
    pub data_dir: PathBuf,
    /// Overrides the SQLite file in `data_dir` (`DATABASE_URL`).
    pub database_url: Option<String>,
    /// The built widget, served at `/widget/` (`WIDGET_DIR`).
    pub widget_dir: PathBuf,
    pub vipps: VippsConfig,
    pub merchant: MerchantConfig,
    /// How long a shopper has to start a payment (`PAYMENT_TTL_SECONDS`).
    pub payment_ttl: Duration,
    /// The acquirer's deadline, well inside Vipps's 15 s (`ACQUIRER_TIMEOUT_MS`).
    pub acquirer_timeout: Duration,
}

#[derive(Debug, Clone)]
pub struct VippsConfig {
    /// Host of the Vipps API (`VIPPS_BASE_URL`); the PSP API is under `/psp`.
    pub base_url: String,
    pub client_id: String,
    pub client_secret: SecretString,
    pub subscription_key: SecretString,
    pub psp_id: String,
}

#[derive(Debug, Clone)]
pub struct MerchantConfig {
    pub name: String,
    /// Vipps's Merchant Serial Number of the sales unit (`VIPPS_MSN`).
    pub serial_number: String,
    /// `MERCHANT_API_KEY`; when unset one is generated into `data_dir/merchant-key`.
    pub api_key: Option<SecretString>,
}

#[derive(Debug, thiserror::Error)]
#[error("{var}: {reason}")]
pub struct ConfigError {
    pub var: &'static str,
    pub reason: String,
}

impl Config {
    /// The sandbox defaults: local simulator, SQLite in `data_dir`, generated keys.
    pub fn sandbox(data_dir: PathBuf) -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], sandbox::BACKEND_PORT)),
            public_url: format!("http://localhost:{}", sandbox::BACKEND_PORT),
            data_dir,
            database_url: None,
            widget_dir: PathBuf::from("frontend/dist"),
            vipps: VippsConfig {
                base_url: format!("http://localhost:{}", sandbox::SIMULATOR_PORT),
                client_id: sandbox::CLIENT_ID.to_owned(),
                client_secret: sandbox::CLIENT_SECRET.into(),
                subscription_key: sandbox::SUBSCRIPTION_KEY.into(),
                psp_id: sandbox::PSP_ID.to_owned(),
            },
            merchant: MerchantConfig {
                name: sandbox::MERCHANT_NAME.to_owned(),
                serial_number: sandbox::MERCHANT_SERIAL_NUMBER.to_owned(),
                api_key: None,
            },
            payment_ttl: Duration::from_secs(30 * 60),
            acquirer_timeout: Duration::from_secs(10),
        }
    }

    pub fn from_env() -> Result<Self, ConfigError> {
        let mut config =
            Self::sandbox(var("PSP_DATA_DIR").map_or_else(|| "data".into(), PathBuf::from));
        if let Some(listen) = var("PSP_LISTEN") {
            config.listen = listen.parse().map_err(|e| error("PSP_LISTEN", e))?;
        }
        config.public_url = var("PSP_PUBLIC_URL")
            .unwrap_or_else(|| format!("http://localhost:{}", config.listen.port()))
            .trim_end_matches('/')
            .to_owned();
        config.database_url = var("DATABASE_URL");
        if let Some(dir) = var("WIDGET_DIR") {
            config.widget_dir = dir.into();
        }
        let vipps = &mut config.vipps;
        set(&mut vipps.base_url, "VIPPS_BASE_URL");
        vipps.base_url = vipps.base_url.trim_end_matches('/').to_owned();
        set(&mut vipps.client_id, "VIPPS_CLIENT_ID");
        set(&mut vipps.psp_id, "VIPPS_PSP_ID");
        if let Some(secret) = var("VIPPS_CLIENT_SECRET") {
            vipps.client_secret = secret.into();
        }
        if let Some(key) = var("VIPPS_SUBSCRIPTION_KEY") {
            vipps.subscription_key = key.into();
        }
        set(&mut config.merchant.name, "MERCHANT_NAME");
        set(&mut config.merchant.serial_number, "VIPPS_MSN");
        config.merchant.api_key = var("MERCHANT_API_KEY").map(SecretString::from);
        if let Some(ttl) = var("PAYMENT_TTL_SECONDS") {
            let seconds = ttl.parse().map_err(|e| error("PAYMENT_TTL_SECONDS", e))?;
            config.payment_ttl = Duration::from_secs(seconds);
        }
        if let Some(ms) = var("ACQUIRER_TIMEOUT_MS") {
            let ms: u64 = ms.parse().map_err(|e| error("ACQUIRER_TIMEOUT_MS", e))?;
            if ms > 14_000 {
                return Err(error("ACQUIRER_TIMEOUT_MS", "must stay below Vipps's 15 s"));
            }
            config.acquirer_timeout = Duration::from_millis(ms);
        }
        if !is_six_digits(&config.merchant.serial_number) {
            return Err(error("VIPPS_MSN", "a Merchant Serial Number is 6 digits"));
        }
        Ok(config)
    }
}

fn var(name: &'static str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn set(field: &mut String, name: &'static str) {
    if let Some(value) = var(name) {
        *field = value;
    }
}

fn error(var: &'static str, reason: impl ToString) -> ConfigError {
    ConfigError {
        var,
        reason: reason.to_string(),
    }
}

fn is_six_digits(s: &str) -> bool {
    s.len() == 6 && s.bytes().all(|b| b.is_ascii_digit())
}
