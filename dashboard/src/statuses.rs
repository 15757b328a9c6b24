//! A payment's statuses as the list's filter offers them, their wire names (the `status`
//! query parameter), and what a payment in each allows the merchant to do.

use shared::merchant::{MerchantPayment, PaymentStatus};

/// Every status, in the order a payment goes through them.
pub const ALL: [PaymentStatus; 11] = PaymentStatus::ALL;

/// The wire name (`partially_captured`), as serde writes it.
pub fn wire_name(status: PaymentStatus) -> &'static str {
    status.as_str()
}

/// The status of a wire name; `None` for anything else (the list then shows all).
pub fn parse(name: &str) -> Option<PaymentStatus> {
    ALL.into_iter().find(|status| wire_name(*status) == name)
}

/// Whether a cancel may do something: call off a payment not yet reserved (a failed one
/// too: the shopper could still try again), or release what is reserved and not captured.
/// Not while the card is being charged, nor once it is over.
pub fn can_cancel(payment: &MerchantPayment) -> bool {
    match payment.status {
        PaymentStatus::Created | PaymentStatus::AwaitingApp | PaymentStatus::Failed => true,
        PaymentStatus::Authorised
        | PaymentStatus::PartiallyCaptured
        | PaymentStatus::Captured
        | PaymentStatus::PartiallyRefunded
        | PaymentStatus::Refunded => payment.amounts.capturable > 0,
        PaymentStatus::Processing | PaymentStatus::Cancelled | PaymentStatus::Expired => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_are_serdes() {
        for status in ALL {
            let json = serde_json::to_string(&status).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", wire_name(status)));
            assert_eq!(parse(wire_name(status)), Some(status));
        }
        assert_eq!(parse("paid"), None);
    }

    fn payment(status: &str, capturable: u32) -> Option<MerchantPayment> {
        serde_json::from_value(serde_json::json!({
            "id": "pay_0123456789abcdef0123456789abcdef", "status": status, "amount": 1000,
            "currency": "NOK", "merchant_order_id": "o1", "description": "d", "failure": null,
            "card": null, "amounts": {"authorised": 1000, "captured": 1000 - capturable,
            "refunded": 0, "cancelled": 0, "capturable": capturable, "refundable": 0},
            "return_url": null, "created_at": 0, "expires_at": 0
        }))
        .ok()
    }

    #[test]
    fn cancel_is_offered_before_the_reservation_and_while_something_is_not_captured() {
        let offered =
            |status, capturable| payment(status, capturable).is_some_and(|p| can_cancel(&p));
        assert!(offered("created", 0));
        assert!(offered("failed", 0));
        assert!(offered("partially_refunded", 400));
        assert!(!offered("captured", 0));
        assert!(!offered("processing", 0));
        assert!(!offered("expired", 0));
        assert!(payment("authorised", 1000).is_some());
    }
}
