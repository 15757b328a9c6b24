//! Merchant use cases: create a payment (the only place an amount is set) and read it.

use shared::merchant::{CreatePayment, MerchantPayment};
use shared::{MerchantId, PaymentId};

use super::store::StoreError;
use super::{Payment, PaymentError, PaymentState, Payments, now_unix, view};
use crate::keys;

/// Creates a payment. With an Idempotency-Key its id derives from the key, so that a
/// repeat whose first run died with its instance (after the insert, before the answer)
/// finds that payment: the first answer never left, so the repeat answers it with a new
/// client secret that replaces the one nobody received.
pub async fn create(
    state: &Payments,
    merchant: &MerchantId,
    request: CreatePayment,
    key: Option<&str>,
) -> Result<MerchantPayment, PaymentError> {
    let client_secret = format!("cs_{}", keys::random_hex::<32>()?);
    let now = now_unix();
    let ttl = i64::try_from(state.settings.payment_ttl.as_secs()).unwrap_or(i64::MAX);
    let id = match key {
        Some(key) => {
            let order = request.merchant_order_id.as_str();
            PaymentId::from_random(keys::derived_id(&[merchant.as_str(), "create", key, order]))
        }
        None => PaymentId::from_random(keys::random_bytes()?),
    };
    let payment = Payment {
        id,
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
    match state.store.insert(&payment).await {
        Ok(()) => {}
        Err(StoreError::DuplicateOrderId) if key.is_some() => {
            return created_before(state, &payment, client_secret).await;
        }
        Err(error) => return Err(error.into()),
    }
    tracing::info!(payment = %payment.id, merchant = %merchant, amount = payment.amount.ore(), "payment created");
    let mut answer = view::merchant(&payment, now);
    answer.client_secret = Some(client_secret);
    Ok(answer)
}

/// The payment a first run with the same key inserted, handed out with `client_secret`;
/// a duplicate order id when it is not that payment, untouched.
async fn created_before(
    state: &Payments,
    wanted: &Payment,
    client_secret: String,
) -> Result<MerchantPayment, PaymentError> {
    let duplicate = || PaymentError::from(StoreError::DuplicateOrderId);
    let Some(earlier) = state.store.get(&wanted.id).await? else {
        return Err(duplicate());
    };
    let same = earlier.merchant_id == wanted.merchant_id
        && earlier.state == PaymentState::Created
        && earlier.amount == wanted.amount
        && earlier.currency == wanted.currency
        && earlier.merchant_order_id == wanted.merchant_order_id
        && earlier.description == wanted.description;
    if !same
        || !state
            .store
            .replace_client_secret(&earlier, &wanted.client_secret_hash)
            .await?
    {
        return Err(duplicate());
    }
    tracing::warn!(payment = %earlier.id, "a create whose answer was lost is answered again, with a new client secret");
    let mut answer = view::merchant(&earlier, now_unix());
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
