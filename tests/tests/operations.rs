//! What an operator watches: `/metrics` (not public), `/health/live` and `/health/ready`,
//! and the request id on every answer. Runs on SQLite and, in `cargo xtask test`, on
//! PostgreSQL, where the database is also made unreachable under the backend.

use e2e::{TestApp, TestResult, database, eventually, metric_at_least};
use serde_json::json;
use shared::merchant::MerchantPayment;

const PHONE: &str = "91234567";
const REQUEST_ID: &str = "x-request-id";

/// The merchant captures or refunds `amount` øre; it must succeed.
async fn operate(app: &TestApp, payment: &MerchantPayment, op: &str, amount: u32) -> TestResult {
    let path = format!("/v1/payments/{}/{op}", payment.id);
    let response = app.merchant_post(&path, &json!({"amount": amount})).await?;
    match response.status().as_u16() {
        200 => Ok(()),
        status => Err(format!("{op} answered {status}")),
    }
}

#[tokio::test]
async fn metrics_need_the_operator_key() -> TestResult {
    let app = TestApp::spawn().await?;
    let url = format!("{}/metrics", app.backend_url);
    let anonymous = app.http.get(&url).send().await.map_err(|e| e.to_string())?;
    assert_eq!(anonymous.status(), 401);
    let merchant = app
        .http
        .get(&url)
        .bearer_auth(&app.merchant_key)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    assert_eq!(
        merchant.status(),
        401,
        "a merchant's key is not the operator's"
    );
    let operator = app
        .http
        .get(&url)
        .bearer_auth(&app.operator_key)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    assert_eq!(operator.status(), 200);
    let kind = operator
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(kind.starts_with("application/openmetrics-text"), "{kind}");
    let text = operator.text().await.map_err(|e| e.to_string())?;
    assert!(text.ends_with("# EOF\n"), "{text}");
    Ok(())
}

