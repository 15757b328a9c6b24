//! Unit tests of the pure state machine in `checkout`.

use shared::checkout::{CheckoutPayment, CheckoutStatus, ErrorCode, FailureReason};
use shared::{Amount, Currency, MobileNumberError, PaymentId};

use super::*;
use crate::api;

const LANDING: &str = "https://vipps.example/landing?token=abc";

fn payment(status: CheckoutStatus) -> CheckoutPayment {
    let Ok(amount) = Amount::from_ore(29_950) else {
        unreachable!("a valid amount")
    };
    CheckoutPayment {
        id: PaymentId::from_random([7; 16]),
        amount,
        currency: Currency::Nok,
        description: "Two books".to_owned(),
        merchant_name: "Demo Shop AS".to_owned(),
        phone_number: None,
        status,
        failure: None,
        vipps_url: Some(LANDING.to_owned()),
        is_app: false,
        expires_at: 1_900_000_000,
    }
}

fn api_error(code: ErrorCode) -> Result<CheckoutPayment, api::Error> {
    Err(api::Error::Api { status: 400, code })
}

fn waiting(show_link: bool) -> Step {
    Step::Waiting(Waiting {
        vipps_url: Some(LANDING.to_owned()),
        show_link,
        ..Waiting::default()
    })
}

#[test]
fn a_reloaded_page_shows_the_step_of_the_server_state() {
    let loading = Step::Loading { trouble: false };
    let fetch = |status| after_fetch(&loading, &Ok(payment(status)));
    assert_eq!(
        fetch(CheckoutStatus::AwaitingPhone),
        Step::Phone(PhoneEntry::default())
    );
    assert_eq!(fetch(CheckoutStatus::AwaitingApp), waiting(true));
    assert_eq!(
        fetch(CheckoutStatus::Succeeded),
        Step::Done(Outcome::Succeeded)
    );
    assert_eq!(
        fetch(CheckoutStatus::Cancelled),
        Step::Done(Outcome::Cancelled)
    );
    assert_eq!(fetch(CheckoutStatus::Expired), Step::Done(Outcome::Expired));
}

#[test]
fn a_failed_payment_carries_its_reason_and_defaults_to_internal() {
    let mut failed = payment(CheckoutStatus::Failed);
    failed.failure = Some(FailureReason::InsufficientFunds);
    let step = after_fetch(&waiting(false), &Ok(failed.clone()));
    assert_eq!(
        step,
        Step::Done(Outcome::Failed(FailureReason::InsufficientFunds))
    );
    failed.failure = None;
    let step = after_fetch(&waiting(false), &Ok(failed));
    assert_eq!(step, Step::Done(Outcome::Failed(FailureReason::Internal)));
}

#[test]
fn a_successful_start_waits_and_offers_a_link_only_when_the_window_was_blocked() {
    let started = Ok(payment(CheckoutStatus::AwaitingApp));
    assert_eq!(after_start(&started, true), waiting(false));
    assert_eq!(after_start(&started, false), waiting(true));
}

#[test]
fn polling_keeps_what_the_widget_knows_about_the_landing_window() {
    let mut processing = payment(CheckoutStatus::Processing);
    processing.vipps_url = None;
    let Step::Waiting(next) = after_fetch(&waiting(false), &Ok(processing)) else {
        unreachable!("still waiting")
    };
    assert!(next.processing);
    assert!(!next.show_link);
    assert_eq!(next.vipps_url.as_deref(), Some(LANDING));
}

#[test]
fn network_failures_while_polling_show_trouble_and_keep_polling() {
    let step = after_fetch(&waiting(false), &Err(api::Error::Network));
    assert!(matches!(&step, Step::Waiting(w) if w.trouble));
    assert!(step.polls());
    let step = after_fetch(
        &Step::Loading { trouble: false },
        &api_error(ErrorCode::Internal),
    );
    assert_eq!(step, Step::Loading { trouble: true });
    let recovered = after_fetch(&step, &Ok(payment(CheckoutStatus::AwaitingApp)));
    assert!(matches!(recovered, Step::Waiting(w) if !w.trouble));
}

#[test]
fn fetch_errors_map_by_code() {
    let loading = Step::Loading { trouble: false };
    let fetch = |code| after_fetch(&loading, &api_error(code));
    assert_eq!(
        fetch(ErrorCode::PaymentExpired),
        Step::Done(Outcome::Expired)
    );
    for code in [
        ErrorCode::NotFound,
        ErrorCode::Unauthorized,
        ErrorCode::InvalidRequest,
    ] {
        assert_eq!(fetch(code), Step::Problem(Problem::Api(code)));
    }
    assert_eq!(fetch(ErrorCode::Unknown), Step::Loading { trouble: true });
    assert_eq!(
        fetch(ErrorCode::RateLimited),
        Step::Loading { trouble: false }
    );
}

#[test]
fn start_errors_go_back_to_the_form_with_a_reason() {
    let start = |code| after_start(&api_error(code), true);
    let form = |error| {
        Step::Phone(PhoneEntry {
            error: Some(error),
            starting: false,
        })
    };
    for code in [
        ErrorCode::VippsRejected,
        ErrorCode::VippsUnavailable,
        ErrorCode::RateLimited,
        ErrorCode::Internal,
    ] {
        assert_eq!(start(code), form(FormError::Api(code)));
    }
    assert_eq!(
        after_start(&Err(api::Error::Network), true),
        form(FormError::NoAnswer)
    );
    assert_eq!(
        start(ErrorCode::PaymentExpired),
        Step::Done(Outcome::Expired)
    );
}

