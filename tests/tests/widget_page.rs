//! The widget's page (`/widget/`) comes with the phone form in it while the payment
//! waits for a number, in the merchant's or the browser's language, and without it in
//! every other case; framing is limited to the merchant's origins either way.

use e2e::{Options, TestApp, TestResult};
use shared::merchant::MerchantPayment;

const BUILT: &str = "<!doctype html><title>Vipps</title><div id=boot></div></body></html>";

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

/// A backend serving a stand-in for the built widget.
async fn app() -> TestResult<(TestApp, tempfile::TempDir)> {
    let dir = tempfile::tempdir().map_err(err)?;
    std::fs::write(dir.path().join("index.html"), BUILT).map_err(err)?;
    std::fs::write(dir.path().join("app.js"), "export {}").map_err(err)?;
    let options = Options {
        widget_dir: Some(dir.path().to_owned()),
        ..Options::default()
    };
    Ok((TestApp::spawn_with(options).await?, dir))
}

/// The page at `path`, asked for with `Accept-Language: languages`; checks the headers
/// every widget file carries. Only a known payment's page may be framed by its merchant's
/// origins; the other files and pages by nobody else.
async fn page(app: &TestApp, path: &str, languages: &str) -> TestResult<String> {
    let response = app
        .http
        .get(format!("{}{path}", app.backend_url))
        .header("accept-language", languages)
        .send()
        .await
        .map_err(err)?;
    assert_eq!(response.status(), 200, "{path}");
    let header = |name| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let csp = header("content-security-policy").unwrap_or_default();
    let known = ["pay_doesnotexist", "%3Cscript%3E"]
        .iter()
        .all(|unknown| !path.contains(unknown))
        && path.contains("payment=pay_");
    let ancestors = if known {
        format!("frame-ancestors 'self' {};", app.shop_url)
    } else if path.ends_with(".js") {
        "frame-ancestors 'none';".to_owned()
    } else {
        "frame-ancestors 'self';".to_owned()
    };
    assert!(csp.contains(&ancestors), "{path}: {csp}");
    assert_eq!(
        header("cache-control").as_deref(),
        Some("no-cache"),
        "{path}"
    );
    response.text().await.map_err(err)
}

fn widget(payment: &MerchantPayment, query: &str) -> String {
    format!("/widget/?payment={}{query}", payment.id)
}

#[tokio::test]
async fn a_payment_waiting_for_a_number_gets_the_form_in_the_shoppers_language() -> TestResult {
    let (app, _dir) = app().await?;
    let payment = app.create_payment(100).await?;
    let html = page(&app, &widget(&payment, ""), "nn-NO,en;q=0.5").await?;
    assert!(html.starts_with("<!doctype html><title>Vipps</title><div id=boot></div>"));
    assert!(html.ends_with("</script></body></html>"), "{html}");
    assert!(html.contains("<div id=\"boot-form\" class=\"boot-stage\" lang=\"nn\">"));
    assert!(html.contains(">Mobilnummer</label>"), "{html}");
    // The merchant's locale wins; the same page is at index.html.
    let path = format!("/widget/index.html?payment={}&locale=en", payment.id);
    let english = page(&app, &path, "nb").await?;
    assert!(english.contains("lang=\"en\""), "{english}");
    assert!(english.contains(">Mobile number</label>"), "{english}");
    // By the payment's id alone the page tells nothing about it but that it waits.
    assert!(!english.contains("1,00"), "{english}");
    // The widget's other files are still served as they are, with the same headers.
    page(&app, "/widget/app.js", "en").await?;
    Ok(())
}

#[tokio::test]
async fn any_other_payment_gets_the_page_as_built() -> TestResult {
    let (app, _dir) = app().await?;
    let started = app.create_payment(100).await?;
    assert_eq!(app.start(&started, "91234567").await?.status(), 200);
    let cancelled = app.create_payment(100).await?;
    assert_eq!(app.checkout_post(&cancelled, "cancel").await?.status(), 200);
    for path in [
        widget(&started, ""),
        widget(&cancelled, ""),
        "/widget/?payment=pay_doesnotexist".to_owned(),
        "/widget/?payment=%3Cscript%3E".to_owned(),
        "/widget/".to_owned(),
    ] {
        assert_eq!(page(&app, &path, "nb").await?, BUILT, "{path}");
    }
    Ok(())
}

