//! A page of payments as a table: status, amount, date, order id (a link to the payment)
//! and the card's last four digits.

use leptos::prelude::*;
use leptos_router::components::A;
use shared::merchant::MerchantPayment;

use crate::locale::{Language, tr};
use crate::text::{Key, text};
use crate::{dates, labels, money, paths};

#[component]
pub fn PaymentTable(#[prop(into)] payments: Signal<Vec<MerchantPayment>>) -> impl IntoView {
    let language = Language::get();
    let rows = move || {
        payments
            .get()
            .into_iter()
            .map(|payment| {
                let status = payment.status;
                let ore = payment.amount.ore();
                let last_four = payment.card.as_ref().map(|card| card.last_four.clone());
                view! {
                    <tr>
                        <td>
                            <span class=format!("badge {}", labels::status_tone(status))>
                                {move || text(language.lang(), labels::status(status))}
                            </span>
                        </td>
                        <td class="num">{move || money::format(language.lang(), ore)}</td>
                        <td>
                            <time datetime=dates::iso(payment.created_at)>
                                {dates::date_time(payment.created_at)}
                            </time>
                        </td>
                        <td>
                            <A href=paths::payment(&payment.id)>
                                {payment.merchant_order_id.as_str().to_owned()}
                            </A>
                        </td>
                        <td>{last_four.unwrap_or_else(|| "–".to_owned())}</td>
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
        <table class="payments">
            <caption class="visually-hidden">{tr(Key::Payments)}</caption>
            <thead>
                <tr>
                    <th scope="col">{tr(Key::Status)}</th>
                    <th scope="col" class="num">{tr(Key::Amount)}</th>
                    <th scope="col">{tr(Key::Date)}</th>
                    <th scope="col">{tr(Key::OrderId)}</th>
                    <th scope="col">{tr(Key::Card)}</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
}
