//! The merchant the backend's environment describes (`VIPPS_MSN`, `MERCHANT_NAME`,
//! `MERCHANT_ALLOWED_ORIGINS`, `MERCHANT_API_KEY` or `data/merchant-key`): created at the
//! first start when no merchant has its MSN, so the sandbox runs with nothing set up.
//! After that the record is the truth: the operator changes it, not the environment.

use secrecy::{ExposeSecret, SecretString};
use shared::MerchantId;
use shared::account::{CreateMerchant, Origin};

use super::{MerchantError, MerchantStore, new_id};
use crate::config::MerchantConfig;

/// The environment's merchant, created if missing; it also adopts payments made before
/// merchants existed.
pub async fn ensure_environment_merchant(
    store: &MerchantStore,
    config: &MerchantConfig,
    api_key: &SecretString,
) -> Result<MerchantId, MerchantError> {
    let id = match store.by_msn(&config.serial_number).await? {
        Some(merchant) => merchant.id,
        None => match create(store, config, api_key).await {
            Ok(id) => id,
            // Another instance, starting at the same moment on the same database, made it.
            Err(MerchantError::DuplicateMsn) => store
                .by_msn(&config.serial_number)
                .await?
                .map(|merchant| merchant.id)
                .ok_or(MerchantError::DuplicateMsn)?,
            Err(error) => return Err(error),
        },
    };
    let adopted = store.adopt_orphan_payments(&id).await?;
    if adopted > 0 {
        tracing::info!(merchant = %id, adopted, "payments from before merchant accounts adopted");
    }
    Ok(id)
}

async fn create(
    store: &MerchantStore,
    config: &MerchantConfig,
    api_key: &SecretString,
) -> Result<MerchantId, MerchantError> {
    let bad =
        |what: &str, e: &dyn std::fmt::Display| MerchantError::Corrupt(format!("{what}: {e}"));
    let allowed_origins = config
        .allowed_origins
        .iter()
        .map(|o| o.parse::<Origin>())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| bad("MERCHANT_ALLOWED_ORIGINS", &e))?;
    let request = CreateMerchant {
        name: config
            .name
            .clone()
            .try_into()
            .map_err(|e| bad("MERCHANT_NAME", &e))?,
        msn: config
            .serial_number
            .parse()
            .map_err(|e| bad("VIPPS_MSN", &e))?,
        allowed_origins,
        language: None,
        appearance: shared::account::Appearance::default(),
    };
    let id = new_id()?;
    let key_name = "environment"
        .to_owned()
        .try_into()
        .map_err(|e| bad("key name", &e))?;
    let mut tx = crate::database::begin(&store.pool).await?;
    store.insert(&mut tx, &id, &request).await?;
    store
        .register_key(&mut tx, &id, &key_name, api_key.expose_secret())
        .await?;
    tx.commit().await?;
    tracing::info!(merchant = %id, msn = %request.msn, "merchant created from the environment");
    Ok(id)
}
