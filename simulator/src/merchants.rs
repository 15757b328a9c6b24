//! The sales units Vipps knows, by Merchant Serial Number: the list read from `SIM_MERCHANTS`
//! and the runtime registry the PSP calls are checked against (test controls may add or
//! rename one). The documented unavailable MSN is never known.

use std::collections::BTreeMap;

use serde::Serialize;
use shared::account::{DisplayName, Msn};
use shared::sandbox;

/// A sales unit Vipps knows: its Merchant Serial Number and the name the shopper sees.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Merchant {
    pub serial_number: String,
    pub name: String,
}

impl Merchant {
    /// A merchant whose MSN is 6 digits (not the unavailable one) and whose name is 1 to 100
    /// printable characters.
    pub fn parse(serial_number: &str, name: &str) -> Result<Self, MerchantError> {
        let msn: Msn = serial_number
            .trim()
            .parse()
            .map_err(|_| MerchantError::SerialNumber(serial_number.to_owned()))?;
        if msn.as_str() == sandbox::UNAVAILABLE_MERCHANT_SERIAL_NUMBER {
            return Err(MerchantError::Unavailable);
        }
        let name = DisplayName::try_from(name.to_owned())
            .map_err(|_| MerchantError::Name(name.to_owned()))?;
        Ok(Self {
            serial_number: msn.into(),
            name: name.into(),
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MerchantError {
    #[error("{0:?} is not a Merchant Serial Number (exactly 6 digits)")]
    SerialNumber(String),
    #[error(
        "{} is the MSN Vipps never knows (errorCode 21 on purpose); pick another",
        sandbox::UNAVAILABLE_MERCHANT_SERIAL_NUMBER
    )]
    Unavailable,
    #[error("{0:?} is not a merchant name (1 to 100 characters, no control characters)")]
    Name(String),
    #[error("{0:?} is not `MSN=name`")]
    Entry(String),
    #[error("the MSN {0} is given twice")]
    Duplicate(String),
}

/// `123456=Demo Shop AS,654321=Other Shop AS`: names may hold spaces but not commas; empty
/// entries are skipped.
pub fn parse_list(value: &str) -> Result<Vec<Merchant>, MerchantError> {
    let mut merchants: Vec<Merchant> = Vec::new();
    for entry in value.split(',').map(str::trim).filter(|e| !e.is_empty()) {
        let (msn, name) = entry
            .split_once('=')
            .ok_or_else(|| MerchantError::Entry(entry.to_owned()))?;
        push_unique(&mut merchants, Merchant::parse(msn, name)?)?;
    }
    Ok(merchants)
}

/// Adds `merchant` unless its MSN is already in `merchants`.
pub fn push_unique(merchants: &mut Vec<Merchant>, merchant: Merchant) -> Result<(), MerchantError> {
    if merchants
        .iter()
        .any(|m| m.serial_number == merchant.serial_number)
    {
        return Err(MerchantError::Duplicate(merchant.serial_number));
    }
    merchants.push(merchant);
    Ok(())
}

/// Whether [`Merchants::put`] added a merchant or renamed one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Put {
    Added,
    Renamed,
}

/// The merchants Vipps knows now: the configured ones plus those added at runtime.
#[derive(Debug, Clone, Default)]
pub struct Merchants {
    names: BTreeMap<String, String>,
}

impl Merchants {
    /// The registry of `merchants`, each checked as [`Merchant::parse`] does.
    pub fn new(merchants: &[Merchant]) -> Result<Self, MerchantError> {
        let mut registry = Self::default();
        for merchant in merchants {
            let merchant = Merchant::parse(&merchant.serial_number, &merchant.name)?;
            if registry.get(&merchant.serial_number).is_some() {
                return Err(MerchantError::Duplicate(merchant.serial_number));
            }
            registry.put(merchant);
        }
        Ok(registry)
    }

    /// The merchant with this MSN, if Vipps knows it.
    pub fn get(&self, serial_number: &str) -> Option<Merchant> {
        self.names.get(serial_number).map(|name| Merchant {
            serial_number: serial_number.to_owned(),
            name: name.clone(),
        })
    }

    /// Adds the merchant, or gives a known one its new name (its payments keep the old one).
    pub fn put(&mut self, merchant: Merchant) -> Put {
        match self.names.insert(merchant.serial_number, merchant.name) {
            None => Put::Added,
            Some(_) => Put::Renamed,
        }
    }

    /// Every merchant, by MSN.
    pub fn list(&self) -> Vec<Merchant> {
        self.names
            .iter()
            .map(|(serial_number, name)| Merchant {
                serial_number: serial_number.clone(),
                name: name.clone(),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_of_merchants_keeps_spaces_in_names() {
        let Ok(list) = parse_list(" 123456=Demo Shop AS , 654321=Other Shop AS,") else {
            unreachable!("a valid list")
        };
        let pairs: Vec<(&str, &str)> = list
            .iter()
            .map(|m| (m.serial_number.as_str(), m.name.as_str()))
            .collect();
        assert_eq!(
            pairs,
            [("123456", "Demo Shop AS"), ("654321", "Other Shop AS")]
        );
    }

    #[test]
    fn bad_entries_are_refused_with_what_is_wrong() {
        for (bad, expected) in [
            ("123456", MerchantError::Entry("123456".to_owned())),
            (
                "12345=Short",
                MerchantError::SerialNumber("12345".to_owned()),
            ),
            ("123456=", MerchantError::Name(String::new())),
            ("999999=Nobody", MerchantError::Unavailable),
            (
                "123456=A,123456=B",
                MerchantError::Duplicate("123456".to_owned()),
            ),
        ] {
            assert_eq!(parse_list(bad), Err(expected), "{bad}");
        }
    }

    #[test]
    fn the_registry_never_knows_the_unavailable_msn() {
        let unavailable = Merchant {
            serial_number: sandbox::UNAVAILABLE_MERCHANT_SERIAL_NUMBER.to_owned(),
            name: "Configured anyway".to_owned(),
        };
        assert!(Merchants::new(&[unavailable]).is_err());
    }

    #[test]
    fn put_adds_then_renames() {
        let mut merchants = Merchants::default();
        let Ok(first) = Merchant::parse("111111", "First") else {
            unreachable!()
        };
        assert_eq!(merchants.put(first), Put::Added);
        let Ok(renamed) = Merchant::parse("111111", "First AS") else {
            unreachable!()
        };
        assert_eq!(merchants.put(renamed), Put::Renamed);
        assert_eq!(
            merchants.get("111111").map(|m| m.name),
            Some("First AS".to_owned())
        );
        assert_eq!(merchants.list().len(), 1);
    }
}
