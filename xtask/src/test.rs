//! `cargo xtask test`: everything CI checks, in order, stopping at the first failure.

use std::process::Command;
use std::time::{Duration, Instant};

use crate::Error;
use crate::chaos;
use crate::fuzz;
use crate::postgres::Cluster;
use crate::process::{self, heading};
use crate::schemathesis;
use crate::tools::{self, Browser};
use crate::widget;
use crate::workspace::{Workspace, cargo};

pub fn run(ws: &Workspace) -> Result<(), Error> {
    let mut summary = Summary::default();
    let result = run_steps(ws, &mut summary);
    summary.print(result.is_ok());
    result
}

fn run_steps(ws: &Workspace, summary: &mut Summary) -> Result<(), Error> {
    let browser = summary.step("tools", || {
        tools::ensure_build_tools(ws)?;
        tools::ensure_axe_core(ws)?;
        tools::ensure_redoc(ws)?;
        heading("Checking Chromium and chromedriver");
        tools::ensure_browser(ws)
    })?;
    summary
        .cargo(ws, "fmt --all -- --check")
        .map_err(|e| hint(e, "run `cargo fmt --all` to fix the formatting"))?;
    summary.cargo(ws, "clippy --workspace --all-targets -- -D warnings")?;
    summary.cargo(
        ws,
        "clippy -p frontend -p dashboard --target wasm32-unknown-unknown -- -D warnings",
    )?;
    summary.step("widget and dashboard build", || widget::build(ws))?;
    summary.cargo(ws, "test --workspace")?;
    summary.step("cargo test on PostgreSQL", || postgres_suites(ws))?;
    summary.step("chaos (short run)", || chaos::run(ws, &short_chaos_run()))?;
    summary.step(
        "schemathesis (the API against its OpenAPI document)",
        || schemathesis::run(ws),
    )?;
    summary.step("fuzz (short pass)", || fuzz::run(ws, &short_fuzz_pass()))?;
    summary.step("browser tests", || browser_tests(ws, &browser))
}

/// The suites that run on both databases: `cargo test --workspace` ran them on SQLite;
/// here they run again with every test backend on a fresh database of a throwaway
/// PostgreSQL cluster (`PSP_TEST_POSTGRES`), which is stopped and removed afterwards.
pub const POSTGRES_SUITES: &[&str] = &[
    "api",
    "make_payment",
    "lifecycle",
    "idempotency",
    "initiating",
    "dead_instances",
    "webhooks",
    "merchants",
    "merchant_msn",
    "api_keys",
    "instances",
    "operations",
    "dashboard",
];

pub fn postgres_suites(ws: &Workspace) -> Result<(), Error> {
    let cluster = Cluster::start()?;
    let mut command = Command::new(cargo());
    command.args(["test", "-p", "e2e"]);
    for suite in POSTGRES_SUITES {
        command.args(["--test", suite]);
    }
    command
        .current_dir(&ws.root)
        .env("PSP_TEST_POSTGRES", cluster.server_url());
    process::run("cargo test on PostgreSQL", &mut command)
}

/// 20 s of load with kills: enough for about a hundred payments and ten kills on two
/// cores; `cargo xtask chaos` runs longer.
fn short_chaos_run() -> chaos::Options {
    chaos::Options {
        seconds: 20,
        shoppers: 6,
        seed: None,
    }
}

/// Every fuzz target for a few seconds: enough to catch a parser that panics on what
/// its seeds mutate into; `cargo xtask fuzz` runs longer.
fn short_fuzz_pass() -> fuzz::Options {
    fuzz::Options {
        seconds: 10,
        asan: false,
        targets: Vec::new(),
    }
}

/// The browser tests of the e2e crate, which a plain `cargo test` skips (`#[ignore]`: they
/// need the built widget and Chromium): `tests/browser.rs` (the shop → widget → Vipps
/// flows of the go-live checklist) and `tests/widget_*.rs` (every state of the widget,
/// axe-core on each, languages, themes, the phone flow, network trouble, reloads).
/// One at a time: each drives its own Chromium, and two cores are all CI has.
fn browser_tests(ws: &Workspace, browser: &Browser) -> Result<(), Error> {
    let args = "test -p e2e --tests -- --ignored --test-threads=1";
    let mut command = Command::new(cargo());
    command
        .args(args.split_whitespace())
        .current_dir(&ws.root)
        .env("WIDGET_DIR", ws.widget_dist())
        .env("DASHBOARD_DIR", ws.dashboard_dist())
        .env("CHROMEDRIVER", &browser.chromedriver)
        .env("CHROME", &browser.chrome)
        .env("AXE_CORE", tools::axe_core_script(ws))
        .env("API_DOCS_DIR", tools::api_docs_dir(ws));
    process::run(&format!("cargo {args}"), &mut command)
}

fn hint(error: Error, hint: &str) -> Error {
    Error::Other(format!("{error}; {hint}"))
}

/// What ran, how long it took and whether it passed.
#[derive(Default)]
struct Summary {
    steps: Vec<(String, Duration, bool)>,
}

impl Summary {
    fn step<T>(&mut self, name: &str, run: impl FnOnce() -> Result<T, Error>) -> Result<T, Error> {
        heading(&format!(
            "Step {}: {name}",
            self.steps.len().saturating_add(1)
        ));
        let started = Instant::now();
        let result = run();
        self.steps
            .push((name.to_owned(), started.elapsed(), result.is_ok()));
        result.map_err(|e| match e {
            Error::Failed { status, .. } => Error::Failed {
                step: format!("step `{name}`"),
                status,
            },
            other => Error::Other(format!("step `{name}` failed: {other}")),
        })
    }

    /// `cargo <args>` at the workspace root, as a step named after the command.
    fn cargo(&mut self, ws: &Workspace, args: &str) -> Result<(), Error> {
        let name = format!("cargo {args}");
        self.step(&name, || {
            let mut command = Command::new(cargo());
            command.args(args.split_whitespace()).current_dir(&ws.root);
            process::run(&name, &mut command)
        })
    }

    fn print(&self, passed: bool) {
        println!("\n==> Summary");
        for (name, took, ok) in &self.steps {
            let mark = if *ok { "ok  " } else { "FAIL" };
            println!("    {mark} {:>7.1}s  {name}", took.as_secs_f64());
        }
        let total: Duration = self.steps.iter().map(|(_, took, _)| *took).sum();
        if passed {
            println!(
                "    all {} steps passed in {:.0}s",
                self.steps.len(),
                total.as_secs_f64()
            );
        } else {
            println!("    stopped at the first failure (later steps did not run)");
        }
    }
}
