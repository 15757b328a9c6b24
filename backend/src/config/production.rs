//! Production mode (`PSP_MODE=production`): the backend refuses to start on anything that
//! only makes sense offline — the sandbox's Vipps credentials, the test acquirer, plain
//! http towards Vipps or browsers, the demo shop's origins — and names every such setting.

use std::str::FromStr;

use secrecy::ExposeSecret;
use shared::sandbox;

use super::{Config, ConfigError, ConfigErrors, error};

/// `PSP_MODE`: how much the configuration is trusted to be real.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// Runs with nothing configured, against the local simulator (the default).
    #[default]
    Sandbox,
    /// Real money: refuses the sandbox's defaults.
    Production,
}

impl FromStr for Mode {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "sandbox" => Ok(Self::Sandbox),
            "production" => Ok(Self::Production),
            other => Err(format!("{other:?} is neither `sandbox` nor `production`")),
        }
    }
}

/// `ACQUIRER`: who charges the card. Only the test acquirer exists so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AcquirerKind {
    /// Approves or declines by test card number; moves no money.
    #[default]
    Test,
}

impl FromStr for AcquirerKind {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "test" => Ok(Self::Test),
            other => Err(format!(
                "{other:?} is not an acquirer; the only one is `test`"
            )),
        }
    }
}

/// In production mode, every setting that must not be used there; nothing in sandbox mode.
/// `origins_set`: whether `MERCHANT_ALLOWED_ORIGINS` was given (else the demo shop's apply).
pub(super) fn refusals(config: &Config, origins_set: bool) -> Result<(), ConfigErrors> {
    match config.mode {
        Mode::Sandbox => Ok(()),
        Mode::Production => {
            let found = production_refusals(config, origins_set);
            if found.is_empty() {
                Ok(())
            } else {
                Err(ConfigErrors(found))
            }
        }
    }
}

fn production_refusals(config: &Config, origins_set: bool) -> Vec<ConfigError> {
    let vipps = &config.vipps;
    let sandbox_value = "is the offline sandbox's value; set the one Vipps gave you";
    let mut found = Vec::new();
    let mut refuse = |wrong: bool, var, reason: &str| {
        if wrong {
            found.push(error(var, reason));
        }
    };
    refuse(
        vipps.client_id == sandbox::CLIENT_ID,
        "VIPPS_CLIENT_ID",
        sandbox_value,
    );
    let secret = vipps.client_secret.expose_secret();
    refuse(
        secret == sandbox::CLIENT_SECRET,
        "VIPPS_CLIENT_SECRET",
        sandbox_value,
    );
    let key = vipps.subscription_key.expose_secret();
    refuse(
        key == sandbox::SUBSCRIPTION_KEY,
        "VIPPS_SUBSCRIPTION_KEY",
        sandbox_value,
    );
    refuse(
        vipps.psp_id == sandbox::PSP_ID,
        "VIPPS_PSP_ID",
        sandbox_value,
    );
    match config.acquirer {
        AcquirerKind::Test => refuse(
            true,
            "ACQUIRER",
            "is `test`, which moves no money; no production acquirer is integrated yet, \
             so production mode cannot start",
        ),
    }
    let plain = "must be an https:// URL in production";
    refuse(
        config.webhooks.allow_private_addresses,
        "WEBHOOK_ALLOW_PRIVATE_ADDRESSES",
        "webhooks to loopback and private addresses are for the sandbox",
    );
    let short = |key: &Option<secrecy::SecretString>| {
        use secrecy::ExposeSecret;
        key.as_ref()
            .is_some_and(|k| k.expose_secret().chars().count() < MIN_KEY_LENGTH)
    };
    let weak = "must be at least 32 random characters (e.g. `openssl rand -hex 32`)";
    refuse(short(&config.merchant.api_key), "MERCHANT_API_KEY", weak);
    refuse(short(&config.operator_api_key), "OPERATOR_API_KEY", weak);
    refuse(!is_https(&vipps.base_url), "VIPPS_BASE_URL", plain);
    refuse(!is_https(&config.public_url), "PSP_PUBLIC_URL", plain);
    let origins = &config.merchant.allowed_origins;
    refuse(
        !origins_set || origins.is_empty(),
        "MERCHANT_ALLOWED_ORIGINS",
        "must list the merchant's https origins in production (the default is the local demo shop)",
    );
    refuse(
        origins_set && !origins.iter().all(|o| is_https(o)),
        "MERCHANT_ALLOWED_ORIGINS",
        "every origin must be https:// in production",
    );
    found
}

/// The shortest API or operator key production takes from the environment.
const MIN_KEY_LENGTH: usize = 32;

