//! The shop's handlers: show the product, start a checkout, show an order.

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use axum::Form;
use axum::extract::{Path, State};
use axum::response::Html;
use serde::Deserialize;
use shared::merchant::CreatePayment;
use shared::{Currency, MerchantOrderId, PaymentId};

use crate::AppState;
use crate::error::ShopError;
use crate::pages::{self, CheckoutView};
use crate::product::{Quantity, SOCKS};

pub async fn home() -> Html<String> {
    Html(pages::home(&SOCKS))
}

#[derive(Debug, Deserialize)]
pub struct OrderForm {
    #[serde(default)]
    quantity: String,
}

/// Creates the payment at the PSP (server to server) and embeds the widget for it.
pub async fn checkout(
    State(state): State<AppState>,
    Form(form): Form<OrderForm>,
) -> Result<Html<String>, ShopError> {
    let quantity: Quantity = form
        .quantity
        .parse()
        .map_err(|e| ShopError::BadOrder(format!("{e}")))?;
    let request = CreatePayment {
        amount: SOCKS
            .total(quantity)
            .ok_or_else(|| internal("amount out of range"))?,
        currency: Currency::Nok,
        merchant_order_id: new_order_id()?,
        description: SOCKS
            .description(quantity)
            .ok_or_else(|| internal("bad description"))?,
        phone_number: None,
        return_url: None,
    };
    let created = state.psp.create_payment(&request).await?;
    tracing::info!(payment = %created.payment.id, order = %request.merchant_order_id, "payment created");
    Ok(Html(pages::checkout(&CheckoutView {
        payment: &created.payment,
        client_secret: &created.client_secret,
        psp_checkout_url: &state.config.psp_checkout_url,
    })))
}

/// Asks the PSP, never the browser, whether the order is paid.
pub async fn order(
    State(state): State<AppState>,
    Path(payment_id): Path<String>,
) -> Result<Html<String>, ShopError> {
    let id: PaymentId = payment_id.parse().map_err(|_| ShopError::NoSuchOrder)?;
    let payment = state.psp.payment(&id).await?;
    Ok(Html(pages::order(&payment)))
}

fn internal(what: &str) -> ShopError {
    ShopError::Internal(what.to_owned())
}

/// `shop` + milliseconds since 1970 + a per-process counter: unique enough for a demo,
/// and within Vipps's 30 `[A-Za-z0-9]` characters.
fn new_order_id() -> Result<MerchantOrderId, ShopError> {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let millis = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed) % 10_000;
    format!("shop{millis}{n:04}")
        .parse()
        .map_err(|e| ShopError::Internal(format!("{e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_ids_are_unique_and_valid() -> Result<(), ShopError> {
        let (a, b) = (new_order_id()?, new_order_id()?);
        assert_ne!(a, b);
        assert!(a.as_str().starts_with("shop") && a.as_str().len() <= 30);
        Ok(())
    }
}
