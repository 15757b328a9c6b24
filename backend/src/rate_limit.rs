//! A per-key fixed-window limit for the widget's polling: a runaway poller gets 429 with
//! `Retry-After` instead of load. In memory, per backend instance.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub struct RateLimiter {
    limit: u32,
    window: Duration,
    windows: Mutex<HashMap<String, (Instant, u32)>>,
}

/// Keys kept before old windows are swept.
const SWEEP_AT: usize = 10_000;

impl RateLimiter {
    pub fn new(limit: u32, window: Duration) -> Self {
        Self {
            limit,
            window,
            windows: Mutex::new(HashMap::new()),
        }
    }

    /// `Ok` when `key` may go on; otherwise how long until it may.
    pub fn check(&self, key: &str) -> Result<(), Duration> {
        let now = Instant::now();
        let Ok(mut windows) = self.windows.lock() else {
            return Ok(()); // A poisoned lock must not take the API down.
        };
        if windows.len() >= SWEEP_AT {
            windows.retain(|_, (start, _)| now.duration_since(*start) < self.window);
        }
        let (start, count) = windows.entry(key.to_owned()).or_insert((now, 0));
        if now.duration_since(*start) >= self.window {
            *start = now;
            *count = 0;
        }
        if *count >= self.limit {
            return Err(self.window.saturating_sub(now.duration_since(*start)));
        }
        *count += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_request_over_the_limit_is_told_when_to_come_back() {
        let limiter = RateLimiter::new(3, Duration::from_secs(60));
        for _ in 0..3 {
            assert_eq!(limiter.check("pay_a"), Ok(()));
        }
        let wait = limiter.check("pay_a");
        assert!(
            matches!(wait, Err(d) if d > Duration::from_secs(50)),
            "{wait:?}"
        );
        assert_eq!(
            limiter.check("pay_b"),
            Ok(()),
            "keys are limited separately"
        );
    }

    #[test]
    fn a_new_window_starts_over() {
        let limiter = RateLimiter::new(1, Duration::ZERO);
        assert_eq!(limiter.check("k"), Ok(()));
        assert_eq!(limiter.check("k"), Ok(()));
    }
}
