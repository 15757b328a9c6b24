//! The widget's state machine: which screen the shopper sees (`Step`) and the pure
//! functions that turn API answers into the next step. No browser APIs in here, so it is
//! unit-tested natively (`cargo test -p frontend`).

use shared::checkout::{CheckoutPayment, CheckoutStatus, ErrorCode, FailureReason};
use shared::{Amount, MobileNumberError};

use crate::api;

mod cancel;
mod phone;

pub use cancel::{after_cancel, cancelling};
pub use phone::{parse_phone, revalidate};

/// What the widget shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Waiting for the parent page's `init` or the server's first answer.
    Loading {
        trouble: bool,
    },
    Phone(PhoneEntry),
    Waiting(Waiting),
    Done(Outcome),
    /// Try again was pressed after a failure; the new attempt's start is in flight.
    Retrying(FailureReason),
    /// Nothing the shopper can do in the widget helps; the merchant page has to act.
    Problem(Problem),
}

/// The phone-number step.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PhoneEntry {
    pub error: Option<FormError>,
    /// The start request is in flight: Pay is disabled.
    pub starting: bool,
}

/// Why Pay did not lead to Vipps; shown under the phone input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormError {
    Invalid(MobileNumberError),
    /// No answer: the payment may or may not have started (a second Pay finds out).
    NoAnswer,
    Api(ErrorCode),
}

/// Sent to Vipps: the shopper confirms on the landing page and in the app.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Waiting {
    /// The shopper confirmed; the card is being charged.
    pub processing: bool,
    pub vipps_url: Option<String>,
    /// This attempt switches to the Vipps app on this phone (no landing window).
    pub is_app: bool,
    /// Offer a link to Vipps: the window was blocked, the page reloaded, or app-switch.
    pub show_link: bool,
    /// The last poll got no answer; still retrying.
    pub trouble: bool,
    /// The cancel request is in flight.
    pub cancelling: bool,
    /// The last cancel request did not go through.
    pub cancel_failed: bool,
}

/// A final status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Succeeded,
    /// The attempt failed; the shopper may try again until the payment expires.
    Failed(FailureReason),
    Cancelled,
    Expired,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// Opened directly instead of inside the merchant's page.
    NotEmbedded,
    /// No valid `?payment=` in the widget URL.
    BadLink,
    /// The merchant page never sent `init`.
    NoInit,
    /// An API answer the shopper cannot do anything about (`not_found`, `unauthorized`…).
    Api(ErrorCode),
}

/// Which component renders a step; changes less often than the step itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Loading,
    Phone,
    Waiting,
    Result,
    Problem,
}

/// What the parent page is told: the wire status and, on failure, why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatusReport {
    pub status: CheckoutStatus,
    pub reason: Option<FailureReason>,
}

/// The payment as shown above every step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub merchant_name: String,
    pub description: String,
    pub amount: Amount,
    /// Unix seconds (server clock) after which the payment can no longer be started.
    pub expires_at: i64,
}

impl From<&CheckoutPayment> for Summary {
    fn from(payment: &CheckoutPayment) -> Self {
        Self {
            merchant_name: payment.merchant_name.clone(),
            description: payment.description.clone(),
            amount: payment.amount,
            expires_at: payment.expires_at,
        }
    }
}

impl Step {
    pub fn screen(&self) -> Screen {
        match self {
            Self::Loading { .. } => Screen::Loading,
            Self::Phone(_) => Screen::Phone,
            Self::Waiting(_) => Screen::Waiting,
            Self::Done(_) | Self::Retrying(_) => Screen::Result,
            Self::Problem(_) => Screen::Problem,
        }
    }

    /// The root element's `data-step`, a stable hook for browser tests.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Loading { .. } => "loading",
            Self::Phone(entry) if entry.starting => "starting",
            Self::Retrying(_) => "starting",
            Self::Phone(_) => "phone",
            Self::Waiting(_) => "waiting",
            Self::Done(_) => "result",
            Self::Problem(_) => "error",
        }
    }

    /// The server is asked again after each poll interval while this is true.
    pub fn polls(&self) -> bool {
        match self {
            Self::Loading { .. } | Self::Waiting(_) => true,
            Self::Phone(_) | Self::Done(_) | Self::Retrying(_) | Self::Problem(_) => false,
        }
    }

    /// What to tell the parent page; `None` while the status is unknown.
    pub fn status(&self) -> Option<StatusReport> {
        let status = match self {
            Self::Loading { .. } | Self::Problem(_) => return None,
            Self::Phone(_) => CheckoutStatus::AwaitingPhone,
            Self::Waiting(w) if w.processing => CheckoutStatus::Processing,
            Self::Waiting(_) => CheckoutStatus::AwaitingApp,
            Self::Done(outcome) => return Some(outcome.report()),
            // Still failed until the new attempt is accepted.
            Self::Retrying(reason) => return Some(Outcome::Failed(*reason).report()),
        };
        Some(StatusReport {
            status,
            reason: None,
        })
    }

    /// The same step, marked as (not) hearing from the server.
    fn with_trouble(&self, trouble: bool) -> Self {
        match self {
            Self::Loading { .. } => Self::Loading { trouble },
            Self::Waiting(w) => Self::Waiting(Waiting {
                trouble,
                ..w.clone()
            }),
            Self::Phone(_) | Self::Done(_) | Self::Retrying(_) | Self::Problem(_) => self.clone(),
        }
    }
}

