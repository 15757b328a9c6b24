//! API keys and the operator: several live keys per merchant, rotated without downtime,
//! stored as hashes and revoked at once; the operator onboards, disables and enables
//! merchants with its own key; bad input names its field and changes nothing.

use e2e::{TestApp, TestResult, expect_json};
use serde_json::{Value, json};
use shared::account::{ApiKey, CreatedApiKey, Merchant};

async fn send(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    key: &str,
    body: Option<&Value>,
) -> TestResult<reqwest::Response> {
    let mut request = app
        .http
        .request(method, format!("{}{path}", app.backend_url))
        .bearer_auth(key);
    if let Some(body) = body {
        request = request.json(body);
    }
    request.send().await.map_err(|e| e.to_string())
}

/// `GET path` with `key`, answered 200 with a `T`.
async fn get<T: serde::de::DeserializeOwned>(
    app: &TestApp,
    path: &str,
    key: &str,
) -> TestResult<T> {
    expect_json(send(app, reqwest::Method::GET, path, key, None).await?, 200).await
}

async fn payments_status(app: &TestApp, key: &str) -> TestResult<u16> {
    let response = app
        .create_payment_as(
            key,
            1_000,
            &format!("k{}", shared::ids::hex(&e2e::rand_bytes())),
        )
        .await?;
    Ok(response.status().as_u16())
}

#[tokio::test]
async fn a_key_is_rotated_without_downtime_and_a_revoked_key_gets_401_at_once() -> TestResult {
    let app = TestApp::spawn().await?;
    let post = reqwest::Method::POST;
    let response = send(
        &app,
        post.clone(),
        "/v1/api-keys",
        &app.merchant_key,
        Some(&json!({"name": "rotated"})),
    )
    .await?;
    let new: CreatedApiKey = expect_json(response, 201).await?;
    assert!(new.secret.starts_with("sk_test_"), "{}", new.secret);
    // Both keys work together while the shop switches over.
    assert_eq!(payments_status(&app, &app.merchant_key).await?, 201);
    assert_eq!(payments_status(&app, &new.secret).await?, 201);
    let listed: Vec<ApiKey> = get(&app, "/v1/api-keys", &new.secret).await?;
    assert_eq!(listed.len(), 2);
    let old = listed
        .iter()
        .find(|k| k.id != new.key.id)
        .ok_or("the first key is not listed")?;
    assert!(
        old.last_used_at.is_some(),
        "the first key's use is not recorded: {old:?}"
    );
    let text = serde_json::to_string(&listed).map_err(|e| e.to_string())?;
    assert!(
        !text.contains(&app.merchant_key) && !text.contains(&new.secret),
        "a secret is listed"
    );
    let path = format!("/v1/api-keys/{}", old.id);
    let revoked: ApiKey = expect_json(
        send(&app, reqwest::Method::DELETE, &path, &new.secret, None).await?,
        200,
    )
    .await?;
    assert!(revoked.revoked_at.is_some());
    assert_eq!(payments_status(&app, &app.merchant_key).await?, 401);
    assert_eq!(payments_status(&app, &new.secret).await?, 201);
    Ok(())
}

#[tokio::test]
async fn a_merchant_cannot_see_or_revoke_another_merchants_keys() -> TestResult {
    let app = TestApp::spawn().await?;
    let other = app.second_merchant().await?;
    let theirs: Vec<ApiKey> = get(&app, "/v1/api-keys", &other.key).await?;
    let ours: Vec<ApiKey> = get(&app, "/v1/api-keys", &app.merchant_key).await?;
    assert_eq!(theirs.len(), 1);
    assert!(ours.iter().all(|k| k.id != theirs[0].id));
    let path = format!("/v1/api-keys/{}", theirs[0].id);
    let response = send(
        &app,
        reqwest::Method::DELETE,
        &path,
        &app.merchant_key,
        None,
    )
    .await?;
    assert_eq!(response.status(), 404);
    assert_eq!(
        payments_status(&app, &other.key).await?,
        201,
        "their key was revoked"
    );
    Ok(())
}

