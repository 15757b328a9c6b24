//! The final screen: success, or why not. `#result` carries `data-outcome` and, on
//! failure, `data-reason` (the wire names) for tests and for the merchant's styling.

use leptos::prelude::*;

use crate::api::wire_name;
use crate::checkout::{self, Step};
use crate::flow::Flow;
use crate::text;

#[component]
pub fn Outcome(flow: Flow) -> impl IntoView {
    let outcome = Memo::new(move |_| match flow.step.get() {
        Step::Done(outcome) => Some(outcome),
        Step::Loading { .. } | Step::Phone(_) | Step::Waiting(_) | Step::Problem(_) => None,
    });
    let report = move || outcome.get().map(checkout::Outcome::report);
    let succeeded = move || outcome.get() == Some(checkout::Outcome::Succeeded);
    view! {
        <section
            id="result"
            class=move || if succeeded() { "result succeeded" } else { "result unsuccessful" }
            data-outcome=move || report().map(|r| wire_name(&r.status))
            data-reason=move || report().and_then(|r| r.reason).map(|r| wire_name(&r))
        >
            <div class="icon" aria-hidden="true">
                {move || if succeeded() { "✓" } else { "✕" }}
            </div>
            <h1>{move || outcome.get().map(text::outcome_title)}</h1>
            <p>
                {move || {
                    outcome.get().map(|o| flow.summary.with(|s| text::outcome_detail(o, s.as_ref())))
                }}
            </p>
        </section>
    }
}
