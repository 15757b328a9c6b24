//! What each fuzz target asserts about one input: no panic, and where a value can be
//! written back, that it reads back the same. A failed assertion is the crash the
//! fuzzer reports. `TARGETS` names them for the replay of `fuzz/regressions/<target>/`.

use std::sync::OnceLock;

use aws_lc_rs::rsa::{OAEP_SHA256_MGF1SHA256, OaepPublicEncryptingKey, PrivateDecryptingKey};
use axum::http::header::ACCEPT_LANGUAGE;
use axum::http::{HeaderMap, HeaderValue};
use backend::card::Card;
use backend::idempotency::IdempotencyKey;
use backend::vipps::card_data::{self, CardDataError, CardDecryptor};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use shared::merchant::{AmountRequest, CreatePayment};
use shared::text::Lang;
use shared::vipps::MakePaymentRequest;

/// What a target does with one input; a panic is a finding.
pub type Check = fn(&[u8]);

/// Every target's name and check.
pub const TARGETS: [(&str, Check); 6] = [
    ("card_data", card_data),
    ("card_plaintext", card_plaintext),
    ("make_payment", make_payment),
    ("merchant_bodies", merchant_bodies),
    ("idempotency_key", idempotency_key),
    ("accept_language", accept_language),
];

/// A fixed RSA-2048 test key (PKCS#8 DER), used for nothing but fuzzing.
const TEST_KEY: &[u8] = include_bytes!("../keys/test_card_key.pk8");

struct Keys {
    decryptor: CardDecryptor,
    public: OaepPublicEncryptingKey,
}

fn keys() -> &'static Keys {
    static KEYS: OnceLock<Keys> = OnceLock::new();
    KEYS.get_or_init(|| {
        let key = PrivateDecryptingKey::from_pkcs8(TEST_KEY);
        let Ok(key) = key else {
            unreachable!("the test key is PKCS#8")
        };
        let Ok(public) = OaepPublicEncryptingKey::new(key.public_key()) else {
            unreachable!("the test key has a public half")
        };
        let Ok(decryptor) = CardDecryptor::new(key) else {
            unreachable!("the test key decrypts")
        };
        Keys { decryptor, public }
    })
}

/// makePayment's `cardData` as Vipps sends it, and the envelope around any plaintext:
/// whatever decrypts is a well-formed card, and encrypting a text then decrypting it
/// gives what parsing the text gives.
pub fn card_data(data: &[u8]) {
    let keys = keys();
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(card) = keys.decryptor.decrypt(text)
    {
        assert_well_formed(&card);
    }
    if data.len() > keys.public.max_plaintext_size(&OAEP_SHA256_MGF1SHA256) {
        return;
    }
    let mut out = vec![0u8; keys.public.ciphertext_size()];
    let Ok(cryptogram) = keys
        .public
        .encrypt(&OAEP_SHA256_MGF1SHA256, data, &mut out, None)
    else {
        unreachable!("a plaintext of at most max_plaintext_size encrypts")
    };
    let envelope = format!(" {}\n", STANDARD.encode(cryptogram));
    let opened = keys.decryptor.decrypt(&envelope);
    let parsed = std::str::from_utf8(data)
        .map_err(|_| CardDataError::Format)
        .and_then(card_data::parse);
    match (opened, parsed) {
        (Ok(opened), Ok(parsed)) => {
            assert_eq!(opened.number(), parsed.number());
            assert_eq!(opened.expiry(), parsed.expiry());
        }
        (Err(opened), Err(parsed)) => assert_eq!(opened, parsed),
        (opened, parsed) => unreachable!(
            "decrypting gave {:?}, parsing gave {:?}",
            opened.err(),
            parsed.err()
        ),
    }
}

/// The decrypted `CARDNUMBER,YYMM,SESSIONID`: only well-formed cards come out.
pub fn card_plaintext(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(card) = card_data::parse(text) {
        assert_well_formed(&card);
        let fields: Vec<&str> = text.split(',').collect();
        assert_eq!(fields.len(), 3);
        assert_eq!(fields.first().copied(), Some(card.number()));
        assert_eq!(fields.get(1).copied(), Some(card.expiry()));
    }
}

