//! Times as the merchant reads them: the API's Unix seconds and milliseconds in the
//! browser's time zone, `2026-05-01 14:03`, and in ISO 8601 for `<time datetime>`.

use js_sys::Date;
use wasm_bindgen::JsValue;

/// Unix seconds as local `YYYY-MM-DD HH:MM`.
pub fn date_time(unix_seconds: i64) -> String {
    let date = at(unix_seconds.saturating_mul(1000));
    format!(
        "{}-{}-{} {}:{}",
        date.get_full_year(),
        two(date.get_month().saturating_add(1)),
        two(date.get_date()),
        two(date.get_hours()),
        two(date.get_minutes())
    )
}

/// Unix milliseconds as local `YYYY-MM-DD HH:MM:SS` (delivery attempts are seconds apart).
pub fn precise(unix_ms: i64) -> String {
    let date = at(unix_ms);
    format!(
        "{}-{}-{} {}:{}:{}",
        date.get_full_year(),
        two(date.get_month().saturating_add(1)),
        two(date.get_date()),
        two(date.get_hours()),
        two(date.get_minutes()),
        two(date.get_seconds())
    )
}

/// Unix seconds in ISO 8601 (UTC), for `<time datetime>`.
pub fn iso(unix_seconds: i64) -> String {
    iso_ms(unix_seconds.saturating_mul(1000))
}

/// Unix milliseconds in ISO 8601 (UTC).
pub fn iso_ms(unix_ms: i64) -> String {
    at(unix_ms).to_iso_string().into()
}

fn at(unix_ms: i64) -> Date {
    Date::new(&JsValue::from_f64(to_f64(unix_ms)))
}

/// `n` as a JavaScript number, exactly for any time this side of the year 285 000
/// (no `as`: the parts each fit an `i32`).
fn to_f64(n: i64) -> f64 {
    const SPLIT: i64 = 1 << 30;
    let high = i32::try_from(n.div_euclid(SPLIT)).unwrap_or(0);
    let low = i32::try_from(n.rem_euclid(SPLIT)).unwrap_or(0);
    f64::from(high) * f64::from(1_i32 << 30) + f64::from(low)
}

fn two(n: u32) -> String {
    format!("{n:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn milliseconds_become_the_same_javascript_number() {
        assert_eq!(to_f64(0), 0.0);
        assert_eq!(to_f64(1_767_225_600_123), 1_767_225_600_123.0);
        assert_eq!(to_f64(-1), -1.0);
        assert_eq!(two(7), "07");
    }
}
