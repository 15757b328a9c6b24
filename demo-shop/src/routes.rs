//! The shop's handlers: show the product, start a checkout (recording the order), list the
//! orders, show one.

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
use crate::order::Order;
use crate::order_pages;
use crate::pages::{self, CheckoutView};
use crate::product::{Quantity, SOCKS};
use crate::psp::PspError;

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
    let order = Order::new(
        request.merchant_order_id.clone(),
        created.payment.id.clone(),
        request.amount,
        now_unix(),
    );
    state
        .orders
        .insert(order)
        .await
        .map_err(|e| ShopError::Internal(e.to_string()))?;
    Ok(Html(pages::checkout(&CheckoutView {
        payment: &created.payment,
        client_secret: &created.client_secret,
        psp_checkout_url: &state.config.psp_checkout_url,
    })))
}

/// The shop's own status (moved by webhooks) beside the PSP's answer; never the browser's word.
pub async fn order(
    State(state): State<AppState>,
    Path(payment_id): Path<String>,
) -> Result<Html<String>, ShopError> {
    let id: PaymentId = payment_id.parse().map_err(|_| ShopError::NoSuchOrder)?;
    let order = state.orders.get(&id).await;
    let payment = match (state.psp.payment(&id).await, &order) {
        (Ok(payment), _) => Some(payment),
        (Err(err), Some(_)) => {
            tracing::warn!(error = %err, "the PSP could not be asked; showing the shop's status");
            None
        }
        (Err(PspError::NotFound(_)), None) => return Err(ShopError::NoSuchOrder),
        (Err(err), None) => return Err(err.into()),
    };
    Ok(Html(order_pages::order(order.as_ref(), payment.as_ref())))
}

/// `GET /orders`: the shop's order book, newest first.
pub async fn orders(State(state): State<AppState>) -> Html<String> {
    Html(order_pages::list(&state.orders.list().await))
}

fn internal(what: &str) -> ShopError {
    ShopError::Internal(what.to_owned())
}

fn now_unix() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .ok()
        .and_then(|d| i64::try_from(d.as_secs()).ok())
        .unwrap_or(0)
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
