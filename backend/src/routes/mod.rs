//! The router and its thin handlers: extract, call one use case, return a DTO.

mod api_docs;
mod api_keys;
mod checkout;
mod csp;
mod dashboard;
pub mod extract;
mod field_errors;
mod health;
mod make_payment;
mod merchant;
mod metrics;
mod openapi;
mod operator;
mod qr;
mod return_page;
mod webhooks;
mod widget;
mod widget_auth;
mod widget_merchant;
mod widget_page;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::routing::{delete, get, post};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::app::AppState;
use crate::telemetry::requests;

pub fn router(state: AppState) -> Router {
    // The page is ours (it may carry the phone form); the other files are as built.
    let widget = Router::new()
        .route("/index.html", get(widget_page::page))
        .fallback_service(widget::files(
            &state.config.widget_dir,
            &state.config.csp_report_uri,
        ));
    Router::new()
        .route("/health", get(health::live))
        .route("/health/live", get(health::live))
        .route("/health/ready", get(health::ready))
        .route("/metrics", get(metrics::metrics))
        .route("/v1/openapi.json", get(openapi::serve))
        .route("/docs/api", get(api_docs::page))
        .route("/docs/api/redoc.standalone.js", get(api_docs::script))
        .route("/v1/payments", post(merchant::create).get(merchant::list))
        .route("/v1/payments/{id}", get(merchant::get))
        .route("/v1/payments/{id}/timeline", get(merchant::timeline))
        .route("/v1/payments/{id}/capture", post(merchant::capture))
        .route("/v1/payments/{id}/refund", post(merchant::refund))
        .route("/v1/payments/{id}/cancel", post(merchant::cancel))
        .route("/v1/status-updates/dead", get(merchant::dead_updates))
        .route("/v1/api-keys", post(api_keys::create).get(api_keys::list))
        .route("/v1/api-keys/{id}", delete(api_keys::revoke))
        .route(
            "/v1/webhook-endpoints",
            post(webhooks::create_endpoint).get(webhooks::list_endpoints),
        )
        .route(
            "/v1/webhook-endpoints/{id}",
            delete(webhooks::delete_endpoint),
        )
        .route(
            "/v1/webhook-endpoints/{id}/rotate-secret",
            post(webhooks::rotate_secret),
        )
        .route("/v1/events", get(webhooks::list_events))
        .route("/v1/events/{id}", get(webhooks::get_event))
        .route("/v1/events/{id}/redeliver", post(webhooks::redeliver))
        .route(
            "/operator/v1/merchants",
            post(operator::create_merchant).get(operator::list_merchants),
        )
        .route("/operator/v1/merchants/{id}", get(operator::get_merchant))
        .route(
            "/operator/v1/merchants/{id}/disable",
            post(operator::disable_merchant),
        )
        .route(
            "/operator/v1/merchants/{id}/enable",
            post(operator::enable_merchant),
        )
        .route(
            "/operator/v1/merchants/{id}/api-keys",
            post(operator::create_key).get(operator::list_keys),
        )
        .route(
            "/operator/v1/merchants/{id}/api-keys/{key}",
            delete(operator::revoke_key),
        )
        .route("/operator/v1/payments/{id}", get(operator::payment))
        .route("/api/checkout/payments/{id}", get(checkout::get))
        .route("/api/checkout/payments/{id}/start", post(checkout::start))
        .route("/api/checkout/payments/{id}/cancel", post(checkout::cancel))
        .route("/api/checkout/payments/{id}/qr", get(qr::qr))
        .route("/vipps/make-payment", post(make_payment::make_payment))
        .route("/checkout.js", get(widget::loader))
        .route(
            "/checkout/{version}/checkout.js",
            get(widget::versioned_loader),
        )
        .route("/return/{id}", get(return_page::return_page))
        .route(
            crate::config::CSP_REPORTS_PATH,
            post(csp::report).layer(DefaultBodyLimit::max(csp::MAX_REPORT_BYTES)),
        )
        .route("/widget/", get(widget_page::page))
        .nest("/widget", widget)
        .route(
            "/dashboard/api/session",
            post(dashboard::sign_in)
                .get(dashboard::session)
                .delete(dashboard::sign_out),
        )
        .route("/dashboard", get(dashboard::page_or_file))
        .route("/dashboard/", get(dashboard::page_or_file))
        .route("/dashboard/{*path}", get(dashboard::page_or_file))
        // Every body is small: 64 KiB, as the Idempotency-Key layer buffers (413 beyond).
        .layer(DefaultBodyLimit::max(crate::idempotency::MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::idempotency::layer,
        ))
        // 503, not 408: browsers resend a request answered 408, and this may be a start.
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            state.config.server.request_timeout,
        ))
        .layer(TraceLayer::new_for_http().make_span_with(requests::span))
        // Outside the timeout, so a request it cut short is counted with its 503.
        .layer(axum::middleware::from_fn_with_state(
            state.metrics.clone(),
            requests::track,
        ))
        // Outermost: every answer carries the id, and every log line of the request.
        .layer(axum::middleware::from_fn(requests::request_id))
        .with_state(state)
}
