//! The widget's browser-test harness: a `TestApp`, a headless Chromium and a merchant
//! page of our own that embeds `checkout.js` (reloadable, with `data-locale` and
//! `data-theme`, recording the widget's DOM events), plus the moves the tests share:
//! open the widget, type the number, press Pay, and answer for the shopper at Vipps
//! through the simulator's `/sim/` API.

use std::path::PathBuf;
use std::time::Duration;

use fantoccini::elements::Element;
use fantoccini::wd::WindowHandle;
use serde_json::{Value, json};
use shared::merchant::{MerchantPayment, PaymentStatus};

use super::pages::PageServer;
pub use super::shop_page::Embed;
use super::shop_page::{merchant_page, mount_page};
use super::{Browser, Device};
use crate::{Options, TestApp, TestResult, expect_json};

/// The shopper's number, as the simulator lists it and as the shopper types it.
pub const PHONE: &str = "91234567";
pub const PHONE_TYPED: &str = "912 34 567";
/// A test card the acquirer approves.
pub const APPROVED_CARD: &str = "4925000000000004";
/// A test card declined for insufficient funds.
pub const DECLINED_CARD: &str = "4000000000009995";

/// The built widget: `WIDGET_DIR`, else `frontend/dist`.
pub fn widget_dir() -> TestResult<PathBuf> {
    let dir = std::env::var("WIDGET_DIR").map_or_else(
        |_| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../frontend/dist"),
        PathBuf::from,
    );
    if dir.join("index.html").exists() {
        Ok(dir)
    } else {
        Err(format!(
            "no built widget in {} (run `cargo xtask test`)",
            dir.display()
        ))
    }
}

/// The built widget whose app does not start by itself: a copy of it without the
/// module script that runs the app, so a test can act in the page
/// before the app runs, then start it with [`WidgetTest::start_app`]. The script is kept
/// as a file (`HELD_APP`): the page's policy allows scripts from its origin, and inline
/// ones only by the hashes of those the page came with.
pub struct HeldWidget {
    pub dir: tempfile::TempDir,
    /// The module script trunk wrote: it imports the JS glue and runs the wasm.
    pub app_script: String,
}

impl HeldWidget {
    pub fn copy() -> TestResult<Self> {
        let built = widget_dir()?;
        let dir = tempfile::tempdir().map_err(err)?;
        for entry in std::fs::read_dir(&built).map_err(err)? {
            let path = entry.map_err(err)?.path();
            if let Some(name) = path.file_name().filter(|_| path.is_file()) {
                std::fs::copy(&path, dir.path().join(name)).map_err(err)?;
            }
        }
        let index = dir.path().join("index.html");
        let mut html = std::fs::read_to_string(&index).map_err(err)?;
        let app_script = cut(&mut html, "<script type=module>", "</script>")
            .or_else(|| cut(&mut html, "<script type=\"module\">", "</script>"))
            .ok_or("no module script in the built index.html")?;
        std::fs::write(&index, html).map_err(err)?;
        std::fs::write(dir.path().join(HELD_APP), &app_script).map_err(err)?;
        Ok(Self { dir, app_script })
    }
}

/// The held app's module script, beside the page.
const HELD_APP: &str = "held-app.js";

/// Removes the first `start…end` from `html`; returns what was between them.
fn cut(html: &mut String, start: &str, end: &str) -> Option<String> {
    let from = html.find(start)?;
    let inner = from + start.len();
    let to = inner + html.get(inner..)?.find(end)?;
    let between = html.get(inner..to)?.to_owned();
    html.replace_range(from..to + end.len(), "");
    Some(between)
}

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

/// Where the test's page server takes the browser's Content Security Policy reports.
const CSP_REPORTS: &str = "/csp-reports";

/// The inline script [`WidgetTest::no_csp_violations`] adds to cause a violation of its own.
const SENTINEL: &str = "'csp-sentinel'";

pub struct WidgetTest {
    pub app: TestApp,
    pub browser: Browser,
    /// Serves the merchant pages (its origin is the one that frames the widget).
    pub pages: PageServer,
    /// The merchant page's window (Pay may open Vipps in another).
    shop_window: WindowHandle,
    /// `http://<host>:<port>` of the merchant pages.
    shop_origin: String,
}

impl WidgetTest {
    /// A desktop browser and a backend with default settings.
    pub async fn start() -> TestResult<Self> {
        Self::start_with(Device::Desktop, Options::default()).await
    }

    pub async fn start_with(device: Device, options: Options) -> TestResult<Self> {
        Self::start_with_flags(device, options, &[]).await
    }

