//! The order pages: `/orders` (the shop's own book, newest first) and `/orders/{id}` (the
//! shop's status, set by webhooks, beside what the PSP says now).

use maud::html;
use shared::merchant::{MerchantPayment, PaymentStatus};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::order::{Order, OrderStatus};
use crate::pages::layout;

/// `GET /orders`.
pub fn list(orders: &[Order]) -> String {
    let body = html! {
        section class="card" id="orders" {
            h1 { "Orders" }
            @if orders.is_empty() {
                p class="muted" { "No orders yet." }
            } @else {
                table {
                    tr { th { "Order" } th { "Created" } th { "Status" } th { "Amount" } }
                    @for order in orders {
                        @let (code, label) = order.status.text();
                        tr class="order" data-payment=(order.payment_id.as_str()) data-status=(code) {
                            td { a href={ "/orders/" (order.payment_id.as_str()) } { (order.id.as_str()) } }
                            td class="muted" { (date(order.created)) }
                            td { span class={ "status " (code) } { (label) } }
                            td { (order.amount) }
                        }
                    }
                }
            }
        }
        p { a href="/" { "← Back to the shop" } }
    };
    layout("Orders", false, body)
}

/// `GET /orders/{id}`: the shop's own status when it has the order, and the PSP's answer
/// (`None` when the PSP could not be asked).
pub fn order(order: Option<&Order>, payment: Option<&MerchantPayment>) -> String {
    let shop = order.map(|o| o.status);
    let psp = payment.map(|p| p.status);
    let heading = heading(shop, psp);
    let (psp_code, psp_label) = psp.map_or(("unknown", "Not available right now"), status_text);
    let failure = order
        .and_then(|o| o.last_failure)
        .or_else(|| payment.and_then(|p| p.failure))
        .and_then(|reason| serde_json::to_value(reason).ok())
        .and_then(|value| value.as_str().map(str::to_owned));
    let order_id = order
        .map(|o| o.id.as_str())
        .or_else(|| payment.map(|p| p.merchant_order_id.as_str()))
        .unwrap_or_default();
    let body = html! {
        section class="card" id="order-status" data-status=(psp_code) {
            h1 { (heading) }
            @if let Some(order) = order {
                @let (code, label) = order.status.text();
                p { "Order: " span class={ "status " (code) } id="shop-status" data-status=(code) { (label) } }
            }
            p { "Payment: " span class={ "status " (psp_code) } { (psp_label) } }
            @if let Some(payment) = payment {
                p { (payment.description.as_str()) " · " (payment.amount) " · order " (order_id) }
                @if let Some(card) = &payment.card {
                    p class="muted" { "Paid with the card ending in " (card.last_four) "." }
                }
            } @else if let Some(order) = order {
                p { (order.amount) " · order " (order_id) }
            }
            @if let Some(reason) = failure {
                p class="muted" { "Reason: " (reason) }
            }
        }
        p { a href="/orders" { "All orders" } " · " a href="/" { "← Back to the shop" } }
    };
    // Still moving, or paid at the PSP while the shop waits for the webhook: look again soon.
    let waiting_for_webhook =
        shop == Some(OrderStatus::AwaitingPayment) && psp.is_some_and(is_paid);
    let refresh = psp.is_some_and(is_moving) || waiting_for_webhook;
    layout(&format!("Order {order_id}"), refresh, body)
}

/// The shop's own status decides once a webhook moved it; before that, the PSP's answer.
fn heading(shop: Option<OrderStatus>, psp: Option<PaymentStatus>) -> &'static str {
    match shop {
        Some(OrderStatus::Paid | OrderStatus::Shipped) => "Thank you, order paid",
        Some(OrderStatus::PartiallyRefunded | OrderStatus::Refunded) => "Your order was refunded",
        Some(OrderStatus::Cancelled | OrderStatus::Expired) => "Your order is not paid",
        Some(OrderStatus::AwaitingPayment) | None => psp.map_or("Your order", psp_heading),
    }
}

