//! The sandbox's dashboard user: so that the dashboard can be tried with nothing set up,
//! a sandbox backend makes [`SANDBOX_EMAIL`] a user of the environment's merchant at its
//! first start, with a password generated into `data/dashboard-password`. Production
//! mode makes no user: there, the operator creates them (`backend dashboard-users`).

use std::path::Path;

use secrecy::ExposeSecret;
use shared::MerchantId;
use shared::dashboard::{Email, NewPassword};

use super::{DashboardError, UserStore};

/// The sandbox user's sign-in name.
pub const SANDBOX_EMAIL: &str = shared::sandbox::DASHBOARD_EMAIL;

/// Makes the sandbox user for `merchant` unless a user with that email exists.
pub async fn ensure_sandbox_user(
    users: &UserStore,
    merchant: &MerchantId,
    data_dir: &Path,
) -> Result<(), DashboardError> {
    let email: Email = SANDBOX_EMAIL
        .parse()
        .map_err(|e: shared::dashboard::EmailError| DashboardError::Corrupt(e.to_string()))?;
    if users.credentials(&email).await?.is_some() {
        return Ok(());
    }
    let password = crate::keys::load_or_create_dashboard_password(data_dir)?;
    let password = NewPassword::try_from(password.expose_secret().to_owned())
        .map_err(|e| DashboardError::Corrupt(format!("data/dashboard-password: {e}")))?;
    match users.create(merchant, email, password).await {
        // Another instance, starting at the same moment, made it.
        Ok(_) | Err(DashboardError::EmailTaken) => Ok(()),
        Err(error) => Err(error),
    }
}
