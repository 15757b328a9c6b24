//! What identifies a guarded request: the merchant's `Idempotency-Key`, parsed, and the
//! fingerprint (method, path, body hash) a repeat must match.

use aws_lc_rs::digest::{SHA256, digest};
use axum::http::{HeaderMap, Method, Uri};

/// The request header a merchant sets to make a POST safe to retry.
pub const KEY_HEADER: &str = "idempotency-key";
/// Set to `true` on an answer that is a stored response, not a fresh one.
pub const REPLAYED_HEADER: &str = "idempotent-replayed";

const MAX_KEY_LEN: usize = 255;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Idempotency-Key must be one header of 1 to 255 printable ASCII characters")]
pub struct InvalidKey;

/// 1–255 printable ASCII characters (space to `~`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyKey(String);

impl IdempotencyKey {
    /// The key in `headers`: `None` without one, an error if it is malformed or repeated.
    pub fn from_headers(headers: &HeaderMap) -> Result<Option<Self>, InvalidKey> {
        let mut values = headers.get_all(KEY_HEADER).iter();
        let Some(value) = values.next() else {
            return Ok(None);
        };
        if values.next().is_some() {
            return Err(InvalidKey);
        }
        value.to_str().map_err(|_| InvalidKey)?.parse().map(Some)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl utoipa::PartialSchema for IdempotencyKey {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .min_length(Some(1))
            .max_length(Some(MAX_KEY_LEN))
            .pattern(Some("^[ -~]+$"))
            .description(Some(
                "1 to 255 printable ASCII characters. A repeat of the same request within 24 h answers the stored answer (`Idempotent-Replayed: true`).",
            ))
            .into()
    }
}
impl utoipa::ToSchema for IdempotencyKey {}

impl std::str::FromStr for IdempotencyKey {
    type Err = InvalidKey;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let printable = s.bytes().all(|b| (b' '..=b'~').contains(&b));
        if (1..=MAX_KEY_LEN).contains(&s.len()) && printable {
            Ok(Self(s.to_owned()))
        } else {
            Err(InvalidKey)
        }
    }
}

/// What a repeat must match to be answered with the stored response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprint {
    pub method: String,
    /// Path and query.
    pub path: String,
    /// SHA-256 of the body bytes.
    pub body_hash: Vec<u8>,
}

impl Fingerprint {
    pub fn of(method: &Method, uri: &Uri, body: &[u8]) -> Self {
        Self {
            method: method.as_str().to_owned(),
            path: uri
                .path_and_query()
                .map_or_else(|| uri.path().to_owned(), |p| p.as_str().to_owned()),
            body_hash: digest(&SHA256, body).as_ref().to_vec(),
        }
    }
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    #[test]
    fn keys_are_one_to_255_printable_ascii_characters() {
        assert!("a".parse::<IdempotencyKey>().is_ok());
        assert!("order 42 / try ~1".parse::<IdempotencyKey>().is_ok());
        assert!("k".repeat(255).parse::<IdempotencyKey>().is_ok());
        assert_eq!("".parse::<IdempotencyKey>(), Err(InvalidKey));
        assert_eq!("k".repeat(256).parse::<IdempotencyKey>(), Err(InvalidKey));
        assert_eq!("tab\there".parse::<IdempotencyKey>(), Err(InvalidKey));
        assert_eq!("nøkkel".parse::<IdempotencyKey>(), Err(InvalidKey));
    }

    #[test]
    fn a_missing_header_is_no_key_and_a_repeated_one_is_invalid() {
        let mut headers = HeaderMap::new();
        assert_eq!(IdempotencyKey::from_headers(&headers), Ok(None));
        headers.append(KEY_HEADER, HeaderValue::from_static("first"));
        assert_eq!(
            IdempotencyKey::from_headers(&headers).map(|k| k.map(|k| k.as_str().to_owned())),
            Ok(Some("first".to_owned()))
        );
        headers.append(KEY_HEADER, HeaderValue::from_static("second"));
        assert_eq!(IdempotencyKey::from_headers(&headers), Err(InvalidKey));
    }

    #[test]
    fn fingerprints_differ_by_body_and_path() {
        let uri = Uri::from_static("/v1/payments");
        let a = Fingerprint::of(&Method::POST, &uri, b"{\"amount\":1}");
        assert_eq!(a, Fingerprint::of(&Method::POST, &uri, b"{\"amount\":1}"));
        assert_ne!(a, Fingerprint::of(&Method::POST, &uri, b"{\"amount\":2}"));
        let other = Uri::from_static("/v1/payments/pay_1/capture");
        assert_ne!(a, Fingerprint::of(&Method::POST, &other, b"{\"amount\":1}"));
    }
}
