//! Issue 11, item 3: every 4xx about bad input names the field at fault in `param`, says
//! what is wrong in words (no parser positions, no framework's wording), and keeps its
//! stable `code`. One bad value for each field of each request type of the merchant,
//! operator and widget APIs; then bodies that are no field's fault, too large, or not JSON.

use e2e::{TestApp, TestResult, expect_json};
use reqwest::Method;
use serde_json::{Value, json};
use shared::checkout::{ApiErrorBody, CLIENT_SECRET_HEADER, ErrorCode};

/// Whose key a request carries.
#[derive(Clone, Copy)]
enum As {
    Merchant,
    Operator,
    /// The widget, with the payment's client secret.
    Widget,
}

struct Case {
    what: &'static str,
    who: As,
    method: Method,
    path: String,
    body: Value,
    param: &'static str,
}

fn case(
    what: &'static str,
    who: As,
    method: Method,
    path: &str,
    body: Value,
    param: &'static str,
) -> Case {
    Case {
        what,
        who,
        method,
        path: path.to_owned(),
        body,
        param,
    }
}

async fn send(
    app: &TestApp,
    who: As,
    secret: &str,
    method: Method,
    path: &str,
    body: Option<&Value>,
) -> TestResult<reqwest::Response> {
    let mut request = app
        .http
        .request(method, format!("{}{path}", app.backend_url));
    request = match who {
        As::Merchant => request.bearer_auth(&app.merchant_key),
        As::Operator => request.bearer_auth(&app.operator_key),
        As::Widget => request.header(CLIENT_SECRET_HEADER, secret),
    };
    if let Some(body) = body {
        request = request.json(body);
    }
    request.send().await.map_err(|e| e.to_string())
}

/// The answer is `status` with `code`, names `param` (or none), and its sentence has no
/// parser positions or framework wording.
async fn refused(
    response: reqwest::Response,
    status: u16,
    param: Option<&str>,
    what: &str,
) -> TestResult<ApiErrorBody> {
    let body: ApiErrorBody = expect_json(response, status)
        .await
        .map_err(|e| format!("{what}: {e}"))?;
    assert_eq!(body.code, ErrorCode::InvalidRequest, "{what}: {body:?}");
    assert_eq!(body.param.as_deref(), param, "{what}: {body:?}");
    let message = body.message.to_lowercase();
    assert!(!message.is_empty(), "{what}");
    for noise in ["line 1", "column", "failed to deserialize", "target type"] {
        assert!(!message.contains(noise), "{what}: {:?}", body.message);
    }
    Ok(body)
}

