//! Extractors that turn bad input into our typed `ApiError` body.

use axum::extract::{FromRequest, FromRequestParts};
use axum::http::HeaderMap;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use shared::PaymentId;
use shared::checkout::CLIENT_SECRET_HEADER;

use crate::app::AppState;
use crate::error::ApiError;
use crate::keys;

/// `axum::Json`, but a malformed body answers our `ApiErrorBody`.
#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct Json<T>(pub T);

impl<T: serde::Serialize> axum::response::IntoResponse for Json<T> {
    fn into_response(self) -> axum::response::Response {
        axum::Json(self.0).into_response()
    }
}

/// A path's `{id}`, parsed into a `PaymentId`.
pub struct PaymentPath(pub PaymentId);

impl<S: Send + Sync> FromRequestParts<S> for PaymentPath {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let axum::extract::Path(raw) =
            axum::extract::Path::<String>::from_request_parts(parts, state)
                .await
                .map_err(|e| ApiError::BadRequest(e.body_text()))?;
        raw.parse()
            .map(Self)
            .map_err(|e: shared::IdError| ApiError::BadRequest(e.to_string()))
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

/// A merchant request with a valid `Authorization: Bearer <merchant key>`.
pub struct Merchant;

impl FromRequestParts<AppState> for Merchant {
    type Rejection = ApiError;
    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let presented = parts
            .headers
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .ok_or(ApiError::Unauthorized)?;
        if keys::key_matches(presented.trim(), &state.merchant_api_key) {
            Ok(Self)
        } else {
            Err(ApiError::Unauthorized)
        }
    }
}

/// A JSON body that may be left out entirely (then `T::default()`).
pub struct JsonOrEmpty<T>(pub T);

impl<T, S> FromRequest<S> for JsonOrEmpty<T>
where
    T: serde::de::DeserializeOwned + Default,
    S: Send + Sync,
{
    type Rejection = ApiError;
    async fn from_request(
        request: axum::extract::Request,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        let bytes = axum::body::Bytes::from_request(request, state)
            .await
            .map_err(|e| ApiError::BadRequest(e.body_text()))?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(Self(T::default()));
        }
        serde_json::from_slice(&bytes)
            .map(Self)
            .map_err(|e| ApiError::BadRequest(e.to_string()))
    }
}

/// The request's `Accept-Language`, if it is readable text.
pub fn accept_language(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(axum::http::header::ACCEPT_LANGUAGE)
        .and_then(|value| value.to_str().ok())
}
