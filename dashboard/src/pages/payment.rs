//! One payment (`/dashboard/payments/{id}`): its summary and ledger, what can be done with
//! it, and its timeline. An operation's answer shows at once; after any answer that may
//! have changed the payment (a refusal too), the payment and its timeline are read again.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use shared::PaymentId;
use shared::merchant::MerchantPayment;
use shared::timeline::PaymentTimeline;

use crate::api;
use crate::components::actions::Actions;
use crate::components::heading::PageHeading;
use crate::components::payment_summary::PaymentSummary;
use crate::components::status::StatusLine;
use crate::components::timeline::Timeline;
use crate::errors;
use crate::locale::{Language, tr};
use crate::paths;
use crate::session::Auth;
use crate::text::{Key, text};

#[component]
pub fn PaymentPage() -> impl IntoView {
    let language = Language::get();
    let auth = Auth::get();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id")?.parse::<PaymentId>().ok()));
    let timeline = RwSignal::new(None::<PaymentTimeline>);
    let error = RwSignal::new(None::<api::Error>);
    let loading = RwSignal::new(true);
    let generation = StoredValue::new(0_u32);

    let load = move |id: PaymentId| {
        let Some(api) = auth.api() else { return };
        let ticket = generation
            .try_update_value(|g| {
                *g = g.wrapping_add(1);
                *g
            })
            .unwrap_or_default();
        loading.set(true);
        spawn_local(async move {
            let path = format!("/v1/payments/{id}/timeline");
            let result = api.get::<PaymentTimeline>(&path, &[]).await;
            if generation.try_get_value() != Some(ticket) {
                return;
            }
            loading.set(false);
            match result {
                Ok(found) => {
                    timeline.set(Some(found));
                    error.set(None);
                }
                Err(failed) => error.set(Some(failed)),
            }
        });
    };
    Effect::new(move |_| {
        if let Some(id) = id.get() {
            timeline.set(None);
            load(id);
        } else {
            loading.set(false);
        }
    });

    let payment = Memo::new(move |_| timeline.with(|t| t.as_ref().map(|t| t.payment.clone())));
    let on_settled = Callback::new(move |updated: Option<MerchantPayment>| {
        if let Some(updated) = updated {
            timeline.update(|t| {
                if let Some(t) = t {
                    t.payment = updated;
                }
            });
        }
        if let Some(id) = id.get_untracked() {
            load(id);
        }
    });
    let message = Signal::derive(move || {
        let lang = language.lang();
        if id.with(Option::is_none) {
            Some(text(lang, Key::NotFound).to_owned())
        } else if let Some(error) = error.get() {
            Some(errors::describe(lang, &error))
        } else if loading.get() && timeline.with(Option::is_none) {
            Some(text(lang, Key::Loading).to_owned())
        } else {
            None
        }
    });
    let failed = Signal::derive(move || error.with(Option::is_some) || id.with(Option::is_none));
    let loaded = Memo::new(move |_| payment.with(Option::is_some));
    let order_id = Signal::derive(move || {
        payment.with(|p| p.as_ref().map(|p| p.merchant_order_id.as_str().to_owned()))
    });

    view! {
        <p class="back">
            <A href=paths::PAYMENTS>{tr(Key::AllPayments)}</A>
        </p>
        <PageHeading key=Key::PaymentHeading detail=order_id />
        <StatusLine message error=failed />
        {move || payment.get().map(|payment| view! { <PaymentSummary payment /> })}
        {move || {
            let id = id.get()?;
            loaded.get().then(|| view! { <Actions id payment on_settled /> })
        }}
        <section aria-labelledby="timeline-heading">
            <h2 id="timeline-heading">{tr(Key::Timeline)}</h2>
            {move || timeline.with(|t| t.as_ref().map(|t| t.entries.clone())).map(|entries| {
                view! { <Timeline entries /> }
            })}
        </section>
    }
}
