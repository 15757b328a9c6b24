//! A `DATABASE_URL` the backend cannot use stops it at startup with a message naming the
//! setting (never the password in it) and a non-zero exit; it does not serve half-way.

use std::process::Stdio;
use std::time::Duration;

use tokio::process::Command;

/// Generous: the binary should exit at once; this only stops a hanging test.
const PATIENCE: Duration = Duration::from_secs(30);

async fn run_backend(database_url: &str) -> Result<(bool, String), String> {
    let data = tempfile::tempdir().map_err(|e| e.to_string())?;
    let mut command = Command::new(env!("CARGO_BIN_EXE_backend"));
    command
        .env_clear()
        .env("PSP_DATA_DIR", data.path())
        .env("PSP_LISTEN", "127.0.0.1:0")
        .env("DATABASE_URL", database_url)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    let child = command.spawn().map_err(|e| e.to_string())?;
    let output = tokio::time::timeout(PATIENCE, child.wait_with_output())
        .await
        .map_err(|_| format!("the backend still runs after {PATIENCE:?} on {database_url}"))?
        .map_err(|e| e.to_string())?;
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    Ok((output.status.success(), stderr))
}

#[tokio::test]
async fn a_database_url_of_another_kind_is_refused_by_name_without_its_password()
-> Result<(), String> {
    let (ok, stderr) = run_backend("mysql://root:hunter2@db.example/psp").await?;
    assert!(!ok, "exited with success: {stderr}");
    assert!(stderr.contains("DATABASE_URL"), "{stderr}");
    assert!(
        stderr.contains("postgres://"),
        "says what it takes: {stderr}"
    );
    assert!(
        !stderr.contains("hunter2"),
        "the password is not shown: {stderr}"
    );
    Ok(())
}

#[tokio::test]
async fn a_postgres_server_that_cannot_be_reached_stops_the_backend() -> Result<(), String> {
    // A port nothing listens on: bound, then closed.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| e.to_string())?
        .port();
    let url = format!("postgres://psp:hunter2@127.0.0.1:{port}/psp");
    let (ok, stderr) = run_backend(&url).await?;
    assert!(!ok, "exited with success: {stderr}");
    assert!(stderr.contains("cannot open the database"), "{stderr}");
    assert!(
        !stderr.contains("hunter2"),
        "the password is not shown: {stderr}"
    );
    Ok(())
}
