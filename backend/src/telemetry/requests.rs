//! What every request passes through: its id (`x-request-id`, taken from the client when
//! it is a sensible one, else made here), the span its log lines carry, and its metrics.

use std::time::Instant;

use axum::body::Body;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

use super::metrics::Metrics;

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The longest request id taken from a client; a longer one is replaced.
const MAX_REQUEST_ID: usize = 128;

/// Gives the request an id and puts it on the answer. A client's `x-request-id` is kept
/// when it is 1 to 128 characters of letters, digits and `-_.:/+=@`; anything else (too
/// long, spaces, quotes, control characters) is replaced by a fresh one, so what reaches
/// the logs is never a client's free text.
pub async fn request_id(mut request: Request, next: Next) -> Response {
    let id = request
        .headers()
        .get(&REQUEST_ID)
        .filter(|value| acceptable(value.as_bytes()))
        .cloned()
        .unwrap_or_else(new_request_id);
    request.headers_mut().insert(REQUEST_ID, id.clone());
    let mut response = next.run(request).await;
    response.headers_mut().insert(REQUEST_ID, id);
    response
}

fn acceptable(id: &[u8]) -> bool {
    (1..=MAX_REQUEST_ID).contains(&id.len())
        && id
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.:/+=@".contains(b))
}

/// `req_` and 32 hex digits of randomness; should the system's randomness fail (it does
/// not), a process-wide counter still tells requests apart.
fn new_request_id() -> HeaderValue {
    static FALLBACK: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let id = crate::keys::random_hex::<16>().unwrap_or_else(|_| {
        let n = FALLBACK.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        format!("{n:032x}")
    });
    HeaderValue::try_from(format!("req_{id}")).unwrap_or(HeaderValue::from_static("req_unknown"))
}

/// The span each request's log lines carry: method, path (never the query), request id.
pub fn span(request: &axum::http::Request<Body>) -> tracing::Span {
    let id = request
        .headers()
        .get(&REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    tracing::info_span!(
        "request",
        method = %request.method(),
        path = %request.uri().path(),
        request_id = %id,
    )
}

/// Counts the request and times it, by its route's pattern.
pub async fn track(State(metrics): State<Metrics>, request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let method = request.method().clone();
    let started = Instant::now();
    let response = next.run(request).await;
    metrics.request(&method, &route, response.status(), started.elapsed());
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sensible_ids_are_kept_and_free_text_is_not() {
        assert!(acceptable(b"8f14e45f-ceea-4e7a-9a1c-3b2c1f0e9d7a"));
        assert!(acceptable(b"shop:order/42@eu=1+2"));
        assert!(!acceptable(b""));
        assert!(!acceptable(b"two words"));
        assert!(!acceptable(b"\"quoted\""));
        assert!(!acceptable(b"new\nline"));
        assert!(!acceptable("æøå".as_bytes()));
        assert!(acceptable(&[b'a'; MAX_REQUEST_ID]));
        assert!(!acceptable(&[b'a'; MAX_REQUEST_ID + 1]));
    }

    #[test]
    fn made_ids_differ_and_are_acceptable_themselves() {
        let (a, b) = (new_request_id(), new_request_id());
        assert_ne!(a, b);
        assert!(acceptable(a.as_bytes()), "{a:?}");
        assert!(a.as_bytes().starts_with(b"req_"));
    }
}
