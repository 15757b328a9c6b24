//! Every key has words in every language, and the helpers format like Norwegians do.

use super::*;
use crate::wire::{CODES, REASONS};

const LANGS: [Lang; 3] = [Lang::Nb, Lang::Nn, Lang::En];

fn all_keys() -> Vec<Key> {
    let plain = [
        Key::Loading,
        Key::ConnectionTrouble,
        Key::PhoneHeading,
        Key::PhoneInstruction,
        Key::PhoneLabel,
        Key::PhoneHint,
        Key::PhoneEmpty,
        Key::PhoneNotDigits,
        Key::PhoneWrongLength,
        Key::PhoneNotMobile,
        Key::Pay,
        Key::Starting,
        Key::NoAnswer,
        Key::WaitingHeading,
        Key::WaitingHint,
        Key::AppHint,
        Key::Processing,
        Key::NoVippsWindow,
        Key::OpenVipps,
        Key::QrLabel,
        Key::QrAlt,
        Key::TimeLeft,
        Key::Cancel,
        Key::Cancelling,
        Key::CancelFailed,
        Key::Succeeded,
        Key::Paid,
        Key::ThankYou,
        Key::Failed,
        Key::TryAgain,
        Key::Cancelled,
        Key::CancelledDetail,
        Key::Expired,
        Key::ExpiredDetail,
        Key::ProblemHeading,
        Key::NotEmbedded,
        Key::BadLink,
        Key::NoInit,
    ];
    let errors = CODES.into_iter().map(Key::Error);
    let failures = REASONS.into_iter().map(Key::Failure);
    plain.into_iter().chain(errors).chain(failures).collect()
}

#[test]
fn every_key_has_words_in_every_language_and_norwegian_is_not_english() {
    for key in all_keys() {
        for lang in LANGS {
            let words = text(lang, key);
            assert!(!words.trim().is_empty(), "{key:?} in {lang:?} is empty");
            assert_eq!(words.trim(), words, "{key:?} in {lang:?} has stray spaces");
        }
        assert_ne!(
            text(Lang::Nb, key),
            text(Lang::En, key),
            "{key:?}: nb is English"
        );
        assert_ne!(
            text(Lang::Nn, key),
            text(Lang::En, key),
            "{key:?}: nn is English"
        );
    }
}

#[test]
fn the_paid_template_has_both_blanks_in_every_language() {
    for lang in LANGS {
        let template = text(lang, Key::Paid);
        assert!(template.contains("{amount}") && template.contains("{merchant}"));
    }
    let filled = fill(text(Lang::Nb, Key::Paid), "299,50 kr", "Demo Shop AS");
    assert_eq!(filled, "Du har betalt 299,50 kr til Demo Shop AS.");
    assert_eq!(fill("{a} {amount}{", "1", "m"), "{a} 1{");
}

#[test]
fn the_merchants_locale_wins_then_the_browsers_first_known_language() {
    assert_eq!(Lang::choose(Some("nn"), ["en-US"]), Lang::Nn);
    assert_eq!(Lang::choose(Some("xx"), ["nb-NO"]), Lang::Nb);
    assert_eq!(Lang::choose(None, ["no"]), Lang::Nb);
    assert_eq!(Lang::choose(None, ["NB_no"]), Lang::Nb);
    assert_eq!(Lang::choose(None, ["de-DE", "nn-NO", "en"]), Lang::Nn);
    assert_eq!(Lang::choose(None, ["en-GB", "nb"]), Lang::En);
    assert_eq!(Lang::choose(None, ["sv-SE"]), Lang::En);
    assert_eq!(Lang::choose(None, []), Lang::En);
}

#[test]
fn amounts_read_as_norwegian_kroner() {
    assert_eq!(amount(29_950), "299,50\u{a0}kr");
    assert_eq!(amount(5), "0,05\u{a0}kr");
    assert_eq!(amount(123_456_789), "1\u{a0}234\u{a0}567,89\u{a0}kr");
    assert_eq!(amount(100_000), "1\u{a0}000,00\u{a0}kr");
    assert_eq!(digits(0), "0");
    assert_eq!(digits(u32::MAX), "4294967295");
}

#[test]
fn phone_errors_are_sentences_the_shopper_can_act_on() {
    let error = FormError::Invalid(MobileNumberError::WrongLength);
    assert_eq!(
        text(Lang::En, form_error(&error)),
        "A Norwegian mobile number has 8 digits."
    );
    assert_eq!(
        text(Lang::Nb, form_error(&error)),
        "Et norsk mobilnummer har 8 sifre."
    );
}

#[test]
fn insufficient_funds_is_explained_in_words() {
    let key = outcome_detail(Outcome::Failed(FailureReason::InsufficientFunds), true);
    assert_eq!(
        text(Lang::Nb, key),
        "Kortet ble avvist: ikke nok penger på konto. Prøv et annet kort i Vipps."
    );
    assert_eq!(
        text(Lang::Nn, key),
        "Kortet vart avvist: ikkje nok pengar på konto. Prøv eit anna kort i Vipps."
    );
}
