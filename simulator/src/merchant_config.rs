//! The merchants `Config` starts with: `SIM_MERCHANTS`, or the two sandbox ones, with the
//! first one's MSN and name replaced by `VIPPS_MSN`/`MERCHANT_NAME` when those are set.

use shared::sandbox;

use crate::config::ConfigError;
use crate::merchants::{self, Merchant, MerchantError};

/// The two sandbox sales units (`shared::sandbox`).
pub fn sandbox_merchants() -> Vec<Merchant> {
    vec![
        Merchant {
            serial_number: sandbox::MERCHANT_SERIAL_NUMBER.to_owned(),
            name: sandbox::MERCHANT_NAME.to_owned(),
        },
        Merchant {
            serial_number: sandbox::SECOND_MERCHANT_SERIAL_NUMBER.to_owned(),
            name: sandbox::SECOND_MERCHANT_NAME.to_owned(),
        },
    ]
}

/// `SIM_MERCHANTS` (or the sandbox pair when empty) with its first merchant's MSN and name
/// replaced by `VIPPS_MSN`/`MERCHANT_NAME` when set. Replacing the first of the sandbox pair
/// by the second's MSN leaves one merchant; in `SIM_MERCHANTS` that is an error.
pub fn configured_merchants(
    list: &str,
    msn: Option<String>,
    name: Option<String>,
) -> Result<Vec<Merchant>, ConfigError> {
    let listed = merchants::parse_list(list).map_err(|source| ConfigError::Merchants {
        name: "SIM_MERCHANTS",
        source,
    })?;
    let from_list = !listed.is_empty();
    let merchants = if from_list {
        listed
    } else {
        sandbox_merchants()
    };
    let Some(first) = merchants
        .first()
        .filter(|_| msn.is_some() || name.is_some())
    else {
        return Ok(merchants);
    };
    let first = Merchant::parse(
        msn.as_deref().unwrap_or(&first.serial_number),
        name.as_deref().unwrap_or(&first.name),
    )
    .map_err(|source| ConfigError::Merchants {
        name: match source {
            MerchantError::Name(_) => "MERCHANT_NAME",
            MerchantError::SerialNumber(_)
            | MerchantError::Unavailable
            | MerchantError::Entry(_)
            | MerchantError::Duplicate(_) => "VIPPS_MSN",
        },
        source,
    })?;
    let first_msn = first.serial_number.clone();
    let rest = merchants
        .into_iter()
        .skip(1)
        .filter(|m| from_list || m.serial_number != first_msn);
    let mut unique = vec![first];
    for merchant in rest {
        merchants::push_unique(&mut unique, merchant).map_err(|source| ConfigError::Merchants {
            name: "VIPPS_MSN",
            source,
        })?;
    }
    Ok(unique)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msns(merchants: &[Merchant]) -> Vec<(&str, &str)> {
        merchants
            .iter()
            .map(|m| (m.serial_number.as_str(), m.name.as_str()))
            .collect()
    }

    #[test]
    fn merchants_come_from_sim_merchants_with_vipps_msn_replacing_the_first() {
        let some = |v: &str| Some(v.to_owned());
        let Ok(default) = configured_merchants("", None, None) else {
            unreachable!()
        };
        assert_eq!(
            msns(&default),
            [("123456", "Demo Shop AS"), ("654321", "Fjord Kaffe AS")]
        );
        let list = "111111=Shop One AS, 222222=Shop Two AS";
        let Ok(listed) = configured_merchants(list, some("333333"), None) else {
            unreachable!()
        };
        assert_eq!(
            msns(&listed),
            [("333333", "Shop One AS"), ("222222", "Shop Two AS")]
        );
        let Ok(renamed) = configured_merchants("", None, some("Renamed AS")) else {
            unreachable!()
        };
        assert_eq!(
            msns(&renamed),
            [("123456", "Renamed AS"), ("654321", "Fjord Kaffe AS")]
        );
    }

    #[test]
    fn bad_merchants_are_refused_naming_the_variable() {
        let some = |v: &str| Some(v.to_owned());
        for (list, msn, name, variable) in [
            ("123456=Shop,nonsense", None, None, "SIM_MERCHANTS"),
            ("999999=Nobody AS", None, None, "SIM_MERCHANTS"),
            ("", some("999999"), None, "VIPPS_MSN"),
            ("", some("12ab56"), None, "VIPPS_MSN"),
            ("111111=A,222222=B", some("222222"), None, "VIPPS_MSN"),
            ("", None, some("\u{7}"), "MERCHANT_NAME"),
        ] {
            let result = configured_merchants(list, msn, name);
            assert!(
                result.is_err_and(|err| err.to_string().starts_with(variable)),
                "{list} should be refused naming {variable}"
            );
        }
    }
}
