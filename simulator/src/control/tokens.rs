//! `/sim/tokens`: how many access tokens were issued, and ending them all early.

use std::time::Instant;

use axum::extract::State;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Serialize;

use crate::app::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/sim/tokens", get(count))
        .route("/sim/tokens/expire", post(expire))
}

#[derive(Debug, Serialize)]
struct TokenCount {
    /// Every token `/accesstoken/get` issued since start.
    issued: u64,
    /// Those still good.
    live: usize,
}

#[derive(Debug, Serialize)]
struct Expired {
    /// How many live tokens were ended.
    expired: usize,
}

async fn count(State(app): State<AppState>) -> Json<TokenCount> {
    let tokens = app.tokens.lock().await;
    Json(TokenCount {
        issued: tokens.issued(),
        live: tokens.live(Instant::now()),
    })
}

async fn expire(State(app): State<AppState>) -> Json<Expired> {
    let expired = app.tokens.lock().await.expire_all(Instant::now());
    tracing::info!(expired, "access tokens expired early");
    Json(Expired { expired })
}
