//! Init's `vippsRedirectUrl` becomes a window, a link and a QR code in the widget's
//! origin: the backend keeps it only if it is a web address (a fake Vipps answers here).

use e2e::fakes::LoneBackend;
use e2e::{TestResult, expect_json};
use serde_json::{Value, json};

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

/// Creates a payment; returns its id and client secret.
async fn create(backend: &LoneBackend, http: &reqwest::Client) -> TestResult<(String, String)> {
    let payment = backend.create_payment(http).await?;
    Ok((
        payment.id.to_string(),
        payment.client_secret.unwrap_or_default(),
    ))
}

async fn checkout(
    backend: &LoneBackend,
    http: &reqwest::Client,
    (id, secret): &(String, String),
    start: bool,
) -> TestResult<reqwest::Response> {
    let url = format!("{}/api/checkout/payments/{id}", backend.url);
    let request = match start {
        true => http
            .post(format!("{url}/start"))
            .json(&json!({"phone_number": "91234567"})),
        false => http.get(url),
    };
    let request = request.header("x-client-secret", secret);
    request.send().await.map_err(err)
}

#[tokio::test]
async fn a_landing_page_that_is_no_web_address_fails_the_start_and_is_never_stored() -> TestResult {
    let backend = LoneBackend::spawn().await?;
    let http = reqwest::Client::new();
    let payment = create(&backend, &http).await?;
    *backend.vipps.landing_url.lock().map_err(err)? = Some("javascript:alert(1)".to_owned());

    let refused = checkout(&backend, &http, &payment, true).await?;
    let body: Value = expect_json(refused, 502).await?;
    assert_eq!(body["code"], "vipps_unavailable", "{body}");
    assert!(!body.to_string().contains("javascript"), "{body}");
    let view: Value = expect_json(checkout(&backend, &http, &payment, false).await?, 200).await?;
    assert_eq!(view["status"], "awaiting_phone", "{view}");
    assert_eq!(view["vipps_url"], Value::Null, "{view}");
    let qr = http
        .get(format!(
            "{}/api/checkout/payments/{}/qr",
            backend.url, payment.0
        ))
        .header("x-client-secret", &payment.1)
        .send()
        .await
        .map_err(err)?;
    assert_eq!(qr.status(), 404, "no landing page, no QR code");

    // Vipps answering properly again, the same payment starts.
    *backend.vipps.landing_url.lock().map_err(err)? = None;
    let started: Value = expect_json(checkout(&backend, &http, &payment, true).await?, 200).await?;
    assert_eq!(started["status"], "awaiting_app", "{started}");
    assert_eq!(
        started["vipps_url"], "http://vipps.invalid/landing",
        "{started}"
    );
    Ok(())
}
