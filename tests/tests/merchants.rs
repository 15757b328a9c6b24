//! Two merchants on one PSP: each merchant API call is scoped to the key's merchant.
//! Another merchant's payment is 404 exactly like a missing one, order ids and
//! idempotency keys are per merchant, and the widget and return page speak for the
//! payment's own merchant (its name, its origins, its defaults).

use e2e::{SECOND_MERCHANT_NAME, TestApp, TestResult, expect_json};
use serde_json::{Value, json};
use shared::merchant::MerchantPayment;

/// `GET`/`POST` `path` on the backend with `key`; returns status and body.
async fn call(app: &TestApp, method: &str, path: &str, key: &str) -> TestResult<(u16, String)> {
    let url = format!("{}{path}", app.backend_url);
    let request = match method {
        "POST" => app.http.post(url),
        _ => app.http.get(url),
    };
    let response = request
        .bearer_auth(key)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let status = response.status().as_u16();
    Ok((status, response.text().await.map_err(|e| e.to_string())?))
}

#[tokio::test]
async fn another_merchants_payment_is_not_found_exactly_like_a_missing_one() -> TestResult {
    let app = TestApp::spawn().await?;
    let other = app.second_merchant().await?;
    let ours = app.create_payment(10_000).await?;
    let missing = "pay_00000000000000000000000000000000";
    for (method, suffix) in [
        ("GET", ""),
        ("POST", "/capture"),
        ("POST", "/refund"),
        ("POST", "/cancel"),
    ] {
        let theirs = call(
            &app,
            method,
            &format!("/v1/payments/{}{suffix}", ours.id),
            &other.key,
        )
        .await?;
        let nothing = call(
            &app,
            method,
            &format!("/v1/payments/{missing}{suffix}"),
            &other.key,
        )
        .await?;
        assert_eq!(theirs.0, 404, "{method} {suffix}: {}", theirs.1);
        assert_eq!(
            theirs, nothing,
            "{method} {suffix}: the answer tells the payment exists"
        );
    }
    // And nothing happened to it: still ours, still waiting.
    let still: MerchantPayment = app.merchant_view(&ours).await?;
    assert_eq!(still.status, shared::merchant::PaymentStatus::Created);
    Ok(())
}

#[tokio::test]
async fn order_ids_are_unique_per_merchant_not_across_merchants() -> TestResult {
    let app = TestApp::spawn().await?;
    let other = app.second_merchant().await?;
    let first = app
        .create_payment_as(&app.merchant_key, 5_000, "order42")
        .await?;
    assert_eq!(first.status(), 201);
    let theirs = app.create_payment_as(&other.key, 5_000, "order42").await?;
    assert_eq!(
        theirs.status(),
        201,
        "another merchant may use the same order id"
    );
    let again = app
        .create_payment_as(&app.merchant_key, 5_000, "order42")
        .await?;
    let body: Value = expect_json(again, 409).await?;
    assert_eq!(body["code"], "duplicate_order_id");
    Ok(())
}

#[tokio::test]
async fn an_idempotency_key_belongs_to_one_merchant() -> TestResult {
    let app = TestApp::spawn().await?;
    let other = app.second_merchant().await?;
    let body = json!({"amount": 5_000, "merchant_order_id": "same1", "description": "Kaffe"});
    let mut created = Vec::new();
    for key in [&app.merchant_key, &other.key] {
        let response = app
            .http
            .post(format!("{}/v1/payments", app.backend_url))
            .bearer_auth(key)
            .header("Idempotency-Key", "the-same-key")
            .json(&body)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        assert!(response.headers().get("idempotent-replayed").is_none());
        let payment: MerchantPayment = expect_json(response, 201).await?;
        created.push(payment);
    }
    assert_ne!(
        created[0].id, created[1].id,
        "the second merchant got the first one's payment"
    );
    // Each one's payment is its own.
    let (status, _) = call(
        &app,
        "GET",
        &format!("/v1/payments/{}", created[1].id),
        &other.key,
    )
    .await?;
    assert_eq!(status, 200);
    Ok(())
}

