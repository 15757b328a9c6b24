//! Password hashes: argon2id with the argon2 crate's defaults (OWASP's: 19 MiB, two
//! passes, one lane), salted with 16 random bytes, stored as PHC strings. Hashing is slow
//! on purpose, so it runs on the blocking pool.

use argon2::password_hash::SaltString;
use argon2::{Argon2, PasswordHash, PasswordHasher, PasswordVerifier};
use shared::dashboard::NewPassword;

use super::DashboardError;

/// The PHC string of `password`.
pub async fn hash(password: NewPassword) -> Result<String, DashboardError> {
    let salt = SaltString::encode_b64(&crate::keys::random_bytes::<16>()?)
        .map_err(|e| DashboardError::Hashing(e.to_string()))?;
    blocking(move || {
        Argon2::default()
            .hash_password(password.as_str().as_bytes(), &salt)
            .map(|hash| hash.to_string())
            .map_err(|e| DashboardError::Hashing(e.to_string()))
    })
    .await
}

/// Whether `password` is the one `stored` hashes. Without a stored hash (no such user),
/// a hash of the same cost is checked all the same, so the time taken tells nothing.
pub async fn verify(password: String, stored: Option<String>) -> Result<bool, DashboardError> {
    blocking(move || {
        let known = stored.is_some();
        let stored = stored.unwrap_or_else(|| STAND_IN.to_owned());
        let parsed =
            PasswordHash::new(&stored).map_err(|e| DashboardError::Corrupt(e.to_string()))?;
        let matches = Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok();
        Ok(known && matches)
    })
    .await
}

/// The hash checked when there is no user: a PHC string with the default cost's
/// parameters and a made-up salt and digest, which no password matches; checking it costs
/// what checking a real hash costs (a test holds its parameters to the defaults').
const STAND_IN: &str = "$argon2id$v=19$m=19456,t=2,p=1$c3RhbmQtaW4tc2FsdC0xMjM$kXvTQn9JKX5m3u0zYk1b2lA2fQ5m1Yk3oQ0w8mS2a7E";

async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, DashboardError> + Send + 'static,
) -> Result<T, DashboardError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| DashboardError::Hashing(e.to_string()))?
}

#[cfg(test)]
mod tests {
    use super::*;

    fn password(text: &str) -> Result<NewPassword, String> {
        NewPassword::try_from(text.to_owned()).map_err(|e| e.to_string())
    }

    #[tokio::test]
    async fn a_hash_is_argon2id_and_takes_only_its_password() -> Result<(), String> {
        let stored = hash(password("correct horse battery")?)
            .await
            .map_err(|e| e.to_string())?;
        assert!(
            stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{stored}"
        );
        let check = |p: &str| verify(p.to_owned(), Some(stored.clone()));
        assert_eq!(check("correct horse battery").await.ok(), Some(true));
        assert_eq!(check("correct horse batterx").await.ok(), Some(false));
        assert_eq!(check("").await.ok(), Some(false));
        Ok(())
    }

    #[tokio::test]
    async fn without_a_user_nothing_matches_yet_the_same_work_is_done() -> Result<(), String> {
        let stand_in = PasswordHash::new(STAND_IN).map_err(|e| e.to_string())?;
        let real = hash(password("correct horse battery")?)
            .await
            .map_err(|e| e.to_string())?;
        let real = PasswordHash::new(&real).map_err(|e| e.to_string())?;
        assert_eq!(stand_in.algorithm, real.algorithm);
        assert_eq!(stand_in.version, real.version);
        assert_eq!(
            stand_in.params, real.params,
            "the same memory, passes and lanes"
        );
        assert_eq!(
            stand_in.hash.map(|h| h.len()),
            real.hash.map(|h| h.len()),
            "the same output length"
        );
        assert_eq!(verify("anything".to_owned(), None).await.ok(), Some(false));
        Ok(())
    }
}
