//! Wall-clock helpers without a date crate: Unix seconds and milliseconds, ISO-8601 and
//! card expiries.

use std::time::{SystemTime, UNIX_EPOCH};

/// Seconds since the Unix epoch (0 if the clock is before 1970).
pub fn now_unix() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .ok()
        .and_then(|d| i64::try_from(d.as_secs()).ok())
        .unwrap_or(0)
}

/// Milliseconds since the Unix epoch (0 if the clock is before 1970).
pub fn now_unix_millis() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .ok()
        .and_then(|d| i64::try_from(d.as_millis()).ok())
        .unwrap_or(0)
}

/// `(year, month 1-12, day 1-31)` of a day count since 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// `2018-06-13T18:34:25Z`: the ISO-8601 form Vipps's `timeStamp` takes.
pub fn iso8601(unix: i64) -> String {
    let (days, secs) = (unix.div_euclid(86_400), unix.rem_euclid(86_400));
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

/// `2018-06-13T18:34:25.120Z`: [`iso8601`] with milliseconds.
pub fn iso8601_millis(unix_millis: i64) -> String {
    let seconds = iso8601(unix_millis.div_euclid(1000));
    let millis = unix_millis.rem_euclid(1000);
    match seconds.strip_suffix('Z') {
        Some(stem) => format!("{stem}.{millis:03}Z"),
        None => seconds,
    }
}

/// A card expiry (`YYMM`) three years after the month of `unix`.
pub fn card_expiry_three_years_ahead(unix: i64) -> String {
    let (year, month, _) = civil_from_days(unix.div_euclid(86_400));
    format!("{:02}{month:02}", (year + 3).rem_euclid(100))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_unix_seconds_as_utc_iso8601() {
        assert_eq!(iso8601(0), "1970-01-01T00:00:00Z");
        assert_eq!(iso8601(1_528_940_065), "2018-06-14T01:34:25Z");
        assert_eq!(iso8601(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(
            iso8601_millis(1_528_940_065_007),
            "2018-06-14T01:34:25.007Z"
        );
    }

    #[test]
    fn card_expiry_is_three_years_ahead_in_yymm() {
        // 2024-11-24
        assert_eq!(card_expiry_three_years_ahead(1_732_406_400), "2711");
        // 2099-01-01 wraps to the next century.
        assert_eq!(card_expiry_three_years_ahead(4_070_908_800), "0201");
    }
}
