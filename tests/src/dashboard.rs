//! The merchant dashboard's session, driven over HTTP: a user made as the admin command
//! makes them, signing in, and requests that carry the cookie and the CSRF token.

use reqwest::header::{COOKIE, SET_COOKIE};
use serde_json::json;
use shared::MerchantId;
use shared::dashboard::{CSRF_HEADER, SESSION_COOKIE, Session};

use crate::{TestApp, TestResult, expect_json};

/// A signed-in browser, as far as the backend can tell.
pub struct SignedIn {
    pub session: Session,
    /// The `Set-Cookie` the sign-in answered with, whole.
    pub set_cookie: String,
    /// `psp_session=…`, as a browser sends it back.
    pub cookie: String,
}

impl SignedIn {
    /// `method path` with the session's cookie and CSRF token.
    pub fn request(
        &self,
        app: &TestApp,
        method: reqwest::Method,
        path: &str,
    ) -> reqwest::RequestBuilder {
        app.http
            .request(method, format!("{}{path}", app.backend_url))
            .header(COOKIE, &self.cookie)
            .header(CSRF_HEADER, &self.session.csrf_token)
    }
}

impl TestApp {
    /// A dashboard user `email` with `password` for the merchant of `key`, created as
    /// `backend dashboard-users create` creates one. Returns the merchant.
    pub async fn dashboard_user(
        &self,
        key: &str,
        email: &str,
        password: &str,
    ) -> TestResult<MerchantId> {
        let url = backend::data_dir::database_url(self.data_dir(), self.database_url())
            .map_err(|e| e.to_string())?;
        let pool = backend::database::open(&url)
            .await
            .map_err(|e| e.to_string())?;
        let merchant = backend::merchants::MerchantStore::new(pool.clone())
            .authenticate(key)
            .await
            .map_err(|e| e.to_string())?
            .ok_or("no merchant has this key")?
            .merchant
            .id;
        backend::dashboard::UserStore::new(pool.clone())
            .create(
                &merchant,
                email.parse().map_err(|e| format!("{e}"))?,
                password.to_owned().try_into().map_err(|e| format!("{e}"))?,
            )
            .await
            .map_err(|e| e.to_string())?;
        pool.close().await;
        Ok(merchant)
    }

    /// `POST /dashboard/api/session`.
    pub async fn sign_in(&self, email: &str, password: &str) -> TestResult<reqwest::Response> {
        self.http
            .post(format!("{}/dashboard/api/session", self.backend_url))
            .json(&json!({ "email": email, "password": password }))
            .send()
            .await
            .map_err(|e| e.to_string())
    }

    /// Signs in, which must succeed.
    pub async fn signed_in(&self, email: &str, password: &str) -> TestResult<SignedIn> {
        let response = self.sign_in(email, password).await?;
        let set_cookie = response
            .headers()
            .get(SET_COOKIE)
            .and_then(|v| v.to_str().ok())
            .ok_or("sign-in set no cookie")?
            .to_owned();
        let cookie = set_cookie
            .split(';')
            .next()
            .filter(|pair| pair.starts_with(&format!("{SESSION_COOKIE}=")))
            .ok_or_else(|| format!("not the session cookie: {set_cookie}"))?
            .to_owned();
        let session = expect_json(response, 200).await?;
        Ok(SignedIn {
            session,
            set_cookie,
            cookie,
        })
    }
}
