//! The screens without a payment to act on: loading (maybe with connection trouble), and
//! the problems the shopper cannot fix inside the widget.

use leptos::prelude::*;

use super::heading::Heading;
use crate::checkout::{Problem, Step};
use crate::flow::Flow;
use crate::text::{self, Key, text};

#[component]
pub fn Loading(flow: Flow) -> impl IntoView {
    let trouble = move || {
        flow.step
            .with(|step| matches!(step, Step::Loading { trouble: true }))
    };
    view! {
        <section id="loading" class="notice">
            <div class="spinner" aria-hidden="true"></div>
            <Heading flow key=|_| Key::Loading />
            {move || trouble().then(|| view! {
                <p class="trouble">{text(flow.lang, Key::ConnectionTrouble)}</p>
            })}
        </section>
    }
}

#[component]
pub fn ProblemNotice(flow: Flow) -> impl IntoView {
    let detail = |step: &Step| match step {
        Step::Problem(problem) => text::problem(*problem),
        Step::Loading { .. }
        | Step::Phone(_)
        | Step::Waiting(_)
        | Step::Done(_)
        | Step::Retrying(_) => text::problem(Problem::Api(shared::checkout::ErrorCode::Unknown)),
    };
    view! {
        <section id="problem" class="notice problem">
            <div class="icon" aria-hidden="true">"!"</div>
            <Heading flow key=|_| Key::ProblemHeading />
            <p>{move || text(flow.lang, flow.step.with(detail))}</p>
        </section>
    }
}