    /// With extra Chromium switches (see `Browser::start_with_flags`).
    pub async fn start_with_flags(
        device: Device,
        mut options: Options,
        flags: &[&str],
    ) -> TestResult<Self> {
        // The merchant page's origin exists before the backend, which must allow it to frame.
        let pages = PageServer::start().await?;
        // On a desktop the shop and the widget are different sites, as in production. The
        // phone emulation does not reach a frame of another site (it runs in a renderer of
        // its own), so there the shop is on `localhost` like the backend.
        let shop_origin = match device {
            Device::Desktop => pages.origin().to_owned(),
            Device::Phone => format!("http://localhost:{}", pages.port()),
        };
        options.allowed_origins.push(shop_origin.clone());
        // The test keeps the browser's CSP reports (`no_csp_violations`).
        if options.csp_report_uri.is_none() {
            options.csp_report_uri = Some(format!("{}{CSP_REPORTS}", pages.origin()));
        }
        if options.widget_dir.is_none() {
            options.widget_dir = Some(widget_dir()?);
        }
        let app = TestApp::spawn_with(options).await?;
        let browser = Browser::start_with_flags(device, flags).await?;
        let shop_window = browser.client.window().await.map_err(err)?;
        Ok(Self {
            app,
            browser,
            pages,
            shop_window,
            shop_origin,
        })
    }

    /// Creates a payment and opens a merchant page with the widget for it; the browser
    /// is left inside the widget's frame.
    pub async fn open(&self, embed: &Embed) -> TestResult<MerchantPayment> {
        let payment = self.app.create_payment(29_900).await?;
        self.show(&payment, embed).await?;
        Ok(payment)
    }

    /// Opens (or reopens) the merchant page for `payment`; leaves the browser in the widget.
    pub async fn show(&self, payment: &MerchantPayment, embed: &Embed) -> TestResult {
        let html = merchant_page(&self.app, payment, embed);
        let path = format!("/checkout/{}", payment.id);
        self.pages.add_html(&path, &html)?;
        let url = format!("{}{path}", self.shop_origin);
        self.browser.client.goto(&url).await.map_err(err)?;
        self.enter_widget().await
    }

    /// From anywhere in the page into the widget's frame.
    pub async fn enter_widget(&self) -> TestResult {
        self.to_page().await?;
        self.browser
            .wait_for("#vipps-checkout iframe")
            .await?
            .enter_frame()
            .await
            .map_err(err)
    }

    /// Out of the widget's frame, to the top of the current window (the merchant page,
    /// or whatever replaced it). Switching to the window itself works even when the frame
    /// we were in is gone, as after the page navigated away.
    pub async fn to_page(&self) -> TestResult {
        let c = &self.browser.client;
        let window = c.window().await.map_err(err)?;
        c.switch_to_window(window).await.map_err(err)
    }

    /// Runs the app of a [`HeldWidget`] in the widget's frame (the browser is there).
    pub async fn start_app(&self, _held: &HeldWidget) -> TestResult {
        let script = "const s = document.createElement('script');
            s.type = 'module'; s.src = arguments[0]; document.head.append(s);";
        self.browser
            .eval(script, vec![Value::from(HELD_APP)])
            .await
            .map(drop)
    }

