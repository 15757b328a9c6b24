//! The screens without a payment to act on: loading (maybe with connection trouble), and
//! the problems the shopper cannot fix inside the widget.

use leptos::prelude::*;

use crate::checkout::{Problem, Step};
use crate::flow::Flow;
use crate::text;

#[component]
pub fn Loading(flow: Flow) -> impl IntoView {
    let trouble = Memo::new(move |_| matches!(flow.step.get(), Step::Loading { trouble: true }));
    view! {
        <section id="loading" class="notice">
            <div class="spinner" aria-hidden="true"></div>
            <p>{text::LOADING}</p>
            <Show when=move || trouble.get()>
                <p class="trouble">{text::CONNECTION_TROUBLE}</p>
            </Show>
        </section>
    }
}

#[component]
pub fn ProblemNotice(flow: Flow) -> impl IntoView {
    let problem = Memo::new(move |_| match flow.step.get() {
        Step::Problem(problem) => problem,
        Step::Loading { .. } | Step::Phone(_) | Step::Waiting(_) | Step::Done(_) => {
            Problem::Unexpected
        }
    });
    view! {
        <section id="problem" class="notice problem">
            <div class="icon icon-failed" aria-hidden="true">"!"</div>
            <p>{move || text::problem(problem.get())}</p>
        </section>
    }
}
