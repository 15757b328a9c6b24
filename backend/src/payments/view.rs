//! Projections of a stored payment: what merchants see and what the widget sees.

use shared::checkout::{CheckoutPayment, CheckoutStatus};
use shared::merchant::{MerchantPayment, PaymentStatus};

use super::{Payment, PaymentState};

pub fn merchant(p: &Payment, now: i64) -> MerchantPayment {
    let status = match p.state {
        _ if p.is_expired_at(now) => PaymentStatus::Expired,
        PaymentState::Created | PaymentState::Initiating => PaymentStatus::Created,
        PaymentState::AwaitingApp => PaymentStatus::AwaitingApp,
        PaymentState::Charging => PaymentStatus::Processing,
        PaymentState::Authorised => p.ledger.status(),
        PaymentState::Failed => PaymentStatus::Failed,
        PaymentState::Cancelled => PaymentStatus::Cancelled,
        PaymentState::Expired => PaymentStatus::Expired,
    };
    MerchantPayment {
        id: p.id.clone(),
        client_secret: None,
        status,
        amount: p.amount,
        currency: p.currency,
        merchant_order_id: p.merchant_order_id.clone(),
        description: p.description.clone(),
        failure: p.failure,
        card: p.card.clone(),
        amounts: p.ledger.amounts(),
        return_url: p.return_url.clone(),
        created_at: p.created_at,
        expires_at: p.expires_at,
    }
}

pub fn checkout(p: &Payment, merchant_name: &str, now: i64) -> CheckoutPayment {
    CheckoutPayment {
        id: p.id.clone(),
        amount: p.amount,
        currency: p.currency,
        description: p.description.as_str().to_owned(),
        merchant_name: merchant_name.to_owned(),
        phone_number: p.phone_number.clone(),
        status: checkout_status(p, now),
        failure: p.failure,
        vipps_url: p.vipps_url.clone(),
        is_app: p.is_app,
        expires_at: p.expires_at,
    }
}

/// The widget's status: a projection of the internal state.
pub fn checkout_status(p: &Payment, now: i64) -> CheckoutStatus {
    match p.state {
        _ if p.is_expired_at(now) => CheckoutStatus::Expired,
        PaymentState::Created | PaymentState::Initiating => CheckoutStatus::AwaitingPhone,
        PaymentState::AwaitingApp => CheckoutStatus::AwaitingApp,
        PaymentState::Charging => CheckoutStatus::Processing,
        PaymentState::Authorised => CheckoutStatus::Succeeded,
        PaymentState::Failed => CheckoutStatus::Failed,
        PaymentState::Cancelled => CheckoutStatus::Cancelled,
        PaymentState::Expired => CheckoutStatus::Expired,
    }
}
