//! The merchant's API keys: create one (its secret shown once), list them, revoke one
//! after asking.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::account::{ApiKey, CreateApiKey, CreatedApiKey, DisplayName};

use super::confirm::ConfirmButton;
use super::secret::{SecretOnce, ShownSecret};
use super::status::{FieldError, StatusLine};
use crate::api;
use crate::dates;
use crate::errors;
use crate::idempotency::{Submission, fresh_key};
use crate::locale::{Language, tr};
use crate::session::Auth;
use crate::text::{Key, text};

/// What the section's live region says.
#[derive(Debug, Clone, PartialEq, Eq)]
enum News {
    Created,
    Revoked(String),
    Failed(api::Error),
}

#[component]
pub fn ApiKeys() -> impl IntoView {
    let language = Language::get();
    let auth = Auth::get();
    let keys = RwSignal::new(Vec::<ApiKey>::new());
    let news = RwSignal::new(None::<News>);
    let secret = RwSignal::new(None::<ShownSecret>);
    let name = RwSignal::new(String::new());
    let name_error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let submission = StoredValue::new(Submission::default());

    let reload = move || {
        let Some(api) = auth.api() else { return };
        spawn_local(async move {
            match api.get::<Vec<ApiKey>>("/v1/api-keys", &[]).await {
                Ok(found) => keys.set(found),
                Err(error) => news.set(Some(News::Failed(error))),
            }
        });
    };
    reload();

    let create = move |ev: SubmitEvent| {
        ev.prevent_default();
        let lang = language.lang_untracked();
        let Ok(key_name) = DisplayName::try_from(name.get_untracked()) else {
            name_error.set(Some(text(lang, Key::ApiKeyNameRule).to_owned()));
            return;
        };
        let Some(api) = auth.api() else { return };
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        name_error.set(None);
        news.set(None);
        let request = format!("create key {}", key_name.as_str());
        let key = submission
            .try_update_value(|s| s.key_for(&request, fresh_key))
            .unwrap_or_else(fresh_key);
        spawn_local(async move {
            let body = CreateApiKey { name: key_name };
            let result = api
                .post::<_, CreatedApiKey>("/v1/api-keys", Some(&body), &key)
                .await;
            busy.set(false);
            submission
                .update_value(|s| s.settle(result.as_ref().is_err_and(api::Error::may_retry)));
            match result {
                Ok(created) => {
                    name.set(String::new());
                    secret.set(Some(ShownSecret {
                        subject: created.key.name.as_str().to_owned(),
                        secret: created.secret,
                    }));
                    news.set(Some(News::Created));
                    reload();
                }
                Err(error) if error.param() == Some("name") => {
                    name_error.set(Some(errors::describe(lang, &error)));
                }
                Err(error) => news.set(Some(News::Failed(error))),
            }
        });
    };

    let revoke = move |key: ApiKey| {
        let Some(api) = auth.api() else { return };
        spawn_local(async move {
            match api.delete(&format!("/v1/api-keys/{}", key.id)).await {
                Ok(()) => {
                    news.set(Some(News::Revoked(key.name.as_str().to_owned())));
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
                News::Created => text(lang, Key::ApiKeyCreated).to_owned(),
                News::Revoked(name) => format!("{} {name}", text(lang, Key::ApiKeyRevoked)),
                News::Failed(error) => errors::describe(lang, error),
            })
        })
    });
    let failed = Signal::derive(move || news.with(|n| matches!(n, Some(News::Failed(_)))));
    let rows = move || {
        keys.get()
            .into_iter()
            .map(|key| key_row(key, revoke))
            .collect_view()
    };

    view! {
        <section class="panel" aria-labelledby="keys-heading">
            <h2 id="keys-heading">{tr(Key::ApiKeys)}</h2>
            <p class="hint">{tr(Key::ApiKeysIntro)}</p>
            <form class="inline" on:submit=create>
                <div class="field grow">
                    <label for="key-name">{tr(Key::ApiKeyName)}</label>
                    <input
                        id="key-name"
                        name="name"
                        type="text"
                        maxlength="100"
                        autocomplete="off"
                        aria-describedby="key-name-error"
                        aria-invalid=move || name_error.with(Option::is_some).to_string()
                        bind:value=name
                    />
                    <FieldError id="key-name-error" message=name_error />
                </div>
                <button type="submit">{tr(Key::CreateApiKeyButton)}</button>
            </form>
            <StatusLine message error=failed />
            {move || secret.get().map(|shown| view! {
                <SecretOnce
                    id="new-key-secret"
                    label=Key::NewKeySecret
                    shown
                    on_done=Callback::new(move |()| secret.set(None))
                />
            })}
            <table class="keys">
                <caption class="visually-hidden">{tr(Key::ApiKeys)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{tr(Key::ApiKeyName)}</th>
                        <th scope="col">{tr(Key::ApiKeyPrefix)}</th>
                        <th scope="col">{tr(Key::Created)}</th>
                        <th scope="col">{tr(Key::LastUsed)}</th>
                        <th scope="col">{tr(Key::State)}</th>
                        <th scope="col">{tr(Key::ActionsColumn)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </section>
    }
}

fn key_row(key: ApiKey, revoke: impl Fn(ApiKey) + Copy + Send + Sync + 'static) -> impl IntoView {
    let language = Language::get();
    let revoked = key.revoked_at;
    let state = move || match revoked {
        Some(at) => format!(
            "{} {}",
            text(language.lang(), Key::RevokedAt),
            dates::date_time(at)
        ),
        None => text(language.lang(), Key::Active).to_owned(),
    };
    let action = revoked.is_none().then(|| {
        let subject = key.name.as_str().to_owned();
        let id = format!("revoke-{}", key.id);
        let key = StoredValue::new(key.clone());
        view! {
            <ConfirmButton
                id
                action=Key::Revoke
                question=Key::RevokeQuestion
                confirm=Key::YesRevoke
                subject
                on_confirm=Callback::new(move |()| revoke(key.get_value()))
            />
        }
    });
    view! {
        <tr>
            <td>{key.name.as_str().to_owned()}</td>
            <td><code>{key.prefix.clone()}</code></td>
            <td>{dates::date_time(key.created_at)}</td>
            <td>{key.last_used_at.map_or_else(|| "–".to_owned(), dates::date_time)}</td>
            <td>{state}</td>
            <td>{action}</td>
        </tr>
    }
}
