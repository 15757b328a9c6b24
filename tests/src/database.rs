//! Where a test backend keeps its data: a fresh SQLite file in its data directory, or, when
//! `PSP_TEST_POSTGRES` names a PostgreSQL server (`cargo xtask test` starts one and runs the
//! suites that must behave the same on both), a fresh database on that server.

use std::sync::atomic::{AtomicU32, Ordering};

use sqlx::{Connection, Executor};

use crate::TestResult;

/// A PostgreSQL server's URL without a database name, e.g. `postgres://postgres@127.0.0.1:5433`.
pub const POSTGRES_VAR: &str = "PSP_TEST_POSTGRES";

/// Whether this run's backends are on PostgreSQL.
pub fn on_postgres() -> bool {
    std::env::var_os(POSTGRES_VAR).is_some()
}

/// A new, empty database for one test backend; `None` means the default (SQLite in the
/// data directory).
pub async fn fresh() -> TestResult<Option<String>> {
    let Ok(server) = std::env::var(POSTGRES_VAR) else {
        return Ok(None);
    };
    Ok(Some(create(&server).await?))
}

/// Creates an empty database on `server` and returns its URL.
pub async fn create(server: &str) -> TestResult<String> {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_err(|e| e.to_string())?
        .subsec_nanos();
    let name = format!(
        "psp_{}_{}_{nanos}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    sqlx::any::install_default_drivers();
    let mut admin = sqlx::AnyConnection::connect(&format!("{server}/postgres"))
        .await
        .map_err(|e| format!("cannot reach PostgreSQL at {server}: {e}"))?;
    admin
        .execute(format!("CREATE DATABASE {name}").as_str())
        .await
        .map_err(|e| e.to_string())?;
    admin.close().await.map_err(|e| e.to_string())?;
    Ok(format!("{server}/{name}"))
}

/// A connection to a test backend's database: `url`, or the SQLite file in `data_dir`.
pub async fn connect(
    url: Option<&str>,
    data_dir: &std::path::Path,
) -> TestResult<sqlx::AnyConnection> {
    sqlx::any::install_default_drivers();
    let url = backend::data_dir::database_url(data_dir, url).map_err(|e| e.to_string())?;
    sqlx::AnyConnection::connect(&url)
        .await
        .map_err(|e| e.to_string())
}
