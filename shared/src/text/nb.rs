//! Norsk bokmål.

use crate::checkout::{ErrorCode, FailureReason};

use super::{Key, ReturnKey};

pub fn text(key: Key) -> &'static str {
    match key {
        Key::Loading => "Henter betalingen …",
        Key::ConnectionTrouble => "Vi får ikke kontakt med serveren akkurat nå. Vi prøver igjen …",
        Key::PhoneHeading => "Betal med Vipps",
        Key::PhoneInstruction => "Skriv inn mobilnummeret ditt for å betale med Vipps.",
        Key::PhoneLabel => "Mobilnummer",
        Key::PhoneHint => "Nummeret du bruker i Vipps.",
        Key::PhoneEmpty => "Skriv inn mobilnummeret ditt.",
        Key::PhoneNotDigits => "Et mobilnummer har bare sifre.",
        Key::PhoneWrongLength => "Et norsk mobilnummer har 8 sifre.",
        Key::PhoneNotMobile => "Et norsk mobilnummer begynner med 4 eller 9.",
        Key::Pay => "Betal med Vipps",
        Key::Starting => "Åpner Vipps …",
        Key::NoAnswer => "Vi fikk ikke kontakt med serveren. Sjekk nettforbindelsen og prøv igjen.",
        Key::Error(code) => error(code),
        Key::WaitingHeading => "Bekreft betalingen i Vipps-appen",
        Key::WaitingHint => "La denne siden være åpen. Den oppdateres av seg selv.",
        Key::AppHint => "Åpnet ikke Vipps-appen seg? Bruk knappen under.",
        Key::Processing => "Betalingen er bekreftet. Vi fullfører betalingen …",
        Key::NoVippsWindow => "Ser du ikke Vipps?",
        Key::OpenVipps => "Åpne Vipps",
        Key::QrLabel => "Eller skann koden med kameraet på mobilen:",
        Key::QrAlt => "QR-kode som åpner betalingen i Vipps",
        Key::TimeLeft => "Tid igjen til å betale",
        Key::Cancel => "Avbryt betalingen",
        Key::Cancelling => "Avbryter betalingen …",
        Key::CancelFailed => "Betalingen kunne ikke avbrytes akkurat nå. Prøv igjen.",
        Key::Succeeded => "Betalingen er fullført",
        Key::Paid => "Du har betalt {amount} til {merchant}.",
        Key::ThankYou => "Takk for betalingen.",
        Key::Failed => "Betalingen gikk ikke gjennom",
        Key::Failure(reason) => failure(reason),
        Key::TryAgain => "Prøv igjen",
        Key::Cancelled => "Betalingen er avbrutt",
        Key::CancelledDetail => "Betalingen ble avbrutt. Ingen penger er trukket.",
        Key::Expired => "Tiden er ute",
        Key::ExpiredDetail => {
            "Tiden for å betale gikk ut. Ingen penger er trukket. Gå tilbake til butikken for å prøve igjen."
        }
        Key::ProblemHeading => "Betalingen kan ikke vises",
        Key::NotEmbedded => "Denne betalingssiden virker bare i kassen til butikken.",
        Key::BadLink => "Betalingslenken er ikke gyldig. Gå tilbake til butikken og prøv igjen.",
        Key::NoInit => "Betalingen kunne ikke starte. Last inn siden på nytt og prøv igjen.",
    }
}

pub fn return_text(key: ReturnKey) -> &'static str {
    match key {
        ReturnKey::InProgress => "Betalingen pågår",
        ReturnKey::FinishInApp => {
            "Fullfør betalingen i Vipps-appen. Denne siden oppdateres av seg selv."
        }
        ReturnKey::PaidDetail => "Takk! Du kan lukke dette vinduet og gå tilbake til butikken.",
        ReturnKey::FailedDetail => {
            "Ingen penger er trukket. Gå tilbake til butikken for å prøve igjen."
        }
        ReturnKey::BackToShop => "Tilbake til butikken",
    }
}

