//! The language switch: one button per language, named in that language, the current one
//! pressed.

use leptos::prelude::*;

use crate::locale::{Language, tr};
use crate::text::{Key, Lang};

#[component]
pub fn LangSwitch() -> impl IntoView {
    let language = Language::get();
    let button = move |lang: Lang| {
        view! {
            <button
                type="button"
                lang=lang.code()
                aria-pressed=move || if language.lang() == lang { "true" } else { "false" }
                on:click=move |_| language.choose(lang)
            >
                {lang.name()}
            </button>
        }
    };
    view! {
        <div class="lang-switch" role="group" aria-label=tr(Key::Language)>
            {Lang::ALL.map(button)}
        </div>
    }
}
