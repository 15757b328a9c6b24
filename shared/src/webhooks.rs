//! Webhooks: the events the PSP tells a merchant's server, signed per Standard Webhooks,
//! and the merchant API that manages endpoints and reads the event log.
//!
//! The body of every delivery is an [`Event`]; its `id` is also the `webhook-id` header,
//! so a receiver dedupes by either.

use serde::{Deserialize, Serialize};

use crate::merchant::MerchantPayment;
use crate::{EndpointId, EventId, PaymentId};

/// What happened to a payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum EventType {
    /// The card is charged (reserved): fulfil the order.
    #[serde(rename = "payment.authorised")]
    Authorised,
    /// One attempt was declined or failed; `payment.failure` says why. The shopper may try again.
    #[serde(rename = "payment.failed")]
    Failed,
    #[serde(rename = "payment.cancelled")]
    Cancelled,
    #[serde(rename = "payment.expired")]
    Expired,
    /// A capture (perhaps partial): `amount` is this capture's.
    #[serde(rename = "payment.captured")]
    Captured,
    /// A refund (perhaps partial): `amount` is this refund's.
    #[serde(rename = "payment.refunded")]
    Refunded,
}

impl EventType {
    pub const ALL: [Self; 6] = [
        Self::Authorised,
        Self::Failed,
        Self::Cancelled,
        Self::Expired,
        Self::Captured,
        Self::Refunded,
    ];

    /// The wire name, e.g. `payment.authorised`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Authorised => "payment.authorised",
            Self::Failed => "payment.failed",
            Self::Cancelled => "payment.cancelled",
            Self::Expired => "payment.expired",
            Self::Captured => "payment.captured",
            Self::Refunded => "payment.refunded",
        }
    }
}

impl std::str::FromStr for EventType {
    type Err = UnknownEventType;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|t| t.as_str() == s)
            .ok_or(UnknownEventType)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not an event type")]
pub struct UnknownEventType;

/// One event, as delivered (the request body) and as `GET /v1/events/{id}` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Event {
    pub id: EventId,
    #[serde(rename = "type")]
    pub kind: EventType,
    /// Unix seconds.
    pub created: i64,
    /// 1, 2, 3, … per payment in the order things happened: a receiver that has seen a
    /// higher number for this payment may drop this one as stale.
    pub sequence: i64,
    /// The amount this event is about, in øre: a capture's or refund's own amount; the
    /// payment's amount otherwise.
    pub amount: u32,
    /// The payment as `GET /v1/payments/{id}` showed it right after this event.
    pub payment: MerchantPayment,
}

/// A webhook endpoint's address: an absolute `http(s)` URL of at most 2048 characters.
/// Which hosts it may reach is decided when connecting (private addresses are refused
/// unless the PSP allows them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct EndpointUrl(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("url must be an absolute http(s) URL of at most 2048 characters, without credentials")]
pub struct EndpointUrlError;

impl EndpointUrl {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for EndpointUrl {
    type Error = EndpointUrlError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        let rest = value
            .strip_prefix("https://")
            .or_else(|| value.strip_prefix("http://"))
            .ok_or(EndpointUrlError)?;
        let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
        let clean = !value
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "\"'<>`\\".contains(c));
        if !authority.is_empty() && !authority.contains('@') && clean && value.len() <= 2048 {
            Ok(Self(value))
        } else {
            Err(EndpointUrlError)
        }
    }
}

impl From<EndpointUrl> for String {
    fn from(value: EndpointUrl) -> Self {
        value.0
    }
}

/// `POST /v1/webhook-endpoints`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateEndpoint {
    pub url: EndpointUrl,
    /// Which events to send; all when left out.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(min_items = 1))]
    pub events: Option<Vec<EventType>>,
}

/// An endpoint as listed: never its secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Endpoint {
    pub id: EndpointId,
    pub url: EndpointUrl,
    pub events: Vec<EventType>,
    pub created_at: i64,
    /// Until when the previous secret still signs beside the current one (after a rotation).
    pub previous_secret_expires_at: Option<i64>,
}

/// A new endpoint, or one whose secret was just rotated: the only time the secret is shown.
/// `Debug` leaves the secret out.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EndpointWithSecret {
    #[serde(flatten)]
    pub endpoint: Endpoint,
    /// `whsec_…` (Standard Webhooks): verify each delivery with it.
    pub secret: String,
}

impl std::fmt::Debug for EndpointWithSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EndpointWithSecret")
            .field("endpoint", &self.endpoint)
            .field("secret", &"***")
            .finish()
    }
}

/// `POST /v1/webhook-endpoints/{id}/rotate-secret`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RotateSecret {
    /// How long the old secret keeps signing beside the new one (default 24 h, at most 7 days).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(maximum = 604_800))]
    pub grace_seconds: Option<u32>,
}

/// Where one event stands at one endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum DeliveryState {
    /// Not yet answered 2xx; retried with back-off.
    Pending,
    Delivered,
    /// Retried for the whole retry window without a 2xx; redeliver to try again.
    Failed,
}

/// One try at delivering an event to an endpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeliveryAttempt {
    /// Unix milliseconds.
    pub at_ms: i64,
    /// The endpoint's HTTP status, when it answered.
    pub http_status: Option<u16>,
    pub duration_ms: i64,
    /// Why it failed without an answer (timeout, refused, not allowed).
    pub error: Option<String>,
}

/// One event's delivery to one endpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Delivery {
    pub endpoint_id: EndpointId,
    pub state: DeliveryState,
    pub attempts: Vec<DeliveryAttempt>,
    /// Unix milliseconds of the next try, while pending.
    pub next_attempt_at_ms: Option<i64>,
}

/// `GET /v1/events/{id}`: the event and every delivery attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EventWithDeliveries {
    #[serde(flatten)]
    pub event: Event,
    pub deliveries: Vec<Delivery>,
}

/// `GET /v1/events?payment=…`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventQuery {
    #[serde(default)]
    pub payment: Option<PaymentId>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_types_have_their_dotted_names_on_the_wire() {
        for kind in EventType::ALL {
            let json = serde_json::to_string(&kind).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", kind.as_str()));
            assert_eq!(kind.as_str().parse(), Ok(kind));
        }
    }

    #[test]
    fn a_shown_secret_stays_out_of_debug_output() {
        let Ok(url) = EndpointUrl::try_from("https://shop.example/hooks".to_owned()) else {
            unreachable!()
        };
        let shown = EndpointWithSecret {
            endpoint: Endpoint {
                id: EndpointId::from_random([1; 16]),
                url,
                events: EventType::ALL.to_vec(),
                created_at: 0,
                previous_secret_expires_at: None,
            },
            secret: "whsec_c2VjcmV0".to_owned(),
        };
        assert!(!format!("{shown:?}").contains("c2VjcmV0"));
    }

    #[test]
    fn endpoint_urls_are_http_without_credentials() {
        for good in [
            "https://shop.example/hooks",
            "http://localhost:4002/webhooks",
        ] {
            assert!(EndpointUrl::try_from(good.to_owned()).is_ok(), "{good}");
        }
        for bad in [
            "ftp://x/",
            "https://",
            "https://user:pw@shop.example/",
            "https://a b/",
            "/hooks",
            "file:///etc/passwd",
        ] {
            assert!(EndpointUrl::try_from(bad.to_owned()).is_err(), "{bad}");
        }
    }
}
