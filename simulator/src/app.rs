//! `AppState` (config, merchants, memory, tokens, injected faults, keys, HTTP client) and the router
//! that serves everything.

use std::sync::Arc;

use axum::Router;
use axum::routing::get;
use tokio::sync::Mutex;

use crate::auth::Tokens;
use crate::card_data::{CardDataError, CardKey};
use crate::config::Config;
use crate::faults::Faults;
use crate::merchants::{MerchantError, Merchants};
use crate::store::Store;
use crate::{api, app_page, control, landing, make_payment};

#[derive(Debug, Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    /// The sales units Vipps knows now: the configured ones, plus those added at runtime.
    pub merchants: Arc<Mutex<Merchants>>,
    pub store: Arc<Mutex<Store>>,
    pub tokens: Arc<Mutex<Tokens>>,
    pub faults: Arc<Mutex<Faults>>,
    pub card_key: Arc<CardKey>,
    pub http: reqwest::Client,
}

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Key(#[from] CardDataError),
    #[error("cannot build the HTTP client: {0}")]
    Http(#[from] reqwest::Error),
    #[error("a configured merchant is refused: {0}")]
    Merchant(#[from] MerchantError),
}

impl AppState {
    pub fn new(config: Config) -> Result<Self, StartError> {
        Ok(Self {
            card_key: Arc::new(CardKey::from_der(&config.psp_public_key_der)?),
            merchants: Arc::new(Mutex::new(Merchants::new(&config.merchants)?)),
            config: Arc::new(config),
            store: Arc::default(),
            tokens: Arc::default(),
            faults: Arc::default(),
            http: make_payment::client()?,
        })
    }

    /// `{public_url}{path}`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.config.public_url.trim_end_matches('/'))
    }
}

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/health", get(|| async { "ok" }))
        .merge(api::routes())
        .merge(landing::routes())
        .merge(app_page::routes())
        .merge(control::routes())
        .with_state(state)
}
