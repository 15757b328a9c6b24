//! What the widget says when: maps its steps to the words in [`shared::text`].

use shared::MobileNumberError;

pub use shared::text::{Key, Lang, amount, digits, fill, text};

use crate::checkout::{FormError, Outcome, Problem, Step};

/// What the live region announces for a step.
pub fn announcement(step: &Step) -> Key {
    match step {
        Step::Loading { trouble: false } => Key::Loading,
        Step::Loading { trouble: true } => Key::ConnectionTrouble,
        Step::Phone(entry) if entry.starting => Key::Starting,
        Step::Phone(_) => Key::PhoneInstruction,
        Step::Waiting(w) if w.trouble => Key::ConnectionTrouble,
        Step::Waiting(w) if w.processing => Key::Processing,
        Step::Waiting(w) if w.cancelling => Key::Cancelling,
        Step::Waiting(_) => Key::WaitingHeading,
        Step::Retrying(_) => Key::Starting,
        Step::Done(Outcome::Failed(reason)) => Key::Failure(*reason),
        Step::Done(outcome) => outcome_title(*outcome),
        Step::Problem(p) => problem(*p),
    }
}

/// The heading of a final screen.
pub fn outcome_title(outcome: Outcome) -> Key {
    match outcome {
        Outcome::Succeeded => Key::Succeeded,
        Outcome::Failed(_) => Key::Failed,
        Outcome::Cancelled => Key::Cancelled,
        Outcome::Expired => Key::Expired,
    }
}

/// The sentence under the heading of a final screen (`Paid` needs filling in).
pub fn outcome_detail(outcome: Outcome, known_summary: bool) -> Key {
    match outcome {
        Outcome::Succeeded if known_summary => Key::Paid,
        Outcome::Succeeded => Key::ThankYou,
        Outcome::Failed(reason) => Key::Failure(reason),
        Outcome::Cancelled => Key::CancelledDetail,
        Outcome::Expired => Key::ExpiredDetail,
    }
}

/// The message under the phone input.
pub fn form_error(error: &FormError) -> Key {
    match error {
        FormError::Invalid(MobileNumberError::Empty) => Key::PhoneEmpty,
        FormError::Invalid(MobileNumberError::NotDigits) => Key::PhoneNotDigits,
        FormError::Invalid(MobileNumberError::WrongLength) => Key::PhoneWrongLength,
        FormError::Invalid(MobileNumberError::NotMobile) => Key::PhoneNotMobile,
        FormError::NoAnswer => Key::NoAnswer,
        FormError::Api(code) => Key::Error(*code),
    }
}

/// Why the widget cannot go on.
pub fn problem(problem: Problem) -> Key {
    match problem {
        Problem::NotEmbedded => Key::NotEmbedded,
        Problem::BadLink => Key::BadLink,
        Problem::NoInit => Key::NoInit,
        Problem::Api(code) => Key::Error(code),
    }
}

#[cfg(test)]
#[path = "text_tests.rs"]
mod tests;
