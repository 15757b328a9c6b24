//! The words for the API's enums: one exhaustive `match` each, so a new variant does not
//! compile until it has its words.

use shared::checkout::FailureReason;
use shared::merchant::PaymentStatus;
use shared::timeline::{MakePaymentOutcome, OperationKind, OperationState, StatusUpdateState};
use shared::webhooks::{DeliveryState, EventType};

use crate::text::Key;

pub fn status(status: PaymentStatus) -> Key {
    match status {
        PaymentStatus::Created => Key::StatusCreated,
        PaymentStatus::AwaitingApp => Key::StatusAwaitingApp,
        PaymentStatus::Processing => Key::StatusProcessing,
        PaymentStatus::Authorised => Key::StatusAuthorised,
        PaymentStatus::PartiallyCaptured => Key::StatusPartiallyCaptured,
        PaymentStatus::Captured => Key::StatusCaptured,
        PaymentStatus::PartiallyRefunded => Key::StatusPartiallyRefunded,
        PaymentStatus::Refunded => Key::StatusRefunded,
        PaymentStatus::Failed => Key::StatusFailed,
        PaymentStatus::Cancelled => Key::StatusCancelled,
        PaymentStatus::Expired => Key::StatusExpired,
    }
}

/// How a status looks (`style.css`): good, waiting, over without money, or failed.
pub fn status_tone(status: PaymentStatus) -> &'static str {
    match status {
        PaymentStatus::Authorised
        | PaymentStatus::PartiallyCaptured
        | PaymentStatus::Captured
        | PaymentStatus::PartiallyRefunded => "tone-good",
        PaymentStatus::Created | PaymentStatus::AwaitingApp | PaymentStatus::Processing => {
            "tone-waiting"
        }
        PaymentStatus::Refunded | PaymentStatus::Cancelled | PaymentStatus::Expired => {
            "tone-neutral"
        }
        PaymentStatus::Failed => "tone-bad",
    }
}

pub fn event_type(kind: EventType) -> Key {
    match kind {
        EventType::Authorised => Key::EventAuthorised,
        EventType::Failed => Key::EventFailed,
        EventType::Cancelled => Key::EventCancelled,
        EventType::Expired => Key::EventExpired,
        EventType::Captured => Key::EventCaptured,
        EventType::Refunded => Key::EventRefunded,
    }
}

pub fn delivery_state(state: DeliveryState) -> Key {
    match state {
        DeliveryState::Pending => Key::DeliveryPending,
        DeliveryState::Delivered => Key::DeliveryDelivered,
        DeliveryState::Failed => Key::DeliveryFailed,
    }
}

pub fn operation(kind: OperationKind) -> Key {
    match kind {
        OperationKind::Capture => Key::OperationCapture,
        OperationKind::Refund => Key::OperationRefund,
        OperationKind::Cancel => Key::OperationCancel,
    }
}

pub fn operation_state(state: OperationState) -> Key {
    match state {
        OperationState::Pending => Key::OperationPending,
        OperationState::Succeeded => Key::OperationSucceeded,
        OperationState::Failed => Key::OperationFailed,
    }
}

pub fn status_update(state: StatusUpdateState) -> Key {
    match state {
        StatusUpdateState::Pending => Key::UpdatePending,
        StatusUpdateState::Delivered => Key::UpdateDelivered,
        StatusUpdateState::Dead => Key::UpdateDead,
    }
}

pub fn make_payment(outcome: Option<MakePaymentOutcome>) -> Key {
    match outcome {
        Some(MakePaymentOutcome::Ok) => Key::MakePaymentOk,
        Some(MakePaymentOutcome::Fail) => Key::MakePaymentFail,
        None => Key::MakePaymentNone,
    }
}

pub fn failure(reason: FailureReason) -> Key {
    match reason {
        FailureReason::NoSuchIssuer => Key::FailureNoSuchIssuer,
        FailureReason::RefusedByIssuer => Key::FailureRefusedByIssuer,
        FailureReason::SuspectedFraud => Key::FailureSuspectedFraud,
        FailureReason::ExceedsLimit => Key::FailureExceedsLimit,
        FailureReason::TooLate => Key::FailureTooLate,
        FailureReason::ExpiredCard => Key::FailureExpiredCard,
        FailureReason::InvalidCard => Key::FailureInvalidCard,
        FailureReason::CreditCardNotAllowed => Key::FailureCreditCardNotAllowed,
        FailureReason::InsufficientFunds => Key::FailureInsufficientFunds,
        FailureReason::RejectedInApp => Key::FailureRejectedInApp,
        FailureReason::CancelledAtVipps => Key::FailureCancelledAtVipps,
        FailureReason::TimedOut => Key::FailureTimedOut,
        FailureReason::CardUnreadable => Key::FailureCardUnreadable,
        FailureReason::Internal => Key::FailureInternal,
    }
}
