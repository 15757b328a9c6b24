//! What browsers load from us: the loader script and the built widget.

use axum::extract::Path;
use axum::http::StatusCode;
use axum::http::header::{
    ACCESS_CONTROL_ALLOW_ORIGIN, CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE,
    X_CONTENT_TYPE_OPTIONS,
};
use axum::http::{HeaderName, HeaderValue};
use axum::response::{IntoResponse, Response};
use tower::ServiceBuilder;
use tower_http::services::ServeDir;
use tower_http::set_header::{SetResponseHeader, SetResponseHeaderLayer};

use super::csp;

const LOADER: &str = include_str!("../../../frontend/loader/checkout.js");

/// The loader's version (`VERSION` in `frontend/loader/checkout.js`; a test keeps the two
/// equal). Served at `/checkout/{LOADER_VERSION}/checkout.js`, a URL whose bytes never
/// change, fit for a Subresource Integrity hash.
pub const LOADER_VERSION: &str = "1.2.0";

/// Earlier versions, byte for byte as released (`frontend/loader/released/`): merchants
/// pin them with an `integrity` hash, so their URLs keep working.
const RELEASED: [(&str, &str); 1] = [(
    "1.1.0",
    include_str!("../../../frontend/loader/released/checkout-1.1.0.js"),
)];

/// The loader of `version`, if we have it.
fn loader_of(version: &str) -> Option<&'static str> {
    if version == LOADER_VERSION {
        return Some(LOADER);
    }
    RELEASED
        .iter()
        .find(|(released, _)| *released == version)
        .map(|(_, bytes)| *bytes)
}

/// `GET /checkout.js`: the current loader, cached briefly so that merchants who do not
/// pin a version get fixes within minutes.
pub async fn loader() -> impl IntoResponse {
    loader_with(HeaderValue::from_static("public, max-age=300"), LOADER)
}

/// `GET /checkout/{version}/checkout.js`: that version's bytes, cached for a year; 404
/// for a version we never released.
pub async fn versioned_loader(Path(version): Path<String>) -> Response {
    match loader_of(&version) {
        Some(bytes) => loader_with(
            HeaderValue::from_static("public, max-age=31536000, immutable"),
            bytes,
        )
        .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// Any page may load the script, and with `crossorigin="anonymous"` (required with
/// `integrity`) the browser only runs it if we allow that origin: allow all.
fn loader_with(cache: HeaderValue, bytes: &'static str) -> impl IntoResponse {
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
        bytes,
    )
}

/// What every widget file and page carries: its Content Security Policy (`policy`, see
/// `csp`), browsers revalidate it, and no type sniffing. A policy that is not a valid
/// header (it cannot be: the origins in it are checked in `config`) fails closed.
///
/// Who may frame the widget is said by CSP `frame-ancestors` alone, deliberately without
/// `X-Frame-Options`: that header names no origin but our own (`SAMEORIGIN`; `ALLOW-FROM`
/// is ignored by current browsers), so it would forbid the merchant's page itself, and
/// every browser that runs the widget (it needs WebAssembly) obeys `frame-ancestors`,
/// which supersedes `X-Frame-Options` where both are present.
pub fn security_headers(policy: &str) -> [(HeaderName, HeaderValue); 3] {
    let csp = HeaderValue::from_str(policy).unwrap_or(HeaderValue::from_static(
        "default-src 'none'; frame-ancestors 'none'",
    ));
    [
        (CONTENT_SECURITY_POLICY, csp),
        (CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        (X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
    ]
}

/// The trunk-built widget's files (JS, wasm; its page goes through `widget_page`) with
/// the [`security_headers`] of `csp::widget_files`.
type Header<S> = SetResponseHeader<S, HeaderValue>;
pub type WidgetFiles = Header<Header<Header<ServeDir>>>;

pub fn files(dir: &std::path::Path, report_uri: &str) -> WidgetFiles {
    let policy = csp::widget_files(report_uri);
    let [(a, a_value), (b, b_value), (c, c_value)] = security_headers(&policy);
    ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::overriding(a, a_value))
        .layer(SetResponseHeaderLayer::overriding(b, b_value))
        .layer(SetResponseHeaderLayer::overriding(c, c_value))
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

    #[test]
    fn each_released_loader_is_the_version_its_url_says() {
        for (version, bytes) in RELEASED {
            assert_ne!(
                version, LOADER_VERSION,
                "a release is not the current loader"
            );
            assert!(bytes.contains(&format!("var VERSION = \"{version}\";")));
            assert_eq!(loader_of(version), Some(bytes));
        }
        assert_eq!(loader_of(LOADER_VERSION), Some(LOADER));
        assert_eq!(loader_of("0.0.1"), None);
    }
}
