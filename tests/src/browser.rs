//! A headless Chromium driven through chromedriver (WebDriver), one per test.

use std::process::Stdio;
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

use crate::TestResult;

pub struct Browser {
    pub client: Client,
    _driver: Child,
    _profile: tempfile::TempDir,
}

/// `CHROMEDRIVER` and `CHROME` name the binaries; Debian's paths by default.
fn binary(var: &str, default: &str) -> String {
    std::env::var(var)
        .ok()
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| default.to_owned())
}

impl Browser {
    pub async fn start() -> TestResult<Self> {
        let driver_path = binary("CHROMEDRIVER", "/usr/bin/chromedriver");
        let mut driver = Command::new(&driver_path)
            .arg("--port=0")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| format!("cannot start {driver_path} (run `cargo xtask test`): {e}"))?;
        let port = driver_port(&mut driver).await?;
        let profile = tempfile::tempdir().map_err(|e| e.to_string())?;
        let args = [
            "--headless".to_owned(),
            "--no-sandbox".to_owned(),
            "--disable-gpu".to_owned(),
            "--disable-dev-shm-usage".to_owned(),
            "--disable-background-networking".to_owned(),
            "--disable-component-update".to_owned(),
            "--disable-sync".to_owned(),
            "--no-first-run".to_owned(),
            "--window-size=1280,900".to_owned(),
            format!("--user-data-dir={}", profile.path().display()),
        ];
        let capabilities = json!({"goog:chromeOptions": {"binary": binary("CHROME", "/usr/bin/chromium"), "args": args}});
        let serde_json::Value::Object(capabilities) = capabilities else {
            return Err("capabilities must be an object".into());
        };
        // chromedriver is on loopback: plain HTTP, no TLS stack needed.
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .map_err(|e| format!("chromedriver session: {e}"))?;
        Ok(Self {
            client,
            _driver: driver,
            _profile: profile,
        })
    }

    /// Waits (up to 30 s) for an element matching `css`.
    pub async fn wait_for(&self, css: &str) -> TestResult<fantoccini::elements::Element> {
        self.client
            .wait()
            .at_most(Duration::from_secs(30))
            .for_element(Locator::Css(css))
            .await
            .map_err(|e| format!("waiting for {css}: {e}"))
    }

    /// Switches to the window that is not one of `known`, waiting (up to 30 s) for it to open.
    pub async fn switch_to_new_window(&self, known: &[fantoccini::wd::WindowHandle]) -> TestResult {
        let poll = async {
            loop {
                let windows = self.client.windows().await.map_err(|e| e.to_string())?;
                if let Some(window) = windows.into_iter().find(|w| !known.contains(w)) {
                    return Ok::<_, String>(window);
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        };
        let window = tokio::time::timeout(Duration::from_secs(30), poll)
            .await
            .map_err(|_| "no new window opened within 30 s".to_owned())??;
        self.client
            .switch_to_window(window)
            .await
            .map_err(|e| e.to_string())
    }

    pub async fn screenshot(&self, name: &str) -> TestResult {
        let png = self.client.screenshot().await.map_err(|e| e.to_string())?;
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/screenshots");
        std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        std::fs::write(dir.join(format!("{name}.png")), png).map_err(|e| e.to_string())
    }
}

/// Reads chromedriver's "started successfully on port N" line to learn its port, then
/// keeps draining its output so it never blocks on a full pipe.
async fn driver_port(driver: &mut Child) -> TestResult<u16> {
    let stdout = driver.stdout.take().ok_or("chromedriver has no stdout")?;
    let mut lines = BufReader::new(stdout).lines();
    while let Some(line) = lines.next_line().await.map_err(|e| e.to_string())? {
        if let Some(rest) = line.split("started successfully on port ").nth(1) {
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
            return digits
                .parse()
                .map_err(|e| format!("chromedriver port in {line:?}: {e}"));
        }
    }
    Err("chromedriver exited before it was ready".into())
}
