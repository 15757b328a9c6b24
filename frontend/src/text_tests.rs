//! The widget's steps map to words the shopper can act on.

use super::*;
use shared::checkout::FailureReason;

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
