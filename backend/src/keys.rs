//! Key material: the RSA key Vipps encrypts card data for, the merchant API key, the
//! server key that seals what we must keep of a secret (idempotent answers), and the random
//! secrets we hand out (stored only as SHA-256 hashes, compared in constant time). Files
//! holding keys are written through `data_dir`, 0600 from their first byte.

use std::path::Path;

use aws_lc_rs::digest::{SHA256, digest};
use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rsa::{KeySize, PrivateDecryptingKey};
use secrecy::{ExposeSecret, SecretString};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use crate::data_dir::{self, PrivateFileError};

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("cannot read or write {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path} is not an RSA private key in PKCS#8 DER")]
    BadKey { path: String },
    #[error("could not generate a key: {0}")]
    Generate(String),
    #[error(transparent)]
    File(#[from] PrivateFileError),
    #[error("{setting} must be 64 hexadecimal digits (32 bytes, e.g. `openssl rand -hex 32`)")]
    BadServerKey { setting: String },
}

/// The server's own secret key (32 bytes), wiped from memory when dropped.
pub type ServerKey = Zeroizing<[u8; 32]>;

/// The configured server key (`PSP_SECRET_KEY`), or the one generated into
/// `dir/server-key` earlier, or a new one. Stored as 64 hex digits.
pub fn load_or_create_server_key(
    dir: &Path,
    configured: Option<&SecretString>,
) -> Result<ServerKey, KeyError> {
    if let Some(key) = configured {
        return parse_server_key(key.expose_secret()).ok_or_else(|| KeyError::BadServerKey {
            setting: "PSP_SECRET_KEY".into(),
        });
    }
    let path = dir.join("server-key");
    data_dir::restrict_file(&path)?;
    match std::fs::read_to_string(&path) {
        Ok(text) => parse_server_key(&Zeroizing::new(text)).ok_or_else(|| KeyError::BadServerKey {
            setting: path.display().to_string(),
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let key = Zeroizing::new(random_bytes::<32>()?);
            let text = Zeroizing::new(shared::ids::hex(key.as_slice()));
            data_dir::write_private(&path, text.as_bytes())?;
            Ok(key)
        }
        Err(source) => Err(io(&path, source)),
    }
}

fn parse_server_key(text: &str) -> Option<ServerKey> {
    let text = text.trim().as_bytes();
    if text.len() != 64 || !text.iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    let mut key = Zeroizing::new([0u8; 32]);
    for (byte, pair) in key.iter_mut().zip(text.chunks(2)) {
        *byte = u8::from_str_radix(std::str::from_utf8(pair).ok()?, 16).ok()?;
    }
    Some(key)
}

/// Loads `card-key.p8` from `dir`, or generates an RSA-2048 pair and writes it there
/// together with `card-key.pub.der`, the public half handed to Vipps.
pub fn load_or_create_card_key(dir: &Path) -> Result<PrivateDecryptingKey, KeyError> {
    let private_path = dir.join("card-key.p8");
    let public_path = dir.join("card-key.pub.der");
    data_dir::restrict_file(&private_path)?;
    let key = match std::fs::read(&private_path) {
        Ok(der) => PrivateDecryptingKey::from_pkcs8(&der).map_err(|_| KeyError::BadKey {
            path: private_path.display().to_string(),
        })?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let key = PrivateDecryptingKey::generate(KeySize::Rsa2048)
                .map_err(|e| KeyError::Generate(e.to_string()))?;
            let der = key
                .as_der()
                .map_err(|e| KeyError::Generate(e.to_string()))?;
            data_dir::write_private(&private_path, der.as_ref())?;
            key
        }
        Err(source) => return Err(io(&private_path, source)),
    };
    let public = key
        .public_key()
        .as_der()
        .map_err(|e| KeyError::Generate(e.to_string()))?;
    std::fs::write(&public_path, public.as_ref()).map_err(|e| io(&public_path, e))?;
    Ok(key)
}

/// The configured merchant key, or the one generated into `dir/merchant-key` earlier, or a new one.
pub fn load_or_create_merchant_key(
    dir: &Path,
    configured: Option<&SecretString>,
) -> Result<SecretString, KeyError> {
    load_or_create_secret(dir, "merchant-key", configured, || {
        Ok(format!("sk_test_{}", random_hex::<24>()?))
    })
}

/// The sandbox dashboard user's password, generated into `dir/dashboard-password` at
/// first (24 random hex digits: no one need choose one to try the dashboard).
pub fn load_or_create_dashboard_password(dir: &Path) -> Result<SecretString, KeyError> {
    load_or_create_secret(dir, "dashboard-password", None, random_hex::<12>)
}

/// The configured operator key, or the one generated into `dir/operator-key` earlier, or a new one.
pub fn load_or_create_operator_key(
    dir: &Path,
    configured: Option<&SecretString>,
) -> Result<SecretString, KeyError> {
    load_or_create_secret(dir, "operator-key", configured, || {
        Ok(format!("op_{}", random_hex::<32>()?))
    })
}

