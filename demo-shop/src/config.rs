//! The shop's configuration: where the PSP is, the merchant's secret API key, where the
//! shop keeps its orders, and how the PSP's webhooks reach it and are verified.

use std::fmt;
use std::path::{Path, PathBuf};

use shared::sandbox::{BACKEND_PORT, SHOP_PORT};
use shared::webhooks::EndpointUrl;
use standardwebhooks::Webhook;

/// Everything the shop needs to talk to the PSP; read once in `main`.
#[derive(Clone)]
pub struct Config {
    /// Server-to-server base URL of the PSP's merchant API, e.g. `http://localhost:4000`.
    pub psp_api_url: String,
    /// Browser-facing origin that serves `checkout.js`. Usually `psp_api_url`; differs when
    /// the widget runs under `trunk serve`.
    pub psp_checkout_url: String,
    /// The merchant's secret key for the PSP's merchant API. Never sent to the browser.
    pub merchant_api_key: String,
    /// Where the orders file lives (`orders.json`).
    pub data_dir: PathBuf,
    /// Where the PSP delivers webhooks: `{SHOP_PUBLIC_URL}/webhooks`.
    pub webhook_url: EndpointUrl,
    /// A `whsec_…` secret to verify webhooks with; when set, the shop registers no endpoint.
    pub webhook_secret: Option<String>,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("psp_api_url", &self.psp_api_url)
            .field("psp_checkout_url", &self.psp_checkout_url)
            .field("merchant_api_key", &"[redacted]")
            .field("data_dir", &self.data_dir)
            .field("webhook_url", &self.webhook_url)
            .field(
                "webhook_secret",
                &self.webhook_secret.as_ref().map(|_| "[redacted]"),
            )
            .finish()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error(
        "MERCHANT_API_KEY is not set and the key file {path} (MERCHANT_API_KEY_FILE) \
         could not be read: {source}. Start the backend once to generate it, or set MERCHANT_API_KEY."
    )]
    KeyFile {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the merchant key in {0} (MERCHANT_API_KEY_FILE) is empty")]
    EmptyKeyFile(PathBuf),
    #[error("SHOP_PUBLIC_URL must be the shop's absolute http(s) URL, not {0:?}")]
    PublicUrl(String),
    #[error("SHOP_WEBHOOK_SECRET must be a Standard Webhooks secret (whsec_ + base64)")]
    WebhookSecret,
}

/// Where the backend writes the merchant key on first start, relative to the workspace.
pub const DEFAULT_KEY_FILE: &str = "data/merchant-key";
/// Where the shop keeps its orders when `SHOP_DATA_DIR` is not set.
pub const DEFAULT_DATA_DIR: &str = "data/shop";

impl Config {
    /// Reads `PSP_API_URL`, `PSP_CHECKOUT_URL`, `MERCHANT_API_KEY` or `MERCHANT_API_KEY_FILE`,
    /// `SHOP_DATA_DIR`, `SHOP_PUBLIC_URL`, `SHOP_WEBHOOK_SECRET`.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// [`Config::from_env`] with the environment given as a function; empty values count as unset.
    pub fn from_lookup(var: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let var = |name: &str| var(name).filter(|value| !value.trim().is_empty());
        let psp_api_url = var("PSP_API_URL").map_or_else(
            || format!("http://localhost:{BACKEND_PORT}"),
            |url| trim_url(&url),
        );
        let psp_checkout_url =
            var("PSP_CHECKOUT_URL").map_or_else(|| psp_api_url.clone(), |url| trim_url(&url));
        let merchant_api_key = match var("MERCHANT_API_KEY") {
            Some(key) => key.trim().to_owned(),
            None => read_key_file(Path::new(
                &var("MERCHANT_API_KEY_FILE").unwrap_or_else(|| DEFAULT_KEY_FILE.to_owned()),
            ))?,
        };
        let public_url = var("SHOP_PUBLIC_URL").map_or_else(
            || format!("http://localhost:{SHOP_PORT}"),
            |url| trim_url(&url),
        );
        let webhook_url = EndpointUrl::try_from(format!("{public_url}/webhooks"))
            .map_err(|_| ConfigError::PublicUrl(public_url))?;
        let webhook_secret = var("SHOP_WEBHOOK_SECRET").map(|s| s.trim().to_owned());
        if let Some(secret) = &webhook_secret
            && (!secret.starts_with("whsec_") || Webhook::new(secret).is_err())
        {
            return Err(ConfigError::WebhookSecret);
        }
        Ok(Self {
            psp_api_url,
            psp_checkout_url,
            merchant_api_key,
            data_dir: PathBuf::from(
                var("SHOP_DATA_DIR").unwrap_or_else(|| DEFAULT_DATA_DIR.to_owned()),
            ),
            webhook_url,
            webhook_secret,
        })
    }
}

