//! What is being paid for, to whom, and how much: shown above every step once known.

use leptos::prelude::*;

use crate::flow::Flow;
use crate::text;

#[component]
pub fn PaymentSummary(flow: Flow) -> impl IntoView {
    move || {
        flow.summary.get().map(|s| {
            view! {
                <header class="summary">
                    <p class="merchant">{s.merchant_name}</p>
                    <p class="description">{s.description}</p>
                    <p class="amount">{text::amount(s.amount.ore())}</p>
                </header>
            }
        })
    }
}
