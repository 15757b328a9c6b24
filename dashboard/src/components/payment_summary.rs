//! One payment at a glance: status, amount, ids, card, times, and where its money is.

use leptos::prelude::*;
use shared::merchant::{Amounts, MerchantPayment};

use crate::locale::{Language, tr};
use crate::text::{Key, text};
use crate::{dates, labels, money};

#[component]
pub fn PaymentSummary(payment: MerchantPayment) -> impl IntoView {
    let language = Language::get();
    let lang = move || language.lang();
    let status = payment.status;
    let card = payment.card.as_ref().map_or_else(
        || "–".to_owned(),
        |card| {
            let expiry = match (card.expiry.get(..2), card.expiry.get(2..)) {
                (Some(year), Some(month)) => format!("{month}/{year}"),
                _ => card.expiry.clone(),
            };
            format!("{} •••• {} ({expiry})", card.first_six, card.last_four)
        },
    );
    let ore = payment.amount.ore();
    let failure = payment.failure.map(|reason| {
        view! {
            <div>
                <dt>{tr(Key::Failure)}</dt>
                <dd>{move || text(lang(), labels::failure(reason))}</dd>
            </div>
        }
    });
    view! {
        <dl class="summary">
            <div>
                <dt>{tr(Key::Status)}</dt>
                <dd>
                    <span class=format!("badge {}", labels::status_tone(status))>
                        {move || text(lang(), labels::status(status))}
                    </span>
                </dd>
            </div>
            <div>
                <dt>{tr(Key::Amount)}</dt>
                <dd>{move || money::format(lang(), ore)}</dd>
            </div>
            <div>
                <dt>{tr(Key::OrderId)}</dt>
                <dd><code>{payment.merchant_order_id.as_str().to_owned()}</code></dd>
            </div>
            <div>
                <dt>{tr(Key::PaymentId)}</dt>
                <dd><code>{payment.id.to_string()}</code></dd>
            </div>
            <div>
                <dt>{tr(Key::Description)}</dt>
                <dd>{payment.description.as_str().to_owned()}</dd>
            </div>
            <div>
                <dt>{tr(Key::Card)}</dt>
                <dd>{card}</dd>
            </div>
            <div>
                <dt>{tr(Key::Created)}</dt>
                <dd>{dates::date_time(payment.created_at)}</dd>
            </div>
            <div>
                <dt>{tr(Key::Expires)}</dt>
                <dd>{dates::date_time(payment.expires_at)}</dd>
            </div>
            {failure}
        </dl>
        <AmountsTable amounts=payment.amounts />
    }
}

#[component]
fn AmountsTable(amounts: Amounts) -> impl IntoView {
    let language = Language::get();
    let row = move |key: Key, get: fn(&Amounts) -> u32| {
        view! {
            <tr>
                <th scope="row">{tr(key)}</th>
                <td class="num">{move || money::format(language.lang(), get(&amounts))}</td>
            </tr>
        }
    };
    view! {
        <table class="amounts">
            <caption>{tr(Key::WhereTheMoneyIs)}</caption>
            <thead>
                <tr>
                    <th scope="col">{tr(Key::Ledger)}</th>
                    <th scope="col" class="num">{tr(Key::Amount)}</th>
                </tr>
            </thead>
            <tbody>
                {row(Key::Authorised, |a| a.authorised)}
                {row(Key::Captured, |a| a.captured)}
                {row(Key::Refunded, |a| a.refunded)}
                {row(Key::Cancelled, |a| a.cancelled)}
                {row(Key::Capturable, |a| a.capturable)}
                {row(Key::Refundable, |a| a.refundable)}
            </tbody>
        </table>
    }
}
