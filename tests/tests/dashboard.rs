//! The merchant dashboard's backend: signing in and out (argon2id, an HttpOnly
//! SameSite=Strict cookie, a CSRF token), the session standing in for a secret key on the
//! merchant API, and the two reads the dashboard is built on: the payment list (search,
//! filter, pages) and a payment's timeline.

use e2e::dashboard::SignedIn;
use e2e::{TestApp, TestResult, eventually, expect_json};
use reqwest::Method;
use reqwest::header::{COOKIE, SET_COOKIE};
use serde_json::{Value, json};
use shared::checkout::ApiErrorBody;
use shared::dashboard::{CSRF_HEADER, Session};
use shared::merchant::{MerchantPayment, PaymentStatus};
use shared::payment_list::PaymentList;
use shared::timeline::{
    MakePaymentOutcome, OperationKind, OperationState, PaymentTimeline, StatusUpdateState,
    TimelineEvent,
};

const EMAIL: &str = "kari@shop.example";
const PASSWORD: &str = "correct horse battery staple";

async fn app_with_user() -> TestResult<TestApp> {
    let app = TestApp::spawn().await?;
    app.dashboard_user(&app.merchant_key, EMAIL, PASSWORD)
        .await?;
    Ok(app)
}

async fn status_of(request: reqwest::RequestBuilder) -> TestResult<u16> {
    Ok(request
        .send()
        .await
        .map_err(|e| e.to_string())?
        .status()
        .as_u16())
}

#[tokio::test]
async fn signing_in_sets_an_http_only_strict_expiring_cookie_and_tells_the_session() -> TestResult {
    let app = app_with_user().await?;
    // The email is found whatever its case and spaces.
    let signed_in = app.signed_in(" Kari@Shop.Example ", PASSWORD).await?;
    let cookie = &signed_in.set_cookie;
    for part in ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=28800"] {
        assert!(cookie.contains(part), "{part} in {cookie}");
    }
    assert!(!cookie.contains("Secure"), "plain HTTP here: {cookie}");
    assert_eq!(signed_in.session.user.email.as_str(), EMAIL);
    assert_eq!(
        signed_in.session.merchant.name,
        shared::sandbox::MERCHANT_NAME
    );
    assert_eq!(signed_in.session.csrf_token.len(), 64);

    let again = app
        .http
        .get(format!("{}/dashboard/api/session", app.backend_url))
        .header(COOKIE, &signed_in.cookie)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let session: Session = expect_json(again, 200).await?;
    assert_eq!(session, signed_in.session);
    Ok(())
}

#[tokio::test]
async fn a_wrong_password_an_unknown_email_or_nonsense_all_get_the_same_401() -> TestResult {
    let app = app_with_user().await?;
    let mut bodies = Vec::new();
    for (email, password) in [
        (EMAIL, "correct horse battery stapler"),
        ("nobody@shop.example", PASSWORD),
        ("not an email", PASSWORD),
        (EMAIL, ""),
    ] {
        let response = app.sign_in(email, password).await?;
        assert!(response.headers().get(SET_COOKIE).is_none(), "{email}");
        let body: ApiErrorBody = expect_json(response, 401).await?;
        bodies.push(body);
    }
    assert!(bodies.iter().all(|b| b == &bodies[0]), "{bodies:?}");
    assert_eq!(bodies[0].message, "wrong email or password");
    assert_eq!(bodies[0].param, None);
    Ok(())
}

#[tokio::test]
async fn guessing_one_accounts_password_is_slowed_to_ten_tries_a_minute() -> TestResult {
    let app = app_with_user().await?;
    for _ in 0..10 {
        assert_eq!(app.sign_in(EMAIL, "guess guess guess").await?.status(), 401);
    }
    // Counted by the address as stored, however it is typed.
    let response = app.sign_in(" KARI@Shop.Example ", PASSWORD).await?;
    assert_eq!(response.status(), 429, "even the right password waits");
    assert!(response.headers().get("retry-after").is_some());
    Ok(())
}

