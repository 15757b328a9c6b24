//! The shop's order book: every order and the webhook ids already handled, kept in memory
//! and in `orders.json` in the data dir (written to a temporary file, then renamed over the
//! old one, so a crash leaves the old file or the new one, never half of one).

use std::collections::VecDeque;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use shared::PaymentId;
use shared::webhooks::Event;
use tokio::sync::Mutex;

use crate::order::{Applied, Order};

/// How many handled webhook ids are remembered (the oldest are forgotten first).
const SEEN_IDS: usize = 10_000;

#[derive(Debug, thiserror::Error)]
pub enum OrdersError {
    #[error("cannot read the orders file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the orders file {path} is not an order book: {source}")]
    Corrupt {
        path: PathBuf,
        source: serde_json::Error,
    },
    #[error("cannot write the orders file {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// What the file holds.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Book {
    orders: Vec<Order>,
    /// `webhook-id`s already handled, oldest first.
    seen_webhook_ids: VecDeque<String>,
}

/// What handling one webhook did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Handled {
    Applied(Applied),
    /// This `webhook-id` was handled before: nothing changed.
    Replay,
    /// No order has this payment.
    UnknownPayment,
}

#[derive(Debug)]
pub struct Orders {
    path: PathBuf,
    book: Mutex<Book>,
}

impl Orders {
    /// The book in `data_dir/orders.json`, empty if there is no file yet.
    pub async fn load(data_dir: &Path) -> Result<Self, OrdersError> {
        let path = data_dir.join("orders.json");
        let book = match tokio::fs::read(&path).await {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|source| OrdersError::Corrupt {
                path: path.clone(),
                source,
            })?,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Book::default(),
            Err(source) => return Err(OrdersError::Read { path, source }),
        };
        Ok(Self {
            path,
            book: Mutex::new(book),
        })
    }

    /// Records a new order, on disk before it counts.
    pub async fn insert(&self, order: Order) -> Result<(), OrdersError> {
        let mut book = self.book.lock().await;
        let mut next = book.clone();
        next.orders.push(order);
        self.save(&next).await?;
        *book = next;
        Ok(())
    }

    /// Applies a verified webhook once: a replayed `webhook-id` or a stale event changes nothing.
    pub async fn handle(&self, webhook_id: &str, event: &Event) -> Result<Handled, OrdersError> {
        let mut book = self.book.lock().await;
        if book.seen_webhook_ids.iter().any(|id| id == webhook_id) {
            return Ok(Handled::Replay);
        }
        let mut next = book.clone();
        let handled = match next
            .orders
            .iter_mut()
            .find(|o| o.payment_id == event.payment.id)
        {
            Some(order) => Handled::Applied(order.apply(event)),
            None => Handled::UnknownPayment,
        };
        next.seen_webhook_ids.push_back(webhook_id.to_owned());
        while next.seen_webhook_ids.len() > SEEN_IDS {
            next.seen_webhook_ids.pop_front();
        }
        self.save(&next).await?;
        *book = next;
        Ok(handled)
    }

    /// Every order, newest first.
    pub async fn list(&self) -> Vec<Order> {
        let mut orders = self.book.lock().await.orders.clone();
        orders.reverse();
        orders.sort_by_key(|o| std::cmp::Reverse(o.created));
        orders
    }

    pub async fn get(&self, payment_id: &PaymentId) -> Option<Order> {
        let book = self.book.lock().await;
        book.orders
            .iter()
            .find(|o| &o.payment_id == payment_id)
            .cloned()
    }

    async fn save(&self, book: &Book) -> Result<(), OrdersError> {
        let json = serde_json::to_vec_pretty(book).map_err(std::io::Error::other);
        let path = self.path.clone();
        let written = tokio::task::spawn_blocking(move || write_atomically(&path, &json?))
            .await
            .map_err(std::io::Error::other)
            .and_then(|written| written);
        written.map_err(|source| OrdersError::Write {
            path: self.path.clone(),
            source,
        })
    }
}

/// Writes `path.tmp`, flushes it to disk, then renames it over `path`.
fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let temporary = path.with_extension("json.tmp");
    let mut file = std::fs::File::create(&temporary)?;
    std::io::Write::write_all(&mut file, bytes)?;
    file.sync_all()?;
    std::fs::rename(&temporary, path)
}
