//! The shop against a fake PSP: both on port 0, spoken to over real HTTP.

mod support;

use reqwest::StatusCode;
use support::{
    API_KEY, CHECKOUT_ORIGIN, CLIENT_SECRET, PAYMENT_ID, Shared, TestResult, buy, spawn_shop,
    spawn_shop_against,
};
use tokio::net::TcpListener;

#[tokio::test]
async fn checkout_page_embeds_the_widget_for_the_payment_the_server_created() -> TestResult {
    let psp = Shared::default();
    let shop = spawn_shop(psp.clone()).await?;

    let (status, page) = buy(&shop, "2").await?;

    assert_eq!(status, StatusCode::OK, "{page}");
    let script = format!(
        "<div id=\"vipps-checkout\"></div><script src=\"{CHECKOUT_ORIGIN}/checkout.js\" \
         data-payment=\"{PAYMENT_ID}\" data-client-secret=\"{CLIENT_SECRET}\" \
         data-container=\"#vipps-checkout\"></script>"
    );
    assert!(page.contains(&script), "{page}");
    assert!(page.contains("vipps-psp:succeeded"), "{page}");
    assert!(page.contains("598,00 kr"), "{page}");
    assert!(
        !page.contains(API_KEY),
        "the merchant key must never reach the browser"
    );

    let psp = psp.lock().map_err(|e| e.to_string())?;
    assert_eq!(psp.authorization, [format!("Bearer {API_KEY}")]);
    let [sent] = psp.created.as_slice() else {
        return Err("expected exactly one payment".into());
    };
    assert_eq!(sent.amount.ore(), 59_800);
    assert_eq!(sent.currency.code(), "NOK");
    assert_eq!(sent.description.as_str(), "2 × Vipps socks");
    assert!(sent.merchant_order_id.as_str().starts_with("shop"));
    Ok(())
}

#[tokio::test]
async fn psp_failure_gives_a_friendly_502_page() -> TestResult {
    let psp = Shared::default();
    psp.lock().map_err(|e| e.to_string())?.fail = true;
    let shop = spawn_shop(psp).await?;

    let (status, page) = buy(&shop, "1").await?;

    assert_eq!(status, StatusCode::BAD_GATEWAY);
    assert!(
        page.contains("could not reach our payment provider"),
        "{page}"
    );
    assert!(!page.contains("vipps-checkout"), "{page}");
    Ok(())
}

#[tokio::test]
async fn unreachable_psp_gives_a_502_page() -> TestResult {
    let closed = TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}", closed.local_addr()?);
    drop(closed);
    let shop = spawn_shop_against(url).await?;

    let (status, _) = buy(&shop, "1").await?;

    assert_eq!(status, StatusCode::BAD_GATEWAY);
    Ok(())
}

#[tokio::test]
async fn a_bad_quantity_is_refused_without_calling_the_psp() -> TestResult {
    let psp = Shared::default();
    let shop = spawn_shop(psp.clone()).await?;

    let (status, _) = buy(&shop, "999").await?;

    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        psp.lock()
            .map_err(|e| e.to_string())?
            .authorization
            .is_empty()
    );
    Ok(())
}

async fn order_page(psp_status: &'static str) -> Result<String, Box<dyn std::error::Error>> {
    let psp = Shared::default();
    psp.lock().map_err(|e| e.to_string())?.status = psp_status;
    let shop = spawn_shop(psp.clone()).await?;
    buy(&shop, "1").await?;
    let response = reqwest::get(format!("{shop}/orders/{PAYMENT_ID}")).await?;
    assert_eq!(response.status(), StatusCode::OK);
    let auth = psp.lock().map_err(|e| e.to_string())?.authorization.clone();
    assert_eq!(
        auth.last().map(String::as_str),
        Some("Bearer sk_test_merchant")
    );
    Ok(response.text().await?)
}

#[tokio::test]
async fn order_page_thanks_the_shopper_when_the_psp_says_authorised() -> TestResult {
    let page = order_page("authorised").await?;
    assert!(
        page.contains("id=\"order-status\" data-status=\"authorised\""),
        "{page}"
    );
    assert!(page.contains("Thank you, order paid"), "{page}");
    Ok(())
}

#[tokio::test]
async fn order_page_shows_the_status_when_not_paid() -> TestResult {
    let page = order_page("processing").await?;
    assert!(page.contains("data-status=\"processing\""), "{page}");
    assert!(!page.contains("Thank you"), "{page}");
    Ok(())
}

#[tokio::test]
async fn unknown_orders_are_not_found() -> TestResult {
    let shop = spawn_shop(Shared::default()).await?;
    for id in ["not-a-payment-id", PAYMENT_ID] {
        let response = reqwest::get(format!("{shop}/orders/{id}")).await?;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{id}");
    }
    Ok(())
}

#[tokio::test]
async fn home_page_has_a_buy_button() -> TestResult {
    let shop = spawn_shop(Shared::default()).await?;
    let page = reqwest::get(format!("{shop}/")).await?.text().await?;
    assert!(page.contains("id=\"buy\""), "{page}");
    assert!(page.contains("Vipps socks"), "{page}");
    Ok(())
}

#[tokio::test]
async fn hostile_text_from_the_psp_is_shown_as_text_on_the_order_page() -> TestResult {
    let psp = Shared::default();
    {
        let mut fake = psp.lock().map_err(|e| e.to_string())?;
        fake.status = "authorised";
        fake.hostile = Some("<img src=x onerror=alert(1)>");
    }
    let shop = spawn_shop(psp.clone()).await?;
    buy(&shop, "1").await?;
    let page = reqwest::get(format!("{shop}/orders/{PAYMENT_ID}"))
        .await?
        .text()
        .await?;
    assert!(!page.contains("<img"), "{page}");
    assert_eq!(
        page.matches("&lt;img src=x onerror=alert(1)&gt;").count(),
        2,
        "{page}"
    );
    Ok(())
}
