//! Reconciliation: a background job that settles what no request will. Payments left
//! initiating (the process died during Vipps's `init`) are settled by what Vipps's
//! `details` knows of the attempt; payments never started expire; payments still at
//! Vipps past their expiry are checked with `details` and cancelled here where Vipps
//! says nothing happened; charges stuck without an answer fail; and authorisations the
//! acquirer may hold for payments we failed (a timeout) are found and voided, so no
//! charge is forgotten; captures, refunds and cancels an instance began and never recorded
//! are asked of the acquirer again under their own id, and recorded.

use std::time::Duration;

use shared::checkout::FailureReason;
use shared::vipps::ErrorId;

use crate::payments::make_payment::fail;
use crate::payments::store::Changes;
use crate::payments::{Payment, PaymentError, PaymentEvent, PaymentState, Payments, now_unix};
use crate::telemetry::metrics::{ReconcileAction, ReconcileActions};
use crate::vipps::VippsError;

pub struct Reconciler {
    pub state: Payments,
    pub timing: ReconcileTiming,
    /// What each settlement is counted in (`psp_reconciliation_actions_total`).
    pub actions: ReconcileActions,
}

/// How often reconciliation runs and when a payment counts as stuck.
#[derive(Debug, Clone, Copy)]
pub struct ReconcileTiming {
    pub interval: Duration,
    /// A payment left in `Initiating` this long is settled with Vipps's `details`.
    pub initiating_stuck_after: Duration,
    /// A charge without an outcome for this long is failed and checked at the acquirer.
    pub stuck_after: Duration,
}

impl Reconciler {
    pub async fn run(self) {
        loop {
            if let Err(error) = self.tick().await {
                tracing::error!(%error, "reconciliation failed; will try again");
            }
            tokio::time::sleep(self.timing.interval).await;
        }
    }

