//! OpenAPI schemas written by hand where a derive cannot state the parser's rule: ids and
//! order ids with their exact pattern, amounts with their bounds. Where the parser's rule
//! is not a regular expression (it trims, or counts bytes), the schema states only what
//! holds either way and the description says the rest: a schema stricter than the parser
//! would call valid requests invalid, which schemathesis's negative tests catch. Only
//! with the `openapi` feature (the backend's `/v1/openapi.json`).

use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, Schema, SchemaFormat, Type};

use crate::account::{DisplayName, Msn};
use crate::amount::Amount;
use crate::ids::{ApiKeyId, EndpointId, EventId, MerchantId, MerchantOrderId, PaymentId};
use crate::merchant::{Description, ReturnUrl};
use crate::mobile_number::MobileNumber;
use crate::webhooks::EndpointUrl;

fn pattern(pattern: &str, description: &str, example: &str) -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .pattern(Some(pattern))
        .description(Some(description))
        .examples([example])
        .into()
}

macro_rules! patterned {
    ($ty:ty, $pattern:literal, $description:literal, $example:literal) => {
        impl utoipa::PartialSchema for $ty {
            fn schema() -> RefOr<Schema> {
                pattern($pattern, $description, $example)
            }
        }
        impl utoipa::ToSchema for $ty {}
    };
}

patterned!(
    PaymentId,
    "^pay_[0-9a-f]{32}$",
    "Our id for a payment.",
    "pay_3f1c0a9e5b7d4c2a8e6f1b0d9c7a5e3f"
);
patterned!(
    MerchantId,
    "^mer_[0-9a-f]{32}$",
    "A merchant account.",
    "mer_0d9c7a5e3f3f1c0a9e5b7d4c2a8e6f1b"
);
patterned!(
    ApiKeyId,
    "^key_[0-9a-f]{32}$",
    "One of a merchant's API keys (the key itself is secret; this names it).",
    "key_7d4c2a8e6f1b0d9c7a5e3f3f1c0a9e5b"
);
patterned!(
    EndpointId,
    "^we_[0-9a-f]{32}$",
    "One of a merchant's webhook endpoints.",
    "we_c2a8e6f1b0d9c7a5e3f3f1c0a9e5b7d4"
);
patterned!(
    EventId,
    "^evt_[0-9a-f]{32}$",
    "One event told to a merchant's webhook endpoints (also the `webhook-id` header).",
    "evt_a5e3f3f1c0a9e5b7d4c2a8e6f1b0d9c7"
);
patterned!(
    MerchantOrderId,
    "^[A-Za-z0-9]{1,30}$",
    "The merchant's own reference, unique per merchant; sent to Vipps as `merchantOrderId`.",
    "order1042"
);

patterned!(
    Msn,
    "^[0-9]{6}$",
    "A Vipps merchant serial number: the merchant's sales unit at Vipps.",
    "123456"
);

impl utoipa::PartialSchema for MobileNumber {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .min_length(Some(1))
            .description(Some(
                "A Norwegian mobile number: 8 digits starting with 4 or 9; spaces, dashes and a +47 or 0047 prefix are allowed.",
            ))
            .examples(["912 34 567", "+47 41234567"])
            .into()
    }
}
impl utoipa::ToSchema for MobileNumber {}

/// An http(s) URL. The parser's rules (a host, no spaces, quotes or control characters, at
/// most 2048 bytes) are in the description: a pattern stricter or looser than the parser
/// would contradict the server, and a property-based test would find it.
fn url(description: &str, example: &str) -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .max_length(Some(2048))
        .pattern(Some("^https?://"))
        .description(Some(description))
        .examples([example])
        .into()
}

impl utoipa::PartialSchema for ReturnUrl {
    fn schema() -> RefOr<Schema> {
        url(
            "The page the shopper returns to from Vipps's app (phone flow): http or https, a host starting with a letter or digit, no spaces, quotes or control characters, at most 2048 bytes.",
            "https://shop.example/orders/1042",
        )
    }
}
impl utoipa::ToSchema for ReturnUrl {}

impl utoipa::PartialSchema for EndpointUrl {
    fn schema() -> RefOr<Schema> {
        url(
            "Where webhooks are POSTed: https (http only in the sandbox, or to loopback); a host, no credentials, spaces, quotes or control characters; at most 2048 bytes.",
            "https://shop.example/webhooks/psp",
        )
    }
}
impl utoipa::ToSchema for EndpointUrl {}

/// Text people read. The parser trims it, then wants 1 to 100 characters and no control
/// characters; only what no trimming changes is a schema rule (at least one character).
fn text(description: &str, example: &str) -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .min_length(Some(1))
        .description(Some(description))
        .examples([example])
        .into()
}

impl utoipa::PartialSchema for Description {
    fn schema() -> RefOr<Schema> {
        text(
            "What the shopper is paying for, shown at Vipps.",
            "Vipps socks, 2 pairs",
        )
    }
}
impl utoipa::ToSchema for Description {}

impl utoipa::PartialSchema for DisplayName {
    fn schema() -> RefOr<Schema> {
        text(
            "A name people read: a merchant's, or an API key's.",
            "production",
        )
    }
}
impl utoipa::ToSchema for DisplayName {}

impl utoipa::PartialSchema for Amount {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::Integer)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int32)))
            .minimum(Some(1))
            .maximum(Some(Amount::MAX_ORE))
            .description(Some("An amount in øre (1/100 NOK)."))
            .examples([29_900])
            .into()
    }
}
impl utoipa::ToSchema for Amount {}