#[tokio::test]
async fn without_a_built_widget_the_page_is_not_found() -> TestResult {
    let dir = tempfile::tempdir().map_err(err)?;
    let options = Options {
        widget_dir: Some(dir.path().to_owned()),
        ..Options::default()
    };
    let app = TestApp::spawn_with(options).await?;
    let payment = app.create_payment(100).await?;
    let url = format!("{}{}", app.backend_url, widget(&payment, ""));
    let response = app.http.get(url).send().await.map_err(err)?;
    assert_eq!(response.status(), 404);
    assert!(
        response.headers().contains_key("content-security-policy"),
        "even a 404 may be framed only by the merchant"
    );
    Ok(())
}

/// `'sha256-…'` of `text`, as a browser computes it for an inline script or style.
fn hash_source(text: &str) -> String {
    use base64::Engine;
    let hash = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, text.as_bytes());
    let encoded = base64::engine::general_purpose::STANDARD.encode(hash.as_ref());
    format!("'sha256-{encoded}'")
}

/// What is between `open` and the next `close` in `html`.
fn between<'a>(html: &'a str, open: &str, close: &str) -> TestResult<&'a str> {
    let start = html
        .find(open)
        .ok_or_else(|| format!("no {open} in {html}"))?
        + open.len();
    let rest = html.get(start..).unwrap_or_default();
    let end = rest
        .find(close)
        .ok_or_else(|| format!("no {close} in {html}"))?;
    Ok(rest.get(..end).unwrap_or_default())
}

#[tokio::test]
async fn the_page_runs_only_its_own_code_and_allows_its_inline_parts_by_hash() -> TestResult {
    let (app, _dir) = app().await?;
    let payment = app.create_payment(100).await?;
    let url = format!(
        "{}{}",
        app.backend_url,
        widget(&payment, "&colorPrimary=%230a5c36")
    );
    let response = app.http.get(url).send().await.map_err(err)?;
    let csp = response
        .headers()
        .get("content-security-policy")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let html = response.text().await.map_err(err)?;
    let script = between(&html, "<script>", "</script>")?;
    let style = between(&html, "<style>", "</style>")?;
    assert!(style.contains("--primary:#0a5c36"), "{style}");
    for expected in [
        "default-src 'none'",
        "script-src 'self' 'wasm-unsafe-eval'",
        &hash_source(script),
        &hash_source(style),
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'none'",
        &format!("frame-ancestors 'self' {}", app.shop_url),
        "report-uri /csp-reports",
    ] {
        assert!(csp.contains(expected), "{expected} is not in {csp}");
    }
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    assert!(!csp.contains(&hash_source("alert(1)")), "{csp}");
    // The height goes to the embedding page's origin, not to whoever may be there.
    assert!(!script.contains("'*'"), "{script}");
    assert!(script.contains("ancestorOrigins"), "{script}");
    Ok(())
}

#[tokio::test]
async fn browsers_report_violations_to_the_backend_in_a_bounded_body() -> TestResult {
    let (app, _dir) = app().await?;
    let url = format!("{}/csp-reports", app.backend_url);
    let report = serde_json::json!({"csp-report": {
        "document-uri": "http://localhost/widget/?payment=pay_1",
        "effective-directive": "script-src-elem",
        "blocked-uri": "inline",
        "script-sample": "alert(1)\n2026-12-01T00:00:00Z INFO forged line",
    }});
    let post = |body: Vec<u8>, kind: &'static str| {
        app.http
            .post(&url)
            .header("content-type", kind)
            .body(body)
            .send()
    };
    let legacy = post(report.to_string().into_bytes(), "application/csp-report").await;
    assert_eq!(legacy.map_err(err)?.status(), 204);
    let modern = serde_json::json!([{"type": "csp-violation", "body": {"blockedURL": "inline"}}]);
    let modern = post(modern.to_string().into_bytes(), "application/reports+json").await;
    assert_eq!(modern.map_err(err)?.status(), 204);
    let huge = post(vec![b' '; 64 * 1024], "application/csp-report").await;
    assert_eq!(huge.map_err(err)?.status(), 413);
    let garbage = post(b"<html>".to_vec(), "application/csp-report").await;
    assert_eq!(garbage.map_err(err)?.status(), 400);
    Ok(())
}
