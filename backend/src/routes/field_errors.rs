//! Bodies and query strings read so that what is wrong with them is said for a developer:
//! which field (`param`, as Stripe names it: `amount`, `allowed_origins[1]`), what is
//! wrong with it in words, never a parser's line and column; a body over the limit is 413
//! and one that is not JSON at all says so.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header::CONTENT_TYPE;
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// A JSON body (`Content-Type: application/json`), parsed into `T`.
pub struct Json<T>(pub T);

impl<T: serde::Serialize> axum::response::IntoResponse for Json<T> {
    fn into_response(self) -> axum::response::Response {
        axum::Json(self.0).into_response()
    }
}

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Json<T> {
    type Rejection = ApiError;
    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !is_json(request.headers()) {
            return Err(ApiError::UnsupportedMediaType);
        }
        let bytes = body(request, state).await?;
        parse_json(&bytes).map(Self)
    }
}

/// A JSON body that may be left out entirely (then `T::default()`).
pub struct JsonOrEmpty<T>(pub T);

impl<T, S> FromRequest<S> for JsonOrEmpty<T>
where
    T: DeserializeOwned + Default,
    S: Send + Sync,
{
    type Rejection = ApiError;
    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let json = is_json(request.headers());
        let bytes = body(request, state).await?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(Self(T::default()));
        }
        if !json {
            return Err(ApiError::UnsupportedMediaType);
        }
        parse_json(&bytes).map(Self)
    }
}

/// The query string, parsed into `T` (none at all is an empty one).
pub struct Query<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or_default();
        let deserializer =
            serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
        serde_path_to_error::deserialize(deserializer)
            .map(Self)
            .map_err(|error| {
                let param = error.path().to_string();
                let message = plain(&error.into_inner().to_string());
                field_error(&param, &message)
            })
    }
}

/// `application/json`, or a `+json` type, with any parameters.
fn is_json(headers: &HeaderMap) -> bool {
    let Some(kind) = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let essence = kind
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

async fn body<S: Send + Sync>(request: Request, state: &S) -> Result<Bytes, ApiError> {
    Bytes::from_request(request, state)
        .await
        .map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::BodyTooLarge
            } else {
                ApiError::BadRequest("cannot read the request body".into())
            }
        })
}

/// Every request body of the API is a JSON object. (serde would also take an array for a
/// struct, its fields by position: not something to accept from a client.)
fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    match bytes.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'{') => {}
        Some(b'[' | b'"' | b'0'..=b'9' | b'-') => {
            return Err(ApiError::BadRequest(
                "the body must be a JSON object".into(),
            ));
        }
        Some(_) | None => {} // not JSON: serde says how
    }
    let deserializer = &mut serde_json::Deserializer::from_slice(bytes);
    let parsed = serde_path_to_error::deserialize(deserializer).map_err(|error| {
        let param = error.path().to_string();
        let inner = error.into_inner();
        let message = without_position(&inner);
        match inner.classify() {
            serde_json::error::Category::Data => field_error(&param, &message),
            serde_json::error::Category::Syntax
            | serde_json::error::Category::Eof
            | serde_json::error::Category::Io => {
                ApiError::BadRequest(format!("the body is not valid JSON: {message}"))
            }
        }
    })?;
    Ok(parsed)
}

/// serde_json's message without its " at line L column C".
fn without_position(error: &serde_json::Error) -> String {
    let text = error.to_string();
    let position = format!(" at line {} column {}", error.line(), error.column());
    text.strip_suffix(&position).unwrap_or(&text).to_owned()
}

/// The field a data error is about, and what is wrong with it. A missing field's path is
/// the object that lacks it (`.` at the top), and serde names the field in its message.
fn field_error(path: &str, message: &str) -> ApiError {
    let within = |field: &str| match path {
        "." | "" => field.to_owned(),
        parent => format!("{parent}.{field}"),
    };
    if let Some(field) = quoted_after(message, "missing field `") {
        return ApiError::InvalidField {
            param: within(field),
            message: format!("`{field}` is required"),
        };
    }
    if let Some(field) = quoted_after(message, "unknown field `") {
        let expected = message
            .split_once(", expected ")
            .map_or_else(String::new, |(_, rest)| format!("; expected {rest}"));
        // The path already ends in the unknown field.
        let param = match path {
            "." | "" => field.to_owned(),
            path => path.to_owned(),
        };
        return ApiError::InvalidField {
            param,
            message: format!("`{field}` is not a field of this request{expected}"),
        };
    }
    match path {
        "." | "" => ApiError::BadRequest(plain(message)),
        field => ApiError::InvalidField {
            param: field.to_owned(),
            message: plain(message),
        },
    }
}

