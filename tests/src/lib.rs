//! The test harness: `TestApp` spawns the real backend, the Vipps simulator and the
//! demo shop in-process on port 0 with a fresh data directory, and drives them over HTTP.

pub mod bench;
pub mod browser;
pub mod cluster;
pub mod dashboard;
pub mod database;
pub mod fakes;
pub mod receiver;

use std::path::PathBuf;

use secrecy::ExposeSecret;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use shared::checkout::{CLIENT_SECRET_HEADER, CheckoutPayment};
use shared::merchant::MerchantPayment;
use tokio::net::TcpListener;

/// Tests return this: any failure is a readable message, never a panic in setup code.
pub type TestResult<T = ()> = Result<T, String>;

/// A second sales unit the sandbox's Vipps knows, for tests with two merchants.
pub const SECOND_MSN: &str = shared::sandbox::SECOND_MERCHANT_SERIAL_NUMBER;
pub const SECOND_MERCHANT_NAME: &str = shared::sandbox::SECOND_MERCHANT_NAME;

/// A merchant created through the operator API, with its first key.
pub struct OtherMerchant {
    pub merchant: shared::account::Merchant,
    pub key: String,
}

pub struct TestApp {
    pub backend_url: String,
    pub simulator_url: String,
    pub shop_url: String,
    pub merchant_key: String,
    /// The key of the operator API (`/operator/v1`).
    pub operator_key: String,
    pub http: reqwest::Client,
    backend_config: backend::Config,
    backend_task: std::sync::Mutex<Option<tokio::task::JoinHandle<std::io::Result<()>>>>,
    data: tempfile::TempDir,
}

/// How to set up a `TestApp`.
#[derive(Default)]
pub struct Options {
    /// The built widget (`frontend/dist`), for browser tests.
    pub widget_dir: Option<PathBuf>,
    /// Where Redoc's script is, for the API reference's browser test.
    pub api_docs_dir: Option<PathBuf>,
    /// The built dashboard (`DASHBOARD_DIR`).
    pub dashboard_dir: Option<PathBuf>,
    /// How long a payment may wait for the shopper to press Pay.
    pub payment_ttl_seconds: Option<u64>,
    /// Origins besides the demo shop's that may frame the widget.
    pub allowed_origins: Vec<String>,
    /// Widget reads per payment and minute before 429.
    pub poll_limit_per_minute: Option<u32>,
    /// Widget starts, cancels and QR codes per payment and minute before 429.
    pub widget_actions_per_minute: Option<u32>,
    /// Widget requests failing authentication per client address and minute before 429.
    pub widget_failures_per_minute: Option<u32>,
    /// The acquirer's deadline in makePayment, and how slow the slow test card is.
    pub acquirer_timeout_ms: Option<u64>,
    pub slow_card_ms: Option<u64>,
    /// The first retry delay of status updates to Vipps (20 ms unless set).
    pub outbox_base_delay_ms: Option<u64>,
    /// How long a payment may stay `Initiating` before reconciliation asks Vipps about it.
    pub initiating_stuck_after_seconds: Option<u64>,
    /// The backend's HTTP limits: header-read timeout, request timeout, connection cap.
    pub header_read_timeout_ms: Option<u64>,
    pub request_timeout_ms: Option<u64>,
    pub max_connections: Option<usize>,
    /// Where browsers send Content Security Policy reports (the backend's own endpoint
    /// unless set).
    pub csp_report_uri: Option<String>,
    /// How long one webhook delivery may take (2 s unless set).
    pub webhook_timeout_ms: Option<u64>,
    /// Whether webhook endpoints may be on loopback (yes, as in the sandbox, unless set).
    pub webhooks_to_private_addresses: Option<bool>,
    /// The backend's database; unless set, a fresh one as [`database::fresh`] gives.
    pub database_url: Option<String>,
}

async fn bind() -> TestResult<(TcpListener, String)> {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| e.to_string())?;
    let port = listener.local_addr().map_err(|e| e.to_string())?.port();
    Ok((listener, format!("http://localhost:{port}")))
}

impl TestApp {
    pub async fn spawn() -> TestResult<Self> {
        Self::spawn_with(Options::default()).await
    }

