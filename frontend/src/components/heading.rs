//! The heading of a step: `tabindex="-1"` so that focus can move to it when the step
//! changes after the shopper acted (not on first load: that would pull focus into the
//! merchant's page).

use leptos::html;
use leptos::prelude::*;

use crate::checkout::Step;
use crate::flow::Flow;
use crate::text::{Key, text};

#[component]
pub fn Heading(flow: Flow, key: fn(&Step) -> Key) -> impl IntoView {
    let heading = NodeRef::<html::H1>::new();
    heading.on_load(move |element| {
        if flow.should_focus() {
            _ = element.focus();
        }
    });
    view! {
        <h1 tabindex="-1" node_ref=heading>
            {move || text(flow.lang, flow.step.with(key))}
        </h1>
    }
}