fn is_https(url: &str) -> bool {
    url.strip_prefix("https://")
        .is_some_and(|rest| !rest.is_empty())
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    /// A production configuration that passes; each test spoils one setting.
    fn good() -> HashMap<&'static str, &'static str> {
        HashMap::from([
            ("PSP_MODE", "production"),
            ("PSP_PUBLIC_URL", "https://psp.example"),
            ("VIPPS_BASE_URL", "https://api.vipps.no"),
            ("VIPPS_CLIENT_ID", "real-id"),
            ("VIPPS_CLIENT_SECRET", "real-secret"),
            ("VIPPS_SUBSCRIPTION_KEY", "real-key"),
            ("VIPPS_PSP_ID", "real-psp"),
            ("MERCHANT_ALLOWED_ORIGINS", "https://shop.example"),
        ])
    }

    fn read(vars: &HashMap<&'static str, &'static str>) -> Result<Config, ConfigErrors> {
        Config::from_vars(|name| vars.get(name).map(|v| (*v).to_owned()))
    }

    /// The only setting `vars` gets wrong is `var`, and `var` is named.
    fn refused_for(vars: &HashMap<&'static str, &'static str>, var: &str) -> bool {
        match read(vars) {
            Ok(_) => false,
            Err(errors) => errors.0.iter().all(|e| e.var == var) && errors.names(var),
        }
    }

    #[test]
    fn production_with_real_settings_is_refused_only_for_the_test_acquirer() {
        assert!(refused_for(&good(), "ACQUIRER"));
    }

    #[test]
    fn sandbox_mode_starts_with_nothing_configured() {
        let config = read(&HashMap::new());
        assert!(config.is_ok_and(|c| c.mode == Mode::Sandbox && c.acquirer == AcquirerKind::Test));
    }

    #[test]
    fn each_sandbox_credential_is_refused_by_its_name() {
        for (var, value) in [
            ("VIPPS_CLIENT_ID", sandbox::CLIENT_ID),
            ("VIPPS_CLIENT_SECRET", sandbox::CLIENT_SECRET),
            ("VIPPS_SUBSCRIPTION_KEY", sandbox::SUBSCRIPTION_KEY),
            ("VIPPS_PSP_ID", sandbox::PSP_ID),
        ] {
            let mut vars = good();
            vars.insert(var, value);
            let errors = read(&vars).err();
            assert!(
                errors.as_ref().is_some_and(|e| e.names(var)),
                "{var}: {errors:?}"
            );
            let mut unset = good();
            unset.remove(var);
            assert!(read(&unset).is_err_and(|e| e.names(var)), "{var} unset");
        }
    }

    #[test]
    fn short_keys_are_refused_by_their_names() {
        for var in ["MERCHANT_API_KEY", "OPERATOR_API_KEY"] {
            let mut vars = good();
            vars.insert(var, "sk_short");
            assert!(read(&vars).is_err_and(|e| e.names(var)), "{var}");
            vars.insert(var, "0123456789abcdef0123456789abcdef");
            assert!(!read(&vars).is_err_and(|e| e.names(var)), "{var}");
        }
    }

    #[test]
    fn http_urls_are_refused_by_their_names() {
        for var in ["VIPPS_BASE_URL", "PSP_PUBLIC_URL"] {
            let mut vars = good();
            vars.insert(var, "http://psp.example");
            assert!(read(&vars).is_err_and(|e| e.names(var)), "{var}");
        }
    }

    #[test]
    fn missing_or_plain_http_origins_are_refused() {
        let mut unset = good();
        unset.remove("MERCHANT_ALLOWED_ORIGINS");
        assert!(read(&unset).is_err_and(|e| e.names("MERCHANT_ALLOWED_ORIGINS")));
        let mut blank = good();
        blank.insert("MERCHANT_ALLOWED_ORIGINS", " ");
        assert!(read(&blank).is_err_and(|e| e.names("MERCHANT_ALLOWED_ORIGINS")));
        let mut plain = good();
        plain.insert(
            "MERCHANT_ALLOWED_ORIGINS",
            "https://a.example http://b.example",
        );
        assert!(read(&plain).is_err_and(|e| e.names("MERCHANT_ALLOWED_ORIGINS")));
    }

    #[test]
    fn every_wrong_setting_is_named_at_once() {
        let vars = HashMap::from([("PSP_MODE", "production")]);
        let Err(errors) = read(&vars) else {
            unreachable!("production on sandbox defaults must be refused")
        };
        for var in [
            "VIPPS_CLIENT_ID",
            "VIPPS_CLIENT_SECRET",
            "VIPPS_SUBSCRIPTION_KEY",
            "VIPPS_PSP_ID",
            "ACQUIRER",
            "VIPPS_BASE_URL",
            "PSP_PUBLIC_URL",
            "MERCHANT_ALLOWED_ORIGINS",
        ] {
            assert!(errors.names(var), "{var} not named in {errors}");
        }
        assert!(!errors.to_string().contains(sandbox::CLIENT_SECRET));
    }

    #[test]
    fn unknown_modes_and_acquirers_are_refused() {
        for (var, value) in [("PSP_MODE", "prod"), ("ACQUIRER", "nets")] {
            let vars = HashMap::from([(var, value)]);
            assert!(read(&vars).is_err_and(|e| e.names(var)), "{var}={value}");
        }
    }
}
