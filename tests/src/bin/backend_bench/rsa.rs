//! The reference for makePayment: raw RSA-2048 OAEP-SHA256 decryption of a card cryptogram
//! with aws-lc-rs, as the backend's card key does it, on one thread.

use std::time::{Duration, Instant};

use aws_lc_rs::rsa::{OAEP_SHA256_MGF1SHA256, OaepPrivateDecryptingKey, OaepPublicEncryptingKey};
use e2e::TestResult;

/// Decryptions per second over `seconds`.
pub fn decryptions_per_second(seconds: u64) -> TestResult<f64> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let key = backend::keys::load_or_create_card_key(dir.path()).map_err(|e| e.to_string())?;
    let public = OaepPublicEncryptingKey::new(key.public_key()).map_err(|e| e.to_string())?;
    let private = OaepPrivateDecryptingKey::new(key).map_err(|e| e.to_string())?;
    let plain = b"4925000000000004,3012,3854ba014e184e0d8ba259253f4adbfa";
    let mut cryptogram = vec![0u8; public.ciphertext_size()];
    let cryptogram = public
        .encrypt(&OAEP_SHA256_MGF1SHA256, plain, &mut cryptogram, None)
        .map_err(|e| e.to_string())?
        .to_vec();
    let mut out = vec![0u8; private.min_output_size()];
    let started = Instant::now();
    let mut done = 0_u64;
    while started.elapsed() < Duration::from_secs(seconds) {
        let text = private
            .decrypt(&OAEP_SHA256_MGF1SHA256, &cryptogram, &mut out, None)
            .map_err(|e| e.to_string())?;
        if text != plain {
            return Err("decryption gave another text".to_owned());
        }
        done += 1;
    }
    Ok(e2e::bench::float(done) / started.elapsed().as_secs_f64())
}
