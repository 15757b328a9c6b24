//! Test phone numbers and amounts that force an outcome, like a card network's test cards:
//! a phone number scripts what the shopper does once the landing page's Confirm is posted;
//! an amount makes init fail at once.

use axum::http::StatusCode;
use shared::test_cards::TEST_CARDS;
use shared::vipps::ErrorDetails;
use shared::{Amount, MobileNumber};

use crate::app::AppState;
use crate::card_data::CardNumber;
use crate::shopper::{self, Action, Finished, Sends, ShopperError};
use crate::vipps_error::{INVALID_REQUEST, VippsErrors, detail};

/// What the shopper with a test phone number does right after confirming on the landing page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShopperScript {
    /// Rejects in the app: makePayment `NO`.
    Reject,
    /// Never answers: makePayment `TIMEOUT` at once, without waiting for the shopper timeout.
    Timeout,
    /// Cancels on the landing page: makePayment `CANCEL`.
    Cancel,
    /// Approves with the first test card (4925 0000 0000 0004): makePayment `YES`.
    Approve,
    /// Approves, and Vipps sends the same makePayment twice, one after the other.
    ApproveTwice,
    /// Approves, and Vipps sends the same makePayment twice at the same moment.
    ApproveTwiceAtOnce,
}

/// A phone number with a scripted shopper.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TestPhone {
    pub number: &'static str,
    pub script: ShopperScript,
}

/// Every test phone number. Any other number waits for a real (or test-control) answer.
pub const TEST_PHONES: &[TestPhone] = &[
    phone("40000001", ShopperScript::Reject),
    phone("40000002", ShopperScript::Timeout),
    phone("40000003", ShopperScript::Cancel),
    phone("40000004", ShopperScript::Approve),
    phone("40000005", ShopperScript::ApproveTwice),
    phone("40000006", ShopperScript::ApproveTwiceAtOnce),
];

/// An amount in øre that init refuses, whatever else the request says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TestAmount {
    pub ore: u32,
    pub status: u16,
    /// The `errorCode` of the one error in the answer.
    pub error_code: &'static str,
    pub error_field: Option<&'static str>,
    pub error_message: &'static str,
}

/// Every test amount. Any other valid amount is initiated as usual.
pub const TEST_AMOUNTS: &[TestAmount] = &[
    amount(1313, 500, "500", None, "Internal Server Error"),
    amount(
        1414,
        400,
        INVALID_REQUEST,
        Some("customerMobileNumber"),
        "Invalid customerMobileNumber: not a Vipps user",
    ),
    amount(1515, 503, "503", None, "Service Unavailable"),
    amount(
        2121,
        400,
        "21",
        Some("Merchant-Serial-Number"),
        "Merchant not available or active",
    ),
    amount(4242, 400, "42", None, "Invalid payment model type"),
];

const fn phone(number: &'static str, script: ShopperScript) -> TestPhone {
    TestPhone { number, script }
}

const fn amount(
    ore: u32,
    status: u16,
    error_code: &'static str,
    error_field: Option<&'static str>,
    error_message: &'static str,
) -> TestAmount {
    TestAmount {
        ore,
        status,
        error_code,
        error_field,
        error_message,
    }
}

/// The script of a test phone number.
pub fn script_for(phone: &MobileNumber) -> Option<ShopperScript> {
    TEST_PHONES
        .iter()
        .find(|p| p.number == phone.as_str())
        .map(|p| p.script)
}

/// Does what the script says, as the shopper and the app would.
pub async fn play(
    app: &AppState,
    psp_transaction_id: &str,
    script: ShopperScript,
) -> Result<Finished, ShopperError> {
    let approve = || -> Result<Action, ShopperError> {
        let card = CardNumber::parse(TEST_CARDS.first().map_or("", |card| card.number))?;
        Ok(Action::Approve { card, expiry: None })
    };
    let (action, sends) = match script {
        ShopperScript::Reject => (Action::Reject, Sends::ONCE),
        ShopperScript::Timeout => (Action::Timeout, Sends::ONCE),
        ShopperScript::Cancel => (Action::Cancel, Sends::ONCE),
        ShopperScript::Approve => (approve()?, Sends::ONCE),
        ShopperScript::ApproveTwice => (approve()?, Sends::twice(false)),
        ShopperScript::ApproveTwiceAtOnce => (approve()?, Sends::twice(true)),
    };
    tracing::info!(
        psp_transaction_id,
        ?script,
        "test phone number: playing the shopper"
    );
    let (finished, _) = shopper::act_with(app, psp_transaction_id, action, sends).await?;
    Ok(finished)
}

/// Init's answer for a test amount.
pub fn init_refusal(amount: Amount) -> Option<VippsErrors> {
    let test = TEST_AMOUNTS.iter().find(|a| a.ore == amount.ore())?;
    let status = StatusCode::from_u16(test.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let error = ErrorDetails {
        developer_msg: Some(format!(
            "Forced by the simulator's test amount {}",
            test.ore
        )),
        ..detail(test.error_code, test.error_message, test.error_field, None)
    };
    Some(VippsErrors::new(status, vec![error]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_phone_numbers_are_valid_mobile_numbers_with_a_script() {
        for test in TEST_PHONES {
            let parsed = test.number.parse::<MobileNumber>();
            assert!(
                parsed.is_ok_and(|p| script_for(&p) == Some(test.script)),
                "{}",
                test.number
            );
        }
        let Ok(other) = "91234567".parse::<MobileNumber>() else {
            unreachable!()
        };
        assert_eq!(script_for(&other), None);
    }

    #[test]
    fn test_amounts_answer_their_status_and_code() {
        let refusal = |ore| Amount::from_ore(ore).ok().and_then(init_refusal);
        let down = refusal(1313);
        assert_eq!(
            down.as_ref().map(|e| e.status),
            Some(StatusCode::INTERNAL_SERVER_ERROR)
        );
        let phone = refusal(1414).and_then(|e| e.errors.into_iter().next());
        assert_eq!(
            phone.map(|e| (e.error_code, e.error_field)),
            Some(("51".to_owned(), Some("customerMobileNumber".to_owned())))
        );
        assert!(refusal(29900).is_none());
        for test in TEST_AMOUNTS {
            assert!(StatusCode::from_u16(test.status).is_ok(), "{}", test.ore);
        }
    }
}