#[tokio::test]
async fn a_disabled_merchants_keys_and_widgets_stop_and_its_payments_stay_readable_by_the_operator()
-> TestResult {
    let app = TestApp::spawn().await?;
    let other = app.second_merchant().await?;
    let payment: shared::merchant::MerchantPayment =
        expect_json(app.create_payment_as(&other.key, 5_000, "d1").await?, 201).await?;
    let path = format!("/operator/v1/merchants/{}/disable", other.merchant.id);
    let disabled: Merchant = expect_json(
        send(&app, reqwest::Method::POST, &path, &app.operator_key, None).await?,
        200,
    )
    .await?;
    assert_eq!(disabled.status, shared::account::MerchantStatus::Disabled);
    assert_eq!(payments_status(&app, &other.key).await?, 401);
    let widget = app
        .http
        .get(format!(
            "{}/api/checkout/payments/{}",
            app.backend_url, payment.id
        ))
        .header(
            shared::checkout::CLIENT_SECRET_HEADER,
            payment.client_secret.clone().unwrap_or_default(),
        )
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let body: Value = expect_json(widget, 403).await?;
    assert_eq!(body["code"], "merchant_unavailable");
    let path = format!("/operator/v1/payments/{}", payment.id);
    let read: shared::merchant::MerchantPayment = get(&app, &path, &app.operator_key).await?;
    assert_eq!(read.id, payment.id);
    // The environment's merchant is untouched; enabling brings the other back.
    assert_eq!(payments_status(&app, &app.merchant_key).await?, 201);
    let path = format!("/operator/v1/merchants/{}/enable", other.merchant.id);
    let _: Merchant = expect_json(
        send(&app, reqwest::Method::POST, &path, &app.operator_key, None).await?,
        200,
    )
    .await?;
    assert_eq!(payments_status(&app, &other.key).await?, 201);
    Ok(())
}

#[tokio::test]
async fn the_operator_api_takes_only_the_operator_key() -> TestResult {
    let app = TestApp::spawn().await?;
    for key in [app.merchant_key.as_str(), "op_wrong", ""] {
        let response = send(
            &app,
            reqwest::Method::GET,
            "/operator/v1/merchants",
            key,
            None,
        )
        .await?;
        assert_eq!(response.status(), 401, "key {key:?}");
    }
    let listed: Vec<Merchant> = get(&app, "/operator/v1/merchants", &app.operator_key).await?;
    assert_eq!(listed.len(), 1, "the environment's merchant");
    // And the operator key is no merchant key.
    assert_eq!(payments_status(&app, &app.operator_key).await?, 401);
    Ok(())
}

#[tokio::test]
async fn a_bad_merchant_is_refused_naming_its_field_and_nothing_is_created() -> TestResult {
    let app = TestApp::spawn().await?;
    let good = json!({"name": "Fjord Kaffe AS", "msn": "654321", "allowed_origins": ["https://kaffe.example"]});
    for (field, value, words) in [
        ("msn", json!("65432"), "msn"),
        ("msn", json!("12345a"), "msn"),
        (
            "allowed_origins",
            json!(["https://kaffe.example/path"]),
            "origin",
        ),
        ("allowed_origins", json!(["kaffe.example"]), "origin"),
        ("name", json!(""), "name"),
        ("language", json!("de"), "language"),
    ] {
        let mut body = good.clone();
        body[field] = value;
        let response = send(
            &app,
            reqwest::Method::POST,
            "/operator/v1/merchants",
            &app.operator_key,
            Some(&body),
        )
        .await?;
        let error: Value = expect_json(response, 400).await?;
        let param = error["param"].as_str().unwrap_or_default();
        assert!(param.starts_with(field), "{field}: {error}");
        let said = format!("{param}: {}", error["message"].as_str().unwrap_or_default());
        assert!(said.contains(words), "{field}: {said}");
    }
    let taken = json!({"name": "Copy", "msn": shared::sandbox::MERCHANT_SERIAL_NUMBER});
    let response = send(
        &app,
        reqwest::Method::POST,
        "/operator/v1/merchants",
        &app.operator_key,
        Some(&taken),
    )
    .await?;
    let error: Value = expect_json(response, 409).await?;
    assert_eq!(error["code"], "msn_taken");
    let listed: Vec<Merchant> = get(&app, "/operator/v1/merchants", &app.operator_key).await?;
    assert_eq!(listed.len(), 1, "a refused merchant was created");
    Ok(())
}
