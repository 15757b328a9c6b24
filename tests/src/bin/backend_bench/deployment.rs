//! One configuration under measurement: release backend processes pinned to the server's
//! core, on SQLite or PostgreSQL, behind the round-robin proxy when there are two; the
//! simulator as Vipps behind a forwarder that remembers each init (makePayment's URL and
//! token, which only the PSP and Vipps know); and the payments the measurements use.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Request, State};
use axum::response::{IntoResponse, Response};
use e2e::TestResult;
use e2e::cluster::{self, Cluster, Keys};
use shared::checkout::CLIENT_SECRET_HEADER;
use shared::merchant::MerchantPayment;
use shared::vipps::InitRequest;
use tokio::task::JoinSet;

/// How many requests the preparation keeps in flight.
const PREPARING_IN_FLIGHT: usize = 16;

/// What is measured on: the database, and how many instances.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Setup {
    pub postgres: bool,
    pub instances: usize,
}

impl Setup {
    pub fn name(self) -> String {
        let database = if self.postgres {
            "PostgreSQL"
        } else {
            "SQLite"
        };
        match self.instances {
            1 => format!("{database}, 1 instance"),
            n => format!("{database}, {n} instances"),
        }
    }
}

pub struct Deployment {
    pub psp: String,
    pub merchant_key: String,
    pub card_public_der: Vec<u8>,
    pub http: reqwest::Client,
    cluster: Cluster,
    /// Vipps for this deployment: the simulator and the forwarder in front of it.
    vipps_tasks: Vec<tokio::task::AbortHandle>,
    inits: Arc<Mutex<HashMap<String, InitRequest>>>,
    _data: tempfile::TempDir,
}

/// A payment the shopper started: Vipps holds it and waits for the app.
pub struct Started {
    pub id: String,
    pub init: InitRequest,
}

/// A payment waiting for the shopper's phone number, as the widget sees it.
#[derive(Clone)]
pub struct Waiting {
    pub id: String,
    pub secret: String,
}

