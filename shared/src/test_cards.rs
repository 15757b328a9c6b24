//! The sandbox's documented test cards: the simulator's wallet offers them and the
//! built-in test acquirer answers each with its outcome (see README, "Test cards").

use crate::vipps::ErrorId;

/// What the test acquirer does with a card.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TestOutcome {
    Approved,
    Declined(ErrorId),
}

/// One test card. Every expiry the simulator sends is in the future unless a card says so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TestCard {
    pub number: &'static str,
    pub label: &'static str,
    pub outcome: TestOutcome,
}

/// The cards, approved first. Any other Luhn-valid number is approved.
pub const TEST_CARDS: &[TestCard] = &[
    card("4925000000000004", "Visa, approved", TestOutcome::Approved),
    card(
        "5555555555554444",
        "Mastercard, approved",
        TestOutcome::Approved,
    ),
    declined(
        "4000000000009995",
        "Visa, insufficient funds",
        ErrorId::InsufficientFunds,
    ),
    declined(
        "4000000000000069",
        "Visa, expired card",
        ErrorId::ExpiredCard,
    ),
    declined(
        "4000000000000002",
        "Visa, refused by issuer",
        ErrorId::RefusedByIssuer,
    ),
    declined(
        "4100000000000019",
        "Visa, suspected fraud",
        ErrorId::SuspectedFraud,
    ),
    declined(
        "4000000000009979",
        "Visa, exceeds withdrawal limit",
        ErrorId::ExceedsWithdrawalLimit,
    ),
    declined(
        "4000000000000119",
        "Visa, no such issuer",
        ErrorId::NoSuchIssuer,
    ),
    declined(
        "4000000000000036",
        "Visa credit, merchant takes no credit cards",
        ErrorId::CreditCardNotAllowed,
    ),
    declined(
        "4242424242424241",
        "Visa, invalid number (fails Luhn)",
        ErrorId::InvalidCardNumber,
    ),
];

const fn card(number: &'static str, label: &'static str, outcome: TestOutcome) -> TestCard {
    TestCard {
        number,
        label,
        outcome,
    }
}

const fn declined(number: &'static str, label: &'static str, id: ErrorId) -> TestCard {
    card(number, label, TestOutcome::Declined(id))
}

/// The card with this number, if it is a documented test card.
pub fn find(number: &str) -> Option<&'static TestCard> {
    TEST_CARDS.iter().find(|card| card.number == number)
}

/// The Luhn check every real card number passes.
pub fn luhn_valid(number: &str) -> bool {
    let mut sum = 0u32;
    for (i, c) in number.chars().rev().enumerate() {
        let Some(mut digit) = c.to_digit(10) else {
            return false;
        };
        if i % 2 == 1 {
            digit *= 2;
            if digit > 9 {
                digit -= 9;
            }
        }
        sum += digit;
    }
    !number.is_empty() && sum.is_multiple_of(10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_test_card_but_the_invalid_one_passes_luhn() {
        for card in TEST_CARDS {
            let invalid = card.outcome == TestOutcome::Declined(ErrorId::InvalidCardNumber);
            assert_eq!(luhn_valid(card.number), !invalid, "{}", card.number);
        }
    }

    #[test]
    fn test_card_numbers_are_unique() {
        for (i, card) in TEST_CARDS.iter().enumerate() {
            assert_eq!(find(card.number), Some(&TEST_CARDS[i]));
        }
    }
}