#[tokio::test]
async fn the_session_acts_on_the_merchant_api_only_with_its_csrf_token() -> TestResult {
    let app = app_with_user().await?;
    let signed_in = app.signed_in(EMAIL, PASSWORD).await?;
    let payment = app.create_payment(5_000).await?;
    let path = format!("/v1/payments/{}", payment.id);
    let url = format!("{}{path}", app.backend_url);

    let cookie_only = app.http.get(&url).header(COOKIE, &signed_in.cookie);
    assert_eq!(status_of(cookie_only).await?, 401, "no CSRF token");
    let wrong = app
        .http
        .get(&url)
        .header(COOKIE, &signed_in.cookie)
        .header(CSRF_HEADER, "0".repeat(64));
    assert_eq!(status_of(wrong).await?, 401, "another CSRF token");
    let token_only = app
        .http
        .get(&url)
        .header(CSRF_HEADER, &signed_in.session.csrf_token);
    assert_eq!(status_of(token_only).await?, 401, "no cookie");
    let read: MerchantPayment = expect_json(
        signed_in
            .request(&app, Method::GET, &path)
            .send()
            .await
            .map_err(|e| e.to_string())?,
        200,
    )
    .await?;
    assert_eq!(read.id, payment.id);

    // The same idempotency as a key's: one cancel, and its replay.
    let cancel = || {
        signed_in
            .request(&app, Method::POST, &format!("{path}/cancel"))
            .header("idempotency-key", "dashboard-cancel-1")
    };
    let first = cancel().send().await.map_err(|e| e.to_string())?;
    assert_eq!(first.status(), 200);
    let replay = cancel().send().await.map_err(|e| e.to_string())?;
    assert_eq!(
        replay
            .headers()
            .get("idempotent-replayed")
            .map(|v| v.as_bytes()),
        Some(&b"true"[..])
    );
    // The key belongs to the merchant: the same key with the secret key is the same request.
    let by_key = app
        .http
        .post(format!("{url}/cancel"))
        .bearer_auth(&app.merchant_key)
        .header("idempotency-key", "dashboard-cancel-1")
        .send()
        .await
        .map_err(|e| e.to_string())?;
    assert_eq!(
        by_key
            .headers()
            .get("idempotent-replayed")
            .map(|v| v.as_bytes()),
        Some(&b"true"[..])
    );
    Ok(())
}