    pub async fn spawn_with(options: Options) -> TestResult<Self> {
        let data = tempfile::tempdir().map_err(|e| e.to_string())?;
        let (backend_listener, backend_url) = bind().await?;
        let (simulator_listener, simulator_url) = bind().await?;
        let (shop_listener, shop_url) = bind().await?;

        let mut config = backend::Config::sandbox(data.path().to_path_buf());
        config.database_url = match options.database_url {
            Some(url) => Some(url),
            None => database::fresh().await?,
        };
        config.public_url = backend_url.clone();
        config.vipps.base_url = simulator_url.clone();
        if let Some(dir) = options.widget_dir {
            config.widget_dir = dir;
        }
        if let Some(dir) = options.api_docs_dir {
            config.api_docs_dir = dir;
        }
        if let Some(dir) = options.dashboard_dir {
            config.dashboard_dir = dir;
        }
        config.merchant.allowed_origins = [shop_url.clone()]
            .into_iter()
            .chain(options.allowed_origins)
            .collect();
        // Background jobs run fast here so tests wait on them briefly.
        config.reconcile_interval = std::time::Duration::from_millis(50);
        config.outbox.poll = std::time::Duration::from_millis(50);
        let base_delay = options.outbox_base_delay_ms.unwrap_or(20);
        config.outbox.base_delay = std::time::Duration::from_millis(base_delay);
        config.outbox.max_delay = std::time::Duration::from_millis(base_delay.saturating_mul(10));
        config.outbox.lease = std::time::Duration::from_millis(500);
        config.webhooks.poll = std::time::Duration::from_millis(50);
        config.webhooks.base_delay = std::time::Duration::from_millis(20);
        config.webhooks.max_delay = std::time::Duration::from_millis(200);
        config.webhooks.timeout =
            std::time::Duration::from_millis(options.webhook_timeout_ms.unwrap_or(2_000));
        if let Some(allow) = options.webhooks_to_private_addresses {
            config.webhooks.allow_private_addresses = allow;
        }
        if let Some(ms) = options.acquirer_timeout_ms {
            config.acquirer_timeout = std::time::Duration::from_millis(ms);
        }
        if let Some(ms) = options.slow_card_ms {
            config.test_acquirer_slow = std::time::Duration::from_millis(ms);
        }
        if let Some(limit) = options.poll_limit_per_minute {
            config.poll_limit_per_minute = limit;
        }
        if let Some(seconds) = options.initiating_stuck_after_seconds {
            config.initiating_stuck_after = std::time::Duration::from_secs(seconds);
        }
        if let Some(limit) = options.widget_actions_per_minute {
            config.widget_actions_per_minute = limit;
        }
        if let Some(limit) = options.widget_failures_per_minute {
            config.widget_failures_per_minute = limit;
        }
        if let Some(ms) = options.header_read_timeout_ms {
            config.server.header_read_timeout = std::time::Duration::from_millis(ms);
        }
        if let Some(ms) = options.request_timeout_ms {
            config.server.request_timeout = std::time::Duration::from_millis(ms);
        }
        if let Some(cap) = options.max_connections {
            config.server.max_connections = cap;
        }
        if let Some(uri) = options.csp_report_uri {
            config.csp_report_uri = uri;
        }
        if let Some(ttl) = options.payment_ttl_seconds {
            config.payment_ttl = std::time::Duration::from_secs(ttl);
        }
        let backend_config = config.clone();
        let app = backend::Application::build(config, backend_listener)
            .await
            .map_err(|e| e.to_string())?;
        let merchant_key = app.merchant_api_key().expose_secret().to_owned();
        let operator_key = app.operator_api_key().expose_secret().to_owned();
        // The sandbox's Vipps knows a second sales unit too, for tests with two merchants.
        let sim_config =
            simulator::Config::sandbox(simulator_url.clone(), app.card_public_key_der().to_vec());
        let shop_config = demo_shop::Config {
            psp_api_url: backend_url.clone(),
            psp_checkout_url: backend_url.clone(),
            merchant_api_key: merchant_key.clone(),
            data_dir: data.path().join("shop"),
            webhook_url: format!("{shop_url}/webhooks")
                .try_into()
                .map_err(|e: shared::webhooks::EndpointUrlError| e.to_string())?,
            // The shop registers its endpoint at the backend itself.
            webhook_secret: None,
        };
        let backend_task = std::sync::Mutex::new(Some(tokio::spawn(app.run())));
        tokio::spawn(simulator::run(simulator_listener, sim_config));
        tokio::spawn(demo_shop::run(shop_listener, shop_config));
        let http = reqwest::Client::builder()
            .build()
            .map_err(|e| e.to_string())?;
        Ok(Self {
            backend_url,
            simulator_url,
            shop_url,
            merchant_key,
            operator_key,
            http,
            backend_config,
            backend_task,
            data,
        })
    }

