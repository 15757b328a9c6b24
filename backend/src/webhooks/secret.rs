//! Endpoint secrets: `whsec_` + base64 of 32 random bytes (Standard Webhooks), shown to
//! the merchant once and otherwise kept only sealed under the server key, with the
//! endpoint id as associated data (a sealed secret opens only for its own endpoint).
//! Never logged: `Debug` prints no secret.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use secrecy::{ExposeSecret, SecretString};
use shared::EndpointId;
use zeroize::Zeroizing;

use crate::idempotency::{ResponseSealer, SealError};
use crate::keys::{self, KeyError};

const PREFIX: &str = "whsec_";

/// One endpoint secret in clear, wiped from memory when dropped.
pub struct EndpointSecret(SecretString);

impl std::fmt::Debug for EndpointSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("EndpointSecret(whsec_…)")
    }
}

impl EndpointSecret {
    /// A fresh secret from 32 random bytes.
    pub fn generate() -> Result<Self, KeyError> {
        let bytes = Zeroizing::new(keys::random_bytes::<32>()?);
        Ok(Self(SecretString::from(format!(
            "{PREFIX}{}",
            STANDARD.encode(bytes.as_slice())
        ))))
    }

    /// The `whsec_…` text, to show the merchant once or to sign with.
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }

    /// Sealed for storage in `endpoint`'s row.
    pub fn seal(
        &self,
        sealer: &ResponseSealer,
        endpoint: &EndpointId,
    ) -> Result<Vec<u8>, SealError> {
        sealer.seal_with(&associated(endpoint), self.expose().as_bytes())
    }

    /// The secret sealed in `endpoint`'s row; an error if it was sealed for another
    /// endpoint, under another key, or altered.
    pub fn open(
        sealer: &ResponseSealer,
        endpoint: &EndpointId,
        sealed: &[u8],
    ) -> Result<Self, SealError> {
        let bytes = Zeroizing::new(sealer.open_with(&associated(endpoint), sealed)?);
        let text = std::str::from_utf8(&bytes).map_err(|_| SealError::Open)?;
        Ok(Self(SecretString::from(text.to_owned())))
    }
}

fn associated(endpoint: &EndpointId) -> Vec<u8> {
    [b"webhook-secret\n".as_slice(), endpoint.as_str().as_bytes()].concat()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn endpoint(byte: u8) -> EndpointId {
        EndpointId::from_random([byte; 16])
    }

    #[test]
    fn a_secret_is_whsec_and_32_random_bytes_that_standard_webhooks_accepts() -> Result<(), String>
    {
        let one = EndpointSecret::generate().map_err(|e| e.to_string())?;
        let two = EndpointSecret::generate().map_err(|e| e.to_string())?;
        let encoded = one.expose().strip_prefix("whsec_").ok_or("prefix")?;
        assert_eq!(
            STANDARD.decode(encoded).map_err(|e| e.to_string())?.len(),
            32
        );
        assert_ne!(one.expose(), two.expose());
        assert!(standardwebhooks::Webhook::new(one.expose()).is_ok());
        assert!(!format!("{one:?}").contains(encoded), "never in Debug");
        Ok(())
    }

    #[test]
    fn a_sealed_secret_opens_only_for_its_own_endpoint_and_is_not_in_clear() -> Result<(), String> {
        let sealer = ResponseSealer::new(&Zeroizing::new([3; 32])).map_err(|e| e.to_string())?;
        let secret = EndpointSecret::generate().map_err(|e| e.to_string())?;
        let sealed = secret
            .seal(&sealer, &endpoint(1))
            .map_err(|e| e.to_string())?;
        let encoded = secret.expose().as_bytes();
        assert!(!sealed.windows(encoded.len()).any(|w| w == encoded));
        let opened =
            EndpointSecret::open(&sealer, &endpoint(1), &sealed).map_err(|e| e.to_string())?;
        assert_eq!(opened.expose(), secret.expose());
        assert!(EndpointSecret::open(&sealer, &endpoint(2), &sealed).is_err());
        let other = ResponseSealer::new(&Zeroizing::new([4; 32])).map_err(|e| e.to_string())?;
        assert!(EndpointSecret::open(&other, &endpoint(1), &sealed).is_err());
        Ok(())
    }
}
