//! An acquirer that times every call to another and records how it ended
//! (`psp_acquirer_call_duration_seconds`). The payments core sees only `dyn Acquirer`.

use std::sync::Arc;
use std::time::Instant;

use async_trait::async_trait;
use shared::{Amount, PaymentId};

use super::{Acquirer, AcquirerError, Authorisation, Authorise};
use crate::telemetry::metrics::AcquirerCalls;

pub struct Measured {
    inner: Arc<dyn Acquirer>,
    calls: AcquirerCalls,
}

impl Measured {
    pub fn new(inner: Arc<dyn Acquirer>, calls: AcquirerCalls) -> Self {
        Self { inner, calls }
    }

    fn start(&self, operation: &'static str) -> Call<'_> {
        Call {
            calls: &self.calls,
            operation,
            started: Instant::now(),
            outcome: None,
        }
    }
}

/// One call being timed. A call whose future is dropped before it ended counts as
/// `abandoned`: the payments core stopped waiting at its deadline (`ACQUIRER_TIMEOUT_MS`),
/// or the request it served went away. `timeout` is the acquirer's own.
struct Call<'a> {
    calls: &'a AcquirerCalls,
    operation: &'static str,
    started: Instant,
    outcome: Option<&'static str>,
}

impl Call<'_> {
    fn ended<T>(
        mut self,
        result: Result<T, AcquirerError>,
        ok: impl FnOnce(&T) -> &'static str,
    ) -> Result<T, AcquirerError> {
        self.outcome = Some(match &result {
            Ok(value) => ok(value),
            Err(AcquirerError::Timeout) => "timeout",
            Err(AcquirerError::Failed(_)) => "failed",
            Err(AcquirerError::Refused(_)) => "refused",
        });
        result
    }
}

impl Drop for Call<'_> {
    fn drop(&mut self) {
        let outcome = self.outcome.unwrap_or("abandoned");
        self.calls
            .record(self.operation, outcome, self.started.elapsed());
    }
}

fn ok<T>(_: &T) -> &'static str {
    "ok"
}

#[async_trait]
impl Acquirer for Measured {
    async fn authorise(&self, request: Authorise<'_>) -> Result<Authorisation, AcquirerError> {
        let call = self.start("authorise");
        call.ended(self.inner.authorise(request).await, |answer| match answer {
            Authorisation::Approved { .. } => "approved",
            Authorisation::Declined(_) => "declined",
        })
    }

    async fn capture(
        &self,
        reference: &str,
        amount: Amount,
        operation: &str,
    ) -> Result<(), AcquirerError> {
        let call = self.start("capture");
        call.ended(self.inner.capture(reference, amount, operation).await, ok)
    }

    async fn refund(
        &self,
        reference: &str,
        amount: Amount,
        operation: &str,
    ) -> Result<(), AcquirerError> {
        let call = self.start("refund");
        call.ended(self.inner.refund(reference, amount, operation).await, ok)
    }

    async fn void(
        &self,
        reference: &str,
        amount: Amount,
        operation: &str,
    ) -> Result<(), AcquirerError> {
        let call = self.start("void");
        call.ended(self.inner.void(reference, amount, operation).await, ok)
    }

    async fn find_authorisation(
        &self,
        payment: &PaymentId,
    ) -> Result<Option<String>, AcquirerError> {
        let call = self.start("lookup");
        call.ended(self.inner.find_authorisation(payment).await, ok)
    }

    async fn open_authorisations(&self, payment: &PaymentId) -> Result<Vec<String>, AcquirerError> {
        let call = self.start("lookup");
        call.ended(self.inner.open_authorisations(payment).await, ok)
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use shared::Currency;

    use super::*;
    use crate::acquirer::Decline;
    use crate::card::Card;
    use crate::telemetry::Metrics;

    /// Declines every authorisation; captures never end.
    struct Stubborn;

    #[async_trait]
    impl Acquirer for Stubborn {
        async fn authorise(&self, _: Authorise<'_>) -> Result<Authorisation, AcquirerError> {
            Ok(Authorisation::Declined(Decline::InsufficientFunds))
        }
        async fn capture(&self, _: &str, _: Amount, _: &str) -> Result<(), AcquirerError> {
            std::future::pending().await
        }
        async fn refund(&self, _: &str, _: Amount, _: &str) -> Result<(), AcquirerError> {
            Err(AcquirerError::Refused("more than was captured".into()))
        }
        async fn void(&self, _: &str, _: Amount, _: &str) -> Result<(), AcquirerError> {
            Ok(())
        }
        async fn find_authorisation(&self, _: &PaymentId) -> Result<Option<String>, AcquirerError> {
            Ok(None)
        }
    }

    fn count(text: &str, operation: &str, outcome: &str) -> Option<String> {
        let series = format!(
            r#"psp_acquirer_call_duration_seconds_count{{operation="{operation}",outcome="{outcome}"}}"#
        );
        crate::telemetry::metrics::tests::sample(text, &series).map(str::to_owned)
    }

    #[tokio::test]
    async fn each_call_is_recorded_by_how_it_ended_and_one_given_up_on_as_abandoned()
    -> Result<(), String> {
        let metrics = Metrics::new();
        let acquirer = Measured::new(Arc::new(Stubborn), metrics.acquirer());
        let card = Card::new("4925000000000004", "3012").map_err(|e| format!("{e:?}"))?;
        let payment = PaymentId::from_random([7; 16]);
        let amount = Amount::from_ore(100).map_err(|e| format!("{e:?}"))?;
        let answer = acquirer
            .authorise(Authorise {
                payment: &payment,
                amount,
                currency: Currency::Nok,
                card: &card,
            })
            .await;
        assert!(matches!(answer, Ok(Authorisation::Declined(_))));
        let refused = acquirer.refund("auth_1", amount, "op_1").await;
        assert!(matches!(refused, Err(AcquirerError::Refused(_))));
        // The core's deadline: the capture's future is dropped when it passes.
        let capture = acquirer.capture("auth_1", amount, "op_2");
        let late = tokio::time::timeout(Duration::from_millis(1), capture).await;
        assert!(late.is_err());
        let text = metrics.encode().map_err(|e| e.to_string())?;
        assert_eq!(
            count(&text, "authorise", "declined").as_deref(),
            Some("1"),
            "{text}"
        );
        assert_eq!(
            count(&text, "refund", "refused").as_deref(),
            Some("1"),
            "{text}"
        );
        assert_eq!(
            count(&text, "capture", "abandoned").as_deref(),
            Some("1"),
            "{text}"
        );
        Ok(())
    }
}
