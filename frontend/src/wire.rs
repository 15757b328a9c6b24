//! The wire names of the shared enums, both ways, matched by hand so that no serde code
//! ends up in the wasm. Tests check every name against serde's own (`serde_json`).

use shared::checkout::{CheckoutStatus, ErrorCode, FailureReason};

/// `CheckoutStatus::AwaitingApp` → `awaiting_app`.
pub fn status_name(status: CheckoutStatus) -> &'static str {
    match status {
        CheckoutStatus::AwaitingPhone => "awaiting_phone",
        CheckoutStatus::AwaitingApp => "awaiting_app",
        CheckoutStatus::Processing => "processing",
        CheckoutStatus::Succeeded => "succeeded",
        CheckoutStatus::Failed => "failed",
        CheckoutStatus::Cancelled => "cancelled",
        CheckoutStatus::Expired => "expired",
    }
}

/// `FailureReason::InsufficientFunds` → `insufficient_funds`.
pub fn reason_name(reason: FailureReason) -> &'static str {
    match reason {
        FailureReason::NoSuchIssuer => "no_such_issuer",
        FailureReason::RefusedByIssuer => "refused_by_issuer",
        FailureReason::SuspectedFraud => "suspected_fraud",
        FailureReason::ExceedsLimit => "exceeds_limit",
        FailureReason::TooLate => "too_late",
        FailureReason::ExpiredCard => "expired_card",
        FailureReason::InvalidCard => "invalid_card",
        FailureReason::CreditCardNotAllowed => "credit_card_not_allowed",
        FailureReason::InsufficientFunds => "insufficient_funds",
        FailureReason::RejectedInApp => "rejected_in_app",
        FailureReason::CancelledAtVipps => "cancelled_at_vipps",
        FailureReason::TimedOut => "timed_out",
        FailureReason::CardUnreadable => "card_unreadable",
        FailureReason::Internal => "internal",
    }
}

/// `ErrorCode::RateLimited` → `rate_limited`.
pub fn code_name(code: ErrorCode) -> &'static str {
    match code {
        ErrorCode::InvalidRequest => "invalid_request",
        ErrorCode::Unauthorized => "unauthorized",
        ErrorCode::NotFound => "not_found",
        ErrorCode::PaymentExpired => "payment_expired",
        ErrorCode::InvalidState => "invalid_state",
        ErrorCode::DuplicateOrderId => "duplicate_order_id",
        ErrorCode::VippsRejected => "vipps_rejected",
        ErrorCode::VippsUnavailable => "vipps_unavailable",
        ErrorCode::RateLimited => "rate_limited",
        ErrorCode::AmountExceedsBalance => "amount_exceeds_balance",
        ErrorCode::AcquirerFailed => "acquirer_failed",
        ErrorCode::IdempotencyKeyReused => "idempotency_key_reused",
        ErrorCode::IdempotencyInProgress => "idempotency_in_progress",
        ErrorCode::TooManyAttempts => "too_many_attempts",
        ErrorCode::MerchantUnavailable => "merchant_unavailable",
        ErrorCode::MsnTaken => "msn_taken",
        ErrorCode::Internal => "internal",
        ErrorCode::Unknown => "unknown",
    }
}

pub fn parse_status(name: &str) -> Option<CheckoutStatus> {
    CheckoutStatus::ALL
        .into_iter()
        .find(|s| status_name(*s) == name)
}

pub fn parse_reason(name: &str) -> Option<FailureReason> {
    FailureReason::ALL
        .into_iter()
        .find(|r| reason_name(*r) == name)
}

/// Codes this build does not know are `Unknown`, as serde's `#[serde(other)]` has it.
pub fn parse_code(name: &str) -> ErrorCode {
    ErrorCode::ALL
        .into_iter()
        .find(|c| code_name(*c) == name)
        .unwrap_or(ErrorCode::Unknown)
}

/// `x` if it is a whole number from 0 to `u32::MAX` (JSON numbers arrive as `f64`, and
/// the workspace allows no `as`): found by bisection over exact `u32 → f64` conversions.
pub fn whole_u32(x: f64) -> Option<u32> {
    let floor = floor_u32(x)?;
    (f64::from(floor) == x).then_some(floor)
}

/// The largest `u32` not above `x`; `None` below 0, above `u32::MAX`, or NaN.
pub fn floor_u32(x: f64) -> Option<u32> {
    if !(0.0..=f64::from(u32::MAX)).contains(&x) {
        return None;
    }
    let (mut low, mut high) = (0_u32, u32::MAX);
    while low < high {
        let mid = low + (high - low).div_ceil(2);
        if f64::from(mid) <= x {
            low = mid;
        } else {
            high = mid - 1;
        }
    }
    Some(low)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn serde_name<T: serde::Serialize>(value: T) -> String {
        serde_json::to_value(value)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
    }

    #[test]
    fn every_name_is_the_one_serde_uses_and_parses_back() {
        for status in CheckoutStatus::ALL {
            assert_eq!(status_name(status), serde_name(status));
            assert_eq!(parse_status(status_name(status)), Some(status));
        }
        for reason in FailureReason::ALL {
            assert_eq!(reason_name(reason), serde_name(reason));
            assert_eq!(parse_reason(reason_name(reason)), Some(reason));
        }
        for code in ErrorCode::ALL {
            assert_eq!(code_name(code), serde_name(code));
            assert_eq!(parse_code(code_name(code)), code);
        }
    }

    #[test]
    fn unknown_names_are_refused_or_unknown() {
        assert_eq!(parse_status("paid"), None);
        assert_eq!(parse_reason("bad_luck"), None);
        assert_eq!(parse_code("teapot"), ErrorCode::Unknown);
    }

    #[test]
    fn only_whole_numbers_in_range_become_u32() {
        assert_eq!(whole_u32(0.0), Some(0));
        assert_eq!(whole_u32(29_950.0), Some(29_950));
        assert_eq!(whole_u32(1_900_000_000.0), Some(1_900_000_000));
        assert_eq!(whole_u32(f64::from(u32::MAX)), Some(u32::MAX));
        assert_eq!(whole_u32(1.5), None);
        assert_eq!(whole_u32(-1.0), None);
        assert_eq!(whole_u32(4_294_967_296.0), None);
        assert_eq!(whole_u32(f64::NAN), None);
        assert_eq!(floor_u32(1.999), Some(1));
        assert_eq!(floor_u32(f64::INFINITY), None);
    }
}
