//! The first step: the shopper's mobile number and the Pay button.
//!
//! The backend draws this form too, into the page, for the shopper to use before the app
//! runs (`backend/src/routes/widget_page.rs`; `crate::boot` takes it over): keep the two
//! in step. `tests/tests/widget_boot.rs` checks that nothing moves at the takeover.

use leptos::prelude::*;

use super::countdown::Countdown;
use super::heading::Heading;
use crate::checkout::Step;
use crate::flow::Flow;
use crate::text::{self, Key, text};

#[component]
pub fn PhoneForm(flow: Flow) -> impl IntoView {
    let lang = flow.lang;
    let error = move || {
        flow.step.with(|step| match step {
            Step::Phone(entry) => entry.error.as_ref().map(text::form_error),
            Step::Loading { .. }
            | Step::Waiting(_)
            | Step::Done(_)
            | Step::Retrying(_)
            | Step::Problem(_) => None,
        })
    };
    let starting = move || {
        flow.step
            .with(|s| matches!(s, Step::Phone(e) if e.starting))
    };
    view! {
        <form
            class="pay-form"
            novalidate
            on:submit=move |ev| {
                ev.prevent_default();
                flow.pay();
            }
        >
            <Heading flow key=|_| Key::PhoneHeading />
            <label for="phone">{text(lang, Key::PhoneLabel)}</label>
            <p id="phone-hint" class="hint">{text(lang, Key::PhoneHint)}</p>
            <input
                id="phone"
                name="phone"
                type="tel"
                inputmode="tel"
                autocomplete="tel-national"
                aria-describedby=move || {
                    if error().is_some() { "phone-error phone-hint" } else { "phone-hint" }
                }
                aria-invalid=move || if error().is_some() { "true" } else { "false" }
                class:invalid=move || error().is_some()
                prop:value=move || flow.phone.get()
                on:input:target=move |ev| flow.edit_phone(ev.target().value())
            />
            {move || error().map(|key| view! {
                <p id="phone-error" class="field-error" role="alert">{text(lang, key)}</p>
            })}
            <button id="pay" type="submit" class="vipps-button" disabled=starting>
                {move || text(lang, if starting() { Key::Starting } else { Key::Pay })}
            </button>
            <Countdown flow />
        </form>
    }
}