    /// Stops the backend (as a crash would: nothing is flushed) and starts a new one on
    /// the same port and database.
    pub async fn restart_backend(&self) -> TestResult {
        let task = self.backend_task.lock().map_err(|e| e.to_string())?.take();
        if let Some(task) = task {
            task.abort();
            let _ = task.await;
        }
        let port = self
            .backend_url
            .rsplit(':')
            .next()
            .and_then(|p| p.parse::<u16>().ok())
            .ok_or("no port")?;
        let listener = TcpListener::bind(("127.0.0.1", port))
            .await
            .map_err(|e| e.to_string())?;
        let app = backend::Application::build(self.backend_config.clone(), listener)
            .await
            .map_err(|e| e.to_string())?;
        *self.backend_task.lock().map_err(|e| e.to_string())? = Some(tokio::spawn(app.run()));
        Ok(())
    }

    /// The backend's database when it is not the SQLite file in the data directory.
    pub fn database_url(&self) -> Option<&str> {
        self.backend_config.database_url.as_deref()
    }

    /// The backend's database, for tests that set up what a dead instance leaves behind.
    pub async fn database(&self) -> TestResult<sqlx::AnyConnection> {
        database::connect(self.database_url(), self.data_dir()).await
    }

    /// The backend's data directory (keys, SQLite files), for tests that look at it at rest.
    pub fn data_dir(&self) -> &std::path::Path {
        self.data.path()
    }

    /// `key`'s merchant registers a webhook endpoint at `url` for every event type.
    pub async fn register_endpoint(
        &self,
        key: &str,
        url: &str,
    ) -> TestResult<shared::webhooks::EndpointWithSecret> {
        let response = self
            .http
            .post(format!("{}/v1/webhook-endpoints", self.backend_url))
            .bearer_auth(key)
            .json(&json!({ "url": url }))
            .send()
            .await
            .map_err(|e| e.to_string())?;
        expect_json(response, 201).await
    }

    /// The operator creates a merchant (`body` as `POST /operator/v1/merchants` takes it).
    pub async fn create_merchant(&self, body: &Value) -> TestResult<OtherMerchant> {
        let response = self
            .http
            .post(format!("{}/operator/v1/merchants", self.backend_url))
            .bearer_auth(&self.operator_key)
            .json(body)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let created: shared::account::CreatedMerchant = expect_json(response, 201).await?;
        Ok(OtherMerchant {
            merchant: created.merchant,
            key: created.api_key.secret,
        })
    }

    /// The second merchant ([`SECOND_MSN`]), framed by the demo shop's origin too.
    pub async fn second_merchant(&self) -> TestResult<OtherMerchant> {
        self.create_merchant(&json!({
            "name": SECOND_MERCHANT_NAME, "msn": SECOND_MSN, "allowed_origins": [self.shop_url]
        }))
        .await
    }

    /// `key`'s merchant creates a payment of `amount` øre with order id `order`.
    pub async fn create_payment_as(
        &self,
        key: &str,
        amount: u64,
        order: &str,
    ) -> TestResult<reqwest::Response> {
        let body = json!({"amount": amount, "merchant_order_id": order, "description": "Kaffe"});
        self.http
            .post(format!("{}/v1/payments", self.backend_url))
            .bearer_auth(key)
            .json(&body)
            .send()
            .await
            .map_err(|e| e.to_string())
    }

    /// A merchant creates a payment of `amount` øre.
    pub async fn create_payment(&self, amount: u64) -> TestResult<MerchantPayment> {
        let order = format!("order{}", shared::ids::hex(&rand_bytes()));
        let body = json!({"amount": amount, "currency": "NOK", "merchant_order_id": order, "description": "Vipps socks"});
        let response = self.merchant_post("/v1/payments", &body).await?;
        expect_json(response, 201).await
    }

    pub async fn merchant_post(&self, path: &str, body: &Value) -> TestResult<reqwest::Response> {
        self.http
            .post(format!("{}{path}", self.backend_url))
            .bearer_auth(&self.merchant_key)
            .json(body)
            .send()
            .await
            .map_err(|e| e.to_string())
    }

