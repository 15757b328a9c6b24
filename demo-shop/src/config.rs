//! The shop's configuration: where the PSP is and the merchant's secret API key.

use std::fmt;
use std::path::{Path, PathBuf};

use shared::sandbox::BACKEND_PORT;

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
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("psp_api_url", &self.psp_api_url)
            .field("psp_checkout_url", &self.psp_checkout_url)
            .field("merchant_api_key", &"[redacted]")
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
}

/// Where the backend writes the merchant key on first start, relative to the workspace.
pub const DEFAULT_KEY_FILE: &str = "data/merchant-key";

impl Config {
    /// Reads `PSP_API_URL`, `PSP_CHECKOUT_URL`, `MERCHANT_API_KEY` or `MERCHANT_API_KEY_FILE`.
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
        Ok(Self {
            psp_api_url,
            psp_checkout_url,
            merchant_api_key,
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
    fn debug_does_not_show_the_key() {
        let config = Config {
            psp_api_url: "http://a".to_owned(),
            psp_checkout_url: "http://a".to_owned(),
            merchant_api_key: "sk_secret".to_owned(),
        };
        assert!(!format!("{config:?}").contains("sk_secret"));
    }
}
