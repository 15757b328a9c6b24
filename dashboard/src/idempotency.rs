//! `Idempotency-Key`s for the forms that change something: a fresh random key for each
//! submission, kept while the same request is sent again after no answer, a server error
//! or "still running", so that a retry can never do it twice. [`Submissions`] does the same
//! for a list's rows (rotate this endpoint's secret, send this event again), one key per row.

use std::collections::HashMap;

/// One form's submission in flight or awaiting a retry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Submission {
    /// The request (its path and body) and the key it was sent with.
    pending: Option<(String, String)>,
}

impl Submission {
    /// The key to send `request` with: the pending one if this is the same request again,
    /// else `fresh()`.
    pub fn key_for(&mut self, request: &str, fresh: impl FnOnce() -> String) -> String {
        match &self.pending {
            Some((pending, key)) if pending == request => key.clone(),
            _ => {
                let key = fresh();
                self.pending = Some((request.to_owned(), key.clone()));
                key
            }
        }
    }

    /// After an answer: forget the key unless the same request may be tried again.
    pub fn settle(&mut self, may_retry: bool) {
        if !may_retry {
            self.pending = None;
        }
    }
}

/// The submissions of a list's rows, each named by its request (`rotate {id}`): a row's
/// key is kept for a retry of that row until an answer settles it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Submissions {
    /// Request → the key it was sent with.
    pending: HashMap<String, String>,
}

impl Submissions {
    /// The key to send `request` with: the pending one if it was sent before without a
    /// final answer, else `fresh()`.
    pub fn key_for(&mut self, request: &str, fresh: impl FnOnce() -> String) -> String {
        self.pending
            .entry(request.to_owned())
            .or_insert_with(fresh)
            .clone()
    }

    /// After `request`'s answer: forget its key unless it may be tried again.
    pub fn settle(&mut self, request: &str, may_retry: bool) {
        if !may_retry {
            self.pending.remove(request);
        }
    }
}

/// 128 random bits from the browser's CSPRNG as 32 hex digits.
pub fn fresh_key() -> String {
    let mut bytes = [0_u8; 16];
    let filled = web_sys::window()
        .and_then(|window| window.crypto().ok())
        .is_some_and(|crypto| crypto.get_random_values_with_u8_array(&mut bytes).is_ok());
    if !filled {
        // No Web Crypto (it is everywhere we run): time and Math.random still make a
        // collision within one merchant's 24 hours of keys unlikely.
        let now = js_sys::Date::now().to_bits().to_le_bytes();
        let random = js_sys::Math::random().to_bits().to_le_bytes();
        bytes = [0; 16];
        for (i, byte) in now.iter().chain(random.iter()).enumerate() {
            if let Some(slot) = bytes.get_mut(i) {
                *slot = *byte;
            }
        }
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_retry_of_the_same_request_keeps_its_key_until_an_answer_settles_it() {
        let mut submission = Submission::default();
        let first = submission.key_for("capture 100", || "k1".to_owned());
        assert_eq!(first, "k1");
        submission.settle(true);
        assert_eq!(submission.key_for("capture 100", || "k2".to_owned()), "k1");
        submission.settle(false);
        assert_eq!(submission.key_for("capture 100", || "k3".to_owned()), "k3");
    }

    #[test]
    fn another_request_gets_another_key() {
        let mut submission = Submission::default();
        submission.key_for("capture 100", || "k1".to_owned());
        submission.settle(true);
        assert_eq!(submission.key_for("capture 200", || "k2".to_owned()), "k2");
    }

    #[test]
    fn each_row_keeps_its_own_key_for_a_retry_until_its_answer_settles_it() {
        let mut rows = Submissions::default();
        assert_eq!(rows.key_for("rotate a", || "k1".to_owned()), "k1");
        assert_eq!(rows.key_for("rotate b", || "k2".to_owned()), "k2");
        rows.settle("rotate a", true);
        assert_eq!(rows.key_for("rotate a", || "k3".to_owned()), "k1");
        rows.settle("rotate a", false);
        assert_eq!(rows.key_for("rotate a", || "k4".to_owned()), "k4");
        assert_eq!(rows.key_for("rotate b", || "k5".to_owned()), "k2");
    }
}
