//! The one call Vipps makes to the PSP: `POST {makePaymentUrl}` with the shopper's answer,
//! sent once or, as Vipps may, several times (one after the other or all at once). A call
//! that gets no answer at all (the connection refused or cut, or a load balancer's 502, 503
//! or 504) is sent again within Vipps's 15 s, as Vipps retries a PSP it could not reach.

use std::sync::Arc;
use std::time::Duration;

use tokio::time::Instant;

use axum::http::header;
use shared::vipps::{MakePaymentRequest, MakePaymentResponse, PaymentInfoStatus};
use tokio::sync::Barrier;

use crate::state::Outcome;

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

/// Where makePayment goes and what it carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub url: String,
    /// The makePaymentToken from init, sent as `Authorization`.
    pub token: Option<String>,
    pub request: MakePaymentRequest,
}

/// One makePayment call and how it ended for Vipps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    pub outcome: Outcome,
    /// The PSP's answer, when it gave a readable one.
    pub answer: Option<MakePaymentResponse>,
}

/// The pause before sending a call that got no answer again.
const RETRY_PAUSE: Duration = Duration::from_millis(200);

/// The HTTP client Vipps calls PSPs with.
pub fn client() -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder()
        .timeout(TIMEOUT)
        .no_proxy()
        .build()
}

/// Sends the same makePayment `times` times, one after the other or all at once (released
/// together), and answers the calls in the order they were started.
pub async fn send_repeatedly(
    client: &reqwest::Client,
    target: &Target,
    times: usize,
    at_once: bool,
) -> Vec<Call> {
    let mut calls = Vec::with_capacity(times);
    if !at_once {
        for _ in 0..times {
            calls.push(Call::from(send(client, target).await));
        }
        return calls;
    }
    let shared = Arc::new(target.clone());
    let start = Arc::new(Barrier::new(times));
    let handles: Vec<_> = (0..times)
        .map(|_| {
            let (client, target, start) = (client.clone(), Arc::clone(&shared), Arc::clone(&start));
            tokio::spawn(async move {
                start.wait().await;
                send(&client, &target).await
            })
        })
        .collect();
    for handle in handles {
        let delivery = handle
            .await
            .unwrap_or_else(|err| Delivery::Unreachable(format!("the call was lost: {err}")));
        calls.push(Call::from(delivery));
    }
    calls
}

/// Sends makePayment with `Authorization: <makePaymentToken>` (when init gave one), again
/// while no PSP answered, until [`TIMEOUT`] has passed since the first try.
pub async fn send(client: &reqwest::Client, target: &Target) -> Delivery {
    let deadline = Instant::now() + TIMEOUT;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let delivery = send_once(client, target, left).await;
        if !unanswered(&delivery) || left <= RETRY_PAUSE {
            return delivery;
        }
        tracing::warn!(psp_transaction_id = %target.request.psp_transaction_id, ?delivery, "makePayment got no answer; sending it again");
        tokio::time::sleep(RETRY_PAUSE).await;
    }
}

/// No PSP answered: nothing reached it, or its load balancer found no instance.
fn unanswered(delivery: &Delivery) -> bool {
    match delivery {
        Delivery::Unreachable(_) => true,
        Delivery::Status { status, .. } => matches!(status, 502..=504),
        Delivery::Answered(_) | Delivery::TooLate | Delivery::Unreadable(_) => false,
    }
}

async fn send_once(client: &reqwest::Client, target: &Target, timeout: Duration) -> Delivery {
    let mut call = client
        .post(&target.url)
        .timeout(timeout)
        .json(&target.request);
    if let Some(token) = &target.token {
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

impl From<Delivery> for Call {
    fn from(delivery: Delivery) -> Self {
        let (outcome, answer) = match delivery {
            Delivery::Answered(answer) => {
                let outcome = match answer.payment_info.status {
                    PaymentInfoStatus::Ok => Outcome::Approved,
                    PaymentInfoStatus::Fail => {
                        let (error_id, error_text) = answer
                            .error_message
                            .as_ref()
                            .map(|e| (e.error_id.clone(), e.error_text.clone()))
                            .unwrap_or_default();
                        Outcome::Declined {
                            error_id,
                            error_text,
                        }
                    }
                };
                (outcome, Some(answer))
            }
            Delivery::TooLate => (Outcome::TooLate, None),
            Delivery::Status { status, body } => {
                let message = format!("the PSP answered HTTP {status}: {body}");
                let http_status = Some(status);
                (
                    Outcome::PspError {
                        http_status,
                        message,
                    },
                    None,
                )
            }
            Delivery::Unreadable(message) => {
                let http_status = Some(200);
                (
                    Outcome::PspError {
                        http_status,
                        message,
                    },
                    None,
                )
            }
            Delivery::Unreachable(reason) => {
                let message = format!("the PSP could not be reached: {reason}");
                let http_status = None;
                (
                    Outcome::PspError {
                        http_status,
                        message,
                    },
                    None,
                )
            }
        };
        Self { outcome, answer }
    }
}

#[cfg(test)]
mod tests {
    use shared::vipps::Confirmed;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpListener;

    use super::*;

    /// A PSP whose first connection is cut unanswered (an instance dying mid-call), and
    /// whose next ones answer OK.
    async fn dies_once_then_answers() -> std::io::Result<String> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let url = format!("http://{}/makepayment", listener.local_addr()?);
        tokio::spawn(async move {
            let mut first = true;
            while let Ok((mut stream, _)) = listener.accept().await {
                let mut request = vec![0_u8; 4096];
                let _ = stream.read(&mut request).await;
                if std::mem::take(&mut first) {
                    continue; // dropped: the connection closes with no answer
                }
                let body = r#"{"paymentInfo":{"pspTransactionId":"tx1","status":"OK"}}"#;
                let answer = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = stream.write_all(answer.as_bytes()).await;
            }
        });
        Ok(url)
    }

    #[tokio::test]
    async fn a_call_no_psp_answered_is_sent_again() -> Result<(), Box<dyn std::error::Error>> {
        let target = Target {
            url: dies_once_then_answers().await?,
            token: None,
            request: MakePaymentRequest {
                psp_transaction_id: "tx1".parse()?,
                merchant_serial_number: "123456".to_owned(),
                card_data: None,
                confirmed: Confirmed::Yes,
            },
        };
        let delivery = send(&client()?, &target).await;
        assert!(
            matches!(&delivery, Delivery::Answered(a) if a.payment_info.status == PaymentInfoStatus::Ok),
            "{delivery:?}"
        );
        Ok(())
    }

    #[test]
    fn only_calls_nobody_answered_are_sent_again() {
        let status = |status| Delivery::Status {
            status,
            body: String::new(),
        };
        assert!(unanswered(&Delivery::Unreachable("refused".into())));
        assert!(unanswered(&status(502)) && unanswered(&status(503)) && unanswered(&status(504)));
        assert!(!unanswered(&status(500)) && !unanswered(&status(401)));
        assert!(!unanswered(&Delivery::TooLate));
    }
}
