//! `PaymentId`, `MerchantOrderId`, `PspTransactionId`.

use proptest::prelude::*;
use shared::{MerchantOrderId, PaymentId, PspTransactionId};

proptest! {
    #[test]
    fn payment_ids_round_trip_through_text_and_json(bytes in any::<[u8; 16]>()) {
        let id = PaymentId::from_random(bytes);
        prop_assert_eq!(id.to_string().parse::<PaymentId>(), Ok(id.clone()));
        let json = serde_json::to_string(&id).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(serde_json::from_str::<PaymentId>(&json).ok(), Some(id));
    }

    #[test]
    fn payment_ids_of_the_documented_shape_parse(s in "pay_[0-9a-f]{32}") {
        prop_assert_eq!(s.parse::<PaymentId>().map(String::from), Ok(s));
    }

    #[test]
    fn a_payment_id_is_accepted_only_in_its_shape(s in any::<String>()) {
        if let Ok(id) = s.parse::<PaymentId>() {
            let hex = id.as_str().strip_prefix("pay_").unwrap_or_default();
            prop_assert_eq!(hex.len(), 32);
            prop_assert!(hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')));
        }
    }

    #[test]
    fn order_ids_round_trip(s in "[A-Za-z0-9]{1,30}") {
        let id = s.parse::<MerchantOrderId>();
        prop_assert_eq!(id.as_ref().map(|id| id.to_string()), Ok(s.clone()));
        let again = id.map(|id| id.to_string().parse::<MerchantOrderId>());
        prop_assert!(matches!(again, Ok(Ok(_))));
    }

    #[test]
    fn an_order_id_is_accepted_only_in_its_shape(s in any::<String>()) {
        if let Ok(id) = s.parse::<MerchantOrderId>() {
            prop_assert!((1..=30).contains(&id.as_str().len()));
            prop_assert!(id.as_str().bytes().all(|b| b.is_ascii_alphanumeric()));
        }
    }

    #[test]
    fn psp_transaction_ids_round_trip(bytes in any::<[u8; 15]>(), s in "[a-z0-9]{1,30}") {
        let id = PspTransactionId::from_random(bytes);
        prop_assert_eq!(id.to_string().parse::<PspTransactionId>(), Ok(id));
        prop_assert_eq!(s.parse::<PspTransactionId>().map(String::from), Ok(s));
    }

    #[test]
    fn a_psp_transaction_id_is_accepted_only_in_its_shape(s in any::<String>()) {
        if let Ok(id) = s.parse::<PspTransactionId>() {
            prop_assert!((1..=30).contains(&id.as_str().len()));
            prop_assert!(id.as_str().bytes().all(|b| b.is_ascii_digit() || b.is_ascii_lowercase()));
        }
    }
}
