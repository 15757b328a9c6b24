//! Runs the checkout: waits for the parent's `init`, loads the payment, starts it on Pay
//! or Try again, cancels it, and polls until a final status, telling the parent page as
//! the status changes. Components read its signals and call its methods; every decision
//! is a pure function in `checkout` (steps) or `crate::polling` (timing). The shopper's
//! actions are in `actions`, the polling loop in `polling`.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::checkout::CheckoutPayment;

use crate::api::{Api, Reply};
use crate::boot;
use crate::checkout::{Outcome, Problem, StatusReport, Step, Summary};
use crate::clock::Offset;
use crate::config::{self, Config};
use crate::height;
use crate::messaging::{self, Init, Parent};
use crate::text::Lang;
use crate::theme::{self, Theme};

mod actions;
mod polling;

/// How often a payment past its deadline is asked for again (it should turn expired).
const RECHECK_SECS: i64 = 5;
/// How long the parent page has to answer `ready` with `init`.
const INIT_TIMEOUT: Duration = Duration::from_secs(10);

/// The widget's state, shared by all components (it is `Copy`).
#[derive(Debug, Clone, Copy)]
pub struct Flow {
    pub lang: Lang,
    pub step: RwSignal<Step>,
    pub summary: RwSignal<Option<Summary>>,
    /// What the shopper typed in the phone field.
    pub phone: RwSignal<String>,
    /// Our server's SVG of the landing page address, on a desktop while waiting.
    pub qr: RwSignal<Option<String>>,
    /// The server's time in Unix seconds, ticking every second.
    pub now: RwSignal<i64>,
    inner: StoredValue<Inner>,
}

/// What the flow keeps that no view shows.
#[derive(Debug, Default)]
struct Inner {
    api: Option<Api>,
    parent: Option<Parent>,
    reported: Option<StatusReport>,
    height: i32,
    offset: Offset,
    /// Bumped by every action; a poll answer from an older generation is dropped.
    generation: u32,
    /// The shopper has acted in the widget: moving focus to a new step is welcome.
    interacted: bool,
    qr_requested: bool,
    /// The parent page says it is on a phone.
    parent_phone: bool,
    /// Server time (Unix seconds) from which a payment past its deadline is asked again.
    recheck_at: i64,
    /// Pay was pressed in the server's form before the app ran (see `boot`).
    pay_pending: bool,
}

