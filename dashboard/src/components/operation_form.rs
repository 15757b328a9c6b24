//! The capture, refund and cancel forms of a payment. The amount is typed in kroner and
//! sent in øre (`money`); empty means all that is left. Each submission has its own
//! `Idempotency-Key`, kept for a retry of the same request (`idempotency`).

use leptos::ev::SubmitEvent;
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::PaymentId;
use shared::merchant::{AmountRequest, MerchantPayment};

use super::status::FieldError;
use crate::api;
use crate::errors;
use crate::idempotency::{Submission, fresh_key};
use crate::locale::{Language, tr};
use crate::money;
use crate::session::Auth;
use crate::text::{Key, text};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    Capture,
    Refund,
    Cancel,
}

impl Operation {
    fn path(self, id: &PaymentId) -> String {
        let verb = match self {
            Self::Capture => "capture",
            Self::Refund => "refund",
            Self::Cancel => "cancel",
        };
        format!("/v1/payments/{id}/{verb}")
    }

    /// The heading, the amount field's id and hint, and the button.
    fn words(self) -> (Key, &'static str, Key, Key) {
        match self {
            Self::Capture => (
                Key::Capture,
                "capture-amount",
                Key::CaptureHint,
                Key::CaptureButton,
            ),
            Self::Refund => (
                Key::Refund,
                "refund-amount",
                Key::RefundHint,
                Key::RefundButton,
            ),
            Self::Cancel => (
                Key::Cancel,
                "cancel-amount",
                Key::CancelHint,
                Key::CancelButton,
            ),
        }
    }
}

/// What the payment's actions section announces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Done, for this many øre (`None`: all that was left).
    Done(Operation, Option<u32>),
    Failed(api::Error),
}

#[component]
pub fn OperationForm(
    operation: Operation,
    payment_id: PaymentId,
    /// What the operation may still take or return, in øre (for the hint).
    #[prop(into)]
    left: Signal<u32>,
    outcome: RwSignal<Option<Outcome>>,
    on_done: Callback<MerchantPayment>,
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
    let submission = StoredValue::new(Submission::default());
    let input = NodeRef::<html::Input>::new();
    let path = StoredValue::new(operation.path(&payment_id));

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let lang = language.lang_untracked();
        let parsed = match operation {
            Operation::Cancel => Ok(None),
            Operation::Capture | Operation::Refund => {
                money::parse_optional(&amount.get_untracked())
            }
        };
        let amount_ore = match parsed {
            Ok(amount_ore) => amount_ore,
            Err(error) => {
                field_error.set(Some(errors::kroner(lang, error)));
                if let Some(input) = input.get_untracked() {
                    _ = input.focus();
                }
                return;
            }
        };
        let Some(api) = auth.api() else { return };
        field_error.set(None);
        outcome.set(None);
        busy.set(true);
        let path = path.get_value();
        let request = format!("{path} {:?}", amount_ore.map(shared::Amount::ore));
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
            match result {
                Ok(payment) => {
                    amount.set(String::new());
                    outcome.set(Some(Outcome::Done(
                        operation,
                        amount_ore.map(shared::Amount::ore),
                    )));
                    // The page may be gone by now.
                    _ = on_done.try_run(payment);
                }
                Err(error) if error.param() == Some("amount") => {
                    field_error.set(Some(errors::describe(lang, &error)));
                }
                Err(error) => outcome.set(Some(Outcome::Failed(error))),
            }
        });
    };

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
    view! {
        <form class="operation" aria-labelledby=labelled_by on:submit=submit>
            <h3 id=heading_id>{tr(heading)}</h3>
            <p id=hint_id class="hint">{hint_text}</p>
            {amount_field}
            <button type="submit" class=if operation == Operation::Cancel { "danger" } else { "" }>
                {button_text}
            </button>
        </form>
    }
}
