//! The one call Vipps makes to the PSP: `POST {makePaymentUrl}` with the shopper's answer.

use std::time::Duration;

use axum::http::header;
use shared::vipps::{MakePaymentRequest, MakePaymentResponse};

/// Vipps waits this long for the PSP's answer; after that the payment is failed.
pub const TIMEOUT: Duration = Duration::from_secs(15);

/// How the call went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    /// HTTP 200 with a makePayment answer.
    Answered(MakePaymentResponse),
    /// No answer within [`TIMEOUT`].
    TooLate,
    /// Any other HTTP status; `body` is the start of what came back.
    Status { status: u16, body: String },
    /// HTTP 200 that is not a makePayment answer.
    Unreadable(String),
    /// No HTTP answer at all (connection refused, DNS, TLS...).
    Unreachable(String),
}

/// The HTTP client Vipps calls PSPs with.
pub fn client() -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder()
        .timeout(TIMEOUT)
        .no_proxy()
        .build()
}

/// Sends makePayment with `Authorization: <makePaymentToken>` (when init gave one).
pub async fn send(
    client: &reqwest::Client,
    url: &str,
    token: Option<&str>,
    request: &MakePaymentRequest,
) -> Delivery {
    let mut call = client.post(url).json(request);
    if let Some(token) = token {
        call = call.header(header::AUTHORIZATION, token);
    }
    let response = match call.send().await {
        Ok(response) => response,
        Err(err) => return failed(&err),
    };
    let status = response.status();
    let body = match response.bytes().await {
        Ok(body) => body,
        Err(err) => return failed(&err),
    };
    if status != reqwest::StatusCode::OK {
        let text = String::from_utf8_lossy(&body).chars().take(500).collect();
        return Delivery::Status {
            status: status.as_u16(),
            body: text,
        };
    }
    match serde_json::from_slice::<MakePaymentResponse>(&body) {
        Ok(answer) => Delivery::Answered(answer),
        Err(err) => {
            Delivery::Unreadable(format!("the answer is not a makePayment response: {err}"))
        }
    }
}

fn failed(err: &reqwest::Error) -> Delivery {
    if err.is_timeout() {
        Delivery::TooLate
    } else {
        Delivery::Unreachable(err.to_string())
    }
}
