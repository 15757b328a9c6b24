//! Every word the dashboard shows, in bokmål (`nb`) and English (`en`): one exhaustive
//! `match` per language (`text/nb.rs`, `text/en.rs`), so a missing translation does not
//! compile. `{amount}` in a text is filled in with `shared::text::fill`, `{count}` with
//! [`count`].

mod en;
mod nb;

/// A language the dashboard speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Nb,
    En,
}

impl Lang {
    pub const ALL: [Self; 2] = [Self::Nb, Self::En];

    /// The BCP 47 tag, for `<html lang>`.
    pub fn code(self) -> &'static str {
        match self {
            Self::Nb => "nb",
            Self::En => "en",
        }
    }

    /// The language's name in itself, for the switch.
    pub fn name(self) -> &'static str {
        match self {
            Self::Nb => "Norsk",
            Self::En => "English",
        }
    }

    /// A tag we wrote ([`Lang::code`]).
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|lang| lang.code() == code)
    }

    /// The browser's language (`navigator.language`): Norwegian in any form (`no`, `nb`,
    /// `nn`, `nb-NO`, …) is bokmål, anything else English.
    pub fn from_browser(tag: Option<&str>) -> Self {
        let primary = tag
            .and_then(|tag| tag.split(['-', '_']).next())
            .unwrap_or_default()
            .to_ascii_lowercase();
        match primary.as_str() {
            "no" | "nb" | "nn" => Self::Nb,
            _ => Self::En,
        }
    }
}

/// Something the dashboard says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Actions,
    ActionsColumn,
    Active,
    AddEndpoint,
    AllPayments,
    AllStatuses,
    Amount,
    AmountExceedsBalance,
    AmountInKroner,
    ApiKeys,
    ApiKeysIntro,
    Attempts,
    AttemptsCount,
    Authorised,
    Cancel,
    CancelButton,
    CancelDone,
    CancelHint,
    CancelHintUnreserved,
    Cancelled,
    Capturable,
    Capture,
    CaptureButton,
    CaptureHint,
    Captured,
    CapturedAll,
    CapturedAmount,
    Card,
    ChooseAnEvent,
    ConfirmCancel,
    ConfirmCancelUnreserved,
    ConfirmCaptureAll,
    ConfirmRefundAll,
    Copied,
    Copy,
    CopyByHand,
    CopyFailed,
    CreateApiKeyButton,
    Created,
    Date,
    Delete,
    DeleteQuestion,
    Deliveries,
    DeliveryDelivered,
    DeliveryFailed,
    DeliveryPending,
    Description,
    Developers,
    Done,
    Email,
    Endpoint,
    EndpointAdded,
    EndpointDeleted,
    EndpointUrl,
    EndpointsIntro,
    EventAuthorised,
    EventCancelled,
    EventCaptured,
    EventExpired,
    EventFailed,
    EventRefunded,
    EventType,
    Events,
    EventsToSend,
    Expires,
    Failure,
    FailureCancelledAtVipps,
    FailureCardUnreadable,
    FailureCreditCardNotAllowed,
    FailureExceedsLimit,
    FailureExpiredCard,
    FailureInsufficientFunds,
    FailureInternal,
    FailureInvalidCard,
    FailureNoSuchIssuer,
    FailureRefusedByIssuer,
    FailureRejectedInApp,
    FailureSuspectedFraud,
    FailureTimedOut,
    FailureTooLate,
    FilterEvents,
    HideDeliveries,
    InvalidState,
    Keep,
    ApiKeyCreated,
    ApiKeyName,
    ApiKeyNameRule,
    ApiKeyPrefix,
    ApiKeyRevoked,
    KronerNotANumber,
    KronerTooLarge,
    KronerTooPrecise,
    KronerZero,
    Language,
    LastUsed,
    Ledger,
    Loading,
    MainNavigation,
    MakePaymentFail,
    MakePaymentNone,
    MakePaymentOk,
    More,
    NewKeySecret,
    NewSigningSecret,
    No,
    NextAttempt,
    NoActions,
    NoAnswer,
    NoDeliveries,
    NoEvents,
    NoPayments,
    NoStatusUpdate,
    NoSuchPage,
    NotFound,
    OldSecretUntil,
    OperationCancel,
    OperationCapture,
    OperationFailed,
    OperationPending,
    OperationRefund,
    OperationSucceeded,
    OrderId,
    Password,
    Payment,
    PaymentExpired,
    PaymentHeading,
    PaymentId,
    PaymentIdOptional,
    PaymentIdRule,
    Payments,
    Product,
    RateLimited,
    Redeliver,
    Refund,
    RefundButton,
    RefundHint,
    Refundable,
    Refunded,
    RefundedAll,
    RefundedAmount,
    Revoke,
    RevokeQuestion,
    RevokedAt,
    RotateQuestion,
    RotateSecret,
    Search,
    SearchButton,
    SearchHint,
    SearchPayments,
    SecretRotated,
    SentAgain,
    ServerError,
    SessionExpired,
    ShowDeliveries,
    ShowEvents,
    ShowingOnePayment,
    ShowingPayments,
    ShownOnce,
    SignIn,
    SignInHeading,
    SignOut,
    SignedOutNotice,
    SigningIn,
    SigningOut,
    SkipToContent,
    State,
    Status,
    StatusAuthorised,
    StatusAwaitingApp,
    StatusCancelled,
    StatusCaptured,
    StatusCreated,
    StatusExpired,
    StatusFailed,
    StatusPartiallyCaptured,
    StatusPartiallyRefunded,
    StatusProcessing,
    StatusRefunded,
    StatusUpdateToVipps,
    StillRunning,
    Timeline,
    TimelineCreated,
    TimelineStarted,
    Transaction,
    TryAgain,
    UpdateDead,
    UpdateDelivered,
    UpdatePending,
    UrlRule,
    WebhookEndpoints,
    WhereTheMoneyIs,
    Working,
    WrongEmailOrPassword,
    YesCancel,
    YesCapture,
    YesDelete,
    YesRefund,
    YesRevoke,
    YesRotate,
}

