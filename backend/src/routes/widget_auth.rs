//! `WidgetPayment`: a widget request's payment, authenticated by its client secret.
//! A failed authentication (wrong secret, unknown id, no secret) is counted against the
//! client's address, never against the payment: past the limit it is answered 429.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;

use super::extract::{ClientSecret, PaymentPath};
use crate::app::AppState;
use crate::error::ApiError;
use crate::payments::{Payment, PaymentError, checkout};
use crate::rate_limit::client_key;

/// The payment of `/api/checkout/payments/{id}…` whose secret the request carries.
pub struct WidgetPayment(pub Payment);

impl FromRequestParts<AppState> for WidgetPayment {
    type Rejection = ApiError;
    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let PaymentPath(id) = PaymentPath::from_request_parts(parts, state).await?;
        let authorised = match ClientSecret::from_request_parts(parts, state).await {
            Ok(ClientSecret(secret)) => checkout::authorised(&state.payments, &id, &secret).await,
            Err(_) => Err(PaymentError::Unauthorized),
        };
        match authorised {
            Ok(payment) => Ok(Self(payment)),
            Err(PaymentError::Unauthorized) => {
                let peer = parts
                    .extensions
                    .get::<ConnectInfo<SocketAddr>>()
                    .map(|ConnectInfo(addr)| addr.ip());
                state
                    .limits
                    .failures
                    .check(&client_key(peer))
                    .map_err(ApiError::RateLimited)?;
                Err(ApiError::Unauthorized)
            }
            Err(other) => Err(other.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::net::SocketAddr;

    use axum::body::Body;
    use axum::extract::ConnectInfo;
    use axum::http::{Request, StatusCode};
    use tower::ServiceExt;

    use crate::Application;

    /// A widget read of a well-formed id no payment has, from `peer` if given.
    async fn read_unknown(
        router: &axum::Router,
        n: u32,
        peer: Option<&str>,
    ) -> Result<StatusCode, String> {
        let mut request = Request::get(format!("/api/checkout/payments/pay_{n:032x}"))
            .header(shared::checkout::CLIENT_SECRET_HEADER, "cs_guess")
            .body(Body::empty())
            .map_err(|e| e.to_string())?;
        if let Some(peer) = peer {
            let addr: SocketAddr = peer.parse().map_err(|e| format!("{e}"))?;
            request.extensions_mut().insert(ConnectInfo(addr));
        }
        let response = router.clone().oneshot(request).await;
        response.map(|r| r.status()).map_err(|e| e.to_string())
    }

    #[tokio::test]
    async fn unknown_ids_are_counted_per_address_and_never_per_payment() -> Result<(), String> {
        let (app, _data) =
            Application::for_test(|config| config.widget_failures_per_minute = 3).await?;
        let state = app.state().clone();
        let router = crate::routes::router(state.clone());
        // Without ConnectInfo (no peer address known) all requests are one client.
        for n in 0..3 {
            assert_eq!(
                read_unknown(&router, n, None).await?,
                StatusCode::UNAUTHORIZED
            );
        }
        assert_eq!(
            read_unknown(&router, 3, None).await?,
            StatusCode::TOO_MANY_REQUESTS
        );
        let elsewhere = Some("[2001:db8::7]:50000");
        assert_eq!(
            read_unknown(&router, 4, elsewhere).await?,
            StatusCode::UNAUTHORIZED,
            "another address has its own budget"
        );
        assert_eq!(state.limits.failures.len(), 2);
        assert!(
            state.limits.reads.is_empty() && state.limits.actions.is_empty(),
            "unknown ids leave nothing behind per payment"
        );
        Ok(())
    }
}