#[test]
fn a_payment_tried_too_often_sends_the_shopper_back_to_the_shop() {
    let step = after_start(&api_error(ErrorCode::TooManyAttempts), true);
    assert_eq!(
        step,
        Step::Problem(Problem::Api(ErrorCode::TooManyAttempts))
    );
    assert!(!step.polls());
}

#[test]
fn starting_an_already_started_payment_reloads_it() {
    let step = after_start(&api_error(ErrorCode::InvalidState), true);
    assert_eq!(step, Step::Loading { trouble: false });
    assert!(step.polls());
}

#[test]
fn only_web_addresses_become_the_landing_page() {
    let mut started = payment(CheckoutStatus::AwaitingApp);
    started.vipps_url = Some("javascript:alert(1)".to_owned());
    let step = after_start(&Ok(started), true);
    assert!(matches!(step, Step::Waiting(w) if w.vipps_url.is_none()));
    assert!(is_web_url("http://127.0.0.1:4001/landing"));
}

#[test]
fn the_phone_input_is_parsed_with_the_servers_rules() {
    assert!(parse_phone("+47 912 34 567").is_ok());
    assert_eq!(
        parse_phone(""),
        Err(FormError::Invalid(MobileNumberError::Empty))
    );
    assert_eq!(
        parse_phone("22123456"),
        Err(FormError::Invalid(MobileNumberError::NotMobile))
    );
}

#[test]
fn an_error_follows_the_input_once_shown_and_not_before() {
    let clean = PhoneEntry::default();
    assert_eq!(revalidate(&clean, "1"), clean);
    let shown = PhoneEntry {
        error: Some(FormError::Api(ErrorCode::VippsRejected)),
        starting: false,
    };
    let typing = revalidate(&shown, "9123");
    assert_eq!(
        typing.error,
        Some(FormError::Invalid(MobileNumberError::WrongLength))
    );
    assert_eq!(revalidate(&typing, "91234567").error, None);
}

#[test]
fn the_parent_hears_wire_statuses_and_final_reasons() {
    assert_eq!(Step::Loading { trouble: false }.status(), None);
    let starting = Step::Phone(PhoneEntry {
        error: None,
        starting: true,
    });
    assert_eq!(
        starting.status().map(|r| r.status),
        Some(CheckoutStatus::AwaitingPhone)
    );
    assert_eq!(starting.name(), "starting");
    let failed = Step::Done(Outcome::Failed(FailureReason::ExpiredCard));
    let report = StatusReport {
        status: CheckoutStatus::Failed,
        reason: Some(FailureReason::ExpiredCard),
    };
    assert_eq!(failed.status(), Some(report));
    assert!(!failed.polls());
}

#[test]
fn an_app_switch_attempt_always_offers_the_way_to_the_app() {
    let mut started = payment(CheckoutStatus::AwaitingApp);
    started.is_app = true;
    let Step::Waiting(w) = after_start(&Ok(started), false) else {
        unreachable!("waiting")
    };
    assert!(w.is_app && w.show_link);
    assert_eq!(w.vipps_url.as_deref(), Some(LANDING));
}

#[test]
fn a_poll_while_the_form_is_open_keeps_its_error() {
    let form = Step::Phone(PhoneEntry {
        error: Some(FormError::NoAnswer),
        starting: false,
    });
    let polled = after_fetch(&form, &Ok(payment(CheckoutStatus::AwaitingPhone)));
    assert_eq!(polled, form);
}

#[test]
fn cancel_while_waiting_ends_cancelled_or_says_it_did_not_go_through() {
    let Some(sent) = cancelling(&waiting(false)) else {
        unreachable!("a waiting payment can be cancelled")
    };
    assert!(matches!(&sent, Step::Waiting(w) if w.cancelling));
    assert_eq!(cancelling(&sent), None, "one cancel at a time");
    let cancelled = after_cancel(&sent, &Ok(payment(CheckoutStatus::Cancelled)));
    assert_eq!(cancelled, Step::Done(Outcome::Cancelled));
    for failed in [Err(api::Error::Network), api_error(ErrorCode::RateLimited)] {
        let step = after_cancel(&sent, &failed);
        assert!(matches!(&step, Step::Waiting(w) if w.cancel_failed && !w.cancelling));
        assert!(step.polls(), "still waiting, still polling");
    }
}

#[test]
fn cancel_too_late_shows_where_the_payment_is_now() {
    let Some(sent) = cancelling(&waiting(false)) else {
        unreachable!("a waiting payment can be cancelled")
    };
    let step = after_cancel(&sent, &api_error(ErrorCode::InvalidState));
    assert_eq!(step, Step::Loading { trouble: false });
    let step = after_cancel(&sent, &api_error(ErrorCode::PaymentExpired));
    assert_eq!(step, Step::Done(Outcome::Expired));
    let processing = Step::Waiting(Waiting {
        processing: true,
        ..Waiting::default()
    });
    assert_eq!(cancelling(&processing), None, "the card is being charged");
}

#[test]
fn a_new_attempt_after_a_failure_that_is_too_late_shows_expired() {
    let step = after_start(&api_error(ErrorCode::PaymentExpired), true);
    assert_eq!(step, Step::Done(Outcome::Expired));
    let step = after_start(&api_error(ErrorCode::InvalidState), true);
    assert_eq!(step, Step::Loading { trouble: false });
}

#[test]
fn while_a_retry_starts_the_parent_still_hears_failed() {
    let step = Step::Retrying(FailureReason::InsufficientFunds);
    let report = StatusReport {
        status: CheckoutStatus::Failed,
        reason: Some(FailureReason::InsufficientFunds),
    };
    assert_eq!(step.status(), Some(report));
    assert_eq!(step.screen(), Screen::Result);
    assert_eq!(step.name(), "starting");
    assert!(!step.polls());
}
