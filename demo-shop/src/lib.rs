//! An example merchant: a tiny web shop that sells socks and takes payment through the PSP.
//!
//! Not part of the PSP. It shows what a merchant writes: the shop's server creates the
//! payment with its secret key, the page embeds `checkout.js` with the payment's id and
//! client secret, and the order page asks the PSP (not the browser) whether it was paid.

pub mod config;
pub mod error;
pub mod pages;
pub mod product;
pub mod psp;
mod routes;

use std::sync::Arc;

use axum::Router;
use axum::routing::{get, post};
use tokio::net::TcpListener;

pub use config::{Config, ConfigError};
use psp::PspClient;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    pub psp: PspClient,
}

/// The shop's routes.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/", get(routes::home))
        .route("/checkout", post(routes::checkout))
        .route("/orders/{payment_id}", get(routes::order))
        .with_state(state)
}

/// Serves the shop on `listener` until the process ends.
pub async fn run(listener: TcpListener, config: Config) -> std::io::Result<()> {
    let psp = PspClient::new(config.psp_api_url.clone(), config.merchant_api_key.clone())
        .map_err(std::io::Error::other)?;
    let state = AppState {
        config: Arc::new(config),
        psp,
    };
    axum::serve(listener, router(state)).await
}
