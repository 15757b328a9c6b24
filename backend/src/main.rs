//! The PSP backend binary: read the configuration once, then serve (the default) or run
//! one operator command (`backend merchants …`, `backend keys …`).

use backend::{Application, Config, admin};
use clap::Parser;

/// The Vipps PSP backend. Without a command it serves; settings come from the environment
/// (see the README's configuration table).
#[derive(Debug, Parser)]
#[command(name = "backend", version)]
struct Cli {
    #[command(subcommand)]
    command: Option<admin::Command>,
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let log_format = match backend::telemetry::LogFormat::from_env() {
        Ok(format) => format,
        Err(error) => {
            eprintln!("backend: not starting; fix these settings:\n  {error}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match cli.command {
        Some(_) => backend::telemetry::init_to_stderr(log_format),
        None => backend::telemetry::init(log_format),
    }
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(errors) => {
            eprintln!("backend: not starting; fix these settings:");
            for error in errors.0 {
                eprintln!("  {error}");
            }
            return std::process::ExitCode::FAILURE;
        }
    };
    let result = match cli.command {
        Some(command) => admin::run(&config, command)
            .await
            .map(|output| println!("{output}"))
            .map_err(|e| e.to_string()),
        None => serve(config).await,
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("backend: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn serve(config: Config) -> Result<(), String> {
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", config.listen))?;
    let app = Application::build(config, listener)
        .await
        .map_err(|e| e.to_string())?;
    let address = listener_address(&app);
    tracing::info!(url = %app.public_url(), %address, "PSP backend listening");
    app.run().await.map_err(|e| e.to_string())
}

/// Where the backend listens, as bound (the port the system chose for `PSP_LISTEN`'s `:0`).
fn listener_address(app: &Application) -> String {
    app.local_addr()
        .map_or_else(|e| e.to_string(), |address| address.to_string())
}
