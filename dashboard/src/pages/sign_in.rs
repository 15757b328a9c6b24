//! Sign in (`/dashboard/sign-in`): email and password; a wrong pair gets the one answer the
//! backend gives, whatever was wrong. Once signed in the router goes on (`app::Guard`).

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::components::heading::PageHeading;
use crate::components::lang_switch::LangSwitch;
use crate::components::status::StatusLine;
use crate::errors;
use crate::locale::{Language, tr};
use crate::session::{Auth, Phase, SignedOutBecause};
use crate::text::{Key, text};

#[component]
pub fn SignInPage() -> impl IntoView {
    let language = Language::get();
    let auth = Auth::get();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<api::Error>);
    let busy = RwSignal::new(false);

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        let (typed_email, typed_password) = (email.get_untracked(), password.get_untracked());
        spawn_local(async move {
            let result = auth.sign_in(typed_email, typed_password).await;
            busy.set(false);
            if let Err(failed) = result {
                error.set(Some(failed));
            }
        });
    };
    // Why the form is here: said once, above it.
    let notice = Signal::derive(move || {
        let key = match auth.phase() {
            Phase::SignedOut(SignedOutBecause::Expired) => Key::SessionExpired,
            Phase::SignedOut(SignedOutBecause::SignedOut) => Key::SignedOutNotice,
            Phase::SignedOut(SignedOutBecause::NotYet) | Phase::Checking | Phase::SignedIn => {
                return None;
            }
        };
        Some(text(language.lang(), key).to_owned())
    });
    let message = Signal::derive(move || {
        error.with(|e| e.as_ref().map(|e| errors::describe(language.lang(), e)))
    });
    let (working, sign_in) = (tr(Key::SigningIn), tr(Key::SignIn));
    view! {
        <main id="main" class="sign-in" tabindex="-1">
            <div class="sign-in-top">
                <p class="product">{tr(Key::Product)}</p>
                <LangSwitch />
            </div>
            <PageHeading key=Key::SignInHeading />
            <StatusLine message=notice />
            <form on:submit=submit>
                <div class="field">
                    <label for="email">{tr(Key::Email)}</label>
                    <input
                        id="email"
                        name="email"
                        type="email"
                        autocomplete="username"
                        required
                        bind:value=email
                    />
                </div>
                <div class="field">
                    <label for="password">{tr(Key::Password)}</label>
                    <input
                        id="password"
                        name="password"
                        type="password"
                        autocomplete="current-password"
                        required
                        bind:value=password
                    />
                </div>
                <StatusLine message error=Signal::derive(move || error.with(Option::is_some)) />
                <button type="submit" id="sign-in" aria-disabled=move || busy.get().to_string()>
                    {move || if busy.get() { working() } else { sign_in() }}
                </button>
            </form>
        </main>
    }
}
