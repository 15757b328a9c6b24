//! Stripe-style idempotency for the merchant API: a `POST /v1/…` sent with an
//! `Idempotency-Key` runs once; a repeat gets the stored response with
//! `Idempotent-Replayed: true`. Keys belong to the merchant (whichever of its keys or
//! dashboard sessions sent them), are
//! kept at least 24 h (`sweep`), and are forgotten after a 5xx so that the merchant can retry.
//! On the payment routes (create, capture, refund, cancel), a key whose request has gone
//! unanswered for longer than any request runs (`IDEMPOTENCY_STALE_AFTER_SECONDS`) died with
//! its instance: a repeat takes it over and runs again. Those handlers are safe to run
//! again: an operation's id and a created payment's id derive from the key, so the repeat
//! finishes what the first began. The claim's time fences the two: the first request, if
//! it was only slow, records nothing once taken over. Elsewhere (API keys, webhook
//! endpoints), a claim left by a dead instance stays "in progress" until the sweep.
//! Stored answers are sealed under the server key (`seal`): none is at rest in clear.

mod key;
mod seal;
mod store;

pub use key::{Fingerprint, IdempotencyKey, InvalidKey, KEY_HEADER, REPLAYED_HEADER};
pub use seal::{ResponseSealer, SealError};
pub use store::{IdempotencyStore, Record, StoredResponse};

use std::sync::Arc;

use crate::database::Pool;
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tracing::Instrument;

use crate::app::AppState;
use crate::error::ApiError;
use crate::payments::now_unix;
use crate::routes::extract::credentials;

/// The largest request body a guarded request may have (it is buffered and hashed).
pub const MAX_BODY_BYTES: usize = 64 * 1024;
/// Whether `to_bytes` failed on its size limit, wherever in the chain of causes it says so.
fn is_too_large(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut cause = Some(error);
    while let Some(error) = cause {
        if error.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        cause = error.source();
    }
    false
}

/// How long a key is remembered at least.
pub const RETENTION_SECONDS: i64 = 24 * 60 * 60;

