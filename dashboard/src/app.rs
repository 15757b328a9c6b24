//! The root: language and session contexts, the routes under `/dashboard/`, and the guard
//! that sends a signed-out browser to the sign-in page (and back where it was after).

use leptos::prelude::*;
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::hooks::{use_location, use_navigate, use_query_map};
use leptos_router::{NavigateOptions, path};

use crate::components::shell::Shell;
use crate::guard;
use crate::locale::{Language, tr};
use crate::pages::developers::DevelopersPage;
use crate::pages::not_found::NotFoundPage;
use crate::pages::payment::PaymentPage;
use crate::pages::payments::PaymentsPage;
use crate::pages::sign_in::SignInPage;
use crate::paths;
use crate::session::{Auth, Phase};
use crate::text::Key;

#[component]
pub fn App() -> impl IntoView {
    Language::provide();
    Auth::provide();
    view! {
        <Router base=paths::BASE>
            <Guard />
            <Routes fallback=NotFoundPage>
                <Route path=path!("/sign-in") view=SignInPage />
                <ParentRoute path=path!("") view=SignedIn>
                    <Route path=path!("/") view=Home />
                    <Route path=path!("/payments") view=PaymentsPage />
                    <Route path=path!("/payments/:id") view=PaymentPage />
                    <Route path=path!("/developers") view=DevelopersPage />
                </ParentRoute>
            </Routes>
        </Router>
    }
}

/// Signed out anywhere but the sign-in page: go there, to come back after. Signed in on
/// the sign-in page: go on (`guard::redirect` decides).
#[component]
fn Guard() -> impl IntoView {
    let auth = Auth::get();
    let location = use_location();
    let query = use_query_map();
    let navigate = use_navigate();
    Effect::new(move |_| {
        let path = location.pathname.get();
        let search = location.search.get_untracked();
        let next = query.with_untracked(|q| q.get("next"));
        let to = guard::redirect(auth.phase(), &path, &search, next.as_deref());
        if let Some(to) = to {
            let options = NavigateOptions {
                resolve: false,
                replace: true,
                ..NavigateOptions::default()
            };
            navigate(&to, options);
        }
    });
}

/// The pages behind the sign-in, in the shell; nothing until the session is known.
#[component]
fn SignedIn() -> impl IntoView {
    let auth = Auth::get();
    let phase = Memo::new(move |_| auth.phase());
    move || match phase.get() {
        Phase::SignedIn => view! { <Shell /> }.into_any(),
        Phase::Checking => view! {
            <main id="main" class="checking" aria-busy="true">
                <p role="status">{tr(Key::Loading)}</p>
            </main>
        }
        .into_any(),
        Phase::SignedOut(_) => ().into_any(),
    }
}

/// `/dashboard/`: the payments.
#[component]
fn Home() -> impl IntoView {
    let navigate = use_navigate();
    navigate(
        paths::PAYMENTS,
        NavigateOptions {
            resolve: false,
            replace: true,
            ..NavigateOptions::default()
        },
    );
}
