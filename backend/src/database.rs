//! The database: SQLite (the default, a file in the data directory) or PostgreSQL, chosen
//! by the scheme of `DATABASE_URL`, through sqlx's Any driver. Every query is written once,
//! in the SQL both understand (`$1` placeholders, integers for flags and times, a `seq`
//! column where order matters); each database has its own migrations.

use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::Migrator;
use sqlx::{Connection as _, Executor as _};

pub type Pool = sqlx::AnyPool;
pub type Conn = sqlx::AnyConnection;
pub type DbRow = sqlx::any::AnyRow;

/// A transaction that writes. On SQLite it takes the write lock at its start (`BEGIN
/// IMMEDIATE`, waiting for it as long as the busy timeout allows): a deferred transaction
/// that reads and then writes fails at once with "database is locked" when another
/// connection wrote in between, which no waiting cures. PostgreSQL's own `BEGIN` is
/// right: its writes are compare-and-set and lock the rows they change, and what is
/// numbered per payment (its events, its outbox order) is written under the payment's
/// row lock (`payments::events::lock_payment`).
pub async fn begin(pool: &Pool) -> Result<sqlx::Transaction<'static, sqlx::Any>, sqlx::Error> {
    match Kind::of(pool.connect_options().database_url.as_str()) {
        Ok(Kind::Sqlite) => pool.begin_with("BEGIN IMMEDIATE").await,
        Ok(Kind::Postgres) | Err(_) => pool.begin().await,
    }
}

/// A flag, stored as 0 or 1 on both databases.
pub fn flag(row: &DbRow, column: &str) -> Result<bool, sqlx::Error> {
    use sqlx::Row as _;
    Ok(row.try_get::<i64, _>(column)? != 0)
}

/// Which database a URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Sqlite,
    Postgres,
}

#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// Only the scheme is shown: the rest of a URL may hold a password.
    #[error("must start with sqlite: or postgres:// (or postgresql://), not {0:?}")]
    Scheme(String),
    #[error("cannot open the database: {0}")]
    Connect(#[source] sqlx::Error),
    #[error("the database's migrations failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

impl Kind {
    pub fn of(url: &str) -> Result<Self, OpenError> {
        let scheme = url.split_once(':').map_or("", |(scheme, _)| scheme);
        match scheme {
            "sqlite" => Ok(Self::Sqlite),
            "postgres" | "postgresql" => Ok(Self::Postgres),
            _ => Err(OpenError::Scheme(scheme.chars().take(16).collect())),
        }
    }
}

/// Connections per process. PostgreSQL's default limit is 100 connections in all, so
/// several instances fit; SQLite has one writer whatever the number.
const MAX_CONNECTIONS: u32 = 8;

/// Opens the database at `url`, creating an SQLite file if needed, and brings its schema
/// up to date. Several instances starting at once on one PostgreSQL database migrate it
/// once: sqlx holds an advisory lock while it migrates.
pub async fn open(url: &str) -> Result<Pool, OpenError> {
    sqlx::any::install_default_drivers();
    let kind = Kind::of(url)?;
    let url = match kind {
        Kind::Sqlite if !url.contains("mode=") => {
            let joiner = if url.contains('?') { '&' } else { '?' };
            format!("{url}{joiner}mode=rwc")
        }
        _ => url.to_owned(),
    };
    let options: AnyConnectOptions = url.parse().map_err(OpenError::Connect)?;
    migrate(kind, &options).await?;
    AnyPoolOptions::new()
        .max_connections(MAX_CONNECTIONS)
        .acquire_timeout(Duration::from_secs(10))
        .after_connect(move |conn, _| {
            Box::pin(async move {
                if kind == Kind::Sqlite {
                    conn.execute("PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON")
                        .await?;
                }
                Ok(())
            })
        })
        .connect_with(options)
        .await
        .map_err(OpenError::Connect)
}

/// SQLite's migrations take no lock of sqlx's (PostgreSQL's take an advisory lock), so
/// backends in one process (tests start several) migrate one at a time. An SQLite file
/// serves one backend process; several instances share a PostgreSQL database.
static SQLITE_MIGRATIONS: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Runs the migrations on a connection of their own. On SQLite, foreign keys are off
/// meanwhile, so that a migration may rebuild a table others refer to (SQLite's
/// twelve-step recipe).
async fn migrate(kind: Kind, options: &AnyConnectOptions) -> Result<(), OpenError> {
    let _one_at_a_time = match kind {
        Kind::Sqlite => Some(SQLITE_MIGRATIONS.lock().await),
        Kind::Postgres => None,
    };
    let mut conn = Conn::connect_with(options)
        .await
        .map_err(OpenError::Connect)?;
    match kind {
        Kind::Sqlite => {
            conn.execute("PRAGMA foreign_keys = OFF")
                .await
                .map_err(OpenError::Connect)?;
        }
        Kind::Postgres => {}
    }
    migrator(kind).run(&mut conn).await?;
    conn.close().await.map_err(OpenError::Connect)
}

static SQLITE_MIGRATIONS_SET: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS_SET: Migrator = sqlx::migrate!("./migrations/postgres");

/// The migrations this build brings for `kind`.
fn migrator(kind: Kind) -> &'static Migrator {
    match kind {
        Kind::Sqlite => &SQLITE_MIGRATIONS_SET,
        Kind::Postgres => &POSTGRES_MIGRATIONS_SET,
    }
}

