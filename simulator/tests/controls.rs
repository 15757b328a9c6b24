//! The failure controls over real HTTP: updatestatus failing, hanging and its log; init
//! failing; tokens expiring early; test amounts; and details after every update.

mod support;

use reqwest::StatusCode;
use serde_json::{Value, json};
use shared::vipps::ErrorDetails;
use simulator::PaymentDetails;
use support::{TestResult, random_id, spawn_app, transaction};

fn capture(amount: u32) -> Value {
    json!({"transactions": [transaction("tx1", "CAPTURED", amount)]})
}

fn column<'a>(log: &'a Value, field: &str) -> Vec<&'a Value> {
    log.as_array()
        .map(|calls| calls.iter().map(|c| &c[field]).collect())
        .unwrap_or_default()
}

#[tokio::test]
async fn failed_updatestatus_calls_are_answered_as_set_and_logged_with_their_request_ids()
-> TestResult {
    let app = spawn_app().await?;
    app.reserved_payment().await?;
    let token = app.token().await?;
    let set: Value = app
        .control("updatestatus/fail", json!({"status": 503, "count": 2}))
        .await?
        .json()
        .await?;
    assert_eq!(
        set,
        json!({"pending": [{"fault": "fail", "status": 503, "remaining": 2}]})
    );

    let mut statuses = Vec::new();
    for _ in 0..3 {
        let answer = app.update_status(&token, "u1", &capture(29900)).await?;
        statuses.push(answer.status().as_u16());
        if answer.status() == StatusCode::SERVICE_UNAVAILABLE {
            let errors: Vec<ErrorDetails> = answer.json().await?;
            assert_eq!(errors.first().map(|e| e.error_code.as_str()), Some("503"));
        }
    }
    assert_eq!(statuses, [503, 503, 200]);

    let log = app.control_get("updatestatus").await?;
    assert_eq!(column(&log, "request_id"), [&json!("u1"); 3]);
    assert_eq!(
        column(&log, "answered_status"),
        [&json!(503), &json!(503), &json!(200)]
    );
    assert_eq!(
        column(&log, "injected"),
        [&json!("fail"), &json!("fail"), &Value::Null]
    );
    assert_eq!(log[2]["transactions"], capture(29900)["transactions"]);
    assert!(
        log[0]["received_at"]
            .as_str()
            .is_some_and(|t| t.ends_with('Z'))
    );

    let details: PaymentDetails = app.details(&token, "tx1").await?.json().await?;
    assert_eq!(details.transaction_summary.captured_amount, 29900);
    Ok(())
}

#[tokio::test]
async fn a_failed_400_has_a_vipps_error_list_and_is_not_remembered_for_the_retry() -> TestResult {
    let app = spawn_app().await?;
    app.reserved_payment().await?;
    let token = app.token().await?;
    app.control("updatestatus/fail", json!({"status": 400}))
        .await?;
    let refused = app.update_status(&token, "u1", &capture(100)).await?;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    let errors: Vec<ErrorDetails> = refused.json().await?;
    assert_eq!(errors.first().map(|e| e.error_code.as_str()), Some("51"));
    let retry = app.update_status(&token, "u1", &capture(100)).await?;
    assert_eq!(retry.status(), StatusCode::OK);

    for bad in [
        json!({"status": 418}),
        json!({"count": 1}),
        json!({"status": 500, "count": 0}),
        json!({"status": 500, "count": 101}),
        json!({"status": 500, "times": 1}),
    ] {
        let answer = app.control("updatestatus/fail", bad.clone()).await?;
        assert_eq!(answer.status(), StatusCode::BAD_REQUEST, "{bad}");
    }
    Ok(())
}

