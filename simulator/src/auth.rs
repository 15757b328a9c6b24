//! Who may call: client credentials for `/accesstoken/get`, and the access token plus
//! Vipps headers (subscription key, PSP-ID, Merchant-Serial-Number, Request-Id) for PSP calls.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use axum::http::{HeaderMap, header};
use shared::vipps::headers;

use crate::config::Config;
use crate::merchants::{Merchant, Merchants};
use crate::random::{self, RandomError};
use crate::vipps_error::{VippsErrors, detail};

/// The access tokens issued so far and when each expires.
#[derive(Debug, Default)]
pub struct Tokens {
    expiry: HashMap<String, Instant>,
    issued: u64,
}

impl Tokens {
    /// A fresh random opaque token, good for `ttl`.
    pub fn issue(&mut self, ttl: Duration, now: Instant) -> Result<String, RandomError> {
        self.expiry.retain(|_, expires| *expires > now);
        let token = random::hex::<32>()?;
        self.expiry.insert(token.clone(), now + ttl);
        self.issued = self.issued.saturating_add(1);
        Ok(token)
    }

    pub fn is_valid(&self, token: &str, now: Instant) -> bool {
        self.expiry.get(token).is_some_and(|expires| *expires > now)
    }

    /// How many tokens were issued since start.
    pub fn issued(&self) -> u64 {
        self.issued
    }

    /// How many issued tokens are still good at `now`.
    pub fn live(&self, now: Instant) -> usize {
        self.expiry
            .values()
            .filter(|expires| **expires > now)
            .count()
    }

    /// Ends every token at once, as if each had expired early; answers how many were live.
    pub fn expire_all(&mut self, now: Instant) -> usize {
        let live = self.live(now);
        self.expiry.clear();
        live
    }
}

/// A PSP call whose headers passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub merchant: Merchant,
    /// Present whenever the call needs one.
    pub request_id: String,
}

/// Whether the call must carry `Request-Id`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestId {
    Required,
    NotUsed,
}

fn value<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty())
}

fn same(given: Option<&str>, expected: &str) -> bool {
    given.is_some_and(|given| {
        aws_lc_rs::constant_time::verify_slices_are_equal(given.as_bytes(), expected.as_bytes())
            .is_ok()
    })
}

/// `POST /accesstoken/get`: `client_id`, `client_secret` and the subscription key.
pub fn check_client_credentials(config: &Config, headers: &HeaderMap) -> Result<(), VippsErrors> {
    if !same(
        value(headers, headers::SUBSCRIPTION_KEY),
        &config.subscription_key,
    ) {
        return Err(VippsErrors::unauthorized(
            "Access denied due to invalid subscription key",
        ));
    }
    if !same(value(headers, headers::CLIENT_ID), &config.client_id)
        || !same(
            value(headers, headers::CLIENT_SECRET),
            &config.client_secret,
        )
    {
        return Err(VippsErrors::unauthorized(
            "Invalid client_id or client_secret",
        ));
    }
    Ok(())
}

/// The checks Vipps makes on every PSP API call, in the order it makes them.
pub fn check_psp_call(
    config: &Config,
    merchants: &Merchants,
    tokens: &Tokens,
    headers: &HeaderMap,
    request_id: RequestId,
    now: Instant,
) -> Result<Caller, VippsErrors> {
    let bearer = value(headers, header::AUTHORIZATION.as_str()).and_then(|auth| {
        let (scheme, token) = auth.split_once(' ')?;
        scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
    });
    if !bearer.is_some_and(|token| tokens.is_valid(token, now)) {
        return Err(VippsErrors::unauthorized(
            "Missing, invalid or expired access token",
        ));
    }
    if !same(
        value(headers, headers::SUBSCRIPTION_KEY),
        &config.subscription_key,
    ) {
        return Err(VippsErrors::unauthorized(
            "Access denied due to invalid subscription key",
        ));
    }
    if !same(value(headers, headers::PSP_ID), &config.psp_id) {
        return Err(VippsErrors::forbidden(
            "PSP-ID is missing or not the one this token belongs to",
        ));
    }
    let merchant = value(headers, headers::MERCHANT_SERIAL_NUMBER)
        .and_then(|msn| merchants.get(msn))
        .ok_or_else(|| {
            VippsErrors::bad_request(detail(
                "21",
                "Merchant not available or active",
                Some("Merchant-Serial-Number"),
                None,
            ))
        })?;
    let id = value(headers, headers::REQUEST_ID);
    let request_id = match (request_id, id) {
        (RequestId::Required, None) => {
            return Err(VippsErrors::bad_request(detail(
                crate::vipps_error::INVALID_REQUEST,
                "Request-Id header is required",
                Some("Request-Id"),
                None,
            )));
        }
        (RequestId::Required | RequestId::NotUsed, Some(id)) => id.to_owned(),
        (RequestId::NotUsed, None) => String::new(),
    };
    Ok(Caller {
        merchant,
        request_id,
    })
}

