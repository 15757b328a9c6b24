//! The merchant dashboard in Chromium: sign in, find a payment by its order id, capture
//! part of it and refund part, see both in its timeline and in the merchant API; an amount
//! the ledger refuses is told in the form and changes nothing; a wrong password, a signed-out
//! and a forged session get the sign-in page; capturing all that is left and cancelling ask
//! first (the focus on No, Escape for No). axe-core finds nothing on any page, each
//! photographed (`docs/screenshots/dashboard-*.png` with `UPDATE_SCREENSHOTS=1`).
//!
//! Ignored in a plain `cargo test`: `cargo xtask test` builds the dashboard and runs them.

use std::path::PathBuf;

use e2e::browser::{Browser, axe};
use e2e::{Options, TestApp, TestResult, eventually};
use fantoccini::Locator;
use serde_json::{Value, json};

const EMAIL: &str = "kari@shop.example";
const PASSWORD: &str = "correct horse battery staple";

/// The built dashboard: `DASHBOARD_DIR`, else `dashboard/dist`.
fn dashboard_dir() -> TestResult<PathBuf> {
    let dir = std::env::var("DASHBOARD_DIR").map_or_else(
        |_| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../dashboard/dist"),
        PathBuf::from,
    );
    if dir.join("index.html").is_file() {
        Ok(dir)
    } else {
        Err(format!(
            "no built dashboard in {} (run `cargo xtask test`)",
            dir.display()
        ))
    }
}

struct DashboardTest {
    app: TestApp,
    browser: Browser,
}

impl DashboardTest {
    /// A backend serving the built dashboard, a user of its merchant, and Chromium in
    /// English (the language switch's remembered choice).
    async fn start() -> TestResult<Self> {
        let app = TestApp::spawn_with(Options {
            dashboard_dir: Some(dashboard_dir()?),
            ..Options::default()
        })
        .await?;
        app.dashboard_user(&app.merchant_key, EMAIL, PASSWORD)
            .await?;
        let browser = Browser::start().await?;
        let t = Self { app, browser };
        t.goto("/dashboard/sign-in").await?;
        t.browser
            .eval("localStorage.setItem('psp-dashboard-lang', 'en');", vec![])
            .await?;
        Ok(t)
    }

    async fn goto(&self, path: &str) -> TestResult {
        self.browser
            .client
            .goto(&format!("{}{path}", self.app.backend_url))
            .await
            .map_err(|e| e.to_string())
    }

    async fn fill(&self, css: &str, text: &str) -> TestResult {
        let field = self.browser.wait_for(css).await?;
        field.clear().await.map_err(|e| e.to_string())?;
        field.send_keys(text).await.map_err(|e| e.to_string())
    }

    async fn click(&self, css: &str) -> TestResult {
        let element = self.browser.wait_for(css).await?;
        element.click().await.map_err(|e| e.to_string())
    }

    async fn sign_in(&self, password: &str) -> TestResult {
        self.fill("#email", EMAIL).await?;
        self.fill("#password", password).await?;
        self.click("#sign-in").await
    }

    /// axe-core finds nothing on the page as it is now; a picture of it as `name`.
    async fn check(&self, name: &str) -> TestResult {
        axe::check(&self.browser, name).await?;
        self.browser.screenshot_page(name).await
    }

    /// Whether the browser holds a session cookie (WebDriver sees HttpOnly cookies).
    async fn has_session_cookie(&self) -> TestResult<bool> {
        let cookies = self
            .browser
            .client
            .get_all_cookies()
            .await
            .map_err(|e| e.to_string())?;
        Ok(cookies.iter().any(|c| c.name() == "psp_session"))
    }

    /// Waits until the text of `css` contains `text`.
    async fn wait_for_text(&self, css: &str, text: &str) -> TestResult {
        let script = format!(
            "const e = document.querySelector({}); return !!e && e.textContent.includes({});",
            json!(css),
            json!(text)
        );
        self.browser
            .wait_until(&format!("{css} to say {text:?}"), &script)
            .await
            .map(|_| ())
    }

