//! A merchant's webhook receiver for tests: it records every delivery and answers as the
//! test scripts it (a status, or no answer at all), and can go down and come back on the
//! same port.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use shared::webhooks::Event;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

use crate::TestResult;

/// How the receiver answers one delivery.
#[derive(Debug, Clone, Copy)]
pub enum Answer {
    Status(u16),
    /// Never answers: the PSP's timeout decides.
    Hang,
}

/// One delivery as it arrived.
#[derive(Debug, Clone)]
pub struct Delivery {
    pub headers: HeaderMap,
    pub body: Bytes,
    /// What the receiver answered (`None`: it did not).
    pub answered: Option<u16>,
}

impl Delivery {
    pub fn webhook_id(&self) -> String {
        header(&self.headers, "webhook-id")
    }
}

#[derive(Default)]
struct Recorded {
    deliveries: Mutex<Vec<Delivery>>,
    script: Mutex<VecDeque<Answer>>,
}

pub struct Receiver {
    pub url: String,
    port: u16,
    recorded: Arc<Recorded>,
    task: Mutex<Option<JoinHandle<()>>>,
}

fn header(headers: &HeaderMap, name: &str) -> String {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

async fn receive(
    State(recorded): State<Arc<Recorded>>,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    let answer = recorded
        .script
        .lock()
        .ok()
        .and_then(|mut script| script.pop_front())
        .unwrap_or(Answer::Status(204));
    let answered = match answer {
        Answer::Status(code) => Some(code),
        Answer::Hang => None,
    };
    if let Ok(mut deliveries) = recorded.deliveries.lock() {
        deliveries.push(Delivery {
            headers,
            body,
            answered,
        });
    }
    match answered {
        Some(code) => StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
        None => std::future::pending().await,
    }
}

impl Receiver {
    /// Listens on 127.0.0.1 (a port of its own); deliveries go to `/hooks`.
    pub async fn start() -> TestResult<Self> {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .map_err(|e| e.to_string())?;
        let port = listener.local_addr().map_err(|e| e.to_string())?.port();
        let receiver = Self {
            url: format!("http://127.0.0.1:{port}/hooks"),
            port,
            recorded: Arc::default(),
            task: Mutex::new(None),
        };
        receiver.serve(listener)?;
        Ok(receiver)
    }

    fn serve(&self, listener: TcpListener) -> TestResult {
        let app = axum::Router::new()
            .route("/hooks", post(receive))
            .with_state(self.recorded.clone());
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        *self.task.lock().map_err(|e| e.to_string())? = Some(task);
        Ok(())
    }

    /// The next deliveries are answered so, in order; then 204 again.
    pub fn answer_next(&self, answers: &[Answer]) -> TestResult {
        let mut script = self.recorded.script.lock().map_err(|e| e.to_string())?;
        script.extend(answers.iter().copied());
        Ok(())
    }

    /// Goes down: connections to its port are refused.
    pub async fn stop(&self) -> TestResult {
        let task = self.task.lock().map_err(|e| e.to_string())?.take();
        if let Some(task) = task {
            task.abort();
            let _ = task.await;
        }
        Ok(())
    }

    /// Comes back on the same port.
    pub async fn restart(&self) -> TestResult {
        let listener = TcpListener::bind(("127.0.0.1", self.port))
            .await
            .map_err(|e| e.to_string())?;
        self.serve(listener)
    }

    pub fn deliveries(&self) -> Vec<Delivery> {
        self.recorded
            .deliveries
            .lock()
            .map(|d| d.clone())
            .unwrap_or_default()
    }

    /// The events it answered 2xx, each verified with `secret` by the maintained Standard
    /// Webhooks implementation; an unverifiable delivery is an error.
    pub fn accepted_events(&self, secret: &str) -> TestResult<Vec<Event>> {
        let webhook = standardwebhooks::Webhook::new(secret).map_err(|e| e.to_string())?;
        self.deliveries()
            .iter()
            .filter(|d| d.answered.is_some_and(|s| (200..300).contains(&s)))
            .map(|d| {
                webhook
                    .verify(&d.body, &d.headers)
                    .map_err(|e| format!("{e:?}: {}", d.webhook_id()))?;
                let event: Event = serde_json::from_slice(&d.body).map_err(|e| e.to_string())?;
                if event.id.as_str() != d.webhook_id() {
                    return Err(format!(
                        "webhook-id {} is not the event's id",
                        d.webhook_id()
                    ));
                }
                Ok(event)
            })
            .collect()
    }
}