#[tokio::test]
async fn signing_out_needs_the_csrf_token_and_ends_the_session_everywhere() -> TestResult {
    let app = app_with_user().await?;
    let signed_in = app.signed_in(EMAIL, PASSWORD).await?;
    let session_url = format!("{}/dashboard/api/session", app.backend_url);
    let forged = app
        .http
        .delete(&session_url)
        .header(COOKIE, &signed_in.cookie);
    assert_eq!(
        status_of(forged).await?,
        401,
        "a foreign page cannot sign one out"
    );

    let out = signed_in
        .request(&app, Method::DELETE, "/dashboard/api/session")
        .send()
        .await
        .map_err(|e| e.to_string())?;
    assert_eq!(out.status(), 204);
    let cleared = out
        .headers()
        .get(SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert!(cleared.contains("Max-Age=0"), "{cleared}");

    let read = app.http.get(&session_url).header(COOKIE, &signed_in.cookie);
    assert_eq!(status_of(read).await?, 401);
    let list = signed_in.request(&app, Method::GET, "/v1/payments");
    assert_eq!(status_of(list).await?, 401);
    Ok(())
}

#[tokio::test]
async fn a_forged_or_expired_cookie_is_refused() -> TestResult {
    let app = app_with_user().await?;
    let signed_in = app.signed_in(EMAIL, PASSWORD).await?;
    let forged = SignedIn {
        cookie: format!("psp_session={}", "ab".repeat(32)),
        session: signed_in.session.clone(),
        set_cookie: String::new(),
    };
    assert_eq!(
        status_of(forged.request(&app, Method::GET, "/v1/payments")).await?,
        401
    );
    assert_eq!(
        status_of(signed_in.request(&app, Method::GET, "/v1/payments")).await?,
        200
    );

    let mut db = app.database().await?;
    sqlx::query("UPDATE dashboard_sessions SET expires_at = 1")
        .execute(&mut db)
        .await
        .map_err(|e| e.to_string())?;
    assert_eq!(
        status_of(signed_in.request(&app, Method::GET, "/v1/payments")).await?,
        401
    );
    let read = app
        .http
        .get(format!("{}/dashboard/api/session", app.backend_url))
        .header(COOKIE, &signed_in.cookie);
    assert_eq!(status_of(read).await?, 401);
    Ok(())
}

#[tokio::test]
async fn a_disabled_merchants_users_cannot_sign_in_and_their_sessions_stop() -> TestResult {
    let app = app_with_user().await?;
    let signed_in = app.signed_in(EMAIL, PASSWORD).await?;
    let merchant = &signed_in.session.merchant.id;
    let disable = app
        .http
        .post(format!(
            "{}/operator/v1/merchants/{merchant}/disable",
            app.backend_url
        ))
        .bearer_auth(&app.operator_key);
    assert_eq!(status_of(disable).await?, 200);
    assert_eq!(
        status_of(signed_in.request(&app, Method::GET, "/v1/payments")).await?,
        401
    );
    assert_eq!(app.sign_in(EMAIL, PASSWORD).await?.status(), 401);
    let enable = app
        .http
        .post(format!(
            "{}/operator/v1/merchants/{merchant}/enable",
            app.backend_url
        ))
        .bearer_auth(&app.operator_key);
    assert_eq!(status_of(enable).await?, 200);
    assert_eq!(
        status_of(signed_in.request(&app, Method::GET, "/v1/payments")).await?,
        401,
        "an enable does not bring the sessions back"
    );
    assert_eq!(app.sign_in(EMAIL, PASSWORD).await?.status(), 200);
    Ok(())
}

#[tokio::test]
async fn a_second_session_cookie_planted_beside_the_real_one_makes_neither_count() -> TestResult {
    let app = app_with_user().await?;
    let signed_in = app.signed_in(EMAIL, PASSWORD).await?;
    // The real one first: taking the first would let the request through.
    let planted = format!("{}; psp_session={}", signed_in.cookie, "ab".repeat(32));
    let request = app
        .http
        .get(format!("{}/v1/payments", app.backend_url))
        .header(COOKIE, planted)
        .header(CSRF_HEADER, &signed_in.session.csrf_token);
    assert_eq!(status_of(request).await?, 401);
    Ok(())
}

async fn list(app: &TestApp, query: &str) -> TestResult<PaymentList> {
    expect_json(
        app.merchant_get(&format!("/v1/payments{query}")).await?,
        200,
    )
    .await
}

fn ids(list: &PaymentList) -> Vec<String> {
    list.data.iter().map(|p| p.id.to_string()).collect()
}

#[tokio::test]
async fn payments_are_listed_newest_first_found_by_order_id_payment_id_or_card_and_filtered()
-> TestResult {
    let app = TestApp::spawn().await?;
    let (paid, _) = app.authorised(12_300, "91234567").await?;
    let mut made = Vec::new();
    for (amount, order) in [
        (1_000, "OrderApple1"),
        (2_000, "orderapple2"),
        (3_000, "pear3"),
    ] {
        let response = app
            .create_payment_as(&app.merchant_key, amount, order)
            .await?;
        made.push(expect_json::<MerchantPayment>(response, 201).await?);
    }
    let other = app.second_merchant().await?;
    let theirs = app
        .create_payment_as(&other.key, 4_000, "orderapple9")
        .await?;
    assert_eq!(theirs.status(), 201);

    let all = list(&app, "").await?;
    assert_eq!(all.data.len(), 4, "only this merchant's: {:?}", ids(&all));
    assert!(!all.has_more);
    let created: Vec<i64> = all.data.iter().map(|p| p.created_at).collect();
    assert!(
        created.windows(2).all(|w| w[0] >= w[1]),
        "newest first: {created:?}"
    );

    let apples = list(&app, "?q=APPLE").await?;
    let mut found = ids(&apples);
    found.sort();
    let mut expected = vec![made[0].id.to_string(), made[1].id.to_string()];
    expected.sort();
    assert_eq!(found, expected, "any part of the order id, any case");
    assert_eq!(
        ids(&list(&app, &format!("?q={}", made[2].id)).await?),
        vec![made[2].id.to_string()]
    );
    let card = paid.id.to_string();
    let four = app
        .merchant_view(&paid)
        .await?
        .card
        .ok_or("no card")?
        .last_four;
    assert_eq!(
        ids(&list(&app, &format!("?q={four}")).await?),
        vec![card.clone()]
    );
    assert_eq!(ids(&list(&app, "?status=authorised").await?), vec![card]);
    assert_eq!(list(&app, "?status=created").await?.data.len(), 3);
    assert_eq!(list(&app, "?status=refunded").await?.data.len(), 0);

    // Pages: two, then the rest after the last of the first.
    let first = list(&app, "?limit=2").await?;
    assert!(first.has_more);
    let last = first.data.last().ok_or("empty page")?;
    let second = list(&app, &format!("?limit=2&starting_after={}", last.id)).await?;
    assert!(!second.has_more);
    let mut paged = ids(&first);
    paged.extend(ids(&second));
    assert_eq!(paged, ids(&all));
    Ok(())
}

#[tokio::test]
async fn a_bad_list_query_names_its_parameter() -> TestResult {
    let app = TestApp::spawn().await?;
    let theirs = app.second_merchant().await?;
    let foreign = expect_json::<MerchantPayment>(
        app.create_payment_as(&theirs.key, 1_000, "theirs1").await?,
        201,
    )
    .await?;
    for (query, param, status) in [
        ("?status=paid", "status", 400),
        ("?limit=0", "limit", 400),
        ("?limit=101", "limit", 400),
        ("?limit=ten", "limit", 400),
        ("?starting_after=pay_1", "starting_after", 400),
        ("?q=", "q", 400),
        ("?q=order%00", "q", 400),
        ("?colour=red", "colour", 400),
    ] {
        let response = app.merchant_get(&format!("/v1/payments{query}")).await?;
        let body: ApiErrorBody = expect_json(response, status).await?;
        assert_eq!(body.param.as_deref(), Some(param), "{query}: {body:?}");
    }
    let response = app
        .merchant_get(&format!("/v1/payments?starting_after={}", foreign.id))
        .await?;
    let _: ApiErrorBody = expect_json(response, 404).await?;
    Ok(())
}

#[tokio::test]
async fn a_timeline_tells_the_whole_story_of_a_payment_captured_and_refunded_in_part() -> TestResult
{
    let app = TestApp::spawn().await?;
    let receiver = e2e::receiver::Receiver::start().await?;
    app.register_endpoint(&app.merchant_key, &receiver.url)
        .await?;
    let (payment, txn) = app.authorised(10_000, "91234568").await?;
    let id = &payment.id;
    for (operation, amount) in [("capture", 6_000), ("refund", 2_500)] {
        let response = app
            .merchant_post(
                &format!("/v1/payments/{id}/{operation}"),
                &json!({ "amount": amount }),
            )
            .await?;
        let _: MerchantPayment = expect_json(response, 200).await?;
    }
    let path = format!("/v1/payments/{id}/timeline");
    let timeline: PaymentTimeline = eventually("every update and webhook delivered", || async {
        let timeline: PaymentTimeline = expect_json(app.merchant_get(&path).await?, 200).await?;
        let settled = timeline.entries.iter().all(|entry| match &entry.what {
            TimelineEvent::Operation(op) => op
                .status_update
                .as_ref()
                .is_some_and(|u| u.state == StatusUpdateState::Delivered),
            TimelineEvent::Event(event) => event
                .deliveries
                .iter()
                .all(|d| d.state == shared::webhooks::DeliveryState::Delivered),
            _ => true,
        });
        Ok(settled.then_some(timeline))
    })
    .await?;
    assert_eq!(timeline.payment.status, PaymentStatus::PartiallyRefunded);
    let kinds: Vec<String> = timeline
        .entries
        .iter()
        .map(|entry| match &entry.what {
            TimelineEvent::Created { amount } => format!("created {amount}"),
            TimelineEvent::StartedAtVipps {
                psp_transaction_id,
                make_payment,
            } => {
                assert_eq!(psp_transaction_id, &txn);
                assert_eq!(*make_payment, Some(MakePaymentOutcome::Ok));
                "started".to_owned()
            }
            TimelineEvent::Event(event) => {
                assert!(!event.deliveries.is_empty(), "told to the endpoints");
                for delivery in &event.deliveries {
                    let answered = delivery.attempts.last().and_then(|a| a.http_status);
                    assert!(
                        answered.is_some_and(|status| (200..300).contains(&status)),
                        "{delivery:?}"
                    );
                }
                format!("event {}", event.event.kind.as_str())
            }
            TimelineEvent::Operation(op) => {
                assert_eq!(op.state, OperationState::Succeeded);
                let sent = op.status_update.as_ref().map(|u| u.attempts);
                assert_eq!(sent, Some(1), "sent once, and delivered");
                let kind = match op.operation {
                    OperationKind::Capture => "capture",
                    OperationKind::Refund => "refund",
                    OperationKind::Cancel => "cancel",
                };
                format!("{kind} {}", op.amount)
            }
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "created 10000",
            "started",
            "event payment.authorised",
            "capture 6000",
            "event payment.captured",
            "refund 2500",
            "event payment.refunded",
        ]
        .map(str::to_owned)
        .to_vec(),
        "{:#?}",
        timeline.entries
    );
    let times: Vec<i64> = timeline.entries.iter().map(|e| e.at).collect();
    assert!(
        times.windows(2).all(|w| w[0] <= w[1]),
        "oldest first: {times:?}"
    );

    let theirs = app.second_merchant().await?;
    let response = app
        .http
        .get(format!("{}{path}", app.backend_url))
        .bearer_auth(&theirs.key)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let _: Value = expect_json(response, 404).await?;
    Ok(())
}

#[tokio::test]
async fn the_sandbox_has_a_dashboard_user_for_its_merchant_with_a_generated_password() -> TestResult
{
    let app = TestApp::spawn().await?;
    let password = std::fs::read_to_string(app.data_dir().join("dashboard-password"))
        .map_err(|e| e.to_string())?;
    let signed_in = app
        .signed_in(
            backend::dashboard::bootstrap::SANDBOX_EMAIL,
            password.trim(),
        )
        .await?;
    assert_eq!(
        signed_in.session.merchant.name,
        shared::sandbox::MERCHANT_NAME
    );
    // A restart keeps the user and the password.
    app.restart_backend().await?;
    assert_eq!(
        app.sign_in(
            backend::dashboard::bootstrap::SANDBOX_EMAIL,
            password.trim()
        )
        .await?
        .status(),
        200
    );
    Ok(())
}
