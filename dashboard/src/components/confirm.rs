//! Asking before something that cannot be undone, in place: [`Confirmation`] is the question
//! with Yes and No (the focus on No, Escape for No, both buttons described by the question);
//! [`ConfirmButton`] is a row's button (revoke a key, delete an endpoint) that asks with it.

use leptos::ev::KeyboardEvent;
use leptos::html;
use leptos::prelude::*;

use crate::locale::tr;
use crate::text::Key;

/// The question and its answers. Whoever shows it puts the focus somewhere sensible after
/// either answer (the question's buttons go away).
#[component]
pub fn Confirmation(
    /// The question's id, for the buttons' `aria-describedby`.
    id: String,
    /// The question, naming what will happen (`Capture all that is left: NOK 150.00?`).
    #[prop(into)]
    question: Signal<String>,
    /// The answer that does it (`Yes, capture`).
    #[prop(into)]
    yes: Signal<String>,
    /// The answer that does nothing (`No`).
    no: Key,
    /// Read after Yes by screen readers only (`production`), for rows of the same buttons.
    #[prop(optional)]
    subject: Option<String>,
    on_yes: Callback<()>,
    on_no: Callback<()>,
) -> impl IntoView {
    let no_button = NodeRef::<html::Button>::new();
    no_button.on_load(|button| {
        _ = button.focus();
    });
    let escape = move |ev: KeyboardEvent| {
        if ev.key() == "Escape" {
            ev.prevent_default();
            on_no.run(());
        }
    };
    let subject = subject.map(|subject| {
        view! { <span class="visually-hidden">" " {subject}</span> }
    });
    let (group_label, yes_description, no_description) = (id.clone(), id.clone(), id.clone());
    view! {
        <span class="confirmation" role="group" aria-labelledby=group_label on:keydown=escape>
            <span id=id class="question">{move || question.get()}</span>
            <button
                type="button"
                class="danger"
                aria-describedby=yes_description
                on:click=move |_| on_yes.run(())
            >
                {move || yes.get()}
                {subject}
            </button>
            <button
                type="button"
                class="secondary"
                aria-describedby=no_description
                node_ref=no_button
                on:click=move |_| on_no.run(())
            >
                {tr(no)}
            </button>
        </span>
    }
}

/// A row's button that asks first; while `busy` (its request is on the way) it is
/// `aria-disabled` and ignores presses.
#[component]
pub fn ConfirmButton(
    /// Unique in the page (`rotate-{id}`), for the question's id.
    id: String,
    /// The button's word (`Revoke`).
    action: Key,
    /// The question (`Revoke this key?`).
    question: Key,
    /// The answer that does it (`Yes, revoke`).
    confirm: Key,
    /// What it acts on, read by screen readers after the button's word (`Revoke production`).
    subject: String,
    on_confirm: Callback<()>,
    #[prop(into, optional)] busy: Signal<bool>,
) -> impl IntoView {
    let asking = RwSignal::new(false);
    let first = NodeRef::<html::Button>::new();
    let subject = StoredValue::new(subject);
    let question_id = StoredValue::new(format!("{id}-question"));
    let focus_first = move || {
        request_animation_frame(move || {
            // The row may have gone meanwhile.
            if let Some(first) = first.try_get_untracked().flatten() {
                _ = first.focus();
            }
        });
    };
    let ask = move |_| {
        if !busy.get_untracked() {
            asking.set(true);
        }
    };
    let keep = Callback::new(move |()| {
        asking.set(false);
        focus_first();
    });
    let act = Callback::new(move |()| {
        asking.set(false);
        focus_first();
        on_confirm.run(());
    });
    let action_words = tr(action);
    let (question_words, confirm_words) = (tr(question), tr(confirm));
    let working_words = tr(Key::Working);
    view! {
        <span class="confirm">
            <Show
                when=move || asking.get()
                fallback=move || {
                    view! {
                        <button
                            type="button"
                            class="secondary"
                            aria-disabled=move || busy.get().to_string()
                            node_ref=first
                            on:click=ask
                        >
                            {move || if busy.get() { working_words() } else { action_words() }}
                            <span class="visually-hidden">" " {subject.get_value()}</span>
                        </button>
                    }
                }
            >
                <Confirmation
                    id=question_id.get_value()
                    question=Signal::derive(move || question_words().to_owned())
                    yes=Signal::derive(move || confirm_words().to_owned())
                    no=Key::Keep
                    subject=subject.get_value()
                    on_yes=act
                    on_no=keep
                />
            </Show>
        </span>
    }
}
