//! A secret shown once (a new API key, a webhook signing secret): a read-only field that
//! takes the focus, a Copy button, and Done to put it away for good.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen_futures::JsFuture;

use crate::locale::tr;
use crate::text::Key;

#[component]
pub fn SecretOnce(
    /// The field's id.
    id: &'static str,
    /// The label (`Your new secret key`).
    label: Key,
    secret: String,
    on_done: Callback<()>,
) -> impl IntoView {
    let field = NodeRef::<leptos::html::Input>::new();
    field.on_load(|input| {
        _ = input.focus();
        input.select();
    });
    let copied = RwSignal::new(false);
    let copied_words = tr(Key::Copied);
    let secret = StoredValue::new(secret);
    let copy = move |_| {
        let Some(clipboard) = web_sys::window().map(|window| window.navigator().clipboard()) else {
            return;
        };
        let promise = clipboard.write_text(&secret.get_value());
        spawn_local(async move {
            copied.set(JsFuture::from(promise).await.is_ok());
        });
    };
    let hint_id = format!("{id}-hint");
    view! {
        <div class="secret">
            <label for=id>{tr(label)}</label>
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
                <span class="copied" role="status">
                    {move || copied.get().then(copied_words)}
                </span>
            </p>
        </div>
    }
}
