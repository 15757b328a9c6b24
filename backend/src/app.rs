//! Wiring: `AppState` (config, store, Vipps, acquirer, card key) and `Application`,
//! which owns the bound listener and serves the router.

use std::sync::Arc;

use secrecy::SecretString;
use tokio::net::TcpListener;
use tokio::sync::Notify;

use crate::outbox::OutboxWorker;
use crate::reconcile::Reconciler;

use crate::acquirer::{Acquirer, TestAcquirer};
use crate::config::{AcquirerKind, Config};
use crate::keys::{self, KeyError};
use crate::payments::{PaymentStore, StoreError};
use crate::rate_limit::RateLimiter;
use crate::routes;
use crate::vipps::{CardDecryptor, HttpVipps, Vipps, VippsError};

#[derive(Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    pub store: PaymentStore,
    pub vipps: Arc<dyn Vipps>,
    pub acquirer: Arc<dyn Acquirer>,
    pub card_decryptor: Arc<CardDecryptor>,
    pub merchant_api_key: SecretString,
    /// Limits how often the widget may read one payment.
    pub poll_limiter: Arc<RateLimiter>,
    /// Wakes the outbox worker when an update was written.
    pub outbox_wake: Arc<Notify>,
}

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(transparent)]
    Key(#[from] KeyError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the card key is unusable")]
    CardKey,
    #[error(transparent)]
    Vipps(#[from] VippsError),
    #[error("cannot read the listener address: {0}")]
    Listener(std::io::Error),
}

pub struct Application {
    listener: TcpListener,
    state: AppState,
    card_public_key_der: Vec<u8>,
}

impl Application {
    /// The real thing: Vipps over HTTP at `config.vipps.base_url`, the test acquirer.
    pub async fn build(config: Config, listener: TcpListener) -> Result<Self, StartupError> {
        let vipps = Arc::new(HttpVipps::new(config.vipps.clone(), &config.merchant)?);
        let acquirer = match config.acquirer {
            AcquirerKind::Test => Arc::new(TestAcquirer::new(config.test_acquirer_slow)),
        };
        Self::build_with(config, listener, vipps, acquirer).await
    }

    /// With the Vipps client and acquirer given, e.g. fakes in tests.
    pub async fn build_with(
        config: Config,
        listener: TcpListener,
        vipps: Arc<dyn Vipps>,
        acquirer: Arc<dyn Acquirer>,
    ) -> Result<Self, StartupError> {
        let card_key = keys::load_or_create_card_key(&config.data_dir)?;
        let card_public_key_der = {
            use aws_lc_rs::encoding::AsDer;
            card_key
                .public_key()
                .as_der()
                .map_err(|_| StartupError::CardKey)?
                .as_ref()
                .to_vec()
        };
        let merchant_api_key =
            keys::load_or_create_merchant_key(&config.data_dir, config.merchant.api_key.as_ref())?;
        let database_url = config.database_url.clone().unwrap_or_else(|| {
            format!("sqlite://{}", config.data_dir.join("psp.sqlite").display())
        });
        let store = PaymentStore::connect(&database_url).await?;
        let card_decryptor =
            Arc::new(CardDecryptor::new(card_key).map_err(|_| StartupError::CardKey)?);
        let minute = std::time::Duration::from_secs(60);
        let poll_limiter = Arc::new(RateLimiter::new(config.poll_limit_per_minute, minute));
        let state = AppState {
            poll_limiter,
            outbox_wake: Arc::new(Notify::new()),
            config: Arc::new(config),
            store,
            vipps,
            acquirer,
            card_decryptor,
            merchant_api_key,
        };
        Ok(Self {
            listener,
            state,
            card_public_key_der,
        })
    }

    pub fn port(&self) -> Result<u16, StartupError> {
        self.listener
            .local_addr()
            .map(|a| a.port())
            .map_err(StartupError::Listener)
    }

    pub fn public_url(&self) -> &str {
        &self.state.config.public_url
    }

    /// Our RSA public key (X.509 SubjectPublicKeyInfo DER), the one Vipps encrypts card data with.
    pub fn card_public_key_der(&self) -> &[u8] {
        &self.card_public_key_der
    }

    pub fn merchant_api_key(&self) -> &SecretString {
        &self.state.merchant_api_key
    }

    /// Serves the API and runs the outbox worker and reconciliation beside it.
    pub async fn run(self) -> std::io::Result<()> {
        let state = &self.state;
        let worker = OutboxWorker {
            store: state.store.clone(),
            vipps: state.vipps.clone(),
            wake: state.outbox_wake.clone(),
            config: state.config.outbox,
        };
        let outbox = tokio::spawn(worker.run());
        let reconciler = tokio::spawn(
            Reconciler {
                state: state.clone(),
            }
            .run(),
        );
        let limits = self.state.config.server;
        let served = crate::serve::serve(self.listener, routes::router(self.state), limits).await;
        outbox.abort();
        reconciler.abort();
        served
    }
}
