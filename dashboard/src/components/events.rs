//! The event log: the events told to the webhooks (newest first, of one payment if asked),
//! each with its deliveries on demand, and Send again.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use shared::PaymentId;
use shared::webhooks::{Event, EventWithDeliveries};

use super::deliveries::Deliveries;
use super::status::{FieldError, StatusLine};
use crate::api;
use crate::errors;
use crate::idempotency::fresh_key;
use crate::locale::{Language, tr};
use crate::session::Auth;
use crate::text::{Key, text};
use crate::{dates, labels, money, paths};

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
                .map(|event| view! { <EventRows event news /> })
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

/// One event's row and, once asked for, a row with its deliveries.
#[component]
fn EventRows(event: Event, news: RwSignal<Option<Result<String, api::Error>>>) -> impl IntoView {
    let language = Language::get();
    let auth = Auth::get();
    let detail = RwSignal::new(None::<EventWithDeliveries>);
    let open = RwSignal::new(false);
    let id = event.id.clone();
    let panel_id = format!("deliveries-{id}");
    let path = StoredValue::new(format!("/v1/events/{id}"));
    let toggle = move |_| {
        open.update(|o| *o = !*o);
        if !open.get_untracked() {
            return;
        }
        let Some(api) = auth.api() else { return };
        let path = path.get_value();
        spawn_local(async move {
            match api.get::<EventWithDeliveries>(&path, &[]).await {
                Ok(found) => detail.set(Some(found)),
                Err(error) => news.set(Some(Err(error))),
            }
        });
    };
    let redeliver = move |_| {
        let Some(api) = auth.api() else { return };
        let redeliver = format!("{}/redeliver", path.get_value());
        spawn_local(async move {
            let body: Option<&()> = None;
            match api
                .post::<_, EventWithDeliveries>(&redeliver, body, &fresh_key())
                .await
            {
                Ok(found) => {
                    news.set(Some(Ok(found.event.id.to_string())));
                    detail.set(Some(found));
                    open.set(true);
                }
                Err(error) => news.set(Some(Err(error))),
            }
        });
    };
    let kind = event.kind;
    let ore = event.amount;
    let (shown_label, hidden_label) = (tr(Key::HideDeliveries), tr(Key::ShowDeliveries));
    let deliveries = move || {
        detail
            .get()
            .map(|d| view! { <Deliveries deliveries=d.deliveries /> })
    };
    view! {
        <tr>
            <td>
                {move || text(language.lang(), labels::event_type(kind))}
                <br />
                <code>{kind.as_str()}</code>
            </td>
            <td class="num">{move || money::format(language.lang(), ore)}</td>
            <td>
                <A href=paths::payment(&event.payment.id)>
                    {event.payment.merchant_order_id.as_str().to_owned()}
                </A>
            </td>
            <td>{dates::date_time(event.created)}</td>
            <td class="row-actions">
                <button
                    type="button"
                    class="secondary"
                    aria-expanded=move || open.get().to_string()
                    aria-controls=panel_id.clone()
                    on:click=toggle
                >
                    {move || if open.get() { shown_label() } else { hidden_label() }}
                    <span class="visually-hidden">" " {id.to_string()}</span>
                </button>
                <button type="button" class="secondary" on:click=redeliver>
                    {tr(Key::Redeliver)}
                    <span class="visually-hidden">" " {id.to_string()}</span>
                </button>
            </td>
        </tr>
        <tr id=panel_id class="detail" hidden=move || !open.get()>
            <td colspan="5">{deliveries}</td>
        </tr>
    }
}
