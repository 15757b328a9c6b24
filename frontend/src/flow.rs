//! Runs the checkout: waits for the parent's `init`, loads the payment, starts it when
//! the shopper presses Pay and polls until a final status, telling the parent page as
//! the status changes. Components read its signals and call `pay`/`edit_phone`; every
//! decision is a pure function in `checkout`.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::checkout::{CheckoutPayment, StartPayment};
use wasm_bindgen_futures::JsFuture;

use crate::api::Api;
use crate::checkout::{self, PhoneEntry, Problem, Step, Summary};
use crate::config::{self, Config};
use crate::messaging::{self, Init, Parent};
use crate::popup;

/// How often the server is asked while waiting for the shopper.
const POLL_INTERVAL_MS: i32 = 2_000;
/// How long the parent page has to answer `ready` with `init`.
const INIT_TIMEOUT: Duration = Duration::from_secs(10);

/// The widget's state, shared by all components (it is `Copy`).
#[derive(Debug, Clone, Copy)]
pub struct Flow {
    pub step: RwSignal<Step>,
    pub summary: RwSignal<Option<Summary>>,
    /// What the shopper typed in the phone field.
    pub phone: RwSignal<String>,
    height: RwSignal<i32>,
    parent: RwSignal<Option<Parent>>,
    api: StoredValue<Option<Api>>,
    polling: StoredValue<bool>,
}

impl Flow {
    /// Sets up the state and says `ready` to the parent page. Call inside a component.
    pub fn start() -> Self {
        let flow = Self {
            step: RwSignal::new(Step::Loading { trouble: false }),
            summary: RwSignal::new(None),
            phone: RwSignal::new(String::new()),
            height: RwSignal::new(0),
            parent: RwSignal::new(None),
            api: StoredValue::new(None),
            polling: StoredValue::new(false),
        };
        flow.tell_parent();
        let Some(payment_id) = config::payment_id_from_location() else {
            flow.step.set(Step::Problem(Problem::BadLink));
            return flow;
        };
        if !messaging::is_embedded() {
            flow.step.set(Step::Problem(Problem::NotEmbedded));
            return flow;
        }
        // Dropping the handle keeps the listener for the page's lifetime; `connect` uses
        // only the first `init`.
        drop(messaging::listen_for_init(move |init| {
            flow.connect(payment_id.clone(), init)
        }));
        messaging::announce_ready();
        set_timeout(
            move || {
                if flow.api.with_value(Option::is_none) {
                    flow.step.set(Step::Problem(Problem::NoInit));
                }
            },
            INIT_TIMEOUT,
        );
        flow
    }

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
        let (Some(api), Step::Phone(entry)) = (self.api.get_value(), self.step.get_untracked())
        else {
            return;
        };
        if entry.starting {
            return;
        }
        let phone_number = match checkout::parse_phone(&self.phone.get_untracked()) {
            Ok(number) => number,
            Err(error) => {
                self.step.set(Step::Phone(PhoneEntry {
                    error: Some(error),
                    starting: false,
                }));
                return;
            }
        };
        let window = popup::open();
        self.step.set(Step::Phone(PhoneEntry {
            error: None,
            starting: true,
        }));
        let is_app = window_user_agent().is_some_and(|agent| checkout::is_phone(&agent));
        let body = StartPayment {
            phone_number,
            is_app,
        };
        spawn_local(async move {
            let result = api.start(&body).await;
            let next = checkout::after_start(&result, window.is_some());
            self.apply(result.as_ref().ok(), popup::hand_over(window, next));
        });
    }

    /// The widget's content height changed.
    pub fn set_height(self, height: i32) {
        if self.height.get_untracked() != height {
            self.height.set(height);
        }
    }

    fn connect(self, payment_id: shared::PaymentId, init: Init) {
        if self.api.with_value(Option::is_some) {
            return;
        }
        let config = Config {
            payment_id,
            client_secret: init.client_secret,
        };
        self.api.set_value(Some(Api::new(config)));
        self.parent.set(Some(init.parent));
        self.apply(None, Step::Loading { trouble: false });
    }

    fn apply(self, payment: Option<&CheckoutPayment>, next: Step) {
        if let Some(payment) = payment {
            self.summary.set(Some(Summary::from(payment)));
            if let Some(number) = &payment.phone_number
                && self.phone.with_untracked(String::is_empty)
            {
                self.phone.set(number.to_string());
            }
        }
        let polls = next.polls();
        if self.step.with_untracked(|step| *step != next) {
            self.step.set(next);
        }
        if polls {
            self.keep_polling();
        }
    }

    /// Asks the server every interval while the step wants it; one loop at a time.
    fn keep_polling(self) {
        let Some(api) = self.api.get_value() else {
            return;
        };
        if self.polling.get_value() {
            return;
        }
        self.polling.set_value(true);
        spawn_local(async move {
            while self.step.with_untracked(Step::polls) {
                let result = api.payment().await;
                let next = self
                    .step
                    .with_untracked(|step| checkout::after_fetch(step, &result));
                self.apply(result.as_ref().ok(), next);
                if self.step.with_untracked(Step::polls) {
                    sleep(POLL_INTERVAL_MS).await;
                }
            }
            self.polling.set_value(false);
        });
    }

    /// Posts `status` and `resize` to the parent whenever they change.
    fn tell_parent(self) {
        let status = Memo::new(move |_| self.step.with(Step::status));
        Effect::new(move |_| {
            if let (Some(parent), Some(report)) = (self.parent.get(), status.get()) {
                parent.post_status(report);
            }
        });
        Effect::new(move |_| {
            let height = self.height.get();
            if let Some(parent) = self.parent.get()
                && height > 0
            {
                parent.post_resize(height);
            }
        });
    }
}

fn window_user_agent() -> Option<String> {
    web_sys::window()?.navigator().user_agent().ok()
}

async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    _ = JsFuture::from(promise).await;
}
