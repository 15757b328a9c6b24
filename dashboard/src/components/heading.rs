//! A page's `h1`: it takes the focus when the page appears (so a screen reader starts
//! there after each navigation) and names the document's title.

use leptos::html;
use leptos::prelude::*;

use crate::locale::tr;
use crate::text::Key;

#[component]
pub fn PageHeading(
    key: Key,
    /// What the page is about, after the words (a payment's order id), once known.
    #[prop(optional, into)]
    detail: Signal<Option<String>>,
) -> impl IntoView {
    let heading = NodeRef::<html::H1>::new();
    heading.on_load(|element| _ = element.focus());
    let words = tr(key);
    let product = tr(Key::Product);
    let full = move || match detail.get() {
        Some(detail) => format!("{} {detail}", words()),
        None => words().to_owned(),
    };
    Effect::new(move |_| {
        let title = format!("{} · {}", full(), product());
        if let Some(document) = web_sys::window().and_then(|window| window.document()) {
            document.set_title(&title);
        }
    });
    view! {
        <h1 id="page-heading" tabindex="-1" node_ref=heading>
            {full}
        </h1>
    }
}
