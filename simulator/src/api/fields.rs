//! Checks of single request fields, each recording Vipps's own error for a bad value.

use serde_json::{Map, Value};
use shared::vipps::ErrorDetails;
use shared::{Amount, AmountError, MobileNumber};

use crate::vipps_error::{detail, invalid_field};

pub fn parsed<T: std::str::FromStr>(
    value: &Value,
    field: &str,
    errors: &mut Vec<ErrorDetails>,
) -> Option<T> {
    let result = value.as_str().and_then(|s| s.parse().ok());
    if result.is_none() {
        errors.push(invalid_field(
            field,
            &format!("Invalid request: invalid {field}"),
        ));
    }
    result
}

pub fn amount(value: &Value, errors: &mut Vec<ErrorDetails>) -> Option<Amount> {
    let checked = value.as_i64().ok_or_else(|| {
        invalid_field(
            "amount",
            "Invalid request: amount must be an integer in øre",
        )
    });
    match checked.and_then(ore) {
        Ok(amount) => Some(amount),
        Err(error) => {
            errors.push(error);
            None
        }
    }
}

/// An amount in øre as Vipps checks it: at least 1, at most int32.
pub fn ore(ore: i64) -> Result<Amount, ErrorDetails> {
    let checked = u64::try_from(ore)
        .map_err(|_| AmountError::Zero)
        .and_then(Amount::from_ore);
    checked.map_err(|err| match err {
        AmountError::Zero => detail(
            "amount",
            "Amount must be at least 1 øre",
            Some("amount"),
            Some("amount.less.than.one"),
        ),
        AmountError::TooLarge => invalid_field("amount", "Invalid request: amount is too large"),
    })
}

/// `Some(None)` when absent, `None` when invalid.
pub fn phone(
    body: &Map<String, Value>,
    errors: &mut Vec<ErrorDetails>,
) -> Option<Option<MobileNumber>> {
    match body.get("customerMobileNumber") {
        None | Some(Value::Null) => Some(None),
        Some(value) => {
            let number = value
                .as_str()
                .filter(|s| s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()))
                .and_then(|s| s.parse::<MobileNumber>().ok());
            if number.is_none() {
                errors.push(invalid_field(
                    "customerMobileNumber",
                    "Invalid customerMobileNumber: 8 digits",
                ));
            }
            number.map(Some)
        }
    }
}

pub fn optional_string(
    body: &Map<String, Value>,
    field: &str,
    errors: &mut Vec<ErrorDetails>,
) -> Option<String> {
    match body.get(field) {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => {
            errors.push(invalid_field(
                field,
                &format!("Invalid request: {field} must be a string"),
            ));
            None
        }
    }
}

/// An absolute `http`/`https` URL with a host, or `error` recorded.
pub fn web_url(
    value: &Value,
    error: ErrorDetails,
    errors: &mut Vec<ErrorDetails>,
) -> Option<String> {
    let url = value.as_str().filter(|text| {
        reqwest::Url::parse(text).is_ok_and(|url| {
            matches!(url.scheme(), "http" | "https")
                && url.host_str().is_some_and(|h| !h.is_empty())
        })
    });
    if url.is_none() {
        errors.push(error);
    }
    url.map(str::to_owned)
}

pub fn optional_bool(
    body: &Map<String, Value>,
    field: &str,
    errors: &mut Vec<ErrorDetails>,
) -> bool {
    match body.get(field) {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => {
            errors.push(invalid_field(
                field,
                &format!("Invalid request: {field} must be true or false"),
            ));
            false
        }
    }
}

/// Fit to be sent back as an HTTP header value (printable ASCII), or an error recorded.
pub fn header_safe(value: &str, field: &str, errors: &mut Vec<ErrorDetails>) -> bool {
    let safe = value.bytes().all(|b| (0x20..0x7f).contains(&b));
    if !safe {
        errors.push(invalid_field(
            field,
            &format!("Invalid request: {field} must be printable ASCII"),
        ));
    }
    safe
}
