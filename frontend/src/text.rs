//! Every word the shopper sees, in bokmål (`nb`), nynorsk (`nn`) and English (`en`).
//! Each language is one exhaustive `match` over [`Key`], so a missing translation does
//! not compile. Which language: the merchant's `locale`, else the browser's.

use shared::MobileNumberError;
use shared::checkout::{ErrorCode, FailureReason};

use crate::checkout::{FormError, Outcome, Problem, Step};

mod en;
mod nb;
mod nn;

/// A language the widget speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Nb,
    Nn,
    En,
}

/// Something the widget says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Loading,
    ConnectionTrouble,
    PhoneHeading,
    PhoneInstruction,
    PhoneLabel,
    PhoneHint,
    PhoneEmpty,
    PhoneNotDigits,
    PhoneWrongLength,
    PhoneNotMobile,
    Pay,
    Starting,
    /// A request the shopper made got no answer.
    NoAnswer,
    /// An error answer of the API.
    Error(ErrorCode),
    WaitingHeading,
    WaitingHint,
    AppHint,
    Processing,
    NoVippsWindow,
    OpenVipps,
    QrLabel,
    QrAlt,
    TimeLeft,
    Cancel,
    Cancelling,
    CancelFailed,
    Succeeded,
    /// `{amount}` and `{merchant}` are filled in.
    Paid,
    ThankYou,
    Failed,
    Failure(FailureReason),
    TryAgain,
    Cancelled,
    CancelledDetail,
    Expired,
    ExpiredDetail,
    ProblemHeading,
    NotEmbedded,
    BadLink,
    NoInit,
}

impl Lang {
    /// The BCP 47 tag, for `<html lang>`.
    pub fn code(self) -> &'static str {
        match self {
            Self::Nb => "nb",
            Self::Nn => "nn",
            Self::En => "en",
        }
    }

    /// `nb`, `no`, `nb-NO`, `no-NO` → bokmål; `nn`, `nn-NO` → nynorsk; `en…` → English.
    pub fn from_tag(tag: &str) -> Option<Self> {
        let primary = tag.split(['-', '_']).next().unwrap_or_default();
        match primary.to_ascii_lowercase().as_str() {
            "nb" | "no" => Some(Self::Nb),
            "nn" => Some(Self::Nn),
            "en" => Some(Self::En),
            _ => None,
        }
    }

    /// The merchant's `locale` if we speak it, else the first of the browser's languages
    /// that we speak, else English.
    pub fn choose<'a>(locale: Option<&str>, preferred: impl IntoIterator<Item = &'a str>) -> Self {
        locale
            .and_then(Self::from_tag)
            .or_else(|| preferred.into_iter().find_map(Self::from_tag))
            .unwrap_or(Self::En)
    }
}

/// The words for `key` in `lang`.
pub fn text(lang: Lang, key: Key) -> &'static str {
    match lang {
        Lang::Nb => nb::text(key),
        Lang::Nn => nn::text(key),
        Lang::En => en::text(key),
    }
}

/// What the live region announces for a step.
pub fn announcement(step: &Step) -> Key {
    match step {
        Step::Loading { trouble: false } => Key::Loading,
        Step::Loading { trouble: true } => Key::ConnectionTrouble,
        Step::Phone(entry) if entry.starting => Key::Starting,
        Step::Phone(_) => Key::PhoneInstruction,
        Step::Waiting(w) if w.trouble => Key::ConnectionTrouble,
        Step::Waiting(w) if w.processing => Key::Processing,
        Step::Waiting(w) if w.cancelling => Key::Cancelling,
        Step::Waiting(_) => Key::WaitingHeading,
        Step::Retrying(_) => Key::Starting,
        Step::Done(Outcome::Failed(reason)) => Key::Failure(*reason),
        Step::Done(outcome) => outcome_title(*outcome),
        Step::Problem(p) => problem(*p),
    }
}

/// The heading of a final screen.
pub fn outcome_title(outcome: Outcome) -> Key {
    match outcome {
        Outcome::Succeeded => Key::Succeeded,
        Outcome::Failed(_) => Key::Failed,
        Outcome::Cancelled => Key::Cancelled,
        Outcome::Expired => Key::Expired,
    }
}

/// The sentence under the heading of a final screen (`Paid` needs filling in).
pub fn outcome_detail(outcome: Outcome, known_summary: bool) -> Key {
    match outcome {
        Outcome::Succeeded if known_summary => Key::Paid,
        Outcome::Succeeded => Key::ThankYou,
        Outcome::Failed(reason) => Key::Failure(reason),
        Outcome::Cancelled => Key::CancelledDetail,
        Outcome::Expired => Key::ExpiredDetail,
    }
}

/// The message under the phone input.
pub fn form_error(error: &FormError) -> Key {
    match error {
        FormError::Invalid(MobileNumberError::Empty) => Key::PhoneEmpty,
        FormError::Invalid(MobileNumberError::NotDigits) => Key::PhoneNotDigits,
        FormError::Invalid(MobileNumberError::WrongLength) => Key::PhoneWrongLength,
        FormError::Invalid(MobileNumberError::NotMobile) => Key::PhoneNotMobile,
        FormError::NoAnswer => Key::NoAnswer,
        FormError::Api(code) => Key::Error(*code),
    }
}

/// Why the widget cannot go on.
pub fn problem(problem: Problem) -> Key {
    match problem {
        Problem::NotEmbedded => Key::NotEmbedded,
        Problem::BadLink => Key::BadLink,
        Problem::NoInit => Key::NoInit,
        Problem::Api(code) => Key::Error(code),
    }
}

/// `template` with `{amount}` and `{merchant}` filled in (by hand: `str::replace` pulls
/// in a substring searcher the wasm does not otherwise need).
pub fn fill(template: &str, amount: &str, merchant: &str) -> String {
    let mut out = String::with_capacity(template.len() + amount.len() + merchant.len());
    let mut rest = template;
    while let Some((before, after)) = rest.split_once('{') {
        out.push_str(before);
        rest = if let Some(after) = after.strip_prefix("amount}") {
            out.push_str(amount);
            after
        } else if let Some(after) = after.strip_prefix("merchant}") {
            out.push_str(merchant);
            after
        } else {
            out.push('{');
            after
        };
    }
    out.push_str(rest);
    out
}

/// An amount in øre as Norwegians write it: `1 234,50 kr` (no-break spaces).
pub fn amount(ore: u32) -> String {
    let kroner = digits(ore / 100);
    let mut out = String::with_capacity(kroner.len() + 8);
    for (i, digit) in kroner.chars().enumerate() {
        if i > 0 && (kroner.len() - i).is_multiple_of(3) {
            out.push('\u{a0}');
        }
        out.push(digit);
    }
    out.push(',');
    let cents = ore % 100;
    if cents < 10 {
        out.push('0');
    }
    out.push_str(&digits(cents));
    out.push_str("\u{a0}kr");
    out
}

/// The decimal digits of `n`, without `core::fmt` (it is big in wasm).
pub fn digits(mut n: u32) -> String {
    let mut reversed = Vec::with_capacity(10);
    loop {
        reversed.push(b'0' + u8::try_from(n % 10).unwrap_or_default());
        n /= 10;
        if n == 0 {
            break;
        }
    }
    reversed.iter().rev().map(|b| char::from(*b)).collect()
}

#[cfg(test)]
#[path = "text_tests.rs"]
mod tests;