    /// No page of the widget reported a Content Security Policy violation so far. Absence
    /// is not waited for: a deliberate violation (an inline script, the sentinel) is made in
    /// the widget's frame, and once its report has arrived it must be the only one. A
    /// document sends its reports in order, so an earlier violation comes first.
    pub async fn no_csp_violations(&self) -> TestResult {
        self.enter_widget().await?;
        let script = "const s = document.createElement('script');
            s.textContent = arguments[0]; document.body.append(s);";
        self.browser
            .eval(script, vec![Value::from(SENTINEL)])
            .await?;
        let reports = async {
            loop {
                let reports: Vec<String> = self
                    .pages
                    .posted(CSP_REPORTS)?
                    .iter()
                    .map(|body| String::from_utf8_lossy(body).into_owned())
                    .collect();
                if reports.iter().any(|report| report.contains("csp-sentinel")) {
                    return Ok::<_, String>(reports);
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        };
        let reports = tokio::time::timeout(super::WAIT, reports)
            .await
            .map_err(|_| "the sentinel's CSP report never arrived".to_owned())??;
        let others: Vec<&String> = reports
            .iter()
            .filter(|report| !report.contains("csp-sentinel"))
            .collect();
        match others.as_slice() {
            [] if reports.len() == 1 => Ok(()),
            [] => Err(format!(
                "the sentinel was reported more than once: {reports:?}"
            )),
            _ => Err(format!("CSP violations reported: {others:?}")),
        }
    }

    /// A computed style inside the widget's frame.
    pub async fn style_of(&self, css: &str, property: &str) -> TestResult<String> {
        let script = "return getComputedStyle(document.querySelector(arguments[0]))
            .getPropertyValue(arguments[1]).trim();";
        self.browser
            .eval_string(script, vec![Value::from(css), Value::from(property)])
            .await
    }

    /// Clears the phone field and types `text` into it.
    pub async fn type_phone(&self, text: &str) -> TestResult {
        self.act_on("#phone", |input| async move {
            input.clear().await?;
            input.send_keys(text).await
        })
        .await
    }

    /// Clicks the element `css` once it shows inside the frame.
    pub async fn press(&self, css: &str) -> TestResult {
        self.act_on(css, |element| async move { element.click().await })
            .await
    }

    /// The text of the element `css`, once there.
    pub async fn text_of(&self, css: &str) -> TestResult<String> {
        self.act_on(css, |element| async move { element.text().await })
            .await
    }

    /// Finds `css`, waits until the frame has grown to show it (the loader sizes the
    /// iframe to the widget's content as it changes), then does `act`; if the widget
    /// re-rendered the element meanwhile, finds it again.
    async fn act_on<T, F, Fut>(&self, css: &str, act: F) -> TestResult<T>
    where
        F: Fn(Element) -> Fut,
        Fut: std::future::Future<Output = Result<T, fantoccini::error::CmdError>>,
    {
        // `true` once shown; else where it is, for the error message.
        let shown = "const el = document.querySelector(arguments[0]);
            if (!el) return 'gone';
            const r = el.getBoundingClientRect();
            return (r.height > 0 && r.bottom <= window.innerHeight + 1)
              || `at ${r.top}..${r.bottom} in a frame ${window.innerHeight} high`;";
        let mut last = Value::Null;
        let attempt = async {
            loop {
                let element = self.browser.wait_for(css).await?;
                last = self
                    .browser
                    .client
                    .execute(shown, vec![Value::from(css)])
                    .await
                    .map_err(err)?;
                if last != Value::Bool(true) {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
                match act(element).await {
                    Ok(value) => return Ok::<_, String>(value),
                    Err(e) if e.to_string().contains("stale element") => {}
                    Err(e) => return Err(format!("{css}: {e}")),
                }
            }
        };
        let result = tokio::time::timeout(super::WAIT, attempt).await;
        result.map_err(|_| format!("{css} never showed inside the widget's frame: {last}"))?
    }

    /// Types the number, presses Pay, waits for the widget to wait for Vipps; returns
    /// the pspTransactionId of the payment now pending at Vipps.
    pub async fn pay(&self) -> TestResult<String> {
        self.type_phone(PHONE_TYPED).await?;
        self.press_pay().await?;
        self.browser.wait_for("#waiting").await?;
        self.pending_at_vipps().await
    }

    /// Presses Pay; on a desktop Vipps may open in a window of its own, and the shopper
    /// comes back to the shop's.
    pub async fn press_pay(&self) -> TestResult {
        self.press("#pay").await?;
        self.back_to_shop().await
    }

    /// Brings the merchant page's window to the front again (a page in the background
    /// is not rendered, so the frame would not resize) and enters the widget, if Vipps
    /// opened a window. Stays where it is otherwise (on a phone the page itself goes to
    /// Vipps).
    pub async fn back_to_shop(&self) -> TestResult {
        let c = &self.browser.client;
        if c.windows().await.map_err(err)?.len() < 2 {
            return Ok(());
        }
        c.switch_to_window(self.shop_window.clone())
            .await
            .map_err(err)?;
        self.enter_widget().await
    }

    /// Presses Try again after a failure and waits for the new attempt to wait at Vipps;
    /// returns its pspTransactionId.
    pub async fn try_again(&self) -> TestResult<String> {
        self.press("#retry").await?;
        self.back_to_shop().await?;
        // Try again may return to the form (number kept) or go straight to Vipps.
        let next = self.browser.wait_for("#pay, #waiting").await?;
        if next.attr("id").await.map_err(err)?.as_deref() == Some("pay") {
            self.press_pay().await?;
        }
        self.browser.wait_for("#waiting").await?;
        self.pending_at_vipps().await
    }

    /// The pspTransactionId of the one payment waiting for the shopper at Vipps.
    pub async fn pending_at_vipps(&self) -> TestResult<String> {
        let url = format!("{}/sim/payments?phone={PHONE}", self.app.simulator_url);
        let response = self.app.http.get(url).send().await.map_err(err)?;
        let list: Vec<Value> = expect_json(response, 200).await?;
        let pending: Vec<&Value> = list
            .iter()
            .filter(|p| p["state"] == "awaiting_user")
            .collect();
        match pending.as_slice() {
            [one] => one["psp_transaction_id"]
                .as_str()
                .map(str::to_owned)
                .ok_or_else(|| format!("no psp_transaction_id in {one}")),
            other => Err(format!(
                "expected one payment pending at Vipps, found {}: {list:?}",
                other.len()
            )),
        }
    }

    /// The shopper acts at Vipps (`approve`, `reject`, `cancel`, `timeout`); returns the
    /// PSP's makePayment answer.
    pub async fn at_vipps(&self, txn: &str, action: &str, body: Value) -> TestResult<Value> {
        expect_json(self.app.vipps_control(txn, action, body).await?, 200).await
    }

    pub async fn approve(&self, txn: &str, card: &str) -> TestResult<Value> {
        self.at_vipps(txn, "approve", json!({ "card": card })).await
    }

    /// Waits for the final screen with this `data-outcome`.
    pub async fn outcome(&self, outcome: &str) -> TestResult {
        self.browser
            .wait_for(&format!("#result[data-outcome='{outcome}']"))
            .await
            .map(drop)
    }

    /// The widget shows paid, and the merchant sees the payment authorised.
    pub async fn ends_paid(&self, payment: &MerchantPayment) -> TestResult {
        self.outcome("succeeded").await?;
        match self.merchant_view(payment).await?.status {
            PaymentStatus::Authorised => Ok(()),
            other => Err(format!(
                "the widget shows paid, the merchant sees {other:?}"
            )),
        }
    }

    /// A merchant page that mounts the widget from script (`VippsPsp.mount`) with
    /// `appearance`, for a new payment; leaves the browser in the widget.
    pub async fn mount(&self, appearance: &Value) -> TestResult<MerchantPayment> {
        let payment = self.app.create_payment(29_900).await?;
        let page = mount_page(&self.app.backend_url, &payment, appearance);
        let url = self.pages.add_html("/api-shop", &page)?;
        self.browser.client.goto(&url).await.map_err(err)?;
        self.enter_widget().await?;
        Ok(payment)
    }

    /// The merchant's view of the payment.
    pub async fn merchant_view(&self, payment: &MerchantPayment) -> TestResult<MerchantPayment> {
        self.app.merchant_view(payment).await
    }

    /// Polls the merchant API (up to 30 s) until the payment has `status`.
    pub async fn wait_for_status(
        &self,
        payment: &MerchantPayment,
        status: PaymentStatus,
    ) -> TestResult {
        let poll = async {
            while self.merchant_view(payment).await?.status != status {
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Ok::<_, String>(())
        };
        tokio::time::timeout(super::WAIT, poll)
            .await
            .map_err(|_| format!("the payment never became {status:?}"))?
    }

    /// The `vipps-psp:*` events the merchant page got so far: `[{name, detail}]`.
    pub async fn events(&self) -> TestResult<Vec<Value>> {
        self.to_page().await?;
        let events = self
            .browser
            .client
            .execute("return window.pspEvents || [];", vec![])
            .await
            .map_err(err);
        self.enter_widget().await?;
        match events? {
            Value::Array(events) => Ok(events),
            other => Err(format!("pspEvents is not a list: {other}")),
        }
    }

    /// Waits until the merchant page got `vipps-psp:<name>`; returns its `detail`.
    pub async fn event(&self, name: &str) -> TestResult<Value> {
        self.to_page().await?;
        let script = format!(
            "const e = (window.pspEvents || []).find(e => e.name === {});
             return e ? {{detail: e.detail}} : null;",
            json!(name)
        );
        let found = self
            .browser
            .wait_until(&format!("the event vipps-psp:{name}"), &script)
            .await;
        self.enter_widget().await?;
        Ok(found?["detail"].clone())
    }

    /// A picture of the widget's frame (see `Browser::screenshot_element`); the browser
    /// stays in the widget.
    pub async fn snapshot(&self, name: &str) -> TestResult {
        self.settle_height().await;
        self.to_page().await?;
        let frame = self.browser.wait_for("#vipps-checkout iframe").await?;
        let shot = self.browser.screenshot_element(&frame, name).await;
        self.enter_widget().await?;
        shot
    }

    /// Best effort, for pictures only: waits (up to 5 s) until the frame has been sized
    /// to the widget's content.
    async fn settle_height(&self) {
        let script = "const m = document.querySelector('#boot-form, main');
            return !!m && Math.abs(window.innerHeight - Math.ceil(m.offsetHeight)) <= 1;";
        let fits = async {
            while !matches!(
                self.browser.client.execute(script, vec![]).await,
                Ok(Value::Bool(true)) | Err(_)
            ) {
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        };
        _ = tokio::time::timeout(Duration::from_secs(5), fits).await;
    }
}
