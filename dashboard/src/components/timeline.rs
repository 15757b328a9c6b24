//! A payment's story, oldest first: created, each start at Vipps with our answer to its
//! makePayment, each event with its webhook deliveries, and each capture, refund and
//! cancel with its status update to Vipps.

use leptos::prelude::*;
use shared::timeline::{Operation, StatusUpdate, TimelineEntry, TimelineEvent};
use shared::webhooks::EventWithDeliveries;

use super::deliveries::Deliveries;
use crate::locale::{Language, tr};
use crate::text::{Key, text};
use crate::{dates, labels, money};

#[component]
pub fn Timeline(entries: Vec<TimelineEntry>) -> impl IntoView {
    let items = entries
        .into_iter()
        .map(|entry| {
            view! {
                <li>
                    <time datetime=dates::iso(entry.at)>{dates::date_time(entry.at)}</time>
                    <div class="what">{what(entry.what)}</div>
                </li>
            }
        })
        .collect_view();
    view! { <ol class="timeline">{items}</ol> }
}

fn what(event: TimelineEvent) -> AnyView {
    let language = Language::get();
    let lang = move || language.lang();
    match event {
        TimelineEvent::Created { amount } => view! {
            <p>
                <strong>{tr(Key::TimelineCreated)}</strong>
                " · "
                {move || money::format(lang(), amount)}
            </p>
        }
        .into_any(),
        TimelineEvent::StartedAtVipps {
            psp_transaction_id,
            make_payment,
        } => view! {
            <p>
                <strong>{tr(Key::TimelineStarted)}</strong>
                " · "
                {tr(Key::Transaction)}
                " "
                <code>{psp_transaction_id}</code>
            </p>
            <p>
                "makePayment: "
                {move || text(lang(), labels::make_payment(make_payment))}
            </p>
        }
        .into_any(),
        TimelineEvent::Event(event) => event_entry(*event).into_any(),
        TimelineEvent::Operation(operation) => operation_entry(operation).into_any(),
    }
}

fn event_entry(event: EventWithDeliveries) -> impl IntoView {
    let language = Language::get();
    let kind = event.event.kind;
    let amount = event.event.amount;
    view! {
        <p>
            <strong>{move || text(language.lang(), labels::event_type(kind))}</strong>
            " · "
            {move || money::format(language.lang(), amount)}
            " · "
            <code>{kind.as_str()}</code>
            " · "
            <code>{event.event.id.to_string()}</code>
        </p>
        <Deliveries deliveries=event.deliveries />
    }
}

fn operation_entry(operation: Operation) -> impl IntoView {
    let language = Language::get();
    let lang = move || language.lang();
    let Operation {
        operation: kind,
        amount,
        state,
        error,
        status_update,
    } = operation;
    let update = match status_update {
        Some(update) => status_update_line(update).into_any(),
        None => view! { <p class="muted">{tr(Key::NoStatusUpdate)}</p> }.into_any(),
    };
    view! {
        <p>
            <strong>{move || text(lang(), labels::operation(kind))}</strong>
            " · "
            {move || money::format(lang(), amount)}
            " · "
            {move || text(lang(), labels::operation_state(state))}
        </p>
        {error.map(|error| view! { <p class="error-text">{error}</p> })}
        {update}
    }
}

fn status_update_line(update: StatusUpdate) -> impl IntoView {
    let language = Language::get();
    let StatusUpdate {
        state,
        attempts,
        last_error,
        delivered_at,
    } = update;
    view! {
        <p>
            {tr(Key::StatusUpdateToVipps)}
            ": "
            {move || text(language.lang(), labels::status_update(state))}
            " · "
            {tr(Key::AttemptsCount)}
            " "
            {attempts.to_string()}
            {delivered_at.map(|at| view! {
                " · " <time datetime=dates::iso(at)>{dates::date_time(at)}</time>
            })}
        </p>
        {last_error.map(|error| view! { <p class="error-text">{error}</p> })}
    }
}