#[cfg(test)]
mod tests {
    use axum::http::{HeaderName, HeaderValue, StatusCode};

    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            if let Ok(value) = HeaderValue::from_str(value) {
                map.insert(HeaderName::from_static(name), value);
            }
        }
        map
    }

    fn status(result: Result<Caller, VippsErrors>) -> Option<StatusCode> {
        result.err().map(|e| e.status)
    }

    #[test]
    fn psp_calls_need_a_live_token_and_the_right_headers() {
        let config = Config::sandbox("http://sim", Vec::new());
        let Ok(merchants) = Merchants::new(&config.merchants) else {
            unreachable!("the sandbox merchants are valid")
        };
        let mut tokens = Tokens::default();
        let now = Instant::now();
        let Ok(token) = tokens.issue(Duration::from_secs(60), now) else {
            unreachable!()
        };
        let bearer = format!("Bearer {token}");
        let good = [
            ("authorization", bearer.as_str()),
            (
                "ocp-apim-subscription-key",
                shared::sandbox::SUBSCRIPTION_KEY,
            ),
            ("psp-id", shared::sandbox::PSP_ID),
            (
                "merchant-serial-number",
                shared::sandbox::MERCHANT_SERIAL_NUMBER,
            ),
            ("request-id", "r1"),
        ];
        let check = |pairs: &[(&'static str, &str)], at| {
            check_psp_call(
                &config,
                &merchants,
                &tokens,
                &headers(pairs),
                RequestId::Required,
                at,
            )
        };
        assert!(check(&good, now).is_ok_and(|c| c.request_id == "r1"));
        let later = now + Duration::from_secs(61);
        assert_eq!(status(check(&good, later)), Some(StatusCode::UNAUTHORIZED));
        let swap = |i: usize, value: &'static str| {
            let mut pairs = good;
            if let Some(pair) = pairs.get_mut(i) {
                pair.1 = value;
            }
            status(check(&pairs, now))
        };
        assert_eq!(swap(0, "Bearer nope"), Some(StatusCode::UNAUTHORIZED));
        assert_eq!(swap(1, "wrong"), Some(StatusCode::UNAUTHORIZED));
        assert_eq!(swap(2, "other-psp"), Some(StatusCode::FORBIDDEN));
        assert_eq!(swap(3, "999999"), Some(StatusCode::BAD_REQUEST));
        assert_eq!(swap(4, " "), Some(StatusCode::BAD_REQUEST));

        assert_eq!((tokens.issued(), tokens.live(now)), (1, 1));
        assert_eq!(tokens.expire_all(now), 1);
        let after = check_psp_call(
            &config,
            &merchants,
            &tokens,
            &headers(&good),
            RequestId::Required,
            now,
        );
        assert_eq!(status(after), Some(StatusCode::UNAUTHORIZED));
        assert_eq!((tokens.issued(), tokens.live(now)), (1, 0));
    }

    #[test]
    fn client_credentials_must_match() {
        let config = Config::sandbox("http://sim", Vec::new());
        let good = [
            ("client_id", shared::sandbox::CLIENT_ID),
            ("client_secret", shared::sandbox::CLIENT_SECRET),
            (
                "ocp-apim-subscription-key",
                shared::sandbox::SUBSCRIPTION_KEY,
            ),
        ];
        assert!(check_client_credentials(&config, &headers(&good)).is_ok());
        let bad = [good[0], ("client_secret", "guess"), good[2]];
        assert!(check_client_credentials(&config, &headers(&bad)).is_err());
    }
}
