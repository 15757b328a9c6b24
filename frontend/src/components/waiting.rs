//! Waiting for the shopper to confirm in Vipps; the widget polls meanwhile.

use leptos::prelude::*;

use crate::checkout::{self, Step};
use crate::flow::Flow;
use crate::text;

#[component]
pub fn Waiting(flow: Flow) -> impl IntoView {
    let waiting = Memo::new(move |_| match flow.step.get() {
        Step::Waiting(waiting) => Some(waiting),
        Step::Loading { .. } | Step::Phone(_) | Step::Done(_) | Step::Problem(_) => None,
    });
    let read = move |f: fn(&checkout::Waiting) -> bool| waiting.with(|w| w.as_ref().is_some_and(f));
    let processing = move || read(|w| w.processing);
    // The link only helps before the shopper has confirmed.
    let link = move || {
        waiting
            .get()
            .filter(|w| w.show_link && !w.processing)
            .and_then(|w| w.vipps_url)
    };
    view! {
        <section id="waiting" class="waiting">
            <div class="spinner" aria-hidden="true"></div>
            <h1>{move || if processing() { text::PROCESSING } else { text::WAITING }}</h1>
            <Show when=move || !processing()>
                <p>{text::WAITING_HINT}</p>
            </Show>
            {move || {
                link()
                    .map(|url| {
                        view! {
                            <p class="open-vipps">
                                {text::NO_VIPPS_WINDOW} " "
                                <a id="open-vipps" href=url target="_blank" rel="noopener noreferrer">
                                    {text::OPEN_VIPPS}
                                </a>
                            </p>
                        }
                    })
            }}
            <Show when=move || read(|w| w.trouble)>
                <p class="trouble">{text::CONNECTION_TROUBLE}</p>
            </Show>
        </section>
    }
}
