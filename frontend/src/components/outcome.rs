//! The final screen: success, or why not, with Try again after a failure while the
//! payment can still be started. `#result` carries `data-outcome` and, on failure,
//! `data-reason` (the wire names) for tests and for the merchant's styling.

use leptos::prelude::*;

use super::heading::Heading;
use crate::checkout::{Outcome as Final, Step};
use crate::flow::Flow;
use crate::text::{self, Key, text};
use crate::wire;

#[component]
pub fn Outcome(flow: Flow) -> impl IntoView {
    let lang = flow.lang;
    let outcome = move || {
        flow.step.with(|step| match step {
            Step::Done(outcome) => *outcome,
            Step::Retrying(reason) => Final::Failed(*reason),
            Step::Loading { .. } | Step::Phone(_) | Step::Waiting(_) | Step::Problem(_) => {
                Final::Expired
            }
        })
    };
    let succeeded = move || outcome() == Final::Succeeded;
    let detail = move || {
        flow.summary.with(|summary| match (outcome(), summary) {
            (Final::Succeeded, Some(s)) => {
                let amount = text::amount(s.amount.ore());
                text::fill(text(lang, Key::Paid), &amount, &s.merchant_name)
            }
            (outcome, summary) => {
                text(lang, text::outcome_detail(outcome, summary.is_some())).to_owned()
            }
        })
    };
    let retrying = move || flow.step.with(|step| matches!(step, Step::Retrying(_)));
    let can_retry = move || {
        let open = flow
            .summary
            .with(|s| s.as_ref().is_none_or(|s| flow.now.get() <= s.expires_at));
        open && matches!(outcome(), Final::Failed(_))
    };
    view! {
        <section
            id="result"
            class=move || if succeeded() { "result succeeded" } else { "result unsuccessful" }
            data-outcome=move || wire::status_name(outcome().report().status)
            data-reason=move || outcome().report().reason.map(wire::reason_name)
        >
            <div class="icon" aria-hidden="true">{move || if succeeded() { "✓" } else { "✕" }}</div>
            <Heading flow key=|step| match step {
                Step::Done(outcome) => text::outcome_title(*outcome),
                Step::Retrying(_) => Key::Failed,
                Step::Loading { .. } | Step::Phone(_) | Step::Waiting(_) | Step::Problem(_) => {
                    Key::Expired
                }
            } />
            <p>{detail}</p>
            {move || can_retry().then(|| view! {
                <button
                    id="retry"
                    type="button"
                    class="vipps-button"
                    disabled=retrying
                    on:click=move |_| flow.retry()
                >
                    {move || text(lang, if retrying() { Key::Starting } else { Key::TryAgain })}
                </button>
            })}
        </section>
    }
}
