//! makePayment's `cardData`: base64 of an RSA-OAEP (SHA-256, MGF1-SHA-256, empty label)
//! cryptogram of `CARDNUMBER,YYMM,SESSIONID`, made with our public key.
//!
//! The card number goes straight into a `crate::card::Card` (zeroized on drop, never
//! formatted); the decrypted text itself is zeroized too.

use aws_lc_rs::rsa::{OAEP_SHA256_MGF1SHA256, OaepPrivateDecryptingKey, PrivateDecryptingKey};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use zeroize::Zeroizing;

use crate::card::Card;

/// Why `cardData` could not be read. Carries no card data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CardDataError {
    #[error("cardData is missing")]
    Missing,
    #[error("cardData is not base64")]
    Base64,
    #[error("cardData does not decrypt with our key")]
    Decrypt,
    #[error("decrypted cardData is not CARDNUMBER,YYMM,SESSIONID")]
    Format,
}

/// Holds our private key and opens `cardData`.
pub struct CardDecryptor {
    key: OaepPrivateDecryptingKey,
}

impl CardDecryptor {
    pub fn new(key: PrivateDecryptingKey) -> Result<Self, CardDataError> {
        OaepPrivateDecryptingKey::new(key)
            .map(|key| Self { key })
            .map_err(|_| CardDataError::Decrypt)
    }

    pub fn decrypt(&self, card_data: &str) -> Result<Card, CardDataError> {
        let cryptogram = Zeroizing::new(
            STANDARD
                .decode(card_data.trim())
                .map_err(|_| CardDataError::Base64)?,
        );
        let mut buffer = Zeroizing::new(vec![0u8; self.key.min_output_size()]);
        let plain = self
            .key
            .decrypt(&OAEP_SHA256_MGF1SHA256, &cryptogram, &mut buffer, None)
            .map_err(|_| CardDataError::Decrypt)?;
        let text = std::str::from_utf8(plain).map_err(|_| CardDataError::Format)?;
        parse(text)
    }
}

/// Parses `CARDNUMBER,YYMM,SESSIONID`; the session id is checked and dropped.
/// Public for the fuzz target of the decrypted text (random cryptograms never decrypt).
pub fn parse(text: &str) -> Result<Card, CardDataError> {
    let mut parts = text.split(',');
    let (Some(number), Some(expiry), Some(session), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(CardDataError::Format);
    };
    let session_ok =
        (1..=32).contains(&session.len()) && session.bytes().all(|b| b.is_ascii_alphanumeric());
    if !session_ok {
        return Err(CardDataError::Format);
    }
    Card::new(number, expiry).map_err(|_| CardDataError::Format)
}

#[cfg(test)]
mod tests {
    use aws_lc_rs::rsa::{KeySize, OaepPublicEncryptingKey};

    use super::*;

    fn encrypt(key: &PrivateDecryptingKey, text: &str) -> String {
        let public = OaepPublicEncryptingKey::new(key.public_key());
        let Ok(public) = public else {
            unreachable!("public key")
        };
        let mut out = vec![0u8; public.ciphertext_size()];
        let Ok(cryptogram) =
            public.encrypt(&OAEP_SHA256_MGF1SHA256, text.as_bytes(), &mut out, None)
        else {
            unreachable!("encrypt")
        };
        STANDARD.encode(cryptogram)
    }

    fn key() -> PrivateDecryptingKey {
        let Ok(key) = PrivateDecryptingKey::generate(KeySize::Rsa2048) else {
            unreachable!("keygen")
        };
        key
    }

    #[test]
    fn card_data_round_trips_and_keeps_only_six_and_four() {
        let key = key();
        let card_data = encrypt(
            &key,
            "4925000000000004,3012,3854ba014e184e0d8ba259253f4adbfa",
        );
        assert_eq!(card_data.len(), 344);
        let Ok(decryptor) = CardDecryptor::new(key) else {
            unreachable!("decryptor")
        };
        let card = decryptor.decrypt(&card_data);
        let Ok(card) = card else {
            unreachable!("decrypts: {card:?}")
        };
        assert_eq!(card.number(), "4925000000000004");
        assert_eq!(card.expiry(), "3012");
        assert_eq!(format!("{card:?}"), "Card(492500******0004, 3012)");
        assert_eq!(card.masked().last_four, "0004");
    }

    #[test]
    fn garbage_and_other_keys_are_unable_to_decrypt() {
        let Ok(decryptor) = CardDecryptor::new(key()) else {
            unreachable!("decryptor")
        };
        assert_eq!(
            decryptor.decrypt("not base64!").err(),
            Some(CardDataError::Base64)
        );
        assert_eq!(
            decryptor.decrypt("AAAA").err(),
            Some(CardDataError::Decrypt)
        );
        let foreign = encrypt(&key(), "4925000000000004,3012,abc");
        assert_eq!(
            decryptor.decrypt(&foreign).err(),
            Some(CardDataError::Decrypt)
        );
    }

    #[test]
    fn malformed_plaintext_is_rejected_without_echoing_it() {
        for text in [
            "4925000000000004,3012",
            "4925000000000004,3013,abc",
            "492500000000,3012,abc",
            "4925000000000004,3012,abc,extra",
            "4925x00000000004,3012,abc",
            "4925000000000004,3012,",
        ] {
            assert!(matches!(parse(text), Err(CardDataError::Format)), "{text}");
        }
    }
}
