//! Dashboard sessions. Signing in makes a random 256-bit token (the cookie's value; only
//! its SHA-256 is stored) and a CSRF token (sent back by the page in `x-csrf-token`). A
//! session lasts [`SESSION_TTL`] from sign-in, ends at sign-out, and authenticates
//! nothing once its user is disabled or its merchant is not active. Every instance reads
//! the same table, so a session works whichever instance a request reaches.

use std::sync::Arc;
use std::time::Duration;

use shared::account::MerchantStatus;
use shared::dashboard::{Email, SECURE_SESSION_COOKIE, SESSION_COOKIE, Session, SessionMerchant};
use sqlx::Row;
use subtle::ConstantTimeEq;
use tokio::sync::Semaphore;

use super::users::UserStore;
use super::{DashboardError, passwords};
use crate::database::Pool;
use crate::keys;
use crate::merchants::{Authenticated, Credential, MerchantError, MerchantStore};
use crate::payments::now_unix;

/// How long a session lasts from sign-in.
pub const SESSION_TTL: Duration = Duration::from_secs(8 * 60 * 60);

#[derive(Clone)]
pub struct SessionStore {
    pool: Pool,
    users: UserStore,
    merchants: MerchantStore,
    /// Served over HTTPS: the cookie is `Secure` and `__Host-` named.
    secure: bool,
    /// Sign-ins hashing at once: each takes 19 MiB and a core for a while, so a flood of
    /// them is refused (429) rather than queued on the blocking pool.
    hashing: Arc<Semaphore>,
}

/// A new session: what the page is told, and the cookie's token (never stored).
pub struct SignedIn {
    pub session: Session,
    pub token: String,
}

/// A live session found by its cookie: the page's view of it and the merchant it acts for.
pub struct Found {
    pub session: Session,
    pub authenticated: Authenticated,
}

impl SessionStore {
    pub fn new(pool: Pool, merchants: MerchantStore, secure: bool) -> Self {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        Self {
            users: UserStore::new(pool.clone()),
            pool,
            merchants,
            secure,
            hashing: Arc::new(Semaphore::new(cores.saturating_mul(2))),
        }
    }

    /// Whether the cookie is `Secure` (we are served over HTTPS).
    pub fn secure(&self) -> bool {
        self.secure
    }