fn trim_url(url: &str) -> String {
    url.trim().trim_end_matches('/').to_owned()
}

fn read_key_file(path: &Path) -> Result<String, ConfigError> {
    let key = std::fs::read_to_string(path).map_err(|source| ConfigError::KeyFile {
        path: path.to_owned(),
        source,
    })?;
    let key = key.trim();
    if key.is_empty() {
        return Err(ConfigError::EmptyKeyFile(path.to_owned()));
    }
    Ok(key.to_owned())
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn lookup(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |name| vars.get(name).cloned()
    }

    #[test]
    fn checkout_url_defaults_to_the_api_url() -> Result<(), ConfigError> {
        let config = Config::from_lookup(lookup(&[
            ("PSP_API_URL", "http://psp.test:4000/"),
            ("MERCHANT_API_KEY", "sk_test\n"),
        ]))?;
        assert_eq!(config.psp_api_url, "http://psp.test:4000");
        assert_eq!(config.psp_checkout_url, "http://psp.test:4000");
        assert_eq!(config.merchant_api_key, "sk_test");
        Ok(())
    }

    #[test]
    fn key_is_read_from_the_key_file_when_not_in_the_environment()
    -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let file = dir.path().join("merchant-key");
        std::fs::write(&file, "sk_from_file\n")?;
        let file = file.to_string_lossy().into_owned();
        let config = Config::from_lookup(lookup(&[
            ("MERCHANT_API_KEY_FILE", &file),
            ("PSP_CHECKOUT_URL", "http://localhost:8080"),
        ]))?;
        assert_eq!(config.merchant_api_key, "sk_from_file");
        assert_eq!(config.psp_api_url, "http://localhost:4000");
        assert_eq!(config.psp_checkout_url, "http://localhost:8080");
        Ok(())
    }

    #[test]
    fn missing_key_file_names_the_variable_and_the_file() {
        let err = Config::from_lookup(lookup(&[("MERCHANT_API_KEY_FILE", "/nonexistent/key")]));
        let message = err
            .map(|_| ())
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(message.contains("MERCHANT_API_KEY_FILE"), "{message}");
        assert!(message.contains("/nonexistent/key"), "{message}");
    }

    #[test]
    fn debug_does_not_show_the_key() -> Result<(), ConfigError> {
        let config = Config::from_lookup(lookup(&[
            ("MERCHANT_API_KEY", "sk_secret"),
            ("SHOP_WEBHOOK_SECRET", "whsec_c2VjcmV0"),
        ]))?;
        let debug = format!("{config:?}");
        assert!(
            !debug.contains("sk_secret") && !debug.contains("whsec_"),
            "{debug}"
        );
        Ok(())
    }

    #[test]
    fn webhooks_come_to_the_public_url_and_orders_live_in_the_data_dir() -> Result<(), ConfigError>
    {
        let defaults = Config::from_lookup(lookup(&[("MERCHANT_API_KEY", "sk")]))?;
        assert_eq!(
            defaults.webhook_url.as_str(),
            "http://localhost:4002/webhooks"
        );
        assert_eq!(defaults.data_dir, PathBuf::from("data/shop"));
        assert_eq!(defaults.webhook_secret, None);
        let set = Config::from_lookup(lookup(&[
            ("MERCHANT_API_KEY", "sk"),
            ("SHOP_PUBLIC_URL", "https://shop.example/"),
            ("SHOP_DATA_DIR", "/var/shop"),
        ]))?;
        assert_eq!(set.webhook_url.as_str(), "https://shop.example/webhooks");
        assert_eq!(set.data_dir, PathBuf::from("/var/shop"));
        Ok(())
    }

    #[test]
    fn a_bad_public_url_or_webhook_secret_names_the_variable() {
        for (name, value) in [
            ("SHOP_PUBLIC_URL", "shop.example"),
            ("SHOP_WEBHOOK_SECRET", "not-a-secret"),
            ("SHOP_WEBHOOK_SECRET", "whsec_!!!"),
        ] {
            let result = Config::from_lookup(lookup(&[("MERCHANT_API_KEY", "sk"), (name, value)]));
            assert!(
                result.is_err_and(|e| e.to_string().contains(name)),
                "{name}={value}"
            );
        }
    }
}
