//! The outboxes' backlog, read from the database at each scrape of `/metrics`: what is
//! still to be delivered, since when, and what was given up on. Read, not counted in
//! memory, so that every instance shows the whole deployment's queues, and a restart
//! loses nothing.

use sqlx::Row;

use super::metrics::{Backlog, Queue};
use crate::database::Pool;

/// One pass over the rows not yet delivered (the `(state, …)` index of each table).
pub async fn read(pool: &Pool, queue: Queue) -> Result<Backlog, sqlx::Error> {
    let sql = match queue {
        Queue::StatusUpdates => {
            "SELECT COALESCE(SUM(CASE WHEN state = 'pending' THEN 1 ELSE 0 END), 0) AS pending,
                    MIN(CASE WHEN state = 'pending' THEN created_at END) AS oldest,
                    COALESCE(SUM(CASE WHEN state = 'dead' THEN 1 ELSE 0 END), 0) AS dead
               FROM outbox WHERE state IN ('pending', 'dead')"
        }
        // A deleted endpoint's undelivered items are marked failed too: not given up on,
        // let go by the merchant, so not counted.
        Queue::Webhooks => {
            "SELECT COALESCE(SUM(CASE WHEN d.state = 'pending' THEN 1 ELSE 0 END), 0) AS pending,
                    MIN(CASE WHEN d.state = 'pending' THEN d.created_at END) AS oldest,
                    COALESCE(SUM(CASE WHEN d.state = 'failed' THEN 1 ELSE 0 END), 0) AS dead
               FROM webhook_deliveries d
               JOIN webhook_endpoints e ON e.id = d.endpoint_id
              WHERE d.state IN ('pending', 'failed') AND e.deleted_at IS NULL"
        }
    };
    let row = sqlx::query(sql).fetch_one(pool).await?;
    Ok(Backlog {
        pending: row.try_get("pending")?,
        oldest_created_at: row.try_get("oldest")?,
        dead: row.try_get("dead")?,
    })
}
