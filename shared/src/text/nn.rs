//! Norsk nynorsk.

use crate::checkout::{ErrorCode, FailureReason};

use super::{Key, ReturnKey};

pub fn text(key: Key) -> &'static str {
    match key {
        Key::Loading => "Hentar betalinga …",
        Key::ConnectionTrouble => "Vi får ikkje kontakt med serveren akkurat no. Vi prøver igjen …",
        Key::PhoneHeading => "Betal med Vipps",
        Key::PhoneInstruction => "Skriv inn mobilnummeret ditt for å betale med Vipps.",
        Key::PhoneLabel => "Mobilnummer",
        Key::PhoneHint => "Nummeret du brukar i Vipps.",
        Key::PhoneEmpty => "Skriv inn mobilnummeret ditt.",
        Key::PhoneNotDigits => "Eit mobilnummer har berre siffer.",
        Key::PhoneWrongLength => "Eit norsk mobilnummer har 8 siffer.",
        Key::PhoneNotMobile => "Eit norsk mobilnummer byrjar med 4 eller 9.",
        Key::Pay => "Betal med Vipps",
        Key::Starting => "Opnar Vipps …",
        Key::NoAnswer => "Vi fekk ikkje kontakt med serveren. Sjekk nettsambandet og prøv igjen.",
        Key::Error(code) => error(code),
        Key::WaitingHeading => "Stadfest betalinga i Vipps-appen",
        Key::WaitingHint => "La denne sida vere open. Ho oppdaterer seg sjølv.",
        Key::AppHint => "Opna ikkje Vipps-appen seg? Bruk knappen under.",
        Key::Processing => "Betalinga er stadfesta. Vi fullfører betalinga …",
        Key::NoVippsWindow => "Ser du ikkje Vipps?",
        Key::OpenVipps => "Opne Vipps",
        Key::QrLabel => "Eller skann koden med kameraet på mobilen:",
        Key::QrAlt => "QR-kode som opnar betalinga i Vipps",
        Key::TimeLeft => "Tid att til å betale",
        Key::Cancel => "Avbryt betalinga",
        Key::Cancelling => "Betalinga blir avbroten …",
        Key::CancelFailed => "Betalinga kunne ikkje avbrytast akkurat no. Prøv igjen.",
        Key::Succeeded => "Betalinga er fullført",
        Key::Paid => "Du har betalt {amount} til {merchant}.",
        Key::ThankYou => "Takk for betalinga.",
        Key::Failed => "Betalinga gjekk ikkje gjennom",
        Key::Failure(reason) => failure(reason),
        Key::TryAgain => "Prøv igjen",
        Key::Cancelled => "Betalinga er avbroten",
        Key::CancelledDetail => "Betalinga vart avbroten. Ingen pengar er trekte.",
        Key::Expired => "Tida er ute",
        Key::ExpiredDetail => {
            "Tida for å betale gjekk ut. Ingen pengar er trekte. Gå tilbake til butikken for å prøve igjen."
        }
        Key::ProblemHeading => "Betalinga kan ikkje visast",
        Key::NotEmbedded => "Denne betalingssida verkar berre i kassa til butikken.",
        Key::BadLink => "Betalingslenka er ikkje gyldig. Gå tilbake til butikken og prøv igjen.",
        Key::NoInit => "Betalinga kunne ikkje starte. Last inn sida på nytt og prøv igjen.",
    }
}

pub fn return_text(key: ReturnKey) -> &'static str {
    match key {
        ReturnKey::InProgress => "Betalinga pågår",
        ReturnKey::FinishInApp => {
            "Fullfør betalinga i Vipps-appen. Denne sida blir oppdatert av seg sjølv."
        }
        ReturnKey::PaidDetail => "Takk! Du kan lukke dette vindauget og gå tilbake til butikken.",
        ReturnKey::FailedDetail => {
            "Ingen pengar er trekte. Gå tilbake til butikken for å prøve igjen."
        }
        ReturnKey::BackToShop => "Tilbake til butikken",
    }
}

