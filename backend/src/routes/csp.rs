//! The Content Security Policies of the pages we serve, and `POST /csp-reports`, where
//! browsers report what a policy blocked.
//!
//! The widget's page runs inline scripts and styles (trunk's module script and inlined
//! `style.css`, the theme script, the server's phone form): each is allowed by its
//! SHA-256, computed from the page actually served, so the policy follows the build and
//! the merchant's appearance variables without `'unsafe-inline'`.

use aws_lc_rs::digest::{SHA256, digest};
use axum::body::Bytes;
use axum::http::StatusCode;
use base64::Engine;
use serde_json::Value;
use shared::account::Origin;

/// The most a report may weigh; a browser's is well under 2 KB.
pub const MAX_REPORT_BYTES: usize = 16 * 1024;

/// `'sha256-…'`: the CSP source that allows exactly `text` as an inline script or style.
pub fn sha256_source(text: &str) -> String {
    let hash = digest(&SHA256, text.as_bytes());
    let encoded = base64::engine::general_purpose::STANDARD.encode(hash.as_ref());
    format!("'sha256-{encoded}'")
}

/// The hash sources of every inline `<tag>` element of `html` (a `<script src=…>` is
/// not inline: `'self'` covers it). Our pages are ours and trunk's, written in lowercase.
fn inline_sources(html: &str, tag: &str) -> Vec<String> {
    let open = format!("<{tag}");
    let close = format!("</{tag}>");
    let mut sources = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find(&open) {
        let Some(after) = rest.get(at.saturating_add(open.len())..) else {
            break;
        };
        // `<styles>` or `<scripting>` is not ours to read.
        if !after.starts_with(['>', ' ', '\t', '\n', '\r', '/']) {
            rest = after;
            continue;
        }
        let Some(tag_end) = after.find('>') else {
            break;
        };
        let attributes = after.get(..tag_end).unwrap_or_default();
        let body = after.get(tag_end.saturating_add(1)..).unwrap_or_default();
        let Some(body_end) = body.find(&close) else {
            break;
        };
        if !attributes.contains(" src=") {
            sources.push(sha256_source(body.get(..body_end).unwrap_or_default()));
        }
        rest = body.get(body_end..).unwrap_or_default();
    }
    sources.sort();
    sources.dedup();
    sources
}

/// `frame-ancestors` for the merchant's origins (and ours).
fn frame_ancestors(allowed_origins: &[Origin]) -> String {
    let origins: Vec<&str> = allowed_origins.iter().map(Origin::as_str).collect();
    format!("frame-ancestors 'self' {}", origins.join(" "))
        .trim_end()
        .to_owned()
}

/// The widget's page as served (`html`): its own scripts (`'self'`), its wasm
/// (`'wasm-unsafe-eval'`), its inline scripts and styles by hash, the API on our own
/// origin, nothing else; framed by the merchant's origins only.
pub fn widget_page(html: &str, allowed_origins: &[Origin], report_uri: &str) -> String {
    let scripts = inline_sources(html, "script").join(" ");
    let styles = inline_sources(html, "style").join(" ");
    format!(
        "default-src 'none'; script-src 'self' 'wasm-unsafe-eval' 'report-sample' {scripts}; \
         style-src 'report-sample' {styles}; connect-src 'self'; img-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'none'; {}; report-uri {report_uri}",
        frame_ancestors(allowed_origins)
    )
}

/// The merchant dashboard's page as served (`html`): like the widget's, but never framed
/// by anyone.
pub fn dashboard_page(html: &str, report_uri: &str) -> String {
    let scripts = inline_sources(html, "script").join(" ");
    let styles = inline_sources(html, "style").join(" ");
    format!(
        "default-src 'none'; script-src 'self' 'wasm-unsafe-eval' 'report-sample' {scripts}; \
         style-src 'self' 'report-sample' {styles}; connect-src 'self'; img-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; \
         report-uri {report_uri}"
    )
}

/// The widget's other files (its JS and wasm, which no page runs under this policy):
/// nothing may run or load if one is opened as a page, and none is framed.
pub fn widget_files(report_uri: &str) -> String {
    format!(
        "default-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'; \
         frame-ancestors 'none'; report-uri {report_uri}"
    )
}

/// A page with no script and one inline style that is never framed (the return page).
pub fn scriptless_page(style: &str, report_uri: &str) -> String {
    format!(
        "default-src 'none'; style-src {}; base-uri 'none'; form-action 'none'; \
         frame-ancestors 'none'; report-uri {report_uri}",
        sha256_source(style)
    )
}

/// `POST /csp-reports`: one violation report (`application/csp-report` from `report-uri`,
/// or a `application/reports+json` list from the Reporting API), logged for operators.
/// The body is bounded ([`MAX_REPORT_BYTES`]); every field logged is cut short and
/// Debug-quoted, so a forged report cannot forge log lines.
pub async fn report(body: Bytes) -> StatusCode {
    let Ok(json) = serde_json::from_slice::<Value>(&body) else {
        return StatusCode::BAD_REQUEST;
    };
    let reports = match json {
        Value::Array(list) => list.into_iter().map(|r| r["body"].clone()).collect(),
        Value::Object(_) => vec![json["csp-report"].clone()],
        _ => Vec::new(),
    };
    for report in reports.iter().take(10) {
        let field = |legacy: &str, modern: &str| {
            let value = report[legacy].as_str().or(report[modern].as_str());
            value
                .unwrap_or_default()
                .chars()
                .take(200)
                .collect::<String>()
        };
        tracing::warn!(
            page = ?field("document-uri", "documentURL"),
            directive = ?field("effective-directive", "effectiveDirective"),
            blocked = ?field("blocked-uri", "blockedURL"),
            sample = ?field("script-sample", "sample"),
            "a browser reported a Content Security Policy violation"
        );
    }
    StatusCode::NO_CONTENT
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_inline_script_and_style_is_allowed_by_its_hash_and_nothing_else() {
        let html = "<html><head><script>a()</script><script type=module>b()</script>\
            <script src=\"/x.js\"></script><style>p{}</style><scripts>c()</scripts></head>\
            <body><script>a()</script></body></html>";
        let scripts = inline_sources(html, "script");
        assert_eq!(scripts, {
            let mut expected = vec![sha256_source("a()"), sha256_source("b()")];
            expected.sort();
            expected
        });
        assert_eq!(inline_sources(html, "style"), vec![sha256_source("p{}")]);
        let Ok(shop) = "https://shop.example".parse::<Origin>() else {
            unreachable!()
        };
        let policy = widget_page(html, &[shop], "/csp-reports");
        assert!(policy.starts_with("default-src 'none'; script-src 'self' 'wasm-unsafe-eval'"));
        assert!(policy.contains(&sha256_source("b()")), "{policy}");
        assert!(!policy.contains(&sha256_source("c()")), "{policy}");
        assert!(
            policy.contains("object-src 'none'; base-uri 'none'"),
            "{policy}"
        );
        assert!(
            policy.ends_with(
                "; frame-ancestors 'self' https://shop.example; report-uri /csp-reports"
            ),
            "{policy}"
        );
        assert!(!policy.contains("unsafe-inline"), "{policy}");
    }

    #[test]
    fn the_hash_is_the_one_browsers_compute() {
        // `echo -n 'alert(1)' | openssl dgst -sha256 -binary | base64`
        assert_eq!(
            sha256_source("alert(1)"),
            "'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='"
        );
    }
}
