//! One payment's story under chaos, told through the load balancer as a merchant's server,
//! the widget and the shopper at Vipps would: create, start, approve in the app, then a
//! capture, a refund or a cancel. A call the load balancer could not complete (its instance
//! was killed) is sent again with the same Idempotency-Key, as a merchant's server would.

use std::time::Duration;

use e2e::TestResult;
use serde_json::{Value, json};
use shared::checkout::{CLIENT_SECRET_HEADER, CheckoutPayment, CheckoutStatus};
use shared::merchant::{MerchantPayment, PaymentStatus};

/// How long one call may be retried, and a story may wait for an outcome.
const PATIENCE: Duration = Duration::from_secs(90);
const PAUSE: Duration = Duration::from_millis(50);
pub const APPROVED_CARD: &str = "4925000000000004";

/// Where a shopper's calls go.
#[derive(Clone)]
pub struct Ends {
    /// A client without pooled connections: each call picks an instance afresh.
    pub http: reqwest::Client,
    pub psp: String,
    pub vipps: String,
    pub merchant_key: String,
}

/// What the merchant did after the authorisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plan {
    CaptureAll,
    CaptureHalfRefundSome,
    Cancel,
    CaptureAllRefundAll,
    Nothing,
}

impl Plan {
    pub fn pick(n: u64) -> Self {
        match n % 5 {
            0 => Self::CaptureAll,
            1 => Self::CaptureHalfRefundSome,
            2 => Self::Cancel,
            3 => Self::CaptureAllRefundAll,
            _ => Self::Nothing,
        }
    }
}

/// A payment as the story left it: what the merchant expects the amounts to be.
#[derive(Debug, Clone)]
pub struct Story {
    pub payment: String,
    pub psp_transaction_id: Option<String>,
    pub amount: u32,
    pub authorised: bool,
    pub captured: u32,
    pub refunded: u32,
    pub cancelled: bool,
    /// Captures, refunds and cancels done: each one status update to Vipps.
    pub operations: usize,
    /// Where the story broke off, if it did (its payment is still checked).
    pub error: Option<String>,
}

/// Sends `request()` until an instance answers with something other than 5xx or "still in
/// progress" (a request whose instance died holds its Idempotency-Key until it is stale).
async fn answered(
    what: &str,
    request: impl Fn() -> reqwest::RequestBuilder,
) -> TestResult<(u16, String)> {
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        if let Ok(response) = request().send().await {
            let status = response.status().as_u16();
            if let Ok(text) = response.text().await
                && status < 500
                && !text.contains("idempotency_in_progress")
            {
                return Ok((status, text));
            }
        }
        if tokio::time::Instant::now() > deadline {
            return Err(format!("{what}: no instance answered"));
        }
        tokio::time::sleep(PAUSE).await;
    }
}

fn parse<T: serde::de::DeserializeOwned>(
    what: &str,
    (status, text): (u16, String),
    want: u16,
) -> TestResult<T> {
    if status != want {
        return Err(format!("{what}: HTTP {status}: {text}"));
    }
    serde_json::from_str(&text).map_err(|e| format!("{what}: {e}: {text}"))
}

impl Ends {
    fn merchant(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.http
            .request(method, format!("{}{path}", self.psp))
            .bearer_auth(&self.merchant_key)
    }

    pub async fn view(&self, payment: &str) -> TestResult<MerchantPayment> {
        let path = format!("/v1/payments/{payment}");
        let answer = answered("read", || self.merchant(reqwest::Method::GET, &path)).await?;
        parse("read", answer, 200)
    }

    /// A merchant call guarded by `key`, sent until an instance answers it.
    async fn guarded(
        &self,
        path: &str,
        key: &str,
        body: &Value,
        want: u16,
    ) -> TestResult<MerchantPayment> {
        let answer = answered(path, || {
            self.merchant(reqwest::Method::POST, path)
                .header("idempotency-key", key)
                .json(body)
        })
        .await?;
        parse(path, answer, want)
    }

    async fn checkout(
        &self,
        payment: &MerchantPayment,
        secret: &str,
    ) -> TestResult<CheckoutPayment> {
        let url = format!("{}/api/checkout/payments/{}", self.psp, payment.id);
        let answer = answered("widget read", || {
            self.http.get(&url).header(CLIENT_SECRET_HEADER, secret)
        })
        .await?;
        parse("widget read", answer, 200)
    }

    /// The widget starts the payment; once Vipps has it, `Some` with its landing page (which
    /// a payment that reconciliation handed to the app has not: the app was notified).
    async fn start(
        &self,
        payment: &MerchantPayment,
        secret: &str,
        phone: &str,
    ) -> TestResult<Option<Option<String>>> {
        let url = format!("{}/api/checkout/payments/{}/start", self.psp, payment.id);
        let body = json!({ "phone_number": phone });
        let deadline = tokio::time::Instant::now() + PATIENCE;
        loop {
            let started = self
                .http
                .post(&url)
                .header(CLIENT_SECRET_HEADER, secret)
                .json(&body)
                .send()
                .await;
            // Whatever the start answered (or if its instance died), the widget reads on.
            drop(started);
            let view = self.checkout(payment, secret).await?;
            match view.status {
                CheckoutStatus::AwaitingApp => return Ok(Some(view.vipps_url)),
                CheckoutStatus::AwaitingPhone => {}
                // Reconciliation settled a start its instance died in.
                _ => return Ok(None),
            }
            if tokio::time::Instant::now() > deadline {
                return Err(format!("{}: never reached Vipps", payment.id));
            }
            tokio::time::sleep(PAUSE).await;
        }
    }