impl Deployment {
    /// Starts `setup`'s instances of `binary` on `cpus`, with `database_url` if PostgreSQL.
    pub async fn start(
        setup: Setup,
        binary: &Path,
        cpus: Option<&str>,
        database_url: Option<String>,
    ) -> TestResult<Self> {
        let data = tempfile::Builder::new()
            .prefix("psp-bench-")
            .tempdir()
            .map_err(|e| e.to_string())?;
        let dir = data.path().join("data");
        let keys = Keys::create(&dir)?;

        let sim_listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .map_err(|e| e.to_string())?;
        let simulator_url = format!(
            "http://127.0.0.1:{}",
            sim_listener.local_addr().map_err(|e| e.to_string())?.port()
        );
        let inits = Arc::new(Mutex::new(HashMap::new()));
        let (vipps, forwarding) = forwarder(simulator_url.clone(), Arc::clone(&inits)).await?;
        // The bench plays the shopper's makePayment itself: the simulator must not send
        // its own TIMEOUT for the payments it still thinks wait for the app.
        let mut sim_config =
            simulator::Config::sandbox(vipps.clone(), keys.card_public_der.clone());
        sim_config.shopper_timeout = Duration::from_secs(24 * 60 * 60);
        let simulator = tokio::spawn(simulator::run(sim_listener, sim_config));

        let mut ports = Vec::new();
        for _ in 0..setup.instances {
            ports.push(cluster::free_port().await?);
        }
        let psp = match ports.as_slice() {
            [one] => format!("http://127.0.0.1:{one}"),
            _ => format!("http://127.0.0.1:{}", cluster::proxy(ports.clone()).await?),
        };
        let mut env: Vec<(String, String)> = [
            ("PSP_DATA_DIR", dir.to_string_lossy().as_ref()),
            ("PSP_PUBLIC_URL", &psp),
            ("VIPPS_BASE_URL", &vipps),
            ("RUST_LOG", "warn"),
            // The load reads a payment far more often than a widget would.
            ("POLL_LIMIT_PER_MINUTE", "100000000"),
            ("WIDGET_ACTIONS_PER_MINUTE", "100000000"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        if let Some(url) = database_url {
            env.push(("DATABASE_URL".to_owned(), url));
        }
        let cluster = Cluster::start_on(cpus, binary, env, ports, data.path()).await?;
        Ok(Self {
            psp,
            merchant_key: keys.merchant_key,
            card_public_der: keys.card_public_der,
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(20))
                .build()
                .map_err(|e| e.to_string())?,
            cluster,
            vipps_tasks: vec![simulator.abort_handle(), forwarding],
            inits,
            _data: data,
        })
    }

    pub fn pids(&self) -> Vec<u32> {
        self.cluster.pids()
    }

    pub async fn stop(mut self) {
        self.cluster.stop().await;
        for task in &self.vipps_tasks {
            task.abort();
        }
    }

    /// The body of a merchant's create; `order` must not repeat.
    pub fn create_body(order: &str) -> String {
        serde_json::json!({"amount": 12_300, "merchant_order_id": order, "description": "Vipps socks"})
            .to_string()
    }

    /// A merchant creates a payment.
    pub async fn create(&self, order: &str) -> TestResult<Waiting> {
        let response = self
            .http
            .post(format!("{}/v1/payments", self.psp))
            .bearer_auth(&self.merchant_key)
            .header("content-type", "application/json")
            .body(Self::create_body(order))
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let payment: MerchantPayment = e2e::expect_json(response, 201).await?;
        Ok(Waiting {
            id: payment.id.to_string(),
            secret: payment.client_secret.unwrap_or_default(),
        })
    }

    /// The widget starts `payment` with the shopper's number; Vipps has it once this is done.
    pub async fn start_payment(&self, payment: &Waiting) -> TestResult {
        let response = self
            .http
            .post(format!(
                "{}/api/checkout/payments/{}/start",
                self.psp, payment.id
            ))
            .header(CLIENT_SECRET_HEADER, &payment.secret)
            .json(&serde_json::json!({"phone_number": "91234567"}))
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let _: serde_json::Value = e2e::expect_json(response, 200).await?;
        Ok(())
    }

    /// The init Vipps got for the merchant's `order`.
    pub fn init_for(&self, order: &str) -> TestResult<InitRequest> {
        self.inits
            .lock()
            .map_err(|e| e.to_string())?
            .remove(order)
            .ok_or_else(|| format!("no init reached Vipps for {order}"))
    }

    /// `count` payments created with orders `{prefix}{n}`, 16 at a time.
    pub async fn waiting(self: &Arc<Self>, prefix: &str, count: usize) -> TestResult<Vec<Waiting>> {
        let mut out = Vec::with_capacity(count);
        let mut set = JoinSet::new();
        for n in 0..count {
            if set.len() >= PREPARING_IN_FLIGHT
                && let Some(done) = set.join_next().await
            {
                out.push(done.map_err(|e| e.to_string())??);
            }
            let (me, order) = (Arc::clone(self), format!("{prefix}{n}"));
            set.spawn(async move { me.create(&order).await });
        }
        for done in set.join_all().await {
            out.push(done?);
        }
        Ok(out)
    }
}

/// Vipps for the backend: every call passed on to the simulator at `target`, and each
/// init's body remembered by its merchant order id. Its address, and its task.
async fn forwarder(
    target: String,
    inits: Arc<Mutex<HashMap<String, InitRequest>>>,
) -> TestResult<(String, tokio::task::AbortHandle)> {
    struct Forward {
        target: String,
        http: reqwest::Client,
        inits: Arc<Mutex<HashMap<String, InitRequest>>>,
    }
    async fn forward(State(f): State<Arc<Forward>>, request: Request) -> Response {
        let (parts, body) = request.into_parts();
        let Ok(bytes) = axum::body::to_bytes(body, 1 << 20).await else {
            return axum::http::StatusCode::BAD_REQUEST.into_response();
        };
        if parts.uri.path().ends_with("/init")
            && let Ok(init) = serde_json::from_slice::<InitRequest>(&bytes)
            && let Ok(mut inits) = f.inits.lock()
        {
            inits.insert(init.merchant_order_id.as_str().to_owned(), init);
        }
        let path = parts.uri.path_and_query().map_or("/", |p| p.as_str());
        let mut call = f
            .http
            .request(parts.method, format!("{}{path}", f.target))
            .body(bytes);
        for (name, value) in &parts.headers {
            if name != axum::http::header::HOST && name != axum::http::header::CONTENT_LENGTH {
                call = call.header(name, value);
            }
        }
        let Ok(answer) = call.send().await else {
            return axum::http::StatusCode::BAD_GATEWAY.into_response();
        };
        let (status, headers) = (answer.status(), answer.headers().clone());
        let body = answer.bytes().await.unwrap_or_default();
        let mut response = (status, body).into_response();
        for (name, value) in &headers {
            if name != axum::http::header::CONTENT_LENGTH
                && name != axum::http::header::TRANSFER_ENCODING
            {
                response.headers_mut().insert(name, value.clone());
            }
        }
        response
    }
    let state = Arc::new(Forward {
        target,
        http: reqwest::Client::new(),
        inits,
    });
    let router = axum::Router::new().fallback(forward).with_state(state);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| e.to_string())?;
    let url = format!(
        "http://127.0.0.1:{}",
        listener.local_addr().map_err(|e| e.to_string())?.port()
    );
    let task = tokio::spawn(async move { axum::serve(listener, router).await });
    Ok((url, task.abort_handle()))
}