    /// The session cookie's name: `__Host-psp_session` over HTTPS, `psp_session` else.
    pub fn cookie_name(&self) -> &'static str {
        if self.secure {
            SECURE_SESSION_COOKIE
        } else {
            SESSION_COOKIE
        }
    }

    pub fn users(&self) -> &UserStore {
        &self.users
    }

    /// A new session for the user `email` names, if `password` is theirs and their
    /// merchant is active. Every other case is [`DashboardError::WrongCredentials`],
    /// after the same password work.
    pub async fn sign_in(&self, email: &str, password: String) -> Result<SignedIn, DashboardError> {
        let credentials = match email.parse::<Email>() {
            Ok(email) => self.users.credentials(&email).await?,
            Err(_) => None,
        };
        let stored = credentials.as_ref().map(|c| c.password_hash.clone());
        let _hashing = self
            .hashing
            .clone()
            .try_acquire_owned()
            .map_err(|_| DashboardError::Busy)?;
        if !passwords::verify(password, stored).await? {
            return Err(DashboardError::WrongCredentials);
        }
        let credentials = credentials.ok_or(DashboardError::WrongCredentials)?;
        let merchant = self.active_merchant(&credentials.merchant).await?;
        let merchant = merchant.ok_or(DashboardError::WrongCredentials)?;
        let token = keys::random_hex::<32>()?;
        let csrf_token = keys::random_hex::<32>()?;
        let now = now_unix();
        let ttl = i64::try_from(SESSION_TTL.as_secs()).unwrap_or(i64::MAX);
        let expires_at = now.saturating_add(ttl);
        sqlx::query("DELETE FROM dashboard_sessions WHERE expires_at <= $1")
            .bind(now)
            .execute(&self.pool)
            .await?;
        sqlx::query(
            "INSERT INTO dashboard_sessions (token_hash, user_id, csrf_token, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(keys::secret_hash(&token))
        .bind(credentials.user.id.as_str())
        .bind(&csrf_token)
        .bind(now)
        .bind(expires_at)
        .execute(&self.pool)
        .await?;
        tracing::info!(user = %credentials.user.id, merchant = %merchant.id, "dashboard sign-in");
        Ok(SignedIn {
            session: Session {
                user: credentials.user,
                merchant: SessionMerchant {
                    id: merchant.id,
                    name: merchant.name.as_str().to_owned(),
                },
                csrf_token,
                expires_at,
            },
            token,
        })
    }

    /// The live session whose cookie token is `token`; `None` for an unknown, expired or
    /// ended one, a disabled user's, or a merchant's that is not active.
    pub async fn find(&self, token: &str) -> Result<Option<Found>, DashboardError> {
        let hash = keys::secret_hash(token);
        let row = sqlx::query(
            "SELECT s.token_hash, s.csrf_token, s.expires_at, u.id, u.email, u.merchant_id
             FROM dashboard_sessions s JOIN dashboard_users u ON u.id = s.user_id
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.disabled_at IS NULL",
        )
        .bind(&hash)
        .bind(now_unix())
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let stored: Vec<u8> = row.try_get("token_hash")?;
        if !bool::from(stored.ct_eq(&hash)) {
            return Ok(None);
        }
        let corrupt = |e: &dyn std::fmt::Display| DashboardError::Corrupt(e.to_string());
        let merchant_id: shared::MerchantId = row
            .try_get::<String, _>("merchant_id")?
            .parse()
            .map_err(|e| corrupt(&e))?;
        let Some(merchant) = self.active_merchant(&merchant_id).await? else {
            return Ok(None);
        };
        let user = shared::dashboard::DashboardUser {
            id: row
                .try_get::<String, _>("id")?
                .parse()
                .map_err(|e| corrupt(&e))?,
            email: row
                .try_get::<String, _>("email")?
                .parse()
                .map_err(|e| corrupt(&e))?,
        };
        Ok(Some(Found {
            session: Session {
                user: user.clone(),
                merchant: SessionMerchant {
                    id: merchant.id.clone(),
                    name: merchant.name.as_str().to_owned(),
                },
                csrf_token: row.try_get("csrf_token")?,
                expires_at: row.try_get("expires_at")?,
            },
            authenticated: Authenticated {
                merchant,
                credential: Credential::Session(user.id),
            },
        }))
    }

    /// The merchant a session acts for, when its cookie token is `token` and `csrf` is
    /// its CSRF token (compared in constant time).
    pub async fn authenticate(
        &self,
        token: &str,
        csrf: Option<&str>,
    ) -> Result<Option<Authenticated>, DashboardError> {
        let Some(found) = self.find(token).await? else {
            return Ok(None);
        };
        let expected = found.session.csrf_token.as_bytes();
        let matches = csrf.is_some_and(|csrf| bool::from(csrf.as_bytes().ct_eq(expected)));
        Ok(matches.then_some(found.authenticated))
    }

    /// Ends the session whose cookie token is `token`, if any.
    pub async fn sign_out(&self, token: &str) -> Result<(), DashboardError> {
        sqlx::query("DELETE FROM dashboard_sessions WHERE token_hash = $1")
            .bind(keys::secret_hash(token))
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn active_merchant(
        &self,
        id: &shared::MerchantId,
    ) -> Result<Option<shared::account::Merchant>, DashboardError> {
        match self.merchants.get(id).await {
            Ok(merchant) if merchant.status == MerchantStatus::Active => Ok(Some(merchant)),
            Ok(_) | Err(MerchantError::NotFound) => Ok(None),
            Err(MerchantError::Database(e)) => Err(e.into()),
            Err(e) => Err(DashboardError::Corrupt(e.to_string())),
        }
    }
}
