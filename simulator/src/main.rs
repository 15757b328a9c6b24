//! `simulator`: the offline Vipps. Reads its config from the environment, listens on
//! `SIM_LISTEN` (default 127.0.0.1:4001) and serves until stopped.

use std::process::ExitCode;

use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .init();
    let config = match simulator::Config::from_env() {
        Ok(config) => config,
        Err(err) => {
            eprintln!("simulator: {err}");
            return ExitCode::FAILURE;
        }
    };
    let listen =
        std::env::var("SIM_LISTEN").unwrap_or_else(|_| simulator::DEFAULT_LISTEN.to_owned());
    let listener = match tokio::net::TcpListener::bind(&listen).await {
        Ok(listener) => listener,
        Err(err) => {
            eprintln!("simulator: cannot listen on {listen} (SIM_LISTEN): {err}");
            return ExitCode::FAILURE;
        }
    };
    println!(
        "Vipps simulator on http://{listen} (public URL {})",
        config.public_url
    );
    if let Err(err) = simulator::run(listener, config).await {
        eprintln!("simulator: {err}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
