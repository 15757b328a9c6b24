//! The shop keeps its orders and fulfils them from the PSP's signed webhooks, never from the
//! browser: verified with the `standardwebhooks` crate, applied once per `webhook-id`, stale
//! events dropped, kept across a restart, and the endpoint registered by the shop itself.

mod support;

use std::time::Duration;

use reqwest::StatusCode;
use shared::EndpointId;
use shared::webhooks::{Endpoint, EndpointUrl, EventType};
use support::{
    FakePsp, PAYMENT_ID, PSP_SECRET, SHOP_SECRET, Shared, TestResult, buy, config, deliver, event,
    listed_status, spawn_psp, spawn_shop, url_of,
};
use tokio::net::TcpListener;

/// A shop with one order (1 pair of socks, for `PAYMENT_ID`) waiting for payment.
async fn shop_with_an_order() -> TestResult<(Shared, String)> {
    let psp = Shared::default();
    let shop = spawn_shop(psp.clone()).await?;
    let (status, page) = buy(&shop, "1").await?;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(
        listed_status(&shop).await?.as_deref(),
        Some("awaiting_payment")
    );
    Ok((psp, shop))
}

/// Polls `check` until it holds, for at most ten seconds.
async fn eventually<F, Fut>(what: &str, mut check: F) -> TestResult
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = TestResult<bool>>,
{
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while !check().await? {
        if tokio::time::Instant::now() > deadline {
            return Err(format!("timed out waiting for {what}").into());
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    Ok(())
}

#[tokio::test]
async fn a_signed_webhook_marks_the_order_paid_and_the_order_list_shows_it() -> TestResult {
    let (psp, shop) = shop_with_an_order().await?;
    let paid = event(&psp, EventType::Authorised, 1)?;

    let answer = deliver(&shop, SHOP_SECRET, "evt_1", &paid).await?;

    assert_eq!(answer, StatusCode::NO_CONTENT);
    assert_eq!(listed_status(&shop).await?.as_deref(), Some("paid"));
    let list = reqwest::get(format!("{shop}/orders")).await?.text().await?;
    assert!(list.contains("299,00 kr"), "{list}");
    let page = reqwest::get(format!("{shop}/orders/{PAYMENT_ID}"))
        .await?
        .text()
        .await?;
    assert!(
        page.contains("id=\"shop-status\" data-status=\"paid\""),
        "{page}"
    );
    Ok(())
}

#[tokio::test]
async fn a_webhook_with_a_bad_or_missing_signature_is_refused_and_changes_nothing() -> TestResult {
    let (psp, shop) = shop_with_an_order().await?;
    let paid = event(&psp, EventType::Authorised, 1)?;

    let wrong_secret = deliver(&shop, PSP_SECRET, "evt_1", &paid).await?;
    let unsigned = reqwest::Client::new()
        .post(format!("{shop}/webhooks"))
        .json(&paid)
        .send()
        .await?
        .status();

    assert_eq!(wrong_secret, StatusCode::BAD_REQUEST);
    assert_eq!(unsigned, StatusCode::BAD_REQUEST);
    assert_eq!(
        listed_status(&shop).await?.as_deref(),
        Some("awaiting_payment")
    );
    // A refused id was not remembered: the genuine delivery still applies.
    assert_eq!(
        deliver(&shop, SHOP_SECRET, "evt_1", &paid).await?,
        StatusCode::NO_CONTENT
    );
    assert_eq!(listed_status(&shop).await?.as_deref(), Some("paid"));
    Ok(())
}

#[tokio::test]
async fn a_replayed_webhook_id_is_accepted_but_applied_once() -> TestResult {
    let (psp, shop) = shop_with_an_order().await?;
    let paid = event(&psp, EventType::Authorised, 1)?;
    assert_eq!(
        deliver(&shop, SHOP_SECRET, "evt_1", &paid).await?,
        StatusCode::NO_CONTENT
    );

    // Same id, other content (and a sequence that is not stale): still only answered.
    let cancelled = event(&psp, EventType::Cancelled, 5)?;
    let replay = deliver(&shop, SHOP_SECRET, "evt_1", &cancelled).await?;

    assert!(replay.is_success(), "{replay}");
    assert_eq!(listed_status(&shop).await?.as_deref(), Some("paid"));
    Ok(())
}

#[tokio::test]
async fn an_event_older_than_one_applied_is_dropped() -> TestResult {
    let (psp, shop) = shop_with_an_order().await?;
    let captured = event(&psp, EventType::Captured, 3)?;
    assert_eq!(
        deliver(&shop, SHOP_SECRET, "evt_3", &captured).await?,
        StatusCode::NO_CONTENT
    );

    let late = event(&psp, EventType::Authorised, 2)?;
    let answer = deliver(&shop, SHOP_SECRET, "evt_2", &late).await?;

    assert_eq!(answer, StatusCode::NO_CONTENT);
    assert_eq!(listed_status(&shop).await?.as_deref(), Some("shipped"));
    Ok(())
}

#[tokio::test]
async fn orders_and_seen_webhooks_survive_a_restart() -> TestResult {
    let psp = Shared::default();
    let psp_url = spawn_psp(psp.clone()).await?;
    let data = tempfile::tempdir()?;
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let first = url_of(&listener)?;
    let config_first = config(psp_url.clone(), &listener, data.path(), Some(SHOP_SECRET))?;
    let running = tokio::spawn(demo_shop::run(listener, config_first));
    buy(&first, "1").await?;
    let paid = event(&psp, EventType::Authorised, 1)?;
    deliver(&first, SHOP_SECRET, "evt_1", &paid).await?;
    running.abort();

    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let second = url_of(&listener)?;
    let config_second = config(psp_url, &listener, data.path(), Some(SHOP_SECRET))?;
    tokio::spawn(demo_shop::run(listener, config_second));

    assert_eq!(listed_status(&second).await?.as_deref(), Some("paid"));
    let replay = event(&psp, EventType::Cancelled, 2)?;
    deliver(&second, SHOP_SECRET, "evt_1", &replay).await?;
    assert_eq!(listed_status(&second).await?.as_deref(), Some("paid"));
    Ok(())
}

#[tokio::test]
async fn the_shop_keeps_its_endpoint_under_a_new_secret_once_the_psp_is_up_and_verifies_with_it()
-> TestResult {
    let psp = Shared::new(std::sync::Mutex::new(FakePsp {
        endpoints_down: true,
        ..FakePsp::default()
    }));
    let psp_url = spawn_psp(psp.clone()).await?;
    let data = tempfile::tempdir()?;
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let shop = url_of(&listener)?;
    let ours = EndpointUrl::try_from(format!("{shop}/webhooks"))?;
    let other = EndpointUrl::try_from("https://elsewhere.example/hooks".to_owned())?;
    {
        let mut fake = psp.lock().map_err(|e| e.to_string())?;
        for (byte, url) in [(1, &ours), (2, &other), (3, &ours)] {
            fake.endpoints.push(Endpoint {
                id: EndpointId::from_random([byte; 16]),
                url: url.clone(),
                events: EventType::ALL.to_vec(),
                created_at: 1_700_000_000,
                previous_secret_expires_at: None,
            });
        }
    }
    let shop_config = config(psp_url, &listener, data.path(), None)?;
    tokio::spawn(demo_shop::run(listener, shop_config));

    // The PSP is down: the shop serves pages, and a webhook cannot be verified yet.
    let (status, _) = buy(&shop, "1").await?;
    assert_eq!(status, StatusCode::OK);
    let paid = event(&psp, EventType::Authorised, 1)?;
    assert_eq!(
        deliver(&shop, PSP_SECRET, "evt_1", &paid).await?,
        StatusCode::SERVICE_UNAVAILABLE
    );

    psp.lock().map_err(|e| e.to_string())?.endpoints_down = false;
    eventually("the endpoint to be given a new secret", || {
        let psp = psp.clone();
        async move { Ok(!psp.lock().map_err(|e| e.to_string())?.rotated.is_empty()) }
    })
    .await?;
    {
        // Its own endpoint is kept (events still owed to it stay owed), the copy goes,
        // the other URL's is left alone, and nothing new is created.
        let fake = psp.lock().map_err(|e| e.to_string())?;
        assert_eq!(fake.rotated, [EndpointId::from_random([1; 16])]);
        assert_eq!(fake.deleted, [EndpointId::from_random([3; 16])]);
        assert!(fake.endpoints_created.is_empty());
    }
    eventually("the webhook to be taken", || {
        let (shop, paid) = (shop.clone(), paid.clone());
        async move {
            Ok(deliver(&shop, PSP_SECRET, "evt_1", &paid)
                .await?
                .is_success())
        }
    })
    .await?;
    assert_eq!(listed_status(&shop).await?.as_deref(), Some("paid"));
    Ok(())
}

#[tokio::test]
async fn the_shop_creates_its_endpoint_when_the_psp_has_none() -> TestResult {
    let psp = Shared::default();
    let psp_url = spawn_psp(psp.clone()).await?;
    let data = tempfile::tempdir()?;
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let ours = EndpointUrl::try_from(format!("{}/webhooks", url_of(&listener)?))?;
    let shop_config = config(psp_url, &listener, data.path(), None)?;
    tokio::spawn(demo_shop::run(listener, shop_config));
    eventually("the endpoint to be created", || {
        let psp = psp.clone();
        async move {
            let fake = psp.lock().map_err(|e| e.to_string())?;
            Ok(!fake.endpoints_created.is_empty())
        }
    })
    .await?;
    let fake = psp.lock().map_err(|e| e.to_string())?;
    let [created] = fake.endpoints_created.as_slice() else {
        return Err("expected exactly one endpoint".into());
    };
    assert_eq!((&created.url, &created.events), (&ours, &None));
    assert!(fake.rotated.is_empty() && fake.deleted.is_empty());
    Ok(())
}
