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
use crate::data_dir::{self, PrivateFileError};
use crate::idempotency::{ResponseSealer, SealError};
use crate::keys::{self, KeyError};
use crate::payments::{PaymentStore, StoreError};
use crate::rate_limit::WidgetLimits;
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
    /// How often the widget may read and act on one payment, and fail from one address.
    pub limits: Arc<WidgetLimits>,
    /// Wakes the outbox worker when an update was written.
    pub outbox_wake: Arc<Notify>,
    /// Seals the idempotent answers kept in the database (server key).
    pub response_sealer: Arc<ResponseSealer>,
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
    #[error(transparent)]
    DataDir(#[from] PrivateFileError),
    #[error(transparent)]
    Seal(#[from] SealError),
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
        data_dir::create_private_dir(&config.data_dir)?;
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
        let server_key =
            keys::load_or_create_server_key(&config.data_dir, config.server_key.as_ref())?;
        let response_sealer = Arc::new(ResponseSealer::new(&server_key)?);
        let database_url = match &config.database_url {
            Some(url) => url.clone(),
            None => {
                // 0600 before SQLite opens it; its -wal and -shm files take the same mode.
                let path = config.data_dir.join("psp.sqlite");
                data_dir::create_private_file(&path)?;
                for journal in ["psp.sqlite-wal", "psp.sqlite-shm"] {
                    data_dir::restrict_file(&config.data_dir.join(journal))?;
                }
                format!("sqlite://{}", path.display())
            }
        };
        let store = PaymentStore::connect(&database_url).await?;
        let card_decryptor =
            Arc::new(CardDecryptor::new(card_key).map_err(|_| StartupError::CardKey)?);
        let state = AppState {
            limits: Arc::new(WidgetLimits::new(&config)),
            outbox_wake: Arc::new(Notify::new()),
            response_sealer,
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

    /// The state the router is built on, for tests that drive it directly.
    #[cfg(test)]
    pub(crate) fn state(&self) -> &AppState {
        &self.state
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
        let minute = std::time::Duration::from_secs(60);
        let sweeper = tokio::spawn(state.limits.clone().sweep_every(minute));
        let limits = self.state.config.server;
        let served = crate::serve::serve(self.listener, routes::router(self.state), limits).await;
        outbox.abort();
        reconciler.abort();
        sweeper.abort();
        served
    }
}
