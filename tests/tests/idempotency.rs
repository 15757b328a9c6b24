//! `Idempotency-Key` on the merchant API over real HTTP: a repeat is answered from what
//! the first request stored, never by running it again.

use e2e::{TestApp, TestResult, expect_json};
use serde_json::{Value, json};
use shared::checkout::{ApiErrorBody, ErrorCode};
use shared::merchant::MerchantPayment;

/// What came back, read whole.
#[derive(Debug, Clone, PartialEq)]
struct Answer {
    status: u16,
    replayed: bool,
    content_type: Option<String>,
    body: String,
}

impl Answer {
    fn json<T: serde::de::DeserializeOwned>(&self) -> TestResult<T> {
        serde_json::from_str(&self.body).map_err(|e| format!("{e}: {}", self.body))
    }

    fn error_code(&self) -> TestResult<ErrorCode> {
        Ok(self.json::<ApiErrorBody>()?.code)
    }
}

async fn post_with_key(
    http: &reqwest::Client,
    url: &str,
    merchant_key: &str,
    key: &str,
    body: &Value,
) -> TestResult<Answer> {
    let response = http
        .post(url)
        .bearer_auth(merchant_key)
        .header("Idempotency-Key", key)
        .json(body)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let replayed = header("Idempotent-Replayed").is_some_and(|v| v == "true");
    let content_type = header("content-type");
    Ok(Answer {
        status: response.status().as_u16(),
        replayed,
        content_type,
        body: response.text().await.map_err(|e| e.to_string())?,
    })
}

async fn create(app: &TestApp, key: &str, body: &Value) -> TestResult<Answer> {
    let url = format!("{}/v1/payments", app.backend_url);
    post_with_key(&app.http, &url, &app.merchant_key, key, body).await
}

fn order(order_id: &str, amount: u64) -> Value {
    json!({"amount": amount, "currency": "NOK", "merchant_order_id": order_id, "description": "Vipps socks"})
}

#[tokio::test]
async fn a_repeated_create_replays_the_first_payment_without_creating_another() -> TestResult {
    let app = TestApp::spawn().await?;
    let body = order("idem1", 29_900);

    let first = create(&app, "key-1", &body).await?;
    assert_eq!(first.status, 201, "{first:?}");
    assert!(!first.replayed, "a first answer is not a replay");
    let payment: MerchantPayment = first.json()?;
    assert!(payment.client_secret.is_some(), "created with its secret");

    let again = create(&app, "key-1", &body).await?;
    assert!(again.replayed, "{again:?}");
    assert_eq!(
        (again.status, &again.content_type, &again.body),
        (first.status, &first.content_type, &first.body),
        "the stored response, byte for byte (client secret included)"
    );

    // The handler did not run again: with a new key, the same order is a duplicate.
    let fresh = create(&app, "key-2", &body).await?;
    assert_eq!(fresh.status, 409, "{fresh:?}");
    assert_eq!(fresh.error_code()?, ErrorCode::DuplicateOrderId);
    let stored: MerchantPayment = app.merchant_view(&payment).await?;
    assert_eq!(stored.id, payment.id);
    Ok(())
}

#[tokio::test]
async fn the_same_key_for_a_different_request_is_refused_as_reused() -> TestResult {
    let app = TestApp::spawn().await?;
    let first = create(&app, "key-1", &order("idem2", 10_000)).await?;
    assert_eq!(first.status, 201, "{first:?}");

    let other_body = create(&app, "key-1", &order("idem2", 20_000)).await?;
    assert_eq!(other_body.status, 422, "{other_body:?}");
    assert_eq!(other_body.error_code()?, ErrorCode::IdempotencyKeyReused);
    assert!(!other_body.replayed);

    let payment: MerchantPayment = first.json()?;
    let url = format!("{}/v1/payments/{}", app.backend_url, payment.id);
    let body = order("idem2", 10_000);
    let other_path = post_with_key(&app.http, &url, &app.merchant_key, "key-1", &body).await?;
    assert_eq!(other_path.status, 422, "{other_path:?}");
    assert_eq!(other_path.error_code()?, ErrorCode::IdempotencyKeyReused);
    Ok(())
}

#[tokio::test]
async fn concurrent_requests_with_one_key_create_one_payment() -> TestResult {
    let app = TestApp::spawn().await?;
    let url = format!("{}/v1/payments", app.backend_url);
    let body = order("idem3", 15_000);
    let mut requests = tokio::task::JoinSet::new();
    for _ in 0..8 {
        let (http, url, merchant_key, body) = (
            app.http.clone(),
            url.clone(),
            app.merchant_key.clone(),
            body.clone(),
        );
        requests.spawn(async move {
            post_with_key(&http, &url, &merchant_key, "same-key", &body).await
        });
    }
    let mut answers = Vec::new();
    while let Some(joined) = requests.join_next().await {
        answers.push(joined.map_err(|e| e.to_string())??);
    }

    let (created, others): (Vec<_>, Vec<_>) = answers.iter().partition(|a| a.status == 201);
    let originals: Vec<_> = created.iter().filter(|a| !a.replayed).collect();
    assert_eq!(originals.len(), 1, "exactly one ran: {answers:#?}");
    let payment: MerchantPayment = originals.first().ok_or("no original answer")?.json()?;
    for replay in created.iter().filter(|a| a.replayed) {
        assert_eq!(replay.json::<MerchantPayment>()?.id, payment.id);
    }
    for other in &others {
        assert_eq!(other.status, 409, "{other:?}");
        assert_eq!(other.error_code()?, ErrorCode::IdempotencyInProgress);
    }

    let after = create(&app, "same-key", &body).await?;
    assert!(after.replayed && after.status == 201, "{after:?}");
    assert_eq!(after.json::<MerchantPayment>()?.id, payment.id);
    Ok(())
}

