//! The Vipps landing page (`vippsRedirectUrl`): the shopper confirms the number or cancels,
//! then waits for the app while a small script polls for the outcome. A test phone number's
//! scripted shopper acts as soon as Confirm is posted.

use axum::extract::rejection::FormRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use maud::{Markup, PreEscaped, html};
use serde::{Deserialize, Serialize};
use shared::MobileNumber;

use crate::app::AppState;
use crate::forcing;
use crate::html::page;
use crate::payment::Payment;
use crate::result_page;
use crate::shopper::{self, Action, ShopperError};
use crate::state::{self, Event, PaymentState};
use crate::store::Store;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/landing/{id}", get(show))
        .route("/landing/{id}/confirm", post(confirm))
        .route("/landing/{id}/cancel", post(cancel))
        .route("/landing/{id}/status", get(status))
}

#[derive(Debug, Deserialize)]
struct ConfirmForm {
    #[serde(default)]
    phone: Option<String>,
}

#[derive(Debug, Serialize)]
struct LandingStatus {
    state: &'static str,
    /// Set once makePayment is done: where the page sends the shopper.
    redirect_url: Option<String>,
}

async fn show(State(app): State<AppState>, Path(id): Path<String>) -> Response {
    let store = app.store.lock().await;
    match store.by_landing_id(&id) {
        Some(payment) => render(&app, payment, None).into_response(),
        None => not_found(),
    }
}

/// A form without fields may come without a content type: that is an empty form.
async fn confirm(
    State(app): State<AppState>,
    Path(id): Path<String>,
    form: Result<Form<ConfirmForm>, FormRejection>,
) -> Response {
    let typed = form.ok().and_then(|Form(form)| form.phone);
    let (psp_id, phone) = {
        let mut store = app.store.lock().await;
        match confirm_phone(&app, &mut store, &id, typed) {
            Confirm::Confirmed { psp_id, phone } => (psp_id, phone),
            Confirm::Answer(response) => return response,
        }
    };
    let Some(script) = forcing::script_for(&phone) else {
        return Redirect::to(&format!("/landing/{id}")).into_response();
    };
    match forcing::play(&app, &psp_id, script).await {
        Ok(finished) => Redirect::to(&finished.psp_redirect_url).into_response(),
        Err(err) => {
            tracing::warn!(%err, "test phone number");
            Redirect::to(&format!("/landing/{id}")).into_response()
        }
    }
}

/// What a posted Confirm led to.
enum Confirm {
    /// The payment moved to `Confirmed` with this number.
    Confirmed { psp_id: String, phone: MobileNumber },
    /// Nothing changed; answer this.
    Answer(Response),
}

/// Moves the payment to `Confirmed` with the shopper's number.
fn confirm_phone(app: &AppState, store: &mut Store, id: &str, typed: Option<String>) -> Confirm {
    let Some(payment) = store.by_landing_id_mut(id) else {
        return Confirm::Answer(not_found());
    };
    let again = || Redirect::to(&format!("/landing/{id}")).into_response();
    if payment.state != PaymentState::AwaitingUser {
        return Confirm::Answer(again());
    }
    let phone = match (
        &payment.phone,
        typed.as_deref().map(str::parse::<MobileNumber>),
    ) {
        (Some(phone), _) => phone.clone(),
        (None, Some(Ok(phone))) => phone,
        (None, Some(Err(err))) => {
            let page = render(app, payment, Some(&err.to_string()));
            return Confirm::Answer((StatusCode::BAD_REQUEST, page).into_response());
        }
        (None, None) => {
            let page = render(app, payment, Some("enter a mobile number"));
            return Confirm::Answer((StatusCode::BAD_REQUEST, page).into_response());
        }
    };
    match state::apply(&payment.state, Event::ConfirmPhone) {
        Ok(next) => {
            payment.phone = Some(phone.clone());
            payment.state = next;
            Confirm::Confirmed {
                psp_id: payment.psp_transaction_id().to_owned(),
                phone,
            }
        }
        Err(err) => {
            tracing::warn!(%err, "landing confirm");
            Confirm::Answer(again())
        }
    }
}