fn assert_well_formed(card: &Card) {
    let number = card.number();
    assert!((16..=19).contains(&number.len()));
    assert!(number.bytes().all(|b| b.is_ascii_digit()));
    let expiry = card.expiry();
    assert_eq!(expiry.len(), 4);
    let month = expiry.get(2..).and_then(|m| m.parse::<u8>().ok());
    assert!(month.is_some_and(|m| (1..=12).contains(&m)));
    let masked = card.masked();
    assert!(number.starts_with(&masked.first_six) && masked.first_six.len() == 6);
    assert!(number.ends_with(&masked.last_four) && masked.last_four.len() == 4);
    assert!(!format!("{card:?}").contains(number));
}

/// Vipps's makePayment body: what parses writes back and parses to the same.
pub fn make_payment(data: &[u8]) {
    round_trip::<MakePaymentRequest>(data);
}

/// The merchant API's bodies: create, and capture/refund (where an empty body is
/// the default, as `JsonOrEmpty` reads it).
pub fn merchant_bodies(data: &[u8]) {
    round_trip::<CreatePayment>(data);
    round_trip::<AmountRequest>(data);
}

fn round_trip<T>(data: &[u8])
where
    T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let Ok(value) = serde_json::from_slice::<T>(data) else {
        return;
    };
    let Ok(json) = serde_json::to_vec(&value) else {
        unreachable!("a parsed body serialises")
    };
    assert_eq!(serde_json::from_slice::<T>(&json).ok(), Some(value));
}

/// `Idempotency-Key`: the input split at newlines into one or more header values.
/// One valid value is a key that reads back as itself; two are refused.
pub fn idempotency_key(data: &[u8]) {
    let mut headers = HeaderMap::new();
    for value in data.split(|b| *b == b'\n').take(3) {
        if let Ok(value) = HeaderValue::from_bytes(value) {
            headers.append(backend::idempotency::KEY_HEADER, value);
        }
    }
    let values = headers
        .get_all(backend::idempotency::KEY_HEADER)
        .iter()
        .count();
    match IdempotencyKey::from_headers(&headers) {
        Ok(None) => assert_eq!(values, 0),
        Ok(Some(key)) => {
            assert_eq!(values, 1);
            let text = key.as_str();
            assert!((1..=255).contains(&text.len()));
            assert!(text.bytes().all(|b| (b' '..=b'~').contains(&b)));
            assert_eq!(text.parse::<IdempotencyKey>().ok(), Some(key.clone()));
        }
        Err(_) => assert!(values > 0),
    }
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(key) = text.parse::<IdempotencyKey>()
    {
        assert_eq!(key.as_str(), text);
    }
}

/// `Accept-Language` as the backend reads it (a header value that is text), and a
/// language tag: the language chosen is one the header names.
pub fn accept_language(data: &[u8]) {
    let mut headers = HeaderMap::new();
    if let Ok(value) = HeaderValue::from_bytes(data) {
        headers.insert(ACCEPT_LANGUAGE, value);
    }
    let header = headers
        .get(ACCEPT_LANGUAGE)
        .and_then(|value| value.to_str().ok());
    let chosen = header.and_then(Lang::from_accept_language);
    if let (Some(lang), Some(header)) = (chosen, header) {
        let named = header.split(',').any(|entry| {
            let tag = entry.split(';').next().unwrap_or_default();
            Lang::from_tag(tag.trim()) == Some(lang)
        });
        assert!(named, "{lang:?} is not in {header:?}");
    }
    assert_eq!(Lang::for_page(None, header), chosen.unwrap_or(Lang::En));
    if let Ok(tag) = std::str::from_utf8(data) {
        let from_tag = Lang::from_tag(tag);
        assert_eq!(
            Lang::for_page(Some(tag), header),
            from_tag.or(chosen).unwrap_or(Lang::En)
        );
    }
}
