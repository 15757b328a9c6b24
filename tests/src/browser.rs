//! A headless Chromium driven through chromedriver (WebDriver), one per test, and what
//! the widget's browser tests build on it (`widget`, `shop_page`, `pages`, `network`, `axe`).

pub mod axe;
pub mod network;
pub mod pages;
pub mod shop_page;
pub mod widget;

use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

use crate::TestResult;

/// How long any wait for the page lasts before the test fails.
pub const WAIT: Duration = Duration::from_secs(30);

pub struct Browser {
    pub client: Client,
    /// chromedriver's session URL, for the commands fantoccini does not have (CDP).
    session_url: String,
    driver_port: u16,
    session_id: String,
    http: reqwest::Client,
    _driver: Child,
    _profile: tempfile::TempDir,
}

/// What the browser pretends to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Device {
    /// A 1280×900 desktop window.
    Desktop,
    /// A 390×844 phone with an iPhone user agent (Chromium's mobile emulation).
    Phone,
}

const PHONE_USER_AGENT: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) \
     AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";

/// `CHROMEDRIVER` and `CHROME` name the binaries; Debian's paths by default.
fn binary(var: &str, default: &str) -> String {
    std::env::var(var)
        .ok()
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| default.to_owned())
}

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

impl Browser {
    pub async fn start() -> TestResult<Self> {
        Self::start_as(Device::Desktop).await
    }

    pub async fn start_as(device: Device) -> TestResult<Self> {
        Self::start_with_flags(device, &[]).await
    }

