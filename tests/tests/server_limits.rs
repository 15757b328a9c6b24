//! The backend's HTTP limits against slow or many clients: a request head that never
//! ends, a body that never ends, and more connections than the cap.

use std::time::Duration;

use e2e::{Options, TestApp, TestResult};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Only stops a test whose server never reacts; the limits under test are far shorter.
const PATIENCE: Duration = Duration::from_secs(10);

async fn connect(app: &TestApp) -> TestResult<TcpStream> {
    let port = app.backend_url.rsplit(':').next().unwrap_or_default();
    TcpStream::connect(format!("127.0.0.1:{port}"))
        .await
        .map_err(|e| e.to_string())
}

async fn send(stream: &mut TcpStream, bytes: &str) -> TestResult {
    stream
        .write_all(bytes.as_bytes())
        .await
        .map_err(|e| e.to_string())
}

/// Everything the server sends until it closes the connection (a reset counts as closed).
async fn until_closed(stream: &mut TcpStream) -> TestResult<String> {
    let mut received = Vec::new();
    match tokio::time::timeout(PATIENCE, stream.read_to_end(&mut received)).await {
        Ok(_) => Ok(String::from_utf8_lossy(&received).into_owned()),
        Err(_) => Err(format!("the connection is still open after {PATIENCE:?}")),
    }
}

/// The status line and headers of the server's answer.
async fn answer_head(stream: &mut TcpStream) -> TestResult<String> {
    let mut received = Vec::new();
    let mut chunk = [0_u8; 1024];
    while !received.windows(4).any(|w| w == b"\r\n\r\n") {
        let read = tokio::time::timeout(PATIENCE, stream.read(&mut chunk))
            .await
            .map_err(|_| format!("no answer after {PATIENCE:?}"))?
            .map_err(|e| e.to_string())?;
        let Some(bytes) = chunk.get(..read).filter(|b| !b.is_empty()) else {
            return Err(format!(
                "closed after {:?}",
                String::from_utf8_lossy(&received)
            ));
        };
        received.extend_from_slice(bytes);
    }
    Ok(String::from_utf8_lossy(&received).into_owned())
}

#[tokio::test]
async fn a_client_that_never_finishes_its_request_head_is_disconnected() -> TestResult {
    let app = TestApp::spawn_with(Options {
        header_read_timeout_ms: Some(200),
        ..Options::default()
    })
    .await?;
    let mut slow = connect(&app).await?;
    // No blank line: the head never ends.
    send(&mut slow, "GET /health HTTP/1.1\r\nHost: localhost\r\n").await?;
    let answer = until_closed(&mut slow).await?;
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 408"),
        "{answer}"
    );
    Ok(())
}

#[tokio::test]
async fn a_request_whose_body_never_arrives_is_answered_503() -> TestResult {
    let app = TestApp::spawn_with(Options {
        request_timeout_ms: Some(300),
        ..Options::default()
    })
    .await?;
    let mut slow = connect(&app).await?;
    let head = format!(
        "POST /v1/payments HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {}\r\n\
         Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{{\"amount\":",
        app.merchant_key
    );
    send(&mut slow, &head).await?;
    let answer = answer_head(&mut slow).await?;
    assert!(answer.starts_with("HTTP/1.1 503"), "{answer}");
    Ok(())
}

#[tokio::test]
async fn a_connection_over_the_cap_is_served_only_after_one_closes() -> TestResult {
    let app = TestApp::spawn_with(Options {
        max_connections: Some(1),
        header_read_timeout_ms: Some(300),
        ..Options::default()
    })
    .await?;
    let mut holder = connect(&app).await?;
    send(&mut holder, "GET /health HTTP/1.1\r\n").await?;
    let mut waiting = connect(&app).await?;
    send(
        &mut waiting,
        "GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
    )
    .await?;
    // Served while the holder still holds the only slot, the second answer would come
    // first; with the cap it cannot come before the holder is disconnected.
    let first = tokio::select! {
        biased;
        closed = until_closed(&mut holder) => closed.map(|_| "holder closed"),
        answer = answer_head(&mut waiting) => answer.map(|_| "second answered"),
    }?;
    assert_eq!(first, "holder closed");
    let answer = answer_head(&mut waiting).await?;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    Ok(())
}
