//! `/sim/init/…`, `/sim/updatestatus…` and `/sim/faults`: make the next PSP calls fail or
//! hang, and read every updatestatus call received, waiting for some if asked.

use std::time::Duration;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

use super::{Body, ControlError};
use crate::app::AppState;
use crate::faults::{Fault, Pending};
use crate::idempotency::Endpoint;
use crate::update_log::UpdateStatusCall;

/// At most this many calls per fault.
const MAX_COUNT: u32 = 100;
/// A hang lasts at most this long.
const MAX_HANG_SECONDS: u64 = 600;
/// `GET /sim/updatestatus?wait_for=N` waits this long unless told otherwise, and at most
/// [`MAX_WAIT_SECONDS`].
const DEFAULT_WAIT_SECONDS: u64 = 30;
const MAX_WAIT_SECONDS: u64 = 300;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/sim/init/fail",
            post(|s, b| fail(s, Endpoint::Init, &[500, 503], b)),
        )
        .route("/sim/init/hang", post(|s, b| hang(s, Endpoint::Init, b)))
        .route(
            "/sim/updatestatus/fail",
            post(|s, b| fail(s, Endpoint::UpdateStatus, &[400, 500, 503], b)),
        )
        .route(
            "/sim/updatestatus/hang",
            post(|s, b| hang(s, Endpoint::UpdateStatus, b)),
        )
        .route("/sim/updatestatus", get(update_calls))
        .route("/sim/faults", get(pending).delete(clear))
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FailBody {
    status: Option<u16>,
    count: Option<u32>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct HangBody {
    seconds: Option<u64>,
    count: Option<u32>,
}

#[derive(Debug, Deserialize)]
struct LogQuery {
    wait_for: Option<usize>,
    timeout_seconds: Option<u64>,
}

/// The faults still queued for one endpoint.
#[derive(Debug, Serialize)]
struct Queued {
    pending: Vec<Pending>,
}

/// The faults still queued for every endpoint.
#[derive(Debug, Serialize)]
struct AllQueued {
    init: Vec<Pending>,
    updatestatus: Vec<Pending>,
}

#[derive(Debug, Serialize)]
struct Cleared {
    /// How many calls the forgotten faults would still have hit.
    cleared: u32,
}

fn count(count: Option<u32>) -> Result<u32, ControlError> {
    let count = count.unwrap_or(1);
    if (1..=MAX_COUNT).contains(&count) {
        Ok(count)
    } else {
        Err(ControlError::invalid(format!("count is 1 to {MAX_COUNT}")))
    }
}

async fn fail(
    State(app): State<AppState>,
    endpoint: Endpoint,
    allowed: &'static [u16],
    Body(body): Body<FailBody>,
) -> Result<Json<Queued>, ControlError> {
    let status = body
        .status
        .filter(|s| allowed.contains(s))
        .and_then(|s| StatusCode::from_u16(s).ok())
        .ok_or_else(|| ControlError::invalid(format!("status is one of {allowed:?}")))?;
    let count = count(body.count)?;
    queue(&app, endpoint, Fault::Fail(status), count).await
}

async fn hang(
    State(app): State<AppState>,
    endpoint: Endpoint,
    Body(body): Body<HangBody>,
) -> Result<Json<Queued>, ControlError> {
    let seconds = body
        .seconds
        .filter(|s| (1..=MAX_HANG_SECONDS).contains(s))
        .ok_or_else(|| ControlError::invalid(format!("seconds is 1 to {MAX_HANG_SECONDS}")))?;
    let count = count(body.count)?;
    let fault = Fault::Hang(Duration::from_secs(seconds));
    queue(&app, endpoint, fault, count).await
}

async fn queue(
    app: &AppState,
    endpoint: Endpoint,
    fault: Fault,
    count: u32,
) -> Result<Json<Queued>, ControlError> {
    let mut faults = app.faults.lock().await;
    let queue = faults.queue(endpoint);
    queue.push(fault, count);
    tracing::info!(?endpoint, ?fault, count, "fault queued");
    Ok(Json(Queued {
        pending: queue.pending(),
    }))
}

async fn pending(State(app): State<AppState>) -> Json<AllQueued> {
    let faults = app.faults.lock().await;
    Json(AllQueued {
        init: faults.init.pending(),
        updatestatus: faults.update_status.pending(),
    })
}

async fn clear(State(app): State<AppState>) -> Json<Cleared> {
    let mut faults = app.faults.lock().await;
    let cleared = faults
        .init
        .clear()
        .saturating_add(faults.update_status.clear());
    Json(Cleared { cleared })
}

/// Every updatestatus call so far; with `wait_for=N`, first waits (up to `timeout_seconds`)
/// until at least N calls have their answer decided.
async fn update_calls(
    State(app): State<AppState>,
    query: Result<Query<LogQuery>, QueryRejection>,
) -> Result<Json<Vec<UpdateStatusCall>>, ControlError> {
    let Query(query) = query.map_err(|err| ControlError::invalid(err.body_text()))?;
    if let Some(wanted) = query.wait_for {
        let mut decided = app.store.lock().await.update_calls.subscribe();
        let seconds = query
            .timeout_seconds
            .unwrap_or(DEFAULT_WAIT_SECONDS)
            .min(MAX_WAIT_SECONDS);
        let wait = decided.wait_for(|n| *n >= wanted);
        let _ = tokio::time::timeout(Duration::from_secs(seconds), wait).await;
    }
    let store = app.store.lock().await;
    Ok(Json(store.update_calls.calls().to_vec()))
}
