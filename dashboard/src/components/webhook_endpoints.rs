//! The merchant's webhook endpoints: add one (its signing secret shown once), list them,
//! rotate a secret (the new one shown once), delete one after asking.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::webhooks::{
    CreateEndpoint, Endpoint, EndpointUrl, EndpointWithSecret, EventType, RotateSecret,
};

use super::confirm::ConfirmButton;
use super::secret::SecretOnce;
use super::status::{FieldError, StatusLine};
use crate::api;
use crate::dates;
use crate::errors;
use crate::idempotency::{Submission, fresh_key};
use crate::locale::{Language, tr};
use crate::session::Auth;
use crate::text::{Key, text};

#[derive(Debug, Clone, PartialEq, Eq)]
enum News {
    Added,
    Rotated(String),
    Deleted(String),
    Failed(api::Error),
}

#[component]
pub fn WebhookEndpoints() -> impl IntoView {
    let language = Language::get();
    let auth = Auth::get();
    let endpoints = RwSignal::new(Vec::<Endpoint>::new());
    let news = RwSignal::new(None::<News>);
    let secret = RwSignal::new(None::<String>);
    let url = RwSignal::new(String::new());
    let url_error = RwSignal::new(None::<String>);
    let events_error = RwSignal::new(None::<String>);
    let chosen = EventType::ALL.map(|kind| (kind, RwSignal::new(true)));
    let busy = RwSignal::new(false);
    let submission = StoredValue::new(Submission::default());

    let reload = move || {
        let Some(api) = auth.api() else { return };
        spawn_local(async move {
            match api.get::<Vec<Endpoint>>("/v1/webhook-endpoints", &[]).await {
                Ok(found) => endpoints.set(found),
                Err(error) => news.set(Some(News::Failed(error))),
            }
        });
    };
    reload();

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
        news.set(None);
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
                    secret.set(Some(created.secret));
                    news.set(Some(News::Added));
                    reload();
                }
                Err(error) if error.param() == Some("url") => {
                    url_error.set(Some(errors::describe(lang, &error)));
                }
                Err(error) => news.set(Some(News::Failed(error))),
            }
        });
    };

    let rotate = move |endpoint: Endpoint| {
        let Some(api) = auth.api() else { return };
        spawn_local(async move {
            let path = format!("/v1/webhook-endpoints/{}/rotate-secret", endpoint.id);
            let body = RotateSecret::default();
            match api
                .post::<_, EndpointWithSecret>(&path, Some(&body), &fresh_key())
                .await
            {
                Ok(rotated) => {
                    secret.set(Some(rotated.secret));
                    news.set(Some(News::Rotated(endpoint.url.as_str().to_owned())));
                    reload();
                }
                Err(error) => news.set(Some(News::Failed(error))),
            }
        });
    };
    let delete = move |endpoint: Endpoint| {
        let Some(api) = auth.api() else { return };
        spawn_local(async move {
            match api
                .delete(&format!("/v1/webhook-endpoints/{}", endpoint.id))
                .await
            {
                Ok(()) => {
                    news.set(Some(News::Deleted(endpoint.url.as_str().to_owned())));
                    reload();
                }
                Err(error) => news.set(Some(News::Failed(error))),
            }
        });
    };

    let message = Signal::derive(move || {
        let lang = language.lang();
        news.with(|news| {
            news.as_ref().map(|news| match news {
                News::Added => text(lang, Key::EndpointAdded).to_owned(),
                News::Rotated(url) => format!("{} {url}", text(lang, Key::SecretRotated)),
                News::Deleted(url) => format!("{} {url}", text(lang, Key::EndpointDeleted)),
                News::Failed(error) => errors::describe(lang, error),
            })
        })
    });
    let failed = Signal::derive(move || news.with(|n| matches!(n, Some(News::Failed(_)))));
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
    let rows = move || {
        endpoints
            .get()
            .into_iter()
            .map(|e| endpoint_row(e, rotate, delete))
            .collect_view()
    };

    view! {
        <section class="panel" aria-labelledby="endpoints-heading">
            <h2 id="endpoints-heading">{tr(Key::WebhookEndpoints)}</h2>
            <p class="hint">{tr(Key::EndpointsIntro)}</p>
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
                <button type="submit">{tr(Key::AddEndpoint)}</button>
            </form>
            <StatusLine message error=failed />
            {move || secret.get().map(|shown| view! {
                <SecretOnce
                    id="endpoint-secret"
                    label=Key::NewSigningSecret
                    secret=shown
                    on_done=Callback::new(move |()| secret.set(None))
                />
            })}
            <table class="endpoints">
                <caption class="visually-hidden">{tr(Key::WebhookEndpoints)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{tr(Key::EndpointUrl)}</th>
                        <th scope="col">{tr(Key::Events)}</th>
                        <th scope="col">{tr(Key::Created)}</th>
                        <th scope="col">{tr(Key::OldSecretUntil)}</th>
                        <th scope="col">{tr(Key::ActionsColumn)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </section>
    }
}

fn endpoint_row(
    endpoint: Endpoint,
    rotate: impl Fn(Endpoint) + Copy + Send + Sync + 'static,
    delete: impl Fn(Endpoint) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let events = endpoint
        .events
        .iter()
        .map(|kind| kind.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let subject = endpoint.url.as_str().to_owned();
    let stored = StoredValue::new(endpoint.clone());
    view! {
        <tr>
            <td class="break"><code>{endpoint.url.as_str().to_owned()}</code></td>
            <td class="break">{events}</td>
            <td>{dates::date_time(endpoint.created_at)}</td>
            <td>{endpoint.previous_secret_expires_at.map_or_else(|| "–".to_owned(), dates::date_time)}</td>
            <td class="row-actions">
                <ConfirmButton
                    action=Key::RotateSecret
                    question=Key::RotateQuestion
                    confirm=Key::YesRotate
                    subject=subject.clone()
                    on_confirm=Callback::new(move |()| rotate(stored.get_value()))
                />
                <ConfirmButton
                    action=Key::Delete
                    question=Key::DeleteQuestion
                    confirm=Key::YesDelete
                    subject
                    on_confirm=Callback::new(move |()| delete(stored.get_value()))
                />
            </td>
        </tr>
    }
}
