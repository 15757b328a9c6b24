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
/// every widget file carries.
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
    assert!(csp.contains(&app.shop_url), "{path}: {csp}");
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
