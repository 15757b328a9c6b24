//! The HTTP server's limits against slow or many clients, with their settings.

use std::time::Duration;

use super::{ConfigError, error};

/// Header-read timeout, request timeout and connection cap (see `crate::serve`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServerLimits {
    /// A connection that has not sent a whole request head by then is closed, idle
    /// keep-alive connections included (`HEADER_READ_TIMEOUT_MS`).
    pub header_read_timeout: Duration,
    /// A request not answered by then gets 503 (`REQUEST_TIMEOUT_MS`). Well above
    /// makePayment's 15 s, so it only cuts off what is stuck or sent slowly.
    pub request_timeout: Duration,
    /// Connections served at once; more wait in the listen backlog (`MAX_CONNECTIONS`).
    pub max_connections: usize,
}

/// Vipps waits 15 s for makePayment; a request timeout must not cut it short.
const MAKE_PAYMENT_BUDGET: Duration = Duration::from_secs(15);

impl Default for ServerLimits {
    fn default() -> Self {
        Self {
            header_read_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            max_connections: 1024,
        }
    }
}

impl ServerLimits {
    pub(super) fn from_vars(
        var: &impl Fn(&'static str) -> Option<String>,
    ) -> Result<Self, ConfigError> {
        let mut limits = Self::default();
        if let Some(ms) = millis(var, "HEADER_READ_TIMEOUT_MS")? {
            if ms.is_zero() {
                return Err(error("HEADER_READ_TIMEOUT_MS", "must be above 0"));
            }
            limits.header_read_timeout = ms;
        }
        if let Some(ms) = millis(var, "REQUEST_TIMEOUT_MS")? {
            if ms <= MAKE_PAYMENT_BUDGET {
                let reason = "must stay above Vipps's 15 s makePayment budget (e.g. 30000)";
                return Err(error("REQUEST_TIMEOUT_MS", reason));
            }
            limits.request_timeout = ms;
        }
        if let Some(cap) = var("MAX_CONNECTIONS") {
            let cap: usize = cap.parse().map_err(|e| error("MAX_CONNECTIONS", e))?;
            if cap == 0 {
                return Err(error("MAX_CONNECTIONS", "must be at least 1"));
            }
            limits.max_connections = cap;
        }
        Ok(limits)
    }
}

pub(super) fn millis(
    var: &impl Fn(&'static str) -> Option<String>,
    name: &'static str,
) -> Result<Option<Duration>, ConfigError> {
    var(name)
        .map(|ms| {
            ms.parse()
                .map(Duration::from_millis)
                .map_err(|e| error(name, e))
        })
        .transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(name: &'static str, value: &str) -> Result<ServerLimits, ConfigError> {
        ServerLimits::from_vars(&|n| (n == name).then(|| value.to_owned()))
    }

    #[test]
    fn limits_have_safe_defaults_and_can_be_set() {
        assert_eq!(
            ServerLimits::from_vars(&|_| None).ok(),
            Some(ServerLimits::default())
        );
        let set = read("MAX_CONNECTIONS", "8").map(|l| l.max_connections);
        assert_eq!(set.ok(), Some(8));
        let set = read("HEADER_READ_TIMEOUT_MS", "2500").map(|l| l.header_read_timeout);
        assert_eq!(set.ok(), Some(Duration::from_millis(2500)));
    }

    #[test]
    fn limits_that_would_break_the_server_are_refused_by_name() {
        for (name, value) in [
            ("HEADER_READ_TIMEOUT_MS", "0"),
            ("REQUEST_TIMEOUT_MS", "15000"),
            ("REQUEST_TIMEOUT_MS", "soon"),
            ("MAX_CONNECTIONS", "0"),
            ("MAX_CONNECTIONS", "-1"),
        ] {
            assert!(
                read(name, value).is_err_and(|e| e.var == name),
                "{name}={value}"
            );
        }
    }
}
