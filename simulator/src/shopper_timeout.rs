//! Vipps's clock: a shopper who has not answered within `Config::shopper_timeout` of init
//! gets makePayment `TIMEOUT`, sent by a background task per payment.

use crate::app::AppState;
use crate::shopper::{self, Action, ShopperError};

/// Starts the clock of a payment just initiated.
pub fn start(app: &AppState, psp_transaction_id: &str) {
    let (app, id) = (app.clone(), psp_transaction_id.to_owned());
    tokio::spawn(async move {
        tokio::time::sleep(app.config.shopper_timeout).await;
        match shopper::act(&app, &id, Action::Timeout).await {
            Ok(finished) => {
                tracing::info!(psp_transaction_id = id, outcome = ?finished.outcome, "shopper timed out");
            }
            // The shopper (or a test control) answered in time.
            Err(ShopperError::NotPending(_)) => {}
            Err(err) => tracing::warn!(psp_transaction_id = id, %err, "shopper timeout"),
        }
    });
}
