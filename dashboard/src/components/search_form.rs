//! The payments list's search: a text (order id, payment id or a card's last four digits)
//! and a status. Searching changes the address (`?q=&status=`), which the list follows.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::use_navigate;
use shared::merchant::PaymentStatus;

use crate::labels;
use crate::locale::{Language, tr};
use crate::paths;
use crate::statuses;
use crate::text::{Key, text};

#[component]
pub fn SearchForm(
    /// The search the list shows now (from the address): the form follows it (Back).
    #[prop(into)]
    shown_status: Signal<Option<PaymentStatus>>,
    #[prop(into)] shown_q: Signal<String>,
) -> impl IntoView {
    let language = Language::get();
    let navigate = use_navigate();
    let q = RwSignal::new(String::new());
    let status = RwSignal::new(None);
    Effect::new(move |_| {
        q.set(shown_q.get());
        status.set(shown_status.get());
    });
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let to = paths::payments(status.get_untracked(), &q.get_untracked());
        navigate(
            &to,
            NavigateOptions {
                resolve: false,
                ..NavigateOptions::default()
            },
        );
    };
    let options = statuses::ALL
        .into_iter()
        .map(|option| {
            view! {
                <option
                    value=statuses::wire_name(option)
                    selected=move || status.get() == Some(option)
                >
                    {move || text(language.lang(), labels::status(option))}
                </option>
            }
        })
        .collect_view();
    view! {
        <form class="search" role="search" aria-label=tr(Key::SearchPayments) on:submit=submit>
            <div class="field grow">
                <label for="q">{tr(Key::Search)}</label>
                <input
                    id="q"
                    name="q"
                    type="search"
                    maxlength="100"
                    autocomplete="off"
                    aria-describedby="q-hint"
                    bind:value=q
                />
                <p id="q-hint" class="hint">{tr(Key::SearchHint)}</p>
            </div>
            <div class="field">
                <label for="status">{tr(Key::Status)}</label>
                <select
                    id="status"
                    name="status"
                    on:change=move |ev| status.set(statuses::parse(&event_target_value(&ev)))
                >
                    <option value="" selected=move || status.get().is_none()>
                        {tr(Key::AllStatuses)}
                    </option>
                    {options}
                </select>
            </div>
            <button type="submit">{tr(Key::SearchButton)}</button>
        </form>
    }
}
