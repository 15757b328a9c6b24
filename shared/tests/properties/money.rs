//! `Amount`: positive øre up to int32, checked arithmetic that agrees with plain integers.

use proptest::prelude::*;
use shared::{Amount, AmountError};

proptest! {
    #[test]
    fn an_amount_is_exactly_one_to_int32_max_ore(ore in any::<u64>()) {
        let parsed = Amount::from_ore(ore);
        match ore {
            0 => prop_assert_eq!(parsed, Err(AmountError::Zero)),
            1..=2_147_483_647 => prop_assert_eq!(parsed.map(|a| u64::from(a.ore())), Ok(ore)),
            _ => prop_assert_eq!(parsed, Err(AmountError::TooLarge)),
        }
    }

    #[test]
    fn amounts_round_trip_through_json(ore in 1..=u64::from(Amount::MAX_ORE)) {
        let amount = Amount::from_ore(ore).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let json = serde_json::to_string(&amount).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(json.clone(), ore.to_string());
        prop_assert_eq!(serde_json::from_str::<Amount>(&json).ok(), Some(amount));
    }

    #[test]
    fn checked_arithmetic_agrees_with_integers(
        a in 1..=u64::from(Amount::MAX_ORE),
        b in 1..=u64::from(Amount::MAX_ORE),
    ) {
        let (Ok(x), Ok(y)) = (Amount::from_ore(a), Amount::from_ore(b)) else {
            unreachable!("in range")
        };
        prop_assert_eq!(x.checked_add(y).map(|s| u64::from(s.ore())), Amount::from_ore(a + b).ok().map(|s| u64::from(s.ore())));
        let difference = a.checked_sub(b).filter(|d| *d > 0);
        prop_assert_eq!(x.checked_sub(y).map(|d| u64::from(d.ore())), difference);
        prop_assert_eq!(x.cmp(&y), a.cmp(&b));
    }

    #[test]
    fn json_amounts_are_never_accepted_outside_the_range(text in "-?[0-9]{1,22}(\\.[0-9]{1,3})?") {
        if let Ok(amount) = serde_json::from_str::<Amount>(&text) {
            prop_assert_eq!(amount.ore().to_string(), text);
        }
    }
}
