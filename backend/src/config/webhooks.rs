//! The webhook worker's settings: delivery timeout, retry window and back-off, and whether
//! endpoints may be on private addresses (on in the sandbox, refused in production).

use std::time::Duration;

use super::server::millis;
use super::{ConfigError, Mode, error};
use crate::webhooks::WebhookConfig;

/// The defaults of `mode`, overridden by `WEBHOOK_TIMEOUT_MS`, `WEBHOOK_RETRY_WINDOW_SECONDS`,
/// `WEBHOOK_BASE_DELAY_MS`, `WEBHOOK_MAX_DELAY_MS` and `WEBHOOK_ALLOW_PRIVATE_ADDRESSES`.
pub(super) fn from_vars(
    var: &impl Fn(&'static str) -> Option<String>,
    mode: Mode,
) -> Result<WebhookConfig, ConfigError> {
    let mut config = defaults(mode);
    if let Some(timeout) = millis(var, "WEBHOOK_TIMEOUT_MS")? {
        if timeout.is_zero() {
            return Err(error("WEBHOOK_TIMEOUT_MS", "must be above 0"));
        }
        config.timeout = timeout;
    }
    if let Some(seconds) = var("WEBHOOK_RETRY_WINDOW_SECONDS") {
        let seconds: u64 = seconds
            .parse()
            .map_err(|e| error("WEBHOOK_RETRY_WINDOW_SECONDS", e))?;
        config.retry_window = Duration::from_secs(seconds);
    }
    if let Some(delay) = millis(var, "WEBHOOK_BASE_DELAY_MS")? {
        config.base_delay = delay;
    }
    if let Some(delay) = millis(var, "WEBHOOK_MAX_DELAY_MS")? {
        config.max_delay = delay;
    }
    if let Some(allow) = var("WEBHOOK_ALLOW_PRIVATE_ADDRESSES") {
        config.allow_private_addresses = match allow.trim() {
            "true" | "1" => true,
            "false" | "0" => false,
            other => {
                let reason = format!("{other:?} is not true or false");
                return Err(error("WEBHOOK_ALLOW_PRIVATE_ADDRESSES", reason));
            }
        };
    }
    Ok(config)
}

/// The sandbox delivers to the demo shop on localhost; production only to public addresses.
pub(super) fn defaults(mode: Mode) -> WebhookConfig {
    WebhookConfig {
        allow_private_addresses: match mode {
            Mode::Sandbox => true,
            Mode::Production => false,
        },
        ..WebhookConfig::default()
    }
}
