//! Stored answers are sealed with AES-256-GCM under the server key before they reach the
//! database, so what a merchant was told (a create's client secret among it) is never at
//! rest in clear. The row's scope and key are the associated data: a sealed answer opens
//! only in the row it was written for. Stored as nonce (12 bytes) ‖ ciphertext ‖ tag.

use aws_lc_rs::aead::{AES_256_GCM, Aad, NONCE_LEN, Nonce, RandomizedNonceKey};

use super::key::IdempotencyKey;
use crate::keys::ServerKey;

#[derive(Debug, thiserror::Error)]
pub enum SealError {
    #[error("the server key is unusable for AES-256-GCM")]
    Key,
    #[error("cannot seal a response")]
    Seal,
    #[error("a stored response does not open with the server key")]
    Open,
}

/// Seals and opens stored answers; one per app, built from the server key.
pub struct ResponseSealer {
    key: RandomizedNonceKey,
}

impl ResponseSealer {
    pub fn new(server_key: &ServerKey) -> Result<Self, SealError> {
        let key = RandomizedNonceKey::new(&AES_256_GCM, server_key.as_slice())
            .map_err(|_| SealError::Key)?;
        Ok(Self { key })
    }

    /// `body` sealed for the record of `key` in `scope`, under a fresh random nonce.
    pub fn seal(
        &self,
        scope: &str,
        key: &IdempotencyKey,
        body: &[u8],
    ) -> Result<Vec<u8>, SealError> {
        self.seal_with(&associated(scope, key), body)
    }

    /// The body `seal` was given for this record; an error if it was altered, written for
    /// another record or under another key.
    pub fn open(
        &self,
        scope: &str,
        key: &IdempotencyKey,
        sealed: &[u8],
    ) -> Result<Vec<u8>, SealError> {
        self.open_with(&associated(scope, key), sealed)
    }

    /// `body` sealed under a fresh random nonce with `associated` as the associated data:
    /// it opens only with the same associated data (other secrets at rest, e.g. webhook
    /// endpoint secrets bound to their endpoint).
    pub fn seal_with(&self, associated: &[u8], body: &[u8]) -> Result<Vec<u8>, SealError> {
        let mut sealed = body.to_vec();
        let nonce = self
            .key
            .seal_in_place_append_tag(Aad::from(associated), &mut sealed)
            .map_err(|_| SealError::Seal)?;
        Ok([nonce.as_ref().as_slice(), &sealed].concat())
    }

    /// What [`Self::seal_with`] was given, if `sealed` is unaltered, was sealed with the
    /// same associated data and under this key.
    pub fn open_with(&self, associated: &[u8], sealed: &[u8]) -> Result<Vec<u8>, SealError> {
        let (nonce, ciphertext) = sealed.split_at_checked(NONCE_LEN).ok_or(SealError::Open)?;
        let nonce = Nonce::try_assume_unique_for_key(nonce).map_err(|_| SealError::Open)?;
        let mut body = ciphertext.to_vec();
        let opened = self
            .key
            .open_in_place(nonce, Aad::from(associated), &mut body)
            .map_err(|_| SealError::Open)?
            .len();
        body.truncate(opened);
        Ok(body)
    }
}

/// Scope and key, apart by a newline (a key is printable ASCII, so never holds one).
fn associated(scope: &str, key: &IdempotencyKey) -> Vec<u8> {
    [scope.as_bytes(), b"\n", key.as_str().as_bytes()].concat()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sealer(byte: u8) -> Result<ResponseSealer, SealError> {
        ResponseSealer::new(&zeroize::Zeroizing::new([byte; 32]))
    }

    #[test]
    fn a_sealed_answer_opens_only_in_its_own_record_under_its_own_key() -> Result<(), String> {
        let sealer = sealer(7).map_err(|e| e.to_string())?;
        let (a, b): (IdempotencyKey, IdempotencyKey) = (
            "key-a".parse().map_err(|_| "key")?,
            "key-b".parse().map_err(|_| "key")?,
        );
        let body = br#"{"client_secret":"cs_0123"}"#;
        let sealed = sealer.seal("scope", &a, body).map_err(|e| e.to_string())?;
        assert!(!sealed.windows(7).any(|w| w == b"cs_0123"), "not in clear");
        let opened = sealer
            .open("scope", &a, &sealed)
            .map_err(|e| e.to_string())?;
        assert_eq!(opened, body);

        assert!(matches!(
            sealer.open("scope", &b, &sealed),
            Err(SealError::Open)
        ));
        assert!(matches!(
            sealer.open("other", &a, &sealed),
            Err(SealError::Open)
        ));
        let other_key = super::tests::sealer(8).map_err(|e| e.to_string())?;
        assert!(matches!(
            other_key.open("scope", &a, &sealed),
            Err(SealError::Open)
        ));
        let mut altered = sealed.clone();
        if let Some(last) = altered.last_mut() {
            *last ^= 1;
        }
        assert!(matches!(
            sealer.open("scope", &a, &altered),
            Err(SealError::Open)
        ));
        assert!(matches!(
            sealer.open("scope", &a, &sealed[..5]),
            Err(SealError::Open)
        ));
        Ok(())
    }

    #[test]
    fn the_same_answer_sealed_twice_differs() -> Result<(), String> {
        let sealer = sealer(7).map_err(|e| e.to_string())?;
        let key: IdempotencyKey = "k".parse().map_err(|_| "key")?;
        let once = sealer.seal("s", &key, b"{}").map_err(|e| e.to_string())?;
        let twice = sealer.seal("s", &key, b"{}").map_err(|e| e.to_string())?;
        assert_ne!(once, twice, "a fresh nonce each time");
        Ok(())
    }
}
