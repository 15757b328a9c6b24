//! Logging setup. `RUST_LOG` filters; the default is `info`. The server logs to stdout;
//! operator commands log to stderr, so that their stdout is only their answer.

use tracing_subscriber::EnvFilter;

fn filter() -> EnvFilter {
    EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"))
}

pub fn init() {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter())
        .try_init();
}

/// For commands whose stdout is their answer (`backend merchants create --json`).
pub fn init_to_stderr() {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter())
        .with_writer(std::io::stderr)
        .try_init();
}
