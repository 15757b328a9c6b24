//! `LOG_FORMAT=json`: the real binary writes one JSON object per line, and each line
//! logged while a request is served carries that request's id.

use std::process::Stdio;
use std::time::Duration;

use serde_json::Value;
use tokio::io::{AsyncBufReadExt, BufReader, Lines};
use tokio::process::{ChildStdout, Command};

/// Only stops a hanging test; nothing waits this long when all is well.
const PATIENCE: Duration = Duration::from_secs(30);

/// The next log line as JSON; every line must be one.
async fn next_object(lines: &mut Lines<BufReader<ChildStdout>>) -> Result<Value, String> {
    let line = tokio::time::timeout(PATIENCE, lines.next_line())
        .await
        .map_err(|_| "no log line within the patience")?
        .map_err(|e| e.to_string())?
        .ok_or("the backend's stdout closed")?;
    serde_json::from_str(&line).map_err(|e| format!("not JSON ({e}): {line}"))
}

#[tokio::test]
async fn json_log_lines_carry_the_request_id() -> Result<(), String> {
    let data = tempfile::tempdir().map_err(|e| e.to_string())?;
    let mut child = Command::new(env!("CARGO_BIN_EXE_backend"))
        .env_clear()
        .env("PSP_DATA_DIR", data.path())
        .env("PSP_LISTEN", "127.0.0.1:0")
        .env("LOG_FORMAT", "json")
        // The access log (tower-http's response line) is at debug.
        .env("RUST_LOG", "info,tower_http=debug")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| e.to_string())?;
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let mut lines = BufReader::new(stdout).lines();
    let address = loop {
        let line = next_object(&mut lines).await?;
        if line["message"] == "PSP backend listening" {
            break line["address"].as_str().ok_or("no address")?.to_owned();
        }
    };
    let response = reqwest::Client::new()
        .get(format!("http://{address}/v1/payments/pay_unknown"))
        .header("x-request-id", "trace-me-42")
        .send()
        .await
        .map_err(|e| e.to_string())?;
    assert_eq!(response.status(), 401);
    let line = loop {
        let line = next_object(&mut lines).await?;
        if line["span"]["name"] == "request" {
            break line;
        }
    };
    assert_eq!(line["span"]["request_id"], "trace-me-42", "{line}");
    assert_eq!(line["span"]["path"], "/v1/payments/pay_unknown", "{line}");
    assert!(
        line["level"].is_string() && line["timestamp"].is_string(),
        "{line}"
    );
    Ok(())
}

#[tokio::test]
async fn an_unknown_log_format_is_refused_at_startup() -> Result<(), String> {
    let data = tempfile::tempdir().map_err(|e| e.to_string())?;
    let output = Command::new(env!("CARGO_BIN_EXE_backend"))
        .env_clear()
        .env("PSP_DATA_DIR", data.path())
        .env("PSP_LISTEN", "127.0.0.1:0")
        .env("LOG_FORMAT", "yaml")
        .stdin(Stdio::null())
        .kill_on_drop(true)
        .output();
    let output = tokio::time::timeout(PATIENCE, output)
        .await
        .map_err(|_| "the backend did not refuse")?
        .map_err(|e| e.to_string())?;
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("LOG_FORMAT must be `text` or `json`"),
        "{stderr}"
    );
    Ok(())
}
