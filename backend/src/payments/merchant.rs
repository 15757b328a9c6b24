//! Merchant use cases: create a payment (the only place an amount is set) and read it.

use shared::merchant::{CreatePayment, MerchantPayment};
use shared::{MerchantId, PaymentId};

use super::{Payment, PaymentError, PaymentState, Payments, now_unix, view};
use crate::keys;

pub async fn create(
    state: &Payments,
    merchant: &MerchantId,
    request: CreatePayment,
) -> Result<MerchantPayment, PaymentError> {
    let client_secret = format!("cs_{}", keys::random_hex::<32>()?);
    let now = now_unix();
    let ttl = i64::try_from(state.settings.payment_ttl.as_secs()).unwrap_or(i64::MAX);
    let payment = Payment {
        id: PaymentId::from_random(keys::random_bytes()?),
        merchant_id: merchant.clone(),
        state: PaymentState::Created,
        amount: request.amount,
        currency: request.currency,
        merchant_order_id: request.merchant_order_id,
        description: request.description,
        phone_number: request.phone_number,
        return_url: request.return_url,
        client_secret_hash: keys::secret_hash(&client_secret),
        psp_transaction_id: None,
        vipps_url: None,
        is_app: false,
        failure: None,
        card: None,
        acquirer_reference: None,
        make_payment_answer: None,
        created_at: now,
        expires_at: now.saturating_add(ttl),
        ledger: super::Ledger::default(),
        ledger_version: 0,
        acquirer_unsettled: false,
    };
    state.store.insert(&payment).await?;
    tracing::info!(payment = %payment.id, merchant = %merchant, amount = payment.amount.ore(), "payment created");
    let mut answer = view::merchant(&payment, now);
    answer.client_secret = Some(client_secret);
    Ok(answer)
}

/// The merchant's payment; another merchant's is "not found", exactly like a missing one.
pub async fn get(
    state: &Payments,
    merchant: &MerchantId,
    id: &PaymentId,
) -> Result<MerchantPayment, PaymentError> {
    Ok(view::merchant(
        &owned(state, merchant, id).await?,
        now_unix(),
    ))
}

/// The payment, if it is `merchant`'s.
pub async fn owned(
    state: &Payments,
    merchant: &MerchantId,
    id: &PaymentId,
) -> Result<Payment, PaymentError> {
    match state.store.get(id).await? {
        Some(payment) if &payment.merchant_id == merchant => Ok(payment),
        Some(_) | None => Err(PaymentError::NotFound),
    }
}