#[tokio::test]
async fn each_field_of_each_request_names_itself_when_it_is_wrong() -> TestResult {
    let app = TestApp::spawn().await?;
    let payment = app.create_payment(1000).await?;
    let secret = payment.client_secret.clone().unwrap_or_default();
    let endpoint: Value = expect_json(
        app.merchant_post(
            "/v1/webhook-endpoints",
            &json!({"url": format!("{}/webhooks", app.shop_url)}),
        )
        .await?,
        201,
    )
    .await?;
    let endpoint_id = endpoint["id"].as_str().ok_or("no endpoint id")?.to_owned();
    let merchant_id = app.second_merchant().await?.merchant.id.to_string();
    let pay = |action: &str| format!("/v1/payments/{}/{action}", payment.id);
    let valid = json!({"amount": 1000, "merchant_order_id": "order1", "description": "Socks"});
    let with = |field: &str, value: Value| {
        let mut body = valid.clone();
        body[field] = value;
        body
    };
    let (m, o, w) = (As::Merchant, As::Operator, As::Widget);
    let cases = [
        // POST /v1/payments
        case(
            "amount not a number",
            m,
            Method::POST,
            "/v1/payments",
            with("amount", json!("ten")),
            "amount",
        ),
        case(
            "amount zero",
            m,
            Method::POST,
            "/v1/payments",
            with("amount", json!(0)),
            "amount",
        ),
        case(
            "amount missing",
            m,
            Method::POST,
            "/v1/payments",
            json!({"merchant_order_id": "o1", "description": "d"}),
            "amount",
        ),
        case(
            "currency unknown",
            m,
            Method::POST,
            "/v1/payments",
            with("currency", json!("SEK")),
            "currency",
        ),
        case(
            "order id with a space",
            m,
            Method::POST,
            "/v1/payments",
            with("merchant_order_id", json!("order 1")),
            "merchant_order_id",
        ),
        case(
            "order id missing",
            m,
            Method::POST,
            "/v1/payments",
            json!({"amount": 1, "description": "d"}),
            "merchant_order_id",
        ),
        case(
            "description empty",
            m,
            Method::POST,
            "/v1/payments",
            with("description", json!("")),
            "description",
        ),
        case(
            "phone number short",
            m,
            Method::POST,
            "/v1/payments",
            with("phone_number", json!("123")),
            "phone_number",
        ),
        case(
            "return URL not http",
            m,
            Method::POST,
            "/v1/payments",
            with("return_url", json!("ftp://shop.example/back")),
            "return_url",
        ),
        case(
            "unknown field",
            m,
            Method::POST,
            "/v1/payments",
            with("colour", json!("red")),
            "colour",
        ),
        // capture, refund, cancel
        case(
            "capture amount negative",
            m,
            Method::POST,
            &pay("capture"),
            json!({"amount": -5}),
            "amount",
        ),
        case(
            "refund amount a string",
            m,
            Method::POST,
            &pay("refund"),
            json!({"amount": "all"}),
            "amount",
        ),
        case(
            "capture unknown field",
            m,
            Method::POST,
            &pay("capture"),
            json!({"amount": 5, "final": true}),
            "final",
        ),
        case(
            "capture of a malformed id",
            m,
            Method::POST,
            "/v1/payments/nope/capture",
            json!({}),
            "id",
        ),
        case(
            "read of a malformed id",
            m,
            Method::GET,
            "/v1/payments/pay_",
            Value::Null,
            "id",
        ),
        case(
            "revoke of a malformed key id",
            m,
            Method::DELETE,
            "/v1/api-keys/key",
            Value::Null,
            "id",
        ),
        case(
            "delete of a malformed endpoint id",
            m,
            Method::DELETE,
            "/v1/webhook-endpoints/we",
            Value::Null,
            "id",
        ),
        // API keys
        case(
            "key name empty",
            m,
            Method::POST,
            "/v1/api-keys",
            json!({"name": ""}),
            "name",
        ),
        case(
            "key name missing",
            m,
            Method::POST,
            "/v1/api-keys",
            json!({}),
            "name",
        ),
        // webhook endpoints and events
        case(
            "endpoint URL not a URL",
            m,
            Method::POST,
            "/v1/webhook-endpoints",
            json!({"url": "not a url"}),
            "url",
        ),
        case(
            "endpoint event unknown",
            m,
            Method::POST,
            "/v1/webhook-endpoints",
            json!({"url": "https://shop.example/h", "events": ["payment.nope"]}),
            "events[0]",
        ),
        case(
            "endpoint events empty",
            m,
            Method::POST,
            "/v1/webhook-endpoints",
            json!({"url": "https://shop.example/h", "events": []}),
            "events",
        ),
        case(
            "rotation grace not a number",
            m,
            Method::POST,
            &format!("/v1/webhook-endpoints/{endpoint_id}/rotate-secret"),
            json!({"grace_seconds": "a day"}),
            "grace_seconds",
        ),
        case(
            "rotation grace too long",
            m,
            Method::POST,
            &format!("/v1/webhook-endpoints/{endpoint_id}/rotate-secret"),
            json!({"grace_seconds": 99_999_999}),
            "grace_seconds",
        ),
        case(
            "events of a malformed payment id",
            m,
            Method::GET,
            "/v1/events?payment=pay_x",
            Value::Null,
            "payment",
        ),
        case(
            "event of a malformed id",
            m,
            Method::GET,
            "/v1/events/evt",
            Value::Null,
            "id",
        ),
        // the operator's merchants and keys
        case(
            "merchant name empty",
            o,
            Method::POST,
            "/operator/v1/merchants",
            json!({"name": "", "msn": "777777"}),
            "name",
        ),
        case(
            "merchant MSN short",
            o,
            Method::POST,
            "/operator/v1/merchants",
            json!({"name": "Shop", "msn": "12"}),
            "msn",
        ),
        case(
            "merchant origin not https",
            o,
            Method::POST,
            "/operator/v1/merchants",
            json!({"name": "Shop", "msn": "777777", "allowed_origins": ["https://a.example", "ftp://b.example"]}),
            "allowed_origins[1]",
        ),
        case(
            "merchant language unknown",
            o,
            Method::POST,
            "/operator/v1/merchants",
            json!({"name": "Shop", "msn": "777777", "language": "xx"}),
            "language",
        ),
        case(
            "merchant appearance unknown",
            o,
            Method::POST,
            "/operator/v1/merchants",
            json!({"name": "Shop", "msn": "777777", "appearance": {"sparkle": "1"}}),
            "appearance",
        ),
        case(
            "merchant of a malformed id",
            o,
            Method::GET,
            "/operator/v1/merchants/mer",
            Value::Null,
            "id",
        ),
        case(
            "operator key name empty",
            o,
            Method::POST,
            &format!("/operator/v1/merchants/{merchant_id}/api-keys"),
            json!({"name": ""}),
            "name",
        ),
        case(
            "revoke of a malformed key id",
            o,
            Method::DELETE,
            &format!("/operator/v1/merchants/{merchant_id}/api-keys/key"),
            Value::Null,
            "key",
        ),
        // the widget's start
        case(
            "start phone number short",
            w,
            Method::POST,
            &format!("/api/checkout/payments/{}/start", payment.id),
            json!({"phone_number": "123"}),
            "phone_number",
        ),
        case(
            "start language unknown",
            w,
            Method::POST,
            &format!("/api/checkout/payments/{}/start", payment.id),
            json!({"phone_number": "91234567", "lang": "xx"}),
            "lang",
        ),
        case(
            "start is_app not a boolean",
            w,
            Method::POST,
            &format!("/api/checkout/payments/{}/start", payment.id),
            json!({"phone_number": "91234567", "is_app": "yes"}),
            "is_app",
        ),
    ];
    let mut wrong = Vec::new();
    for case in cases {
        let body = (!case.body.is_null()).then_some(&case.body);
        let response = send(
            &app,
            case.who,
            &secret,
            case.method.clone(),
            &case.path,
            body,
        )
        .await?;
        if let Err(error) = refused(response, 400, Some(case.param), case.what).await {
            wrong.push(error);
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // Nothing above changed the payment.
    assert_eq!(app.merchant_view(&payment).await?, {
        let mut before = payment.clone();
        before.client_secret = None;
        before
    });
    Ok(())
}

#[tokio::test]
async fn a_taken_order_id_names_its_field() -> TestResult {
    let app = TestApp::spawn().await?;
    let body = json!({"amount": 100, "merchant_order_id": "twice", "description": "Socks"});
    let _: Value = expect_json(app.merchant_post("/v1/payments", &body).await?, 201).await?;
    let again: ApiErrorBody =
        expect_json(app.merchant_post("/v1/payments", &body).await?, 409).await?;
    assert_eq!(again.code, ErrorCode::DuplicateOrderId);
    assert_eq!(again.param.as_deref(), Some("merchant_order_id"));
    Ok(())
}

#[tokio::test]
async fn bodies_that_are_no_fields_fault_say_what_is_wrong() -> TestResult {
    let app = TestApp::spawn().await?;
    let url = format!("{}/v1/payments", app.backend_url);
    let post = |kind: &'static str, body: Vec<u8>| {
        app.http
            .post(&url)
            .bearer_auth(&app.merchant_key)
            .header("content-type", kind)
            .body(body)
            .send()
    };
    let json = "application/json";
    let not_json = post(json, b"{\"amount\": 1,".to_vec())
        .await
        .map_err(|e| e.to_string())?;
    let body = refused(not_json, 400, None, "not JSON").await?;
    assert!(body.message.contains("not valid JSON"), "{body:?}");
    let array = post(json, b"[100, \"NOK\", \"o1\", \"d\"]".to_vec())
        .await
        .map_err(|e| e.to_string())?;
    refused(array, 400, None, "an array").await?;
    let form = post("application/x-www-form-urlencoded", b"amount=1".to_vec())
        .await
        .map_err(|e| e.to_string())?;
    refused(form, 415, None, "a form").await?;
    // A body that may be left out must still be JSON when it is there.
    let payment = app.create_payment(1000).await?;
    let capture = app
        .http
        .post(format!(
            "{}/v1/payments/{}/capture",
            app.backend_url, payment.id
        ))
        .bearer_auth(&app.merchant_key)
        .header("content-type", "text/plain")
        .body("amount=5")
        .send()
        .await
        .map_err(|e| e.to_string())?;
    refused(capture, 415, None, "a capture's text body").await?;
    // Over 64 KiB: 413, with an Idempotency-Key (which buffers the body first) and without.
    let large = format!(
        r#"{{"amount": 1, "merchant_order_id": "big", "description": "{}"}}"#,
        "x".repeat(70_000)
    );
    let plain = post(json, large.clone().into_bytes())
        .await
        .map_err(|e| e.to_string())?;
    refused(plain, 413, None, "too large").await?;
    let keyed = app
        .http
        .post(&url)
        .bearer_auth(&app.merchant_key)
        .header("content-type", json)
        .header("idempotency-key", "large-1")
        .body(large)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    refused(keyed, 413, None, "too large, with a key").await?;
    Ok(())
}