    pub async fn merchant_get(&self, path: &str) -> TestResult<reqwest::Response> {
        let url = format!("{}{path}", self.backend_url);
        self.http
            .get(url)
            .bearer_auth(&self.merchant_key)
            .send()
            .await
            .map_err(|e| e.to_string())
    }

    /// The widget starts the payment for `phone`.
    pub async fn start(
        &self,
        payment: &MerchantPayment,
        phone: &str,
    ) -> TestResult<reqwest::Response> {
        self.start_with(payment, &json!({"phone_number": phone}))
            .await
    }

    /// The widget starts the payment with `body` as its request.
    pub async fn start_with(
        &self,
        payment: &MerchantPayment,
        body: &Value,
    ) -> TestResult<reqwest::Response> {
        let secret = payment.client_secret.clone().unwrap_or_default();
        self.http
            .post(format!(
                "{}/api/checkout/payments/{}/start",
                self.backend_url, payment.id
            ))
            .header(CLIENT_SECRET_HEADER, secret)
            .json(body)
            .send()
            .await
            .map_err(|e| e.to_string())
    }

    /// A bodiless widget call such as `cancel`.
    pub async fn checkout_post(
        &self,
        payment: &MerchantPayment,
        action: &str,
    ) -> TestResult<reqwest::Response> {
        let secret = payment.client_secret.clone().unwrap_or_default();
        self.http
            .post(format!(
                "{}/api/checkout/payments/{}/{action}",
                self.backend_url, payment.id
            ))
            .header(CLIENT_SECRET_HEADER, secret)
            .send()
            .await
            .map_err(|e| e.to_string())
    }

    /// The merchant's view of the payment (`GET /v1/payments/{id}`).
    pub async fn merchant_view(&self, payment: &MerchantPayment) -> TestResult<MerchantPayment> {
        let path = format!("/v1/payments/{}", payment.id);
        expect_json(self.merchant_get(&path).await?, 200).await
    }

    /// The widget's view of the payment.
    pub async fn checkout_view(&self, payment: &MerchantPayment) -> TestResult<CheckoutPayment> {
        let secret = payment.client_secret.clone().unwrap_or_default();
        let response = self
            .http
            .get(format!(
                "{}/api/checkout/payments/{}",
                self.backend_url, payment.id
            ))
            .header(CLIENT_SECRET_HEADER, secret)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        expect_json(response, 200).await
    }

    /// The simulator's record of the (single) pending payment for `phone`.
    pub async fn vipps_payment_for(&self, phone: &str) -> TestResult<Value> {
        let url = format!("{}/sim/payments?phone={phone}", self.simulator_url);
        let response = self.http.get(url).send().await.map_err(|e| e.to_string())?;
        let list: Vec<Value> = expect_json(response, 200).await?;
        list.into_iter()
            .next_back()
            .ok_or_else(|| format!("Vipps has no payment for {phone}"))
    }

    /// A payment of `amount` øre, started for `phone` and approved at Vipps with the
    /// approving test card. Returns it and its pspTransactionId at Vipps.
    pub async fn authorised(
        &self,
        amount: u64,
        phone: &str,
    ) -> TestResult<(MerchantPayment, String)> {
        let payment = self.create_payment(amount).await?;
        let _: CheckoutPayment = expect_json(self.start(&payment, phone).await?, 200).await?;
        let at_vipps = self.vipps_payment_for(phone).await?;
        let txn = at_vipps["psp_transaction_id"]
            .as_str()
            .ok_or("no psp_transaction_id")?
            .to_owned();
        let answer: Value = self.approve(&txn).await?;
        if answer["paymentInfo"]["status"] != "OK" {
            return Err(format!("not authorised: {answer}"));
        }
        Ok((payment, txn))
    }

    /// Waits (as [`eventually`]) until `/metrics` shows `series` at exactly `n`.
    pub async fn metric_settles_at(&self, series: &str, n: f64) -> TestResult {
        eventually(&format!("{series} to be {n}"), || async {
            Ok((metric(&self.metrics().await?, series) == Some(n)).then_some(()))
        })
        .await
    }

    /// `GET /metrics` with the operator key: the OpenMetrics text.
    pub async fn metrics(&self) -> TestResult<String> {
        let response = self
            .http
            .get(format!("{}/metrics", self.backend_url))
            .bearer_auth(&self.operator_key)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        if response.status() != 200 {
            return Err(format!("/metrics answered {}", response.status()));
        }
        response.text().await.map_err(|e| e.to_string())
    }

