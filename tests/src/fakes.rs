//! The backend alone, with a recording fake Vipps and a counting acquirer, for tests
//! that play Vipps's makePayment calls themselves (duplicates, concurrency, bad card data).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use aws_lc_rs::rsa::{OAEP_SHA256_MGF1SHA256, OaepPublicEncryptingKey, PublicEncryptingKey};
use backend::acquirer::{Acquirer, AcquirerError, Authorisation, Authorise, TestAcquirer};
use backend::vipps::{Vipps, VippsError};
use base64::Engine;
use secrecy::ExposeSecret;
use shared::account::Msn;
use shared::vipps::details::PaymentDetails;
use shared::vipps::{InitRequest, InitResponse, UpdateStatusRequest};
use shared::{Amount, PaymentId, PspTransactionId};
use std::time::Duration;

use crate::TestResult;

/// Answers every init with a landing URL (`landing_url` if set) and remembers what it was sent. Knows no
/// payment when asked for `details` (404).
#[derive(Default)]
pub struct RecordingVipps {
    pub inits: Mutex<Vec<InitRequest>>,
    /// The next this many inits are recorded and never answered, as if the backend died
    /// while waiting for Vipps.
    pub hang_inits: AtomicUsize,
    /// How often `details` was asked.
    pub details_asked: AtomicUsize,
    pub landing_url: Mutex<Option<String>>,
    /// Every call as it was made.
    pub calls: Mutex<Vec<VippsCall>>,
}

/// One call to Vipps: its name, the MSN it was made for and the attempts it was about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VippsCall {
    /// `init`, `updatestatus` or `details`.
    pub name: &'static str,
    pub msn: String,
    pub psp_transaction_ids: Vec<String>,
    /// The Request-Id it was sent under (`init` and `updatestatus`).
    pub request_id: Option<String>,
}

impl RecordingVipps {
    fn record<'a>(
        &self,
        name: &'static str,
        msn: &Msn,
        ids: impl Iterator<Item = &'a str>,
        request_id: Option<&str>,
    ) {
        if let Ok(mut calls) = self.calls.lock() {
            calls.push(VippsCall {
                name,
                msn: msn.as_str().to_owned(),
                psp_transaction_ids: ids.map(str::to_owned).collect(),
                request_id: request_id.map(str::to_owned),
            });
        }
    }

    /// The calls named `name`, in order.
    pub fn calls_named(&self, name: &str) -> Vec<VippsCall> {
        self.calls
            .lock()
            .map(|calls| calls.iter().filter(|c| c.name == name).cloned().collect())
            .unwrap_or_default()
    }
}

#[async_trait]
impl Vipps for RecordingVipps {
    async fn init(
        &self,
        msn: &Msn,
        request: &InitRequest,
        request_id: &str,
    ) -> Result<InitResponse, VippsError> {
        self.record(
            "init",
            msn,
            [request.psp_transaction_id.as_str()].into_iter(),
            Some(request_id),
        );
        if let Ok(mut inits) = self.inits.lock() {
            inits.push(request.clone());
        }
        let take = |n: usize| n.checked_sub(1);
        if self
            .hang_inits
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, take)
            .is_ok()
        {
            std::future::pending::<()>().await;
        }
        let landing = self.landing_url.lock().ok().and_then(|url| url.clone());
        Ok(InitResponse {
            psp_transaction_id: request.psp_transaction_id.clone(),
            merchant_order_id: request.merchant_order_id.clone(),
            vipps_redirect_url: landing.unwrap_or_else(|| "http://vipps.invalid/landing".into()),
        })
    }

    async fn update_status(
        &self,
        msn: &Msn,
        request: &UpdateStatusRequest,
        request_id: &str,
    ) -> Result<(), VippsError> {
        let ids = request
            .transactions
            .iter()
            .map(|t| t.psp_transaction_id.as_str());
        self.record("updatestatus", msn, ids, Some(request_id));
        Ok(())
    }

    async fn details(
        &self,
        msn: &Msn,
        id: &PspTransactionId,
    ) -> Result<PaymentDetails, VippsError> {
        self.record("details", msn, [id.as_str()].into_iter(), None);
        self.details_asked.fetch_add(1, Ordering::SeqCst);
        Err(VippsError::Rejected(404, Vec::new()))
    }
}