    /// With extra Chromium command-line switches (e.g. `--force-prefers-reduced-motion`,
    /// which, unlike CDP's media emulation, also reaches frames of other sites).
    pub async fn start_with_flags(device: Device, flags: &[&str]) -> TestResult<Self> {
        let (driver, port) = start_driver().await?;
        let profile = tempfile::tempdir().map_err(err)?;
        let args = [
            "--headless".to_owned(),
            "--no-sandbox".to_owned(),
            "--disable-gpu".to_owned(),
            "--disable-dev-shm-usage".to_owned(),
            "--disable-background-networking".to_owned(),
            "--disable-component-update".to_owned(),
            "--disable-sync".to_owned(),
            "--no-first-run".to_owned(),
            // Vipps's window opens in front of the shop's: keep the page behind it running
            // and painting as a shopper's browser does with a visible window.
            "--disable-background-timer-throttling".to_owned(),
            "--disable-backgrounding-occluded-windows".to_owned(),
            "--disable-renderer-backgrounding".to_owned(),
            "--window-size=1280,900".to_owned(),
            format!("--user-data-dir={}", profile.path().display()),
        ]
        .into_iter()
        .chain(flags.iter().map(|flag| (*flag).to_owned()))
        .collect::<Vec<_>>();
        let mut options = json!({"binary": binary("CHROME", "/usr/bin/chromium"), "args": args});
        if device == Device::Phone {
            options["mobileEmulation"] = json!({
                "deviceMetrics": {"width": 390, "height": 844, "pixelRatio": 2.0, "touch": true},
                "userAgent": PHONE_USER_AGENT,
            });
        }
        let capabilities = json!({"goog:chromeOptions": options});
        let Value::Object(capabilities) = capabilities else {
            return Err("capabilities must be an object".into());
        };
        let driver_url = format!("http://127.0.0.1:{port}");
        // chromedriver is on loopback: plain HTTP, no TLS stack needed.
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities)
            .connect(&driver_url)
            .await
            .map_err(|e| format!("chromedriver session: {e}"))?;
        let session = client
            .session_id()
            .await
            .map_err(err)?
            .ok_or("chromedriver gave no session id")?;
        Ok(Self {
            client,
            session_url: format!("{driver_url}/session/{session}"),
            driver_port: port,
            session_id: session,
            http: reqwest::Client::new(),
            _driver: driver,
            _profile: profile,
        })
    }

    /// Waits (up to 30 s) for an element matching `css`.
    pub async fn wait_for(&self, css: &str) -> TestResult<Element> {
        self.client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(css))
            .await
            .map_err(|e| format!("waiting for {css}: {e}"))
    }

    /// No element matches `css` in the current frame now.
    pub async fn is_absent(&self, css: &str) -> TestResult<bool> {
        let found = self.client.find_all(fantoccini::Locator::Css(css)).await;
        Ok(found.map_err(err)?.is_empty())
    }

    /// Runs `script` (a function body; `arguments[i]` are `args`) in the current frame.
    pub async fn eval(&self, script: &str, args: Vec<Value>) -> TestResult<Value> {
        self.client.execute(script, args).await.map_err(err)
    }

    /// As `eval`, for a script that returns a string.
    pub async fn eval_string(&self, script: &str, args: Vec<Value>) -> TestResult<String> {
        match self.eval(script, args).await? {
            Value::String(s) => Ok(s),
            other => Err(format!("expected a string from {script:?}, got {other}")),
        }
    }

    /// Waits (up to 30 s) until `script` (run in the current frame) returns something
    /// other than `null`/`false`, and returns that. `what` names the condition in errors.
    pub async fn wait_until(&self, what: &str, script: &str) -> TestResult<Value> {
        let poll = async {
            loop {
                let value = self.client.execute(script, vec![]).await.map_err(err)?;
                if !matches!(value, Value::Null | Value::Bool(false)) {
                    return Ok::<_, String>(value);
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        };
        tokio::time::timeout(WAIT, poll)
            .await
            .map_err(|_| format!("waited 30 s for {what}"))?
    }

    /// Switches to the window that is not one of `known`, waiting (up to 30 s) for it to open.
    pub async fn switch_to_new_window(&self, known: &[fantoccini::wd::WindowHandle]) -> TestResult {
        let poll = async {
            loop {
                let windows = self.client.windows().await.map_err(err)?;
                if let Some(window) = windows.into_iter().find(|w| !known.contains(w)) {
                    return Ok::<_, String>(window);
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        };
        let window = tokio::time::timeout(WAIT, poll)
            .await
            .map_err(|_| "no new window opened within 30 s".to_owned())??;
        self.client.switch_to_window(window).await.map_err(err)
    }

    /// Closes `window`, as a shopper closes a tab, and leaves no window current.
    ///
    /// The page is first sent to `about:blank`, so no navigation (the landing page's
    /// redirect back to the shop, say) is in flight while the tab closes. chromedriver
    /// answers "failed to close window in 20 seconds" when Chromium is slow to drop the
    /// tab (seen on a loaded two-core machine); the tab is then waited for (up to 30 s)
    /// to leave the list of windows, and only a tab still open after that fails the test.
    pub async fn close(&self, window: fantoccini::wd::WindowHandle) -> TestResult {
        self.client
            .switch_to_window(window.clone())
            .await
            .map_err(err)?;
        self.client.goto("about:blank").await.map_err(err)?;
        let Err(closing) = self.client.close_window().await else {
            return Ok(());
        };
        if !closing.to_string().contains("failed to close window") {
            return Err(format!("closing a window: {closing}"));
        }
        let gone = async {
            loop {
                let windows = self.client.windows().await.map_err(err)?;
                if !windows.contains(&window) {
                    return Ok::<_, String>(());
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        };
        tokio::time::timeout(WAIT, gone)
            .await
            .map_err(|_| format!("the window was still open 30 s after: {closing}"))?
    }

    /// Waits (up to 30 s) until the top-level page's URL starts with `prefix`, then
    /// works on that page (a frame we were in went away with the old page).
    pub async fn wait_for_url(&self, prefix: &str) -> TestResult<String> {
        let poll = async {
            loop {
                let url = self.client.current_url().await.map_err(err)?;
                if url.as_str().starts_with(prefix) {
                    return Ok::<_, String>(url.to_string());
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        };
        let url = tokio::time::timeout(WAIT, poll)
            .await
            .map_err(|_| format!("the page never went to {prefix}"))??;
        let window = self.client.window().await.map_err(err)?;
        self.client.switch_to_window(window).await.map_err(err)?;
        Ok(url)
    }

    /// Sends a Chrome DevTools Protocol command to the current page.
    pub async fn cdp(&self, cmd: &str, params: Value) -> TestResult<Value> {
        let response = self
            .http
            .post(format!("{}/goog/cdp/execute", self.session_url))
            .json(&json!({"cmd": cmd, "params": params}))
            .send()
            .await
            .map_err(err)?;
        let status = response.status();
        let body: Value = response.json().await.map_err(err)?;
        if !status.is_success() {
            return Err(format!("CDP {cmd}: HTTP {status}: {body}"));
        }
        Ok(body["value"].clone())
    }

    /// The whole page, scrolled or not (CDP's capture beyond the viewport), as
    /// [`Self::screenshot`] saves the window.
    pub async fn screenshot_page(&self, name: &str) -> TestResult {
        use base64::Engine;
        let metrics = self.cdp("Page.getLayoutMetrics", json!({})).await?;
        let size = &metrics["cssContentSize"];
        let clip = json!({
            "x": 0, "y": 0, "scale": 1,
            "width": size["width"].as_f64().unwrap_or(1280.0),
            "height": size["height"].as_f64().unwrap_or(900.0),
        });
        let shot = self
            .cdp(
                "Page.captureScreenshot",
                json!({"format": "png", "captureBeyondViewport": true, "clip": clip}),
            )
            .await?;
        let data = shot["data"].as_str().ok_or("CDP gave no picture")?;
        let png = base64::engine::general_purpose::STANDARD
            .decode(data)
            .map_err(err)?;
        save_png(&screenshot_dir(), name, &png)
    }

    /// The whole window, as [`Self::screenshot_element`] saves one element.
    pub async fn screenshot(&self, name: &str) -> TestResult {
        let png = self.client.screenshot().await.map_err(err)?;
        save_png(&screenshot_dir(), name, &png)
    }

    /// One element (e.g. the widget's iframe), into `docs/screenshots/<name>.png` when
    /// `UPDATE_SCREENSHOTS` is set, else `target/screenshots/<name>.png`.
    pub async fn screenshot_element(&self, element: &Element, name: &str) -> TestResult {
        let png = element.screenshot().await.map_err(err)?;
        save_png(&screenshot_dir(), name, &png)
    }
}

/// `docs/screenshots` when `UPDATE_SCREENSHOTS` is set, else `target/screenshots`.
fn screenshot_dir() -> std::path::PathBuf {
    match std::env::var_os("UPDATE_SCREENSHOTS") {
        Some(v) if !v.is_empty() => workspace_dir().join("docs/screenshots"),
        _ => target_dir(),
    }
}

/// Ends the WebDriver session, so that chromedriver closes Chromium before it is killed
/// itself (killing only chromedriver would leave the browser running). Synchronous: a
/// `Drop` cannot await, and this is one request on loopback.
impl Drop for Browser {
    fn drop(&mut self) {
        use std::io::{Read, Write};
        let Ok(mut stream) = std::net::TcpStream::connect(("127.0.0.1", self.driver_port)) else {
            return;
        };
        let limit = Some(Duration::from_secs(10));
        _ = stream.set_read_timeout(limit);
        _ = stream.set_write_timeout(limit);
        let request = format!(
            "DELETE /session/{} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\
             Connection: close\r\n\r\n",
            self.session_id
        );
        if stream.write_all(request.as_bytes()).is_ok() {
            // The answer comes once Chromium has quit.
            _ = stream.read_to_end(&mut Vec::new());
        }
    }
}

fn workspace_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn target_dir() -> PathBuf {
    workspace_dir().join("target/screenshots")
}

fn save_png(dir: &std::path::Path, name: &str, png: &[u8]) -> TestResult {
    std::fs::create_dir_all(dir).map_err(err)?;
    std::fs::write(dir.join(format!("{name}.png")), png).map_err(err)
}

/// Starts chromedriver on a port of its choosing. With `--port=0` it picks a free port,
/// then binds it for IPv6 and IPv4 one after the other, and another process can take the
/// IPv4 one in between ("IPv4 port not available", seen once in CI among hundreds of
/// starts): such a start is tried again, twice at most. Nothing under test is retried.
async fn start_driver() -> TestResult<(Child, u16)> {
    let driver_path = binary("CHROMEDRIVER", "/usr/bin/chromedriver");
    let mut last = String::new();
    for _ in 0..3 {
        let mut driver = Command::new(&driver_path)
            .arg("--port=0")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| format!("cannot start {driver_path} (run `cargo xtask test`): {e}"))?;
        match driver_port(&mut driver).await {
            Ok(port) => return Ok((driver, port)),
            Err(error) if error.contains("port not available") => last = error,
            Err(error) => return Err(error),
        }
    }
    Err(last)
}

/// Reads chromedriver's "started successfully on port N" line to learn its port, then
/// keeps draining its output so it never blocks on a full pipe.
async fn driver_port(driver: &mut Child) -> TestResult<u16> {
    let stdout = driver.stdout.take().ok_or("chromedriver has no stdout")?;
    let stderr = driver.stderr.take().ok_or("chromedriver has no stderr")?;
    let mut lines = BufReader::new(stdout).lines();
    let mut errors = BufReader::new(stderr).lines();
    let mut seen = Vec::new();
    while let Some(line) = lines.next_line().await.map_err(err)? {
        if let Some(rest) = line.split("started successfully on port ").nth(1) {
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
            tokio::spawn(async move { while let Ok(Some(_)) = errors.next_line().await {} });
            return digits
                .parse()
                .map_err(|e| format!("chromedriver port in {line:?}: {e}"));
        }
        seen.push(line);
    }
    while let Ok(Some(line)) = errors.next_line().await {
        seen.push(line);
    }
    let status = driver.wait().await.map_err(err)?;
    Err(format!(
        "chromedriver exited ({status}) before it was ready: {}",
        seen.join(" | ")
    ))
}
