//! Wiring: `AppState` (config, the payments core's parts, keys, limits) and
//! `Application`, which owns the bound listener and serves the router.

use std::sync::Arc;

use secrecy::SecretString;
use tokio::net::TcpListener;
use tokio::sync::Notify;

use crate::dashboard::SessionStore;
use crate::merchants::{self, MerchantError, MerchantStore};
use crate::outbox::OutboxWorker;
use crate::reconcile::{ReconcileTiming, Reconciler};
use crate::webhooks::{WebhookError, WebhookWorker};

use crate::acquirer::measured::Measured;
use crate::acquirer::{Acquirer, TestAcquirer, test_acquirer};
use crate::config::{AcquirerKind, Config};
use crate::data_dir::{self, PrivateFileError};
use crate::idempotency::{ResponseSealer, SealError};
use crate::keys::{self, KeyError};
use crate::payments::{PaymentStore, Payments, Settings, StoreError};
use crate::rate_limit::WidgetLimits;
use crate::routes;
use crate::telemetry::Metrics;
use crate::vipps::{CardDecryptor, HttpVipps, Vipps, VippsError};

#[derive(Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    /// What the payment use cases work with.
    pub payments: Payments,
    /// The key of the merchant the environment describes (sandbox convenience).
    pub merchant_api_key: SecretString,
    /// Guards the operator API (`/operator/v1`).
    pub operator_api_key: SecretString,
    /// How often the widget may read and act on one payment, and fail from one address.
    pub limits: Arc<WidgetLimits>,
    /// Seals the idempotent answers and webhook secrets kept in the database (server key).
    pub response_sealer: Arc<ResponseSealer>,
    /// This process's metrics (`/metrics`).
    pub metrics: Metrics,
    /// The dashboard's users and sessions.
    pub sessions: SessionStore,
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
    #[error("the merchant from the environment: {0}")]
    Merchant(#[from] MerchantError),
    #[error("the sandbox's dashboard user: {0}")]
    Dashboard(#[from] crate::dashboard::DashboardError),
    #[error(transparent)]
    Webhooks(#[from] WebhookError),
    #[error("the test acquirer's ledger: {0}")]
    AcquirerLedger(sqlx::Error),
    #[error("cannot read the listener address: {0}")]
    Listener(std::io::Error),
}

pub struct Application {
    listener: TcpListener,
    state: AppState,
    webhooks: WebhookWorker,
    card_public_key_der: Vec<u8>,
}

impl Application {
    /// The real thing: Vipps over HTTP at `config.vipps.base_url`, the test acquirer.
    pub async fn build(config: Config, listener: TcpListener) -> Result<Self, StartupError> {
        let vipps = Arc::new(HttpVipps::new(config.vipps.clone())?);
        let acquirer = match config.acquirer {
            AcquirerKind::Test => {
                data_dir::create_private_dir(&config.data_dir)?;
                let ledger = config
                    .test_acquirer_ledger
                    .clone()
                    .unwrap_or_else(|| config.data_dir.join(test_acquirer::LEDGER_FILE));
                let acquirer = TestAcquirer::open(&ledger, config.test_acquirer_slow)
                    .await
                    .map_err(StartupError::AcquirerLedger)?;
                Arc::new(acquirer)
            }
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
        let operator_api_key =
            keys::load_or_create_operator_key(&config.data_dir, config.operator_api_key.as_ref())?;
        let server_key =
            keys::load_or_create_server_key(&config.data_dir, config.server_key.as_ref())?;
        let response_sealer = Arc::new(ResponseSealer::new(&server_key)?);
        let database_url =
            data_dir::database_url(&config.data_dir, config.database_url.as_deref())?;
        let store = PaymentStore::connect(&database_url).await?;
        let merchants = MerchantStore::new(store.pool().clone());
        let environment_merchant =
            merchants::ensure_environment_merchant(&merchants, &config.merchant, &merchant_api_key)
                .await?;
        let card_decryptor =
            Arc::new(CardDecryptor::new(card_key).map_err(|_| StartupError::CardKey)?);
        let metrics = Metrics::new();
        let acquirer = Arc::new(Measured::new(acquirer, metrics.acquirer()));
        let payments = Payments {
            webhook_wake: store.events_written(),
            store,
            merchants,
            vipps,
            acquirer,
            card_decryptor,
            outbox_wake: Arc::new(Notify::new()),
            settings: Settings {
                public_url: config.public_url.clone(),
                vipps_base_url: config.vipps.base_url.clone(),
                payment_ttl: config.payment_ttl,
                acquirer_timeout: config.acquirer_timeout,
            },
        };
        let webhooks = WebhookWorker::new(
            payments.store.pool().clone(),
            response_sealer.clone(),
            payments.webhook_wake.clone(),
            config.webhooks,
        )?;
        let sessions = SessionStore::new(
            payments.store.pool().clone(),
            payments.merchants.clone(),
            config.public_url.starts_with("https://"),
        );
        if config.mode == crate::config::Mode::Sandbox {
            crate::dashboard::bootstrap::ensure_sandbox_user(
                sessions.users(),
                &environment_merchant,
                &config.data_dir,
            )
            .await?;
        }
        let state = AppState {
            sessions,
            limits: Arc::new(WidgetLimits::new(&config)),
            response_sealer,
            metrics,
            config: Arc::new(config),
            payments,
            merchant_api_key,
            operator_api_key,
        };
        Ok(Self {
            listener,
            state,
            webhooks,
            card_public_key_der,
        })
    }

    pub fn port(&self) -> Result<u16, StartupError> {
        self.local_addr().map(|a| a.port())
    }

    /// The address the listener is bound to.
    pub fn local_addr(&self) -> Result<std::net::SocketAddr, StartupError> {
        self.listener.local_addr().map_err(StartupError::Listener)
    }

    pub fn public_url(&self) -> &str {
        &self.state.config.public_url
    }

    /// Our RSA public key (X.509 SubjectPublicKeyInfo DER), the one Vipps encrypts card data with.
    pub fn card_public_key_der(&self) -> &[u8] {
        &self.card_public_key_der
    }

    /// The key of the merchant the environment describes.
    pub fn merchant_api_key(&self) -> &SecretString {
        &self.state.merchant_api_key
    }

    /// The key of the operator API.
    pub fn operator_api_key(&self) -> &SecretString {
        &self.state.operator_api_key
    }

    /// A sandbox backend on a fresh data directory (returned: it lives as long as the
    /// test holds it), on a loopback port, with `adjust` applied to its settings.
    #[cfg(test)]
    pub(crate) async fn for_test(
        adjust: impl FnOnce(&mut Config),
    ) -> Result<(Self, tempfile::TempDir), String> {
        let data = tempfile::tempdir().map_err(|e| e.to_string())?;
        let mut config = Config::sandbox(data.path().to_path_buf());
        adjust(&mut config);
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .map_err(|e| e.to_string())?;
        let app = Self::build(config, listener)
            .await
            .map_err(|e| e.to_string())?;
        Ok((app, data))
    }

    /// The state the router is built on, for tests that drive it directly.
    #[cfg(test)]
    pub(crate) fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves the API and runs the outbox worker and reconciliation beside it.
    pub async fn run(self) -> std::io::Result<()> {
        let state = &self.state;
        let payments = &state.payments;
        let worker = OutboxWorker {
            store: payments.store.clone(),
            vipps: payments.vipps.clone(),
            wake: payments.outbox_wake.clone(),
            config: state.config.outbox,
        };
        // Dropped (the server stops, or this future is dropped, as a crash would), it stops
        // every job: none outlives the server that started it.
        let mut jobs = tokio::task::JoinSet::new();
        jobs.spawn(worker.run());
        jobs.spawn(self.webhooks.run());
        jobs.spawn(
            Reconciler {
                state: payments.clone(),
                timing: ReconcileTiming {
                    interval: state.config.reconcile_interval,
                    initiating_stuck_after: state.config.initiating_stuck_after,
                    stuck_after: state.config.stuck_after,
                },
                actions: state.metrics.reconciliation(),
            }
            .run(),
        );
        let minute = std::time::Duration::from_secs(60);
        jobs.spawn(state.limits.clone().sweep_every(minute));
        let limits = self.state.config.server;
        let served = crate::serve::serve(self.listener, routes::router(self.state), limits).await;
        jobs.abort_all();
        served
    }
}
