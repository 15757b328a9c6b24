//! Every word the shopper sees, in one place (English; Norwegian comes next).

use shared::checkout::FailureReason;

use crate::checkout::{FormError, Outcome, Problem, Step, Summary};

pub const LOADING: &str = "Loading the payment…";
pub const CONNECTION_TROUBLE: &str = "Connection trouble. We keep trying…";

pub const PHONE_LABEL: &str = "Mobile number";
pub const PHONE_HINT: &str = "The number you use with Vipps.";
pub const PAY: &str = "Pay with Vipps";
pub const STARTING: &str = "Opening Vipps…";

pub const WAITING: &str = "Confirm the payment in the Vipps app";
pub const WAITING_HINT: &str = "Keep this page open. It updates by itself.";
pub const PROCESSING: &str = "Payment confirmed. Completing the payment…";
pub const NO_VIPPS_WINDOW: &str = "Don't see Vipps?";
pub const OPEN_VIPPS: &str = "Open Vipps";

/// The heading of a final screen.
pub fn outcome_title(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Succeeded => "Payment complete",
        Outcome::Failed(_) => "Payment failed",
        Outcome::Cancelled => "Payment cancelled",
        Outcome::Expired => "Payment expired",
    }
}

/// The sentence under the heading of a final screen.
pub fn outcome_detail(outcome: Outcome, summary: Option<&Summary>) -> String {
    match (outcome, summary) {
        (Outcome::Succeeded, Some(s)) => format!("You paid {} to {}.", s.amount, s.merchant_name),
        (Outcome::Succeeded, None) => "Thank you! You can close this window.".to_owned(),
        (Outcome::Failed(reason), _) => failure(reason).to_owned(),
        (Outcome::Cancelled, _) => "The payment was cancelled. Nothing was charged.".to_owned(),
        (Outcome::Expired, _) => {
            "The time to pay ran out. Nothing was charged. Go back to the shop to try again."
                .to_owned()
        }
    }
}

/// Why a payment failed, in words the shopper can act on.
pub fn failure(reason: FailureReason) -> &'static str {
    match reason {
        FailureReason::InsufficientFunds => {
            "Your card was declined: insufficient funds. Try another card in Vipps."
        }
        FailureReason::RefusedByIssuer => {
            "Your card was declined by your bank. Try another card in Vipps."
        }
        FailureReason::NoSuchIssuer => {
            "Your card was declined: its bank is unknown. Try another card in Vipps."
        }
        FailureReason::SuspectedFraud => {
            "Your bank stopped the payment for your security. Contact your bank, or try another card in Vipps."
        }
        FailureReason::ExceedsLimit => {
            "Your card was declined: the amount is over your card's limit. Try another card in Vipps."
        }
        FailureReason::TooLate => {
            "Your bank answered too late. Nothing was charged; please try again."
        }
        FailureReason::ExpiredCard => "Your card has expired. Try another card in Vipps.",
        FailureReason::InvalidCard => "The card number is not valid. Try another card in Vipps.",
        FailureReason::CreditCardNotAllowed => {
            "This shop does not take credit cards. Try a debit card in Vipps."
        }
        FailureReason::RejectedInApp => {
            "You declined the payment in the Vipps app. Nothing was charged."
        }
        FailureReason::CancelledAtVipps => {
            "The payment was cancelled at Vipps. Nothing was charged."
        }
        FailureReason::TimedOut => {
            "The payment was not confirmed in Vipps in time. Nothing was charged."
        }
        FailureReason::CardUnreadable => {
            "We could not read the card details from Vipps. Nothing was charged; please try again."
        }
        FailureReason::Internal => "Something went wrong on our side. Nothing was charged.",
    }
}

/// The message under the phone input.
pub fn form_error(error: &FormError) -> String {
    match error {
        FormError::Invalid(invalid) => sentence(&invalid.to_string()),
        FormError::VippsRejected => {
            "Vipps could not start a payment for this number. Check that it is the number you use with Vipps.".to_owned()
        }
        FormError::VippsUnavailable => {
            "Vipps is not answering right now. Try again in a moment.".to_owned()
        }
        FormError::Connection => {
            "Connection trouble. Check your connection and press Pay again.".to_owned()
        }
        FormError::Unexpected => "Something went wrong. Please try again.".to_owned(),
    }
}

/// Why the widget cannot go on.
pub fn problem(problem: Problem) -> &'static str {
    match problem {
        Problem::NotEmbedded => "This payment page only works inside the shop's checkout.",
        Problem::BadLink => "This payment link is not valid. Go back to the shop and try again.",
        Problem::NoInit => "The payment could not start. Reload the page and try again.",
        Problem::NotFound => "We could not find this payment. Go back to the shop and try again.",
        Problem::Unauthorized => {
            "This payment could not be opened here. Go back to the shop and try again."
        }
        Problem::Unexpected => "Something went wrong. Reload the page and try again.",
    }
}

/// What the live region announces when the step changes.
pub fn announcement(step: &Step) -> &'static str {
    match step {
        Step::Loading { trouble: false } => LOADING,
        Step::Loading { trouble: true } => CONNECTION_TROUBLE,
        Step::Phone(entry) if entry.starting => STARTING,
        Step::Phone(_) => "Enter your mobile number to pay with Vipps.",
        Step::Waiting(w) if w.trouble => CONNECTION_TROUBLE,
        Step::Waiting(w) if w.processing => PROCESSING,
        Step::Waiting(_) => WAITING,
        Step::Done(Outcome::Failed(reason)) => failure(*reason),
        Step::Done(outcome) => outcome_title(*outcome),
        Step::Problem(p) => problem(*p),
    }
}

/// `a mobile number has only digits` → `A mobile number has only digits.`
fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    let Some(first) = chars.next() else {
        return String::new();
    };
    format!("{}{}.", first.to_uppercase(), chars.as_str())
}

#[cfg(test)]
mod tests {
    use shared::MobileNumberError;

    use super::*;

    #[test]
    fn phone_errors_read_as_sentences() {
        let error = FormError::Invalid(MobileNumberError::WrongLength);
        assert_eq!(
            form_error(&error),
            "A Norwegian mobile number has 8 digits."
        );
    }

    #[test]
    fn insufficient_funds_is_explained_in_words() {
        let text = outcome_detail(Outcome::Failed(FailureReason::InsufficientFunds), None);
        assert_eq!(
            text,
            "Your card was declined: insufficient funds. Try another card in Vipps."
        );
    }
}
