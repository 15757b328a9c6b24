//! The root: the payment summary, a live region, and the component for the current step.

use leptos::either::EitherOf5;
use leptos::html;
use leptos::prelude::*;

use super::notice::{Loading, ProblemNotice};
use super::outcome::Outcome;
use super::phone_form::PhoneForm;
use super::summary::PaymentSummary;
use super::waiting::Waiting;
use crate::checkout::{Screen, Step};
use crate::flow::Flow;
use crate::height;
use crate::text::{announcement, text};

#[component]
pub fn App() -> impl IntoView {
    let flow = Flow::start();
    let root = NodeRef::<html::Main>::new();
    root.on_load(move |element| height::observe(element, move |h| flow.set_height(h)));
    // Re-render a screen only when the screen changes, not on every step update
    // (the phone input would lose focus).
    let screen = Memo::new(move |_| flow.step.with(Step::screen));
    // Effects run after the views: the app's form is there to take the server's over.
    Effect::new(move |_| {
        flow.step.track();
        flow.step_shown();
    });
    view! {
        <main class="widget" node_ref=root data-step=move || flow.step.with(Step::name)>
            <p class="visually-hidden" role="status">
                {move || text(flow.lang, flow.step.with(announcement))}
            </p>
            <PaymentSummary flow />
            {move || match screen.get() {
                Screen::Loading => EitherOf5::A(view! { <Loading flow /> }),
                Screen::Phone => EitherOf5::B(view! { <PhoneForm flow /> }),
                Screen::Waiting => EitherOf5::C(view! { <Waiting flow /> }),
                Screen::Result => EitherOf5::D(view! { <Outcome flow /> }),
                Screen::Problem => EitherOf5::E(view! { <ProblemNotice flow /> }),
            }}
        </main>
    }
}
