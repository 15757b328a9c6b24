//! The loader script merchants embed: served at `/checkout.js` (the current one) and at
//! a versioned URL whose bytes never change, both loadable from any origin with
//! `crossorigin="anonymous"`, and matching the Subresource Integrity hash the widget's
//! README tells merchants to put in their script tag.

use aws_lc_rs::digest::{SHA384, digest};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use e2e::{TestApp, TestResult};

const VERSION: &str = "1.2.0";
/// Released earlier, with the hash merchants pinned: served as it was, for good.
const RELEASED: [(&str, &str); 1] = [(
    "1.1.0",
    "sha384-srPCHUEuvGDdD26ikYPd4MsN8eYykIaqSyiJ6D7HZU8ELFizUIzmBAHxHgLBXQx6",
)];

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

/// Fetches a loader URL as a merchant's page would: cross-origin, CORS mode.
async fn fetch(app: &TestApp, path: &str) -> TestResult<(reqwest::header::HeaderMap, String)> {
    let response = app
        .http
        .get(format!("{}{path}", app.backend_url))
        .header("Origin", "https://shop.example")
        .send()
        .await
        .map_err(err)?;
    if response.status() != 200 {
        return Err(format!("{path}: {}", response.status()));
    }
    let headers = response.headers().clone();
    Ok((headers, response.text().await.map_err(err)?))
}

fn header<'h>(headers: &'h reqwest::header::HeaderMap, name: &str) -> &'h str {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}

#[tokio::test]
async fn the_versioned_loader_is_the_current_one_cached_for_good_and_loadable_anywhere()
-> TestResult {
    let app = TestApp::spawn().await?;
    let (current_headers, current) = fetch(&app, "/checkout.js").await?;
    let (pinned_headers, pinned) = fetch(&app, &format!("/checkout/{VERSION}/checkout.js")).await?;

    assert_eq!(current, pinned, "one loader, two addresses");
    assert!(pinned.contains(&format!("var VERSION = \"{VERSION}\";")));
    for headers in [&current_headers, &pinned_headers] {
        assert_eq!(header(headers, "access-control-allow-origin"), "*");
        assert_eq!(
            header(headers, "cross-origin-resource-policy"),
            "cross-origin"
        );
        assert!(header(headers, "content-type").starts_with("text/javascript"));
        assert_eq!(header(headers, "x-content-type-options"), "nosniff");
    }
    assert!(
        header(&pinned_headers, "cache-control").contains("immutable"),
        "a versioned URL never changes"
    );
    assert!(
        !header(&current_headers, "cache-control").contains("immutable"),
        "the current loader must be able to change"
    );

    let unknown = app
        .http
        .get(format!("{}/checkout/0.0.1/checkout.js", app.backend_url))
        .send()
        .await
        .map_err(err)?;
    assert_eq!(unknown.status(), 404, "no version we do not have");
    Ok(())
}

fn sri(bytes: &[u8]) -> String {
    format!("sha384-{}", STANDARD.encode(digest(&SHA384, bytes)))
}

#[tokio::test]
async fn earlier_loaders_stay_at_their_urls_with_the_bytes_merchants_pinned() -> TestResult {
    let app = TestApp::spawn().await?;
    for (version, hash) in RELEASED {
        let (headers, served) = fetch(&app, &format!("/checkout/{version}/checkout.js")).await?;
        assert_eq!(sri(served.as_bytes()), hash, "loader {version} changed");
        assert!(header(&headers, "cache-control").contains("immutable"));
        assert_eq!(header(&headers, "access-control-allow-origin"), "*");
    }
    Ok(())
}

#[tokio::test]
async fn the_integrity_hash_in_the_readme_is_the_served_loaders() -> TestResult {
    let app = TestApp::spawn().await?;
    let (_, served) = fetch(&app, &format!("/checkout/{VERSION}/checkout.js")).await?;
    let hash = sri(served.as_bytes());
    let readme_path = concat!(env!("CARGO_MANIFEST_DIR"), "/../frontend/README.md");
    let readme = std::fs::read_to_string(readme_path).map_err(err)?;
    assert!(
        readme.contains(&format!("integrity=\"{hash}\"")),
        "frontend/README.md must document integrity=\"{hash}\" for loader {VERSION}"
    );
    assert!(
        readme.contains(&format!("/checkout/{VERSION}/checkout.js")),
        "frontend/README.md must show the versioned URL"
    );
    Ok(())
}