fn error(code: ErrorCode) -> &'static str {
    match code {
        ErrorCode::InvalidRequest | ErrorCode::MsnTaken | ErrorCode::Unknown => {
            "Noko gjekk gale. Prøv igjen."
        }
        ErrorCode::Unauthorized => {
            "Denne betalinga kan ikkje opnast her. Gå tilbake til butikken og prøv igjen."
        }
        ErrorCode::NotFound => {
            "Vi finn ikkje denne betalinga. Gå tilbake til butikken og start på nytt."
        }
        ErrorCode::PaymentExpired => "Tida for å betale har gått ut. Ingen pengar er trekte.",
        ErrorCode::InvalidState => "Betalinga har kome vidare. Vi viser kvar ho står no …",
        ErrorCode::DuplicateOrderId => {
            "Butikken har alt brukt dette ordrenummeret. Gå tilbake til butikken og start på nytt."
        }
        ErrorCode::VippsRejected => {
            "Vipps kunne ikkje starte ei betaling for dette nummeret. Sjekk at det er nummeret du brukar i Vipps."
        }
        ErrorCode::VippsUnavailable => "Vipps svarar ikkje akkurat no. Prøv igjen om litt.",
        ErrorCode::RateLimited => "For mange forsøk på kort tid. Vent litt og prøv igjen.",
        ErrorCode::AmountExceedsBalance => {
            "Beløpet er større enn det som står att av betalinga. Gå tilbake til butikken og prøv igjen."
        }
        ErrorCode::AcquirerFailed => {
            "Kortbetalinga kunne ikkje fullførast. Ingen pengar er trekte. Prøv igjen."
        }
        ErrorCode::IdempotencyKeyReused => {
            "Denne førespurnaden er alt brukt til noko anna. Last inn sida på nytt og prøv igjen."
        }
        ErrorCode::IdempotencyInProgress => {
            "Den same førespurnaden blir framleis handsama. Vent litt og prøv igjen."
        }
        ErrorCode::TooManyAttempts => {
            "Denne betalinga er prøvd for mange gonger. Gå tilbake til butikken og start på nytt."
        }
        ErrorCode::MerchantUnavailable => {
            "Denne butikken kan ikkje ta imot betaling no. Ingen pengar er trekte."
        }
        ErrorCode::Internal => "Noko gjekk gale hos oss. Ingen pengar er trekte. Prøv igjen.",
    }
}

fn failure(reason: FailureReason) -> &'static str {
    match reason {
        FailureReason::InsufficientFunds => {
            "Kortet vart avvist: ikkje nok pengar på konto. Prøv eit anna kort i Vipps."
        }
        FailureReason::RefusedByIssuer => {
            "Kortet vart avvist av banken din. Prøv eit anna kort i Vipps."
        }
        FailureReason::NoSuchIssuer => {
            "Kortet vart avvist: banken som har gjeve ut kortet, er ukjend. Prøv eit anna kort i Vipps."
        }
        FailureReason::SuspectedFraud => {
            "Banken din stoppa betalinga for å verne deg. Kontakt banken, eller prøv eit anna kort i Vipps."
        }
        FailureReason::ExceedsLimit => {
            "Kortet vart avvist: beløpet er over grensa for kortet. Prøv eit anna kort i Vipps."
        }
        FailureReason::TooLate => "Banken din svara for seint. Ingen pengar er trekte. Prøv igjen.",
        FailureReason::ExpiredCard => "Kortet har gått ut. Prøv eit anna kort i Vipps.",
        FailureReason::InvalidCard => "Kortnummeret er ikkje gyldig. Prøv eit anna kort i Vipps.",
        FailureReason::CreditCardNotAllowed => {
            "Butikken tek ikkje imot kredittkort. Prøv eit debetkort i Vipps."
        }
        FailureReason::RejectedInApp => {
            "Du avviste betalinga i Vipps-appen. Ingen pengar er trekte."
        }
        FailureReason::CancelledAtVipps => {
            "Betalinga vart avbroten i Vipps. Ingen pengar er trekte."
        }
        FailureReason::TimedOut => {
            "Betalinga vart ikkje stadfesta i Vipps i tide. Ingen pengar er trekte."
        }
        FailureReason::CardUnreadable => {
            "Vi kunne ikkje lese kortopplysningane frå Vipps. Ingen pengar er trekte. Prøv igjen."
        }
        FailureReason::Internal => "Noko gjekk gale hos oss. Ingen pengar er trekte. Prøv igjen.",
    }
}