#[derive(Debug, thiserror::Error)]
pub enum IdempotencyError {
    #[error(transparent)]
    InvalidKey(#[from] InvalidKey),
    #[error("cannot read the request body: {0}")]
    UnreadableBody(String),
    #[error("the request body is larger than {} KiB", MAX_BODY_BYTES / 1024)]
    BodyTooLarge,
    #[error("this Idempotency-Key was already used with a different request")]
    KeyReused,
    #[error("a request with this Idempotency-Key is still in progress; retry later")]
    InProgress,
    #[error("idempotency record: {0}")]
    Store(#[from] sqlx::Error),
    #[error("a stored response is unusable: {0}")]
    Corrupt(String),
    #[error(transparent)]
    Seal(#[from] SealError),
    #[error("the handler gave no answer: {0}")]
    Handler(String),
}

/// The middleware, for `from_fn_with_state`. Requests other than merchant POSTs, ones
/// without valid merchant credentials (the handler answers 401) and ones without a key
/// pass straight through.
pub async fn layer(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let guarded = request.method() == Method::POST && request.uri().path().starts_with("/v1/");
    if !guarded || !request.headers().contains_key(KEY_HEADER) {
        return next.run(request).await;
    }
    let key = match IdempotencyKey::from_headers(request.headers()) {
        Ok(Some(key)) => key,
        Ok(None) => return next.run(request).await,
        Err(e) => return ApiError::from(IdempotencyError::from(e)).into_response(),
    };
    // Keys belong to the merchant; the handler answers 401 to anyone else.
    let merchant = match credentials(&state, request.headers()).await {
        Ok(merchant) => merchant,
        Err(error) => return error.into_response(),
    };
    let Some(merchant) = merchant else {
        return next.run(request).await;
    };
    let scope = merchant.merchant.id.as_str().to_owned();
    request.extensions_mut().insert(merchant);
    let records = Records {
        store: IdempotencyStore::new(state.payments.store.pool().clone()),
        sealer: state.response_sealer.clone(),
        stale_after: i64::try_from(state.config.idempotency_stale_after.as_secs())
            .unwrap_or(i64::MAX),
    };
    once(records, scope, key, request, next)
        .await
        .unwrap_or_else(|e| ApiError::from(e).into_response())
}

/// Deletes the records created before `older_than` (Unix seconds), but never one younger
/// than 24 h whatever is passed. Returns how many were deleted.
pub async fn sweep(pool: &Pool, older_than: i64) -> Result<u64, sqlx::Error> {
    let cutoff = older_than.min(now_unix().saturating_sub(RETENTION_SECONDS));
    IdempotencyStore::new(pool.clone())
        .delete_created_before(cutoff)
        .await
}

/// The records and what seals the answers kept in them.
#[derive(Clone)]
struct Records {
    store: IdempotencyStore,
    sealer: Arc<ResponseSealer>,
    /// Seconds after which an unanswered claim is presumed dead.
    stale_after: i64,
}

async fn once(
    records: Records,
    scope: String,
    key: IdempotencyKey,
    request: Request,
    next: Next,
) -> Result<Response, IdempotencyError> {
    let (mut parts, body) = request.into_parts();
    let body = to_bytes(body, MAX_BODY_BYTES).await.map_err(|e| {
        if is_too_large(&e) {
            IdempotencyError::BodyTooLarge
        } else {
            IdempotencyError::UnreadableBody(e.to_string())
        }
    })?;
    let fingerprint = Fingerprint::of(&parts.method, &parts.uri, &body);
    let resumable = derives_ids(&parts.uri);
    let claimed_at = match claim_or_find(&records, &scope, &key, &fingerprint, resumable).await? {
        Claimed::Now(claimed_at) => claimed_at,
        Claimed::Before(record) => {
            return replay(record, &fingerprint, &records.sealer, &scope, &key);
        }
    };
    // Handlers derive the ids of what they create from the key (see the module's docs).
    parts.extensions.insert(key.clone());
    let request = Request::from_parts(parts, Body::from(body));
    // Spawned: a client hanging up must not cancel the handler between claim and record.
    let claim = Claim {
        scope: scope.clone(),
        key: key.clone(),
        claimed_at,
    };
    let run = run_and_record(records.clone(), claim, request, next);
    match tokio::spawn(run.in_current_span()).await {
        Ok(response) => Ok(response),
        Err(panicked) => {
            records.store.forget(&scope, &key, claimed_at).await?;
            Err(IdempotencyError::Handler(panicked.to_string()))
        }
    }
}

/// Whether the handler behind `uri` derives what it creates from the key, so that running
/// it again after its first run died finishes that run's work rather than repeating it.
fn derives_ids(uri: &axum::http::Uri) -> bool {
    let segments: Vec<&str> = uri.path().trim_matches('/').split('/').collect();
    matches!(
        segments.as_slice(),
        ["v1", "payments"] | ["v1", "payments", _, "capture" | "refund" | "cancel"]
    )
}

/// Who holds a key: this request since the given time, or the one that left the record.
enum Claimed {
    Now(i64),
    Before(Record),
}

/// The running request's hold on a key.
struct Claim {
    scope: String,
    key: IdempotencyKey,
    /// Its fence: the record's `created_at` while this request holds it.
    claimed_at: i64,
}

/// Claims the key (or, when `resumable`, takes over one whose request died), else finds
/// the record of the request that holds it. A record can vanish in between (its request
/// answered 5xx): then claim again.
async fn claim_or_find(
    records: &Records,
    scope: &str,
    key: &IdempotencyKey,
    fingerprint: &Fingerprint,
    resumable: bool,
) -> Result<Claimed, IdempotencyError> {
    for _ in 0..3 {
        let now = now_unix();
        if records.store.claim(scope, key, fingerprint, now).await? {
            return Ok(Claimed::Now(now));
        }
        let Some(record) = records.store.find(scope, key).await? else {
            continue;
        };
        let abandoned = resumable
            && record.response.is_none()
            && record.fingerprint == *fingerprint
            && record.created_at < now.saturating_sub(records.stale_after);
        if !abandoned {
            return Ok(Claimed::Before(record));
        }
        if records
            .store
            .take_over(scope, key, record.created_at, now)
            .await?
        {
            tracing::warn!(
                scope,
                "took over an idempotency key whose request never finished"
            );
            return Ok(Claimed::Now(now));
        }
    }
    Err(IdempotencyError::InProgress)
}

fn replay(
    record: Record,
    fingerprint: &Fingerprint,
    sealer: &ResponseSealer,
    scope: &str,
    key: &IdempotencyKey,
) -> Result<Response, IdempotencyError> {
    if record.fingerprint != *fingerprint {
        return Err(IdempotencyError::KeyReused);
    }
    let stored = record.response.ok_or(IdempotencyError::InProgress)?;
    let corrupt = |e: &dyn std::fmt::Display| IdempotencyError::Corrupt(e.to_string());
    let body = if stored.sealed {
        sealer.open(scope, key, &stored.body)?
    } else {
        stored.body
    };
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = StatusCode::from_u16(stored.status).map_err(|e| corrupt(&e))?;
    let headers = response.headers_mut();
    headers.insert(REPLAYED_HEADER, HeaderValue::from_static("true"));
    if let Some(content_type) = stored.content_type {
        let value = HeaderValue::try_from(content_type).map_err(|e| corrupt(&e))?;
        headers.insert(CONTENT_TYPE, value);
    }
    Ok(response)
}

/// Runs the handler and stores its answer, sealed; after a 5xx the key is forgotten instead.
async fn run_and_record(records: Records, claim: Claim, request: Request, next: Next) -> Response {
    let Claim {
        scope,
        key,
        claimed_at,
    } = claim;
    let (parts, body) = next.run(request).await.into_parts();
    let body = match to_bytes(body, usize::MAX).await {
        Ok(body) => body,
        Err(e) => {
            forget_or_log(&records.store, &scope, &key, claimed_at).await;
            return ApiError::from(IdempotencyError::Handler(e.to_string())).into_response();
        }
    };
    if parts.status.is_server_error() {
        forget_or_log(&records.store, &scope, &key, claimed_at).await;
    } else {
        let content_type = parts.headers.get(CONTENT_TYPE);
        let stored = records
            .sealer
            .seal(&scope, &key, &body)
            .map(|sealed| StoredResponse {
                status: parts.status.as_u16(),
                content_type: content_type
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_owned),
                body: sealed,
                sealed: true,
            })
            .map_err(IdempotencyError::from);
        let completed = match stored {
            Ok(stored) => records
                .store
                .complete(&scope, &key, claimed_at, &stored, now_unix())
                .await
                .map_err(IdempotencyError::from),
            Err(e) => Err(e),
        };
        if let Err(e) = completed {
            // The handler has acted: answer anyway. Repeats see "in progress" until the
            // claim is stale; on the payment routes one then runs the handler again, which
            // finishes this run's work (ids derive from the key) rather than repeating it.
            tracing::error!(error = %e, "cannot store an idempotent response");
        }
    }
    Response::from_parts(parts, Body::from(body))
}

async fn forget_or_log(
    records: &IdempotencyStore,
    scope: &str,
    key: &IdempotencyKey,
    claimed_at: i64,
) {
    if let Err(e) = records.forget(scope, key, claimed_at).await {
        tracing::error!(error = %e, "cannot forget an idempotency key; it stays in progress");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::payments::PaymentStore;

    #[tokio::test]
    async fn sweep_keeps_every_key_younger_than_a_day() -> Result<(), String> {
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let url = format!("sqlite://{}", dir.path().join("t.sqlite").display());
        let store = PaymentStore::connect(&url)
            .await
            .map_err(|e| e.to_string())?;
        let records = IdempotencyStore::new(store.pool().clone());
        let print = Fingerprint::of(
            &Method::POST,
            &"/v1/payments".parse().map_err(|_| "uri")?,
            b"",
        );
        let now = now_unix();
        for (name, age) in [("old", RETENTION_SECONDS + 60), ("young", 60)] {
            let key = name.parse().map_err(|_| "key")?;
            let claimed = records.claim("s", &key, &print, now - age).await;
            assert!(matches!(claimed, Ok(true)), "{claimed:?}");
        }
        let swept = sweep(store.pool(), now).await.map_err(|e| e.to_string())?;
        assert_eq!(swept, 1, "only the record older than a day goes");
        let young = records
            .find("s", &"young".parse().map_err(|_| "key")?)
            .await;
        assert!(matches!(young, Ok(Some(_))), "{young:?}");
        Ok(())
    }
}
