//! The built-in test acquirer: approves any valid card except the documented decline
//! cards (`shared::test_cards`), fails Luhn-invalid numbers and past expiries, and
//! books its authorisations, captures, refunds and voids in a ledger (`test_ledger`), each
//! capture, refund and void once per operation id.
//! The card [`SLOW_CARD`] answers only after `slow` (to test the acquirer deadline).

use std::path::Path;
use std::time::Duration;

use async_trait::async_trait;
use shared::test_cards::{self, TestOutcome};
use shared::{Amount, PaymentId};

use super::test_ledger::{Booking, Ledger};
use super::{Acquirer, AcquirerError, Authorisation, Authorise, Decline};
use crate::keys;

/// Approved, but only after the acquirer's `slow` delay.
pub const SLOW_CARD: &str = "4000000000000259";

/// The file the test acquirer keeps its ledger in, inside the data directory, unless
/// `TEST_ACQUIRER_LEDGER` names another.
pub const LEDGER_FILE: &str = "test-acquirer.sqlite";

#[derive(Debug, Clone)]
pub struct TestAcquirer {
    slow: Duration,
    ledger: Ledger,
}

impl TestAcquirer {
    /// With its ledger in the SQLite file at `ledger` (shared by every instance that
    /// names the same file).
    pub async fn open(ledger: &Path, slow: Duration) -> Result<Self, sqlx::Error> {
        Ok(Self {
            slow,
            ledger: Ledger::open(ledger).await?,
        })
    }

    /// With its ledger in memory, gone with the process.
    pub async fn in_memory(slow: Duration) -> Result<Self, sqlx::Error> {
        Ok(Self {
            slow,
            ledger: Ledger::in_memory().await?,
        })
    }
}

#[async_trait]
impl Acquirer for TestAcquirer {
    async fn authorise(&self, request: Authorise<'_>) -> Result<Authorisation, AcquirerError> {
        let card = request.card;
        if let Some(decline) = decline_for(card.number(), card.expiry(), current_yymm()) {
            return Ok(Authorisation::Declined(decline));
        }
        let reference = format!(
            "test_{}",
            keys::random_hex::<8>().map_err(|e| AcquirerError::Failed(e.to_string()))?
        );
        let amount = i64::from(request.amount.ore());
        self.ledger
            .authorise(&reference, request.payment.as_str(), amount)
            .await?;
        if card.number() == SLOW_CARD {
            // Authorised at once, answered late: a caller that gives up leaves a hold behind.
            tokio::time::sleep(self.slow).await;
        }
        Ok(Authorisation::Approved { reference })
    }

    async fn capture(
        &self,
        reference: &str,
        amount: Amount,
        operation: &str,
    ) -> Result<(), AcquirerError> {
        self.ledger
            .book(Booking::Capture, reference, amount, operation)
            .await
    }

    async fn refund(
        &self,
        reference: &str,
        amount: Amount,
        operation: &str,
    ) -> Result<(), AcquirerError> {
        self.ledger
            .book(Booking::Refund, reference, amount, operation)
            .await
    }

    async fn void(
        &self,
        reference: &str,
        amount: Amount,
        operation: &str,
    ) -> Result<(), AcquirerError> {
        self.ledger
            .book(Booking::Void, reference, amount, operation)
            .await
    }

    async fn find_authorisation(
        &self,
        payment: &PaymentId,
    ) -> Result<Option<String>, AcquirerError> {
        self.ledger.open_authorisation(payment.as_str()).await
    }

    async fn open_authorisations(&self, payment: &PaymentId) -> Result<Vec<String>, AcquirerError> {
        self.ledger.open_authorisations(payment.as_str()).await
    }
}

/// The decline for a card, if any. `today` is `YYMM`.
fn decline_for(number: &str, expiry: &str, today: u32) -> Option<Decline> {
    if !test_cards::luhn_valid(number) {
        return Some(Decline::InvalidCardNumber);
    }
    if let Some(card) = test_cards::find(number) {
        match card.outcome {
            TestOutcome::Approved => {}
            TestOutcome::Declined(id) => {
                return Some(Decline::from_error_id(id).unwrap_or(Decline::RefusedByIssuer));
            }
        }
    }
    match expiry.parse::<u32>() {
        Ok(yymm) if yymm >= today => None,
        Ok(_) | Err(_) => Some(Decline::ExpiredCard),
    }
}

/// Today as `YYMM`, from the system clock (civil date from days since 1970).
fn current_yymm() -> u32 {
    let days = crate::payments::now_unix().div_euclid(86_400);
    let (year, month) = civil_year_month(days);
    u32::try_from((year % 100) * 100 + month).unwrap_or(0)
}

/// Howard Hinnant's days-to-civil algorithm, year and month only.
fn civil_year_month(days: i64) -> (i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_cards_get_their_outcome() {
        assert_eq!(decline_for("4925000000000004", "3012", 2611), None);
        assert_eq!(
            decline_for("4000000000009995", "3012", 2611),
            Some(Decline::InsufficientFunds)
        );
        assert_eq!(
            decline_for("4000000000000069", "3012", 2611),
            Some(Decline::ExpiredCard)
        );
        assert_eq!(
            decline_for("4000000000000002", "3012", 2611),
            Some(Decline::RefusedByIssuer)
        );
        assert_eq!(
            decline_for("4242424242424241", "3012", 2611),
            Some(Decline::InvalidCardNumber)
        );
        assert_eq!(decline_for(SLOW_CARD, "3012", 2611), None);
    }

    #[test]
    fn every_declining_test_card_maps_to_a_decline() {
        for card in test_cards::TEST_CARDS {
            let expected = match card.outcome {
                TestOutcome::Approved => None,
                TestOutcome::Declined(id) => Decline::from_error_id(id),
            };
            assert_eq!(
                decline_for(card.number, "9912", 2611),
                expected,
                "{}",
                card.label
            );
        }
    }

    #[test]
    fn a_past_expiry_is_an_expired_card() {
        assert_eq!(
            decline_for("4925000000000004", "2610", 2611),
            Some(Decline::ExpiredCard)
        );
        assert_eq!(decline_for("4925000000000004", "2611", 2611), None);
    }

    #[test]
    fn civil_dates_are_right() {
        assert_eq!(civil_year_month(0), (1970, 1));
        assert_eq!(civil_year_month(20_781), (2026, 11)); // 2026-11-24
        assert_eq!(civil_year_month(11_016), (2000, 2)); // 2000-02-29
    }
}
