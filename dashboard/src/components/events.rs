//! The event log: the events told to the webhooks (newest first, of one payment if asked),
//! each row (`event_rows`) with its deliveries on demand, and Send again.

use std::collections::HashSet;

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::PaymentId;
use shared::webhooks::Event;

use super::event_rows::{EventRows, Redelivery};
use super::status::{FieldError, StatusLine};
use crate::api;
use crate::errors;
use crate::idempotency::Submissions;
use crate::locale::{Language, tr};
use crate::session::Auth;
use crate::text::{Key, text};

/// How many events show at first, and how many more each "More" adds.
const PAGE: usize = 25;

#[component]
pub fn Events() -> impl IntoView {
    let language = Language::get();
    let auth = Auth::get();
    let events = RwSignal::new(None::<Vec<Event>>);
    let shown = RwSignal::new(PAGE);
    let news = RwSignal::new(None::<Result<String, api::Error>>);
    let payment = RwSignal::new(String::new());
    let payment_error = RwSignal::new(None::<String>);
    // Kept here, not in the rows, which are made anew when the list changes.
    let redelivery = Redelivery {
        submissions: StoredValue::new(Submissions::default()),
        busy: RwSignal::new(HashSet::new()),
    };

    let load = move |payment: Option<PaymentId>| {
        let Some(api) = auth.api() else { return };
        spawn_local(async move {
            let query: Vec<(&str, String)> = payment
                .iter()
                .map(|id| ("payment", id.to_string()))
                .collect();
            match api.get::<Vec<Event>>("/v1/events", &query).await {
                Ok(found) => {
                    shown.set(PAGE);
                    events.set(Some(found));
                }
                Err(error) => news.set(Some(Err(error))),
            }
        });
    };
    load(None);

    let filter = move |ev: SubmitEvent| {
        ev.prevent_default();
        let typed = payment.get_untracked();
        let typed = typed.trim();
        if typed.is_empty() {
            payment_error.set(None);
            load(None);
            return;
        }
        match typed.parse::<PaymentId>() {
            Ok(id) => {
                payment_error.set(None);
                load(Some(id));
            }
            Err(_) => {
                let lang = language.lang_untracked();
                payment_error.set(Some(text(lang, Key::PaymentIdRule).to_owned()));
            }
        }
    };

    let message = Signal::derive(move || {
        let lang = language.lang();
        if let Some(news) = news.get() {
            return Some(match news {
                Ok(sent) => format!("{} {sent}", text(lang, Key::SentAgain)),
                Err(error) => errors::describe(lang, &error),
            });
        }
        events.with(|events| match events {
            None => Some(text(lang, Key::Loading).to_owned()),
            Some(list) if list.is_empty() => Some(text(lang, Key::NoEvents).to_owned()),
            Some(_) => None,
        })
    });
    let failed = Signal::derive(move || news.with(|n| matches!(n, Some(Err(_)))));
    let rows = move || {
        events.with(|events| {
            events
                .iter()
                .flatten()
                .take(shown.get())
                .cloned()
                .map(|event| view! { <EventRows event news redelivery /> })
                .collect_view()
        })
    };
    let more = move || events.with(|e| e.as_ref().is_some_and(|e| e.len() > shown.get()));

    view! {
        <section class="panel" aria-labelledby="events-heading">
            <h2 id="events-heading">{tr(Key::Events)}</h2>
            <form class="inline" role="search" aria-label=tr(Key::FilterEvents) on:submit=filter>
                <div class="field grow">
                    <label for="event-payment">{tr(Key::PaymentIdOptional)}</label>
                    <input
                        id="event-payment"
                        name="payment"
                        type="search"
                        autocomplete="off"
                        spellcheck="false"
                        aria-describedby="event-payment-error"
                        aria-invalid=move || payment_error.with(Option::is_some).to_string()
                        bind:value=payment
                    />
                    <FieldError id="event-payment-error" message=payment_error />
                </div>
                <button type="submit">{tr(Key::ShowEvents)}</button>
            </form>
            <StatusLine message error=failed />
            <table class="events">
                <caption class="visually-hidden">{tr(Key::Events)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{tr(Key::EventType)}</th>
                        <th scope="col" class="num">{tr(Key::Amount)}</th>
                        <th scope="col">{tr(Key::Payment)}</th>
                        <th scope="col">{tr(Key::Created)}</th>
                        <th scope="col">{tr(Key::ActionsColumn)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
            <Show when=more>
                <p class="more">
                    <button type="button" class="secondary" on:click=move |_| shown.update(|n| *n += PAGE)>
                        {tr(Key::More)}
                    </button>
                </p>
            </Show>
        </section>
    }
}
