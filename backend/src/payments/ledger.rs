//! The amount ledger of an authorised payment and its one pure `apply`: every capture,
//! refund and cancel is checked here before anything is sent to the acquirer.

use shared::Amount;
use shared::merchant::{Amounts, PaymentStatus};

/// Øre reserved, captured, refunded and released (cancelled) on one payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Ledger {
    pub authorised: u32,
    pub captured: u32,
    pub refunded: u32,
    pub released: u32,
}

/// A merchant operation on the ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    /// Capture this much, or everything left.
    Capture(Option<Amount>),
    /// Refund this much, or everything captured and not yet refunded.
    Refund(Option<Amount>),
    /// Release everything not captured.
    Cancel,
}

impl Operation {
    pub fn kind(self) -> &'static str {
        match self {
            Self::Capture(_) => "capture",
            Self::Refund(_) => "refund",
            Self::Cancel => "cancel",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum LedgerError {
    #[error("cannot capture {asked} øre: {left} øre is left to capture")]
    CaptureExceedsRemaining { asked: u32, left: u32 },
    #[error("nothing is left to capture")]
    NothingToCapture,
    #[error("cannot refund {asked} øre: {left} øre is captured and not refunded")]
    RefundExceedsCaptured { asked: u32, left: u32 },
    #[error("nothing is captured that could be refunded")]
    NothingToRefund,
    #[error("nothing is left to cancel: the payment is fully captured or cancelled")]
    NothingToCancel,
}

impl Ledger {
    pub fn capturable(self) -> u32 {
        self.authorised
            .saturating_sub(self.captured)
            .saturating_sub(self.released)
    }

    pub fn refundable(self) -> u32 {
        self.captured.saturating_sub(self.refunded)
    }

    /// The ledger after `operation`, and the amount it moves.
    pub fn apply(self, operation: Operation) -> Result<(Self, Amount), LedgerError> {
        let positive = |ore: u32| Amount::from_ore(ore.into()).ok();
        match operation {
            Operation::Capture(asked) => {
                let left = self.capturable();
                let amount = take(asked, left, LedgerError::NothingToCapture, |asked| {
                    LedgerError::CaptureExceedsRemaining { asked, left }
                })?;
                Ok((
                    Self {
                        captured: self.captured + amount.ore(),
                        ..self
                    },
                    amount,
                ))
            }
            Operation::Refund(asked) => {
                let left = self.refundable();
                let amount = take(asked, left, LedgerError::NothingToRefund, |asked| {
                    LedgerError::RefundExceedsCaptured { asked, left }
                })?;
                Ok((
                    Self {
                        refunded: self.refunded + amount.ore(),
                        ..self
                    },
                    amount,
                ))
            }
            Operation::Cancel => {
                let amount = positive(self.capturable()).ok_or(LedgerError::NothingToCancel)?;
                Ok((
                    Self {
                        released: self.released + amount.ore(),
                        ..self
                    },
                    amount,
                ))
            }
        }
    }

    /// The merchant's status of an authorised payment.
    pub fn status(self) -> PaymentStatus {
        let settled = self.authorised.saturating_sub(self.released);
        match (self.captured, self.refunded) {
            (0, _) if self.released > 0 => PaymentStatus::Cancelled,
            (0, _) => PaymentStatus::Authorised,
            (captured, 0) if captured < settled => PaymentStatus::PartiallyCaptured,
            (_, 0) => PaymentStatus::Captured,
            (captured, refunded) if refunded < captured => PaymentStatus::PartiallyRefunded,
            (_, _) => PaymentStatus::Refunded,
        }
    }

    pub fn amounts(self) -> Amounts {
        Amounts {
            authorised: self.authorised,
            captured: self.captured,
            refunded: self.refunded,
            cancelled: self.released,
            capturable: self.capturable(),
            refundable: self.refundable(),
        }
    }
}

/// `asked`, or all of `left`, checked against `left`.
fn take(
    asked: Option<Amount>,
    left: u32,
    nothing: LedgerError,
    too_much: impl Fn(u32) -> LedgerError,
) -> Result<Amount, LedgerError> {
    let all = Amount::from_ore(left.into()).map_err(|_| nothing)?;
    match asked {
        None => Ok(all),
        Some(amount) if amount <= all => Ok(amount),
        Some(amount) => Err(too_much(amount.ore())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ore(n: u64) -> Amount {
        Amount::from_ore(n).unwrap_or_else(|_| unreachable!("positive"))
    }

    const AUTHORISED: Ledger = Ledger {
        authorised: 1000,
        captured: 0,
        refunded: 0,
        released: 0,
    };

    #[test]
    fn partial_and_repeated_captures_add_up_to_the_authorisation() {
        let (l, a) = AUTHORISED
            .apply(Operation::Capture(Some(ore(300))))
            .unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!(
            (a.ore(), l.status()),
            (300, PaymentStatus::PartiallyCaptured)
        );
        let (l, a) = l
            .apply(Operation::Capture(None))
            .unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!(
            (a.ore(), l.captured, l.status()),
            (700, 1000, PaymentStatus::Captured)
        );
        assert_eq!(
            l.apply(Operation::Capture(None)),
            Err(LedgerError::NothingToCapture)
        );
    }

    #[test]
    fn capturing_more_than_remains_is_refused() {
        let asked = Operation::Capture(Some(ore(1001)));
        assert_eq!(
            AUTHORISED.apply(asked),
            Err(LedgerError::CaptureExceedsRemaining {
                asked: 1001,
                left: 1000
            })
        );
    }

    #[test]
    fn refunds_need_captured_money_and_stop_at_it() {
        assert_eq!(
            AUTHORISED.apply(Operation::Refund(None)),
            Err(LedgerError::NothingToRefund)
        );
        let captured = Ledger {
            captured: 400,
            ..AUTHORISED
        };
        assert_eq!(
            captured.apply(Operation::Refund(Some(ore(401)))),
            Err(LedgerError::RefundExceedsCaptured {
                asked: 401,
                left: 400
            })
        );
        let (l, _) = captured
            .apply(Operation::Refund(Some(ore(100))))
            .unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!(l.status(), PaymentStatus::PartiallyRefunded);
        let (l, a) = l
            .apply(Operation::Refund(None))
            .unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!((a.ore(), l.status()), (300, PaymentStatus::Refunded));
    }

    #[test]
    fn cancel_after_a_partial_capture_releases_the_rest() {
        let partly = Ledger {
            captured: 250,
            ..AUTHORISED
        };
        let (l, released) = partly
            .apply(Operation::Cancel)
            .unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!(
            (released.ore(), l.capturable(), l.status()),
            (750, 0, PaymentStatus::Captured)
        );
        assert_eq!(
            l.apply(Operation::Cancel),
            Err(LedgerError::NothingToCancel)
        );
        assert_eq!(
            l.apply(Operation::Capture(None)),
            Err(LedgerError::NothingToCapture)
        );
    }

    #[test]
    fn cancelling_an_uncaptured_authorisation_cancels_the_payment() {
        let (l, _) = AUTHORISED
            .apply(Operation::Cancel)
            .unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!(
            (l.status(), l.amounts().cancelled),
            (PaymentStatus::Cancelled, 1000)
        );
    }
}
