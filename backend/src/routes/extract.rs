//! Extractors that turn bad input into our typed `ApiError` body.

use axum::extract::FromRequestParts;
use axum::http::HeaderMap;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use shared::checkout::CLIENT_SECRET_HEADER;
use shared::{MerchantId, PaymentId};

use crate::app::AppState;
use crate::error::ApiError;
use crate::keys;
use crate::merchants::Authenticated;

pub use super::field_errors::{Json, JsonOrEmpty, Query};

/// A path's `{id}`, parsed into a `PaymentId`.
pub struct PaymentPath(pub PaymentId);

impl<S: Send + Sync> FromRequestParts<S> for PaymentPath {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let axum::extract::Path(raw) =
            axum::extract::Path::<String>::from_request_parts(parts, state)
                .await
                .map_err(|e| ApiError::field("id", e.body_text()))?;
        raw.parse()
            .map(Self)
            .map_err(|e: shared::IdError| ApiError::field("id", e.to_string()))
    }
}

/// The widget's client secret, from its header (never from the URL).
pub struct ClientSecret(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientSecret {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .headers
            .get(CLIENT_SECRET_HEADER)
            .and_then(|v| v.to_str().ok())
            .map(|s| Self(s.to_owned()))
            .ok_or(ApiError::Unauthorized)
    }
}

/// A merchant request with `Authorization: Bearer <a live key of an active merchant>`, or
/// with a dashboard session's cookie and CSRF token ([`credentials`]): which merchant, and
/// which key or session. Everything the handler does is scoped by it.
pub struct Merchant(pub Authenticated);

impl Merchant {
    pub fn id(&self) -> &MerchantId {
        &self.0.merchant.id
    }
}

impl FromRequestParts<AppState> for Merchant {
    type Rejection = ApiError;
    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        // The idempotency layer may have checked the key already.
        if let Some(known) = parts.extensions.get::<Authenticated>() {
            return Ok(Self(known.clone()));
        }
        credentials(state, &parts.headers)
            .await?
            .map(Self)
            .ok_or(ApiError::Unauthorized)
    }
}

/// The merchant a request acts for: by its `Authorization: Bearer` key, or else by a
/// dashboard session's cookie with that session's CSRF token in `x-csrf-token`. `None`
/// when neither checks out (a key that is wrong is not retried as a session).
pub async fn credentials(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Option<Authenticated>, ApiError> {
    if let Some(presented) = bearer(headers) {
        return authenticate(state, presented).await;
    }
    let Some(token) = session_cookie(headers, state.sessions.cookie_name()) else {
        return Ok(None);
    };
    let csrf = headers
        .get(shared::dashboard::CSRF_HEADER)
        .and_then(|v| v.to_str().ok());
    Ok(state.sessions.authenticate(&token, csrf).await?)
}

/// The dashboard session's token from the `Cookie` header(s): the one cookie called
/// `name`. Two of them mean someone planted one (a sibling site may set cookies for our
/// host): neither is taken.
pub fn session_cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    let mut found = headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(cookie::Cookie::split_parse)
        .filter_map(Result::ok)
        .filter(|c| c.name() == name);
    let first = found.next()?;
    found.next().is_none().then(|| first.value().to_owned())
}

/// The merchant whose live key `presented` is.
pub async fn authenticate(
    state: &AppState,
    presented: &str,
) -> Result<Option<Authenticated>, ApiError> {
    state
        .payments
        .merchants
        .authenticate(presented)
        .await
        .map_err(|e| ApiError::Payment(e.into()))
}

/// A request of the operator: `Authorization: Bearer <operator key>`.
pub struct Operator;

impl FromRequestParts<AppState> for Operator {
    type Rejection = ApiError;
    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match bearer(&parts.headers) {
            Some(key) if keys::key_matches(key, &state.operator_api_key) => Ok(Self),
            Some(_) | None => Err(ApiError::Unauthorized),
        }
    }
}

/// The token of `Authorization: Bearer <token>`, trimmed.
pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}

/// The request's `Accept-Language`, if it is readable text.
pub fn accept_language(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(axum::http::header::ACCEPT_LANGUAGE)
        .and_then(|value| value.to_str().ok())
}

/// The client's address, when the server knows it (not when a test drives the router
/// directly).
pub struct Peer(pub Option<std::net::IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for Peer {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let connected = parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>();
        Ok(Self(connected.map(|info| info.0.ip())))
    }
}
