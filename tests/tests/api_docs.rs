//! `/docs/api`: the API reference, Redoc (vendored from npm by xtask) rendering the
//! document the backend serves. The rendering needs Chromium and the vendored script, so
//! that test is `#[ignore]`d in a plain `cargo test`; `cargo xtask test` runs it.

use std::path::PathBuf;

use e2e::browser::Browser;
use e2e::{Options, TestApp, TestResult};

fn redoc_dir() -> TestResult<PathBuf> {
    let dir = std::env::var("API_DOCS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/tools/redoc")
        });
    if dir.join("redoc.standalone.js").is_file() {
        Ok(dir)
    } else {
        Err(format!(
            "no Redoc script in {} (run `cargo xtask test`)",
            dir.display()
        ))
    }
}

#[tokio::test]
#[ignore = "needs chromedriver and the vendored Redoc: run `cargo xtask test`"]
async fn the_api_reference_renders_every_operation_of_the_served_document() -> TestResult {
    let app = TestApp::spawn_with(Options {
        api_docs_dir: Some(redoc_dir()?),
        ..Options::default()
    })
    .await?;
    let browser = Browser::start().await?;
    let c = &browser.client;
    c.goto(&format!("{}/docs/api", app.backend_url))
        .await
        .map_err(|e| e.to_string())?;
    for operation in [
        "create_payment",
        "capture_payment",
        "widget_start_payment",
        "redeliver_event",
    ] {
        browser
            .wait_for(&format!("[data-section-id='operation/{operation}']"))
            .await?;
    }
    let title = browser
        .wait_for("h1")
        .await?
        .text()
        .await
        .map_err(|e| e.to_string())?;
    assert!(title.contains("Vipps PSP"), "{title}");
    browser.screenshot("api-reference").await?;
    Ok(())
}

#[tokio::test]
async fn the_page_is_locked_down_and_says_where_the_document_is_without_its_script() -> TestResult {
    let app = TestApp::spawn_with(Options {
        api_docs_dir: Some(PathBuf::from("/nonexistent")),
        ..Options::default()
    })
    .await?;
    let page = app
        .http
        .get(format!("{}/docs/api", app.backend_url))
        .send()
        .await
        .map_err(|e| e.to_string())?;
    assert_eq!(page.status(), 200);
    let policy = page
        .headers()
        .get("content-security-policy")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    for rule in [
        "default-src 'none'",
        "script-src 'self'",
        "connect-src 'self'",
        "frame-ancestors 'none'",
    ] {
        assert!(policy.contains(rule), "{policy}");
    }
    let html = page.text().await.map_err(|e| e.to_string())?;
    assert!(
        html.contains(r#"<redoc spec-url="/v1/openapi.json">"#),
        "{html}"
    );
    assert!(html.contains(r#"href="/v1/openapi.json""#), "{html}");
    let script = app
        .http
        .get(format!("{}/docs/api/redoc.standalone.js", app.backend_url))
        .send()
        .await
        .map_err(|e| e.to_string())?;
    assert_eq!(script.status(), 404);
    Ok(())
}
