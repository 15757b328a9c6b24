//! Failures a test injects into the PSP API: per endpoint, a queue of "the next N calls fail
//! with this status" or "hang this long", used up in the order they were set.

use std::collections::VecDeque;
use std::time::Duration;

use axum::http::StatusCode;
use serde::Serialize;

use crate::idempotency::Endpoint;
use crate::vipps_error::{INVALID_REQUEST, VippsErrors, detail};

/// What happens to one call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Answered with this status and a Vipps error list; the call has no effect.
    Fail(StatusCode),
    /// Processed as usual, but the answer is held back this long.
    Hang(Duration),
}

/// One queued fault and how many more calls it applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Pending {
    /// `fail` or `hang`.
    pub fault: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seconds: Option<u64>,
    pub remaining: u32,
}

/// The faults waiting for one endpoint.
#[derive(Debug, Default)]
pub struct FaultQueue(VecDeque<(Fault, u32)>);

impl FaultQueue {
    /// `fault` for `count` more calls, after whatever is queued already.
    pub fn push(&mut self, fault: Fault, count: u32) {
        if count > 0 {
            self.0.push_back((fault, count));
        }
    }

    /// The fault for the call that just came in, if any.
    pub fn take(&mut self) -> Option<Fault> {
        let (fault, remaining) = self.0.front_mut()?;
        let fault = *fault;
        *remaining = remaining.saturating_sub(1);
        if *remaining == 0 {
            self.0.pop_front();
        }
        Some(fault)
    }

    pub fn pending(&self) -> Vec<Pending> {
        self.0
            .iter()
            .map(|(fault, remaining)| match fault {
                Fault::Fail(status) => Pending {
                    fault: "fail",
                    status: Some(status.as_u16()),
                    seconds: None,
                    remaining: *remaining,
                },
                Fault::Hang(wait) => Pending {
                    fault: "hang",
                    status: None,
                    seconds: Some(wait.as_secs()),
                    remaining: *remaining,
                },
            })
            .collect()
    }

    /// Forgets every queued fault; answers how many calls they still applied to.
    pub fn clear(&mut self) -> u32 {
        let left = self.0.iter().map(|(_, n)| *n).sum();
        self.0.clear();
        left
    }
}

/// The queues of every endpoint that can be made to fail.
#[derive(Debug, Default)]
pub struct Faults {
    pub init: FaultQueue,
    pub update_status: FaultQueue,
}

impl Faults {
    pub fn queue(&mut self, endpoint: Endpoint) -> &mut FaultQueue {
        match endpoint {
            Endpoint::Init => &mut self.init,
            Endpoint::UpdateStatus => &mut self.update_status,
        }
    }
}

/// The answer of a call failed on purpose: Vipps's error list for `status`.
pub fn failure(status: StatusCode) -> VippsErrors {
    let injected = "Injected by the simulator's test controls";
    let mut error = if status == StatusCode::BAD_REQUEST {
        detail(INVALID_REQUEST, "Invalid request", None, None)
    } else {
        let reason = status.canonical_reason().unwrap_or("Error");
        detail(status.as_str(), reason, None, None)
    };
    error.developer_msg = Some(injected.to_owned());
    VippsErrors::new(status, vec![error])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_are_used_up_in_the_order_they_were_set() {
        let mut queue = FaultQueue::default();
        let hang = Fault::Hang(Duration::from_secs(20));
        queue.push(Fault::Fail(StatusCode::SERVICE_UNAVAILABLE), 2);
        queue.push(Fault::Fail(StatusCode::INTERNAL_SERVER_ERROR), 0);
        queue.push(hang, 1);
        assert_eq!(queue.pending().len(), 2);
        assert_eq!(
            queue.take(),
            Some(Fault::Fail(StatusCode::SERVICE_UNAVAILABLE))
        );
        assert_eq!(queue.pending().first().map(|p| p.remaining), Some(1));
        assert_eq!(
            queue.take(),
            Some(Fault::Fail(StatusCode::SERVICE_UNAVAILABLE))
        );
        assert_eq!(queue.take(), Some(hang));
        assert_eq!(queue.take(), None);
    }

    #[test]
    fn clearing_forgets_everything() {
        let mut queue = FaultQueue::default();
        queue.push(Fault::Fail(StatusCode::BAD_REQUEST), 3);
        queue.push(Fault::Hang(Duration::from_secs(1)), 2);
        assert_eq!(queue.clear(), 5);
        assert_eq!(queue.take(), None);
    }

    #[test]
    fn failures_carry_a_vipps_error_list() {
        let bad = failure(StatusCode::BAD_REQUEST);
        assert_eq!(
            bad.errors.first().map(|e| e.error_code.as_str()),
            Some("51")
        );
        let down = failure(StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(down.status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(
            down.errors.first().map(|e| e.error_message.as_str()),
            Some("Service Unavailable")
        );
    }
}
