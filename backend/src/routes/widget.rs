//! What browsers load from us: the loader script and the built widget.

use std::path::Path;

use axum::http::header::{
    ACCESS_CONTROL_ALLOW_ORIGIN, CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE,
    X_CONTENT_TYPE_OPTIONS,
};
use axum::http::{HeaderName, HeaderValue};
use axum::response::IntoResponse;
use tower::ServiceBuilder;
use tower_http::services::ServeDir;
use tower_http::set_header::{SetResponseHeader, SetResponseHeaderLayer};

const LOADER: &str = include_str!("../../../frontend/loader/checkout.js");

/// The loader's version (`VERSION` in `frontend/loader/checkout.js`; a test keeps the two
/// equal). Served at `/checkout/{LOADER_VERSION}/checkout.js`, a URL whose bytes never
/// change, fit for a Subresource Integrity hash.
pub const LOADER_VERSION: &str = "1.1.0";

/// The path of this version of the loader.
pub fn versioned_loader_path() -> String {
    format!("/checkout/{LOADER_VERSION}/checkout.js")
}

/// `GET /checkout.js`: the current loader, cached briefly so that merchants who do not
/// pin a version get fixes within minutes.
pub async fn loader() -> impl IntoResponse {
    loader_with(HeaderValue::from_static("public, max-age=300"))
}

/// `GET /checkout/{LOADER_VERSION}/checkout.js`: the same bytes, cached for a year.
pub async fn versioned_loader() -> impl IntoResponse {
    loader_with(HeaderValue::from_static(
        "public, max-age=31536000, immutable",
    ))
}

/// Any page may load the script, and with `crossorigin="anonymous"` (required with
/// `integrity`) the browser only runs it if we allow that origin: allow all.
fn loader_with(cache: HeaderValue) -> impl IntoResponse {
    (
        [
            (
                CONTENT_TYPE,
                HeaderValue::from_static("text/javascript; charset=utf-8"),
            ),
            (CACHE_CONTROL, cache),
            (ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*")),
            (
                HeaderName::from_static("cross-origin-resource-policy"),
                HeaderValue::from_static("cross-origin"),
            ),
            (X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
        ],
        LOADER,
    )
}

/// The trunk-built widget (`index.html`, JS, wasm, CSS). Only the merchant's own
/// origins may frame it (CSP `frame-ancestors`); browsers revalidate every file.
/// The widget's files with our security headers around them.
type Header<S> = SetResponseHeader<S, HeaderValue>;
pub type WidgetFiles = Header<Header<Header<ServeDir>>>;

pub fn files(dir: &Path, allowed_origins: &[String]) -> WidgetFiles {
    let ancestors = format!("frame-ancestors 'self' {}", allowed_origins.join(" "));
    let csp = HeaderValue::from_str(ancestors.trim())
        .unwrap_or(HeaderValue::from_static("frame-ancestors 'self'"));
    ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::overriding(
            CONTENT_SECURITY_POLICY,
            csp,
        ))
        .layer(SetResponseHeaderLayer::overriding(
            CACHE_CONTROL,
            HeaderValue::from_static("no-cache"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .service(ServeDir::new(dir).append_index_html_on_directories(true))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_served_version_is_the_loaders_own() {
        let declared = format!("var VERSION = \"{LOADER_VERSION}\";");
        assert!(
            LOADER.contains(&declared),
            "bump LOADER_VERSION with the loader"
        );
        assert!(LOADER.starts_with(&format!("/*! Vipps PSP checkout loader {LOADER_VERSION}.")));
    }
}
