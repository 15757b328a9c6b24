//! Wire enums and Vipps types: every status and code round-trips through JSON, and
//! makePayment's body never panics on arbitrary input.

use proptest::prelude::*;
use shared::PspTransactionId;
use shared::checkout::{CheckoutStatus, ErrorCode, FailureReason};
use shared::test_cards;
use shared::vipps::{Confirmed, ErrorId, MakePaymentRequest};

fn fail(e: impl std::fmt::Display) -> TestCaseError {
    TestCaseError::fail(e.to_string())
}

fn round_trips<T>(value: T) -> Result<(), TestCaseError>
where
    T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let json = serde_json::to_string(&value).map_err(fail)?;
    prop_assert_eq!(serde_json::from_str::<T>(&json).ok(), Some(value));
    Ok(())
}

fn make_payment() -> impl Strategy<Value = MakePaymentRequest> {
    (
        any::<[u8; 15]>(),
        "[0-9]{1,10}",
        prop::option::of("[A-Za-z0-9+/]{0,400}={0,2}"),
        prop::sample::select(vec![
            Confirmed::Yes,
            Confirmed::No,
            Confirmed::Timeout,
            Confirmed::Cancel,
        ]),
    )
        .prop_map(|(id, msn, card_data, confirmed)| MakePaymentRequest {
            psp_transaction_id: PspTransactionId::from_random(id),
            merchant_serial_number: msn,
            card_data,
            confirmed,
        })
}

proptest! {
    #[test]
    fn statuses_and_codes_round_trip_through_json(i in 0..15usize) {
        round_trips(CheckoutStatus::ALL[i % CheckoutStatus::ALL.len()])?;
        round_trips(FailureReason::ALL[i % FailureReason::ALL.len()])?;
        round_trips(ErrorCode::ALL[i % ErrorCode::ALL.len()])?;
        let id = ErrorId::ALL[i % ErrorId::ALL.len()];
        prop_assert_eq!(ErrorId::from_code(&id.code().to_string()), Some(id));
    }

    #[test]
    fn unknown_error_codes_are_read_as_unknown(code in "[a-z_]{1,20}") {
        let known = ErrorCode::ALL.iter().any(|c| serde_json::to_value(c).ok() == Some(serde_json::Value::String(code.clone())));
        let read = serde_json::from_value::<ErrorCode>(serde_json::Value::String(code));
        prop_assert!(known || matches!(read, Ok(ErrorCode::Unknown)));
    }

    #[test]
    fn make_payment_bodies_round_trip(body in make_payment()) {
        round_trips(body)?;
    }

    #[test]
    fn make_payment_and_error_ids_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..256), code in any::<String>()) {
        let _ = serde_json::from_slice::<MakePaymentRequest>(&bytes);
        let _ = ErrorId::from_code(&code);
        let _ = test_cards::luhn_valid(&code);
        let _ = test_cards::find(&code);
    }

    #[test]
    fn luhn_accepts_exactly_one_check_digit(body in "[0-9]{15,18}") {
        let valid: Vec<char> = ('0'..='9')
            .filter(|d| test_cards::luhn_valid(&format!("{body}{d}")))
            .collect();
        prop_assert_eq!(valid.len(), 1);
    }
}
