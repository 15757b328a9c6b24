//! The OpenAPI 3.1 document of the merchant API, the widget API and health, built from
//! the handlers' own `#[utoipa::path]` annotations and the wire types' schemas (shared's
//! `openapi` feature), served at `GET /v1/openapi.json`. `docs/openapi.json` is the
//! committed copy a test holds it to, so that a change to the API shows in review.

use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::IntoResponse;
use utoipa::openapi::schema::{Schema, SchemaType, Type};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{RefOr, Required};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Vipps PSP",
        description = "Take Vipps payments through a PSP: the merchant API (payments, API keys, webhooks) a merchant's server calls with its secret key, and the widget API the checkout widget calls with a payment's client secret. Amounts are integer øre. Every error is `{code, message, param?}`: a stable code, a sentence, and the field at fault when one is.",
        license(name = "MIT OR Apache-2.0", identifier = "MIT OR Apache-2.0"),
    ),
    paths(
        super::merchant::create,
        super::merchant::list,
        super::merchant::get,
        super::merchant::timeline,
        super::merchant::capture,
        super::merchant::refund,
        super::merchant::cancel,
        super::merchant::dead_updates,
        super::api_keys::create,
        super::api_keys::list,
        super::api_keys::revoke,
        super::webhooks::create_endpoint,
        super::webhooks::list_endpoints,
        super::webhooks::delete_endpoint,
        super::webhooks::rotate_secret,
        super::webhooks::list_events,
        super::webhooks::get_event,
        super::webhooks::redeliver,
        super::checkout::get,
        super::checkout::start,
        super::checkout::cancel,
        super::qr::qr,
        super::health::live,
        super::health::ready,
    ),
    components(schemas(crate::idempotency::IdempotencyKey)),
    modifiers(&Security, &OptionalBodies),
    tags(
        (name = "payments", description = "Create a payment for the widget; capture, refund or cancel it."),
        (name = "api keys", description = "The merchant's secret keys: several may live at once, for rotation."),
        (name = "webhooks", description = "Endpoints told of every outcome, signed (Standard Webhooks), and the event log."),
        (name = "widget", description = "What the checkout widget calls, with the payment's client secret."),
        (name = "health", description = "For load balancers and orchestrators."),
    ),
)]
pub struct ApiDoc;

/// The two credentials: a merchant's secret key (Bearer) and a payment's client secret.
struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "merchant_key",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "The merchant's secret API key, `sk_test_…` or `sk_live_…`.",
                    ))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "client_secret",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                shared::checkout::CLIENT_SECRET_HEADER,
                "The payment's client secret (`cs_…`), as create answered it to the merchant.",
            ))),
        );
    }
}

/// A body the handler reads with `JsonOrEmpty` is annotated `Option<T>`: the request may
/// come without one. utoipa writes that as `oneOf: [T, null]`, which would invite a JSON
/// `null`; the body becomes `T`, and not required.
struct OptionalBodies;

impl Modify for OptionalBodies {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for item in openapi.paths.paths.values_mut() {
            let operations = [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
            ];
            for operation in operations.into_iter().flatten() {
                let Some(RefOr::T(body)) = operation.request_body.as_mut() else {
                    continue;
                };
                let mut optional = false;
                for content in body.content.values_mut() {
                    let RefOr::T(content) = content else { continue };
                    let Some(RefOr::T(Schema::OneOf(one_of))) = &content.schema else {
                        continue;
                    };
                    let mut present = one_of.items.iter().filter(|schema| !is_null(schema));
                    if let (Some(only), None) = (present.next(), present.next()) {
                        content.schema = Some(only.clone());
                        optional = true;
                    }
                }
                if optional {
                    body.required = Some(Required::False);
                }
            }
        }
    }
}

fn is_null(schema: &RefOr<Schema>) -> bool {
    matches!(schema, RefOr::T(Schema::Object(object)) if object.schema_type == SchemaType::Type(Type::Null))
}

/// The document as JSON, pretty-printed as committed.
pub fn document() -> Result<String, serde_json::Error> {
    ApiDoc::openapi().to_pretty_json().map(|mut json| {
        json.push('\n');
        json
    })
}

pub async fn serve() -> axum::response::Response {
    match document() {
        Ok(json) => (
            [
                (CONTENT_TYPE, "application/json"),
                (CACHE_CONTROL, "no-cache"),
            ],
            json,
        )
            .into_response(),
        Err(error) => {
            tracing::error!(%error, "cannot write the OpenAPI document");
            axum::http::StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
