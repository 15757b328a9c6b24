//! `cargo xtask chaos [--seconds N] [--shoppers N] [--seed N]`: builds the backend and the
//! `chaos` driver (e2e crate), starts a throwaway PostgreSQL cluster and runs it: two
//! backend processes behind a round-robin proxy, paid, captured, refunded and cancelled
//! through, one killed with SIGKILL at random moments and restarted; then every payment is
//! checked against the PSP, Vipps (the simulator), the acquirer's ledger and the merchant's
//! webhook receiver. `cargo xtask test` runs a short one.

use std::process::Command;

use crate::Error;
use crate::postgres::Cluster;
use crate::process::{self, heading};
use crate::workspace::{Workspace, cargo};

/// Seconds of load when `--seconds` is not given.
pub const DEFAULT_SECONDS: u64 = 60;

#[derive(Debug, PartialEq, Eq)]
pub struct Options {
    pub seconds: u64,
    pub shoppers: u64,
    pub seed: Option<u64>,
}

impl Options {
    pub fn parse(args: &[String]) -> Result<Self, String> {
        let mut options = Self {
            seconds: DEFAULT_SECONDS,
            shoppers: 8,
            seed: None,
        };
        let mut args = args.iter();
        while let Some(flag) = args.next() {
            let value = args
                .next()
                .and_then(|n| n.parse::<u64>().ok())
                .ok_or(format!("{flag} takes a whole number"))?;
            match flag.as_str() {
                "--seconds" if value > 0 => options.seconds = value,
                "--shoppers" if value > 0 => options.shoppers = value,
                "--seed" => options.seed = Some(value),
                "--seconds" | "--shoppers" => return Err(format!("{flag} must be above 0")),
                other => return Err(format!("unknown option `{other}`")),
            }
        }
        Ok(options)
    }
}

pub fn run(ws: &Workspace, options: &Options) -> Result<(), Error> {
    heading("Building the backend and the chaos driver");
    process::run(
        "cargo build",
        Command::new(cargo())
            .args([
                "build", "-p", "backend", "--bin", "backend", "-p", "e2e", "--bin", "chaos",
            ])
            .current_dir(&ws.root),
    )?;
    let cluster = Cluster::start()?;
    let debug = ws.root.join("target").join("debug");
    let mut command = Command::new(debug.join("chaos"));
    command
        .args(["--seconds", &options.seconds.to_string()])
        .args(["--shoppers", &options.shoppers.to_string()])
        .current_dir(&ws.root)
        .env("PSP_TEST_POSTGRES", cluster.server_url())
        .env("PSP_BACKEND_BIN", debug.join("backend"));
    if let Some(seed) = options.seed {
        command.args(["--seed", &seed.to_string()]);
    }
    heading(&format!(
        "Chaos: {} s, two instances, one killed at random",
        options.seconds
    ));
    process::run("chaos", &mut command)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(text: &str) -> Vec<String> {
        text.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn options_are_whole_numbers_and_nothing_else() {
        assert_eq!(
            Options::parse(&args("--seconds 20 --seed 7")),
            Ok(Options {
                seconds: 20,
                shoppers: 8,
                seed: Some(7)
            })
        );
        assert!(Options::parse(&args("--seconds")).is_err());
        assert!(Options::parse(&args("--seconds 0")).is_err());
        assert!(Options::parse(&args("--shoppers many")).is_err());
        assert!(Options::parse(&args("--kill 3")).is_err());
    }
}
