//! `Request-Id` handling: a retry with the same key and body gets the stored answer again.

use std::collections::HashMap;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::Value;

/// The calls that honour `Request-Id`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Endpoint {
    Init,
    UpdateStatus,
}

/// A JSON answer as sent, kept so a retry can be answered byte for byte.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub status: StatusCode,
    pub body: Value,
}

impl IntoResponse for Answer {
    fn into_response(self) -> Response {
        (self.status, axum::Json(self.body)).into_response()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// Never seen: process it.
    New,
    /// Seen with the same body: answer this again.
    Replay(Answer),
    /// Seen with a different body.
    Conflict,
}

/// Key: endpoint, merchant serial number, Request-Id. Value: the request body and the answer.
#[derive(Debug, Default)]
pub struct IdempotencyCache {
    entries: HashMap<(Endpoint, String, String), (Value, Answer)>,
}

impl IdempotencyCache {
    pub fn lookup(
        &self,
        endpoint: Endpoint,
        msn: &str,
        request_id: &str,
        request: &Value,
    ) -> Lookup {
        match self
            .entries
            .get(&(endpoint, msn.to_owned(), request_id.to_owned()))
        {
            None => Lookup::New,
            Some((body, answer)) if body == request => Lookup::Replay(answer.clone()),
            Some(_) => Lookup::Conflict,
        }
    }

    /// Keeps the answer unless it is a server error (those are worth retrying for real).
    pub fn remember(
        &mut self,
        endpoint: Endpoint,
        msn: &str,
        request_id: &str,
        request: Value,
        answer: &Answer,
    ) {
        if !answer.status.is_server_error() {
            let key = (endpoint, msn.to_owned(), request_id.to_owned());
            self.entries.insert(key, (request, answer.clone()));
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn same_key_and_body_replays_and_another_body_conflicts() {
        let mut cache = IdempotencyCache::default();
        let answer = Answer {
            status: StatusCode::OK,
            body: json!({"a": 1}),
        };
        assert_eq!(
            cache.lookup(Endpoint::Init, "1", "r1", &json!({"x": 1})),
            Lookup::New
        );
        cache.remember(Endpoint::Init, "1", "r1", json!({"x": 1}), &answer);
        assert_eq!(
            cache.lookup(Endpoint::Init, "1", "r1", &json!({"x": 1})),
            Lookup::Replay(answer)
        );
        assert_eq!(
            cache.lookup(Endpoint::Init, "1", "r1", &json!({"x": 2})),
            Lookup::Conflict
        );
        assert_eq!(
            cache.lookup(Endpoint::UpdateStatus, "1", "r1", &json!({"x": 1})),
            Lookup::New
        );
        assert_eq!(
            cache.lookup(Endpoint::Init, "2", "r1", &json!({"x": 1})),
            Lookup::New
        );
    }
}
