//! `cargo xtask bench`: builds the widget in release mode and runs the `widget_bench`
//! binary (e2e crate), which measures the first render's weight and time to the phone
//! form in headless Chromium and writes `docs/benchmarks.md`. Measured, never asserted.

use std::process::Command;

use crate::Error;
use crate::process::{self, heading};
use crate::tools;
use crate::widget;
use crate::workspace::{Workspace, cargo};

pub fn run(ws: &Workspace) -> Result<(), Error> {
    tools::ensure_build_tools(ws)?;
    heading("Checking Chromium and chromedriver");
    let browser = tools::ensure_browser(ws)?;
    if ws.which("node")?.is_none() {
        return Err(Error::Other(
            "`node` was not found; the benchmark compresses with node's zlib (install Node.js)"
                .to_owned(),
        ));
    }
    widget::build(ws)?;
    heading("Measuring the widget (widget_bench, release)");
    let report = ws.root.join("docs").join("benchmarks.md");
    process::run(
        "the benchmark",
        Command::new(cargo())
            .args([
                "run",
                "--release",
                "-p",
                "e2e",
                "--bin",
                "widget_bench",
                "--",
            ])
            .arg("--out")
            .arg(&report)
            .current_dir(&ws.root)
            .env("PATH", ws.path_env()?)
            .env("WIDGET_DIR", ws.widget_dist())
            .env("CHROMEDRIVER", &browser.chromedriver)
            .env("CHROME", &browser.chrome),
    )
}
