//! `/dashboard/`: the built dashboard's page under a Content Security Policy that allows
//! its inline script by hash and nothing foreign, its files, and the page again for any
//! path the dashboard routes in the browser.

use e2e::{Options, TestApp, TestResult};

const PAGE: &str = "<!doctype html><html><head><script type=module>import init from '/dashboard/d.js'; await init();</script><link rel=stylesheet href=/dashboard/d.css></head><body></body></html>";

async fn app_with_dashboard(dir: &std::path::Path) -> TestResult<TestApp> {
    TestApp::spawn_with(Options {
        dashboard_dir: Some(dir.to_owned()),
        ..Options::default()
    })
    .await
}

async fn get(app: &TestApp, path: &str) -> TestResult<reqwest::Response> {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| e.to_string())?;
    client
        .get(format!("{}{path}", app.backend_url))
        .send()
        .await
        .map_err(|e| e.to_string())
}

fn header(response: &reqwest::Response, name: &str) -> String {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn the_page_allows_its_own_inline_script_by_hash_and_is_never_framed() -> TestResult {
    let root = tempfile::tempdir().map_err(|e| e.to_string())?;
    let dist = root.path().join("dist");
    std::fs::create_dir(&dist).map_err(|e| e.to_string())?;
    std::fs::write(dist.join("index.html"), PAGE).map_err(|e| e.to_string())?;
    std::fs::write(dist.join("d.js"), "export default async function () {}")
        .map_err(|e| e.to_string())?;
    std::fs::write(root.path().join("secret.js"), "no").map_err(|e| e.to_string())?;
    let app = app_with_dashboard(&dist).await?;

    let bare = get(&app, "/dashboard").await?;
    assert_eq!(bare.status(), 308);
    assert_eq!(header(&bare, "location"), "/dashboard/");

    let script = "import init from '/dashboard/d.js'; await init();";
    let hash = {
        use base64::Engine;
        let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, script.as_bytes());
        let encoded = base64::engine::general_purpose::STANDARD.encode(digest.as_ref());
        format!("'sha256-{encoded}'")
    };
    for path in [
        "/dashboard/",
        "/dashboard/payments/pay_0123456789abcdef0123456789abcdef",
    ] {
        let page = get(&app, path).await?;
        assert_eq!(page.status(), 200, "{path}");
        let policy = header(&page, "content-security-policy");
        assert!(policy.contains(&hash), "{path}: {policy}");
        assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
        assert!(policy.contains("connect-src 'self'"), "{policy}");
        assert!(!policy.contains("unsafe-inline"), "{policy}");
        assert_eq!(page.text().await.map_err(|e| e.to_string())?, PAGE);
    }

    let file = get(&app, "/dashboard/d.js").await?;
    assert_eq!(file.status(), 200);
    assert!(header(&file, "content-type").contains("javascript"));
    assert!(header(&file, "content-security-policy").contains("default-src 'none'"));
    assert_eq!(get(&app, "/dashboard/missing.js").await?.status(), 404);
    // Nothing outside the dashboard's directory is served.
    for outside in [
        "/dashboard/..%2fsecret.js",
        "/dashboard/%2e%2e/secret.js",
        "/dashboard/../secret.js",
    ] {
        let response = get(&app, outside).await?;
        let body = response.text().await.map_err(|e| e.to_string())?;
        assert_ne!(body, "no", "{outside}");
    }
    assert_eq!(get(&app, "/dashboard/api/nothing").await?.status(), 404);
    Ok(())
}

#[tokio::test]
async fn without_a_built_dashboard_the_page_says_how_to_build_it() -> TestResult {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let app = app_with_dashboard(&dir.path().join("nowhere")).await?;
    let page = get(&app, "/dashboard/").await?;
    assert_eq!(page.status(), 404);
    assert!(
        page.text()
            .await
            .map_err(|e| e.to_string())?
            .contains("cargo xtask")
    );
    Ok(())
}
