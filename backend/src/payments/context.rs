//! What the payment use cases work with, and nothing more: their store, the merchants,
//! Vipps, the acquirer, the card key, the wake-ups of the two outboxes and the few
//! settings they read. No HTTP types, no application state.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Notify;

use shared::PaymentId;

use super::{Payment, PaymentError, PaymentStore};
use crate::acquirer::Acquirer;
use crate::merchants::MerchantStore;
use crate::vipps::{CardDecryptor, Vipps};

#[derive(Clone)]
pub struct Payments {
    pub store: PaymentStore,
    pub merchants: MerchantStore,
    pub vipps: Arc<dyn Vipps>,
    pub acquirer: Arc<dyn Acquirer>,
    pub card_decryptor: Arc<CardDecryptor>,
    /// Wakes the updatestatus outbox when an update was written.
    pub outbox_wake: Arc<Notify>,
    /// Wakes the webhook deliveries when an event was written.
    pub webhook_wake: Arc<Notify>,
    pub settings: Settings,
}

/// The settings the use cases read (from `Config`).
#[derive(Debug, Clone)]
pub struct Settings {
    /// How browsers and Vipps reach us, without a trailing slash.
    pub public_url: String,
    /// Vipps's host: its landing pages must be under it.
    pub vipps_base_url: String,
    /// How long a shopper has to start a payment.
    pub payment_ttl: Duration,
    /// The acquirer's deadline, well inside Vipps's 15 s.
    pub acquirer_timeout: Duration,
}

impl Payments {
    /// The payment `id`, whoever's it is (the merchant API narrows this to the merchant's own).
    pub async fn payment(&self, id: &PaymentId) -> Result<Payment, PaymentError> {
        self.store.get(id).await?.ok_or(PaymentError::NotFound)
    }

    /// Wakes both outboxes: something may have been written for Vipps or a merchant.
    pub fn wake_outboxes(&self) {
        self.outbox_wake.notify_one();
        self.webhook_wake.notify_one();
    }
}
