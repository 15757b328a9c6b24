//! The payments (`/dashboard/payments?q=&status=`): newest first, a page at a time, "More"
//! for the next (`starting_after`).

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_query_map;
use shared::PaymentId;
use shared::merchant::{MerchantPayment, PaymentStatus};
use shared::payment_list::{PageSize, PaymentList};

use crate::api;
use crate::components::heading::PageHeading;
use crate::components::payment_table::PaymentTable;
use crate::components::search_form::SearchForm;
use crate::components::status::StatusLine;
use crate::errors;
use crate::locale::{Language, tr};
use crate::session::Auth;
use crate::statuses;
use crate::text::{self, Key, text};

/// What the list is searched for, from the address.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Filter {
    status: Option<PaymentStatus>,
    q: String,
}

impl Filter {
    fn query(&self, after: Option<&PaymentId>) -> Vec<(&'static str, String)> {
        let mut query = vec![("limit", PageSize::DEFAULT.get().to_string())];
        if let Some(status) = self.status {
            query.push(("status", statuses::wire_name(status).to_owned()));
        }
        if !self.q.trim().is_empty() {
            query.push(("q", self.q.trim().to_owned()));
        }
        if let Some(after) = after {
            query.push(("starting_after", after.to_string()));
        }
        query
    }
}

#[component]
pub fn PaymentsPage() -> impl IntoView {
    let language = Language::get();
    let auth = Auth::get();
    let query = use_query_map();
    let filter = Memo::new(move |_| {
        query.with(|q| Filter {
            status: q.get_str("status").and_then(statuses::parse),
            q: q.get("q").unwrap_or_default(),
        })
    });
    let payments = RwSignal::new(Vec::<MerchantPayment>::new());
    let has_more = RwSignal::new(false);
    let loading = RwSignal::new(true);
    let error = RwSignal::new(None::<api::Error>);
    let generation = StoredValue::new(0_u32);

    // `after`: the last payment shown, for the next page; `None` starts over.
    let load = move |after: Option<PaymentId>| {
        let Some(api) = auth.api() else { return };
        let query = filter.with_untracked(|f| f.query(after.as_ref()));
        let ticket = generation
            .try_update_value(|g| {
                *g = g.wrapping_add(1);
                *g
            })
            .unwrap_or_default();
        loading.set(true);
        if after.is_none() {
            // A fresh search: the last one's rows and More would mislead if it failed.
            payments.set(Vec::new());
            has_more.set(false);
            error.set(None);
        }
        spawn_local(async move {
            let result = api.get::<PaymentList>("/v1/payments", &query).await;
            if generation.try_get_value() != Some(ticket) {
                return;
            }
            loading.set(false);
            match result {
                Ok(page) => {
                    error.set(None);
                    has_more.set(page.has_more);
                    payments.update(|shown| {
                        if after.is_none() {
                            shown.clear();
                        }
                        shown.extend(page.data);
                    });
                }
                Err(failed) => error.set(Some(failed)),
            }
        });
    };
    Effect::new(move |_| {
        filter.track();
        load(None);
    });
    let more = move |_| {
        if !loading.get_untracked() {
            load(payments.with_untracked(|p| p.last().map(|p| p.id.clone())));
        }
    };

    let message = Signal::derive(move || {
        let lang = language.lang();
        if let Some(error) = error.get() {
            return Some(errors::describe(lang, &error));
        }
        if loading.get() {
            return Some(text(lang, Key::Loading).to_owned());
        }
        let count = payments.with(Vec::len);
        Some(match count {
            0 => text(lang, Key::NoPayments).to_owned(),
            n => text::count(lang, Key::ShowingOnePayment, Key::ShowingPayments, n),
        })
    });
    view! {
        <PageHeading key=Key::Payments />
        <SearchForm
            shown_status=Signal::derive(move || filter.with(|f| f.status))
            shown_q=Signal::derive(move || filter.with(|f| f.q.clone()))
        />
        <StatusLine message error=Signal::derive(move || error.with(Option::is_some)) />
        <Show when=move || payments.with(|p| !p.is_empty())>
            <PaymentTable payments />
        </Show>
        <Show when=move || has_more.get()>
            <p class="more">
                <button type="button" class="secondary" on:click=more aria-disabled=move || loading.get().to_string()>
                    {tr(Key::More)}
                </button>
            </p>
        </Show>
    }
}