/// `configured`, else the secret in `dir/file`, else a new one from `generate` written there (0600).
fn load_or_create_secret(
    dir: &Path,
    file: &str,
    configured: Option<&SecretString>,
    generate: impl FnOnce() -> Result<String, KeyError>,
) -> Result<SecretString, KeyError> {
    if let Some(key) = configured {
        return Ok(key.clone());
    }
    let path = dir.join(file);
    data_dir::restrict_file(&path)?;
    match std::fs::read_to_string(&path) {
        Ok(key) if !key.trim().is_empty() => Ok(key.trim().to_owned().into()),
        Ok(_) | Err(_) => {
            let key = generate()?;
            data_dir::write_private(&path, key.as_bytes())?;
            Ok(key.into())
        }
    }
}

/// `N` random bytes from the OS's CSPRNG.
pub fn random_bytes<const N: usize>() -> Result<[u8; N], KeyError> {
    let mut bytes = [0u8; N];
    aws_lc_rs::rand::fill(&mut bytes).map_err(|_| KeyError::Generate("no randomness".into()))?;
    Ok(bytes)
}

pub fn random_hex<const N: usize>() -> Result<String, KeyError> {
    Ok(shared::ids::hex(&random_bytes::<N>()?))
}

/// 16 bytes that only `parts` decide (SHA-256 of them, each length-prefixed, cut short): an
/// id for what a request with an Idempotency-Key creates, the same when the request runs
/// again.
pub fn derived_id(parts: &[&str]) -> [u8; 16] {
    let mut input = Vec::new();
    for part in parts {
        input.extend_from_slice(&u64::try_from(part.len()).unwrap_or(u64::MAX).to_be_bytes());
        input.extend_from_slice(part.as_bytes());
    }
    let hash = digest(&SHA256, &input);
    let mut id = [0_u8; 16];
    for (to, from) in id.iter_mut().zip(hash.as_ref()) {
        *to = *from;
    }
    id
}

/// SHA-256 of a secret, the only form in which secrets are stored.
pub fn secret_hash(secret: &str) -> Vec<u8> {
    digest(&SHA256, secret.as_bytes()).as_ref().to_vec()
}

/// Whether `presented` hashes to `stored_hash`, in constant time.
pub fn secret_matches(presented: &str, stored_hash: &[u8]) -> bool {
    bool::from(secret_hash(presented).ct_eq(stored_hash))
}

/// Constant-time comparison of a presented key with the configured one.
pub fn key_matches(presented: &str, expected: &SecretString) -> bool {
    secret_matches(presented, &secret_hash(expected.expose_secret()))
}

fn io(path: &Path, source: std::io::Error) -> KeyError {
    KeyError::Io {
        path: path.display().to_string(),
        source,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_match_only_their_own_hash() {
        let hash = secret_hash("cs_abc");
        assert!(secret_matches("cs_abc", &hash));
        assert!(!secret_matches("cs_abd", &hash));
        assert!(!secret_matches("", &hash));
    }

    #[test]
    fn card_key_is_generated_once_and_reloaded() {
        let Ok(dir) = tempfile::tempdir() else {
            unreachable!("tempdir")
        };
        let first = load_or_create_card_key(dir.path())
            .map(|k| k.public_key().as_der().map(|d| d.as_ref().to_vec()));
        let second = load_or_create_card_key(dir.path())
            .map(|k| k.public_key().as_der().map(|d| d.as_ref().to_vec()));
        assert!(matches!((&first, &second), (Ok(Ok(a)), Ok(Ok(b))) if a == b));
        assert!(dir.path().join("card-key.pub.der").exists());
    }

    #[test]
    fn merchant_key_is_generated_once_and_reloaded() {
        let Ok(dir) = tempfile::tempdir() else {
            unreachable!("tempdir")
        };
        let first =
            load_or_create_merchant_key(dir.path(), None).map(|k| k.expose_secret().to_owned());
        let second =
            load_or_create_merchant_key(dir.path(), None).map(|k| k.expose_secret().to_owned());
        assert!(matches!((&first, &second), (Ok(a), Ok(b)) if a == b && a.starts_with("sk_test_")));
    }

    #[test]
    fn server_key_is_generated_once_and_reloaded_or_taken_from_the_setting() -> Result<(), String> {
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let first = load_or_create_server_key(dir.path(), None).map_err(|e| e.to_string())?;
        let second = load_or_create_server_key(dir.path(), None).map_err(|e| e.to_string())?;
        assert_eq!(first, second);
        let configured = SecretString::from("0f".repeat(32));
        let set = load_or_create_server_key(dir.path(), Some(&configured));
        assert!(matches!(set, Ok(key) if *key == [0x0f; 32]));
        for bad in ["0f".repeat(31), "zz".repeat(32), "+f".repeat(32)] {
            let bad = SecretString::from(bad);
            let refused = load_or_create_server_key(dir.path(), Some(&bad));
            assert!(matches!(refused, Err(KeyError::BadServerKey { .. })));
        }
        Ok(())
    }
}