/// The test acquirer, counting the authorisations, captures and voids it is asked for.
pub struct CountingAcquirer {
    inner: TestAcquirer,
    pub calls: AtomicUsize,
    pub voids: AtomicUsize,
    pub captures: AtomicUsize,
    /// The next capture waits for `release` before it reaches the acquirer (forever if
    /// never released, as when the instance asking dies mid-call).
    pub hold_next_capture: std::sync::atomic::AtomicBool,
    pub release: tokio::sync::Notify,
}

impl CountingAcquirer {
    fn new(inner: TestAcquirer) -> Self {
        Self {
            inner,
            calls: AtomicUsize::new(0),
            voids: AtomicUsize::new(0),
            captures: AtomicUsize::new(0),
            hold_next_capture: std::sync::atomic::AtomicBool::new(false),
            release: tokio::sync::Notify::new(),
        }
    }
}

#[async_trait]
impl Acquirer for CountingAcquirer {
    async fn authorise(&self, request: Authorise<'_>) -> Result<Authorisation, AcquirerError> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        self.inner.authorise(request).await
    }

    async fn capture(
        &self,
        reference: &str,
        amount: Amount,
        operation: &str,
    ) -> Result<(), AcquirerError> {
        self.captures.fetch_add(1, Ordering::SeqCst);
        if self.hold_next_capture.swap(false, Ordering::SeqCst) {
            self.release.notified().await;
        }
        self.inner.capture(reference, amount, operation).await
    }

    async fn refund(
        &self,
        reference: &str,
        amount: Amount,
        operation: &str,
    ) -> Result<(), AcquirerError> {
        self.inner.refund(reference, amount, operation).await
    }

    async fn void(
        &self,
        reference: &str,
        amount: Amount,
        operation: &str,
    ) -> Result<(), AcquirerError> {
        self.voids.fetch_add(1, Ordering::SeqCst);
        self.inner.void(reference, amount, operation).await
    }

    async fn find_authorisation(
        &self,
        payment: &PaymentId,
    ) -> Result<Option<String>, AcquirerError> {
        self.inner.find_authorisation(payment).await
    }

    async fn open_authorisations(&self, payment: &PaymentId) -> Result<Vec<String>, AcquirerError> {
        self.inner.open_authorisations(payment).await
    }
}

pub struct LoneBackend {
    pub url: String,
    pub merchant_key: String,
    pub operator_key: String,
    pub vipps: Arc<RecordingVipps>,
    pub acquirer: Arc<CountingAcquirer>,
    public_key_der: Vec<u8>,
    config: backend::Config,
    _data: Arc<tempfile::TempDir>,
}

impl LoneBackend {
    /// A merchant payment of 123 kr with an order id no earlier payment here has used.
    pub async fn create_payment(
        &self,
        http: &reqwest::Client,
    ) -> TestResult<shared::merchant::MerchantPayment> {
        self.create_payment_as(http, &self.merchant_key).await
    }

    /// The operator creates a second merchant with `msn`; returns it with its first key.
    pub async fn create_merchant(
        &self,
        http: &reqwest::Client,
        msn: &str,
    ) -> TestResult<crate::OtherMerchant> {
        let response = http
            .post(format!("{}/operator/v1/merchants", self.url))
            .bearer_auth(&self.operator_key)
            .json(&serde_json::json!({"name": "Fjord Kaffe AS", "msn": msn}))
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let created: shared::account::CreatedMerchant = crate::expect_json(response, 201).await?;
        Ok(crate::OtherMerchant {
            merchant: created.merchant,
            key: created.api_key.secret,
        })
    }