    async fn amounts(&self, payment: &shared::merchant::MerchantPayment) -> TestResult<Value> {
        let read = self.app.merchant_view(payment).await?;
        serde_json::to_value(read.amounts).map_err(|e| e.to_string())
    }
}

#[tokio::test]
#[ignore = "needs chromedriver and the built dashboard: run `cargo xtask test`"]
async fn a_merchant_finds_a_payment_captures_part_refunds_part_and_sees_both() -> TestResult {
    let t = DashboardTest::start().await?;
    let (payment, _) = t.app.authorised(25_000, "91234569").await?;
    let _other = t.app.create_payment(1_000).await?;
    let order = payment.merchant_order_id.as_str();

    t.goto("/dashboard/").await?;
    t.browser.wait_for("#email").await?;
    t.check("dashboard-sign-in").await?;
    t.sign_in(PASSWORD).await?;
    t.browser.wait_for("table.payments tbody tr").await?;
    t.check("dashboard-payments").await?;

    // Found by its order id (any part of it, any case).
    t.fill("#q", &order[2..].to_uppercase()).await?;
    t.click("form.search button[type=submit]").await?;
    let one_row = format!(
        "const rows = document.querySelectorAll('table.payments tbody tr');
         return rows.length === 1 && rows[0].textContent.includes({});",
        json!(order)
    );
    t.browser
        .wait_until("only the payment found", &one_row)
        .await?;
    t.click("table.payments tbody tr a").await?;
    t.browser.wait_for("#capture-amount").await?;

    // More than is reserved: the API's words in the form, and nothing captured.
    t.fill("#capture-amount", "300").await?;
    t.click("form.operation:has(#capture-amount) button[type=submit]")
        .await?;
    t.browser
        .wait_until(
            "the refusal in the form",
            "const e = document.querySelector('#capture-amount-error');
             return !!e && e.textContent.trim().length > 0;",
        )
        .await?;
    assert_eq!(t.amounts(&payment).await?["captured"], 0);

    t.fill("#capture-amount", "100").await?;
    t.click("form.operation:has(#capture-amount) button[type=submit]")
        .await?;
    eventually("the capture", || async {
        Ok((t.amounts(&payment).await?["captured"] == 10_000).then_some(()))
    })
    .await?;
    t.fill("#refund-amount", "40,50").await?;
    t.click("form.operation:has(#refund-amount) button[type=submit]")
        .await?;
    eventually("the refund", || async {
        Ok((t.amounts(&payment).await?["refunded"] == 4_050).then_some(()))
    })
    .await?;
    let read = t.app.merchant_view(&payment).await?;
    assert_eq!(
        read.status,
        shared::merchant::PaymentStatus::PartiallyRefunded
    );
    t.wait_for_text("ol.timeline", "payment.captured").await?;
    t.wait_for_text("ol.timeline", "payment.refunded").await?;
    t.check("dashboard-payment").await?;

    t.click("nav a[href='/dashboard/developers']").await?;
    t.browser.wait_for("#key-name").await?;
    t.check("dashboard-developers").await?;
    Ok(())
}