fn error(code: ErrorCode) -> &'static str {
    match code {
        ErrorCode::InvalidRequest | ErrorCode::MsnTaken | ErrorCode::Unknown => {
            "Noe gikk galt. Prøv igjen."
        }
        ErrorCode::Unauthorized => {
            "Denne betalingen kan ikke åpnes her. Gå tilbake til butikken og prøv igjen."
        }
        ErrorCode::NotFound => {
            "Vi finner ikke denne betalingen. Gå tilbake til butikken og start på nytt."
        }
        ErrorCode::PaymentExpired => "Tiden for å betale har gått ut. Ingen penger er trukket.",
        ErrorCode::InvalidState => "Betalingen har kommet videre. Vi viser hvor den står nå …",
        ErrorCode::DuplicateOrderId => {
            "Butikken har allerede brukt dette ordrenummeret. Gå tilbake til butikken og start på nytt."
        }
        ErrorCode::VippsRejected => {
            "Vipps kunne ikke starte en betaling for dette nummeret. Sjekk at det er nummeret du bruker i Vipps."
        }
        ErrorCode::VippsUnavailable => "Vipps svarer ikke akkurat nå. Prøv igjen om litt.",
        ErrorCode::RateLimited => "For mange forsøk på kort tid. Vent litt og prøv igjen.",
        ErrorCode::AmountExceedsBalance => {
            "Beløpet er større enn det som gjenstår av betalingen. Gå tilbake til butikken og prøv igjen."
        }
        ErrorCode::AcquirerFailed => {
            "Kortbetalingen kunne ikke fullføres. Ingen penger er trukket. Prøv igjen."
        }
        ErrorCode::IdempotencyKeyReused => {
            "Denne forespørselen er allerede brukt til noe annet. Last inn siden på nytt og prøv igjen."
        }
        ErrorCode::IdempotencyInProgress => {
            "Den samme forespørselen blir fortsatt behandlet. Vent litt og prøv igjen."
        }
        ErrorCode::TooManyAttempts => {
            "Denne betalingen er forsøkt for mange ganger. Gå tilbake til butikken og start på nytt."
        }
        ErrorCode::MerchantUnavailable => {
            "Denne butikken kan ikke ta imot betaling nå. Ingen penger er trukket."
        }
        ErrorCode::Internal => "Noe gikk galt hos oss. Ingen penger er trukket. Prøv igjen.",
    }
}

fn failure(reason: FailureReason) -> &'static str {
    match reason {
        FailureReason::InsufficientFunds => {
            "Kortet ble avvist: ikke nok penger på konto. Prøv et annet kort i Vipps."
        }
        FailureReason::RefusedByIssuer => {
            "Kortet ble avvist av banken din. Prøv et annet kort i Vipps."
        }
        FailureReason::NoSuchIssuer => {
            "Kortet ble avvist: banken som har utstedt kortet, er ukjent. Prøv et annet kort i Vipps."
        }
        FailureReason::SuspectedFraud => {
            "Banken din stoppet betalingen for din sikkerhet. Kontakt banken, eller prøv et annet kort i Vipps."
        }
        FailureReason::ExceedsLimit => {
            "Kortet ble avvist: beløpet er over grensen for kortet. Prøv et annet kort i Vipps."
        }
        FailureReason::TooLate => {
            "Banken din svarte for sent. Ingen penger er trukket. Prøv igjen."
        }
        FailureReason::ExpiredCard => "Kortet er utløpt. Prøv et annet kort i Vipps.",
        FailureReason::InvalidCard => "Kortnummeret er ikke gyldig. Prøv et annet kort i Vipps.",
        FailureReason::CreditCardNotAllowed => {
            "Butikken tar ikke imot kredittkort. Prøv et debetkort i Vipps."
        }
        FailureReason::RejectedInApp => {
            "Du avviste betalingen i Vipps-appen. Ingen penger er trukket."
        }
        FailureReason::CancelledAtVipps => {
            "Betalingen ble avbrutt i Vipps. Ingen penger er trukket."
        }
        FailureReason::TimedOut => {
            "Betalingen ble ikke bekreftet i Vipps i tide. Ingen penger er trukket."
        }
        FailureReason::CardUnreadable => {
            "Vi kunne ikke lese kortopplysningene fra Vipps. Ingen penger er trukket. Prøv igjen."
        }
        FailureReason::Internal => "Noe gikk galt hos oss. Ingen penger er trukket. Prøv igjen.",
    }
}
