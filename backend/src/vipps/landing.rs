//! The landing page Vipps sends the shopper to (`vippsRedirectUrl` in init's answer), as
//! a value we may put in front of a browser: the widget opens it in a window and shows it
//! as a link and a QR code, in its own origin. Only an absolute web address passes:
//! https, or http when Vipps itself is reached over http (the simulator).

use reqwest::Url;

use super::VippsError;

/// A `vippsRedirectUrl` fit to open; only [`LandingUrl::parse`] makes one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LandingUrl(String);

impl LandingUrl {
    /// `raw` as sent by the Vipps at `vipps_base_url`. Anything else than a web address
    /// with a host (`javascript:`, `data:`, a relative path, credentials in it) is
    /// [`VippsError::UnsafeLandingUrl`].
    pub fn parse(raw: &str, vipps_base_url: &str) -> Result<Self, VippsError> {
        let url = Url::parse(raw).map_err(|_| VippsError::UnsafeLandingUrl)?;
        let scheme_allowed = match url.scheme() {
            "https" => true,
            "http" => vipps_base_url.starts_with("http://"),
            _ => false,
        };
        let has_host = url.host_str().is_some_and(|host| !host.is_empty());
        let no_credentials = url.username().is_empty() && url.password().is_none();
        if scheme_allowed && has_host && no_credentials {
            Ok(Self(url.into()))
        } else {
            Err(VippsError::UnsafeLandingUrl)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<LandingUrl> for String {
    fn from(url: LandingUrl) -> Self {
        url.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const VIPPS: &str = "https://api.vipps.no";
    const SIMULATOR: &str = "http://localhost:4001";

    #[test]
    fn only_web_addresses_pass_and_http_only_from_an_http_vipps() {
        let landing = "https://pay.vipps.no/dwo-api-application/v1/deeplink?token=a.b";
        assert_eq!(
            LandingUrl::parse(landing, VIPPS)
                .map(String::from)
                .ok()
                .as_deref(),
            Some(landing)
        );
        let simulated = "http://localhost:4001/landing/psp_1";
        assert!(LandingUrl::parse(simulated, SIMULATOR).is_ok());
        assert!(LandingUrl::parse(simulated, VIPPS).is_err());
        for bad in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            " javascript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "vbscript:x",
            "/landing",
            "//evil.example/x",
            "https://user:pw@evil.example/",
            "https://",
            "",
        ] {
            assert!(LandingUrl::parse(bad, SIMULATOR).is_err(), "{bad}");
        }
    }
}
