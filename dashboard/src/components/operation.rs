//! What a payment operation is (capture, refund, cancel) apart from its form: its path and
//! words, when it must be confirmed, what it asks, and whether the payment is read again
//! after its answer. Plain Rust, tested natively.

use shared::PaymentId;
use shared::checkout::ErrorCode;

use crate::api;
use crate::money;
use crate::text::{Key, Lang, text};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    Capture,
    Refund,
    Cancel,
}

/// What the payment's actions section announces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Done, for this many øre (`None`: all that was left).
    Done(Operation, Option<u32>),
    Failed(api::Error),
}

impl Operation {
    pub fn path(self, id: &PaymentId) -> String {
        let verb = match self {
            Self::Capture => "capture",
            Self::Refund => "refund",
            Self::Cancel => "cancel",
        };
        format!("/v1/payments/{id}/{verb}")
    }

    /// The heading, the amount field's id and hint, and the button.
    pub fn words(self) -> (Key, &'static str, Key, Key) {
        match self {
            Self::Capture => (
                Key::Capture,
                "capture-amount",
                Key::CaptureHint,
                Key::CaptureButton,
            ),
            Self::Refund => (
                Key::Refund,
                "refund-amount",
                Key::RefundHint,
                Key::RefundButton,
            ),
            Self::Cancel => (
                Key::Cancel,
                "cancel-amount",
                Key::CancelHint,
                Key::CancelButton,
            ),
        }
    }

    /// Whether to ask before sending: always to cancel, and to capture or refund all that
    /// is left (the amount left empty). A typed amount goes at once.
    pub fn must_confirm(self, amount_ore: Option<u32>) -> bool {
        match self {
            Self::Cancel => true,
            Self::Capture | Self::Refund => amount_ore.is_none(),
        }
    }

    /// The question, naming the amount it acts on (`left`, in øre), and the answer that
    /// does it.
    pub fn question(self, lang: Lang, left: u32) -> (String, &'static str) {
        let (question, yes) = match (self, left) {
            (Self::Capture, _) => (Key::ConfirmCaptureAll, Key::YesCapture),
            (Self::Refund, _) => (Key::ConfirmRefundAll, Key::YesRefund),
            (Self::Cancel, 0) => (Key::ConfirmCancelUnreserved, Key::YesCancel),
            (Self::Cancel, _) => (Key::ConfirmCancel, Key::YesCancel),
        };
        let amount = money::format(lang, left);
        (
            shared::text::fill(text(lang, question), &amount, ""),
            text(lang, yes),
        )
    }
}

/// Whether the payment is read again after `answer`: after anything that may have changed
/// it or shows we had it wrong (a refused state or amount, no answer, a server error), not
/// after a 401 (signed out) or a request the server found malformed.
pub fn read_again_after<T>(answer: &Result<T, api::Error>) -> bool {
    match answer {
        Ok(_) | Err(api::Error::Network) => true,
        Err(api::Error::Unauthorized) => false,
        Err(api::Error::Api { body, .. }) => body.code != ErrorCode::InvalidRequest,
    }
}

#[cfg(test)]
mod tests {
    use shared::checkout::ApiErrorBody;

    use super::*;

    fn refused(code: ErrorCode, param: Option<&str>) -> Result<(), api::Error> {
        Err(api::Error::Api {
            status: 409,
            body: ApiErrorBody {
                code,
                message: String::new(),
                param: param.map(str::to_owned),
            },
        })
    }

    #[test]
    fn cancel_and_all_that_is_left_are_asked_first_and_a_typed_amount_is_not() {
        assert!(Operation::Cancel.must_confirm(None));
        assert!(Operation::Cancel.must_confirm(Some(100)));
        assert!(Operation::Capture.must_confirm(None));
        assert!(Operation::Refund.must_confirm(None));
        assert!(!Operation::Capture.must_confirm(Some(100)));
        assert!(!Operation::Refund.must_confirm(Some(4050)));
    }

    #[test]
    fn the_question_names_the_real_amount() {
        let (question, yes) = Operation::Capture.question(Lang::En, 15_000);
        assert_eq!(question, "Capture all that is left: NOK\u{a0}150.00?");
        assert_eq!(yes, "Yes, capture");
        let (question, _) = Operation::Refund.question(Lang::Nb, 4050);
        assert!(question.contains("40,50\u{a0}kr"), "{question}");
        let (question, _) = Operation::Cancel.question(Lang::En, 15_000);
        assert!(question.contains("NOK\u{a0}150.00"), "{question}");
        let (question, _) = Operation::Cancel.question(Lang::En, 0);
        assert!(!question.contains("NOK"), "{question}");
    }

    #[test]
    fn the_payment_is_read_again_after_any_answer_but_a_malformed_request_or_a_401() {
        assert!(read_again_after(&Ok::<(), api::Error>(())));
        assert!(read_again_after(&Err::<(), _>(api::Error::Network)));
        assert!(read_again_after(&refused(ErrorCode::InvalidState, None)));
        assert!(read_again_after(&refused(
            ErrorCode::AmountExceedsBalance,
            Some("amount")
        )));
        assert!(!read_again_after(&refused(
            ErrorCode::InvalidRequest,
            Some("amount")
        )));
        assert!(!read_again_after(&Err::<(), _>(api::Error::Unauthorized)));
    }
}
