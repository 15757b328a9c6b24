//! Property tests of the payments core against simple models: the amount ledger under
//! any sequence of captures, refunds and cancels, the merchant's status it projects, and
//! the state machine against a transition table written out by hand.

use backend::payments::ledger::{Ledger, LedgerError, Operation};
use backend::payments::{Payment, PaymentEvent, PaymentState, view};
use proptest::prelude::*;
use shared::merchant::{Description, PaymentStatus};
use shared::{Amount, Currency, MerchantOrderId, PaymentId};

/// The ledger as plain integers: what each operation should do.
#[derive(Debug, Clone, Copy)]
struct Model {
    authorised: u64,
    captured: u64,
    refunded: u64,
    released: u64,
}

impl Model {
    fn apply(&mut self, operation: Operation) -> Result<u64, LedgerError> {
        let capturable = self.authorised - self.captured - self.released;
        let refundable = self.captured - self.refunded;
        let asked = |a: Option<Amount>, left: u64| a.map_or(left, |a| u64::from(a.ore()));
        match operation {
            Operation::Capture(_) if capturable == 0 => Err(LedgerError::NothingToCapture),
            Operation::Capture(a) if asked(a, capturable) > capturable => {
                Err(LedgerError::CaptureExceedsRemaining {
                    asked: a.map_or(0, Amount::ore),
                    left: u32::try_from(capturable).unwrap_or(u32::MAX),
                })
            }
            Operation::Capture(a) => {
                self.captured += asked(a, capturable);
                Ok(asked(a, capturable))
            }
            Operation::Refund(_) if refundable == 0 => Err(LedgerError::NothingToRefund),
            Operation::Refund(a) if asked(a, refundable) > refundable => {
                Err(LedgerError::RefundExceedsCaptured {
                    asked: a.map_or(0, Amount::ore),
                    left: u32::try_from(refundable).unwrap_or(u32::MAX),
                })
            }
            Operation::Refund(a) => {
                self.refunded += asked(a, refundable);
                Ok(asked(a, refundable))
            }
            Operation::Cancel if capturable == 0 => Err(LedgerError::NothingToCancel),
            Operation::Cancel => {
                self.released += capturable;
                Ok(capturable)
            }
        }
    }
}

fn amount(max: u32) -> impl Strategy<Value = Option<Amount>> {
    prop::option::of((1..=u64::from(max)).prop_filter_map("positive", |o| Amount::from_ore(o).ok()))
}

fn operation(max: u32) -> impl Strategy<Value = Operation> {
    prop_oneof![
        3 => amount(max).prop_map(Operation::Capture),
        3 => amount(max).prop_map(Operation::Refund),
        1 => Just(Operation::Cancel),
    ]
}

/// An authorisation and the operations a merchant sends for it; amounts are mostly
/// of the authorisation's size so that both successes and refusals happen.
fn scenario() -> impl Strategy<Value = (u32, Vec<Operation>)> {
    prop_oneof![1..=10_000u32, Just(Amount::MAX_ORE), 1..=Amount::MAX_ORE].prop_flat_map(
        |authorised| {
            let max = authorised
                .saturating_add(authorised / 4)
                .min(Amount::MAX_ORE);
            (
                Just(authorised),
                prop::collection::vec(operation(max), 0..12),
            )
        },
    )
}

fn authorised_payment(ledger: Ledger, expires_at: i64) -> Result<Payment, TestCaseError> {
    let (Ok(amount), Ok(order), Ok(description)) = (
        Amount::from_ore(ledger.authorised.into()),
        "order1".parse::<MerchantOrderId>(),
        Description::try_from("A property".to_owned()),
    ) else {
        return Err(TestCaseError::fail("fixture"));
    };
    Ok(Payment {
        id: PaymentId::from_random([7; 16]),
        merchant_id: shared::MerchantId::from_random([8; 16]),
        state: PaymentState::Authorised,
        amount,
        currency: Currency::Nok,
        merchant_order_id: order,
        description,
        phone_number: None,
        return_url: None,
        client_secret_hash: Vec::new(),
        psp_transaction_id: None,
        vipps_url: None,
        is_app: false,
        failure: None,
        card: None,
        acquirer_reference: None,
        make_payment_answer: None,
        created_at: 0,
        expires_at,
        ledger,
        ledger_version: 0,
        acquirer_unsettled: false,
    })
}

/// The merchant's status of an authorised payment, read from the amounts alone.
fn status_from_amounts(l: Ledger) -> PaymentStatus {
    let a = l.amounts();
    match (a.captured, a.refunded, a.cancelled, a.capturable) {
        (0, _, 0, _) => PaymentStatus::Authorised,
        (0, _, _, _) => PaymentStatus::Cancelled,
        (_, 0, _, 0) => PaymentStatus::Captured,
        (_, 0, _, _) => PaymentStatus::PartiallyCaptured,
        (captured, refunded, _, _) if refunded < captured => PaymentStatus::PartiallyRefunded,
        (_, _, _, _) => PaymentStatus::Refunded,
    }
}