    /// Vipps's record of the payment: the one at `landing`, or else the newest for `order`
    /// (Vipps's order id is the merchant's, with `rN` after it for a later attempt).
    async fn at_vipps(
        &self,
        phone: &str,
        order: &str,
        landing: Option<&str>,
    ) -> TestResult<String> {
        let url = format!("{}/sim/payments?phone={phone}", self.vipps);
        let list: Vec<Value> = parse(
            "vipps list",
            answered("vipps list", || self.http.get(&url)).await?,
            200,
        )?;
        let ours = |p: &&Value| match landing {
            Some(landing) => p["landing_url"] == landing,
            None => p["merchant_order_id"].as_str().is_some_and(|o| {
                o == order
                    || o.strip_prefix(order)
                        .is_some_and(|rest| rest.starts_with('r'))
            }),
        };
        list.iter()
            .rev()
            .find(ours)
            .and_then(|p| p["psp_transaction_id"].as_str())
            .map(str::to_owned)
            .ok_or_else(|| format!("Vipps has no payment for {order}"))
    }

    /// Waits until the payment has an outcome.
    async fn outcome(&self, payment: &str) -> TestResult<MerchantPayment> {
        let deadline = tokio::time::Instant::now() + PATIENCE;
        loop {
            let view = self.view(payment).await?;
            if !matches!(
                view.status,
                PaymentStatus::Created | PaymentStatus::AwaitingApp | PaymentStatus::Processing
            ) {
                return Ok(view);
            }
            if tokio::time::Instant::now() > deadline {
                return Err(format!("{payment}: still {:?}", view.status));
            }
            tokio::time::sleep(PAUSE).await;
        }
    }

    /// One whole story; `n` numbers it (order ids, keys) and `plan` is what follows the
    /// authorisation.
    pub async fn story(&self, n: u64, phone: &str, amount: u32, plan: Plan) -> TestResult<Story> {
        let order = format!("c{n:013}");
        let key = |what: &str| format!("{order}-{what}");
        let body = json!({"amount": amount, "currency": "NOK", "merchant_order_id": order, "description": "Chaos"});
        let created: MerchantPayment = self
            .guarded("/v1/payments", &key("create"), &body, 201)
            .await?;
        let secret = created.client_secret.clone().unwrap_or_default();
        let mut story = Story {
            payment: created.id.to_string(),
            psp_transaction_id: None,
            amount,
            authorised: false,
            captured: 0,
            refunded: 0,
            cancelled: false,
            operations: 0,
            error: None,
        };
        if let Err(error) = self
            .after_create(&created, &secret, phone, &order, plan, &mut story)
            .await
        {
            story.error = Some(error);
        }
        Ok(story)
    }

    async fn after_create(
        &self,
        created: &MerchantPayment,
        secret: &str,
        phone: &str,
        order: &str,
        plan: Plan,
        story: &mut Story,
    ) -> TestResult {
        let amount = story.amount;
        let key = |what: &str| format!("{order}-{what}");
        let Some(landing) = self.start(created, secret, phone).await? else {
            return Ok(());
        };
        let txn = self.at_vipps(phone, order, landing.as_deref()).await?;
        story.psp_transaction_id = Some(txn.clone());
        let approve = format!("{}/sim/payments/{txn}/approve", self.vipps);
        // 200 with the PSP's answer, 502 when Vipps got none; either way the outcome is read back.
        let _ = self
            .http
            .post(&approve)
            .json(&json!({"card": APPROVED_CARD}))
            .send()
            .await;
        let outcome = self.outcome(&story.payment).await?;
        if outcome.status != PaymentStatus::Authorised {
            return Ok(());
        }
        story.authorised = true;
        let path = |action: &str| format!("/v1/payments/{}/{action}", story.payment);
        match plan {
            Plan::CaptureAll | Plan::CaptureAllRefundAll => {
                self.guarded(&path("capture"), &key("capture"), &json!({}), 200)
                    .await?;
                story.captured = amount;
                story.operations += 1;
                if plan == Plan::CaptureAllRefundAll {
                    self.guarded(&path("refund"), &key("refund"), &json!({}), 200)
                        .await?;
                    story.refunded = amount;
                    story.operations += 1;
                }
            }
            Plan::CaptureHalfRefundSome => {
                let half = amount / 2;
                self.guarded(
                    &path("capture"),
                    &key("capture"),
                    &json!({"amount": half}),
                    200,
                )
                .await?;
                let some = half / 2;
                self.guarded(
                    &path("refund"),
                    &key("refund"),
                    &json!({"amount": some}),
                    200,
                )
                .await?;
                (story.captured, story.refunded, story.operations) = (half, some, 2);
            }
            Plan::Cancel => {
                self.guarded(&path("cancel"), &key("cancel"), &json!({}), 200)
                    .await?;
                story.cancelled = true;
                story.operations += 1;
            }
            Plan::Nothing => {}
        }
        Ok(())
    }
}
