//! One event's row in the event log: its type, amount, payment and time, its deliveries on
//! demand, and Send again (its key kept for a retry, ignored while on the way).

use std::collections::HashSet;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use shared::webhooks::{Event, EventWithDeliveries};

use super::deliveries::Deliveries;
use crate::api;
use crate::idempotency::{Submissions, fresh_key};
use crate::locale::{Language, tr};
use crate::session::Auth;
use crate::text::{Key, text};
use crate::{dates, labels, money, paths};

/// One event's row and, once asked for, a row with its deliveries.
/// Send again's state for every row: each event's `Idempotency-Key` for a retry, and which
/// events are being sent.
#[derive(Debug, Clone, Copy)]
pub struct Redelivery {
    pub submissions: StoredValue<Submissions>,
    pub busy: RwSignal<HashSet<String>>,
}

/// One event's row and, once asked for, a row with its deliveries.
#[component]
pub fn EventRows(
    event: Event,
    news: RwSignal<Option<Result<String, api::Error>>>,
    redelivery: Redelivery,
) -> impl IntoView {
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
    let event_id = StoredValue::new(id.to_string());
    let sending = move || {
        redelivery
            .busy
            .with(|busy| busy.contains(&event_id.get_value()))
    };
    let redeliver = move |_| {
        let event_id = event_id.get_value();
        if redelivery
            .busy
            .with_untracked(|busy| busy.contains(&event_id))
        {
            return;
        }
        let Some(api) = auth.api() else { return };
        let request = format!("redeliver {event_id}");
        let key = redelivery
            .submissions
            .try_update_value(|s| s.key_for(&request, fresh_key))
            .unwrap_or_else(fresh_key);
        redelivery.busy.update(|busy| {
            busy.insert(event_id.clone());
        });
        let redeliver = format!("{}/redeliver", path.get_value());
        spawn_local(async move {
            let body: Option<&()> = None;
            let result = api
                .post::<_, EventWithDeliveries>(&redeliver, body, &key)
                .await;
            redelivery.busy.update(|busy| {
                busy.remove(&event_id);
            });
            let may_retry = result.as_ref().is_err_and(api::Error::may_retry);
            redelivery
                .submissions
                .update_value(|s| s.settle(&request, may_retry));
            match result {
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
    let (working_words, redeliver_words) = (tr(Key::Working), tr(Key::Redeliver));
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
                <button
                    type="button"
                    class="secondary"
                    aria-disabled=move || sending().to_string()
                    on:click=redeliver
                >
                    {move || if sending() { working_words() } else { redeliver_words() }}
                    <span class="visually-hidden">" " {id.to_string()}</span>
                </button>
            </td>
        </tr>
        <tr id=panel_id class="detail" hidden=move || !open.get()>
            <td colspan="5">{deliveries}</td>
        </tr>
    }
}