    /// As [`Self::create_payment`], for the merchant whose key `key` is.
    pub async fn create_payment_as(
        &self,
        http: &reqwest::Client,
        key: &str,
    ) -> TestResult<shared::merchant::MerchantPayment> {
        let order = format!("o{}", shared::ids::hex(&crate::rand_bytes()));
        let body = serde_json::json!({
            "amount": 12_300, "merchant_order_id": order, "description": "Vipps socks"
        });
        let response = http
            .post(format!("{}/v1/payments", self.url))
            .bearer_auth(key)
            .json(&body)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        crate::expect_json(response, 201).await
    }

    pub async fn spawn() -> TestResult<Self> {
        Self::spawn_with(|_| {}, Duration::from_secs(20)).await
    }

    /// With `tweak` applied to the config and the slow test card taking `slow`.
    pub async fn spawn_with(
        tweak: impl FnOnce(&mut backend::Config),
        slow: Duration,
    ) -> TestResult<Self> {
        let data = tempfile::tempdir().map_err(|e| e.to_string())?;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .map_err(|e| e.to_string())?;
        let port = listener.local_addr().map_err(|e| e.to_string())?.port();
        let url = format!("http://localhost:{port}");
        let mut config = backend::Config::sandbox(data.path().to_path_buf());
        config.public_url = url.clone();
        config.reconcile_interval = Duration::from_millis(50);
        config.database_url = crate::database::fresh().await?;
        tweak(&mut config);
        let vipps = Arc::new(RecordingVipps::default());
        let acquirer = Arc::new(CountingAcquirer::new(
            TestAcquirer::in_memory(slow)
                .await
                .map_err(|e| e.to_string())?,
        ));
        Self::start(config, listener, vipps, acquirer, Arc::new(data)).await
    }

    /// Two instances started at the same moment on one new database (their keys made
    /// first, as a deployment hands every instance the same keys).
    pub async fn spawn_two_at_once() -> TestResult<(Self, Self)> {
        let data = Arc::new(tempfile::tempdir().map_err(|e| e.to_string())?);
        let mut config = backend::Config::sandbox(data.path().to_path_buf());
        config.database_url = crate::database::fresh().await?;
        let dir = data.path();
        let text = |e: &dyn std::fmt::Display| e.to_string();
        backend::data_dir::create_private_dir(dir).map_err(|e| text(&e))?;
        backend::keys::load_or_create_card_key(dir).map_err(|e| text(&e))?;
        backend::keys::load_or_create_server_key(dir, None).map_err(|e| text(&e))?;
        backend::keys::load_or_create_merchant_key(dir, None).map_err(|e| text(&e))?;
        backend::keys::load_or_create_operator_key(dir, None).map_err(|e| text(&e))?;
        let vipps = Arc::new(RecordingVipps::default());
        let acquirer = Arc::new(CountingAcquirer::new(
            TestAcquirer::in_memory(Duration::from_secs(20))
                .await
                .map_err(|e| e.to_string())?,
        ));
        let mut listeners = Vec::new();
        for _ in 0..2 {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await;
            listeners.push(listener.map_err(|e| e.to_string())?);
        }
        let (second, first) = (listeners.pop(), listeners.pop());
        let (Some(first), Some(second)) = (first, second) else {
            return Err("no listeners".into());
        };
        let (a, b) = tokio::join!(
            Self::start(
                config.clone(),
                first,
                vipps.clone(),
                acquirer.clone(),
                data.clone()
            ),
            Self::start(config, second, vipps, acquirer, data),
        );
        Ok((a?, b?))
    }