#[tokio::test]
#[ignore = "needs chromedriver and the built dashboard: run `cargo xtask test`"]
async fn a_wrong_password_a_signed_out_and_a_forged_session_get_the_sign_in_page() -> TestResult {
    let t = DashboardTest::start().await?;
    // A page of the dashboard without a session: the sign-in page.
    t.goto("/dashboard/payments").await?;
    t.browser.wait_for("#email").await?;
    t.sign_in("not the password at all").await?;
    t.wait_for_text("form p.status", "Wrong email or password")
        .await?;
    assert!(!t.has_session_cookie().await?);
    t.check("dashboard-sign-in-refused").await?;

    t.sign_in(PASSWORD).await?;
    t.browser.wait_for("#sign-out").await?;
    assert!(t.has_session_cookie().await?);
    t.click("#sign-out").await?;
    t.browser.wait_for("#email").await?;
    assert!(!t.has_session_cookie().await?, "the cookie is cleared");
    t.goto("/dashboard/payments").await?;
    t.browser.wait_for("#email").await?;

    // A cookie the backend never gave.
    t.browser
        .eval(
            "document.cookie = 'psp_session=' + 'ab'.repeat(32) + '; path=/; samesite=strict';",
            vec![],
        )
        .await?;
    assert!(t.has_session_cookie().await?, "the forged cookie is set");
    t.goto("/dashboard/developers").await?;
    t.browser.wait_for("#email").await?;
    let found = t
        .browser
        .client
        .find_all(Locator::Css("#key-name"))
        .await
        .map_err(|e| e.to_string())?;
    assert!(found.is_empty(), "nothing of the merchant's is shown");
    Ok(())
}

#[tokio::test]
#[ignore = "needs chromedriver and the built dashboard: run `cargo xtask test`"]
async fn capturing_all_that_is_left_and_cancelling_ask_first_and_no_changes_nothing() -> TestResult
{
    let t = DashboardTest::start().await?;
    let (to_capture, _) = t.app.authorised(20_000, "91234570").await?;
    let (to_cancel, _) = t.app.authorised(5_000, "91234571").await?;
    t.sign_in(PASSWORD).await?;
    t.browser.wait_for("#sign-out").await?;

    // An empty amount is all that is left: asked first, the focus on No, Escape for No.
    t.goto(&format!("/dashboard/payments/{}", to_capture.id))
        .await?;
    t.browser.wait_for("#capture-amount").await?;
    t.click("form.operation:has(#capture-amount) button[type=submit]")
        .await?;
    t.wait_for_text("#capture-amount-question", "200").await?;
    let focused_on_no = t
        .browser
        .eval(
            "const e = document.activeElement;
             return !!e.closest('.confirmation') && !e.classList.contains('danger');",
            vec![],
        )
        .await?;
    assert_eq!(
        focused_on_no,
        Value::Bool(true),
        "the safe answer has the focus"
    );
    t.check("dashboard-confirm").await?;
    let no = t.browser.wait_for(".confirmation button.secondary").await?;
    no.send_keys(&fantoccini::key::Key::Escape.to_string())
        .await
        .map_err(|e| e.to_string())?;
    t.browser
        .wait_until(
            "the question to go",
            "return !document.querySelector('#capture-amount-question');",
        )
        .await?;
    assert_eq!(t.amounts(&to_capture).await?["captured"], 0, "Escape is No");
    t.click("form.operation:has(#capture-amount) button[type=submit]")
        .await?;
    t.click(".confirmation button.danger").await?;
    eventually("the capture of all", || async {
        Ok((t.amounts(&to_capture).await?["captured"] == 20_000).then_some(()))
    })
    .await?;

    // A cancel always asks; No leaves the payment as it was.
    t.goto(&format!("/dashboard/payments/{}", to_cancel.id))
        .await?;
    t.browser.wait_for("#capture-amount").await?;
    t.click("form.operation:not(:has(input)) button[type=submit]")
        .await?;
    t.wait_for_text("#cancel-amount-question", "50").await?;
    t.click(".confirmation button.secondary").await?;
    assert_eq!(
        t.app.merchant_view(&to_cancel).await?.status,
        shared::merchant::PaymentStatus::Authorised
    );
    t.click("form.operation:not(:has(input)) button[type=submit]")
        .await?;
    t.click(".confirmation button.danger").await?;
    eventually("the cancel", || async {
        let status = t.app.merchant_view(&to_cancel).await?.status;
        Ok((status == shared::merchant::PaymentStatus::Cancelled).then_some(()))
    })
    .await?;
    Ok(())
}
