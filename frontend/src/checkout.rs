//! The widget's state machine: which screen the shopper sees (`Step`) and the pure
//! functions that turn API answers into the next step. No browser APIs in here, so it is
//! unit-tested natively (`cargo test -p frontend`).

use shared::checkout::{CheckoutPayment, CheckoutStatus, ErrorCode, FailureReason};
use shared::{Amount, MobileNumber, MobileNumberError};

use crate::api;

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
    VippsRejected,
    VippsUnavailable,
    /// No answer: the payment may or may not have started (a second Pay finds out).
    Connection,
    Unexpected,
}

/// Sent to Vipps: the shopper confirms on the landing page and in the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waiting {
    /// The shopper confirmed; the card is being charged.
    pub processing: bool,
    pub vipps_url: Option<String>,
    /// Offer a link to the landing page: the window was blocked, or the page reloaded.
    pub show_link: bool,
    /// The last poll got no answer; still retrying.
    pub trouble: bool,
}

/// A final status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Succeeded,
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
    NotFound,
    Unauthorized,
    Unexpected,
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
}

impl Step {
    pub fn screen(&self) -> Screen {
        match self {
            Self::Loading { .. } => Screen::Loading,
            Self::Phone(_) => Screen::Phone,
            Self::Waiting(_) => Screen::Waiting,
            Self::Done(_) => Screen::Result,
            Self::Problem(_) => Screen::Problem,
        }
    }

    /// The root element's `data-step`, a stable hook for browser tests.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Loading { .. } => "loading",
            Self::Phone(entry) if entry.starting => "starting",
            Self::Phone(_) => "phone",
            Self::Waiting(_) => "waiting",
            Self::Done(_) => "result",
            Self::Problem(_) => "error",
        }
    }

    /// The server is asked again every poll interval while this is true.
    pub fn polls(&self) -> bool {
        match self {
            Self::Loading { .. } | Self::Waiting(_) => true,
            Self::Phone(_) | Self::Done(_) | Self::Problem(_) => false,
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
        };
        Some(StatusReport {
            status,
            reason: None,
        })
    }

    /// The same step, marked as not hearing from the server.
    fn with_trouble(&self) -> Self {
        match self {
            Self::Loading { .. } => Self::Loading { trouble: true },
            Self::Waiting(w) => Self::Waiting(Waiting {
                trouble: true,
                ..w.clone()
            }),
            Self::Phone(_) | Self::Done(_) | Self::Problem(_) => self.clone(),
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

impl From<&CheckoutPayment> for Summary {
    fn from(payment: &CheckoutPayment) -> Self {
        Self {
            merchant_name: payment.merchant_name.clone(),
            description: payment.description.clone(),
            amount: payment.amount,
        }
    }
}

/// The step for the server's view of the payment; `current` keeps what the widget knows
/// about the landing page.
pub fn from_payment(payment: &CheckoutPayment, current: &Step) -> Step {
    let waiting = |processing| {
        let known = match current {
            Step::Waiting(w) => Some(w),
            Step::Loading { .. } | Step::Phone(_) | Step::Done(_) | Step::Problem(_) => None,
        };
        let vipps_url = payment
            .vipps_url
            .clone()
            .filter(|url| is_web_url(url))
            .or_else(|| known.and_then(|w| w.vipps_url.clone()));
        // Only a step that just opened the landing window knows it is open.
        let show_link = known.is_none_or(|w| w.show_link);
        Step::Waiting(Waiting {
            processing,
            vipps_url,
            show_link,
            trouble: false,
        })
    };
    match payment.status {
        CheckoutStatus::AwaitingPhone => Step::Phone(PhoneEntry::default()),
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
        Err(api::Error::Network) => return current.with_trouble(),
        Err(api::Error::Api { code, .. }) => *code,
    };
    match code {
        ErrorCode::Internal | ErrorCode::VippsUnavailable | ErrorCode::Unknown => {
            current.with_trouble()
        }
        ErrorCode::PaymentExpired => Step::Done(Outcome::Expired),
        ErrorCode::NotFound => Step::Problem(Problem::NotFound),
        ErrorCode::Unauthorized => Step::Problem(Problem::Unauthorized),
        ErrorCode::InvalidRequest
        | ErrorCode::InvalidState
        | ErrorCode::VippsRejected
        | ErrorCode::DuplicateOrderId => Step::Problem(Problem::Unexpected),
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
                processing: false,
                vipps_url: None,
                show_link: !window_open,
                trouble: false,
            };
            return from_payment(payment, &Step::Waiting(opened));
        }
        Err(api::Error::Network) => return form_error(FormError::Connection),
        Err(api::Error::Api { code, .. }) => *code,
    };
    match code {
        ErrorCode::VippsRejected => form_error(FormError::VippsRejected),
        ErrorCode::VippsUnavailable => form_error(FormError::VippsUnavailable),
        ErrorCode::InvalidRequest
        | ErrorCode::Internal
        | ErrorCode::Unknown
        | ErrorCode::DuplicateOrderId => form_error(FormError::Unexpected),
        ErrorCode::PaymentExpired => Step::Done(Outcome::Expired),
        // Started already (another tab, or a first Pay whose answer was lost): reload it.
        ErrorCode::InvalidState => Step::Loading { trouble: false },
        ErrorCode::NotFound => Step::Problem(Problem::NotFound),
        ErrorCode::Unauthorized => Step::Problem(Problem::Unauthorized),
    }
}

/// Parses what the shopper typed with the server's own parser.
pub fn parse_phone(input: &str) -> Result<MobileNumber, FormError> {
    input.parse().map_err(FormError::Invalid)
}

/// After an edit: once an error is shown, it follows the input (and clears when valid).
pub fn revalidate(entry: &PhoneEntry, input: &str) -> PhoneEntry {
    let error = match entry.error {
        Some(_) => parse_phone(input).err(),
        None => None,
    };
    PhoneEntry {
        error,
        ..entry.clone()
    }
}

/// The shopper is on a phone, so Vipps should switch to the app.
pub fn is_phone(user_agent: &str) -> bool {
    ["Mobi", "Android", "iPhone", "iPad"]
        .iter()
        .any(|word| user_agent.contains(word))
}

/// Only web addresses may be opened as the landing page (never `javascript:` and friends).
pub fn is_web_url(url: &str) -> bool {
    url.starts_with("https://") || url.starts_with("http://")
}

#[cfg(test)]
#[path = "checkout_tests.rs"]
mod tests;
