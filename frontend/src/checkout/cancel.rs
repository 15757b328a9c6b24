//! Cancel while waiting: the pure transitions around `POST …/cancel`.

use shared::checkout::{CheckoutPayment, ErrorCode};

use super::{Outcome, Problem, Step, Waiting, from_payment};
use crate::api;

/// After `POST …/cancel`. If it did not go through, the shopper is still waiting.
pub fn after_cancel(current: &Step, result: &Result<CheckoutPayment, api::Error>) -> Step {
    let code = match result {
        Ok(payment) => return from_payment(payment, current),
        Err(api::Error::Network) => None,
        Err(api::Error::Api { code, .. }) => Some(*code),
    };
    match code {
        Some(ErrorCode::PaymentExpired) => Step::Done(Outcome::Expired),
        // Too late to cancel: the payment moved on. Show where it is.
        Some(ErrorCode::InvalidState) => Step::Loading { trouble: false },
        Some(
            code @ (ErrorCode::NotFound | ErrorCode::Unauthorized | ErrorCode::MerchantUnavailable),
        ) => Step::Problem(Problem::Api(code)),
        None
        | Some(
            ErrorCode::InvalidRequest
            | ErrorCode::DuplicateOrderId
            | ErrorCode::VippsRejected
            | ErrorCode::VippsUnavailable
            | ErrorCode::RateLimited
            | ErrorCode::AmountExceedsBalance
            | ErrorCode::AcquirerFailed
            | ErrorCode::IdempotencyKeyReused
            | ErrorCode::IdempotencyInProgress
            | ErrorCode::TooManyAttempts
            | ErrorCode::MsnTaken
            | ErrorCode::Internal
            | ErrorCode::Unknown,
        ) => match current {
            Step::Waiting(w) => Step::Waiting(Waiting {
                cancelling: false,
                cancel_failed: true,
                ..w.clone()
            }),
            Step::Loading { .. }
            | Step::Phone(_)
            | Step::Done(_)
            | Step::Retrying(_)
            | Step::Problem(_) => current.clone(),
        },
    }
}

/// Marks the waiting step as cancelling; `None` if there is nothing to cancel now.
pub fn cancelling(current: &Step) -> Option<Step> {
    match current {
        Step::Waiting(w) if !w.processing && !w.cancelling => Some(Step::Waiting(Waiting {
            cancelling: true,
            cancel_failed: false,
            ..w.clone()
        })),
        Step::Loading { .. }
        | Step::Phone(_)
        | Step::Waiting(_)
        | Step::Done(_)
        | Step::Retrying(_)
        | Step::Problem(_) => None,
    }
}
