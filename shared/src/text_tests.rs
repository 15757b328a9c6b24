//! Every key has words in every language, and the helpers format like Norwegians do.

use super::*;
use crate::checkout::{ErrorCode, FailureReason};

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
    let errors = ErrorCode::ALL.into_iter().map(Key::Error);
    let failures = FailureReason::ALL.into_iter().map(Key::Failure);
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
fn every_return_page_key_has_words_in_every_language_and_norwegian_is_not_english() {
    for key in ReturnKey::ALL {
        for lang in LANGS {
            let words = return_text(lang, key);
            assert!(!words.trim().is_empty(), "{key:?} in {lang:?} is empty");
            assert_eq!(words.trim(), words, "{key:?} in {lang:?} has stray spaces");
        }
        assert_ne!(return_text(Lang::Nb, key), return_text(Lang::En, key));
        assert_ne!(return_text(Lang::Nn, key), return_text(Lang::En, key));
    }
}

#[test]
fn a_page_speaks_the_chosen_language_else_the_browsers_else_english() {
    assert_eq!(Lang::for_page(Some("nn"), Some("en-GB,en")), Lang::Nn);
    assert_eq!(Lang::for_page(Some("nn-NO"), Some("en")), Lang::Nn);
    assert_eq!(Lang::for_page(Some("xx"), Some("nb-NO,en;q=0.5")), Lang::Nb);
    assert_eq!(Lang::for_page(Some("sv"), Some("nb;q=0.5,de")), Lang::Nb);
    assert_eq!(Lang::for_page(None, Some("de-DE")), Lang::En);
    assert_eq!(Lang::for_page(None, None), Lang::En);
}

#[test]
fn accept_language_picks_the_heaviest_language_we_speak() {
    assert_eq!(
        Lang::from_accept_language("nb-NO,nb;q=0.9,en;q=0.8"),
        Some(Lang::Nb)
    );
    assert_eq!(
        Lang::from_accept_language("en-US, nn;q=0.9"),
        Some(Lang::En)
    );
    assert_eq!(
        Lang::from_accept_language("de;q=1.0, en;q=0.5, nn;q=0.7"),
        Some(Lang::Nn)
    );
    assert_eq!(Lang::from_accept_language("sv, no;q=0.8"), Some(Lang::Nb));
    // Equal weights: the first listed wins.
    assert_eq!(Lang::from_accept_language("nn, en"), Some(Lang::Nn));
    // q=0 means "not this one"; a weight that does not parse drops the entry.
    assert_eq!(
        Lang::from_accept_language("nb;q=0, en;q=0.1"),
        Some(Lang::En)
    );
    assert_eq!(
        Lang::from_accept_language("nb;q=2, nn;q=0.3"),
        Some(Lang::Nn)
    );
    assert_eq!(Lang::from_accept_language("nb;q=0.1234, en;q=x"), None);
    assert_eq!(Lang::from_accept_language("sv-SE, de"), None);
    assert_eq!(Lang::from_accept_language(""), None);
    assert_eq!(Lang::from_accept_language("*"), None);
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