/// How many of something, in words: `one` for 1, else `many` with `{count}` filled in.
pub fn count(lang: Lang, one: Key, many: Key, n: usize) -> String {
    match n {
        1 => text(lang, one).to_owned(),
        n => text(lang, many).replace("{count}", &n.to_string()),
    }
}

/// The words for `key` in `lang`.
pub fn text(lang: Lang, key: Key) -> &'static str {
    match lang {
        Lang::Nb => nb::text(key),
        Lang::En => en::text(key),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn norwegian_browsers_get_bokmal_and_the_rest_english() {
        for tag in ["no", "nb", "nn", "nb-NO", "nn_NO", "NO"] {
            assert_eq!(Lang::from_browser(Some(tag)), Lang::Nb, "{tag}");
        }
        for tag in ["en-GB", "sv", "de-DE", ""] {
            assert_eq!(Lang::from_browser(Some(tag)), Lang::En, "{tag}");
        }
        assert_eq!(Lang::from_browser(None), Lang::En);
        assert_eq!(Lang::from_code("nb"), Some(Lang::Nb));
        assert_eq!(Lang::from_code("nn"), None);
    }

    #[test]
    fn placeholders_are_the_same_in_both_languages() {
        for key in [
            Key::CaptureHint,
            Key::RefundHint,
            Key::CancelHint,
            Key::CapturedAmount,
            Key::RefundedAmount,
            Key::ConfirmCaptureAll,
            Key::ConfirmRefundAll,
            Key::ConfirmCancel,
        ] {
            for lang in Lang::ALL {
                assert!(text(lang, key).contains("{amount}"), "{lang:?} {key:?}");
            }
        }
        for lang in Lang::ALL {
            assert!(
                text(lang, Key::ShowingPayments).contains("{count}"),
                "{lang:?}"
            );
        }
    }

    #[test]
    fn one_payment_is_singular_and_more_are_plural() {
        assert_eq!(
            count(Lang::En, Key::ShowingOnePayment, Key::ShowingPayments, 1),
            "Showing 1 payment."
        );
        assert_eq!(
            count(Lang::En, Key::ShowingOnePayment, Key::ShowingPayments, 25),
            "Showing 25 payments."
        );
        assert_eq!(
            count(Lang::Nb, Key::ShowingOnePayment, Key::ShowingPayments, 1),
            "Viser 1 betaling."
        );
    }
}
