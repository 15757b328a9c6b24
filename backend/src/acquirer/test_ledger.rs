//! The test acquirer's ledger: every authorisation it grants and every capture, refund and
//! void it books, in an SQLite file of its own (by default `test-acquirer.sqlite` in the
//! data directory). Instances that share the file share one acquirer, and a check (the
//! chaos run's) can read what was charged after the backends are gone.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::SqliteSynchronous;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions};

use shared::Amount;

use super::AcquirerError;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS authorisations (
    reference  TEXT PRIMARY KEY,
    payment    TEXT NOT NULL,
    amount     INTEGER NOT NULL,
    captured   INTEGER NOT NULL DEFAULT 0,
    refunded   INTEGER NOT NULL DEFAULT 0,
    voided     INTEGER NOT NULL DEFAULT 0,
    CHECK (captured + voided <= amount AND refunded <= captured)
);
CREATE INDEX IF NOT EXISTS authorisations_payment ON authorisations (payment);
CREATE TABLE IF NOT EXISTS operations (
    operation  TEXT PRIMARY KEY,
    reference  TEXT NOT NULL REFERENCES authorisations (reference),
    kind       TEXT NOT NULL,
    amount     INTEGER NOT NULL
);
";

/// What the acquirer holds for one authorisation, in øre.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Held {
    pub reference: String,
    pub payment: String,
    pub amount: i64,
    pub captured: i64,
    pub refunded: i64,
    pub voided: i64,
}

/// A booking on an authorisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Booking {
    Capture,
    Refund,
    Void,
}

impl Booking {
    fn name(self) -> &'static str {
        match self {
            Self::Capture => "capture",
            Self::Refund => "refund",
            Self::Void => "void",
        }
    }

    /// The update that books `amount` (`$1`) on reference `$2`, only if it fits.
    fn update(self) -> &'static str {
        match self {
            Self::Capture => {
                "UPDATE authorisations SET captured = captured + $1
                 WHERE reference = $2 AND amount - captured - voided >= $1"
            }
            Self::Refund => {
                "UPDATE authorisations SET refunded = refunded + $1
                 WHERE reference = $2 AND captured - refunded >= $1"
            }
            Self::Void => {
                "UPDATE authorisations SET voided = voided + $1
                 WHERE reference = $2 AND amount - captured - voided >= $1"
            }
        }
    }
}

#[derive(Debug, Clone)]
pub struct Ledger {
    pool: SqlitePool,
}

fn failed(error: sqlx::Error) -> AcquirerError {
    AcquirerError::Failed(format!("the test acquirer's ledger: {error}"))
}

