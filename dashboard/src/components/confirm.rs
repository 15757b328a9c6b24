//! A button for something that cannot be undone (revoke a key, delete an endpoint): the
//! first press asks in place, with the focus on the answer; Keep puts it back.

use leptos::html;
use leptos::prelude::*;

use crate::locale::tr;
use crate::text::Key;

#[component]
pub fn ConfirmButton(
    /// The button's word (`Revoke`).
    action: Key,
    /// The question (`Revoke this key?`).
    question: Key,
    /// The answer that does it (`Yes, revoke`).
    confirm: Key,
    /// What it acts on, read after the action by screen readers (`Revoke production`).
    subject: String,
    on_confirm: Callback<()>,
) -> impl IntoView {
    let asking = RwSignal::new(false);
    let first = NodeRef::<html::Button>::new();
    let yes = NodeRef::<html::Button>::new();
    let subject = StoredValue::new(subject);
    let hidden_subject = move || {
        view! { <span class="visually-hidden">" " {subject.get_value()}</span> }
    };
    let ask = move |_| {
        asking.set(true);
        request_animation_frame(move || {
            // The row may have gone meanwhile.
            if let Some(yes) = yes.try_get_untracked().flatten() {
                _ = yes.focus();
            }
        });
    };
    let keep = move |_| {
        asking.set(false);
        request_animation_frame(move || {
            if let Some(first) = first.try_get_untracked().flatten() {
                _ = first.focus();
            }
        });
    };
    let act = move |_| {
        asking.set(false);
        on_confirm.run(());
    };
    view! {
        <span class="confirm">
            <Show
                when=move || asking.get()
                fallback=move || {
                    view! {
                        <button type="button" class="secondary" node_ref=first on:click=ask>
                            {tr(action)}
                            {hidden_subject}
                        </button>
                    }
                }
            >
                <span class="question">{tr(question)}</span>
                <button type="button" class="danger" node_ref=yes on:click=act>
                    {tr(confirm)}
                    {hidden_subject}
                </button>
                <button type="button" class="secondary" on:click=keep>
                    {tr(Key::Keep)}
                </button>
            </Show>
        </span>
    }
}
