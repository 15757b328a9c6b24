//! The shopper's pages over real HTTP: the landing page and the phone app.

mod support;

use reqwest::StatusCode;
use serde_json::{Value, json};
use shared::vipps::Confirmed;
use support::{TestResult, spawn_app, spawn_app_with};

#[tokio::test]
async fn confirming_a_number_on_the_landing_page_sends_the_payment_to_the_app() -> TestResult {
    let mut app = spawn_app().await?;
    let mut body = app.init_body("tx1", "order1");
    body["customerMobileNumber"] = Value::Null;
    let answer = app.init(&body).await?;
    let landing = answer["vippsRedirectUrl"].as_str().unwrap_or_default();
    let form = app.http.get(landing).send().await?.text().await?;
    assert!(
        form.contains("id=\"phone\"") && form.contains("id=\"cancel\""),
        "{form}"
    );

    let bad = app
        .http
        .post(format!("{landing}/confirm"))
        .form(&[("phone", "123")])
        .send()
        .await?;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    let confirmed = app
        .http
        .post(format!("{landing}/confirm"))
        .form(&[("phone", "412 34 567")])
        .send()
        .await?;
    assert_eq!(confirmed.status(), StatusCode::SEE_OTHER);
    let waiting = app.http.get(landing).send().await?.text().await?;
    assert!(
        waiting.contains("Open the Vipps app on your phone to finish"),
        "{waiting}"
    );
    assert!(
        waiting.contains(&format!("{}/app?phone=41234567", app.sim)),
        "{waiting}"
    );
    let status: Value = app
        .http
        .get(format!("{landing}/status"))
        .send()
        .await?
        .json()
        .await?;
    assert_eq!(
        (&status["state"], &status["redirect_url"]),
        (&json!("confirmed"), &Value::Null)
    );

    let phone_app = app
        .http
        .get(format!("{}/app?phone=41234567", app.sim))
        .send()
        .await?
        .text()
        .await?;
    assert!(
        phone_app.contains("data-psp-transaction-id=\"tx1\""),
        "{phone_app}"
    );
    assert!(
        app.received().is_none(),
        "nothing is sent before the shopper answers in the app"
    );
    Ok(())
}

#[tokio::test]
async fn cancelling_on_the_landing_page_sends_cancel_and_returns_to_the_shop() -> TestResult {
    let mut app = spawn_app().await?;
    let answer = app.init(&app.init_body("tx1", "order1")).await?;
    let landing = answer["vippsRedirectUrl"].as_str().unwrap_or_default();
    let cancelled = app.http.post(format!("{landing}/cancel")).send().await?;
    assert_eq!(cancelled.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        cancelled
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok()),
        Some("http://shop.test/back")
    );
    assert_eq!(
        app.received().map(|c| c.request.confirmed),
        Some(Confirmed::Cancel)
    );
    let status: Value = app
        .http
        .get(format!("{landing}/status"))
        .send()
        .await?
        .json()
        .await?;
    assert_eq!(status["redirect_url"], "http://shop.test/back");
    Ok(())
}

#[tokio::test]
async fn the_phone_app_approves_with_the_chosen_card() -> TestResult {
    let mut app = spawn_app().await?;
    app.init(&app.init_body("tx1", "order1")).await?;
    let listing = app
        .http
        .get(format!("{}/app?phone=91234567", app.sim))
        .send()
        .await?
        .text()
        .await?;
    assert!(
        listing.contains("data-psp-transaction-id=\"tx1\"") && listing.contains("•••• 0004"),
        "{listing}"
    );
    let url = format!("{}/app/payments/tx1/approve", app.sim);
    let page = app
        .http
        .post(url)
        .form(&[("card", "5555555555554444")])
        .send()
        .await?
        .text()
        .await?;
    assert!(page.contains("data-outcome=\"ok\""), "{page}");
    let call = app
        .received()
        .and_then(|c| c.request.card_data)
        .unwrap_or_default();
    assert!(app.decrypt(&call)?.starts_with("5555555555554444,"));
    Ok(())
}

const HOSTILE: &str = "<img src=x onerror=alert(1)>";
const HOSTILE_ESCAPED: &str = "&lt;img src=x onerror=alert(1)&gt;";

#[tokio::test]
async fn a_hostile_merchant_name_and_payment_text_are_shown_as_text() -> TestResult {
    let app = spawn_app_with(|config| {
        if let Some(merchant) = config.merchants.first_mut() {
            merchant.name = HOSTILE.to_owned();
        }
    })
    .await?;
    let mut body = app.init_body("tx1", "order1");
    body["paymentText"] = json!(HOSTILE);
    let answer = app.init(&body).await?;
    let landing = answer["vippsRedirectUrl"].as_str().unwrap_or_default();
    let phone_app = format!("{}/app?phone=91234567", app.sim);
    for url in [landing, phone_app.as_str()] {
        let page = app.http.get(url).send().await?.text().await?;
        assert!(!page.contains("<img"), "{url}: {page}");
        assert_eq!(page.matches(HOSTILE_ESCAPED).count(), 2, "{url}: {page}");
    }
    Ok(())
}

#[tokio::test]
async fn a_hostile_phone_number_in_the_query_is_echoed_as_text() -> TestResult {
    let app = spawn_app().await?;
    let page = app
        .http
        .get(format!("{}/app", app.sim))
        .query(&[("phone", format!("\"{HOSTILE}"))])
        .send()
        .await?
        .text()
        .await?;
    assert!(!page.contains("<img"), "{page}");
    assert!(
        page.contains(&format!("value=\"&quot;{HOSTILE_ESCAPED}\"")),
        "{page}"
    );
    Ok(())
}
