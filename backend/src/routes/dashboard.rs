//! The merchant dashboard: its page and files at `/dashboard/`, and its session at
//! `/dashboard/api/session` (sign in, who am I, sign out). Everything else it does goes
//! to the merchant API with the session's cookie and CSRF token (`extract::credentials`).

use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use cookie::{Cookie, SameSite};
use shared::dashboard::{CSRF_HEADER, Email, SignIn};
use subtle::ConstantTimeEq;
use tower::ServiceExt;

use super::extract::{Json, Peer, session_cookie};
use super::{csp, widget};
use crate::app::AppState;
use crate::dashboard::{DashboardError, SESSION_TTL};
use crate::error::ApiError;
use crate::rate_limit::client_key;

/// `POST /dashboard/api/session`: signs in. A wrong email or password, or a user or
/// merchant that may not sign in, is 401 with one and the same message.
pub async fn sign_in(
    State(state): State<AppState>,
    Peer(peer): Peer,
    Json(request): Json<SignIn>,
) -> Result<Response, ApiError> {
    let limits = &state.limits;
    limits
        .sign_in_clients
        .check(&client_key(peer))
        .map_err(ApiError::RateLimited)?;
    // Counted by the address as it is stored; whatever is no address counts as one.
    let counted = request
        .email
        .parse::<Email>()
        .map_or_else(|_| String::new(), String::from);
    limits
        .sign_ins
        .check(&counted)
        .map_err(ApiError::RateLimited)?;
    let signed_in = match state
        .sessions
        .sign_in(&request.email, request.password)
        .await
    {
        Ok(signed_in) => signed_in,
        Err(DashboardError::Busy) => return Err(ApiError::RateLimited(Duration::from_secs(1))),
        Err(error) => return Err(error.into()),
    };
    let max_age = i64::try_from(SESSION_TTL.as_secs()).unwrap_or(i64::MAX);
    let cookie = session_cookie_header(&state, signed_in.token, max_age);
    Ok((
        [(SET_COOKIE, cookie), (CACHE_CONTROL, no_store())],
        Json(signed_in.session),
    )
        .into_response())
}

/// The session's answers carry its CSRF token: no cache keeps them.
fn no_store() -> HeaderValue {
    HeaderValue::from_static("no-store")
}

/// `GET /dashboard/api/session`: the signed-in user, their merchant and the CSRF token;
/// 401 without a live session.
pub async fn session(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let name = state.sessions.cookie_name();
    let token = session_cookie(&headers, name).ok_or(ApiError::Unauthorized)?;
    let found = state.sessions.find(&token).await?;
    let session = found.ok_or(ApiError::Unauthorized)?.session;
    Ok(([(CACHE_CONTROL, no_store())], Json(session)).into_response())
}

/// `DELETE /dashboard/api/session`: signs out (the session's CSRF token required, so
/// that no other page can sign a user out) and clears the cookie.
pub async fn sign_out(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let name = state.sessions.cookie_name();
    let token = session_cookie(&headers, name).ok_or(ApiError::Unauthorized)?;
    let found = state
        .sessions
        .find(&token)
        .await?
        .ok_or(ApiError::Unauthorized)?;
    let csrf = headers.get(CSRF_HEADER).map(HeaderValue::as_bytes);
    let expected = found.session.csrf_token.as_bytes();
    if !csrf.is_some_and(|csrf| bool::from(csrf.ct_eq(expected))) {
        return Err(ApiError::Unauthorized);
    }
    state.sessions.sign_out(&token).await?;
    let cleared = session_cookie_header(&state, String::new(), 0);
    Ok((StatusCode::NO_CONTENT, [(SET_COOKIE, cleared)]).into_response())
}

/// The session cookie: HttpOnly, SameSite=Strict, for the whole origin; over HTTPS also
/// Secure and `__Host-` named.
fn session_cookie_header(state: &AppState, token: String, max_age: i64) -> HeaderValue {
    let sessions = &state.sessions;
    let cookie = Cookie::build((sessions.cookie_name(), token))
        .http_only(true)
        .same_site(SameSite::Strict)
        .path("/")
        .secure(sessions.secure())
        .max_age(cookie::time::Duration::seconds(max_age))
        .build();
    HeaderValue::from_str(&cookie.to_string()).unwrap_or(HeaderValue::from_static(""))
}

/// Everything else under `/dashboard`: a built file (a name with an extension), or else
/// the page, whatever the path (the dashboard routes in the browser).
pub async fn page_or_file(State(state): State<AppState>, request: Request) -> Response {
    let path = request.uri().path();
    if path == "/dashboard" {
        return Redirect::permanent("/dashboard/").into_response();
    }
    let inside = path.strip_prefix("/dashboard").unwrap_or(path);
    if inside.starts_with("/api/") {
        return (StatusCode::NOT_FOUND, "no such dashboard call").into_response();
    }
    let dir = &state.config.dashboard_dir;
    let last = inside.rsplit('/').next().unwrap_or_default();
    if last.contains('.') {
        let Ok(uri) = inside.parse::<axum::http::Uri>() else {
            return StatusCode::NOT_FOUND.into_response();
        };
        let (mut parts, body) = request.into_parts();
        parts.uri = uri;
        let files = widget::files(dir, &state.config.csp_report_uri);
        return match files.oneshot(Request::from_parts(parts, body)).await {
            Ok(response) => response.into_response(),
            Err(never) => match never {},
        };
    }
    match tokio::fs::read_to_string(dir.join("index.html")).await {
        Ok(html) => {
            let policy = csp::dashboard_page(&html, &state.config.csp_report_uri);
            let mut response = (
                [(
                    CONTENT_TYPE,
                    HeaderValue::from_static("text/html; charset=utf-8"),
                )],
                html,
            )
                .into_response();
            response
                .headers_mut()
                .extend(widget::security_headers(&policy));
            response
        }
        Err(error) => {
            tracing::debug!(dir = %dir.display(), %error, "the dashboard is not built");
            (
                StatusCode::NOT_FOUND,
                "The dashboard is not built: run `cargo xtask demo` (or `cargo xtask dev`).",
            )
                .into_response()
        }
    }
}