impl Outcome {
    pub fn report(self) -> StatusReport {
        let (status, reason) = match self {
            Self::Succeeded => (CheckoutStatus::Succeeded, None),
            Self::Failed(reason) => (CheckoutStatus::Failed, Some(reason)),
            Self::Cancelled => (CheckoutStatus::Cancelled, None),
            Self::Expired => (CheckoutStatus::Expired, None),
        };
        StatusReport { status, reason }
    }
}

/// The step for the server's view of the payment; `current` keeps what the widget knows
/// about the landing page.
pub fn from_payment(payment: &CheckoutPayment, current: &Step) -> Step {
    let waiting = |processing| {
        let known = match current {
            Step::Waiting(w) => Some(w),
            Step::Loading { .. }
            | Step::Phone(_)
            | Step::Done(_)
            | Step::Retrying(_)
            | Step::Problem(_) => None,
        };
        let vipps_url = payment
            .vipps_url
            .clone()
            .filter(|url| is_web_url(url))
            .or_else(|| known.and_then(|w| w.vipps_url.clone()));
        // Only a step that just opened the landing window knows it is open.
        let show_link = payment.is_app || known.is_none_or(|w| w.show_link);
        Step::Waiting(Waiting {
            processing,
            vipps_url,
            is_app: payment.is_app,
            show_link,
            trouble: false,
            cancelling: known.is_some_and(|w| w.cancelling),
            cancel_failed: known.is_some_and(|w| w.cancel_failed),
        })
    };
    match payment.status {
        CheckoutStatus::AwaitingPhone => match current {
            // A poll while the form is open keeps what the form shows.
            Step::Phone(entry) => Step::Phone(entry.clone()),
            Step::Loading { .. }
            | Step::Waiting(_)
            | Step::Done(_)
            | Step::Retrying(_)
            | Step::Problem(_) => Step::Phone(PhoneEntry::default()),
        },
        CheckoutStatus::AwaitingApp => waiting(false),
        CheckoutStatus::Processing => waiting(true),
        CheckoutStatus::Succeeded => Step::Done(Outcome::Succeeded),
        CheckoutStatus::Failed => Step::Done(Outcome::Failed(
            payment.failure.unwrap_or(FailureReason::Internal),
        )),
        CheckoutStatus::Cancelled => Step::Done(Outcome::Cancelled),
        CheckoutStatus::Expired => Step::Done(Outcome::Expired),
    }
}

/// After a `GET` (first load or poll). Transient failures keep the step and keep polling.
pub fn after_fetch(current: &Step, result: &Result<CheckoutPayment, api::Error>) -> Step {
    let code = match result {
        Ok(payment) => return from_payment(payment, current),
        Err(api::Error::Network) => return current.with_trouble(true),
        Err(api::Error::Api { code, .. }) => *code,
    };
    match code {
        ErrorCode::Internal | ErrorCode::VippsUnavailable | ErrorCode::Unknown => {
            current.with_trouble(true)
        }
        // The server answered: only slower polling (`Retry-After`), no trouble to show.
        ErrorCode::RateLimited | ErrorCode::IdempotencyInProgress => current.with_trouble(false),
        ErrorCode::PaymentExpired => Step::Done(Outcome::Expired),
        ErrorCode::NotFound
        | ErrorCode::Unauthorized
        | ErrorCode::InvalidRequest
        | ErrorCode::InvalidState
        | ErrorCode::VippsRejected
        | ErrorCode::DuplicateOrderId
        | ErrorCode::AmountExceedsBalance
        | ErrorCode::AcquirerFailed
        | ErrorCode::IdempotencyKeyReused
        | ErrorCode::TooManyAttempts
        | ErrorCode::MerchantUnavailable
        | ErrorCode::MsnTaken => Step::Problem(Problem::Api(code)),
    }
}

/// After `POST …/start`. `window_open` says whether the landing window could be opened.
pub fn after_start(result: &Result<CheckoutPayment, api::Error>, window_open: bool) -> Step {
    let form_error = |error| {
        Step::Phone(PhoneEntry {
            error: Some(error),
            starting: false,
        })
    };
    let code = match result {
        Ok(payment) => {
            let opened = Waiting {
                show_link: !window_open,
                ..Waiting::default()
            };
            return from_payment(payment, &Step::Waiting(opened));
        }
        Err(api::Error::Network) => return form_error(FormError::NoAnswer),
        Err(api::Error::Api { code, .. }) => *code,
    };
    match code {
        ErrorCode::VippsRejected
        | ErrorCode::VippsUnavailable
        | ErrorCode::RateLimited
        | ErrorCode::InvalidRequest
        | ErrorCode::Internal
        | ErrorCode::Unknown
        | ErrorCode::DuplicateOrderId
        | ErrorCode::AmountExceedsBalance
        | ErrorCode::AcquirerFailed
        | ErrorCode::IdempotencyKeyReused
        | ErrorCode::IdempotencyInProgress
        | ErrorCode::MsnTaken => form_error(FormError::Api(code)),
        ErrorCode::PaymentExpired => Step::Done(Outcome::Expired),
        // Started already (another tab, or a first Pay whose answer was lost), or no
        // longer startable: show where it is.
        ErrorCode::InvalidState => Step::Loading { trouble: false },
        // Not startable any more, here or anywhere: back to the shop.
        ErrorCode::NotFound
        | ErrorCode::Unauthorized
        | ErrorCode::TooManyAttempts
        | ErrorCode::MerchantUnavailable => Step::Problem(Problem::Api(code)),
    }
}

/// Only web addresses may be opened as the landing page (never `javascript:` and friends).
pub fn is_web_url(url: &str) -> bool {
    url.starts_with("https://") || url.starts_with("http://")
}

#[cfg(test)]
#[path = "checkout_tests.rs"]
mod tests;
