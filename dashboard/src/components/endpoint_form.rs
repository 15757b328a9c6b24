//! The form that adds a webhook endpoint: its URL and the events to send it.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::webhooks::{CreateEndpoint, EndpointUrl, EndpointWithSecret, EventType};

use super::status::FieldError;
use crate::api;
use crate::errors;
use crate::idempotency::{Submission, fresh_key};
use crate::locale::{Language, tr};
use crate::session::Auth;
use crate::text::{Key, text};

/// Adds an endpoint; `on_added` gets it with its secret, `on_failed` an error that is not
/// the URL's (which shows under the field).
#[component]
pub fn EndpointForm(
    on_added: Callback<EndpointWithSecret>,
    on_failed: Callback<api::Error>,
) -> impl IntoView {
    let language = Language::get();
    let auth = Auth::get();
    let url = RwSignal::new(String::new());
    let url_error = RwSignal::new(None::<String>);
    let events_error = RwSignal::new(None::<String>);
    let chosen = EventType::ALL.map(|kind| (kind, RwSignal::new(true)));
    let busy = RwSignal::new(false);
    let submission = StoredValue::new(Submission::default());

    let add = move |ev: SubmitEvent| {
        ev.prevent_default();
        let lang = language.lang_untracked();
        url_error.set(None);
        events_error.set(None);
        let Ok(endpoint_url) = EndpointUrl::try_from(url.get_untracked().trim().to_owned()) else {
            url_error.set(Some(text(lang, Key::UrlRule).to_owned()));
            return;
        };
        let events: Vec<EventType> = chosen
            .iter()
            .filter(|(_, on)| on.get_untracked())
            .map(|(kind, _)| *kind)
            .collect();
        if events.is_empty() {
            events_error.set(Some(text(lang, Key::ChooseAnEvent).to_owned()));
            return;
        }
        let Some(api) = auth.api() else { return };
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        let all = events.len() == EventType::ALL.len();
        let body = CreateEndpoint {
            url: endpoint_url,
            events: (!all).then_some(events),
        };
        let request = serde_json::to_string(&body).unwrap_or_default();
        let key = submission
            .try_update_value(|s| s.key_for(&request, fresh_key))
            .unwrap_or_else(fresh_key);
        spawn_local(async move {
            let result = api
                .post::<_, EndpointWithSecret>("/v1/webhook-endpoints", Some(&body), &key)
                .await;
            busy.set(false);
            submission
                .update_value(|s| s.settle(result.as_ref().is_err_and(api::Error::may_retry)));
            match result {
                Ok(created) => {
                    url.set(String::new());
                    on_added.run(created);
                }
                Err(error) if error.param() == Some("url") => {
                    url_error.set(Some(errors::describe(lang, &error)));
                }
                Err(error) => on_failed.run(error),
            }
        });
    };

    let checkboxes = chosen
        .iter()
        .enumerate()
        .map(|(i, (kind, on))| {
            let id = format!("event-type-{i}");
            view! {
                <div class="check">
                    <input id=id.clone() type="checkbox" bind:checked=*on />
                    <label for=id><code>{kind.as_str()}</code></label>
                </div>
            }
        })
        .collect_view();
    view! {
        <form on:submit=add>
            <div class="field">
                <label for="endpoint-url">{tr(Key::EndpointUrl)}</label>
                <input
                    id="endpoint-url"
                    name="url"
                    type="url"
                    inputmode="url"
                    maxlength="2048"
                    autocomplete="off"
                    placeholder="https://shop.example/webhooks"
                    aria-describedby="endpoint-url-error"
                    aria-invalid=move || url_error.with(Option::is_some).to_string()
                    bind:value=url
                />
                <FieldError id="endpoint-url-error" message=url_error />
            </div>
            <fieldset class="events" aria-describedby="events-error">
                <legend>{tr(Key::EventsToSend)}</legend>
                {checkboxes}
                <FieldError id="events-error" message=events_error />
            </fieldset>
            <button type="submit" aria-disabled=move || busy.get().to_string()>
                {tr(Key::AddEndpoint)}
            </button>
        </form>
    }
}
