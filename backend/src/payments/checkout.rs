//! Widget use cases: read a payment with its client secret, and start it at Vipps.
//! The routes authenticate first ([`authorised`]) and rate-limit, then call these.

use shared::account::MerchantStatus;
use shared::checkout::{CheckoutPayment, StartPayment};
use shared::text::Lang;
use shared::vipps::InitRequest;
use shared::{PaymentId, PspTransactionId};

use super::attempts::{Attempt, MAX_ATTEMPTS, vipps_order_id};
use super::store::Changes;
use super::{Payment, PaymentError, PaymentEvent, PaymentState, Payments, Refusal, now_unix, view};
use crate::keys;
use crate::vipps::{LandingUrl, VippsError};

/// The payment, if `client_secret` is its secret. Wrong secret and unknown id look alike.
/// A disabled merchant's widgets stop working.
pub async fn authorised(
    state: &Payments,
    id: &PaymentId,
    client_secret: &str,
) -> Result<Payment, PaymentError> {
    let payment = match state.store.get(id).await? {
        Some(p) if keys::secret_matches(client_secret, &p.client_secret_hash) => p,
        Some(_) | None => return Err(PaymentError::Unauthorized),
    };
    let merchant = state.merchants.get(&payment.merchant_id).await?;
    if merchant.status != MerchantStatus::Active {
        return Err(PaymentError::MerchantDisabled);
    }
    Ok(payment)
}

/// The widget's view of an authorised payment, with its merchant's name.
pub async fn get(state: &Payments, payment: &Payment) -> Result<CheckoutPayment, PaymentError> {
    let merchant = state.merchants.get(&payment.merchant_id).await?;
    Ok(view::checkout(payment, merchant.name.as_str(), now_unix()))
}

/// The payment as it is now, after a change.
async fn reread(state: &Payments, id: &PaymentId) -> Result<CheckoutPayment, PaymentError> {
    let payment = state.payment(id).await?;
    get(state, &payment).await
}

