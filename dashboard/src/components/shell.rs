//! The frame of every page behind the sign-in: a skip link, the merchant's name, the main
//! navigation, the language switch, who is signed in and Sign out; the page in `<main>`.

use leptos::ev::MouseEvent;
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::{A, Outlet};

use super::lang_switch::LangSwitch;
use super::status::StatusLine;
use crate::errors;
use crate::locale::{Language, tr};
use crate::paths;
use crate::session::Auth;
use crate::text::Key;

#[component]
pub fn Shell() -> impl IntoView {
    let auth = Auth::get();
    let main = NodeRef::<html::Main>::new();
    // The router would take a click on `#main` for a navigation (events are not
    // delegated, so this runs first and stops it): focus by hand.
    let skip = move |ev: MouseEvent| {
        ev.prevent_default();
        if let Some(main) = main.get() {
            _ = main.focus();
        }
    };
    let language = Language::get();
    let signing_out = RwSignal::new(false);
    let sign_out_error = RwSignal::new(None);
    let sign_out = move |_| {
        if signing_out.get_untracked() {
            return;
        }
        signing_out.set(true);
        sign_out_error.set(None);
        spawn_local(async move {
            let result = auth.sign_out().await;
            // Signed out, this view is gone.
            _ = signing_out.try_set(false);
            if let Err(error) = result {
                _ = sign_out_error.try_set(Some(error));
            }
        });
    };
    let sign_out_message = Signal::derive(move || {
        sign_out_error.with(|e| e.as_ref().map(|e| errors::describe(language.lang(), e)))
    });
    let merchant = move || auth.who().map(|(merchant, _)| merchant);
    let email = move || auth.who().map(|(_, email)| email);
    let (signing_out_words, sign_out_words) = (tr(Key::SigningOut), tr(Key::SignOut));
    view! {
        <a class="skip-link" href="#main" on:click=skip>
            {tr(Key::SkipToContent)}
        </a>
        <header class="top">
            <p class="brand">
                <span class="product">{tr(Key::Product)}</span>
                <span class="merchant">{merchant}</span>
            </p>
            <nav aria-label=tr(Key::MainNavigation)>
                <ul>
                    <li>
                        <A href=paths::PAYMENTS>{tr(Key::Payments)}</A>
                    </li>
                    <li>
                        <A href=paths::DEVELOPERS>{tr(Key::Developers)}</A>
                    </li>
                </ul>
            </nav>
            <div class="account">
                <LangSwitch />
                <span class="user">{email}</span>
                <button
                    type="button"
                    id="sign-out"
                    aria-disabled=move || signing_out.get().to_string()
                    on:click=sign_out
                >
                    {move || if signing_out.get() { signing_out_words() } else { sign_out_words() }}
                </button>
                <StatusLine message=sign_out_message error=true />
            </div>
        </header>
        <main id="main" tabindex="-1" node_ref=main>
            <Outlet />
        </main>
    }
}
