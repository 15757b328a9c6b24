//! The simulator's memory: every payment, looked up by transaction id or landing id,
//! the Request-Id answers and the updatestatus calls received. Lives behind one
//! `tokio::sync::Mutex` in `AppState`.

use std::collections::{HashMap, HashSet};

use crate::idempotency::IdempotencyCache;
use crate::payment::Payment;
use crate::update_log::UpdateStatusLog;

/// Why an init cannot create a payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Duplicate {
    #[error("PSP transaction id already exists")]
    PspTransactionId,
    #[error("orderId already exists")]
    MerchantOrderId,
}

#[derive(Debug, Default)]
pub struct Store {
    /// In creation order.
    payments: Vec<Payment>,
    by_psp_id: HashMap<String, usize>,
    by_landing_id: HashMap<String, usize>,
    /// `(merchant serial number, merchant order id)`.
    order_ids: HashSet<(String, String)>,
    pub idempotency: IdempotencyCache,
    pub update_calls: UpdateStatusLog,
}

impl Store {
    pub fn insert(&mut self, payment: Payment) -> Result<(), Duplicate> {
        let psp_id = payment.psp_transaction_id().to_owned();
        let order = (
            payment.merchant_serial_number.clone(),
            payment.init.merchant_order_id.as_str().to_owned(),
        );
        if self.by_psp_id.contains_key(&psp_id) {
            return Err(Duplicate::PspTransactionId);
        }
        if self.order_ids.contains(&order) {
            return Err(Duplicate::MerchantOrderId);
        }
        let index = self.payments.len();
        self.by_psp_id.insert(psp_id, index);
        self.by_landing_id.insert(payment.landing_id.clone(), index);
        self.order_ids.insert(order);
        self.payments.push(payment);
        Ok(())
    }

    pub fn get(&self, psp_transaction_id: &str) -> Option<&Payment> {
        self.by_psp_id
            .get(psp_transaction_id)
            .and_then(|&i| self.payments.get(i))
    }

    pub fn get_mut(&mut self, psp_transaction_id: &str) -> Option<&mut Payment> {
        self.by_psp_id
            .get(psp_transaction_id)
            .and_then(|&i| self.payments.get_mut(i))
    }

    pub fn by_landing_id(&self, landing_id: &str) -> Option<&Payment> {
        self.by_landing_id
            .get(landing_id)
            .and_then(|&i| self.payments.get(i))
    }

    pub fn by_landing_id_mut(&mut self, landing_id: &str) -> Option<&mut Payment> {
        self.by_landing_id
            .get(landing_id)
            .and_then(|&i| self.payments.get_mut(i))
    }

    /// All payments, oldest first.
    pub fn iter(&self) -> impl Iterator<Item = &Payment> {
        self.payments.iter()
    }
}
