//! The merchant dashboard's people and sessions. A dashboard user belongs to one merchant
//! and signs in with an email and a password (argon2id, [`passwords`]); a session is a
//! random token in an HttpOnly, SameSite=Strict cookie, kept as its SHA-256 only, with a
//! CSRF token the page sends back in a header ([`sessions`]). A session stands in for a
//! secret key on the merchant API: the same handlers, rules and idempotency.

pub mod bootstrap;
pub mod passwords;
pub mod sessions;
pub mod users;

pub use sessions::{SESSION_TTL, SessionStore, SignedIn};
pub use users::UserStore;

#[derive(Debug, thiserror::Error)]
pub enum DashboardError {
    /// Any wrong email, password or disabled user: one answer for all.
    #[error("wrong email or password")]
    WrongCredentials,
    #[error("a dashboard user with this email exists already")]
    EmailTaken,
    #[error("no such merchant")]
    NoSuchMerchant,
    /// As many sign-ins as we hash at once are being hashed.
    #[error("too many sign-ins at once; retry in a second")]
    Busy,
    #[error("a stored dashboard record is unreadable: {0}")]
    Corrupt(String),
    #[error("password hashing failed: {0}")]
    Hashing(String),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Key(#[from] crate::keys::KeyError),
}
