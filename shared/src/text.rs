//! Every word a shopper sees, in bokmål (`nb`), nynorsk (`nn`) and English (`en`): the
//! widget's ([`Key`]) and the return page's ([`ReturnKey`]), so all strings live here.
//! Each language is one exhaustive `match` per key type, so a missing translation does
//! not compile. Which language: the merchant's `locale`, else the browser's.
//!
//! The widget's wasm only links what it calls: the return page's words stay out of it.

use serde::{Deserialize, Serialize};

use crate::checkout::{ErrorCode, FailureReason};

mod en;
mod nb;
mod nn;

/// A language the widget speaks; on the wire its tag (`"nb"`, `"nn"`, `"en"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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

    /// For a page we serve: the language the merchant or widget chose (`tag`) if we speak
    /// it, else the one the browser asks for in `Accept-Language`, else English.
    pub fn for_page(tag: Option<&str>, accept_language: Option<&str>) -> Self {
        tag.and_then(Self::from_tag)
            .or_else(|| accept_language.and_then(Self::from_accept_language))
            .unwrap_or(Self::En)
    }

    /// The language a browser asks for in `Accept-Language` (`nn-NO, nb;q=0.9, en;q=0.5`):
    /// the one we speak with the highest weight, the first listed among equals. Entries
    /// that do not parse, and `q=0`, count as absent.
    pub fn from_accept_language(header: &str) -> Option<Self> {
        let mut best: Option<(Self, u16)> = None;
        for entry in header.split(',') {
            let mut parts = entry.split(';');
            let Some(lang) = parts.next().and_then(|tag| Self::from_tag(tag.trim())) else {
                continue;
            };
            let weight = parts
                .find_map(|param| param.trim().strip_prefix("q="))
                .map_or(Some(1000), quality);
            if let Some(weight) = weight.filter(|w| *w > 0)
                && best.is_none_or(|(_, top)| weight > top)
            {
                best = Some((lang, weight));
            }
        }
        best.map(|(lang, _)| lang)
    }
}

/// An `Accept-Language` weight (`0`, `0.5`, `1.000`) in thousandths.
fn quality(q: &str) -> Option<u16> {
    let (whole, fraction) = q.trim().split_once('.').unwrap_or((q.trim(), ""));
    if fraction.len() > 3 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let thousandths = fraction
        .bytes()
        .chain(std::iter::repeat(b'0'))
        .take(3)
        .fold(0, |n, b| n * 10 + u16::from(b - b'0'));
    match whole {
        "0" => Some(thousandths),
        "1" if thousandths == 0 => Some(1000),
        _ => None,
    }
}

/// Something the return page says (the page Vipps sends the shopper back to). It shows
/// the payment's status only: no amount, no merchant, no decline reason, because anyone
/// with the link can open it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReturnKey {
    /// The heading while the payment is not final.
    InProgress,
    /// Still waiting for the shopper in the Vipps app.
    FinishInApp,
    /// Under "Payment complete".
    PaidDetail,
    /// Under "Payment failed".
    FailedDetail,
    /// The link back to the merchant's page.
    BackToShop,
}

impl ReturnKey {
    /// Every variant, in declaration order.
    pub const ALL: [Self; 5] = [
        Self::InProgress,
        Self::FinishInApp,
        Self::PaidDetail,
        Self::FailedDetail,
        Self::BackToShop,
    ];
}

/// The words for `key` in `lang`.
pub fn text(lang: Lang, key: Key) -> &'static str {
    match lang {
        Lang::Nb => nb::text(key),
        Lang::Nn => nn::text(key),
        Lang::En => en::text(key),
    }
}

/// The return page's words for `key` in `lang`.
pub fn return_text(lang: Lang, key: ReturnKey) -> &'static str {
    match lang {
        Lang::Nb => nb::return_text(key),
        Lang::Nn => nn::return_text(key),
        Lang::En => en::return_text(key),
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