async fn cancel(State(app): State<AppState>, Path(id): Path<String>) -> Response {
    let psp_id = match app.store.lock().await.by_landing_id(&id) {
        Some(payment) => payment.psp_transaction_id().to_owned(),
        None => return not_found(),
    };
    match shopper::act(&app, &psp_id, Action::Cancel).await {
        Ok(finished) => Redirect::to(&finished.psp_redirect_url).into_response(),
        Err(ShopperError::NotPending(_)) => Redirect::to(&format!("/landing/{id}")).into_response(),
        Err(err) => {
            tracing::error!(%err, "landing cancel");
            let body = html! {
                div class="card" { p class="error" { "Something went wrong. Try again." } }
            };
            (StatusCode::INTERNAL_SERVER_ERROR, page("Vipps", body)).into_response()
        }
    }
}

async fn status(State(app): State<AppState>, Path(id): Path<String>) -> Response {
    let store = app.store.lock().await;
    let Some(payment) = store.by_landing_id(&id) else {
        return (
            StatusCode::NOT_FOUND,
            Json(serde_json::json!({"error": "not_found"})),
        )
            .into_response();
    };
    let redirect_url = payment
        .state
        .completed()
        .map(|_| payment.init.psp_redirect_url.clone());
    Json(LandingStatus {
        state: payment.state.name(),
        redirect_url,
    })
    .into_response()
}

fn render(app: &AppState, payment: &Payment, error: Option<&str>) -> Html<String> {
    let body = match &payment.state {
        PaymentState::AwaitingUser => confirm_form(payment, error),
        PaymentState::Confirmed | PaymentState::Sending(_) => waiting(app, payment),
        PaymentState::Completed { sent, outcome } => {
            result_page::section(outcome, *sent, &payment.init.psp_redirect_url)
        }
    };
    let markup = html! {
        div class="card" {
            p class="muted" id="merchant" { (payment.merchant_name) }
            div class="amount" id="amount" { (payment.init.amount) }
            p id="payment-text" { (payment.init.payment_text.as_deref().unwrap_or_default()) }
        }
        (body)
    };
    page("Pay with Vipps", markup)
}

fn confirm_form(payment: &Payment, error: Option<&str>) -> Markup {
    let id = &payment.landing_id;
    html! {
        form class="card" id="confirm-form" method="post" action={ "/landing/" (id) "/confirm" } {
            @if let Some(phone) = &payment.phone {
                p class="muted" { "Mobile number" }
                p id="phone-number" { strong { (phone) } }
            } @else {
                label for="phone" { "Mobile number" }
                input type="tel" id="phone" name="phone" inputmode="numeric" autocomplete="tel" required;
            }
            @if let Some(error) = error {
                p class="error" id="error" { (error) }
            }
            button type="submit" id="confirm" class="primary" { "Confirm" }
        }
        form method="post" action={ "/landing/" (id) "/cancel" } {
            button type="submit" id="cancel" class="secondary" { "Cancel" }
        }
    }
}

/// Polls the landing status and follows `redirect_url` once there is one.
const POLL_SCRIPT: &str = "(function(){var el=document.getElementById('waiting');\
function poll(){fetch(el.dataset.statusUrl,{cache:'no-store'}).then(function(r){return r.json();})\
.then(function(s){if(s.redirect_url){location.href=s.redirect_url;}else{setTimeout(poll,1000);}})\
.catch(function(){setTimeout(poll,1000);});}setTimeout(poll,1000);})();";

fn waiting(app: &AppState, payment: &Payment) -> Markup {
    let app_url = match &payment.phone {
        Some(phone) => app.url(&format!("/app?phone={}", phone.as_str())),
        None => app.url("/app"),
    };
    html! {
        div class="card" id="waiting" data-status-url={ "/landing/" (payment.landing_id) "/status" } {
            h2 { "Open the Vipps app on your phone to finish" }
            p class="muted" { "The payment is waiting for you in the app." }
            a id="open-app" class="button primary" href=(app_url) target="_blank" rel="noopener" { "Open the Vipps app" }
        }
        // A constant script written here; escaping would break its quotes.
        script { (PreEscaped(POLL_SCRIPT)) }
    }
}

fn not_found() -> Response {
    let body = html! {
        div class="card" id="not-found" {
            h2 { "Payment not found" }
            p class="muted" { "This payment link is not valid." }
        }
    };
    (StatusCode::NOT_FOUND, page("Vipps", body)).into_response()
}
