//! `MobileNumber`: what people type parses to eight digits that display and parse back.

use proptest::prelude::*;
use shared::MobileNumber;

/// A valid number as someone might type it: optional `+47`/`0047`, spaces and hyphens.
fn typed() -> impl Strategy<Value = (String, String)> {
    (
        "[49][0-9]{7}",
        prop::sample::select(vec!["", "+47", "0047", "+47 "]),
        "[ -]{0,2}",
    )
        .prop_map(|(digits, prefix, gap)| {
            let typed = format!("{prefix}{}{gap}{}", &digits[..3], &digits[3..]);
            (digits, typed)
        })
}

proptest! {
    #[test]
    fn typed_numbers_parse_to_their_digits_and_round_trip((digits, typed) in typed()) {
        let number = typed.parse::<MobileNumber>();
        prop_assert_eq!(number.as_ref().map(MobileNumber::as_str), Ok(digits.as_str()));
        let Ok(number) = number else { unreachable!("checked above") };
        prop_assert_eq!(number.to_string().parse::<MobileNumber>(), Ok(number.clone()));
        prop_assert_eq!(String::from(number.clone()).parse::<MobileNumber>(), Ok(number.clone()));
        let json = serde_json::to_string(&number).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(serde_json::from_str::<MobileNumber>(&json).ok(), Some(number.clone()));
        let debug = format!("{number:?}");
        prop_assert!(!debug.contains(&digits[..6]), "{}", debug);
    }

    #[test]
    fn anything_else_is_refused_without_panicking(s in any::<String>()) {
        if let Ok(number) = s.parse::<MobileNumber>() {
            let digits = number.as_str();
            prop_assert_eq!(digits.len(), 8);
            prop_assert!(digits.starts_with('4') || digits.starts_with('9'));
            prop_assert!(digits.bytes().all(|b| b.is_ascii_digit()));
            let _ = (number.to_string(), format!("{number:?}"));
        }
    }

    #[test]
    fn near_misses_are_refused(digits in "[0-35-8][0-9]{7}|[49][0-9]{0,6}|[49][0-9]{8,12}") {
        prop_assert!(digits.parse::<MobileNumber>().is_err());
    }
}
