//! The router and its thin handlers: extract, call one use case, return a DTO.

mod checkout;
mod extract;
mod health;
mod make_payment;
mod merchant;
mod widget;

use axum::Router;
use axum::routing::{get, post};
use tower_http::trace::TraceLayer;

use crate::app::AppState;

pub fn router(state: AppState) -> Router {
    let widget_dir = state.config.widget_dir.clone();
    Router::new()
        .route("/health", get(health::health))
        .route("/v1/payments", post(merchant::create))
        .route("/v1/payments/{id}", get(merchant::get))
        .route("/api/checkout/payments/{id}", get(checkout::get))
        .route("/api/checkout/payments/{id}/start", post(checkout::start))
        .route("/api/checkout/payments/{id}/cancel", post(checkout::cancel))
        .route("/vipps/make-payment", post(make_payment::make_payment))
        .route("/checkout.js", get(widget::loader))
        .route("/return/{id}", get(widget::return_page))
        .nest_service("/widget", widget::files(&widget_dir))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}