    /// One pass over everything that needs settling.
    pub async fn tick(&self) -> Result<(), PaymentError> {
        let store = &self.state.store;
        let now = now_unix();
        // First, so that one Vipps never saw and past its expiry expires below at once.
        let initiating_before = now.saturating_sub(seconds(self.timing.initiating_stuck_after));
        for payment in store
            .untouched_in(PaymentState::Initiating, initiating_before)
            .await?
        {
            self.settle_initiating(&payment).await?;
        }
        for unfinished in [PaymentState::Created, PaymentState::Failed] {
            for payment in store.expired_in(unfinished, now).await? {
                if self
                    .move_to(&payment, PaymentEvent::Expired, Changes::default())
                    .await?
                {
                    self.actions.record(ReconcileAction::Expired);
                }
            }
        }
        for payment in store.expired_in(PaymentState::AwaitingApp, now).await? {
            self.settle_at_vipps(&payment).await?;
        }
        let stuck_before = now.saturating_sub(seconds(self.timing.stuck_after));
        for payment in store
            .untouched_in(PaymentState::Charging, stuck_before)
            .await?
        {
            self.fail_stuck_charge(&payment).await?;
        }
        for payment in store.acquirer_unsettled().await? {
            self.void_forgotten(&payment).await?;
        }
        // Captures, refunds and cancels begun by an instance that died before recording
        // the acquirer's answer: asked again under the same operation id.
        let resumed = crate::payments::operations::resume_stale(&self.state, stuck_before).await?;
        for _ in 0..resumed {
            self.actions.record(ReconcileAction::OperationResumed);
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

    /// Left initiating longer than any init takes: if Vipps knows the attempt, its init
    /// was accepted and the shopper may confirm in the app (the landing page's URL went
    /// with the lost answer); if not, the shopper may start again (or it expires).
    async fn settle_initiating(&self, payment: &Payment) -> Result<(), PaymentError> {
        let Some(txn) = &payment.psp_transaction_id else {
            return Ok(());
        };
        let msn = self.state.merchants.get(&payment.merchant_id).await?.msn;
        let event = match self.state.vipps.details(&msn, txn).await {
            Ok(_) => PaymentEvent::VippsAccepted,
            Err(VippsError::Rejected(404, _)) => PaymentEvent::VippsRefused,
            Err(error) => {
                tracing::warn!(payment = %payment.id, %error, "Vipps details unavailable; will ask again");
                return Ok(());
            }
        };
        let to = payment.state.apply(event)?;
        let changes = Changes::default();
        // Only this attempt: a makePayment, the init's late answer or the shopper may
        // have moved it meanwhile, and then they decided.
        if self
            .state
            .store
            .transition_attempt(&payment.id, txn, payment.state, to, changes)
            .await?
        {
            self.actions.record(ReconcileAction::InitiatingSettled);
            tracing::warn!(payment = %payment.id, state = %to, "payment left initiating: settled with Vipps's details");
        }
        Ok(())
    }

    /// Past its expiry and still at Vipps: cancel here if Vipps saw nothing happen.
    async fn settle_at_vipps(&self, payment: &Payment) -> Result<(), PaymentError> {
        let Some(txn) = &payment.psp_transaction_id else {
            return Ok(());
        };
        let msn = self.state.merchants.get(&payment.merchant_id).await?.msn;
        let nothing_happened = match self.state.vipps.details(&msn, txn).await {
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
                self.actions.record(ReconcileAction::CancelledAtVipps);
                tracing::info!(payment = %payment.id, "expired at Vipps without an answer: cancelled");
            }
        } else {
            self.actions
                .record(ReconcileAction::UnexplainedVippsActivity);
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
            self.actions.record(ReconcileAction::StuckChargeFailed);
            tracing::warn!(payment = %payment.id, "charge stuck without an outcome: failed");
        }
        Ok(())
    }

    /// Voids what the acquirer holds for a payment that it should not: every open
    /// authorisation of a payment we did not charge, and every one but the payment's own
    /// of an authorised payment (a charge whose answer was lost, then taken over).
    async fn void_forgotten(&self, payment: &Payment) -> Result<(), PaymentError> {
        if payment.state == PaymentState::Charging {
            return Ok(()); // a new attempt's charge is running: its authorisation is not known yet
        }
        let acquirer = &self.state.acquirer;
        let open = match acquirer.open_authorisations(&payment.id).await {
            Ok(open) => open,
            Err(error) => {
                tracing::warn!(payment = %payment.id, %error, "acquirer lookup failed; will try again");
                return Ok(());
            }
        };
        let own = match payment.state {
            PaymentState::Authorised => payment.acquirer_reference.as_deref(),
            _ => None,
        };
        for reference in open.iter().filter(|r| Some(r.as_str()) != own) {
            let operation = format!("void_{reference}");
            match acquirer.void(reference, payment.amount, &operation).await {
                Ok(()) => {
                    self.actions.record(ReconcileAction::AuthorisationVoided);
                    tracing::warn!(payment = %payment.id, "voided an authorisation the payment does not use")
                }
                Err(error) => {
                    tracing::error!(payment = %payment.id, %error, "could not void; will try again");
                    return Ok(());
                }
            }
        }
        self.state.store.clear_acquirer_unsettled(payment).await?;
        Ok(())
    }
}

/// Whole seconds of `duration`, for comparing with stored Unix times.
fn seconds(duration: Duration) -> i64 {
    i64::try_from(duration.as_secs()).unwrap_or(i64::MAX)
}

/// How long a charge may go without an outcome before it counts as stuck.
pub const DEFAULT_STUCK_AFTER: Duration = Duration::from_secs(60);

/// How long a payment may stay `Initiating` before it counts as stuck: longer than any
/// `init` can take (two 10 s tries with a token fetch each, see `vipps::client`) plus margin.
pub const DEFAULT_INITIATING_STUCK_AFTER: Duration = Duration::from_secs(60);
