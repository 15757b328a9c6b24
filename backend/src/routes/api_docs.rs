//! `/docs/api`: the API reference, Redoc rendering `/v1/openapi.json` in the browser.
//! Redoc's standalone script is vendored from npm by xtask (`API_DOCS_DIR`), never
//! fetched from a CDN; without it the page says where the document is.

use std::path::Path;

use axum::extract::State;
use axum::http::HeaderValue;
use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS,
    X_FRAME_OPTIONS,
};
use axum::response::{Html, IntoResponse, Response};
use maud::{DOCTYPE, html};

use crate::app::AppState;

/// The vendored script's file name, in `API_DOCS_DIR`.
pub const SCRIPT: &str = "redoc.standalone.js";

/// Redoc writes its styles inline and runs its search in a worker from a blob; nothing
/// else is allowed, nothing leaves the origin, and the page is never framed.
const POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
                      img-src 'self' data:; font-src 'self' data:; connect-src 'self'; \
                      worker-src blob:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

pub async fn page() -> Response {
    let page = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { "Vipps PSP API reference" }
            }
            body {
                redoc spec-url="/v1/openapi.json" {
                    p {
                        "The API reference needs its script, which "
                        code { "cargo xtask demo" }
                        " installs. The OpenAPI document itself is at "
                        a href="/v1/openapi.json" { "/v1/openapi.json" }
                        "."
                    }
                }
                script src={ "/docs/api/" (SCRIPT) } {}
            }
        }
    };
    (
        [
            (CONTENT_SECURITY_POLICY, HeaderValue::from_static(POLICY)),
            (REFERRER_POLICY, HeaderValue::from_static("no-referrer")),
            (X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
            (X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
        ],
        Html(page.into_string()),
    )
        .into_response()
}

/// The vendored Redoc script, or 404 when it is not installed.
pub async fn script(State(state): State<AppState>) -> Response {
    let path = Path::new(&state.config.api_docs_dir).join(SCRIPT);
    match tokio::fs::read(&path).await {
        Ok(bytes) => (
            [
                (
                    CONTENT_TYPE,
                    HeaderValue::from_static("text/javascript; charset=utf-8"),
                ),
                (
                    CACHE_CONTROL,
                    HeaderValue::from_static("public, max-age=3600"),
                ),
                (X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
            ],
            bytes,
        )
            .into_response(),
        Err(error) => {
            tracing::debug!(%error, path = %path.display(), "no API reference script");
            axum::http::StatusCode::NOT_FOUND.into_response()
        }
    }
}
