//! The phone app: enter a number, see the payments waiting for it, pick a test card and
//! approve (makePayment `YES` with cardData) or reject (`NO`).

use axum::extract::rejection::FormRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use maud::{Markup, html};
use serde::Deserialize;
use shared::MobileNumber;
use shared::test_cards::TEST_CARDS;

use crate::app::AppState;
use crate::card_data::CardNumber;
use crate::html::page;
use crate::payment::Payment;
use crate::result_page;
use crate::shopper::{self, Action, ShopperError};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/app", get(show))
        .route("/app/payments/{id}/approve", post(approve))
        .route("/app/payments/{id}/reject", post(reject))
}

#[derive(Debug, Deserialize)]
struct AppQuery {
    #[serde(default)]
    phone: Option<String>,
}

#[derive(Debug, Deserialize)]
struct ApproveForm {
    #[serde(default)]
    card: Option<String>,
}

async fn show(State(app): State<AppState>, Query(query): Query<AppQuery>) -> Html<String> {
    let typed = query
        .phone
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty());
    let (phone, error) = match typed.map(str::parse::<MobileNumber>) {
        None => (None, None),
        Some(Ok(phone)) => (Some(phone), None),
        Some(Err(err)) => (None, Some(err.to_string())),
    };
    let store = app.store.lock().await;
    let mut waiting: Vec<&Payment> = match &phone {
        Some(phone) => store
            .iter()
            .filter(|p| p.phone.as_ref() == Some(phone) && p.state.is_pending())
            .collect(),
        None => Vec::new(),
    };
    waiting.reverse();
    let body = html! {
        (phone_form(typed.unwrap_or_default(), error.as_deref()))
        @if let Some(phone) = &phone {
            @if waiting.is_empty() {
                div class="card" id="no-payments" {
                    p { "No payments are waiting for " (phone) "." }
                    a class="button secondary" href={ "/app?phone=" (phone.as_str()) } { "Refresh" }
                }
            }
            @for (i, payment) in waiting.iter().enumerate() {
                (payment_card(payment, i == 0))
            }
        }
    };
    page("Vipps", body)
}

fn phone_form(value: &str, error: Option<&str>) -> Markup {
    html! {
        form class="card" id="phone-form" method="get" action="/app" {
            label for="phone" { "Your mobile number" }
            input type="tel" id="phone" name="phone" inputmode="numeric" value=(value) required;
            @if let Some(error) = error {
                p class="error" id="error" { (error) }
            }
            button type="submit" id="show-payments" class="primary" { "Show payments" }
        }
    }
}

/// One waiting payment. The newest also gets the ids `#approve` / `#reject`.
fn payment_card(payment: &Payment, newest: bool) -> Markup {
    let id = payment.psp_transaction_id();
    html! {
        form class="card payment" method="post" action={ "/app/payments/" (id) "/approve" } data-psp-transaction-id=(id) {
            p class="muted merchant" { (payment.merchant_name) }
            div class="amount" { (payment.init.amount) }
            p class="payment-text" { (payment.init.payment_text.as_deref().unwrap_or_default()) }
            fieldset {
                legend { "Pay with" }
                @for (i, card) in TEST_CARDS.iter().enumerate() {
                    @let last_four = card.number.get(card.number.len().saturating_sub(4)..).unwrap_or_default();
                    label {
                        input type="radio" name="card" value=(card.number) checked[i == 0];
                        " " (card.label) " "
                        span class="muted" { "•••• " (last_four) }
                    }
                }
            }
            button type="submit" class="approve primary" id=[newest.then_some("approve")] { "Approve" }
            button type="submit" class="reject secondary" id=[newest.then_some("reject")] formaction={ "/app/payments/" (id) "/reject" } { "Reject" }
        }
    }
}

async fn approve(
    State(app): State<AppState>,
    Path(id): Path<String>,
    form: Result<Form<ApproveForm>, FormRejection>,
) -> Response {
    let chosen = form.ok().and_then(|Form(form)| form.card);
    let first_card = TEST_CARDS.first().map_or("", |card| card.number);
    match CardNumber::parse(chosen.as_deref().unwrap_or(first_card)) {
        Ok(card) => finish(&app, &id, Action::Approve { card, expiry: None }).await,
        Err(err) => message(StatusCode::BAD_REQUEST, &err.to_string()),
    }
}

async fn reject(State(app): State<AppState>, Path(id): Path<String>) -> Response {
    finish(&app, &id, Action::Reject).await
}

async fn finish(app: &AppState, id: &str, action: Action) -> Response {
    let sent = action.confirmed();
    match shopper::act(app, id, action).await {
        Ok(finished) => page(
            "Vipps",
            result_page::section(&finished.outcome, sent, &finished.psp_redirect_url),
        )
        .into_response(),
        Err(ShopperError::NotFound) => {
            message(StatusCode::NOT_FOUND, "This payment does not exist.")
        }
        Err(ShopperError::NotPending(_)) => {
            let store = app.store.lock().await;
            let done = store.get(id).and_then(|p| {
                let (sent, outcome) = p.state.completed()?;
                Some(result_page::section(
                    outcome,
                    sent,
                    &p.init.psp_redirect_url,
                ))
            });
            match done {
                Some(section) => (StatusCode::CONFLICT, page("Vipps", section)).into_response(),
                None => message(
                    StatusCode::CONFLICT,
                    "This payment is already being processed.",
                ),
            }
        }
        Err(err @ (ShopperError::CardData(_) | ShopperError::Random(_))) => {
            tracing::error!(%err, "app approve");
            message(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Something went wrong. Try again.",
            )
        }
    }
}

fn message(status: StatusCode, text: &str) -> Response {
    let body = html! {
        div class="card" { p class="error" id="error" { (text) } }
    };
    (status, page("Vipps", body)).into_response()
}
