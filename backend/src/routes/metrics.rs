//! `GET /metrics`: every metric in the OpenMetrics text format, for Prometheus. Not
//! public: it needs the operator key (`Authorization: Bearer op_…`), which Prometheus
//! sends with `authorization: {credentials_file: …}` in its scrape configuration.

use axum::extract::State;
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};

use super::extract::Operator;
use crate::app::AppState;
use crate::payments::now_unix;
use crate::telemetry::backlog;
use crate::telemetry::metrics::{CONTENT_TYPE as OPENMETRICS, Queue};

pub async fn metrics(State(state): State<AppState>, _: Operator) -> Response {
    let pool = state.payments.store.pool();
    for queue in [Queue::StatusUpdates, Queue::Webhooks] {
        match backlog::read(pool, queue).await {
            Ok(backlog) => state.metrics.set_backlog(queue, backlog, now_unix()),
            // The gauges keep their last reading; the rest is still worth scraping.
            Err(error) => tracing::warn!(%error, ?queue, "cannot read the backlog"),
        }
    }
    match state.metrics.encode() {
        Ok(text) => ([(CONTENT_TYPE, OPENMETRICS)], text).into_response(),
        Err(error) => {
            tracing::error!(%error, "cannot encode the metrics");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
