//! The capture, refund and cancel forms of a payment. The amount is typed in kroner and
//! sent in øre (`money`); empty means all that is left, which is asked in place first, as
//! is Cancel. Each submission has its own `Idempotency-Key`, kept for a retry of the same
//! request (`idempotency`).

use leptos::ev::SubmitEvent;
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::merchant::{AmountRequest, MerchantPayment};
use shared::{Amount, PaymentId};

use super::confirm::Confirmation;
use super::operation::{Operation, Outcome, read_again_after};
use super::status::FieldError;
use crate::api;
use crate::errors;
use crate::idempotency::{Submission, fresh_key};
use crate::locale::{Language, tr};
use crate::money;
use crate::session::Auth;
use crate::text::{Key, text};

#[component]
pub fn OperationForm(
    operation: Operation,
    payment_id: PaymentId,
    /// What the operation may still take or return, in øre (for the hint and question).
    #[prop(into)]
    left: Signal<u32>,
    outcome: RwSignal<Option<Outcome>>,
    /// After an answer that may have changed the payment: with it, when it succeeded.
    on_settled: Callback<Option<MerchantPayment>>,
    /// Puts the focus back in the section when this form's buttons go away.
    focus_section: Callback<()>,
) -> impl IntoView {
    let language = Language::get();
    let auth = Auth::get();
    let (heading, field_id, hint, button) = operation.words();
    let heading_id = format!("{field_id}-heading");
    let labelled_by = heading_id.clone();
    let hint_id = format!("{field_id}-hint");
    let error_id = match operation {
        Operation::Capture => "capture-amount-error",
        Operation::Refund => "refund-amount-error",
        Operation::Cancel => "cancel-amount-error",
    };
    let amount = RwSignal::new(String::new());
    let field_error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let asking = RwSignal::new(false);
    let submission = StoredValue::new(Submission::default());
    let input = NodeRef::<html::Input>::new();
    let submit_button = NodeRef::<html::Button>::new();
    let path = StoredValue::new(operation.path(&payment_id));

    let send = move |amount_ore: Option<Amount>| {
        let Some(api) = auth.api() else { return };
        let lang = language.lang_untracked();
        field_error.set(None);
        outcome.set(None);
        busy.set(true);
        let path = path.get_value();
        let request = format!("{path} {:?}", amount_ore.map(Amount::ore));
        let key = submission
            .try_update_value(|submission| submission.key_for(&request, fresh_key))
            .unwrap_or_else(fresh_key);
        let body = amount_ore.map(|amount| AmountRequest {
            amount: Some(amount),
        });
        spawn_local(async move {
            let result = api
                .post::<_, MerchantPayment>(&path, body.as_ref(), &key)
                .await;
            busy.set(false);
            submission
                .update_value(|s| s.settle(result.as_ref().is_err_and(api::Error::may_retry)));
            let read_again = read_again_after(&result);
            let done = match result {
                Ok(payment) => {
                    amount.set(String::new());
                    outcome.set(Some(Outcome::Done(operation, amount_ore.map(Amount::ore))));
                    Some(payment)
                }
                Err(error) if error.param() == Some("amount") => {
                    field_error.set(Some(errors::describe(lang, &error)));
                    None
                }
                Err(error) => {
                    outcome.set(Some(Outcome::Failed(error)));
                    None
                }
            };
            // The page may be gone by now.
            if read_again {
                _ = on_settled.try_run(done);
            }
            // This form goes away once nothing is left for it: keep the focus in the page.
            request_animation_frame(move || {
                if focus_is_lost() {
                    _ = focus_section.try_run(());
                }
            });
        });
    };

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let parsed = match operation {
            Operation::Cancel => Ok(None),
            Operation::Capture | Operation::Refund => {
                money::parse_optional(&amount.get_untracked())
            }
        };
        let amount_ore = match parsed {
            Ok(amount_ore) => amount_ore,
            Err(error) => {
                field_error.set(Some(errors::kroner(language.lang_untracked(), error)));
                if let Some(input) = input.get_untracked() {
                    _ = input.focus();
                }
                return;
            }
        };
        if operation.must_confirm(amount_ore.map(Amount::ore)) {
            field_error.set(None);
            asking.set(true);
        } else {
            asking.set(false);
            send(amount_ore);
        }
    };
    let yes = Callback::new(move |()| {
        asking.set(false);
        focus_section.run(());
        if !busy.get_untracked() {
            send(None);
        }
    });
    let no = Callback::new(move |()| {
        asking.set(false);
        request_animation_frame(move || {
            if let Some(button) = submit_button.try_get_untracked().flatten() {
                _ = button.focus();
            }
        });
    });

    let amount_field = (operation != Operation::Cancel).then(|| {
        view! {
            <div class="field">
                <label for=field_id>{tr(Key::AmountInKroner)}</label>
                <input
                    id=field_id
                    name="amount"
                    type="text"
                    inputmode="decimal"
                    autocomplete="off"
                    aria-describedby=format!("{hint_id} {error_id}")
                    aria-invalid=move || field_error.with(Option::is_some).to_string()
                    bind:value=amount
                    node_ref=input
                />
                <FieldError id=error_id message=field_error />
            </div>
        }
    });
    let hint_text = move || {
        let key = match (operation, left.get()) {
            (Operation::Cancel, 0) => Key::CancelHintUnreserved,
            _ => hint,
        };
        let left = money::format(language.lang(), left.get());
        shared::text::fill(text(language.lang(), key), &left, "")
    };
    let button_text = move || {
        text(
            language.lang(),
            if busy.get() { Key::Working } else { button },
        )
    };
    let question = Memo::new(move |_| operation.question(language.lang(), left.get()));
    view! {
        <form class="operation" aria-labelledby=labelled_by on:submit=submit>
            <h3 id=heading_id>{tr(heading)}</h3>
            <p id=hint_id class="hint">{hint_text}</p>
            {amount_field}
            <Show
                when=move || asking.get()
                fallback=move || view! {
                    <button
                        type="submit"
                        class=if operation == Operation::Cancel { "danger" } else { "" }
                        aria-disabled=move || busy.get().to_string()
                        node_ref=submit_button
                    >
                        {button_text}
                    </button>
                }
            >
                <Confirmation
                    id=format!("{field_id}-question")
                    question=Signal::derive(move || question.get().0)
                    yes=Signal::derive(move || question.get().1.to_owned())
                    no=Key::No
                    on_yes=yes
                    on_no=no
                />
            </Show>
        </form>
    }
}

/// Whether the focus fell back to the page's body (its button was removed).
fn focus_is_lost() -> bool {
    web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.active_element())
        .is_none_or(|element| element.tag_name().eq_ignore_ascii_case("body"))
}
