//! What the user reads when a call fails: our words for the errors a user meets and can
//! act on, the API's own sentence for the rest (a rule a field broke, which it names).

use shared::checkout::ErrorCode;

use crate::api::Error;
use crate::money::KronerError;
use crate::text::{Key, Lang, text};

/// The sentence for `error` in `lang`.
pub fn describe(lang: Lang, error: &Error) -> String {
    let key = match error {
        Error::Network => Key::NoAnswer,
        Error::Unauthorized => Key::SessionExpired,
        Error::Api { status, body } => match code(body.code) {
            Some(key) => key,
            None if body.message.trim().is_empty() || *status >= 500 => Key::ServerError,
            None => return body.message.clone(),
        },
    };
    text(lang, key).to_owned()
}

/// Why typed kroner are not an amount.
pub fn kroner(lang: Lang, error: KronerError) -> String {
    let key = match error {
        KronerError::NotANumber => Key::KronerNotANumber,
        KronerError::TooPrecise => Key::KronerTooPrecise,
        KronerError::Zero => Key::KronerZero,
        KronerError::TooLarge => Key::KronerTooLarge,
    };
    text(lang, key).to_owned()
}

/// Our words for a code, where the API's sentence would not help a person more.
fn code(code: ErrorCode) -> Option<Key> {
    match code {
        ErrorCode::Unauthorized => Some(Key::WrongEmailOrPassword),
        ErrorCode::NotFound => Some(Key::NotFound),
        ErrorCode::PaymentExpired => Some(Key::PaymentExpired),
        ErrorCode::InvalidState => Some(Key::InvalidState),
        ErrorCode::AmountExceedsBalance => Some(Key::AmountExceedsBalance),
        ErrorCode::RateLimited => Some(Key::RateLimited),
        ErrorCode::IdempotencyInProgress => Some(Key::StillRunning),
        ErrorCode::VippsUnavailable | ErrorCode::AcquirerFailed => Some(Key::TryAgain),
        ErrorCode::Internal => Some(Key::ServerError),
        ErrorCode::InvalidRequest
        | ErrorCode::DuplicateOrderId
        | ErrorCode::VippsRejected
        | ErrorCode::IdempotencyKeyReused
        | ErrorCode::TooManyAttempts
        | ErrorCode::MerchantUnavailable
        | ErrorCode::MsnTaken
        | ErrorCode::Unknown => None,
    }
}