fn quoted_after<'a>(message: &'a str, opening: &str) -> Option<&'a str> {
    let rest = message.strip_prefix(opening)?;
    rest.split_once('`').map(|(field, _)| field)
}

/// serde's type names in words (`expected u64` → `expected a whole number`).
fn plain(message: &str) -> String {
    let mut text = message.to_owned();
    for (serde, words) in [
        ("expected u64", "expected a whole number"),
        ("expected u32", "expected a whole number"),
        ("expected u16", "expected a whole number"),
        ("expected u8", "expected a whole number"),
        ("expected i64", "expected a whole number"),
        ("expected i32", "expected a whole number"),
        ("expected usize", "expected a whole number"),
        ("expected a boolean", "expected true or false"),
        ("invalid digit found in string", "expected a whole number"),
        (
            "cannot parse integer from empty string",
            "expected a whole number",
        ),
    ] {
        text = text.replace(serde, words);
    }
    text
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Order {
        amount: u64,
        #[serde(default)]
        lines: Vec<Line>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Line {
        sku: String,
    }

    fn error_of(body: &str) -> (Option<String>, String) {
        match parse_json::<Order>(body.as_bytes()) {
            Ok(order) => (None, format!("parsed: {order:?}")),
            Err(ApiError::InvalidField { param, message }) => (Some(param), message),
            Err(other) => (None, other.to_string()),
        }
    }

    #[test]
    fn each_kind_of_bad_field_names_the_field_in_words_without_positions() {
        let cases = [
            (
                r#"{"amount": "ten"}"#,
                Some("amount"),
                "invalid type: string \"ten\", expected a whole number",
            ),
            (r#"{}"#, Some("amount"), "`amount` is required"),
            (
                r#"{"amount": 1, "colour": "red"}"#,
                Some("colour"),
                "`colour` is not a field of this request; expected `amount` or `lines`",
            ),
            (
                r#"{"amount": 1, "lines": [{"sku": "a"}, {"sku": 7}]}"#,
                Some("lines[1].sku"),
                "invalid type: integer `7`, expected a string",
            ),
            (
                r#"{"amount": 1, "lines": [{}]}"#,
                Some("lines[0].sku"),
                "`sku` is required",
            ),
        ];
        for (body, param, message) in cases {
            let (got_param, got_message) = error_of(body);
            assert_eq!(got_param.as_deref(), param, "{body}");
            assert_eq!(got_message, message, "{body}");
            assert!(!got_message.contains("line 1"), "{got_message}");
        }
    }

    #[test]
    fn a_body_that_is_not_json_or_not_an_object_names_no_field() {
        for (body, says) in [
            (
                "{\"amount\": ",
                "the body is not valid JSON: EOF while parsing a value",
            ),
            ("amount=1", "the body is not valid JSON: expected value"),
            ("[1]", "the body must be a JSON object"),
            ("  \"amount\"", "the body must be a JSON object"),
        ] {
            assert_eq!(error_of(body), (None, says.to_owned()), "{body}");
        }
    }

    #[test]
    fn json_content_types() {
        let with = |kind: &str| {
            let mut headers = HeaderMap::new();
            if let Ok(value) = kind.parse() {
                headers.insert(CONTENT_TYPE, value);
            }
            is_json(&headers)
        };
        assert!(with("application/json"));
        assert!(with("Application/JSON; charset=utf-8"));
        assert!(with("application/merge-patch+json"));
        assert!(!with("text/plain"));
        assert!(!with("application/x-www-form-urlencoded"));
        assert!(!is_json(&HeaderMap::new()));
    }
}
