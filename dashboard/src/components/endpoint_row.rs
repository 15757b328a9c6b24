//! One webhook endpoint's row: its URL, events, dates, and Rotate secret and Delete, each
//! asking first.

use leptos::prelude::*;
use shared::webhooks::Endpoint;

use super::confirm::ConfirmButton;
use crate::dates;
use crate::text::Key;

#[component]
pub fn EndpointRow(
    endpoint: Endpoint,
    /// Whether this endpoint's secret is being rotated.
    #[prop(into)]
    rotating: Signal<bool>,
    on_rotate: Callback<Endpoint>,
    on_delete: Callback<Endpoint>,
) -> impl IntoView {
    let events = endpoint
        .events
        .iter()
        .map(|kind| kind.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let subject = endpoint.url.as_str().to_owned();
    let id = endpoint.id.to_string();
    let stored = StoredValue::new(endpoint.clone());
    view! {
        <tr>
            <td class="break"><code>{subject.clone()}</code></td>
            <td class="break">{events}</td>
            <td>{dates::date_time(endpoint.created_at)}</td>
            <td>{endpoint.previous_secret_expires_at.map_or_else(|| "–".to_owned(), dates::date_time)}</td>
            <td class="row-actions">
                <ConfirmButton
                    id=format!("rotate-{id}")
                    action=Key::RotateSecret
                    question=Key::RotateQuestion
                    confirm=Key::YesRotate
                    subject=subject.clone()
                    busy=rotating
                    on_confirm=Callback::new(move |()| on_rotate.run(stored.get_value()))
                />
                <ConfirmButton
                    id=format!("delete-{id}")
                    action=Key::Delete
                    question=Key::DeleteQuestion
                    confirm=Key::YesDelete
                    subject
                    on_confirm=Callback::new(move |()| on_delete.run(stored.get_value()))
                />
            </td>
        </tr>
    }
}
