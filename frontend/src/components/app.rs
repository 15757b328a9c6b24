//! The root: the payment summary, a live region, and the component for the current step.

use leptos::html;
use leptos::prelude::*;

use super::notice::{Loading, ProblemNotice};
use super::outcome::Outcome;
use super::phone_form::PhoneForm;
use super::summary::PaymentSummary;
use super::waiting::Waiting;
use crate::checkout::{Screen, Step};
use crate::flow::Flow;
use crate::{height, text};

#[component]
pub fn App() -> impl IntoView {
    let flow = Flow::start();
    let root = NodeRef::<html::Main>::new();
    root.on_load(move |element| height::observe(element, move |h| flow.set_height(h)));
    // Re-render a screen only when the screen changes, not on every step update
    // (the phone input would lose focus).
    let screen = Memo::new(move |_| flow.step.with(Step::screen));
    let announcement = Memo::new(move |_| flow.step.with(text::announcement));
    view! {
        <main class="widget" node_ref=root data-step=move || flow.step.with(Step::name)>
            <p class="visually-hidden" role="status">
                {announcement}
            </p>
            <PaymentSummary summary=flow.summary />
            {move || match screen.get() {
                Screen::Loading => view! { <Loading flow /> }.into_any(),
                Screen::Phone => view! { <PhoneForm flow /> }.into_any(),
                Screen::Waiting => view! { <Waiting flow /> }.into_any(),
                Screen::Result => view! { <Outcome flow /> }.into_any(),
                Screen::Problem => view! { <ProblemNotice flow /> }.into_any(),
            }}
        </main>
    }
}
