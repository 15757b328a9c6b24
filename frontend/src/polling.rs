//! When to ask the server again: every 2 s, every 10 s once the shopper has waited a
//! minute, what `Retry-After` says on 429, and backing off while there is no answer.

/// The poll interval for the first minute of waiting.
pub const FAST_MS: u32 = 2_000;
/// The poll interval after that.
pub const SLOW_MS: u32 = 10_000;
/// How long polling stays fast.
pub const FAST_FOR_MS: u32 = 60_000;
/// The longest pause while the server does not answer.
pub const MAX_BACKOFF_MS: u32 = 30_000;
/// The longest `Retry-After` we honour; a longer one is a misconfiguration.
pub const MAX_RETRY_AFTER_MS: u32 = 120_000;

/// What the polling loop knows between polls.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Schedule {
    /// Time spent waiting for the shopper so far (sum of the pauses).
    pub waited_ms: u32,
    /// Polls in a row without an answer.
    pub failures: u32,
}

/// How the last poll went, as far as timing is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Heard {
    Answer,
    /// No answer, or a server error: back off.
    Silence,
    /// HTTP 429 with `Retry-After` (seconds), if it came with one.
    SlowDown(Option<u32>),
}

impl Schedule {
    /// The pause before the next poll; `waiting` says whether the shopper is waiting
    /// (only that time counts towards slowing down).
    pub fn next(&mut self, heard: Heard, waiting: bool) -> u32 {
        let regular = if self.waited_ms < FAST_FOR_MS {
            FAST_MS
        } else {
            SLOW_MS
        };
        let delay = match heard {
            Heard::Answer => {
                self.failures = 0;
                regular
            }
            Heard::Silence => {
                self.failures = self.failures.saturating_add(1);
                let doubled = FAST_MS.saturating_mul(1 << self.failures.min(5));
                doubled.clamp(regular, MAX_BACKOFF_MS.max(regular))
            }
            Heard::SlowDown(seconds) => seconds
                .map_or(SLOW_MS, |s| s.saturating_mul(1_000))
                .clamp(regular, MAX_RETRY_AFTER_MS),
        };
        if waiting {
            self.waited_ms = self.waited_ms.saturating_add(delay);
        }
        delay
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn polls_every_two_seconds_for_a_minute_then_every_ten() {
        let mut schedule = Schedule::default();
        let delays: Vec<u32> = (0..32)
            .map(|_| schedule.next(Heard::Answer, true))
            .collect();
        assert!(delays[..30].iter().all(|d| *d == FAST_MS));
        assert!(delays[30..].iter().all(|d| *d == SLOW_MS));
    }

    #[test]
    fn time_outside_the_waiting_step_does_not_slow_polling_down() {
        let mut schedule = Schedule::default();
        for _ in 0..100 {
            schedule.next(Heard::Answer, false);
        }
        assert_eq!(schedule.next(Heard::Answer, true), FAST_MS);
    }

    #[test]
    fn backs_off_without_an_answer_and_recovers_with_one() {
        let mut schedule = Schedule::default();
        let delays: Vec<u32> = (0..6)
            .map(|_| schedule.next(Heard::Silence, true))
            .collect();
        assert_eq!(delays, [4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
        assert_eq!(schedule.next(Heard::Answer, true), SLOW_MS);
        assert_eq!(schedule.failures, 0);
    }

    #[test]
    fn honours_retry_after_within_reason() {
        let mut schedule = Schedule::default();
        assert_eq!(schedule.next(Heard::SlowDown(Some(7)), true), 7_000);
        assert_eq!(schedule.next(Heard::SlowDown(Some(0)), true), FAST_MS);
        assert_eq!(schedule.next(Heard::SlowDown(None), true), SLOW_MS);
        let huge = schedule.next(Heard::SlowDown(Some(u32::MAX)), true);
        assert_eq!(huge, MAX_RETRY_AFTER_MS);
    }
}