fn psp_heading(status: PaymentStatus) -> &'static str {
    match status {
        PaymentStatus::Authorised | PaymentStatus::PartiallyCaptured | PaymentStatus::Captured => {
            "Thank you, order paid"
        }
        PaymentStatus::PartiallyRefunded | PaymentStatus::Refunded => "Your order was refunded",
        PaymentStatus::Created => "Your order is waiting for payment",
        PaymentStatus::AwaitingApp | PaymentStatus::Processing => "Waiting for your payment",
        PaymentStatus::Failed | PaymentStatus::Cancelled | PaymentStatus::Expired => {
            "Your order is not paid"
        }
    }
}

fn is_paid(status: PaymentStatus) -> bool {
    match status {
        PaymentStatus::Authorised | PaymentStatus::PartiallyCaptured | PaymentStatus::Captured => {
            true
        }
        PaymentStatus::Created
        | PaymentStatus::AwaitingApp
        | PaymentStatus::Processing
        | PaymentStatus::PartiallyRefunded
        | PaymentStatus::Refunded
        | PaymentStatus::Failed
        | PaymentStatus::Cancelled
        | PaymentStatus::Expired => false,
    }
}

fn is_moving(status: PaymentStatus) -> bool {
    match status {
        PaymentStatus::AwaitingApp | PaymentStatus::Processing => true,
        PaymentStatus::Created
        | PaymentStatus::Authorised
        | PaymentStatus::PartiallyCaptured
        | PaymentStatus::Captured
        | PaymentStatus::PartiallyRefunded
        | PaymentStatus::Refunded
        | PaymentStatus::Failed
        | PaymentStatus::Cancelled
        | PaymentStatus::Expired => false,
    }
}

/// The status's wire name (for `data-status`) and words for the shopper.
fn status_text(status: PaymentStatus) -> (&'static str, &'static str) {
    match status {
        PaymentStatus::Created => ("created", "Not started"),
        PaymentStatus::AwaitingApp => ("awaiting_app", "Waiting for the Vipps app"),
        PaymentStatus::Processing => ("processing", "Processing"),
        PaymentStatus::Authorised => ("authorised", "Paid"),
        PaymentStatus::PartiallyCaptured => ("partially_captured", "Paid, partly shipped"),
        PaymentStatus::Captured => ("captured", "Paid and shipped"),
        PaymentStatus::PartiallyRefunded => ("partially_refunded", "Partly refunded"),
        PaymentStatus::Refunded => ("refunded", "Refunded"),
        PaymentStatus::Failed => ("failed", "Failed"),
        PaymentStatus::Cancelled => ("cancelled", "Cancelled"),
        PaymentStatus::Expired => ("expired", "Expired"),
    }
}

/// `2026-12-01T16:35:00Z`.
fn date(unix: i64) -> String {
    OffsetDateTime::from_unix_timestamp(unix)
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_names_match_the_wire_names() {
        for status in [
            PaymentStatus::Created,
            PaymentStatus::AwaitingApp,
            PaymentStatus::Processing,
            PaymentStatus::Authorised,
            PaymentStatus::Failed,
            PaymentStatus::Cancelled,
            PaymentStatus::Expired,
        ] {
            let wire = serde_json::to_value(status).ok();
            assert_eq!(
                wire.as_ref().and_then(|v| v.as_str()),
                Some(status_text(status).0)
            );
        }
    }

    #[test]
    fn order_statuses_have_their_wire_names() {
        for status in [OrderStatus::AwaitingPayment, OrderStatus::PartiallyRefunded] {
            let wire = serde_json::to_value(status).ok();
            assert_eq!(
                wire.as_ref().and_then(|v| v.as_str()),
                Some(status.text().0)
            );
        }
    }

    #[test]
    fn dates_are_shown_in_utc() {
        assert_eq!(date(1_700_000_000), "2023-11-14T22:13:20Z");
    }
}
