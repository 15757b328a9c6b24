//! The real binary refuses to start on settings it cannot use, names them and exits
//! non-zero: production mode on the sandbox defaults (before it binds or writes anything),
//! and a `DATABASE_URL` of another kind or that cannot be reached (never showing its
//! password); it does not serve half-way.

use std::process::Stdio;
use std::time::Duration;

use tokio::process::Command;

/// Generous: the binary should exit at once; this only stops a hanging test.
const PATIENCE: Duration = Duration::from_secs(20);

async fn run_backend(vars: &[(&str, &str)]) -> Result<std::process::Output, String> {
    run_backend_in(vars, Untouched::Required).await
}

/// Whether the refusal must come before anything is written to the data directory.
#[derive(PartialEq)]
enum Untouched {
    Required,
    NotRequired,
}

async fn run_backend_in(
    vars: &[(&str, &str)],
    untouched: Untouched,
) -> Result<std::process::Output, String> {
    let data = tempfile::tempdir().map_err(|e| e.to_string())?;
    let mut command = Command::new(env!("CARGO_BIN_EXE_backend"));
    command
        .env_clear()
        .env("PSP_DATA_DIR", data.path())
        .env("PSP_LISTEN", "127.0.0.1:0")
        .envs(vars.iter().copied())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    let child = command.spawn().map_err(|e| e.to_string())?;
    let output = tokio::time::timeout(PATIENCE, child.wait_with_output())
        .await
        .map_err(|_| format!("the backend still runs after {PATIENCE:?}: it did not refuse"))?
        .map_err(|e| e.to_string())?;
    if untouched == Untouched::NotRequired {
        return Ok(output);
    }
    // Nothing was written: it stopped before opening the database or creating keys.
    let left = std::fs::read_dir(data.path())
        .map_err(|e| e.to_string())?
        .count();
    if left != 0 {
        return Err(format!(
            "the refused backend left {left} files in PSP_DATA_DIR"
        ));
    }
    Ok(output)
}

#[tokio::test]
async fn production_mode_with_sandbox_defaults_names_every_wrong_setting_and_exits()
-> Result<(), String> {
    let output = run_backend(&[("PSP_MODE", "production")]).await?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "exited with success: {stderr}");
    for var in [
        "VIPPS_CLIENT_ID",
        "VIPPS_CLIENT_SECRET",
        "VIPPS_SUBSCRIPTION_KEY",
        "VIPPS_PSP_ID",
        "ACQUIRER",
        "VIPPS_BASE_URL",
        "PSP_PUBLIC_URL",
        "MERCHANT_ALLOWED_ORIGINS",
    ] {
        assert!(stderr.contains(var), "{var} is not named in: {stderr}");
    }
    assert!(
        !stderr.contains("sandbox-client-secret"),
        "a secret was printed: {stderr}"
    );
    Ok(())
}

#[tokio::test]
async fn an_unknown_mode_is_refused_by_name() -> Result<(), String> {
    let output = run_backend(&[("PSP_MODE", "prod")]).await?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "exited with success: {stderr}");
    assert!(
        stderr.contains("PSP_MODE"),
        "PSP_MODE is not named in: {stderr}"
    );
    Ok(())
}

#[tokio::test]
async fn a_database_url_of_another_kind_is_refused_by_name_without_its_password()
-> Result<(), String> {
    let url = "mysql://root:hunter2@db.example/psp";
    let output = run_backend(&[("DATABASE_URL", url)]).await?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "exited with success: {stderr}");
    assert!(stderr.contains("DATABASE_URL"), "{stderr}");
    assert!(
        stderr.contains("postgres://"),
        "says what it takes: {stderr}"
    );
    assert!(
        !stderr.contains("hunter2"),
        "the password is shown: {stderr}"
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
    let output = run_backend_in(&[("DATABASE_URL", &url)], Untouched::NotRequired).await?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "exited with success: {stderr}");
    assert!(stderr.contains("cannot open the database"), "{stderr}");
    assert!(
        !stderr.contains("hunter2"),
        "the password is shown: {stderr}"
    );
    Ok(())
}
