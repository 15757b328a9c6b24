//! The real binary in production mode refuses the sandbox defaults before it binds,
//! names every wrong setting and exits non-zero.

use std::process::Stdio;
use std::time::Duration;

use tokio::process::Command;

/// Generous: the binary should exit at once; this only stops a hanging test.
const PATIENCE: Duration = Duration::from_secs(20);

async fn run_backend(vars: &[(&str, &str)]) -> Result<std::process::Output, String> {
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
