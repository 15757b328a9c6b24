//! The server's clock, estimated from this browser's clock and the `Date` header of the
//! server's answers, and the `mm:ss` countdown to the payment's `expires_at`.

use crate::text::digits;
use crate::wire::floor_u32;

/// Milliseconds to add to this browser's clock to get the server's (`Date` header).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Offset(f64);

impl Offset {
    /// From a `Date` header and the local time it arrived, both in Unix milliseconds.
    /// Without a usable header, local time is trusted (offset 0).
    pub fn measure(server_ms: Option<f64>, local_ms: f64) -> Self {
        match server_ms {
            Some(server) if server.is_finite() && server > 0.0 => Self(server - local_ms),
            Some(_) | None => Self(0.0),
        }
    }

    /// The server's time in whole Unix seconds for the local time `local_ms`.
    pub fn server_secs(self, local_ms: f64) -> i64 {
        floor_u32((local_ms + self.0) / 1_000.0).map_or(0, i64::from)
    }
}

/// Time left until `expires_at` as `mm:ss` (minutes may grow past 99); `00:00` once over.
pub fn countdown(expires_at: i64, now: i64) -> String {
    let left = u32::try_from(expires_at.saturating_sub(now).max(0)).unwrap_or(u32::MAX);
    let mut out = two_digits(left / 60);
    out.push(':');
    out.push_str(&two_digits(left % 60));
    out
}

fn two_digits(n: u32) -> String {
    let mut out = String::with_capacity(3);
    if n < 10 {
        out.push('0');
    }
    out.push_str(&digits(n));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_server_clock_follows_the_date_header_or_else_local_time() {
        let local = 1_900_000_000_000.0;
        let ahead = Offset::measure(Some(local + 90_000.0), local);
        assert_eq!(ahead.server_secs(local + 500.0), 1_900_000_090);
        let trusting = Offset::measure(None, local);
        assert_eq!(trusting.server_secs(local), 1_900_000_000);
        let garbage = Offset::measure(Some(f64::NAN), local);
        assert_eq!(garbage, Offset::default());
    }

    #[test]
    fn the_countdown_reads_minutes_and_seconds() {
        assert_eq!(countdown(1_000, 1_000 - 599), "09:59");
        assert_eq!(countdown(1_000, 1_000 - 60), "01:00");
        assert_eq!(countdown(1_000, 1_000 - 5), "00:05");
        assert_eq!(countdown(10_000, 0), "166:40");
        assert_eq!(countdown(1_000, 2_000), "00:00");
    }
}
