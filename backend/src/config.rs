//! The one `Config`, read from the environment once in `main` and passed down.
//! Every setting has an embedded default so the backend runs with nothing configured
//! in the sandbox; `PSP_MODE=production` refuses to start on the sandbox's defaults.

mod production;
mod server;
mod webhooks;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use secrecy::SecretString;
use shared::account::Origin;
use shared::sandbox;

pub use production::{AcquirerKind, Mode};
pub use server::ServerLimits;

/// Where the backend takes Content Security Policy reports (`POST`), and the default
/// `CSP_REPORT_URI`.
pub const CSP_REPORTS_PATH: &str = "/csp-reports";

#[derive(Debug, Clone)]
pub struct Config {
    /// `sandbox` (the default) or `production`, which refuses sandbox settings (`PSP_MODE`).
    pub mode: Mode,
    /// Which acquirer charges cards (`ACQUIRER`); only `test` exists today.
    pub acquirer: AcquirerKind,
    /// Header-read and request timeouts and the connection cap of the HTTP server.
    pub server: ServerLimits,
    /// Where to listen (`PSP_LISTEN`).
    pub listen: SocketAddr,
    /// How browsers and Vipps reach us, without a trailing slash (`PSP_PUBLIC_URL`).
    pub public_url: String,
    /// SQLite file, card key and generated merchant key live here (`PSP_DATA_DIR`).
    pub data_dir: PathBuf,
    /// Overrides the SQLite file in `data_dir` (`DATABASE_URL`).
    pub database_url: Option<String>,
    /// 64 hex digits sealing the idempotent answers kept in the database (`PSP_SECRET_KEY`);
    /// when unset one is generated into `data_dir/server-key`.
    pub server_key: Option<SecretString>,
    /// Guards the operator API (`OPERATOR_API_KEY`); when unset one is generated into
    /// `data_dir/operator-key`.
    pub operator_api_key: Option<SecretString>,
    /// The built widget, served at `/widget/` (`WIDGET_DIR`).
    pub widget_dir: PathBuf,
    /// Where `redoc.standalone.js` is, the script of the API reference at `/docs/api`
    /// (`API_DOCS_DIR`; xtask vendors it from npm).
    pub api_docs_dir: PathBuf,
    /// The built merchant dashboard, served at `/dashboard/` (`DASHBOARD_DIR`).
    pub dashboard_dir: PathBuf,
    pub vipps: VippsConfig,
    pub merchant: MerchantConfig,
    /// How long a shopper has to start a payment (`PAYMENT_TTL_SECONDS`).
    pub payment_ttl: Duration,
    /// The acquirer's deadline, well inside Vipps's 15 s (`ACQUIRER_TIMEOUT_MS`).
    pub acquirer_timeout: Duration,
    /// Widget reads allowed per payment and minute before 429 (`POLL_LIMIT_PER_MINUTE`).
    pub poll_limit_per_minute: u32,
    /// Widget starts, cancels and QR codes allowed per payment and minute, together
    /// (`WIDGET_ACTIONS_PER_MINUTE`).
    pub widget_actions_per_minute: u32,
    /// Widget requests failing authentication (wrong secret, unknown payment) allowed per
    /// client address (IPv6: per /64) and minute (`WIDGET_FAILURES_PER_MINUTE`).
    pub widget_failures_per_minute: u32,
    /// How often reconciliation runs (`RECONCILE_INTERVAL_MS`).
    pub reconcile_interval: Duration,
    /// A charge without an outcome for this long is failed and checked at the acquirer
    /// (`CHARGE_STUCK_AFTER_SECONDS`).
    pub stuck_after: Duration,
    /// A payment left in `Initiating` this long (the process died during Vipps's `init`)
    /// is settled by reconciliation with Vipps's `details` (`INITIATING_STUCK_AFTER_SECONDS`).
    pub initiating_stuck_after: Duration,
    /// Status-update delivery: poll interval, back-off (`OUTBOX_BASE_DELAY_MS`) and the lease
    /// an instance holds on a batch it sends (`OUTBOX_LEASE_MS`; a batch whose instance died
    /// waits this long for another).
    pub outbox: crate::outbox::OutboxConfig,
    /// Webhook delivery: timeout, retry window, back-off, private addresses (`WEBHOOK_…`).
    pub webhooks: crate::webhooks::WebhookConfig,
    /// How long the test acquirer takes to answer for its slow test card (`TEST_ACQUIRER_SLOW_MS`).
    pub test_acquirer_slow: Duration,
    /// The test acquirer's ledger (`TEST_ACQUIRER_LEDGER`): `test-acquirer.sqlite` in the
    /// data directory unless set. Instances that name one file share one acquirer.
    pub test_acquirer_ledger: Option<PathBuf>,
    /// A merchant request unanswered this long died with its instance; a repeat with its
    /// Idempotency-Key runs it again (`IDEMPOTENCY_STALE_AFTER_SECONDS`). Longer than any
    /// request takes.
    pub idempotency_stale_after: Duration,
    /// Where browsers report what our Content Security Policies blocked (`CSP_REPORT_URI`):
    /// our own `/csp-reports` (logged) unless an operator's collector is named.
    pub csp_report_uri: String,
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
    /// Origins whose pages may frame the widget (CSP `frame-ancestors`), from
    /// `MERCHANT_ALLOWED_ORIGINS` (space- or comma-separated).
    pub allowed_origins: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
#[error("{var}: {reason}")]
pub struct ConfigError {
    pub var: &'static str,
    pub reason: String,
}

/// Every setting found wrong, one per line, each starting with its variable's name.
#[derive(Debug, thiserror::Error)]
#[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
pub struct ConfigErrors(pub Vec<ConfigError>);

impl ConfigErrors {
    /// Whether `var` is among the settings found wrong.
    pub fn names(&self, var: &str) -> bool {
        self.0.iter().any(|e| e.var == var)
    }
}

impl From<ConfigError> for ConfigErrors {
    fn from(error: ConfigError) -> Self {
        Self(vec![error])
    }
}

impl Config {
    /// The sandbox defaults: local simulator, SQLite in `data_dir`, generated keys.
    pub fn sandbox(data_dir: PathBuf) -> Self {
        Self {
            mode: Mode::Sandbox,
            acquirer: AcquirerKind::Test,
            server: ServerLimits::default(),
            listen: SocketAddr::from(([127, 0, 0, 1], sandbox::BACKEND_PORT)),
            public_url: format!("http://localhost:{}", sandbox::BACKEND_PORT),
            data_dir,
            database_url: None,
            server_key: None,
            operator_api_key: None,
            widget_dir: PathBuf::from("frontend/dist"),
            api_docs_dir: PathBuf::from("target/tools/redoc"),
            dashboard_dir: PathBuf::from("dashboard/dist"),
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
                allowed_origins: vec![
                    format!("http://localhost:{}", sandbox::SHOP_PORT),
                    format!("http://127.0.0.1:{}", sandbox::SHOP_PORT),
                ],
            },
            payment_ttl: Duration::from_secs(30 * 60),
            acquirer_timeout: Duration::from_secs(10),
            poll_limit_per_minute: 60,
            widget_actions_per_minute: 20,
            widget_failures_per_minute: 60,
            reconcile_interval: Duration::from_secs(30),
            stuck_after: crate::reconcile::DEFAULT_STUCK_AFTER,
            initiating_stuck_after: crate::reconcile::DEFAULT_INITIATING_STUCK_AFTER,
            outbox: crate::outbox::OutboxConfig::default(),
            webhooks: webhooks::defaults(Mode::Sandbox),
            test_acquirer_slow: Duration::from_secs(20),
            test_acquirer_ledger: None,
            idempotency_stale_after: Duration::from_secs(60),
            csp_report_uri: CSP_REPORTS_PATH.to_owned(),
        }
    }

