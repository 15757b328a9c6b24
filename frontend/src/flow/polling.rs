//! The polling loop: one at a time, each action starts a new generation.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::checkout::ErrorCode;
use wasm_bindgen_futures::JsFuture;

use super::Flow;
use crate::api::{self, Reply};
use crate::checkout::{self, Step};
use crate::polling::{Heard, Schedule};

impl Flow {
    /// Asks the server now (after `first_ms`) and then on `polling`'s schedule while the
    /// step wants it. Starting a new loop ends the previous one.
    pub(super) fn poll(self, first_ms: u32) {
        let Some(api) = self.api() else {
            return;
        };
        let generation = self.bump_generation();
        spawn_local(async move {
            let mut schedule = Schedule::default();
            let mut delay = first_ms;
            loop {
                sleep(delay).await;
                if self.generation() != generation {
                    return;
                }
                let reply = api.payment().await;
                if self.generation() != generation {
                    return;
                }
                self.observe(&reply);
                let next = self
                    .step
                    .with_untracked(|step| checkout::after_fetch(step, &reply.result));
                self.apply(reply.result.as_ref().ok(), next);
                let (polls, waiting) = self
                    .step
                    .with_untracked(|step| (step.polls(), matches!(step, Step::Waiting(_))));
                if !polls {
                    return;
                }
                delay = schedule.next(heard(&reply), waiting);
            }
        });
    }
}

/// How a poll went, for the schedule.
fn heard(reply: &Reply) -> Heard {
    match &reply.result {
        Ok(_) => Heard::Answer,
        Err(api::Error::Network) => Heard::Silence,
        Err(api::Error::Api { code, .. }) => match code {
            ErrorCode::RateLimited | ErrorCode::IdempotencyInProgress => {
                Heard::SlowDown(reply.retry_after)
            }
            ErrorCode::Internal | ErrorCode::VippsUnavailable | ErrorCode::Unknown => {
                Heard::Silence
            }
            ErrorCode::InvalidRequest
            | ErrorCode::Unauthorized
            | ErrorCode::NotFound
            | ErrorCode::PaymentExpired
            | ErrorCode::InvalidState
            | ErrorCode::DuplicateOrderId
            | ErrorCode::VippsRejected
            | ErrorCode::AmountExceedsBalance
            | ErrorCode::AcquirerFailed
            | ErrorCode::IdempotencyKeyReused
            | ErrorCode::TooManyAttempts
            | ErrorCode::MerchantUnavailable
            | ErrorCode::MsnTaken => Heard::Answer,
        },
    }
}

async fn sleep(ms: u32) {
    if ms == 0 {
        return;
    }
    let ms = i32::try_from(ms).unwrap_or(i32::MAX);
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    _ = JsFuture::from(promise).await;
}