/// Sends the payment to Vipps (`init`) for the shopper's number; returns it with the landing page URL.
/// A payment gets at most [`MAX_ATTEMPTS`] inits: each refused one returns it to
/// `Created`, and the shopper may not make Vipps calls without end.
pub async fn start(
    state: &Payments,
    payment: Payment,
    request: StartPayment,
) -> Result<CheckoutPayment, PaymentError> {
    let id = &payment.id;
    let now = now_unix();
    if payment.state == PaymentState::Expired {
        return Err(PaymentError::Expired);
    }
    if payment.is_expired_at(now) {
        let expired = payment.state.apply(PaymentEvent::Expired)?;
        state
            .store
            .transition(id, payment.state, expired, Changes::default())
            .await?;
        return Err(PaymentError::Expired);
    }
    let initiating = payment.state.apply(PaymentEvent::StartRequested)?;
    if state.store.count_attempts(id).await? >= MAX_ATTEMPTS {
        return Err(PaymentError::TooManyAttempts);
    }
    let attempt = PspTransactionId::from_random(keys::random_bytes()?);
    let make_payment_token = keys::random_hex::<32>()?;
    let token_hash = keys::secret_hash(&make_payment_token);
    let record = Attempt {
        psp_transaction_id: attempt.clone(),
        payment_id: id.clone(),
        make_payment_token_hash: token_hash,
        answer: None,
    };
    state.store.insert_attempt(&record, now).await?;
    let claimed = Changes {
        psp_transaction_id: Some(attempt.clone()),
        phone_number: Some(request.phone_number.clone()),
        is_app: Some(request.is_app),
        // A retry after a failure starts clean.
        new_attempt: payment.state == PaymentState::Failed,
        ..Changes::default()
    };
    if !state
        .store
        .transition(id, payment.state, initiating, claimed)
        .await?
    {
        // A concurrent start won the race and is initiating it now.
        let event = PaymentEvent::StartRequested;
        return Err(PaymentError::InvalidState(super::InvalidTransition {
            from: initiating,
            event,
        }));
    }
    let public = &state.settings.public_url;
    let init = InitRequest {
        psp_transaction_id: attempt.clone(),
        merchant_order_id: vipps_order_id(
            &payment.merchant_order_id,
            state.store.count_attempts(id).await?,
        ),
        customer_mobile_number: Some(request.phone_number),
        amount: i64::from(payment.amount.ore()),
        currency: payment.currency.code().to_owned(),
        psp_redirect_url: return_url(public, id, request.lang),
        make_payment_url: format!("{public}/vipps/make-payment"),
        make_payment_token: Some(make_payment_token),
        payment_text: Some(payment.description.as_str().to_owned()),
        is_app: request.is_app,
    };
    // The attempt's id doubles as the Request-Id: a retry of this init is the same request.
    // Both outcomes are written only while this attempt is still initiating: a makePayment
    // for it, the shopper's cancel or reconciliation may have settled it first, and then
    // the widget gets where the payment is now. The landing page is checked before
    // anything is stored: a bad one is a refusal.
    let merchant = state.merchants.get(&payment.merchant_id).await?;
    let answer = state
        .vipps
        .init(&merchant.msn, &init, attempt.as_str())
        .await
        .and_then(|answer| {
            LandingUrl::parse(&answer.vipps_redirect_url, &state.settings.vipps_base_url)
        });
    match answer {
        Ok(landing) => {
            let accepted = initiating.apply(PaymentEvent::VippsAccepted)?;
            let changes = Changes {
                vipps_url: Some(landing.into()),
                ..Changes::default()
            };
            if state
                .store
                .transition_attempt(id, &attempt, initiating, accepted, changes)
                .await?
            {
                tracing::info!(payment = %id, psp_transaction_id = %attempt, "payment initiated at Vipps");
            } else {
                tracing::warn!(payment = %id, psp_transaction_id = %attempt, "init answered after the payment moved on");
            }
        }
        Err(error) => {
            let back = initiating.apply(PaymentEvent::VippsRefused)?;
            if !state
                .store
                .transition_attempt(id, &attempt, initiating, back, Changes::default())
                .await?
            {
                tracing::warn!(payment = %id, %error, "init failed after the payment moved on");
                return reread(state, id).await;
            }
            // Vipps's own words go to the log only; the browser gets ours.
            tracing::warn!(payment = %id, %error, "Vipps init failed");
            return Err(match error {
                VippsError::Rejected(_, errors) => {
                    PaymentError::VippsRejected(Refusal::of(&errors))
                }
                other => PaymentError::VippsUnavailable(other),
            });
        }
    }
    reread(state, id).await
}

/// The shopper gives up before Vipps has sent makePayment: the payment is cancelled
/// here, and a makePayment arriving later is answered "too late" (errorId 85).
pub async fn cancel(state: &Payments, payment: Payment) -> Result<CheckoutPayment, PaymentError> {
    let id = &payment.id;
    let cancelled = payment.state.apply(PaymentEvent::CancelRequested)?;
    if !state
        .store
        .transition(id, payment.state, cancelled, Changes::default())
        .await?
    {
        // Vipps's makePayment (or another cancel) moved it first: report where it is now.
        let from = state.payment(id).await?.state;
        let event = PaymentEvent::CancelRequested;
        return Err(PaymentError::InvalidState(super::InvalidTransition {
            from,
            event,
        }));
    }
    tracing::info!(payment = %id, "payment cancelled by the shopper");
    reread(state, id).await
}

/// Where Vipps sends the shopper back to: our return page, in the widget's language.
fn return_url(public: &str, id: &PaymentId, lang: Option<Lang>) -> String {
    match lang {
        Some(lang) => format!("{public}/return/{id}?lang={}", lang.code()),
        None => format!("{public}/return/{id}"),
    }
}
