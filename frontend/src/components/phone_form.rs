//! The first step: the shopper's mobile number and the Pay button.

use leptos::prelude::*;

use crate::checkout::{FormError, Step};
use crate::flow::Flow;
use crate::text;

#[component]
pub fn PhoneForm(flow: Flow) -> impl IntoView {
    let error = Memo::new(move |_| match flow.step.get() {
        Step::Phone(entry) => entry.error,
        Step::Loading { .. } | Step::Waiting(_) | Step::Done(_) | Step::Problem(_) => None,
    });
    let starting = Memo::new(move |_| matches!(flow.step.get(), Step::Phone(e) if e.starting));
    let has_error = move || error.with(Option::is_some);
    let message = move || error.get().as_ref().map(text::form_error);
    view! {
        <form
            class="pay-form"
            novalidate
            on:submit=move |ev| {
                ev.prevent_default();
                flow.pay();
            }
        >
            <label for="phone">{text::PHONE_LABEL}</label>
            <p id="phone-hint" class="hint">{text::PHONE_HINT}</p>
            <input
                id="phone"
                name="phone"
                type="tel"
                inputmode="tel"
                autocomplete="tel-national"
                aria-describedby=move || describedby(error.get().as_ref())
                aria-invalid=move || has_error().to_string()
                class:invalid=has_error
                prop:value=move || flow.phone.get()
                on:input:target=move |ev| flow.edit_phone(ev.target().value())
            />
            <Show when=has_error>
                <p id="phone-error" class="field-error" role="alert">{message}</p>
            </Show>
            <button id="pay" type="submit" class="vipps-button" disabled=move || starting.get()>
                {move || if starting.get() { text::STARTING } else { text::PAY }}
            </button>
        </form>
    }
}

fn describedby(error: Option<&FormError>) -> &'static str {
    match error {
        Some(_) => "phone-error phone-hint",
        None => "phone-hint",
    }
}
