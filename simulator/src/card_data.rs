//! `cardData`: the wallet's card as `CARDNUMBER,YYMM,SESSIONID`, encrypted with the PSP's
//! RSA key (OAEP, SHA-256 and MGF1-SHA-256, empty label) and base64-encoded.

use std::fmt;

use aws_lc_rs::rsa::{OAEP_SHA256_MGF1SHA256, OaepPublicEncryptingKey, PublicEncryptingKey};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CardDataError {
    #[error("a card number is 12 to 19 digits")]
    CardNumber,
    #[error("a card expiry is four digits, YYMM")]
    Expiry,
    #[error("the PSP public key is not an RSA public key in X.509 SubjectPublicKeyInfo DER")]
    Key,
    #[error("RSA-OAEP encryption failed")]
    Encrypt,
}

/// The digits of a card. Any 12 to 19 digits: tests must be able to send numbers the PSP refuses.
#[derive(Clone, PartialEq, Eq)]
pub struct CardNumber(String);

impl CardNumber {
    pub fn parse(input: &str) -> Result<Self, CardDataError> {
        let digits = input.trim();
        if (12..=19).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Self(digits.to_owned()))
        } else {
            Err(CardDataError::CardNumber)
        }
    }
}

impl fmt::Debug for CardNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let last_four = self
            .0
            .get(self.0.len().saturating_sub(4)..)
            .unwrap_or_default();
        write!(f, "CardNumber(••••{last_four})")
    }
}

/// `YYMM`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expiry(String);

impl Expiry {
    pub fn parse(input: &str) -> Result<Self, CardDataError> {
        let text = input.trim();
        if text.len() == 4 && text.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Self(text.to_owned()))
        } else {
            Err(CardDataError::Expiry)
        }
    }
}

/// The PSP's public key, ready to encrypt.
#[derive(Debug)]
pub struct CardKey(OaepPublicEncryptingKey);

impl CardKey {
    pub fn from_der(der: &[u8]) -> Result<Self, CardDataError> {
        let key = PublicEncryptingKey::from_der(der).map_err(|_| CardDataError::Key)?;
        OaepPublicEncryptingKey::new(key)
            .map(Self)
            .map_err(|_| CardDataError::Key)
    }

    /// Base64 of the cryptogram of `CARDNUMBER,YYMM,SESSIONID` (344 characters for a 2048-bit key).
    pub fn encrypt(
        &self,
        card: &CardNumber,
        expiry: &Expiry,
        session_id: &str,
    ) -> Result<String, CardDataError> {
        let plaintext = format!("{},{},{session_id}", card.0, expiry.0);
        let mut cryptogram = vec![0u8; self.0.ciphertext_size()];
        let sealed = self
            .0
            .encrypt(
                &OAEP_SHA256_MGF1SHA256,
                plaintext.as_bytes(),
                &mut cryptogram,
                None,
            )
            .map_err(|_| CardDataError::Encrypt)?;
        Ok(STANDARD.encode(sealed))
    }
}

#[cfg(test)]
mod tests {
    use aws_lc_rs::encoding::AsDer;
    use aws_lc_rs::rsa::{KeySize, OaepPrivateDecryptingKey, PrivateDecryptingKey};

    use super::*;

    #[test]
    fn card_data_decrypts_with_the_psp_private_key() {
        let Ok(private) = PrivateDecryptingKey::generate(KeySize::Rsa2048) else {
            unreachable!()
        };
        let Ok(der) = private.public_key().as_der() else {
            unreachable!()
        };
        let Ok(key) = CardKey::from_der(der.as_ref()) else {
            unreachable!()
        };
        let (Ok(card), Ok(expiry)) = (CardNumber::parse("4925000000000004"), Expiry::parse("3012"))
        else {
            unreachable!()
        };
        let session = "3854ba014e184e0d8ba259253f4adbfa";
        let Ok(card_data) = key.encrypt(&card, &expiry, session) else {
            unreachable!()
        };
        assert_eq!(card_data.len(), 344);

        let Ok(cryptogram) = STANDARD.decode(&card_data) else {
            unreachable!()
        };
        let Ok(decrypting) = OaepPrivateDecryptingKey::new(private) else {
            unreachable!()
        };
        let mut plain = vec![0u8; decrypting.min_output_size()];
        let Ok(plain) = decrypting.decrypt(&OAEP_SHA256_MGF1SHA256, &cryptogram, &mut plain, None)
        else {
            unreachable!("decrypts")
        };
        assert_eq!(
            plain,
            b"4925000000000004,3012,3854ba014e184e0d8ba259253f4adbfa"
        );
    }

    #[test]
    fn card_numbers_and_expiries_are_digits_only_and_debug_is_masked() {
        assert!(CardNumber::parse("4925 0000 0000 0004").is_err());
        assert!(CardNumber::parse("49250000000").is_err());
        assert!(Expiry::parse("30-12").is_err());
        let Ok(card) = CardNumber::parse("4925000000000004") else {
            unreachable!()
        };
        assert_eq!(format!("{card:?}"), "CardNumber(••••0004)");
        assert_eq!(CardKey::from_der(b"nope").err(), Some(CardDataError::Key));
    }
}
