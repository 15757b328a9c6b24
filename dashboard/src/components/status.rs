//! Live regions: a form's or a section's status line (`role="status"`, always in the page
//! so that a change is announced) and a field's error, tied to its input by id.

use leptos::prelude::*;

/// A status line; empty (and without height) while there is nothing to say.
#[component]
pub fn StatusLine(
    /// What to say; `None` for nothing.
    #[prop(into)]
    message: Signal<Option<String>>,
    /// Shown as an error (colour and icon) rather than as news.
    #[prop(into, optional)]
    error: Signal<bool>,
) -> impl IntoView {
    view! {
        <p class="status" class:error=move || error.get() && message.with(Option::is_some) role="status">
            {move || message.get()}
        </p>
    }
}

/// The error under a field: give the input `aria-describedby` = `id`.
#[component]
pub fn FieldError(
    id: &'static str,
    #[prop(into)] message: Signal<Option<String>>,
) -> impl IntoView {
    view! {
        <p id=id class="field-error" aria-live="polite">
            {move || message.get()}
        </p>
    }
}
