//! Reconciliation: a background job that settles what no request will. Payments never
//! started expire; payments still at Vipps past their expiry are checked with Vipps's
//! `details` and cancelled here where Vipps says nothing happened; charges stuck
//! without an answer fail; and authorisations the acquirer may hold for payments we
//! failed (a timeout) are found and voided, so no charge is forgotten.

use std::time::Duration;

use shared::checkout::FailureReason;
use shared::vipps::ErrorId;

use crate::app::AppState;
use crate::payments::make_payment::fail;
use crate::payments::store::Changes;
use crate::payments::{Payment, PaymentError, PaymentEvent, PaymentState, now_unix};
use crate::vipps::VippsError;

pub struct Reconciler {
    pub state: AppState,
}

impl Reconciler {
    pub async fn run(self) {
        loop {
            if let Err(error) = self.tick().await {
                tracing::error!(%error, "reconciliation failed; will try again");
            }
            tokio::time::sleep(self.state.config.reconcile_interval).await;
        }
    }

    /// One pass over everything that needs settling.
    pub async fn tick(&self) -> Result<(), PaymentError> {
        let store = &self.state.store;
        let now = now_unix();
        for unfinished in [PaymentState::Created, PaymentState::Failed] {
            for payment in store.expired_in(unfinished, now).await? {
                self.move_to(&payment, PaymentEvent::Expired, Changes::default())
                    .await?;
            }
        }
        for payment in store.expired_in(PaymentState::AwaitingApp, now).await? {
            self.settle_at_vipps(&payment).await?;
        }
        let stuck_before = now
            .saturating_sub(i64::try_from(self.state.config.stuck_after.as_secs()).unwrap_or(60));
        for payment in store
            .untouched_in(PaymentState::Charging, stuck_before)
            .await?
        {
            self.fail_stuck_charge(&payment).await?;
        }
        for payment in store.acquirer_unsettled().await? {
            self.void_forgotten(&payment).await?;
        }
        if let Err(error) = crate::idempotency::sweep(store.pool(), now).await {
            tracing::warn!(%error, "idempotency sweep failed");
        }
        Ok(())
    }

    async fn move_to(
        &self,
        payment: &Payment,
        event: PaymentEvent,
        changes: Changes,
    ) -> Result<bool, PaymentError> {
        let to = payment.state.apply(event)?;
        Ok(self
            .state
            .store
            .transition(&payment.id, payment.state, to, changes)
            .await?)
    }

    /// Past its expiry and still at Vipps: cancel here if Vipps saw nothing happen.
    async fn settle_at_vipps(&self, payment: &Payment) -> Result<(), PaymentError> {
        let Some(txn) = &payment.psp_transaction_id else {
            return Ok(());
        };
        let nothing_happened = match self.state.vipps.details(txn).await {
            Ok(details) => details.transaction_log_history.is_empty(),
            Err(VippsError::Rejected(404, _)) => true,
            Err(error) => {
                tracing::warn!(payment = %payment.id, %error, "Vipps details unavailable; will ask again");
                return Ok(());
            }
        };
        if nothing_happened {
            if self
                .move_to(payment, PaymentEvent::CancelRequested, Changes::default())
                .await?
            {
                tracing::info!(payment = %payment.id, "expired at Vipps without an answer: cancelled");
            }
        } else {
            tracing::error!(payment = %payment.id, "Vipps reports activity on a payment we never charged");
        }
        Ok(())
    }

    /// A charge with no recorded outcome (the process died mid-call): fail it and let
    /// the acquirer check below find any authorisation.
    async fn fail_stuck_charge(&self, payment: &Payment) -> Result<(), PaymentError> {
        let Some(txn) = &payment.psp_transaction_id else {
            return Ok(());
        };
        let changes = Changes {
            failure: Some(FailureReason::Internal),
            make_payment_answer: Some(fail(txn, ErrorId::InternalError)),
            acquirer_unsettled: Some(true),
            ..Changes::default()
        };
        if self
            .move_to(payment, PaymentEvent::ChargeFailed, changes)
            .await?
        {
            tracing::warn!(payment = %payment.id, "charge stuck without an outcome: failed");
        }
        Ok(())
    }

    /// Voids an authorisation the acquirer holds for a payment we did not charge.
    async fn void_forgotten(&self, payment: &Payment) -> Result<(), PaymentError> {
        if payment.state == PaymentState::Authorised {
            return Ok(self
                .state
                .store
                .set_acquirer_unsettled(payment, false)
                .await?);
        }
        let acquirer = &self.state.acquirer;
        match acquirer.find_authorisation(&payment.id).await {
            Ok(Some(reference)) => {
                let operation = format!("void_{}", payment.id);
                match acquirer.void(&reference, payment.amount, &operation).await {
                    Ok(()) => {
                        tracing::warn!(payment = %payment.id, "voided an authorisation we had failed")
                    }
                    Err(error) => {
                        tracing::error!(payment = %payment.id, %error, "could not void; will try again");
                        return Ok(());
                    }
                }
            }
            Ok(None) => {}
            Err(error) => {
                tracing::warn!(payment = %payment.id, %error, "acquirer lookup failed; will try again");
                return Ok(());
            }
        }
        Ok(self
            .state
            .store
            .set_acquirer_unsettled(payment, false)
            .await?)
    }
}

/// How long a charge may go without an outcome before it counts as stuck.
pub const DEFAULT_STUCK_AFTER: Duration = Duration::from_secs(60);
