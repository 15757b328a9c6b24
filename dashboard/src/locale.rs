//! The page's language: the one chosen with the switch (remembered in `localStorage`), else
//! the browser's (`navigator.language`); shared through the context and put on
//! `<html lang>`.

use leptos::prelude::*;

use crate::text::{Key, Lang, text};

const STORAGE_KEY: &str = "psp-dashboard-lang";

/// The language signal every view reads its words through.
#[derive(Debug, Clone, Copy)]
pub struct Language(RwSignal<Lang>);

impl Language {
    /// Provides the context with the remembered or the browser's language, and keeps
    /// `<html lang>` and the remembered choice in step with it.
    pub fn provide() -> Self {
        let language = Self(RwSignal::new(initial()));
        provide_context(language);
        Effect::new(move |_| mark_root(language.0.get()));
        language
    }

    /// The context's language (English outside the app, which never happens).
    pub fn get() -> Self {
        use_context().unwrap_or_else(|| Self(RwSignal::new(Lang::En)))
    }

    /// The language, tracked.
    pub fn lang(self) -> Lang {
        self.0.get()
    }

    /// The language, untracked (in event handlers).
    pub fn lang_untracked(self) -> Lang {
        self.0.get_untracked()
    }

    /// Switches to `lang` and remembers the choice.
    pub fn choose(self, lang: Lang) {
        self.0.set(lang);
        if let Some(storage) = storage() {
            _ = storage.set_item(STORAGE_KEY, lang.code());
        }
    }
}

/// The words for `key` in the current language, as a reactive closure for a view.
pub fn tr(key: Key) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let language = Language::get();
    move || text(language.lang(), key)
}

fn initial() -> Lang {
    let remembered = storage()
        .and_then(|storage| storage.get_item(STORAGE_KEY).ok().flatten())
        .and_then(|code| Lang::from_code(&code));
    remembered.unwrap_or_else(|| {
        let navigator = web_sys::window().map(|window| window.navigator().language());
        Lang::from_browser(navigator.flatten().as_deref())
    })
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn mark_root(lang: Lang) {
    let root = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.document_element());
    if let Some(root) = root {
        _ = root.set_attribute("lang", lang.code());
    }
}
