//! An example merchant: a tiny web shop that sells socks and takes payment through the PSP.
//!
//! Not part of the PSP. It shows what a merchant writes: the shop's server creates the
//! payment with its secret key and records the order, the page embeds `checkout.js` with the
//! payment's id and client secret, and the PSP's signed webhooks (not the browser) mark the
//! order paid, shipped, refunded… The shop registers its webhook endpoint at start.

pub mod config;
pub mod error;
pub mod order;
mod order_pages;
pub mod orders;
pub mod pages;
pub mod product;
pub mod psp;
mod registration;
mod routes;
mod webhook;

use std::sync::Arc;

use axum::Router;
use axum::routing::{get, post};
use tokio::net::TcpListener;

pub use config::{Config, ConfigError};
use orders::Orders;
use psp::PspClient;
use registration::WebhookKey;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    pub psp: PspClient,
    pub orders: Arc<Orders>,
    /// Verifies the PSP's webhooks once the endpoint's secret is known.
    pub webhook_key: WebhookKey,
}

/// The shop's routes.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/", get(routes::home))
        .route("/checkout", post(routes::checkout))
        .route("/orders", get(routes::orders))
        .route("/orders/{payment_id}", get(routes::order))
        .route("/webhooks", post(webhook::receive))
        .with_state(state)
}

/// Loads the orders, registers the webhook endpoint (in the background, unless a secret
/// was given) and serves the shop on `listener` until the process ends.
pub async fn run(listener: TcpListener, config: Config) -> std::io::Result<()> {
    let psp = PspClient::new(config.psp_api_url.clone(), config.merchant_api_key.clone())
        .map_err(std::io::Error::other)?;
    let orders = Orders::load(&config.data_dir)
        .await
        .map_err(std::io::Error::other)?;
    let webhook_key = match &config.webhook_secret {
        Some(secret) => WebhookKey::from_secret(secret).map_err(std::io::Error::other)?,
        None => {
            let key = WebhookKey::default();
            registration::spawn(psp.clone(), config.webhook_url.clone(), key.clone());
            key
        }
    };
    let state = AppState {
        config: Arc::new(config),
        psp,
        orders: Arc::new(orders),
        webhook_key,
    };
    axum::serve(listener, router(state)).await
}
