use std::process::ExitCode;

use demo_shop::Config;
use shared::sandbox::SHOP_PORT;
use tokio::net::TcpListener;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> ExitCode {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    tracing_subscriber::fmt().with_env_filter(filter).init();
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(e) => return fail(&format!("configuration: {e}")),
    };
    let listen = std::env::var("SHOP_LISTEN").unwrap_or_else(|_| format!("127.0.0.1:{SHOP_PORT}"));
    let listener = match TcpListener::bind(&listen).await {
        Ok(listener) => listener,
        Err(e) => return fail(&format!("cannot listen on {listen} (SHOP_LISTEN): {e}")),
    };
    tracing::info!(
        "demo shop on http://{listen}, PSP at {}, webhooks at {}, orders in {}",
        config.psp_api_url,
        config.webhook_url.as_str(),
        config.data_dir.display()
    );
    match demo_shop::run(listener, config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&format!("server error: {e}")),
    }
}

fn fail(message: &str) -> ExitCode {
    eprintln!("demo-shop: {message}");
    ExitCode::FAILURE
}