/// The Content Security Policy of the widget page for payment `id`.
async fn widget_policy(app: &TestApp, id: &str) -> TestResult<String> {
    let response = app
        .http
        .get(format!("{}/widget/?payment={id}", app.backend_url))
        .send()
        .await
        .map_err(|e| e.to_string())?;
    Ok(response
        .headers()
        .get("content-security-policy")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned())
}

#[tokio::test]
async fn the_widget_may_be_framed_only_by_its_payments_merchants_origins() -> TestResult {
    let app = TestApp::spawn().await?;
    let other = app
        .create_merchant(&json!({"name": "Fjord Kaffe AS", "msn": e2e::SECOND_MSN,
                                 "allowed_origins": ["https://kaffe.example"]}))
        .await?;
    let ours = app.create_payment(5_000).await?;
    let theirs: MerchantPayment =
        expect_json(app.create_payment_as(&other.key, 5_000, "k1").await?, 201).await?;
    let our_policy = widget_policy(&app, ours.id.as_str()).await?;
    let their_policy = widget_policy(&app, theirs.id.as_str()).await?;
    let nobodys = widget_policy(&app, "pay_00000000000000000000000000000000").await?;
    assert!(
        our_policy.contains(&format!("frame-ancestors 'self' {};", app.shop_url)),
        "{our_policy}"
    );
    assert!(!our_policy.contains("kaffe.example"), "{our_policy}");
    assert!(
        their_policy.contains("frame-ancestors 'self' https://kaffe.example;"),
        "{their_policy}"
    );
    assert!(nobodys.contains("frame-ancestors 'self';"), "{nobodys}");
    Ok(())
}

#[tokio::test]
async fn the_widget_and_the_return_page_name_the_payments_own_merchant() -> TestResult {
    let app = TestApp::spawn().await?;
    let other = app.second_merchant().await?;
    let theirs: MerchantPayment =
        expect_json(app.create_payment_as(&other.key, 5_000, "k2").await?, 201).await?;
    let view = app.checkout_view(&theirs).await?;
    assert_eq!(view.merchant_name, SECOND_MERCHANT_NAME);
    let ours = app.checkout_view(&app.create_payment(5_000).await?).await?;
    assert_eq!(ours.merchant_name, shared::sandbox::MERCHANT_NAME);
    let page = app
        .http
        .get(format!("{}/return/{}", app.backend_url, theirs.id))
        .send()
        .await
        .map_err(|e| e.to_string())?
        .text()
        .await
        .map_err(|e| e.to_string())?;
    assert!(page.contains(SECOND_MERCHANT_NAME), "{page}");
    Ok(())
}

#[tokio::test]
async fn the_widget_page_takes_the_merchants_language_and_look_unless_the_page_says_otherwise()
-> TestResult {
    let app = TestApp::spawn().await?;
    let other = app
        .create_merchant(&json!({"name": "Fjord Kaffe AS", "msn": e2e::SECOND_MSN,
                                 "language": "nn", "appearance": {"colorPrimary": "#0a5c36"}}))
        .await?;
    let theirs: MerchantPayment =
        expect_json(app.create_payment_as(&other.key, 5_000, "k3").await?, 201).await?;
    let no_redirects = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| e.to_string())?;
    let location = |query: String| {
        let client = no_redirects.clone();
        let url = format!("{}/widget/?payment={}{query}", app.backend_url, theirs.id);
        async move {
            let response = client.get(url).send().await.map_err(|e| e.to_string())?;
            Ok::<_, String>((
                response.status().as_u16(),
                response
                    .headers()
                    .get("location")
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_owned),
            ))
        }
    };
    let (status, to) = location(String::new()).await?;
    assert_eq!(status, 303);
    let to = to.unwrap_or_default();
    assert!(
        to.contains("locale=nn") && to.contains("colorPrimary=%230a5c36"),
        "{to}"
    );
    let (status, to) = location("&locale=en&colorPrimary=%23000000".into()).await?;
    // The page's own choices win: served as it is (404 here: no widget is built), not sent on.
    assert!(status != 303 && to.is_none(), "{status} {to:?}");
    Ok(())
}