    /// Makes the simulator answer the next `count` updatestatus calls with `status`.
    pub async fn fail_status_updates(&self, status: u16, count: u32) -> TestResult {
        let url = format!("{}/sim/updatestatus/fail", self.simulator_url);
        let body = serde_json::json!({"status": status, "count": count});
        let response = self
            .http
            .post(url)
            .json(&body)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        if response.status().is_success() {
            Ok(())
        } else {
            Err(format!(
                "the simulator refused the fault: {}",
                response.status()
            ))
        }
    }

    /// Drives the simulator's test controls: `approve`, `reject`, `cancel`, `timeout`.
    /// The shopper approves at Vipps with the approved test Visa card; the PSP's
    /// makePayment answer.
    pub async fn approve(&self, psp_transaction_id: &str) -> TestResult<Value> {
        let card = json!({"card": "4925000000000004"});
        expect_json(
            self.vipps_control(psp_transaction_id, "approve", card)
                .await?,
            200,
        )
        .await
    }

    pub async fn vipps_control(
        &self,
        psp_transaction_id: &str,
        action: &str,
        body: Value,
    ) -> TestResult<reqwest::Response> {
        let url = format!(
            "{}/sim/payments/{psp_transaction_id}/{action}",
            self.simulator_url
        );
        self.http
            .post(url)
            .json(&body)
            .send()
            .await
            .map_err(|e| e.to_string())
    }
}

/// What `/metrics` shows, at least, once a payment was authorised through Vipps's
/// makePayment, then captured and refunded: each series with its least value (0: the
/// series is there from the start).
pub const AFTER_CAPTURE_AND_REFUND: [(&str, f64); 8] = [
    (
        r#"psp_make_payment_duration_seconds_count{outcome="ok"}"#,
        1.0,
    ),
    (
        r#"psp_acquirer_call_duration_seconds_count{operation="authorise",outcome="approved"}"#,
        1.0,
    ),
    (
        r#"psp_acquirer_call_duration_seconds_count{operation="capture",outcome="ok"}"#,
        1.0,
    ),
    (
        r#"psp_acquirer_call_duration_seconds_count{operation="refund",outcome="ok"}"#,
        1.0,
    ),
    (r#"psp_reconciliation_actions_total{kind="expired"}"#, 0.0),
    ("psp_rate_limited_total", 0.0),
    (r#"psp_outbox_pending{queue="updatestatus"}"#, 0.0),
    (
        r#"psp_outbox_oldest_pending_age_seconds{queue="webhooks"}"#,
        0.0,
    ),
];

/// The value of one series (`name{labels}` exactly as `/metrics` writes it), if there.
pub fn metric(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .find_map(|line| line.strip_prefix(series)?.strip_prefix(' '))
        .and_then(|value| value.parse().ok())
}

/// The series is in `text` with at least `n`.
pub fn metric_at_least(text: &str, series: &str, n: f64) -> TestResult {
    match metric(text, series) {
        Some(value) if value >= n => Ok(()),
        other => Err(format!(
            "{series} is {other:?}, expected at least {n}:\n{text}"
        )),
    }
}

/// Polls `check` until it yields a value (at most 20 s): waiting on a condition, not a clock.
pub async fn eventually<T, F, Fut>(what: &str, mut check: F) -> TestResult<T>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = TestResult<Option<T>>>,
{
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        if let Some(value) = check().await? {
            return Ok(value);
        }
        if tokio::time::Instant::now() > deadline {
            return Err(format!("gave up waiting for {what}"));
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
}

/// Reads a JSON body after checking the status.
pub async fn expect_json<T: DeserializeOwned>(
    response: reqwest::Response,
    status: u16,
) -> TestResult<T> {
    let actual = response.status().as_u16();
    let text = response.text().await.map_err(|e| e.to_string())?;
    if actual != status {
        return Err(format!("expected HTTP {status}, got {actual}: {text}"));
    }
    serde_json::from_str(&text).map_err(|e| format!("{e}: {text}"))
}

/// 8 bytes that differ per call (`RandomState` is randomly keyed each time).
pub fn rand_bytes() -> [u8; 8] {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u32(std::process::id());
    hasher.finish().to_le_bytes()
}