    /// Another backend process, as a second instance behind a load balancer would be: the
    /// same settings, keys and database, the same Vipps and acquirer, its own port.
    pub async fn another_instance(&self) -> TestResult<Self> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .map_err(|e| e.to_string())?;
        Self::start(
            self.config.clone(),
            listener,
            self.vipps.clone(),
            self.acquirer.clone(),
            self._data.clone(),
        )
        .await
    }

    async fn start(
        config: backend::Config,
        listener: tokio::net::TcpListener,
        vipps: Arc<RecordingVipps>,
        acquirer: Arc<CountingAcquirer>,
        data: Arc<tempfile::TempDir>,
    ) -> TestResult<Self> {
        let port = listener.local_addr().map_err(|e| e.to_string())?.port();
        let app = backend::Application::build_with(
            config.clone(),
            listener,
            vipps.clone(),
            acquirer.clone(),
        )
        .await
        .map_err(|e| e.to_string())?;
        let merchant_key = app.merchant_api_key().expose_secret().to_owned();
        let operator_key = app.operator_api_key().expose_secret().to_owned();
        let public_key_der = app.card_public_key_der().to_vec();
        tokio::spawn(app.run());
        Ok(Self {
            url: format!("http://localhost:{port}"),
            merchant_key,
            operator_key,
            vipps,
            acquirer,
            public_key_der,
            config,
            _data: data,
        })
    }

    /// The widget starts `payment` (phone 912 34 567); the init the backend sent to Vipps.
    pub async fn start_payment(
        &self,
        http: &reqwest::Client,
        payment: &shared::merchant::MerchantPayment,
    ) -> TestResult<InitRequest> {
        let response = http
            .post(format!(
                "{}/api/checkout/payments/{}/start",
                self.url, payment.id
            ))
            .header(
                "x-client-secret",
                payment.client_secret.clone().unwrap_or_default(),
            )
            .json(&serde_json::json!({"phone_number": "91234567"}))
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let _: serde_json::Value = crate::expect_json(response, 200).await?;
        self.last_init()
    }

    /// The last init the backend sent to Vipps.
    pub fn last_init(&self) -> TestResult<InitRequest> {
        let inits = self.vipps.inits.lock().map_err(|e| e.to_string())?;
        inits
            .last()
            .cloned()
            .ok_or_else(|| "no init was sent".to_owned())
    }

    /// `cardData` as Vipps makes it, for our public key.
    pub fn card_data(&self, plain: &str) -> TestResult<String> {
        let key = PublicEncryptingKey::from_der(&self.public_key_der).map_err(|e| e.to_string())?;
        let key = OaepPublicEncryptingKey::new(key).map_err(|e| e.to_string())?;
        let mut out = vec![0u8; key.ciphertext_size()];
        let cryptogram = key
            .encrypt(&OAEP_SHA256_MGF1SHA256, plain.as_bytes(), &mut out, None)
            .map_err(|e| e.to_string())?;
        Ok(base64::engine::general_purpose::STANDARD.encode(cryptogram))
    }

    pub fn charges(&self) -> usize {
        self.acquirer.calls.load(Ordering::SeqCst)
    }

    /// The backend's database, for tests that set up what a dead instance leaves behind.
    pub async fn database(&self) -> TestResult<sqlx::AnyConnection> {
        crate::database::connect(self.config.database_url.as_deref(), &self.config.data_dir).await
    }

    pub fn voids(&self) -> usize {
        self.acquirer.voids.load(Ordering::SeqCst)
    }
}

/// Vipps's makePayment for `init`, with the attempt's token, as Vipps sends it.
pub async fn send_make_payment(
    http: &reqwest::Client,
    init: &InitRequest,
    body: &serde_json::Value,
) -> TestResult<reqwest::Response> {
    http.post(&init.make_payment_url)
        .header(
            "Authorization",
            init.make_payment_token.clone().unwrap_or_default(),
        )
        .json(body)
        .send()
        .await
        .map_err(|e| e.to_string())
}

/// makePayment's body once the shopper approved, for sales unit `msn`, with `card_data`.
pub fn approved_body(init: &InitRequest, msn: &str, card_data: &str) -> serde_json::Value {
    serde_json::json!({"pspTransactionId": init.psp_transaction_id, "merchantSerialNumber": msn,
                       "cardData": card_data, "confirmed": "YES"})
}
