//! English.

use crate::checkout::{ErrorCode, FailureReason};

use super::{Key, ReturnKey};

pub fn text(key: Key) -> &'static str {
    match key {
        Key::Loading => "Loading the payment…",
        Key::ConnectionTrouble => "We can't reach the server right now. We keep trying…",
        Key::PhoneHeading => "Pay with Vipps",
        Key::PhoneInstruction => "Enter your mobile number to pay with Vipps.",
        Key::PhoneLabel => "Mobile number",
        Key::PhoneHint => "The number you use with Vipps.",
        Key::PhoneEmpty => "Enter your mobile number.",
        Key::PhoneNotDigits => "A mobile number has only digits.",
        Key::PhoneWrongLength => "A Norwegian mobile number has 8 digits.",
        Key::PhoneNotMobile => "A Norwegian mobile number starts with 4 or 9.",
        Key::Pay => "Pay with Vipps",
        Key::Starting => "Opening Vipps…",
        Key::NoAnswer => "We could not reach the server. Check your connection and try again.",
        Key::Error(code) => error(code),
        Key::WaitingHeading => "Confirm the payment in the Vipps app",
        Key::WaitingHint => "Keep this page open. It updates by itself.",
        Key::AppHint => "If the Vipps app did not open, use the button below.",
        Key::Processing => "Payment confirmed. Completing the payment…",
        Key::NoVippsWindow => "Don't see Vipps?",
        Key::OpenVipps => "Open Vipps",
        Key::QrLabel => "Or scan the code with your phone's camera:",
        Key::QrAlt => "QR code that opens the payment in Vipps",
        Key::TimeLeft => "Time left to pay",
        Key::Cancel => "Cancel payment",
        Key::Cancelling => "Cancelling the payment…",
        Key::CancelFailed => "The payment could not be cancelled just now. Try again.",
        Key::Succeeded => "Payment complete",
        Key::Paid => "You paid {amount} to {merchant}.",
        Key::ThankYou => "Thank you for your payment.",
        Key::Failed => "Payment failed",
        Key::Failure(reason) => failure(reason),
        Key::TryAgain => "Try again",
        Key::Cancelled => "Payment cancelled",
        Key::CancelledDetail => "The payment was cancelled. No money was taken.",
        Key::Expired => "Payment expired",
        Key::ExpiredDetail => {
            "The time to pay ran out. No money was taken. Go back to the shop to try again."
        }
        Key::ProblemHeading => "The payment can't be shown",
        Key::NotEmbedded => "This payment page only works inside the shop's checkout.",
        Key::BadLink => "This payment link is not valid. Go back to the shop and try again.",
        Key::NoInit => "The payment could not start. Reload the page and try again.",
    }
}

pub fn return_text(key: ReturnKey) -> &'static str {
    match key {
        ReturnKey::InProgress => "Payment in progress",
        ReturnKey::FinishInApp => {
            "Finish the payment in the Vipps app. This page updates by itself."
        }
        ReturnKey::PaidDetail => "Thank you. You can close this window and go back to the shop.",
        ReturnKey::FailedDetail => "No money was taken. Go back to the shop to try again.",
        ReturnKey::BackToShop => "Back to the shop",
    }
}

fn error(code: ErrorCode) -> &'static str {
    match code {
        ErrorCode::InvalidRequest | ErrorCode::MsnTaken | ErrorCode::Unknown => {
            "Something went wrong. Please try again."
        }
        ErrorCode::Unauthorized => {
            "This payment can't be opened here. Go back to the shop and try again."
        }
        ErrorCode::NotFound => "We can't find this payment. Go back to the shop and start again.",
        ErrorCode::PaymentExpired => "The time to pay has run out. No money was taken.",
        ErrorCode::InvalidState => "This payment has moved on. Showing where it is now…",
        ErrorCode::DuplicateOrderId => {
            "The shop has already used this order number. Go back to the shop and start again."
        }
        ErrorCode::VippsRejected => {
            "Vipps could not start a payment for this number. Check that it is the number you use with Vipps."
        }
        ErrorCode::VippsUnavailable => "Vipps is not answering right now. Try again in a moment.",
        ErrorCode::RateLimited => "Too many attempts in a short time. Wait a moment and try again.",
        ErrorCode::AmountExceedsBalance => {
            "The amount is more than what is left of the payment. Go back to the shop and try again."
        }
        ErrorCode::AcquirerFailed => {
            "The card payment could not be completed. No money was taken. Please try again."
        }
        ErrorCode::IdempotencyKeyReused => {
            "This request was already used for something else. Reload the page and try again."
        }
        ErrorCode::IdempotencyInProgress => {
            "The same request is still being handled. Wait a moment and try again."
        }
        ErrorCode::TooManyAttempts => {
            "This payment has been tried too many times. Go back to the shop and start again."
        }
        ErrorCode::MerchantUnavailable => {
            "This shop cannot take payments right now. No money was taken."
        }
        ErrorCode::Internal => {
            "Something went wrong on our side. No money was taken. Please try again."
        }
    }
}

fn failure(reason: FailureReason) -> &'static str {
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
            "Your bank answered too late. No money was taken. Please try again."
        }
        FailureReason::ExpiredCard => "Your card has expired. Try another card in Vipps.",
        FailureReason::InvalidCard => "The card number is not valid. Try another card in Vipps.",
        FailureReason::CreditCardNotAllowed => {
            "This shop does not take credit cards. Try a debit card in Vipps."
        }
        FailureReason::RejectedInApp => {
            "You declined the payment in the Vipps app. No money was taken."
        }
        FailureReason::CancelledAtVipps => {
            "The payment was cancelled in Vipps. No money was taken."
        }
        FailureReason::TimedOut => {
            "The payment was not confirmed in Vipps in time. No money was taken."
        }
        FailureReason::CardUnreadable => {
            "We could not read the card details from Vipps. No money was taken. Please try again."
        }
        FailureReason::Internal => {
            "Something went wrong on our side. No money was taken. Please try again."
        }
    }
}