    /// From the process environment; see [`Config::from_vars`].
    pub fn from_env() -> Result<Self, ConfigErrors> {
        Self::from_vars(|name| std::env::var(name).ok())
    }

    /// From any variable source (`None` or blank is unset), so it is testable without
    /// touching the process environment. A value that does not parse stops at once;
    /// in production mode every refused setting is reported together.
    pub fn from_vars(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigErrors> {
        let var = |name: &'static str| lookup(name).filter(|v| !v.trim().is_empty());
        let set = |field: &mut String, name: &'static str| {
            if let Some(value) = var(name) {
                *field = value;
            }
        };
        let mut config =
            Self::sandbox(var("PSP_DATA_DIR").map_or_else(|| "data".into(), PathBuf::from));
        if let Some(mode) = var("PSP_MODE") {
            config.mode = mode.parse().map_err(|e| error("PSP_MODE", e))?;
        }
        if let Some(acquirer) = var("ACQUIRER") {
            config.acquirer = acquirer.parse().map_err(|e| error("ACQUIRER", e))?;
        }
        config.server = ServerLimits::from_vars(&var)?;
        config.webhooks = webhooks::from_vars(&var, config.mode)?;
        if let Some(listen) = var("PSP_LISTEN") {
            config.listen = listen.parse().map_err(|e| error("PSP_LISTEN", e))?;
        }
        config.public_url = var("PSP_PUBLIC_URL")
            .unwrap_or_else(|| format!("http://localhost:{}", config.listen.port()))
            .trim_end_matches('/')
            .to_owned();
        config.database_url = var("DATABASE_URL");
        if let Some(url) = &config.database_url {
            crate::database::Kind::of(url).map_err(|e| error("DATABASE_URL", e))?;
        }
        config.server_key = var("PSP_SECRET_KEY").map(SecretString::from);
        config.operator_api_key = var("OPERATOR_API_KEY").map(SecretString::from);
        if let Some(dir) = var("WIDGET_DIR") {
            config.widget_dir = dir.into();
        }
        if let Some(dir) = var("API_DOCS_DIR") {
            config.api_docs_dir = dir.into();
        }
        if let Some(dir) = var("DASHBOARD_DIR") {
            config.dashboard_dir = dir.into();
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
        if let Some(origins) = var("MERCHANT_ALLOWED_ORIGINS") {
            config.merchant.allowed_origins = parse_origins(&origins)?;
        }
        if let Some(ms) = var("RECONCILE_INTERVAL_MS") {
            config.reconcile_interval =
                Duration::from_millis(ms.parse().map_err(|e| error("RECONCILE_INTERVAL_MS", e))?);
        }
        if let Some(seconds) = var("CHARGE_STUCK_AFTER_SECONDS") {
            config.stuck_after = Duration::from_secs(
                seconds
                    .parse()
                    .map_err(|e| error("CHARGE_STUCK_AFTER_SECONDS", e))?,
            );
        }
        if let Some(seconds) = var("IDEMPOTENCY_STALE_AFTER_SECONDS") {
            config.idempotency_stale_after = Duration::from_secs(
                seconds
                    .parse()
                    .map_err(|e| error("IDEMPOTENCY_STALE_AFTER_SECONDS", e))?,
            );
        }
        if let Some(seconds) = var("INITIATING_STUCK_AFTER_SECONDS") {
            config.initiating_stuck_after = Duration::from_secs(
                seconds
                    .parse()
                    .map_err(|e| error("INITIATING_STUCK_AFTER_SECONDS", e))?,
            );
        }
        if let Some(ms) = var("OUTBOX_BASE_DELAY_MS") {
            config.outbox.base_delay =
                Duration::from_millis(ms.parse().map_err(|e| error("OUTBOX_BASE_DELAY_MS", e))?);
        }
        if let Some(ms) = var("OUTBOX_LEASE_MS") {
            config.outbox.lease =
                Duration::from_millis(ms.parse().map_err(|e| error("OUTBOX_LEASE_MS", e))?);
        }
        if let Some(ms) = var("TEST_ACQUIRER_SLOW_MS") {
            config.test_acquirer_slow =
                Duration::from_millis(ms.parse().map_err(|e| error("TEST_ACQUIRER_SLOW_MS", e))?);
        }
        config.test_acquirer_ledger = var("TEST_ACQUIRER_LEDGER").map(PathBuf::from);
        if let Some(limit) = var("POLL_LIMIT_PER_MINUTE") {
            config.poll_limit_per_minute = limit
                .parse()
                .map_err(|e| error("POLL_LIMIT_PER_MINUTE", e))?;
        }
        if let Some(limit) = var("WIDGET_ACTIONS_PER_MINUTE") {
            config.widget_actions_per_minute = per_minute("WIDGET_ACTIONS_PER_MINUTE", &limit)?;
        }
        if let Some(limit) = var("WIDGET_FAILURES_PER_MINUTE") {
            config.widget_failures_per_minute = per_minute("WIDGET_FAILURES_PER_MINUTE", &limit)?;
        }
        if let Some(ttl) = var("PAYMENT_TTL_SECONDS") {
            let seconds = ttl.parse().map_err(|e| error("PAYMENT_TTL_SECONDS", e))?;
            config.payment_ttl = Duration::from_secs(seconds);
        }
        if let Some(ms) = var("ACQUIRER_TIMEOUT_MS") {
            let ms: u64 = ms.parse().map_err(|e| error("ACQUIRER_TIMEOUT_MS", e))?;
            if ms > 14_000 {
                return Err(error("ACQUIRER_TIMEOUT_MS", "must stay below Vipps's 15 s").into());
            }
            config.acquirer_timeout = Duration::from_millis(ms);
        }
        if let Some(uri) = var("CSP_REPORT_URI") {
            config.csp_report_uri = parse_report_uri(&uri)?;
        }
        if config.idempotency_stale_after <= config.acquirer_timeout.saturating_mul(2) {
            // A request runs at most two acquirer deadlines (a charge or an operation, and
            // a lookup): one younger than that may still be live and must not be run again.
            return Err(error(
                "IDEMPOTENCY_STALE_AFTER_SECONDS",
                "must be more than twice ACQUIRER_TIMEOUT_MS",
            )
            .into());
        }
        if !is_six_digits(&config.merchant.serial_number) {
            return Err(error("VIPPS_MSN", "a Merchant Serial Number is 6 digits").into());
        }
        let origins_set = var("MERCHANT_ALLOWED_ORIGINS").is_some();
        production::refusals(&config, origins_set).map(|()| config)
    }
}

/// A rate of at least 1 a minute.
fn per_minute(name: &'static str, value: &str) -> Result<u32, ConfigError> {
    match value.parse() {
        Ok(0) => Err(error(name, "must be at least 1")),
        Ok(n) => Ok(n),
        Err(e) => Err(error(name, e)),
    }
}

pub(crate) fn error(var: &'static str, reason: impl ToString) -> ConfigError {
    ConfigError {
        var,
        reason: reason.to_string(),
    }
}

/// A path on our origin or an http(s) URL, with nothing that could end the CSP directive.
fn parse_report_uri(uri: &str) -> Result<String, ConfigError> {
    let uri = uri.trim();
    let shaped = uri.starts_with('/') || uri.starts_with("https://") || uri.starts_with("http://");
    let clean = !uri
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || ";,'\"".contains(c));
    if shaped && clean {
        Ok(uri.to_owned())
    } else {
        Err(error(
            "CSP_REPORT_URI",
            format!("{uri:?} is not a path like /csp-reports or an http(s) URL"),
        ))
    }
}