proptest! {
    #[test]
    fn any_sequence_of_operations_keeps_the_ledger_within_the_authorisation(
        (authorised, operations) in scenario(),
        now in any::<i64>(),
        expires_at in any::<i64>(),
    ) {
        let mut ledger = Ledger { authorised, ..Ledger::default() };
        let mut model = Model { authorised: authorised.into(), captured: 0, refunded: 0, released: 0 };
        for operation in operations {
            let expected = model.apply(operation);
            match ledger.apply(operation) {
                Ok((next, moved)) => {
                    prop_assert_eq!(Ok(u64::from(moved.ore())), expected, "{:?}", operation);
                    ledger = next;
                }
                Err(error) => prop_assert_eq!(Err(error), expected, "{:?}", operation),
            }
            prop_assert!(ledger.captured + ledger.released <= ledger.authorised, "{:?}", ledger);
            prop_assert!(ledger.refunded <= ledger.captured, "{:?}", ledger);
            prop_assert_eq!(
                (u64::from(ledger.captured), u64::from(ledger.refunded), u64::from(ledger.released)),
                (model.captured, model.refunded, model.released)
            );
            let amounts = ledger.amounts();
            prop_assert_eq!(amounts.capturable, authorised - ledger.captured - ledger.released);
            prop_assert_eq!(amounts.refundable, ledger.captured - ledger.refunded);
            prop_assert_eq!(ledger.status(), status_from_amounts(ledger), "{:?}", ledger);
            let payment = authorised_payment(ledger, expires_at)?;
            let seen = view::merchant(&payment, now);
            prop_assert_eq!(seen.status, ledger.status());
            prop_assert_eq!(seen.amounts, amounts);
        }
    }
}

// The state machine.

use PaymentEvent as E;
use PaymentState as S;

const EVENTS: [E; 9] = [
    E::StartRequested,
    E::VippsAccepted,
    E::VippsRefused,
    E::ShopperConfirmed,
    E::ShopperDeclined,
    E::ChargeApproved,
    E::ChargeFailed,
    E::CancelRequested,
    E::Expired,
];

/// Every allowed transition; anything not listed is refused.
const TABLE: [(S, E, S); 14] = [
    (S::Created, E::StartRequested, S::Initiating),
    (S::Created, E::CancelRequested, S::Cancelled),
    (S::Created, E::Expired, S::Expired),
    (S::Initiating, E::VippsAccepted, S::AwaitingApp),
    (S::Initiating, E::VippsRefused, S::Created),
    (S::Initiating, E::CancelRequested, S::Cancelled),
    (S::AwaitingApp, E::ShopperConfirmed, S::Charging),
    (S::AwaitingApp, E::ShopperDeclined, S::Failed),
    (S::AwaitingApp, E::CancelRequested, S::Cancelled),
    (S::Charging, E::ChargeApproved, S::Authorised),
    (S::Charging, E::ChargeFailed, S::Failed),
    (S::Failed, E::StartRequested, S::Initiating),
    (S::Failed, E::CancelRequested, S::Cancelled),
    (S::Failed, E::Expired, S::Expired),
];

fn model_transition(from: S, event: E) -> Option<S> {
    TABLE
        .iter()
        .find(|(f, e, _)| *f == from && *e == event)
        .map(|(_, _, to)| *to)
}

fn is_final(state: S) -> bool {
    matches!(state, S::Authorised | S::Cancelled | S::Expired)
}

#[test]
fn every_state_and_event_follows_the_transition_table() {
    for from in S::ALL {
        for event in EVENTS {
            assert_eq!(
                from.apply(event).ok(),
                model_transition(from, event),
                "{from} {event:?}"
            );
        }
    }
}

proptest! {
    #[test]
    fn no_sequence_of_events_leaves_a_final_state_or_leaves_the_table(
        events in prop::collection::vec(prop::sample::select(EVENTS.to_vec()), 0..24)
    ) {
        let mut state = S::Created;
        let mut was_final = false;
        for event in events {
            let next = state.apply(event);
            prop_assert_eq!(next.ok(), model_transition(state, event));
            if was_final {
                prop_assert!(next.is_err(), "{} took {:?}", state, event);
            }
            if let Ok(next) = next {
                if next == S::Authorised {
                    prop_assert_eq!(state, S::Charging);
                }
                state = next;
            }
            was_final = is_final(state);
        }
    }

    #[test]
    fn stored_state_names_round_trip_and_nothing_else_parses(i in 0..8usize, s in any::<String>()) {
        let state = S::ALL[i];
        prop_assert_eq!(state.as_str().parse::<S>().ok(), Some(state));
        prop_assert_eq!(state.to_string(), state.as_str());
        if let Ok(parsed) = s.parse::<S>() {
            prop_assert_eq!(parsed.as_str(), s.as_str());
        }
    }
}
