//! A payment's lifecycle at Vipps: the state enum and the one pure transition function.

use shared::vipps::Confirmed;

/// Where a payment stands at Vipps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PaymentState {
    /// Initiated by the PSP; the shopper has not acted yet.
    AwaitingUser,
    /// The shopper confirmed their number on the landing page; the app is next.
    Confirmed,
    /// makePayment is on its way to the PSP, carrying the shopper's answer.
    Sending(Confirmed),
    /// makePayment is done; nothing changes any more.
    Completed { sent: Confirmed, outcome: Outcome },
}

/// How the makePayment call ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The PSP answered `OK`.
    Approved,
    /// The PSP answered `FAIL`.
    Declined {
        error_id: String,
        error_text: String,
    },
    /// No answer within 15 seconds: Vipps counts the payment as failed.
    TooLate,
    /// The PSP answered with something else than a makePayment answer, or was unreachable.
    PspError {
        http_status: Option<u16>,
        message: String,
    },
}

impl Outcome {
    /// `approved`, `declined`, `too_late` or `psp_error`.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Approved => "approved",
            Self::Declined { .. } => "declined",
            Self::TooLate => "too_late",
            Self::PspError { .. } => "psp_error",
        }
    }
}

/// What can happen to a payment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// The shopper confirmed the number on the landing page.
    ConfirmPhone,
    /// The shopper (or the clock) answered; makePayment is about to be sent.
    Send(Confirmed),
    /// makePayment ended.
    Finish(Outcome),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a payment that is {state} cannot take this step")]
pub struct InvalidTransition {
    pub state: &'static str,
}

impl PaymentState {
    /// The stable name tests and the test-control API see.
    pub fn name(&self) -> &'static str {
        match self {
            Self::AwaitingUser => "awaiting_user",
            Self::Confirmed => "confirmed",
            Self::Sending(_) => "sending",
            Self::Completed { outcome, .. } => outcome.name(),
        }
    }

    /// The shopper can still act on it (landing page, phone app, test controls).
    pub fn is_pending(&self) -> bool {
        match self {
            Self::AwaitingUser | Self::Confirmed => true,
            Self::Sending(_) | Self::Completed { .. } => false,
        }
    }

    /// What was sent and how it ended, once makePayment is done.
    pub fn completed(&self) -> Option<(Confirmed, &Outcome)> {
        match self {
            Self::Completed { sent, outcome } => Some((*sent, outcome)),
            Self::AwaitingUser | Self::Confirmed | Self::Sending(_) => None,
        }
    }

    /// The answer sent to the PSP, once the shopper (or the clock) answered.
    pub fn sent(&self) -> Option<Confirmed> {
        match self {
            Self::Sending(sent) | Self::Completed { sent, .. } => Some(*sent),
            Self::AwaitingUser | Self::Confirmed => None,
        }
    }
}

/// The one place that decides which step a payment may take next.
pub fn apply(state: &PaymentState, event: Event) -> Result<PaymentState, InvalidTransition> {
    let invalid = Err(InvalidTransition {
        state: state.name(),
    });
    match (state, event) {
        (PaymentState::AwaitingUser, Event::ConfirmPhone) => Ok(PaymentState::Confirmed),
        (PaymentState::AwaitingUser | PaymentState::Confirmed, Event::Send(confirmed)) => {
            Ok(PaymentState::Sending(confirmed))
        }
        (PaymentState::Sending(sent), Event::Finish(outcome)) => Ok(PaymentState::Completed {
            sent: *sent,
            outcome,
        }),
        (PaymentState::AwaitingUser, Event::Finish(_))
        | (PaymentState::Confirmed, Event::ConfirmPhone | Event::Finish(_))
        | (PaymentState::Sending(_), Event::ConfirmPhone | Event::Send(_))
        | (
            PaymentState::Completed { .. },
            Event::ConfirmPhone | Event::Send(_) | Event::Finish(_),
        ) => invalid,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_happy_path_goes_from_awaiting_user_to_approved() {
        let confirmed = apply(&PaymentState::AwaitingUser, Event::ConfirmPhone);
        assert_eq!(confirmed, Ok(PaymentState::Confirmed));
        let sending = apply(&PaymentState::Confirmed, Event::Send(Confirmed::Yes));
        assert_eq!(sending, Ok(PaymentState::Sending(Confirmed::Yes)));
        let done = apply(
            &PaymentState::Sending(Confirmed::Yes),
            Event::Finish(Outcome::Approved),
        );
        assert!(matches!(
            done,
            Ok(PaymentState::Completed {
                sent: Confirmed::Yes,
                outcome: Outcome::Approved
            })
        ));
    }

    #[test]
    fn the_app_can_answer_without_the_landing_page() {
        let sending = apply(&PaymentState::AwaitingUser, Event::Send(Confirmed::No));
        assert_eq!(sending, Ok(PaymentState::Sending(Confirmed::No)));
    }

    #[test]
    fn make_payment_is_sent_at_most_once() {
        let again = apply(
            &PaymentState::Sending(Confirmed::Yes),
            Event::Send(Confirmed::Yes),
        );
        assert_eq!(again, Err(InvalidTransition { state: "sending" }));
        let done = PaymentState::Completed {
            sent: Confirmed::Yes,
            outcome: Outcome::TooLate,
        };
        assert_eq!(
            apply(&done, Event::Send(Confirmed::Cancel)),
            Err(InvalidTransition { state: "too_late" })
        );
        assert!(!done.is_pending());
    }

    #[test]
    fn only_a_sent_payment_can_finish() {
        assert!(apply(&PaymentState::Confirmed, Event::Finish(Outcome::Approved)).is_err());
        assert!(apply(&PaymentState::Confirmed, Event::ConfirmPhone).is_err());
    }
}