/// `https://shop.example http://localhost:4002` → the origins, each checked.
fn parse_origins(list: &str) -> Result<Vec<String>, ConfigError> {
    list.split([' ', ','])
        .filter(|o| !o.is_empty())
        .map(parse_origin)
        .collect()
}

fn parse_origin(origin: &str) -> Result<String, ConfigError> {
    origin
        .parse::<Origin>()
        .map(String::from)
        .map_err(|e| error("MERCHANT_ALLOWED_ORIGINS", format!("{origin:?}: {e}")))
}

fn is_six_digits(s: &str) -> bool {
    s.len() == 6 && s.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allowed_origins_are_origins_and_nothing_else() {
        let parsed = parse_origins("https://shop.example, http://localhost:4002");
        assert_eq!(
            parsed.ok(),
            Some(vec![
                "https://shop.example".to_owned(),
                "http://localhost:4002".to_owned()
            ])
        );
        for bad in [
            "shop.example",
            "https://shop.example/path",
            "https://x; script-src *",
            "javascript:alert(1)",
        ] {
            assert!(parse_origins(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_report_uri_cannot_add_a_directive_to_the_policy() {
        for good in ["/csp-reports", "https://reports.example/csp?app=psp"] {
            assert_eq!(parse_report_uri(good).ok().as_deref(), Some(good));
        }
        for bad in [
            "csp",
            "/r; script-src *",
            "/r 'unsafe-inline'",
            "javascript:x",
            "/a,b",
        ] {
            assert!(parse_report_uri(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_key_may_be_taken_over_only_after_any_live_request_is_done() {
        let with = |stale: &'static str| {
            Config::from_vars(move |name| match name {
                "ACQUIRER_TIMEOUT_MS" => Some("5000".to_owned()),
                "IDEMPOTENCY_STALE_AFTER_SECONDS" => Some(stale.to_owned()),
                _ => None,
            })
        };
        let refused = with("10")
            .err()
            .map(|e| format!("{e:?}"))
            .unwrap_or_default();
        assert!(
            refused.contains("IDEMPOTENCY_STALE_AFTER_SECONDS"),
            "{refused}"
        );
        let accepted = with("11").map(|c| c.idempotency_stale_after);
        assert_eq!(accepted.ok(), Some(Duration::from_secs(11)));
    }
}