#[tokio::test]
async fn a_hung_updatestatus_is_applied_and_its_retry_is_answered_at_once() -> TestResult {
    let app = spawn_app().await?;
    app.reserved_payment().await?;
    let token = app.token().await?;
    app.control("updatestatus/hang", json!({"seconds": 600, "count": 1}))
        .await?;
    let hung = tokio::spawn(
        app.psp_call("updatestatus", &token, "u1")
            .json(&capture(29900))
            .send(),
    );

    let log = app.control_get("updatestatus?wait_for=1").await?;
    assert_eq!(column(&log, "answered_status"), [&json!(200)]);
    assert_eq!(column(&log, "injected"), [&json!("hang")]);
    // The PSP gave up waiting and retries with the same Request-Id.
    let retry = app.update_status(&token, "u1", &capture(29900)).await?;
    assert_eq!(retry.status(), StatusCode::OK);
    assert!(!hung.is_finished(), "the first answer is still held back");
    hung.abort();

    let details: PaymentDetails = app.details(&token, "tx1").await?.json().await?;
    assert_eq!(details.transaction_summary.captured_amount, 29900);
    let captures = details
        .transaction_log_history
        .iter()
        .filter(|e| e.operation == "CAPTURED")
        .count();
    assert_eq!(captures, 1);
    Ok(())
}

#[tokio::test]
async fn a_hang_still_answers_200_in_the_end() -> TestResult {
    let app = spawn_app().await?;
    app.reserved_payment().await?;
    let token = app.token().await?;
    app.control("updatestatus/hang", json!({"seconds": 1}))
        .await?;
    let answer = app.update_status(&token, "u1", &capture(29900)).await?;
    assert_eq!(answer.status(), StatusCode::OK);
    for bad in [json!({"seconds": 0}), json!({}), json!({"seconds": 601})] {
        let refused = app.control("updatestatus/hang", bad.clone()).await?;
        assert_eq!(refused.status(), StatusCode::BAD_REQUEST, "{bad}");
    }
    Ok(())
}

#[tokio::test]
async fn batches_and_calls_refused_before_any_check_are_logged_too() -> TestResult {
    let app = spawn_app().await?;
    app.reserved_payment().await?;
    let token = app.token().await?;
    let batch = json!({"transactions": [
        transaction("tx1", "CAPTURED", 10000),
        transaction("tx1", "CAPTURED", 5000),
    ]});
    app.update_status(&token, "batch", &batch).await?;
    let unauthorised = app.update_status("bad-token", "r2", &capture(1)).await?;
    assert_eq!(unauthorised.status(), StatusCode::UNAUTHORIZED);
    let log = app.control_get("updatestatus").await?;
    assert_eq!(log[0]["transactions"].as_array().map(Vec::len), Some(2));
    assert_eq!(column(&log, "answered_status"), [&json!(200), &json!(401)]);
    let bad_query = app
        .http
        .get(format!("{}/sim/updatestatus?wait_for=soon", app.sim))
        .send()
        .await?;
    assert_eq!(bad_query.status(), StatusCode::BAD_REQUEST);
    Ok(())
}

#[tokio::test]
async fn init_fails_while_vipps_is_down_and_works_again_after() -> TestResult {
    let app = spawn_app().await?;
    let token = app.token().await?;
    app.control("init/fail", json!({"status": 503, "count": 1}))
        .await?;
    let body = app.init_body("tx1", "order1");
    let down = app
        .psp_call("init", &token, "i1")
        .json(&body)
        .send()
        .await?;
    assert_eq!(down.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        app.control_get("payments")
            .await?
            .as_array()
            .is_some_and(Vec::is_empty)
    );
    let up = app
        .psp_call("init", &token, "i1")
        .json(&body)
        .send()
        .await?;
    assert_eq!(up.status(), StatusCode::OK);

    let not_for_init = app.control("init/fail", json!({"status": 400})).await?;
    assert_eq!(not_for_init.status(), StatusCode::BAD_REQUEST);
    Ok(())
}

#[tokio::test]
async fn queued_faults_can_be_listed_and_cleared() -> TestResult {
    let app = spawn_app().await?;
    app.control("init/fail", json!({"status": 500, "count": 2}))
        .await?;
    app.control("init/hang", json!({"seconds": 5})).await?;
    app.control("updatestatus/hang", json!({"seconds": 20, "count": 3}))
        .await?;
    let pending = app.control_get("faults").await?;
    assert_eq!(
        pending,
        json!({
            "init": [
                {"fault": "fail", "status": 500, "remaining": 2},
                {"fault": "hang", "seconds": 5, "remaining": 1}
            ],
            "updatestatus": [{"fault": "hang", "seconds": 20, "remaining": 3}]
        })
    );
    let cleared: Value = app
        .http
        .delete(format!("{}/sim/faults", app.sim))
        .send()
        .await?
        .json()
        .await?;
    assert_eq!(cleared, json!({"cleared": 6}));
    app.init(&app.init_body("tx1", "order1")).await?;
    Ok(())
}

