//! `cargo xtask bench [widget|backend] [--seconds N] [--soak N]`: measures, never asserts,
//! and writes `docs/benchmarks.md`, each part its own section.
//! - widget: builds the widget in release mode and runs `widget_bench` (e2e crate): the
//!   first render's weight and the time to the phone form in headless Chromium.
//! - backend: builds the backend and `backend_bench` in release mode, installs `wrk` if
//!   missing, starts a throwaway PostgreSQL with `fsync` on, pinned to the server's core,
//!   and runs `backend_bench` on the load's core (see its docs for what it measures).

use std::process::Command;

use crate::Error;
use crate::postgres::{Cluster, Settings};
use crate::process::{self, heading};
use crate::tools;
use crate::widget;
use crate::workspace::{Workspace, cargo};

#[derive(Debug, PartialEq, Eq)]
pub struct Options {
    pub widget: bool,
    pub backend: bool,
    /// Seconds per backend measurement, and of the backend's soak.
    pub seconds: Option<u64>,
    pub soak: Option<u64>,
}

impl Options {
    pub fn parse(args: &[String]) -> Result<Self, String> {
        let mut options = Self {
            widget: true,
            backend: true,
            seconds: None,
            soak: None,
        };
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "widget" => options.backend = false,
                "backend" => options.widget = false,
                "--seconds" | "--soak" => {
                    let value = args
                        .next()
                        .and_then(|n| n.parse::<u64>().ok())
                        .filter(|n| *n > 0)
                        .ok_or(format!("{arg} takes a whole number above 0"))?;
                    if arg == "--seconds" {
                        options.seconds = Some(value);
                    } else {
                        options.soak = Some(value);
                    }
                }
                other => return Err(format!("unknown option `{other}`")),
            }
        }
        if !options.widget && !options.backend {
            return Err("name `widget` or `backend`, or neither for both".to_owned());
        }
        Ok(options)
    }
}

pub fn run(ws: &Workspace, options: &Options) -> Result<(), Error> {
    if options.widget {
        widget_bench(ws)?;
    }
    if options.backend {
        backend_bench(ws, options)?;
    }
    Ok(())
}

fn widget_bench(ws: &Workspace) -> Result<(), Error> {
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

/// The server's core and the load's (`taskset -c`), on a machine with two or more.
const SERVER_CPU: &str = "0";
const LOAD_CPU: &str = "1";

fn backend_bench(ws: &Workspace, options: &Options) -> Result<(), Error> {
    let wrk = match ws.which("wrk")? {
        Some(path) => path,
        None => {
            heading("Installing wrk (apt-get)");
            tools::apt_install(&["wrk"])?;
            ws.which("wrk")?.ok_or_else(|| {
                Error::Other("apt-get finished, but `wrk` is not on PATH".to_owned())
            })?
        }
    };
    heading("Building the backend and backend_bench (release)");
    process::run(
        "cargo build",
        Command::new(cargo())
            .args([
                "build",
                "--release",
                "-p",
                "backend",
                "--bin",
                "backend",
                "-p",
                "e2e",
                "--bin",
                "backend_bench",
            ])
            .current_dir(&ws.root),
    )?;
    let two_cores = std::thread::available_parallelism().map_or(1, usize::from) >= 2;
    let cluster = Cluster::start_with(&Settings {
        durable: true,
        cpus: two_cores.then(|| SERVER_CPU.to_owned()),
    })?;
    let release = ws.root.join("target").join("release");
    let mut command = if two_cores {
        let mut pinned = Command::new("taskset");
        pinned
            .args(["-c", LOAD_CPU])
            .arg(release.join("backend_bench"));
        pinned
    } else {
        Command::new(release.join("backend_bench"))
    };
    command
        .arg("--out")
        .arg(ws.root.join("docs").join("benchmarks.md"))
        .current_dir(&ws.root)
        .env("PSP_BACKEND_BIN", release.join("backend"))
        .env("PSP_TEST_POSTGRES", cluster.server_url())
        .env("WRK", &wrk);
    if let Some(seconds) = options.seconds {
        command.args(["--seconds", &seconds.to_string()]);
    }
    if let Some(soak) = options.soak {
        command.args(["--soak", &soak.to_string()]);
    }
    heading("Measuring the backend (backend_bench, release)");
    process::run("the benchmark", &mut command)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(text: &str) -> Vec<String> {
        text.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn both_parts_unless_one_is_named_and_numbers_above_zero() {
        let both = Options::parse(&[]).map(|o| (o.widget, o.backend));
        assert_eq!(both, Ok((true, true)));
        assert_eq!(
            Options::parse(&args("backend --seconds 5 --soak 30")),
            Ok(Options {
                widget: false,
                backend: true,
                seconds: Some(5),
                soak: Some(30)
            })
        );
        let widget = Options::parse(&args("widget")).map(|o| (o.widget, o.backend));
        assert_eq!(widget, Ok((true, false)));
        assert!(Options::parse(&args("widget backend")).is_err());
        assert!(Options::parse(&args("backend --seconds 0")).is_err());
        assert!(Options::parse(&args("backend --soak")).is_err());
        assert!(Options::parse(&args("--fast")).is_err());
    }
}
