//! The phone app: enter a number, see the payments waiting for it, pick a test card and
//! approve (makePayment `YES` with cardData) or reject (`NO`).

use axum::extract::rejection::FormRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;
use shared::MobileNumber;
use shared::test_cards::TEST_CARDS;

use crate::app::AppState;
use crate::card_data::CardNumber;
use crate::html::{esc, page};
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
    let mut body = phone_form(typed.unwrap_or_default(), error.as_deref());
    if let Some(phone) = phone {
        let store = app.store.lock().await;
        let mut waiting: Vec<&Payment> = store
            .iter()
            .filter(|p| p.phone.as_ref() == Some(&phone) && p.state.is_pending())
            .collect();
        waiting.reverse();
        if waiting.is_empty() {
            body.push_str(&format!(
                "<div class=\"card\" id=\"no-payments\"><p>No payments are waiting for {}.</p>\
                 <a class=\"button secondary\" href=\"/app?phone={}\">Refresh</a></div>",
                esc(&phone.to_string()),
                esc(phone.as_str()),
            ));
        }
        for (i, payment) in waiting.into_iter().enumerate() {
            body.push_str(&payment_card(payment, i == 0));
        }
    }
    page("Vipps", &body)
}

fn phone_form(value: &str, error: Option<&str>) -> String {
    let error = error
        .map(|e| format!("<p class=\"error\" id=\"error\">{}</p>", esc(e)))
        .unwrap_or_default();
    format!(
        "<form class=\"card\" id=\"phone-form\" method=\"get\" action=\"/app\">\
         <label for=\"phone\">Your mobile number</label>\
         <input type=\"tel\" id=\"phone\" name=\"phone\" inputmode=\"numeric\" value=\"{}\" required>{error}\
         <button type=\"submit\" id=\"show-payments\" class=\"primary\">Show payments</button></form>",
        esc(value)
    )
}

/// One waiting payment. The newest also gets the ids `#approve` / `#reject`.
fn payment_card(payment: &Payment, newest: bool) -> String {
    let id = esc(payment.psp_transaction_id());
    let cards: String = TEST_CARDS
        .iter()
        .enumerate()
        .map(|(i, card)| {
            let last_four = card.number.get(card.number.len().saturating_sub(4)..).unwrap_or_default();
            format!(
                "<label><input type=\"radio\" name=\"card\" value=\"{}\"{}> {} <span class=\"muted\">•••• {}</span></label>",
                esc(card.number),
                if i == 0 { " checked" } else { "" },
                esc(card.label),
                esc(last_four),
            )
        })
        .collect();
    let (approve_id, reject_id) = if newest {
        (" id=\"approve\"", " id=\"reject\"")
    } else {
        ("", "")
    };
    format!(
        "<form class=\"card payment\" method=\"post\" action=\"/app/payments/{id}/approve\" data-psp-transaction-id=\"{id}\">\
         <p class=\"muted merchant\">{}</p><div class=\"amount\">{}</div><p class=\"payment-text\">{}</p>\
         <fieldset><legend>Pay with</legend>{cards}</fieldset>\
         <button type=\"submit\" class=\"approve primary\"{approve_id}>Approve</button>\
         <button type=\"submit\" class=\"reject secondary\"{reject_id} formaction=\"/app/payments/{id}/reject\">Reject</button>\
         </form>",
        esc(&payment.merchant_name),
        esc(&payment.init.amount.to_string()),
        esc(payment.init.payment_text.as_deref().unwrap_or_default()),
    )
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
            &result_page::section(&finished.outcome, sent, &finished.psp_redirect_url),
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
                Some(section) => (StatusCode::CONFLICT, page("Vipps", &section)).into_response(),
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
    let body = format!(
        "<div class=\"card\"><p class=\"error\" id=\"error\">{}</p></div>",
        esc(text)
    );
    (status, page("Vipps", &body)).into_response()
}
