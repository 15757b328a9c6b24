//! `cargo xtask bench backend` runs this: the backend as it is deployed (release build, its
//! own processes) measured on loopback, every figure beside its reference from the same
//! run, written into `docs/benchmarks.md`:
//! - makePayment for fresh payments beside raw RSA-2048 OAEP-SHA256 decryption;
//! - the widget's status poll, with 10 000 payments waiting, beside `/health`, a bare axum
//!   handler in the same process;
//! - a merchant's create, and create + widget start (init at the simulator);
//! - for SQLite with one instance, PostgreSQL with one and PostgreSQL with two;
//! - the backend's memory before and after a soak.
//!
//! The server side (backend instances and PostgreSQL) runs on core 0 and the load (wrk,
//! the open-loop sender, the simulator) on core 1, when there are two cores.
//!
//! `backend_bench [--seconds N] [--soak N] [--out PATH]`; `PSP_BACKEND_BIN` (the release
//! backend), `PSP_TEST_POSTGRES` (a server URL; without it PostgreSQL is left out) and `WRK`
//! from the environment. `backend_bench --decrypt N` prints raw decryptions per second
//! (run pinned to the server's core by the benchmark itself).

mod deployment;
mod measure;
mod open_loop;
mod report;
mod rsa;
mod wrk;

use std::path::PathBuf;
use std::process::{Command, ExitCode};

use e2e::TestResult;

use deployment::Setup;

/// The server's core and the load's, as `taskset -c` lists.
const SERVER_CPU: &str = "0";
const LOAD_CPU: &str = "1";

pub struct Args {
    pub seconds: u64,
    pub soak: u64,
    pub out: PathBuf,
    pub backend: PathBuf,
    pub wrk: String,
    pub postgres: Option<String>,
    /// The cores to pin to, if the machine has two.
    pub pinned: bool,
}

fn main() -> ExitCode {
    let mut given = std::env::args().skip(1);
    if given.next().as_deref() == Some("--decrypt") {
        let seconds = given.next().and_then(|s| s.parse().ok()).unwrap_or(3);
        return match rsa::decryptions_per_second(seconds) {
            Ok(rate) => {
                println!("{rate}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("backend_bench: {e}");
                ExitCode::FAILURE
            }
        };
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build();
    let result = match runtime {
        Ok(runtime) => runtime.block_on(run()),
        Err(e) => Err(e.to_string()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("backend_bench: {e}");
            ExitCode::FAILURE
        }
    }
}

fn parse_args() -> TestResult<Args> {
    let mut args = Args {
        seconds: 10,
        soak: 60,
        out: PathBuf::from("docs/benchmarks.md"),
        backend: std::env::var_os("PSP_BACKEND_BIN")
            .map(PathBuf::from)
            .ok_or("PSP_BACKEND_BIN must name the release backend (cargo xtask bench sets it)")?,
        wrk: std::env::var("WRK").unwrap_or_else(|_| "wrk".to_owned()),
        postgres: std::env::var(e2e::database::POSTGRES_VAR).ok(),
        pinned: e2e::bench::cpus_online() >= 2,
    };
    let mut given = std::env::args().skip(1);
    while let Some(flag) = given.next() {
        let value = given.next().ok_or(format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--seconds" | "--soak" => {
                let n: u64 = value.parse().map_err(|e| format!("{flag} {value}: {e}"))?;
                if n == 0 {
                    return Err(format!("{flag} must be above 0"));
                }
                if flag == "--seconds" {
                    args.seconds = n;
                } else {
                    args.soak = n;
                }
            }
            "--out" => args.out = PathBuf::from(value),
            other => {
                return Err(format!(
                    "unknown flag {other}; use --seconds N, --soak N, --out PATH"
                ));
            }
        }
    }
    Ok(args)
}

/// Raw decryptions per second on the server's core, measured in a process of its own.
fn raw_decryption(args: &Args) -> TestResult<f64> {
    let me = std::env::current_exe().map_err(|e| e.to_string())?;
    let mut command = if args.pinned {
        let mut c = Command::new("taskset");
        c.args(["-c", SERVER_CPU]).arg(me);
        c
    } else {
        Command::new(me)
    };
    let output = command
        .args(["--decrypt", "3"])
        .output()
        .map_err(|e| e.to_string())?;
    let text = String::from_utf8_lossy(&output.stdout);
    text.trim()
        .parse()
        .map_err(|e| format!("the decryption run printed {text:?}: {e}"))
}

async fn run() -> TestResult {
    let args = parse_args()?;
    let machine = e2e::bench::Machine::here();
    println!("backend_bench: raw RSA-2048 OAEP-SHA256 decryption (3 s)");
    let decrypt = raw_decryption(&args)?;
    println!("  {decrypt:.0}/s");
    let mut setups = vec![Setup {
        postgres: false,
        instances: 1,
    }];
    if args.postgres.is_some() {
        setups.push(Setup {
            postgres: true,
            instances: 1,
        });
        setups.push(Setup {
            postgres: true,
            instances: 2,
        });
    }
    let mut results = Vec::new();
    for setup in setups {
        println!("backend_bench: {}", setup.name());
        results.push(measure::setup(&args, setup).await?);
    }
    let markdown = report::render(&machine, &args, decrypt, &results);
    e2e::bench::write_section(&args.out, "backend", &markdown)?;
    println!("\n{markdown}\nwritten to {}", args.out.display());
    Ok(())
}
