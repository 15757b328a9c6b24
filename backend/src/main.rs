//! The PSP backend binary: read the configuration once, bind, serve.

use backend::{Application, Config};

#[tokio::main]
async fn main() -> std::process::ExitCode {
    backend::telemetry::init();
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
    let listener = match tokio::net::TcpListener::bind(config.listen).await {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!("backend: cannot listen on {}: {error}", config.listen);
            return std::process::ExitCode::FAILURE;
        }
    };
    let result = match Application::build(config, listener).await {
        Ok(app) => {
            tracing::info!(url = %app.public_url(), "PSP backend listening");
            app.run().await.map_err(|e| e.to_string())
        }
        Err(error) => Err(error.to_string()),
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("backend: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}
