//! What is being paid for, to whom, and how much: shown above every step once known.

use leptos::prelude::*;

use crate::checkout::Summary;

#[component]
pub fn PaymentSummary(summary: RwSignal<Option<Summary>>) -> impl IntoView {
    move || {
        summary.get().map(|s| {
            view! {
                <header class="summary">
                    <p class="merchant">{s.merchant_name}</p>
                    <p class="description">{s.description}</p>
                    <p class="amount">{s.amount.to_string()}</p>
                </header>
            }
        })
    }
}
