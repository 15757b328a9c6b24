//! The OpenAPI document the backend serves (`/v1/openapi.json`, built from the code) is
//! the one committed in `docs/openapi.json`: a change to the API shows in review as a
//! change to that file. After a deliberate change, rewrite it with
//! `UPDATE_OPENAPI=1 cargo test -p e2e --test openapi` and commit the diff.

use std::path::PathBuf;

use e2e::{TestApp, TestResult};
use serde_json::Value;

fn committed_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../docs/openapi.json")
}

async fn served(app: &TestApp) -> TestResult<String> {
    let response = app
        .http
        .get(format!("{}/v1/openapi.json", app.backend_url))
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if response.status() != 200 {
        return Err(format!("/v1/openapi.json answered {}", response.status()));
    }
    response.text().await.map_err(|e| e.to_string())
}

#[tokio::test]
async fn the_served_document_is_the_committed_one() -> TestResult {
    let app = TestApp::spawn().await?;
    let served = served(&app).await?;
    let path = committed_path();
    if std::env::var_os("UPDATE_OPENAPI").is_some() {
        return std::fs::write(&path, &served).map_err(|e| format!("{}: {e}", path.display()));
    }
    let committed =
        std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    if served == committed {
        return Ok(());
    }
    let line = served
        .lines()
        .zip(committed.lines())
        .position(|(a, b)| a != b)
        .map_or_else(|| "the end".to_owned(), |n| format!("line {}", n + 1));
    Err(format!(
        "the served OpenAPI document differs from docs/openapi.json (first at {line}); if the \
         API change is meant, run `UPDATE_OPENAPI=1 cargo test -p e2e --test openapi` and \
         commit the new docs/openapi.json"
    ))
}

/// What a client generator relies on: OpenAPI 3.1, one operation id per operation, every
/// response described, both credentials declared, and the error body with its `param`.
#[tokio::test]
async fn the_document_is_one_a_client_can_be_generated_from() -> TestResult {
    let app = TestApp::spawn().await?;
    let document: Value = serde_json::from_str(&served(&app).await?).map_err(|e| e.to_string())?;
    assert_eq!(document["openapi"], "3.1.0");
    let mut ids = Vec::new();
    for (path, item) in document["paths"].as_object().ok_or("no paths")? {
        for (method, operation) in item.as_object().ok_or("a path item is no object")? {
            let id = operation["operationId"]
                .as_str()
                .ok_or(format!("{method} {path}: no operationId"))?;
            ids.push(id.to_owned());
            for (status, response) in operation["responses"].as_object().ok_or("no responses")? {
                let described = response["description"]
                    .as_str()
                    .is_some_and(|d| !d.is_empty());
                assert!(described, "{method} {path} {status}: no description");
            }
        }
    }
    let count = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), count, "operation ids repeat: {ids:?}");
    let schemes = &document["components"]["securitySchemes"];
    assert_eq!(schemes["merchant_key"]["scheme"], "bearer");
    assert_eq!(schemes["client_secret"]["name"], "x-client-secret");
    let error = &document["components"]["schemas"]["ApiErrorBody"]["properties"];
    for member in ["code", "message", "param"] {
        assert!(error[member].is_object(), "the error body lacks {member}");
    }
    Ok(())
}
