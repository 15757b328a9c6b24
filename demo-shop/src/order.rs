//! One order as the shop keeps it, and how a PSP event moves it: a pure function, so the
//! whole fulfilment rule (which event means what, stale events dropped) is tested as
//! plain Rust.

use serde::{Deserialize, Serialize};
use shared::checkout::FailureReason;
use shared::webhooks::{Event, EventType};
use shared::{Amount, MerchantOrderId, PaymentId};

/// Where an order stands for the shop.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    /// Created with its payment; not paid yet (a declined attempt keeps it here).
    AwaitingPayment,
    /// The PSP says the card is charged: fulfil it.
    Paid,
    /// Captured: the goods went out.
    Shipped,
    PartiallyRefunded,
    Refunded,
    Cancelled,
    Expired,
}

impl OrderStatus {
    /// The wire name (`data-status`) and words for the shopper.
    pub fn text(self) -> (&'static str, &'static str) {
        match self {
            Self::AwaitingPayment => ("awaiting_payment", "Awaiting payment"),
            Self::Paid => ("paid", "Paid"),
            Self::Shipped => ("shipped", "Paid and shipped"),
            Self::PartiallyRefunded => ("partially_refunded", "Partly refunded"),
            Self::Refunded => ("refunded", "Refunded"),
            Self::Cancelled => ("cancelled", "Cancelled"),
            Self::Expired => ("expired", "Expired"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Order {
    pub id: MerchantOrderId,
    pub payment_id: PaymentId,
    pub amount: Amount,
    pub status: OrderStatus,
    /// Unix seconds.
    pub created: i64,
    /// The highest event `sequence` applied; events at or below it are stale.
    #[serde(default)]
    pub sequence: i64,
    /// Why the last attempt to pay failed, while the order still waits for payment.
    #[serde(default)]
    pub last_failure: Option<FailureReason>,
    /// Refunded so far, in øre.
    #[serde(default)]
    pub refunded: u32,
}

/// What an event did to an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied {
    Changed,
    /// Its sequence is not above the last one applied: dropped.
    Stale,
    /// Paid for another amount than the order's: not marked paid.
    AmountMismatch,
}

impl Order {
    /// A new order waiting for its payment.
    pub fn new(id: MerchantOrderId, payment_id: PaymentId, amount: Amount, created: i64) -> Self {
        Self {
            id,
            payment_id,
            amount,
            status: OrderStatus::AwaitingPayment,
            created,
            sequence: 0,
            last_failure: None,
            refunded: 0,
        }
    }

    /// Moves the order as `event` says, unless the event is stale.
    pub fn apply(&mut self, event: &Event) -> Applied {
        if event.sequence <= self.sequence {
            return Applied::Stale;
        }
        self.sequence = event.sequence;
        let payment = &event.payment;
        match event.kind {
            EventType::Authorised if payment.amount != self.amount => {
                return Applied::AmountMismatch;
            }
            EventType::Authorised => {
                self.status = OrderStatus::Paid;
                self.last_failure = None;
            }
            EventType::Failed => self.last_failure = payment.failure,
            EventType::Cancelled => self.status = OrderStatus::Cancelled,
            EventType::Expired => self.status = OrderStatus::Expired,
            EventType::Captured => self.status = OrderStatus::Shipped,
            EventType::Refunded => {
                self.refunded = payment.amounts.refunded;
                self.status = if payment.amounts.refundable == 0 {
                    OrderStatus::Refunded
                } else {
                    OrderStatus::PartiallyRefunded
                };
            }
        }
        Applied::Changed
    }
}

#[cfg(test)]
mod tests {
    use shared::merchant::{Amounts, MerchantPayment, PaymentStatus};
    use shared::{Currency, EventId};

    use super::*;

    fn order() -> Order {
        let (Ok(id), Ok(amount)) = ("shop1".parse(), Amount::from_ore(29_900)) else {
            unreachable!()
        };
        Order::new(id, PaymentId::from_random([1; 16]), amount, 1_700_000_000)
    }

    fn event(kind: EventType, sequence: i64, amounts: Amounts) -> Event {
        let (Ok(description), Ok(amount)) = (
            "1 × Vipps socks".to_owned().try_into(),
            Amount::from_ore(29_900),
        ) else {
            unreachable!()
        };
        let order = order();
        Event {
            id: EventId::from_random([2; 16]),
            kind,
            created: 1_700_000_100,
            sequence,
            amount: 29_900,
            payment: MerchantPayment {
                id: order.payment_id,
                client_secret: None,
                status: PaymentStatus::Authorised,
                amount,
                currency: Currency::Nok,
                merchant_order_id: order.id,
                description,
                failure: Some(FailureReason::InsufficientFunds),
                card: None,
                amounts,
                return_url: None,
                created_at: 1_700_000_000,
                expires_at: 1_700_000_600,
            },
        }
    }

    #[test]
    fn each_event_type_moves_the_order_as_the_shop_reads_it() {
        let none = Amounts::default();
        let partly = Amounts {
            refunded: 10_000,
            refundable: 19_900,
            ..none
        };
        for (kind, amounts, status) in [
            (EventType::Authorised, none, OrderStatus::Paid),
            (EventType::Failed, none, OrderStatus::AwaitingPayment),
            (EventType::Cancelled, none, OrderStatus::Cancelled),
            (EventType::Expired, none, OrderStatus::Expired),
            (EventType::Captured, none, OrderStatus::Shipped),
            (EventType::Refunded, none, OrderStatus::Refunded),
            (EventType::Refunded, partly, OrderStatus::PartiallyRefunded),
        ] {
            let mut order = order();
            assert_eq!(order.apply(&event(kind, 1, amounts)), Applied::Changed);
            assert_eq!(order.status, status, "{kind:?}");
        }
    }

    #[test]
    fn a_failure_is_noted_and_cleared_by_the_payment() {
        let mut order = order();
        order.apply(&event(EventType::Failed, 1, Amounts::default()));
        assert_eq!(order.last_failure, Some(FailureReason::InsufficientFunds));
        order.apply(&event(EventType::Authorised, 2, Amounts::default()));
        assert_eq!(
            (order.status, order.last_failure),
            (OrderStatus::Paid, None)
        );
    }

    #[test]
    fn an_event_older_than_one_applied_is_dropped() {
        let mut order = order();
        order.apply(&event(EventType::Captured, 3, Amounts::default()));
        let stale = event(EventType::Authorised, 2, Amounts::default());
        assert_eq!(order.apply(&stale), Applied::Stale);
        assert_eq!((order.status, order.sequence), (OrderStatus::Shipped, 3));
    }

    #[test]
    fn a_payment_of_another_amount_does_not_pay_the_order() {
        let mut order = order();
        let Ok(other) = Amount::from_ore(100) else {
            unreachable!()
        };
        order.amount = other;
        let paid = event(EventType::Authorised, 1, Amounts::default());
        assert_eq!(order.apply(&paid), Applied::AmountMismatch);
        assert_eq!(order.status, OrderStatus::AwaitingPayment);
    }
}
