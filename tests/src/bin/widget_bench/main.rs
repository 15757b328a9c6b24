//! `cargo xtask bench` runs this after building the widget in release mode: it measures
//! what the shopper downloads for the first render and how long the phone form takes to
//! appear in headless Chromium (against a plain-HTML floor), and writes the report.
//! Measured, never asserted.
//!
//! `widget_bench [--runs N] [--out PATH]`; `WIDGET_DIR`, `CHROME` and `CHROMEDRIVER` as
//! for the browser tests; `node` on PATH (for gzip and brotli).

mod report;
mod speed;
mod weight;

use std::path::PathBuf;
use std::process::ExitCode;

use e2e::bench::Machine;
use e2e::browser::Browser;
use e2e::browser::pages::PageServer;
use e2e::browser::widget::widget_dir;
use e2e::{Options, TestApp, TestResult};
use report::Timing;

/// Rounds run and thrown away first (connections, the first compile).
const WARMUP: usize = 2;

struct Args {
    runs: usize,
    out: PathBuf,
}

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("widget_bench: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> TestResult {
    let args = parse_args()?;
    // Merchant pages and the floor's own origin; all on `localhost`, one site with the backend.
    let pages = PageServer::start().await?;
    let floor = PageServer::start().await?;
    let page_origin = format!("http://localhost:{}", pages.port());
    let app = TestApp::spawn_with(Options {
        widget_dir: Some(widget_dir()?),
        allowed_origins: vec![page_origin.clone()],
        ..Options::default()
    })
    .await?;
    let browser = Browser::start().await?;
    speed::prepare(&browser).await?;
    speed::use_cache(&browser, false).await?;

    println!("discovering the first render's files…");
    let first = widget_page(&app, &pages, &page_origin).await?;
    speed::time_to_phone(&browser, &first).await?;
    let markup = speed::markup(&browser).await?;
    let urls = weight::discover(&browser, &app.backend_url).await?;
    let files = weight::measure(&app.http, &urls).await?;

    floor.add_html("/floor/", &markup)?;
    for file in files.iter().filter(|f| is_asset(&f.path)) {
        floor.add(&file.path, content_type(&file.path), file.body.clone())?;
    }
    let floor_frame = format!("http://localhost:{}/floor/", floor.port());
    pages.add_html("/floor-page", &speed::floor_page(&floor_frame))?;
    let floor_url = format!("{page_origin}/floor-page");

    let mut timings = [
        Timing {
            name: "widget: phone form painted (in the served page), cold cache",
            samples: Vec::new(),
        },
        Timing {
            name: "widget: the app's form (JS and wasm running, payment loaded), cold cache",
            samples: Vec::new(),
        },
        Timing {
            name: "floor (static HTML, same markup and CSS), cold cache",
            samples: Vec::new(),
        },
        Timing {
            name: "widget: phone form painted, warm cache",
            samples: Vec::new(),
        },
        Timing {
            name: "widget: the app's form, warm cache",
            samples: Vec::new(),
        },
        Timing {
            name: "floor, warm cache",
            samples: Vec::new(),
        },
    ];
    for round in 0..WARMUP.saturating_add(args.runs) {
        println!(
            "round {}/{}",
            round.saturating_add(1),
            WARMUP.saturating_add(args.runs)
        );
        for (cache, first_row) in [(false, 0), (true, 3)] {
            speed::use_cache(&browser, cache).await?;
            let widget =
                speed::time_to_phone(&browser, &widget_page(&app, &pages, &page_origin).await?)
                    .await?;
            let floor = speed::time_to_phone(&browser, &floor_url).await?;
            if round < WARMUP {
                continue;
            }
            for (offset, ms) in [widget.form, widget.app, floor.form]
                .into_iter()
                .enumerate()
            {
                if let Some(timing) = timings.get_mut(first_row + offset) {
                    timing.samples.push(ms);
                }
            }
        }
    }

    let markdown = report::render(&Machine::here(), &chromium(&browser), &files, &timings);
    e2e::bench::write_section(&args.out, "widget", &markdown)?;
    println!("\n{markdown}\nwritten to {}", args.out.display());
    Ok(())
}

/// A new payment and a merchant page for it; returns the page's `localhost` URL.
async fn widget_page(app: &TestApp, pages: &PageServer, origin: &str) -> TestResult<String> {
    let payment = app.create_payment(29_900).await?;
    let secret = payment.client_secret.as_deref().unwrap_or_default();
    let path = format!("/checkout/{}", payment.id);
    pages.add_html(
        &path,
        &speed::widget_page(&app.backend_url, &payment.id.to_string(), secret),
    )?;
    Ok(format!("{origin}{path}"))
}

fn parse_args() -> TestResult<Args> {
    let mut args = Args {
        runs: 20,
        out: PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../docs/benchmarks.md"),
    };
    let mut given = std::env::args().skip(1);
    while let Some(flag) = given.next() {
        let value = given
            .next()
            .ok_or_else(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--runs" => args.runs = value.parse().map_err(|e| format!("--runs: {e}"))?,
            "--out" => args.out = PathBuf::from(value),
            other => {
                return Err(format!(
                    "unknown argument {other}; use --runs N, --out PATH"
                ));
            }
        }
    }
    Ok(args)
}

/// Files the floor needs too: not documents, not code.
fn is_asset(path: &str) -> bool {
    ![".js", ".wasm", ".html", "/"]
        .iter()
        .any(|end| path.ends_with(end))
}

fn content_type(path: &str) -> &'static str {
    let types = [
        (".css", "text/css"),
        (".svg", "image/svg+xml"),
        (".png", "image/png"),
        (".woff2", "font/woff2"),
    ];
    types
        .iter()
        .find(|(end, _)| path.ends_with(end))
        .map_or("application/octet-stream", |(_, t)| t)
}

fn chromium(browser: &Browser) -> String {
    browser
        .client
        .capabilities()
        .and_then(|c| c.get("browserVersion"))
        .and_then(|v| v.as_str())
        .unwrap_or("unknown")
        .to_owned()
}
