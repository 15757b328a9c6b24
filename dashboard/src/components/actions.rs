//! What the merchant can do with a payment now: capture, refund, cancel, each shown while
//! the payment allows it, and one live region that tells how it went.

use leptos::html;
use leptos::prelude::*;
use shared::PaymentId;
use shared::merchant::MerchantPayment;

use super::operation::{Operation, Outcome};
use super::operation_form::OperationForm;
use super::status::StatusLine;
use crate::locale::{Language, tr};
use crate::text::{Key, Lang, text};
use crate::{errors, money, statuses};

#[component]
pub fn Actions(
    id: PaymentId,
    payment: Memo<Option<MerchantPayment>>,
    /// After an operation's answer that may have changed the payment (with it, if it did).
    on_settled: Callback<Option<MerchantPayment>>,
) -> impl IntoView {
    let language = Language::get();
    let outcome = RwSignal::new(None::<Outcome>);
    let amounts = move |get: fn(&MerchantPayment) -> u32| {
        Memo::new(move |_| payment.with(|p| p.as_ref().map_or(0, get)))
    };
    let capturable = amounts(|p| p.amounts.capturable);
    let refundable = amounts(|p| p.amounts.refundable);
    let cancellable =
        Memo::new(move |_| payment.with(|p| p.as_ref().is_some_and(statuses::can_cancel)));
    let can_capture = Memo::new(move |_| capturable.get() > 0);
    let can_refund = Memo::new(move |_| refundable.get() > 0);
    let id = StoredValue::new(id);
    // After a confirmed operation (its buttons gone) or a form that went away, the focus
    // comes back here rather than to the page's body.
    let heading = NodeRef::<html::H2>::new();
    let focus_section = Callback::new(move |()| {
        request_animation_frame(move || {
            if let Some(heading) = heading.try_get_untracked().flatten() {
                _ = heading.focus();
            }
        });
    });
    let form = move |operation: Operation, shown: Memo<bool>, left: Memo<u32>| {
        move || {
            shown.get().then(|| {
                view! {
                    <OperationForm
                        operation
                        payment_id=id.get_value()
                        left
                        outcome
                        on_settled
                        focus_section
                    />
                }
            })
        }
    };
    let nothing = move || !(can_capture.get() || can_refund.get() || cancellable.get());
    let message = Signal::derive(move || {
        outcome.with(|outcome| outcome.as_ref().map(|o| announce(language.lang(), o)))
    });
    let failed = Signal::derive(move || outcome.with(|o| matches!(o, Some(Outcome::Failed(_)))));
    view! {
        <section class="actions" aria-labelledby="actions-heading">
            <h2 id="actions-heading" tabindex="-1" node_ref=heading>{tr(Key::Actions)}</h2>
            <StatusLine message error=failed />
            <div class="operations">
                {form(Operation::Capture, can_capture, capturable)}
                {form(Operation::Refund, can_refund, refundable)}
                {form(Operation::Cancel, cancellable, capturable)}
            </div>
            {move || nothing().then(|| view! { <p class="muted">{tr(Key::NoActions)}</p> })}
        </section>
    }
}

/// What the live region says after an operation.
fn announce(lang: Lang, outcome: &Outcome) -> String {
    let (key, ore) = match outcome {
        Outcome::Failed(error) => return errors::describe(lang, error),
        Outcome::Done(Operation::Capture, Some(ore)) => (Key::CapturedAmount, *ore),
        Outcome::Done(Operation::Capture, None) => (Key::CapturedAll, 0),
        Outcome::Done(Operation::Refund, Some(ore)) => (Key::RefundedAmount, *ore),
        Outcome::Done(Operation::Refund, None) => (Key::RefundedAll, 0),
        Outcome::Done(Operation::Cancel, _) => (Key::CancelDone, 0),
    };
    shared::text::fill(text(lang, key), &money::format(lang, ore), "")
}
