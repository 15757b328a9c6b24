//! A payment card as the PSP holds it for the acquirer call: the number and its expiry.
//! A domain type of its own: Vipps is one way a card arrives (`vipps::card_data`), the
//! acquirer is where it goes.
//!
//! The number is zeroized on drop and never formatted: `Debug` shows the first six and
//! last four digits only.

use std::fmt;

use shared::merchant::MaskedCard;
use zeroize::Zeroizing;

/// A card number (16 to 19 digits) and its expiry (`YYMM`, month 01–12).
pub struct Card {
    number: Zeroizing<String>,
    expiry: String,
}

/// The number or expiry is not a card's. Carries neither.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not a card number with a YYMM expiry")]
pub struct InvalidCard;

impl Card {
    pub fn new(number: &str, expiry: &str) -> Result<Self, InvalidCard> {
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        let month_ok = expiry
            .get(2..)
            .and_then(|m| m.parse::<u8>().ok())
            .is_some_and(|m| (1..=12).contains(&m));
        let number_ok = (16..=19).contains(&number.len()) && digits(number);
        let expiry_ok = expiry.len() == 4 && digits(expiry) && month_ok;
        if number_ok && expiry_ok {
            Ok(Self {
                number: Zeroizing::new(number.to_owned()),
                expiry: expiry.to_owned(),
            })
        } else {
            Err(InvalidCard)
        }
    }

    /// The digits, for the acquirer only.
    pub fn number(&self) -> &str {
        &self.number
    }

    /// Expiry year and month (`YYMM`).
    pub fn expiry(&self) -> &str {
        &self.expiry
    }

    /// What may be kept: first six, last four, expiry.
    pub fn masked(&self) -> MaskedCard {
        let n = self.number.as_str();
        MaskedCard {
            first_six: n.get(..6).unwrap_or_default().to_owned(),
            last_four: n
                .get(n.len().saturating_sub(4)..)
                .unwrap_or_default()
                .to_owned(),
            expiry: self.expiry.clone(),
        }
    }
}

impl fmt::Debug for Card {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let m = self.masked();
        write!(
            f,
            "Card({}******{}, {})",
            m.first_six, m.last_four, m.expiry
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_card_numbers_with_a_real_month_are_cards() {
        assert!(Card::new("4925000000000004", "3012").is_ok());
        for (number, expiry) in [
            ("492500000000000", "3012"),
            ("49250000000000041234", "3012"),
            ("492500000000000x", "3012"),
            ("4925000000000004", "3013"),
            ("4925000000000004", "3000"),
            ("4925000000000004", "301"),
        ] {
            assert_eq!(
                Card::new(number, expiry).err(),
                Some(InvalidCard),
                "{number} {expiry}"
            );
        }
    }

    #[test]
    fn a_card_shows_only_six_and_four() {
        let Ok(card) = Card::new("4925000000000004", "3012") else {
            unreachable!()
        };
        assert_eq!(format!("{card:?}"), "Card(492500******0004, 3012)");
    }
}
