//! Every updatestatus call Vipps received, in order, and how each was answered (failed ones
//! too), so a test can check retries reused their Request-Id and how transactions were batched.

use serde::Serialize;
use serde_json::Value;
use tokio::sync::watch;

use crate::clock;

/// One call as received.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UpdateStatusCall {
    pub request_id: Option<String>,
    /// ISO-8601 with milliseconds.
    pub received_at: String,
    /// The `transactions` array as the PSP sent it (`[]` if the body had none).
    pub transactions: Value,
    /// The HTTP status the call is answered with, once decided (a hung call has one
    /// while its answer is still held back).
    pub answered_status: Option<u16>,
    /// `fail` or `hang` when a test-control fault hit this call.
    pub injected: Option<&'static str>,
}

#[derive(Debug)]
pub struct UpdateStatusLog {
    calls: Vec<UpdateStatusCall>,
    /// How many calls have their answer decided; waiters watch it.
    decided: watch::Sender<usize>,
}

impl Default for UpdateStatusLog {
    fn default() -> Self {
        Self {
            calls: Vec::new(),
            decided: watch::channel(0).0,
        }
    }
}

impl UpdateStatusLog {
    /// Records a call that just came in; answers its index for [`Self::answered`].
    pub fn received(&mut self, request_id: Option<String>, body: &[u8]) -> usize {
        let transactions = serde_json::from_slice::<Value>(body)
            .ok()
            .and_then(|mut body| body.get_mut("transactions").map(Value::take))
            .unwrap_or_else(|| Value::Array(Vec::new()));
        self.calls.push(UpdateStatusCall {
            request_id,
            received_at: clock::iso8601_millis(clock::now_unix_millis()),
            transactions,
            answered_status: None,
            injected: None,
        });
        self.calls.len().saturating_sub(1)
    }

    pub fn answered(&mut self, index: usize, status: u16, injected: Option<&'static str>) {
        if let Some(call) = self.calls.get_mut(index) {
            call.answered_status = Some(status);
            call.injected = injected;
            self.decided.send_modify(|n| *n = n.saturating_add(1));
        }
    }

    pub fn calls(&self) -> &[UpdateStatusCall] {
        &self.calls
    }

    /// Watches how many calls have their answer decided.
    pub fn subscribe(&self) -> watch::Receiver<usize> {
        self.decided.subscribe()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn calls_are_kept_in_order_with_their_answers() {
        let mut log = UpdateStatusLog::default();
        let watcher = log.subscribe();
        let body = json!({"transactions": [{"pspTransactionId": "tx1"}]}).to_string();
        let first = log.received(Some("r1".to_owned()), body.as_bytes());
        let second = log.received(None, b"not json");
        assert_eq!(*watcher.borrow(), 0);
        log.answered(second, 401, None);
        log.answered(first, 503, Some("fail"));
        assert_eq!(*watcher.borrow(), 2);
        let calls = log.calls();
        assert_eq!(calls.len(), 2);
        assert_eq!(
            calls.first().map(|c| (&c.request_id, c.answered_status)),
            Some((&Some("r1".to_owned()), Some(503)))
        );
        assert_eq!(
            calls.first().map(|c| c.transactions.clone()),
            Some(json!([{"pspTransactionId": "tx1"}]))
        );
        assert_eq!(
            calls.get(1).map(|c| c.transactions.clone()),
            Some(json!([]))
        );
    }
}
