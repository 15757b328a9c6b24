//! Developer commands for the workspace: `cargo xtask demo`, `test`, `bench`.
//!
//! Plain `std`: it installs what the build needs (wasm target, trunk, wasm-bindgen,
//! wasm-opt, Chromium) and drives `cargo`, `trunk` and the demo processes.

mod bench;
mod demo;
mod error;
mod process;
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
  test    install the tools and run fmt, clippy (native and wasm), the widget build,
          the workspace tests and the browser tests, stopping at the first failure
  bench   build the widget in release mode, measure its weight and its time to the phone
          form in headless Chromium, and write docs/benchmarks.md
  help    show this text";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let command = match args.as_slice() {
        [] => None,
        [command] => Some(command.as_str()),
        [command, ..] => {
            eprintln!("`{command}` takes no arguments\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let result = match command {
        Some("demo") => Workspace::locate().and_then(|ws| demo::run(&ws)),
        Some("test") => Workspace::locate().and_then(|ws| test::run(&ws)),
        Some("bench") => Workspace::locate().and_then(|ws| bench::run(&ws)),
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
