//! The Vipps side of the PSP API v2, offline: access tokens, init/updatestatus/details,
//! the landing page, a phone app that calls the PSP's makePayment, the shopper timeout,
//! test phone numbers and amounts that force an outcome, the merchants it knows by MSN
//! (more can be added at runtime), and a JSON test-control API under `/sim/` (see
//! `docs/simulator.md`). State lives in memory.

mod api;
mod app;
mod app_page;
mod auth;
mod card_data;
mod clock;
mod config;
mod control;
mod control_view;
mod faults;
mod forcing;
mod html;
mod idempotency;
mod landing;
mod ledger;
mod make_payment;
mod merchant_config;
mod merchants;
mod payment;
mod random;
mod result_page;
mod shopper;
mod shopper_timeout;
mod state;
mod store;
mod update_log;
mod vipps_error;

pub use api::details_wire::{PaymentDetails, PaymentTransactionDetails, TransactionSummary};
pub use config::{
    Config, ConfigError, DEFAULT_LISTEN, DEFAULT_PUBLIC_KEY_FILE, DEFAULT_SHOPPER_TIMEOUT, Merchant,
};
pub use forcing::{ShopperScript, TEST_AMOUNTS, TEST_PHONES, TestAmount, TestPhone};
pub use merchants::MerchantError;

/// Serves the simulator on `listener` until the process ends.
pub async fn run(listener: tokio::net::TcpListener, config: Config) -> std::io::Result<()> {
    let state = app::AppState::new(config)
        .map_err(|err| std::io::Error::new(std::io::ErrorKind::InvalidInput, err))?;
    axum::serve(listener, app::router(state)).await
}
