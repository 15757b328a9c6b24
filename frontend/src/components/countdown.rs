//! The time left to pay (`mm:ss`, to the payment's `expires_at` on the server's clock).

use leptos::prelude::*;

use crate::clock;
use crate::flow::Flow;
use crate::text::{Key, text};

#[component]
pub fn Countdown(flow: Flow) -> impl IntoView {
    move || {
        let expires_at = flow.summary.with(|s| s.as_ref().map(|s| s.expires_at))?;
        Some(view! {
            <p class="countdown">
                {text(flow.lang, Key::TimeLeft)} " "
                <span id="countdown" role="timer">
                    {move || clock::countdown(expires_at, flow.now.get())}
                </span>
            </p>
        })
    }
}
