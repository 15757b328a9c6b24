//! What happened to a payment's money: the reservation (makePayment) and every
//! updatestatus the PSP reported, with the totals `details` answers.

use shared::Amount;
use shared::vipps::TransactionStatus;

use crate::api::details_wire::{PaymentTransactionDetails, TransactionSummary};
use crate::clock;

/// One operation as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerEntry {
    pub operation: Operation,
    pub amount: Amount,
    pub payment_text: Option<String>,
    pub at_unix: i64,
    /// Whether the operation fits the payment (e.g. no capture beyond the reservation).
    pub success: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    Reserved,
    Update(TransactionStatus),
}

/// The running totals in øre plus the log.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ledger {
    reserved: i64,
    captured: i64,
    refunded: i64,
    cancelled: bool,
    entries: Vec<LedgerEntry>,
}

impl Ledger {
    /// The makePayment result: an approved payment reserves its amount.
    pub fn record_reservation(
        &mut self,
        amount: Amount,
        approved: bool,
        text: Option<String>,
        at_unix: i64,
    ) {
        if approved {
            self.reserved = i64::from(amount.ore());
        }
        self.push(Operation::Reserved, amount, text, at_unix, approved);
    }

    /// An updatestatus transaction. Vipps accepts every one; those that do not fit are logged
    /// as unsuccessful and leave the totals alone.
    pub fn record_update(
        &mut self,
        status: TransactionStatus,
        amount: Amount,
        text: Option<String>,
        at_unix: i64,
    ) -> bool {
        let ore = i64::from(amount.ore());
        let open = self.reserved > 0 && !self.cancelled;
        let success = match status {
            TransactionStatus::Captured => {
                open && self.captured.saturating_add(ore) <= self.reserved
            }
            TransactionStatus::Cancelled => open && self.captured < self.reserved,
            TransactionStatus::Refunded => self.refunded.saturating_add(ore) <= self.captured,
        };
        if success {
            match status {
                TransactionStatus::Captured => self.captured = self.captured.saturating_add(ore),
                TransactionStatus::Cancelled => self.cancelled = true,
                TransactionStatus::Refunded => self.refunded = self.refunded.saturating_add(ore),
            }
        }
        self.push(Operation::Update(status), amount, text, at_unix, success);
        success
    }

    fn push(
        &mut self,
        operation: Operation,
        amount: Amount,
        payment_text: Option<String>,
        at_unix: i64,
        success: bool,
    ) {
        self.entries.push(LedgerEntry {
            operation,
            amount,
            payment_text,
            at_unix,
            success,
        });
    }

    pub fn summary(&self) -> TransactionSummary {
        let remaining_to_capture = if self.cancelled {
            0
        } else {
            self.reserved.saturating_sub(self.captured)
        };
        TransactionSummary {
            captured_amount: self.captured,
            remaining_amount_to_capture: remaining_to_capture,
            refunded_amount: self.refunded,
            remaining_amount_to_refund: self.captured.saturating_sub(self.refunded),
        }
    }

    pub fn history(&self) -> Vec<PaymentTransactionDetails> {
        self.entries
            .iter()
            .map(|entry| PaymentTransactionDetails {
                amount: i64::from(entry.amount.ore()),
                payment_text: entry.payment_text.clone(),
                time_stamp: clock::iso8601(entry.at_unix),
                operation: entry.operation.wire_name().to_owned(),
                operation_success: entry.success,
            })
            .collect()
    }
}

impl Operation {
    pub fn wire_name(self) -> &'static str {
        match self {
            Self::Reserved => "RESERVED",
            Self::Update(TransactionStatus::Captured) => "CAPTURED",
            Self::Update(TransactionStatus::Cancelled) => "CANCELLED",
            Self::Update(TransactionStatus::Refunded) => "REFUNDED",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ore(n: u64) -> Amount {
        let Ok(amount) = Amount::from_ore(n) else {
            unreachable!()
        };
        amount
    }

    #[test]
    fn capture_and_refund_move_the_totals() {
        let mut ledger = Ledger::default();
        ledger.record_reservation(ore(1000), true, None, 0);
        assert!(ledger.record_update(TransactionStatus::Captured, ore(600), None, 1));
        assert!(ledger.record_update(TransactionStatus::Refunded, ore(100), None, 2));
        let summary = ledger.summary();
        assert_eq!(summary.captured_amount, 600);
        assert_eq!(summary.remaining_amount_to_capture, 400);
        assert_eq!(summary.refunded_amount, 100);
        assert_eq!(summary.remaining_amount_to_refund, 500);
        assert_eq!(ledger.history().len(), 3);
    }

    #[test]
    fn operations_that_do_not_fit_are_logged_as_failed() {
        let mut ledger = Ledger::default();
        assert!(!ledger.record_update(TransactionStatus::Captured, ore(1), None, 0));
        ledger.record_reservation(ore(1000), true, None, 0);
        assert!(!ledger.record_update(TransactionStatus::Captured, ore(1001), None, 1));
        assert!(!ledger.record_update(TransactionStatus::Refunded, ore(1), None, 1));
        assert!(ledger.record_update(TransactionStatus::Cancelled, ore(1000), None, 2));
        assert!(!ledger.record_update(TransactionStatus::Captured, ore(1), None, 3));
        assert_eq!(ledger.summary(), TransactionSummary::default());
        assert_eq!(
            ledger
                .history()
                .iter()
                .filter(|e| e.operation_success)
                .count(),
            2
        );
    }
}