#[tokio::test]
async fn a_refused_create_is_replayed_as_the_same_refusal() -> TestResult {
    let app = TestApp::spawn().await?;
    let body = order("idem4", 0);

    let first = create(&app, "key-1", &body).await?;
    assert_eq!(first.status, 400, "{first:?}");
    assert_eq!(first.error_code()?, ErrorCode::InvalidRequest);

    let again = create(&app, "key-1", &body).await?;
    assert!(again.replayed, "{again:?}");
    assert_eq!(
        (again.status, &again.content_type, &again.body),
        (first.status, &first.content_type, &first.body)
    );
    Ok(())
}

#[tokio::test]
async fn a_key_that_is_empty_too_long_or_not_printable_ascii_is_a_bad_request() -> TestResult {
    let app = TestApp::spawn().await?;
    let body = order("idem5", 10_000);
    for key in [
        String::new(),
        "k".repeat(256),
        "k".repeat(300),
        "a\tb".into(),
    ] {
        let answer = create(&app, &key, &body).await?;
        assert_eq!(answer.status, 400, "key {key:?}: {answer:?}");
        assert_eq!(answer.error_code()?, ErrorCode::InvalidRequest);
    }
    let longest = create(&app, &"k".repeat(255), &body).await?;
    assert_eq!(
        longest.status, 201,
        "nothing was created before: {longest:?}"
    );
    Ok(())
}

#[tokio::test]
async fn a_request_without_credentials_does_not_use_up_the_key() -> TestResult {
    let app = TestApp::spawn().await?;
    let url = format!("{}/v1/payments", app.backend_url);
    let body = order("idem6", 10_000);
    let stranger = post_with_key(&app.http, &url, "sk_test_wrong", "key-1", &body).await?;
    assert_eq!(stranger.status, 401, "{stranger:?}");

    let merchant = create(&app, "key-1", &body).await?;
    assert_eq!(merchant.status, 201, "{merchant:?}");
    assert!(!merchant.replayed);

    let stranger = post_with_key(&app.http, &url, "sk_test_wrong", "key-1", &body).await?;
    assert_eq!(stranger.status, 401, "no replay for others: {stranger:?}");
    Ok(())
}

#[tokio::test]
async fn requests_without_a_key_run_every_time() -> TestResult {
    let app = TestApp::spawn().await?;
    let body = order("idem7", 10_000);
    let first = app.merchant_post("/v1/payments", &body).await?;
    assert_eq!(first.status().as_u16(), 201);
    assert!(first.headers().get("idempotent-replayed").is_none());
    let second = app.merchant_post("/v1/payments", &body).await?;
    let refused: ApiErrorBody = expect_json(second, 409).await?;
    assert_eq!(refused.code, ErrorCode::DuplicateOrderId);
    Ok(())
}

/// On PostgreSQL, whose files are the server's: no stored answer holds `needle`.
async fn assert_no_answer_holds(url: &str, needle: &[u8]) -> TestResult {
    use sqlx::Connection;
    let mut conn = sqlx::AnyConnection::connect(url)
        .await
        .map_err(|e| e.to_string())?;
    let answers: Vec<Vec<u8>> = sqlx::query_scalar(
        "SELECT response_body FROM idempotency_keys WHERE response_body IS NOT NULL",
    )
    .fetch_all(&mut conn)
    .await
    .map_err(|e| e.to_string())?;
    assert!(!answers.is_empty(), "the answer is stored");
    assert!(
        answers
            .iter()
            .all(|a| !a.windows(needle.len()).any(|w| w == needle)),
        "the client secret is at rest in a stored answer"
    );
    Ok(())
}

/// Every file in `dir` that holds `needle`, by name.
fn files_holding(dir: &std::path::Path, needle: &[u8]) -> TestResult<Vec<String>> {
    let mut holding = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| e.to_string())? {
        let path = entry.map_err(|e| e.to_string())?.path();
        if !path.is_file() {
            continue;
        }
        let bytes = std::fs::read(&path).map_err(|e| e.to_string())?;
        if bytes.windows(needle.len()).any(|w| w == needle) {
            holding.push(path.display().to_string());
        }
    }
    Ok(holding)
}

#[tokio::test]
async fn a_replayed_create_returns_the_client_secret_that_no_file_on_disk_holds() -> TestResult {
    let app = TestApp::spawn().await?;
    let body = order("idemAtRest", 29_900);
    let first = create(&app, "key-at-rest", &body).await?;
    assert_eq!(first.status, 201, "{first:?}");
    let payment: MerchantPayment = first.json()?;
    let secret = payment
        .client_secret
        .clone()
        .ok_or("created without a secret")?;
    let files = app.data_dir();
    assert!(
        app.database_url().is_some() || files.join("psp.sqlite-wal").exists(),
        "the write is in the WAL"
    );

    let again = create(&app, "key-at-rest", &body).await?;
    assert!(again.replayed, "{again:?}");
    let replayed: MerchantPayment = again.json()?;
    assert_eq!(replayed.client_secret.as_deref(), Some(secret.as_str()));
    let view = app.checkout_view(&replayed).await?;
    assert_eq!(view.id, payment.id, "the replayed secret reads the payment");

    if let Some(url) = app.database_url() {
        return assert_no_answer_holds(url, secret.as_bytes()).await;
    }
    let holding = files_holding(files, secret.as_bytes())?;
    assert!(
        holding.is_empty(),
        "the client secret is at rest in {holding:?}"
    );
    let id_holding = files_holding(files, payment.id.as_str().as_bytes())?;
    assert!(
        !id_holding.is_empty(),
        "the search does look into the database files"
    );
    Ok(())
}
