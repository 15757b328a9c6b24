//! One event's webhook deliveries: each endpoint, where the delivery stands, and every
//! attempt with the endpoint's HTTP status (or why there was none).

use leptos::prelude::*;
use shared::webhooks::{Delivery, DeliveryAttempt};

use crate::dates;
use crate::labels;
use crate::locale::{Language, tr};
use crate::text::{Key, text};

#[component]
pub fn Deliveries(deliveries: Vec<Delivery>) -> impl IntoView {
    if deliveries.is_empty() {
        return view! { <p class="muted">{tr(Key::NoDeliveries)}</p> }.into_any();
    }
    let language = Language::get();
    let rows = deliveries
        .into_iter()
        .map(|delivery| {
            let next = delivery.next_attempt_at_ms.map(|ms| {
                view! {
                    " · " {tr(Key::NextAttempt)} " "
                    <time datetime=dates::iso_ms(ms)>{dates::precise(ms)}</time>
                }
            });
            let state = delivery.state;
            let attempts = delivery.attempts.into_iter().map(attempt).collect_view();
            view! {
                <tr>
                    <td>
                        <code>{delivery.endpoint_id.to_string()}</code>
                    </td>
                    <td>{move || text(language.lang(), labels::delivery_state(state))} {next}</td>
                    <td>
                        <ol class="attempts">{attempts}</ol>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="deliveries">
            <caption class="visually-hidden">{tr(Key::Deliveries)}</caption>
            <thead>
                <tr>
                    <th scope="col">{tr(Key::Endpoint)}</th>
                    <th scope="col">{tr(Key::State)}</th>
                    <th scope="col">{tr(Key::Attempts)}</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
    .into_any()
}

fn attempt(attempt: DeliveryAttempt) -> impl IntoView {
    let answer = match (attempt.http_status, attempt.error) {
        (Some(status), _) => format!("HTTP {status}"),
        (None, Some(error)) => error,
        (None, None) => String::from("–"),
    };
    view! {
        <li>
            <time datetime=dates::iso_ms(attempt.at_ms)>{dates::precise(attempt.at_ms)}</time>
            ": "
            <span class="answer">{answer}</span>
            " (" {attempt.duration_ms.to_string()} " ms)"
        </li>
    }
}
