//! Waiting for the shopper to confirm in Vipps; the widget polls meanwhile. On a desktop
//! it shows a QR code of the landing page too; on a phone, a button to the app. The
//! countdown runs to the payment's `expires_at`; Cancel ends it here.

use leptos::prelude::*;

use super::countdown::Countdown;
use super::heading::Heading;
use crate::checkout::{self, Step};
use crate::flow::Flow;
use crate::text::{Key, text};

#[component]
pub fn Waiting(flow: Flow) -> impl IntoView {
    let lang = flow.lang;
    let is = move |f: fn(&checkout::Waiting) -> bool| {
        flow.step
            .with(|step| matches!(step, Step::Waiting(w) if f(w)))
    };
    let qr = move || {
        let svg = flow
            .qr
            .get()
            .filter(|_| !is(|w| w.processing || w.is_app))?;
        Some(view! {
            <div class="qr-box">
                <p>{text(lang, Key::QrLabel)}</p>
                <div id="qr" role="img" aria-label=text(lang, Key::QrAlt) inner_html=svg></div>
            </div>
        })
    };
    // One view of the whole state, rebuilt in place on each change: far less code than a
    // reactive closure per part.
    let body = move || {
        let w = flow.step.with(|step| match step {
            Step::Waiting(w) => w.clone(),
            Step::Loading { .. }
            | Step::Phone(_)
            | Step::Done(_)
            | Step::Retrying(_)
            | Step::Problem(_) => checkout::Waiting::default(),
        });
        let link = w.vipps_url.clone().filter(|_| w.show_link && !w.processing);
        let target = if w.is_app { "_top" } else { "_blank" };
        let hint = if w.is_app {
            Key::AppHint
        } else {
            Key::WaitingHint
        };
        let cancel = if w.cancelling {
            Key::Cancelling
        } else {
            Key::Cancel
        };
        view! {
            {(!w.processing).then(|| view! { <p>{text(lang, hint)}</p> })}
            {link.map(|url| view! {
                <p class="open-vipps">
                    {text(lang, Key::NoVippsWindow)} " "
                    <a id="open-vipps" href=url target=target rel="noopener noreferrer">
                        {text(lang, Key::OpenVipps)}
                    </a>
                </p>
            })}
            {w.trouble.then(|| view! {
                <p class="trouble">{text(lang, Key::ConnectionTrouble)}</p>
            })}
            {w.cancel_failed.then(|| view! {
                <p class="field-error" role="alert">{text(lang, Key::CancelFailed)}</p>
            })}
            {(!w.processing).then(|| view! {
                <button
                    id="cancel"
                    type="button"
                    class="secondary-button"
                    disabled=w.cancelling
                    on:click=move |_| flow.cancel()
                >
                    {text(lang, cancel)}
                </button>
            })}
        }
    };
    view! {
        <section id="waiting" class="waiting">
            <div class="spinner" aria-hidden="true"></div>
            <Heading flow key=|step| match step {
                Step::Waiting(w) if w.processing => Key::Processing,
                Step::Loading { .. }
                | Step::Phone(_)
                | Step::Waiting(_)
                | Step::Done(_)
                | Step::Retrying(_)
                | Step::Problem(_) => Key::WaitingHeading,
            } />
            {body}
            {qr}
            {move || (!is(|w| w.processing)).then(|| view! { <Countdown flow /> })}
        </section>
    }
}