impl Flow {
    /// Sets up the state, marks `<html>` with language and theme and says `ready` to the
    /// parent page. Call inside a component.
    pub fn start() -> Self {
        let search = config::location_search();
        let param = |name| config::query_param(&search, name);
        let languages = web_sys::window()
            .map(|window| window.navigator().languages().to_vec())
            .unwrap_or_default()
            .into_iter()
            .filter_map(|language| language.as_string())
            .collect::<Vec<_>>();
        // The server's phone form, if the page came with one, is in the language to keep.
        let lang = boot::lang()
            .unwrap_or_else(|| Lang::choose(param("locale"), languages.iter().map(String::as_str)));
        let theme = param("theme").and_then(Theme::parse).unwrap_or_default();
        theme::mark_root(lang.code(), theme);
        let flow = Self {
            lang,
            step: RwSignal::new(Step::Loading { trouble: false }),
            summary: RwSignal::new(None),
            phone: RwSignal::new(String::new()),
            qr: RwSignal::new(None),
            now: RwSignal::new(0),
            inner: StoredValue::new(Inner::default()),
        };
        let Some(payment_id) = config::payment_id_from_query(&search) else {
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
                if flow.inner.with_value(|inner| inner.api.is_none()) {
                    flow.step.set(Step::Problem(Problem::NoInit));
                }
            },
            INIT_TIMEOUT,
        );
        set_interval(move || flow.tick(), Duration::from_secs(1));
        flow
    }

    /// Called by the view after each step it shows. Past the first loading step, the
    /// server's phone form (`boot`) hands over what the shopper did in it, and a press on
    /// Pay there is carried out as soon as the phone step is here.
    pub fn step_shown(self) {
        if self
            .step
            .with_untracked(|step| *step == Step::Loading { trouble: false })
        {
            return;
        }
        if let Some(handover) = boot::hand_over() {
            if !handover.typed.is_empty() && self.phone.with_untracked(String::is_empty) {
                self.phone.set(handover.typed);
            }
            if let Some(caret) = handover.caret {
                // After the field shows the number (views update in queued tasks).
                queue_microtask(move || boot::place_caret("phone", caret));
            }
            self.inner
                .update_value(|inner| inner.pay_pending = handover.pending);
        }
        let phone_step = self
            .step
            .with_untracked(|step| matches!(step, Step::Phone(_)));
        if phone_step
            && self
                .inner
                .try_update_value(|inner| std::mem::take(&mut inner.pay_pending))
                == Some(true)
        {
            self.pay();
        }
    }

    /// Moving focus to the heading of a new step helps only once the shopper has acted.
    pub fn should_focus(self) -> bool {
        self.inner.with_value(|inner| inner.interacted)
    }

    /// The widget's content height changed.
    pub fn set_height(self, height: i32) {
        let parent = self.inner.try_update_value(|inner| {
            let changed = inner.height != height;
            inner.height = height;
            inner.parent.clone().filter(|_| changed && height > 0)
        });
        if let Some(parent) = parent.flatten() {
            parent.post_resize(height);
        }
    }

    fn connect(self, payment_id: shared::PaymentId, init: Init) {
        if self.api().is_some() {
            return;
        }
        theme::apply_appearance(&init.appearance);
        let api = Api::new(Config {
            payment_id,
            client_secret: init.client_secret,
        });
        let height = self.inner.try_update_value(|inner| {
            inner.api = Some(api);
            inner.parent = Some(init.parent.clone());
            inner.parent_phone = init.phone;
            inner.height
        });
        if let Some(height) = height.filter(|h| *h > 0) {
            init.parent.post_resize(height);
        }
        self.settle(None, Step::Loading { trouble: false }, 0);
    }

    /// Shows `next` (and what `payment` says) after an action, and polls if it wants.
    fn settle(self, payment: Option<&CheckoutPayment>, next: Step, first_poll_ms: u32) {
        self.apply(payment, next);
        if self.step.with_untracked(Step::polls) {
            self.poll(first_poll_ms);
        }
    }

    fn apply(self, payment: Option<&CheckoutPayment>, next: Step) {
        if let Some(payment) = payment {
            let summary = Summary::from(payment);
            if self
                .summary
                .with_untracked(|s| s.as_ref() != Some(&summary))
            {
                self.summary.set(Some(summary));
            }
            if let Some(number) = &payment.phone_number
                && self.phone.with_untracked(String::is_empty)
            {
                self.phone.set(number.as_str().to_owned());
            }
        }
        if self.step.with_untracked(|step| *step != next) {
            self.step.set(next);
            // After the views have updated (they run in queued tasks, before this).
            queue_microtask(move || {
                if let Some(height) = height::measure() {
                    self.set_height(height);
                }
            });
        }
        self.tick();
        let report = self.step.with_untracked(Step::status);
        let parent = self.inner.try_update_value(|inner| {
            let changed = report.is_some() && inner.reported != report;
            inner.reported = report;
            inner.parent.clone().filter(|_| changed)
        });
        if let (Some(Some(parent)), Some(report)) = (parent, report) {
            parent.post_status(report);
        }
        self.load_qr();
    }

    /// Fetches the QR code once per attempt, when a desktop shopper waits for Vipps.
    fn load_qr(self) {
        let wanted = self.step.with_untracked(|step| match step {
            Step::Waiting(w) => !w.is_app && !w.processing && w.vipps_url.is_some(),
            Step::Loading { .. }
            | Step::Phone(_)
            | Step::Done(_)
            | Step::Retrying(_)
            | Step::Problem(_) => false,
        });
        let first = self.inner.try_update_value(|inner| {
            let first = wanted && !inner.qr_requested;
            inner.qr_requested |= wanted;
            first
        });
        if let (Some(true), Some(api)) = (first, self.api()) {
            spawn_local(async move {
                let svg = api.qr().await;
                self.qr.set(svg);
            });
        }
    }

    /// Every second: the countdown moves. Past the deadline, a payment on the form or
    /// failed is asked for again every few seconds: the server will call it expired.
    fn tick(self) {
        let Some(expires_at) = self
            .summary
            .with_untracked(|s| s.as_ref().map(|s| s.expires_at))
        else {
            return;
        };
        let offset = self.inner.with_value(|inner| inner.offset);
        let now = offset.server_secs(js_sys::Date::now());
        if self.now.get_untracked() != now {
            self.now.set(now);
        }
        let startable = self.step.with_untracked(|step| match step {
            Step::Phone(entry) => !entry.starting,
            Step::Done(outcome) => matches!(outcome, Outcome::Failed(_)),
            Step::Loading { .. } | Step::Waiting(_) | Step::Retrying(_) | Step::Problem(_) => false,
        });
        let recheck = self.inner.try_update_value(|inner| {
            let due = startable && now > expires_at && now >= inner.recheck_at;
            if due {
                inner.recheck_at = now.saturating_add(RECHECK_SECS);
            }
            due
        });
        if recheck == Some(true) {
            self.poll(0);
        }
    }

    /// Notes the server's clock from an answer.
    fn observe(self, reply: &Reply) {
        if reply.server_ms.is_some() {
            let offset = Offset::measure(reply.server_ms, js_sys::Date::now());
            self.inner.update_value(|inner| inner.offset = offset);
        }
    }

    fn interact(self) {
        self.bump_generation();
        self.inner.update_value(|inner| inner.interacted = true);
    }

    fn bump_generation(self) -> u32 {
        self.inner
            .try_update_value(|inner| {
                inner.generation = inner.generation.wrapping_add(1);
                inner.generation
            })
            .unwrap_or_default()
    }

    fn generation(self) -> u32 {
        self.inner.with_value(|inner| inner.generation)
    }

    fn api(self) -> Option<Api> {
        self.inner.with_value(|inner| inner.api.clone())
    }

    fn tell_parent(self, tell: impl FnOnce(&Parent)) {
        if let Some(parent) = self.inner.with_value(|inner| inner.parent.clone()) {
            tell(&parent);
        }
    }
}