impl Ledger {
    /// The ledger in the SQLite file at `path`, created if missing, readable by its owner
    /// alone (as the PSP's own database). Several processes may share it.
    pub async fn open(path: &Path) -> Result<Self, sqlx::Error> {
        let private = |e: crate::data_dir::PrivateFileError| {
            sqlx::Error::Io(std::io::Error::other(e.to_string()))
        };
        crate::data_dir::create_private_file(path).map_err(private)?;
        for journal in ["-wal", "-shm"] {
            let mut name = path.as_os_str().to_owned();
            name.push(journal);
            crate::data_dir::restrict_file(Path::new(&name)).map_err(private)?;
        }
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // A process that dies loses nothing it committed; only a power cut could.
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(10));
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await?;
        Self::with_schema(pool).await
    }

    /// A ledger in memory, gone with the process (for tests).
    pub async fn in_memory() -> Result<Self, sqlx::Error> {
        let options = SqliteConnectOptions::from_str("sqlite::memory:")?;
        // One connection that never closes: the memory database lives as long as it.
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .min_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
            .connect_with(options)
            .await?;
        Self::with_schema(pool).await
    }

    async fn with_schema(pool: SqlitePool) -> Result<Self, sqlx::Error> {
        sqlx::raw_sql(SCHEMA).execute(&pool).await?;
        Ok(Self { pool })
    }

    pub async fn authorise(
        &self,
        reference: &str,
        payment: &str,
        amount: i64,
    ) -> Result<(), AcquirerError> {
        sqlx::query("INSERT INTO authorisations (reference, payment, amount) VALUES ($1, $2, $3)")
            .bind(reference)
            .bind(payment)
            .bind(amount)
            .execute(&self.pool)
            .await
            .map_err(failed)?;
        Ok(())
    }

    /// Books `amount` on `reference` once per `operation`: the same operation again changes
    /// nothing and succeeds; one that does not fit is refused and changes nothing.
    pub async fn book(
        &self,
        booking: Booking,
        reference: &str,
        amount: Amount,
        operation: &str,
    ) -> Result<(), AcquirerError> {
        let amount = i64::from(amount.ore());
        let mut tx = self.pool.begin().await.map_err(failed)?;
        let inserted = sqlx::query(
            "INSERT INTO operations (operation, reference, kind, amount) VALUES ($1, $2, $3, $4)
             ON CONFLICT (operation) DO NOTHING",
        )
        .bind(operation)
        .bind(reference)
        .bind(booking.name())
        .bind(amount)
        .execute(&mut *tx)
        .await
        .map_err(|e| match e {
            sqlx::Error::Database(db) if db.is_foreign_key_violation() => {
                AcquirerError::Refused(format!("no authorisation {reference}"))
            }
            other => failed(other),
        })?
        .rows_affected();
        if inserted == 0 {
            let earlier: Option<(String, String, i64)> = sqlx::query_as(
                "SELECT reference, kind, amount FROM operations WHERE operation = $1",
            )
            .bind(operation)
            .fetch_optional(&mut *tx)
            .await
            .map_err(failed)?;
            return match earlier {
                Some((r, kind, a)) if r == reference && kind == booking.name() && a == amount => {
                    Ok(())
                }
                _ => Err(AcquirerError::Refused(format!(
                    "operation {operation} was booked with other terms"
                ))),
            };
        }
        let fitted = sqlx::query(booking.update())
            .bind(amount)
            .bind(reference)
            .execute(&mut *tx)
            .await
            .map_err(failed)?
            .rows_affected();
        if fitted == 0 {
            return Err(AcquirerError::Refused(format!(
                "{} of {amount} does not fit authorisation {reference}",
                booking.name()
            )));
        }
        tx.commit().await.map_err(failed)
    }

    /// The newest authorisation for `payment` with something left to capture.
    pub async fn open_authorisation(&self, payment: &str) -> Result<Option<String>, AcquirerError> {
        sqlx::query_scalar(
            "SELECT reference FROM authorisations
             WHERE payment = $1 AND amount - captured - voided > 0
             ORDER BY rowid DESC LIMIT 1",
        )
        .bind(payment)
        .fetch_optional(&self.pool)
        .await
        .map_err(failed)
    }

    /// Every authorisation for `payment` with something left to capture, oldest first.
    pub async fn open_authorisations(&self, payment: &str) -> Result<Vec<String>, AcquirerError> {
        sqlx::query_scalar(
            "SELECT reference FROM authorisations
             WHERE payment = $1 AND amount - captured - voided > 0 ORDER BY rowid",
        )
        .bind(payment)
        .fetch_all(&self.pool)
        .await
        .map_err(failed)
    }

    /// Every authorisation, oldest first.
    pub async fn all(&self) -> Result<Vec<Held>, sqlx::Error> {
        sqlx::query_as(
            "SELECT reference, payment, amount, captured, refunded, voided
             FROM authorisations ORDER BY rowid",
        )
        .fetch_all(&self.pool)
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ore(n: u64) -> Result<Amount, shared::AmountError> {
        Amount::from_ore(n)
    }

    #[tokio::test]
    async fn an_operation_is_booked_once_and_one_that_does_not_fit_changes_nothing()
    -> Result<(), Box<dyn std::error::Error>> {
        let ledger = Ledger::in_memory().await?;
        ledger.authorise("r1", "pay_1", 1000).await?;
        ledger
            .book(Booking::Capture, "r1", ore(600)?, "cap_1")
            .await?;
        ledger
            .book(Booking::Capture, "r1", ore(600)?, "cap_1")
            .await?;
        assert!(
            ledger
                .book(Booking::Capture, "r1", ore(500)?, "cap_2")
                .await
                .is_err()
        );
        assert!(
            ledger
                .book(Booking::Capture, "r1", ore(100)?, "cap_1")
                .await
                .is_err()
        );
        ledger
            .book(Booking::Refund, "r1", ore(600)?, "ref_1")
            .await?;
        assert!(
            ledger
                .book(Booking::Refund, "r1", ore(1)?, "ref_2")
                .await
                .is_err()
        );
        assert!(
            ledger
                .book(Booking::Void, "nope", ore(1)?, "void_1")
                .await
                .is_err()
        );
        let held = ledger.all().await?;
        assert_eq!(held.len(), 1);
        assert_eq!(
            (held[0].captured, held[0].refunded, held[0].voided),
            (600, 600, 0)
        );
        Ok(())
    }

    #[tokio::test]
    async fn two_handles_on_one_file_share_the_ledger() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("acquirer.sqlite");
        let (a, b) = (Ledger::open(&path).await?, Ledger::open(&path).await?);
        a.authorise("r1", "pay_1", 1000).await?;
        b.book(Booking::Void, "r1", ore(1000)?, "void_1").await?;
        assert_eq!(a.open_authorisation("pay_1").await?, None);
        assert_eq!(a.all().await?[0].voided, 1000);
        Ok(())
    }
}
