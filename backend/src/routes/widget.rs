//! What browsers load from us: the loader script, the built widget, and the page
//! Vipps sends the shopper back to (`pspRedirectUrl`), which shows server state only.

use std::path::Path;

use axum::extract::State;
use axum::http::header::{
    ACCESS_CONTROL_ALLOW_ORIGIN, CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE,
    X_CONTENT_TYPE_OPTIONS,
};
use axum::http::{HeaderName, HeaderValue};
use axum::response::{Html, IntoResponse};
use shared::checkout::CheckoutStatus;
use tower::ServiceBuilder;
use tower_http::services::ServeDir;
use tower_http::set_header::{SetResponseHeader, SetResponseHeaderLayer};

use super::extract::PaymentPath;
use crate::app::AppState;
use crate::error::ApiError;
use crate::payments::{PaymentError, now_unix, view};

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

/// `GET /return/{id}`: where Vipps redirects the shopper. The outcome shown comes from
/// our own state; the merchant page learns it through the widget, never through this.
pub async fn return_page(
    State(state): State<AppState>,
    PaymentPath(id): PaymentPath,
) -> Result<Html<String>, ApiError> {
    let payment = state
        .store
        .get(&id)
        .await
        .map_err(PaymentError::from)?
        .ok_or(PaymentError::NotFound)?;
    let (title, text) = match view::checkout_status(&payment, now_unix()) {
        CheckoutStatus::Succeeded => (
            "Payment complete",
            "Thank you. You can close this window and return to the shop.",
        ),
        CheckoutStatus::Processing
        | CheckoutStatus::AwaitingApp
        | CheckoutStatus::AwaitingPhone => (
            "Payment in progress",
            "Finish in the Vipps app, then return to the shop.",
        ),
        CheckoutStatus::Failed => (
            "Payment not completed",
            "The payment did not go through. Return to the shop to try again.",
        ),
        CheckoutStatus::Cancelled => (
            "Payment cancelled",
            "The payment was cancelled. Return to the shop to try again.",
        ),
        CheckoutStatus::Expired => (
            "Payment expired",
            "The payment expired. Return to the shop to start again.",
        ),
    };
    Ok(Html(format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" \
         content=\"width=device-width,initial-scale=1\"><title>{title}</title><style>body{{font-family:system-ui,\
         sans-serif;max-width:28rem;margin:4rem auto;padding:0 1rem;color:#1f1f1f}}h1{{font-size:1.4rem}}</style>\
         </head><body><main id=\"return\" data-status=\"{status}\"><h1>{title}</h1><p>{text}</p>{back}</main></body></html>",
        status = payment.state,
        back = payment.return_url.map_or(String::new(), |url| {
            // ReturnUrl cannot contain quotes or angle brackets.
            format!(
                "<p><a id=\"back-to-shop\" href=\"{}\">Back to the shop</a></p>",
                url.as_str().replace('&', "&amp;")
            )
        }),
    )))
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
