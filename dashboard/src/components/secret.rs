//! A secret shown once (a new API key, a webhook signing secret): a read-only field named
//! for what it belongs to, that takes the focus, a Copy button, and Done to put it away.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

use crate::locale::tr;
use crate::text::Key;

/// A secret to show and what it belongs to (the endpoint's URL, the key's name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShownSecret {
    pub subject: String,
    pub secret: String,
}

/// How Copy went, said in the status next to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Copying {
    Copied,
    /// The browser refused (no permission, the page not focused).
    Failed,
    /// No clipboard API (plain HTTP): the field is selected for the user.
    ByHand,
}

#[component]
pub fn SecretOnce(
    /// The field's id.
    id: &'static str,
    /// The label (`Your new secret key`), followed by the subject.
    label: Key,
    shown: ShownSecret,
    on_done: Callback<()>,
) -> impl IntoView {
    let field = NodeRef::<leptos::html::Input>::new();
    let select = move || {
        if let Some(input) = field.get_untracked() {
            _ = input.focus();
            input.select();
        }
    };
    field.on_load(|input| {
        _ = input.focus();
        input.select();
    });
    let copying = RwSignal::new(None::<Copying>);
    let secret = StoredValue::new(shown.secret);
    let copy = move |_| {
        copying.set(None);
        let Some(clipboard) = clipboard() else {
            copying.set(Some(Copying::ByHand));
            select();
            return;
        };
        let promise = clipboard.write_text(&secret.get_value());
        spawn_local(async move {
            if JsFuture::from(promise).await.is_ok() {
                copying.set(Some(Copying::Copied));
            } else {
                copying.set(Some(Copying::Failed));
                select();
            }
        });
    };
    let (copied, failed, by_hand) = (tr(Key::Copied), tr(Key::CopyFailed), tr(Key::CopyByHand));
    let said = move || {
        copying.get().map(|copying| match copying {
            Copying::Copied => copied(),
            Copying::Failed => failed(),
            Copying::ByHand => by_hand(),
        })
    };
    let hint_id = format!("{id}-hint");
    view! {
        <div class="secret">
            <label for=id>{tr(label)} ": " <span class="break">{shown.subject}</span></label>
            <input
                id=id
                type="text"
                class="mono"
                readonly
                spellcheck="false"
                autocomplete="off"
                aria-describedby=hint_id.clone()
                prop:value=secret.get_value()
                node_ref=field
            />
            <p id=hint_id class="hint">{tr(Key::ShownOnce)}</p>
            <p class="actions">
                <button type="button" on:click=copy>{tr(Key::Copy)}</button>
                <button type="button" class="secondary" on:click=move |_| on_done.run(())>
                    {tr(Key::Done)}
                </button>
                <span class="copied" role="status">{said}</span>
            </p>
        </div>
    }
}

/// `navigator.clipboard`, where there is one: only secure contexts (HTTPS, localhost) have
/// it, and calling it where it is `undefined` would throw.
fn clipboard() -> Option<web_sys::Clipboard> {
    let navigator = web_sys::window()?.navigator();
    let name = JsValue::from_str("clipboard");
    let present = js_sys::Reflect::has(&navigator, &name).unwrap_or(false)
        && js_sys::Reflect::get(&navigator, &name).is_ok_and(|value| !value.is_undefined());
    present.then(|| navigator.clipboard())
}