#[tokio::test]
async fn expired_tokens_get_401_and_every_issued_token_is_counted() -> TestResult {
    let app = spawn_app().await?;
    let token = app.token().await?;
    assert_eq!(
        app.control_get("tokens").await?,
        json!({"issued": 1, "live": 1})
    );
    let expired: Value = app
        .control("tokens/expire", json!({}))
        .await?
        .json()
        .await?;
    assert_eq!(expired, json!({"expired": 1}));
    let init = app
        .psp_call("init", &token, &random_id())
        .json(&app.init_body("tx1", "order1"))
        .send()
        .await?;
    assert_eq!(init.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.details(&token, "tx1").await?.status(),
        StatusCode::UNAUTHORIZED
    );
    app.init(&app.init_body("tx1", "order1")).await?;
    assert_eq!(
        app.control_get("tokens").await?,
        json!({"issued": 2, "live": 1})
    );
    Ok(())
}

#[tokio::test]
async fn test_amounts_make_init_fail_and_create_nothing() -> TestResult {
    let app = spawn_app().await?;
    let token = app.token().await?;
    let with_amount = |amount: u32| {
        let mut body = app.init_body(&format!("tx{amount}"), &format!("o{amount}"));
        body["amount"] = json!(amount);
        body
    };
    for _ in 0..2 {
        let down = app
            .psp_call("init", &token, "same")
            .json(&with_amount(1313))
            .send()
            .await?;
        assert_eq!(down.status(), StatusCode::INTERNAL_SERVER_ERROR);
    }
    let not_a_user = app
        .psp_call("init", &token, &random_id())
        .json(&with_amount(1414))
        .send()
        .await?;
    assert_eq!(not_a_user.status(), StatusCode::BAD_REQUEST);
    let errors: Vec<ErrorDetails> = not_a_user.json().await?;
    let error = errors
        .first()
        .map(|e| (e.error_code.as_str(), e.error_field.as_deref()));
    assert_eq!(error, Some(("51", Some("customerMobileNumber"))));
    for test in simulator::TEST_AMOUNTS {
        let answer = app
            .psp_call("init", &token, &random_id())
            .json(&with_amount(test.ore))
            .send()
            .await?;
        assert_eq!(answer.status().as_u16(), test.status, "{}", test.ore);
    }
    assert!(
        app.control_get("payments")
            .await?
            .as_array()
            .is_some_and(Vec::is_empty)
    );
    Ok(())
}

#[tokio::test]
async fn details_follow_a_partial_capture_a_cancel_of_the_rest_and_a_refund() -> TestResult {
    let app = spawn_app().await?;
    app.reserved_payment().await?;
    let token = app.token().await?;
    for (request_id, status, amount) in [
        ("u1", "CAPTURED", 10000),
        ("u2", "CANCELLED", 19900),
        ("u3", "REFUNDED", 2500),
        ("u4", "CAPTURED", 100),
    ] {
        let body = json!({"transactions": [transaction("tx1", status, amount)]});
        let answer = app.update_status(&token, request_id, &body).await?;
        assert_eq!(answer.status(), StatusCode::OK, "{request_id}");
    }
    let details: PaymentDetails = app.details(&token, "tx1").await?.json().await?;
    let summary = details.transaction_summary;
    assert_eq!(
        (
            summary.captured_amount,
            summary.remaining_amount_to_capture,
            summary.refunded_amount,
            summary.remaining_amount_to_refund
        ),
        (10000, 0, 2500, 7500)
    );
    let log: Vec<(&str, i64, bool)> = details
        .transaction_log_history
        .iter()
        .map(|e| (e.operation.as_str(), e.amount, e.operation_success))
        .collect();
    assert_eq!(
        log,
        [
            ("RESERVED", 29900, true),
            ("CAPTURED", 10000, true),
            ("CANCELLED", 19900, true),
            ("REFUNDED", 2500, true),
            ("CAPTURED", 100, false),
        ]
    );
    Ok(())
}
