//! `POST /accesstoken/get`: an opaque bearer token for the client credentials.

use std::time::Instant;

use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use serde::Serialize;
use shared::vipps::{AccessToken, TokenLifetime};

use crate::app::AppState;
use crate::auth;
use crate::clock;
use crate::vipps_error::VippsErrors;

/// The whole answer as Vipps's token service gives it: what a PSP reads plus the fields
/// no PSP needs, which the simulator sends so clients are tested against them.
#[derive(Serialize)]
pub struct TokenAnswer {
    #[serde(flatten)]
    token: AccessToken,
    ext_expires_in: String,
    not_before: String,
    expires_on: String,
    resource: String,
}

/// What Azure AD puts in `resource` for Vipps tokens.
const RESOURCE: &str = "00000002-0000-0000-c000-000000000000";

pub async fn access_token(
    State(app): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<TokenAnswer>, VippsErrors> {
    auth::check_client_credentials(&app.config, &headers)?;
    let ttl = app.config.token_ttl;
    let token = app
        .tokens
        .lock()
        .await
        .issue(ttl, Instant::now())
        .map_err(|err| {
            tracing::error!(%err, "cannot issue an access token");
            VippsErrors::internal("Internal error")
        })?;
    let now = clock::now_unix();
    let seconds = ttl.as_secs();
    let expires_on = now.saturating_add(i64::try_from(seconds).unwrap_or(i64::MAX));
    Ok(Json(TokenAnswer {
        token: AccessToken {
            token_type: Some("Bearer".to_owned()),
            access_token: token,
            expires_in: TokenLifetime::from_secs(seconds),
        },
        ext_expires_in: seconds.to_string(),
        not_before: now.to_string(),
        expires_on: expires_on.to_string(),
        resource: RESOURCE.to_owned(),
    }))
}