/// A payment authorised, captured and refunded, and what each step leaves in the metrics.
#[tokio::test]
async fn a_payment_shows_in_every_metric_it_touches() -> TestResult {
    let app = TestApp::spawn().await?;
    let (payment, _) = app.authorised(1000, PHONE).await?;
    operate(&app, &payment, "capture", 1000).await?;
    operate(&app, &payment, "refund", 400).await?;
    let text = app.metrics().await?;
    for (series, n) in [
        (
            r#"psp_http_requests_total{method="POST",route="/v1/payments",status="201"}"#,
            1.0,
        ),
        (
            r#"psp_http_requests_total{method="POST",route="/api/checkout/payments/{id}/start",status="200"}"#,
            1.0,
        ),
        (
            r#"psp_http_requests_total{method="POST",route="/v1/payments/{id}/capture",status="200"}"#,
            1.0,
        ),
        (
            r#"psp_http_request_duration_seconds_count{method="POST",route="/v1/payments/{id}/refund"}"#,
            1.0,
        ),
        (
            r#"psp_make_payment_duration_seconds_bucket{le="15.0",outcome="ok"}"#,
            1.0,
        ),
        (r#"psp_outbox_pending{queue="webhooks"}"#, 0.0),
        (r#"psp_outbox_dead{queue="updatestatus"}"#, 0.0),
    ]
    .into_iter()
    .chain(e2e::AFTER_CAPTURE_AND_REFUND)
    {
        metric_at_least(&text, series, n)?;
    }
    // Every update delivered to Vipps, every webhook to the shop: the outboxes drain.
    for queue in ["updatestatus", "webhooks"] {
        let series = format!(r#"psp_outbox_pending{{queue="{queue}"}}"#);
        app.metric_settles_at(&series, 0.0).await?;
    }
    // Routes are labelled by pattern: no payment id is ever a label.
    assert!(!text.contains(payment.id.as_str()), "{text}");
    Ok(())
}

/// Vipps fails the next hundred updatestatus calls (some twenty seconds of the outbox's
/// retries here): the capture's update waits in the outbox, and the gauges say so.
#[tokio::test]
async fn an_update_vipps_refuses_shows_as_pending_in_the_outbox() -> TestResult {
    let app = TestApp::spawn().await?;
    let (payment, _) = app.authorised(1000, PHONE).await?;
    app.fail_status_updates(503, 100).await?;
    operate(&app, &payment, "capture", 1000).await?;
    let text = app.metrics().await?;
    metric_at_least(&text, r#"psp_outbox_pending{queue="updatestatus"}"#, 1.0)
}

#[tokio::test]
async fn every_answer_carries_a_request_id_and_a_sensible_one_is_kept() -> TestResult {
    let app = TestApp::spawn().await?;
    let id_of = |response: &reqwest::Response| {
        response
            .headers()
            .get(REQUEST_ID)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let mut seen = Vec::new();
    for path in ["/health/live", "/v1/payments/pay_unknown", "/no/such/route"] {
        let response = app
            .http
            .get(format!("{}{path}", app.backend_url))
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let id = id_of(&response).ok_or(format!("no request id on {path}"))?;
        assert!(id.starts_with("req_"), "{path}: {id}");
        seen.push(id);
    }
    let distinct: std::collections::HashSet<_> = seen.iter().collect();
    assert_eq!(distinct.len(), 3, "each request has its own id: {seen:?}");
    let kept = app
        .http
        .get(format!("{}/health/live", app.backend_url))
        .header(REQUEST_ID, "shop-7f3a:checkout/42")
        .send()
        .await
        .map_err(|e| e.to_string())?;
    assert_eq!(id_of(&kept).as_deref(), Some("shop-7f3a:checkout/42"));
    let replaced = app
        .http
        .get(format!("{}/health/live", app.backend_url))
        .header(REQUEST_ID, "robert'); DROP TABLE payments;--")
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let id = id_of(&replaced).unwrap_or_default();
    assert!(
        id.starts_with("req_"),
        "free text is not taken as an id: {id}"
    );
    Ok(())
}

/// On PostgreSQL the database is made to refuse the backend's connections: `/health/ready`
/// answers 503 meanwhile and 200 again after, while `/health/live` answers throughout.
/// (On SQLite the backend's own unit tests close its pool instead.)
#[tokio::test]
async fn ready_only_while_the_database_can_be_reached() -> TestResult {
    let app = TestApp::spawn().await?;
    let ready = || async {
        let response = app
            .http
            .get(format!("{}/health/ready", app.backend_url))
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let status = response.status().as_u16();
        let body: serde_json::Value = response.json().await.map_err(|e| e.to_string())?;
        Ok::<_, String>((status, body))
    };
    assert_eq!(ready().await?, (200, json!({"status": "ready"})));
    let (Some(url), Ok(server)) = (
        app.database_url().map(str::to_owned),
        std::env::var(database::POSTGRES_VAR),
    ) else {
        return Ok(()); // SQLite: nothing outside the process to take away
    };
    let name = url.rsplit('/').next().ok_or("no database name")?.to_owned();
    let admin = |sql: String| {
        let server = server.clone();
        async move {
            use sqlx::{Connection, Executor};
            let mut conn = sqlx::AnyConnection::connect(&format!("{server}/postgres"))
                .await
                .map_err(|e| e.to_string())?;
            conn.execute(sql.as_str())
                .await
                .map_err(|e| e.to_string())?;
            conn.close().await.map_err(|e| e.to_string())
        }
    };
    admin(format!("ALTER DATABASE {name} ALLOW_CONNECTIONS false")).await?;
    admin(format!(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"
    ))
    .await?;
    let (status, body) = ready().await?;
    assert_eq!(status, 503, "{body}");
    assert_eq!(body["status"], "not_ready");
    let live = app
        .http
        .get(format!("{}/health/live", app.backend_url))
        .send()
        .await
        .map_err(|e| e.to_string())?;
    assert_eq!(live.status(), 200);
    admin(format!("ALTER DATABASE {name} ALLOW_CONNECTIONS true")).await?;
    eventually("the backend to be ready again", || async {
        Ok((ready().await?.0 == 200).then_some(()))
    })
    .await
}
