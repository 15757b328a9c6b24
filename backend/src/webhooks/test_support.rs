//! Test fixtures: a migrated SQLite database in a temp dir, merchants inserted by plain
//! SQL, payments as the merchant sees them, and a tiny loopback receiver.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use crate::database::Pool;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use shared::merchant::MerchantPayment;
use shared::webhooks::{CreateEndpoint, EventType};
use shared::{EndpointId, EventId, MerchantId};

use super::{create_endpoint, record_event};
use crate::idempotency::ResponseSealer;
use crate::payments::PaymentStore;

pub struct Fixture {
    _dir: tempfile::TempDir,
    pub pool: Pool,
    pub sealer: Arc<ResponseSealer>,
}

pub async fn fixture() -> Result<Fixture, String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let url = format!("sqlite://{}", dir.path().join("t.sqlite").display());
    let store = PaymentStore::connect(&url)
        .await
        .map_err(|e| e.to_string())?;
    let sealer =
        ResponseSealer::new(&zeroize::Zeroizing::new([9; 32])).map_err(|e| e.to_string())?;
    Ok(Fixture {
        _dir: dir,
        pool: store.pool().clone(),
        sealer: Arc::new(sealer),
    })
}

/// A merchant row, by plain SQL (merchant records are not this module's).
pub async fn merchant(pool: &Pool, byte: u8) -> Result<MerchantId, String> {
    let id = MerchantId::from_random([byte; 16]);
    sqlx::query("INSERT INTO merchants (id, name, msn, created_at) VALUES ($1, $2, $3, 0)")
        .bind(id.as_str())
        .bind(format!("Shop {byte}"))
        .bind(format!("{:06}", u32::from(byte)))
        .execute(pool)
        .await
        .map_err(|e| e.to_string())?;
    Ok(id)
}

/// Payment `pay_<byte…>` as the merchant API shows it, with a client secret (which no
/// event may carry).
pub fn payment(byte: u8) -> Result<MerchantPayment, String> {
    serde_json::from_value(serde_json::json!({
        "id": format!("pay_{}", shared::ids::hex(&[byte; 16])),
        "client_secret": "cs_secret_never_in_events",
        "status": "authorised",
        "amount": 10000,
        "currency": "NOK",
        "merchant_order_id": format!("order{byte}"),
        "description": "Two books",
        "failure": null,
        "card": null,
        "amounts": {"authorised": 10000, "captured": 0, "refunded": 0, "cancelled": 0,
                    "capturable": 10000, "refundable": 0},
        "return_url": null,
        "created_at": 1_700_000_000,
        "expires_at": 1_700_000_900,
    }))
    .map_err(|e| e.to_string())
}

pub fn request(events: Option<Vec<EventType>>) -> Result<CreateEndpoint, String> {
    Ok(CreateEndpoint {
        url: "https://shop.example/hook"
            .to_owned()
            .try_into()
            .map_err(|_| "url")?,
        events,
    })
}

pub async fn endpoint(
    f: &Fixture,
    merchant: &MerchantId,
    events: Option<Vec<EventType>>,
) -> Result<EndpointId, String> {
    let created = create_endpoint(&f.pool, &f.sealer, merchant, &request(events)?)
        .await
        .map_err(|e| e.to_string())?;
    Ok(created.endpoint.id)
}

pub async fn record(
    pool: &Pool,
    merchant: &MerchantId,
    kind: EventType,
    byte: u8,
) -> Result<EventId, String> {
    let mut conn = pool.acquire().await.map_err(|e| e.to_string())?;
    record_event(&mut conn, merchant, kind, 2500, &payment(byte)?)
        .await
        .map_err(|e| e.to_string())
}

pub async fn one<T>(pool: &Pool, sql: &str, id: &str) -> Result<T, String>
where
    T: for<'r> sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any> + Send + Unpin,
{
    sqlx::query_scalar(sql)
        .bind(id)
        .fetch_one(pool)
        .await
        .map_err(|e| e.to_string())
}

pub async fn delivered_to(pool: &Pool, event: &EventId) -> Result<Vec<String>, String> {
    sqlx::query_scalar(
        "SELECT endpoint_id FROM webhook_deliveries WHERE event_id = $1 ORDER BY endpoint_id",
    )
    .bind(event.as_str())
    .fetch_all(pool)
    .await
    .map_err(|e| e.to_string())
}

/// One request the receiver got.
#[derive(Debug, Clone)]
pub struct Received {
    pub path: String,
    pub headers: HeaderMap,
    pub body: Bytes,
}

#[derive(Clone, Default)]
pub struct Receiver {
    pub received: Arc<Mutex<Vec<Received>>>,
    /// Statuses to answer, in turn; 200 once they run out.
    pub script: Arc<Mutex<VecDeque<u16>>>,
}

impl Receiver {
    pub fn count(&self) -> usize {
        self.received.lock().map(|r| r.len()).unwrap_or_default()
    }

    pub fn all(&self) -> Vec<Received> {
        self.received.lock().map(|r| r.clone()).unwrap_or_default()
    }
}

/// Starts a receiver on 127.0.0.1:0 answering `script` in turn (`/hang` never answers,
/// `/redirect` redirects to `/hook`); its base URL.
pub async fn receiver(script: &[u16]) -> Result<(String, Receiver), String> {
    let state = Receiver::default();
    if let Ok(mut queue) = state.script.lock() {
        queue.extend(script);
    }
    let app = axum::Router::new()
        .route("/hang", axum::routing::post(std::future::pending::<()>))
        .route(
            "/redirect",
            axum::routing::post(|| async {
                (StatusCode::TEMPORARY_REDIRECT, [("location", "/hook")])
            }),
        )
        .route("/{*path}", axum::routing::post(answer))
        .with_state(state.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| e.to_string())?;
    let address = listener.local_addr().map_err(|e| e.to_string())?;
    tokio::spawn(async move { axum::serve(listener, app).await });
    Ok((format!("http://{address}"), state))
}

async fn answer(
    State(state): State<Receiver>,
    uri: axum::http::Uri,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    if let Ok(mut received) = state.received.lock() {
        received.push(Received {
            path: uri.path().to_owned(),
            headers,
            body,
        });
    }
    let status = state
        .script
        .lock()
        .ok()
        .and_then(|mut q| q.pop_front())
        .unwrap_or(200);
    StatusCode::from_u16(status).unwrap_or(StatusCode::OK)
}