/// Why the database cannot serve requests now (`/health/ready`).
#[derive(Debug, thiserror::Error)]
pub enum NotReady {
    #[error("the database cannot be reached: {0}")]
    Unreachable(#[source] sqlx::Error),
    #[error("the database did not answer within {} s", READY_WITHIN.as_secs())]
    Slow,
    #[error("the database lacks migration {0} of this build")]
    NotMigrated(i64),
}

/// How long the readiness check waits for the database.
pub const READY_WITHIN: Duration = Duration::from_secs(3);

/// The database answers, and every migration of this build is applied to it (one
/// instance of a newer build may have applied more: that is fine).
pub async fn ready(pool: &Pool) -> Result<(), NotReady> {
    let kind = Kind::of(pool.connect_options().database_url.as_str()).unwrap_or(Kind::Sqlite);
    let applied =
        sqlx::query_scalar::<_, i64>("SELECT version FROM _sqlx_migrations WHERE success = TRUE")
            .fetch_all(pool);
    let applied = tokio::time::timeout(READY_WITHIN, applied)
        .await
        .map_err(|_| NotReady::Slow)?
        .map_err(NotReady::Unreachable)?;
    match migrator(kind)
        .iter()
        .map(|m| m.version)
        .find(|version| !applied.contains(version))
    {
        Some(missing) => Err(NotReady::NotMigrated(missing)),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const INSERT: &str =
        "INSERT INTO merchants (id, name, msn, created_at) VALUES ('mer_1', 'Shop', '000001', 0)";

    #[tokio::test]
    async fn a_write_transaction_on_sqlite_holds_the_write_lock_from_its_first_read()
    -> Result<(), String> {
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let url = format!("sqlite://{}", dir.path().join("t.sqlite").display());
        let pool = open(&url).await.map_err(|e| e.to_string())?;
        let mut tx = begin(&pool).await.map_err(|e| e.to_string())?;
        let _: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM merchants")
            .fetch_one(&mut *tx)
            .await
            .map_err(|e| e.to_string())?;
        let mut other = pool.acquire().await.map_err(|e| e.to_string())?;
        other
            .execute("PRAGMA busy_timeout = 0")
            .await
            .map_err(|e| e.to_string())?;
        // Had the transaction only read so far, this write would win, and the
        // transaction's own write would then fail with "database is locked".
        let meanwhile = sqlx::query(INSERT).execute(&mut *other).await;
        assert!(meanwhile.is_err(), "another connection wrote meanwhile");
        tx.commit().await.map_err(|e| e.to_string())?;
        sqlx::query(INSERT)
            .execute(&mut *other)
            .await
            .map_err(|e| e.to_string())?;
        Ok(())
    }

    #[test]
    fn the_scheme_chooses_the_database_and_no_other_part_of_the_url_is_shown() {
        assert_eq!(
            Kind::of("sqlite://data/psp.sqlite").ok(),
            Some(Kind::Sqlite)
        );
        assert_eq!(Kind::of("sqlite::memory:").ok(), Some(Kind::Sqlite));
        assert_eq!(Kind::of("postgres://u:p@h/db").ok(), Some(Kind::Postgres));
        assert_eq!(Kind::of("postgresql://u:p@h/db").ok(), Some(Kind::Postgres));
        let error = Kind::of("mysql://root:hunter2@db/psp")
            .err()
            .map(|e| e.to_string());
        let error = error.unwrap_or_default();
        assert!(error.contains("\"mysql\""), "{error}");
        assert!(!error.contains("hunter2"), "{error}");
        assert!(Kind::of("hunter2").is_err());
        assert!(
            !Kind::of("hunter2")
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default()
                .contains("hunter2")
        );
    }
}
