//! Developer commands for the workspace: `cargo xtask demo`, `dev`, `test`, `bench`, `fuzz`.
//!
//! Plain `std`: it installs what the build needs (wasm target, trunk, wasm-bindgen,
//! wasm-opt, Chromium) and drives `cargo`, `trunk` and the demo processes.

mod bench;
mod chaos;
mod demo;
mod dev;
mod error;
mod fuzz;
mod postgres;
mod process;
mod schemathesis;
mod services;
mod test;
mod tools;
mod widget;
mod workspace;

use std::process::ExitCode;

pub use error::Error;
use workspace::Workspace;

const USAGE: &str = "\
Usage: cargo xtask <command>

Commands:
  demo    install the tools, build everything and run backend, simulator and demo shop
          (http://localhost:4002; Ctrl-C stops everything)
  dev     for widget and dashboard work: backend, simulator and demo shop (debug), and
          trunk serving the widget (:8080, embedded by the shop) and the dashboard
          (:8081/dashboard/), each rebuilt on change; Ctrl-C stops everything
  test    install the tools and run fmt, clippy (native and wasm), the widget build,
          the workspace tests, the database suites again on a throwaway PostgreSQL,
          a short chaos run (20 s), schemathesis against the API's OpenAPI document, a
          short fuzz pass (10 s per target) and the browser tests, stopping at the
          first failure
  test-postgres
          start a throwaway PostgreSQL cluster (installing PostgreSQL if missing), run
          the suites that must behave the same on both databases against it, remove it
  chaos [--seconds N] [--shoppers N] [--seed N]
          on a throwaway PostgreSQL, two backend processes behind a round-robin proxy
          take N seconds (default 60) of payments, captures, refunds and cancels while
          one of them is killed with SIGKILL at random and restarted; then checks that
          no payment is lost or stuck, nothing is charged twice, and the PSP, Vipps, the
          acquirer and the merchant's webhooks agree on every payment
  bench [widget|backend] [--seconds N] [--soak N]
          measure and write docs/benchmarks.md (both parts unless one is named).
          widget: its weight and its time to the phone form in headless Chromium.
          backend: the release backend on loopback with wrk (installed if missing):
          makePayment, the status poll, create, create + start, each beside its
          reference, on SQLite, PostgreSQL (throwaway, fsync on) and two instances,
          N seconds each (default 10), and memory through an N-second soak (default 60)
  schemathesis
          install schemathesis (PyPI, pinned) and run it against a backend on fresh
          sandbox data, from the OpenAPI document the backend serves
  fuzz [--seconds N] [--asan] [TARGET...]
          install cargo-fuzz, build the fuzz targets (fuzz/) and run each (or the ones
          named) for N seconds (default 60) on fuzz/corpus/<target>; fails with the path
          of a crashing input. --asan: AddressSanitizer (sets RUSTC_BOOTSTRAP=1)
  help    show this text";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (command, rest) = match args.split_first() {
        None => (None, &[][..]),
        Some((command, rest)) => (Some(command.as_str()), rest),
    };
    if let Some(command) =
        command.filter(|c| !matches!(*c, "fuzz" | "chaos" | "bench") && !rest.is_empty())
    {
        eprintln!("`{command}` takes no arguments\n\n{USAGE}");
        return ExitCode::from(2);
    }
    let result = match command {
        Some("fuzz") => match fuzz::Options::parse(rest) {
            Ok(options) => Workspace::locate().and_then(|ws| fuzz::run(&ws, &options)),
            Err(message) => {
                eprintln!("{message}\n\n{USAGE}");
                return ExitCode::from(2);
            }
        },
        Some("chaos") => match chaos::Options::parse(rest) {
            Ok(options) => Workspace::locate().and_then(|ws| chaos::run(&ws, &options)),
            Err(message) => {
                eprintln!("{message}\n\n{USAGE}");
                return ExitCode::from(2);
            }
        },
        Some("demo") => Workspace::locate().and_then(|ws| demo::run(&ws)),
        Some("dev") => Workspace::locate().and_then(|ws| dev::run(&ws)),
        Some("test") => Workspace::locate().and_then(|ws| test::run(&ws)),
        Some("test-postgres") => Workspace::locate().and_then(|ws| test::postgres_suites(&ws)),
        Some("schemathesis") => Workspace::locate().and_then(|ws| schemathesis::run(&ws)),
        Some("bench") => match bench::Options::parse(rest) {
            Ok(options) => Workspace::locate().and_then(|ws| bench::run(&ws, &options)),
            Err(message) => {
                eprintln!("{message}\n\n{USAGE}");
                return ExitCode::from(2);
            }
        },
        None | Some("help" | "-h" | "--help") => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Some(other) => {
            eprintln!("unknown command `{other}`\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("\nxtask: error: {e}");
            ExitCode::FAILURE
        }
    }
}
