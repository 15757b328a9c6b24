//! Merchant accounts: the records (name, Vipps MSN, origins, language, look, status),
//! their API keys (hashes only) and the merchant the backend's environment describes.
//! The operator creates merchants (admin command or operator API); every merchant API
//! call is scoped to the merchant whose key it carries.

mod api_keys;
mod bootstrap;
mod store;

pub use api_keys::{Authenticated, Credential, KEY_PREFIX};
pub use bootstrap::ensure_environment_merchant;
pub use store::MerchantStore;

use shared::MerchantId;

#[derive(Debug, thiserror::Error)]
pub enum MerchantError {
    #[error("no such merchant")]
    NotFound,
    #[error("no such API key")]
    KeyNotFound,
    #[error("another merchant already has this MSN")]
    DuplicateMsn,
    #[error("a stored merchant is unreadable: {0}")]
    Corrupt(String),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Key(#[from] crate::keys::KeyError),
}

/// A new merchant id.
pub fn new_id() -> Result<MerchantId, MerchantError> {
    Ok(MerchantId::from_random(crate::keys::random_bytes()?))
}
