//! The merchant's webhook endpoints: add one (its signing secret shown once), list them,
//! rotate a secret (the new one shown once), delete one after asking.

use std::collections::HashSet;

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::webhooks::{Endpoint, EndpointWithSecret, RotateSecret};

use super::endpoint_form::EndpointForm;
use super::endpoint_row::EndpointRow;
use super::secret::{SecretOnce, ShownSecret};
use super::status::StatusLine;
use crate::api;
use crate::errors;
use crate::idempotency::{Submissions, fresh_key};
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
    let secret = RwSignal::new(None::<ShownSecret>);
    // Kept here, not in the rows, which are made anew by every reload.
    let rotations = StoredValue::new(Submissions::default());
    let rotating = RwSignal::new(HashSet::<String>::new());

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

    let on_added = Callback::new(move |created: EndpointWithSecret| {
        secret.set(Some(ShownSecret {
            subject: created.endpoint.url.as_str().to_owned(),
            secret: created.secret,
        }));
        news.set(Some(News::Added));
        reload();
    });
    let on_failed = Callback::new(move |error| news.set(Some(News::Failed(error))));

    let rotate = Callback::new(move |endpoint: Endpoint| {
        let id = endpoint.id.to_string();
        if rotating.with_untracked(|busy| busy.contains(&id)) {
            return;
        }
        let Some(api) = auth.api() else { return };
        let request = format!("rotate {id}");
        let key = rotations
            .try_update_value(|s| s.key_for(&request, fresh_key))
            .unwrap_or_else(fresh_key);
        rotating.update(|busy| {
            busy.insert(id.clone());
        });
        news.set(None);
        spawn_local(async move {
            let path = format!("/v1/webhook-endpoints/{id}/rotate-secret");
            let body = RotateSecret::default();
            let result = api
                .post::<_, EndpointWithSecret>(&path, Some(&body), &key)
                .await;
            rotating.update(|busy| {
                busy.remove(&id);
            });
            let may_retry = result.as_ref().is_err_and(api::Error::may_retry);
            rotations.update_value(|s| s.settle(&request, may_retry));
            match result {
                Ok(rotated) => {
                    let url = endpoint.url.as_str().to_owned();
                    secret.set(Some(ShownSecret {
                        subject: url.clone(),
                        secret: rotated.secret,
                    }));
                    news.set(Some(News::Rotated(url)));
                    reload();
                }
                Err(error) => news.set(Some(News::Failed(error))),
            }
        });
    });
    let delete = Callback::new(move |endpoint: Endpoint| {
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
    });

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
    let rows = move || {
        endpoints
            .get()
            .into_iter()
            .map(|endpoint| {
                let id = endpoint.id.to_string();
                let busy = Signal::derive(move || rotating.with(|busy| busy.contains(&id)));
                view! {
                    <EndpointRow endpoint rotating=busy on_rotate=rotate on_delete=delete />
                }
            })
            .collect_view()
    };

    view! {
        <section class="panel" aria-labelledby="endpoints-heading">
            <h2 id="endpoints-heading">{tr(Key::WebhookEndpoints)}</h2>
            <p class="hint">{tr(Key::EndpointsIntro)}</p>
            <EndpointForm on_added on_failed />
            <StatusLine message error=failed />
            {move || secret.get().map(|shown| view! {
                <SecretOnce
                    id="endpoint-secret"
                    label=Key::NewSigningSecret
                    shown
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
