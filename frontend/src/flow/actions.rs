//! What the shopper does: edit the number, Pay, Try again, Cancel.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::MobileNumber;

use super::Flow;
use crate::checkout::{self, Outcome, PhoneEntry, Step};
use crate::messaging::Parent;
use crate::polling::FAST_MS;
use crate::{device, popup};

impl Flow {
    /// The shopper edited the phone number.
    pub fn edit_phone(self, input: String) {
        if let Step::Phone(entry) = self.step.get_untracked() {
            let next = checkout::revalidate(&entry, &input);
            if next != entry {
                self.step.set(Step::Phone(next));
            }
        }
        self.phone.set(input);
    }

    /// The shopper pressed Pay. Must run inside the click: it may open a window.
    pub fn pay(self) {
        let ready = self
            .step
            .with_untracked(|step| matches!(step, Step::Phone(entry) if !entry.starting));
        if !ready {
            return;
        }
        let starting = Step::Phone(PhoneEntry {
            error: None,
            starting: true,
        });
        match checkout::parse_phone(&self.phone.get_untracked()) {
            Ok(number) => self.start_attempt(number, starting),
            Err(error) => self.step.set(Step::Phone(PhoneEntry {
                error: Some(error),
                starting: false,
            })),
        }
    }

    /// The shopper pressed Try again after a failure: a new attempt with the same number,
    /// or the form if the number is not known (the page was reloaded).
    pub fn retry(self) {
        let Some(reason) = self.step.with_untracked(|step| match step {
            Step::Done(Outcome::Failed(reason)) => Some(*reason),
            Step::Loading { .. }
            | Step::Phone(_)
            | Step::Waiting(_)
            | Step::Done(_)
            | Step::Retrying(_)
            | Step::Problem(_) => None,
        }) else {
            return;
        };
        self.interact();
        match checkout::parse_phone(&self.phone.get_untracked()) {
            Ok(number) => self.start_attempt(number, Step::Retrying(reason)),
            Err(_) => self.step.set(Step::Phone(PhoneEntry::default())),
        }
    }

    /// The shopper pressed Cancel while waiting.
    pub fn cancel(self) {
        let (Some(api), Some(next)) = (self.api(), self.step.with_untracked(checkout::cancelling))
        else {
            return;
        };
        self.interact();
        self.step.set(next);
        spawn_local(async move {
            let reply = api.cancel().await;
            self.observe(&reply);
            let next = self
                .step
                .with_untracked(|step| checkout::after_cancel(step, &reply.result));
            self.settle(reply.result.as_ref().ok(), next, 0);
        });
    }

    /// Starts a new attempt, showing `pending` until the server answers.
    fn start_attempt(self, number: MobileNumber, pending: Step) {
        let Some(api) = self.api() else {
            return;
        };
        self.interact();
        let is_app = self.inner.with_value(|inner| inner.parent_phone) || device::this_is_a_phone();
        let window = if is_app { None } else { popup::open() };
        self.inner.update_value(|inner| inner.qr_requested = false);
        self.qr.set(None);
        self.step.set(pending);
        spawn_local(async move {
            let reply = api.start(&number, is_app, self.lang).await;
            self.observe(&reply);
            let next = checkout::after_start(&reply.result, window.is_some());
            if let Ok(payment) = &reply.result {
                self.tell_parent(Parent::post_started);
                if let (true, Step::Waiting(waiting)) = (payment.is_app, &next)
                    && let Some(url) = &waiting.vipps_url
                {
                    self.tell_parent(|parent| parent.post_navigate(url));
                }
            }
            let next = popup::hand_over(window, next);
            self.settle(reply.result.as_ref().ok(), next, FAST_MS);
        });
    }
}
