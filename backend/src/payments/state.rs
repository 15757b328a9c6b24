//! The payment lifecycle: one enum of states, one enum of events, one pure `apply`.
//! Every write to the store is a compare-and-set from the state `apply` started from.

use std::fmt;
use std::str::FromStr;

/// Where a payment is. Stored as its `as_str` name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaymentState {
    /// Created by the merchant; waiting for the shopper to press Pay.
    Created,
    /// We are calling Vipps `init` for it.
    Initiating,
    /// Vipps has it; the shopper confirms at Vipps.
    AwaitingApp,
    /// Vipps sent makePayment with YES; we are charging the card.
    Charging,
    /// The acquirer authorised the amount.
    Authorised,
    /// Declined by the shopper, Vipps or the acquirer. The shopper may try again
    /// (a new attempt at Vipps) until the payment expires.
    Failed,
    /// Cancelled here before Vipps sent makePayment. Final.
    Cancelled,
    /// Not started before its expiry. Final.
    Expired,
}

/// What can happen to a payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaymentEvent {
    StartRequested,
    VippsAccepted,
    VippsRefused,
    ShopperConfirmed,
    ShopperDeclined,
    ChargeApproved,
    ChargeFailed,
    CancelRequested,
    Expired,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a payment in state {from} cannot take {event:?}")]
pub struct InvalidTransition {
    pub from: PaymentState,
    pub event: PaymentEvent,
}

impl PaymentState {
    /// The state after `event`, or why it cannot happen.
    pub fn apply(self, event: PaymentEvent) -> Result<Self, InvalidTransition> {
        use PaymentEvent as E;
        use PaymentState as S;
        let invalid = Err(InvalidTransition { from: self, event });
        match (self, event) {
            (S::Created, E::StartRequested) => Ok(S::Initiating),
            (S::Initiating, E::VippsAccepted) => Ok(S::AwaitingApp),
            (S::Initiating, E::VippsRefused) => Ok(S::Created),
            (S::AwaitingApp, E::ShopperConfirmed) => Ok(S::Charging),
            (S::AwaitingApp, E::ShopperDeclined) => Ok(S::Failed),
            (S::Charging, E::ChargeApproved) => Ok(S::Authorised),
            (S::Charging, E::ChargeFailed) => Ok(S::Failed),
            (S::Failed, E::StartRequested) => Ok(S::Initiating),
            // Before Vipps's makePayment, also while init is under way or its answer was
            // lost: a makePayment for the attempt then finds it cancelled (errorId 85).
            (S::Created | S::Initiating | S::AwaitingApp | S::Failed, E::CancelRequested) => {
                Ok(S::Cancelled)
            }
            // A payment nobody finished (never started, or failed and not tried again).
            (S::Created | S::Failed, E::Expired) => Ok(S::Expired),
            (
                S::Created,
                E::VippsAccepted
                | E::VippsRefused
                | E::ShopperConfirmed
                | E::ShopperDeclined
                | E::ChargeApproved
                | E::ChargeFailed,
            )
            | (
                S::Initiating,
                E::StartRequested
                | E::ShopperConfirmed
                | E::ShopperDeclined
                | E::ChargeApproved
                | E::ChargeFailed
                | E::Expired,
            )
            | (
                S::AwaitingApp,
                E::StartRequested
                | E::VippsAccepted
                | E::VippsRefused
                | E::ChargeApproved
                | E::ChargeFailed
                | E::Expired,
            )
            | (
                S::Charging,
                E::StartRequested
                | E::VippsAccepted
                | E::VippsRefused
                | E::ShopperConfirmed
                | E::ShopperDeclined
                | E::CancelRequested
                | E::Expired,
            )
            | (
                S::Failed,
                E::VippsAccepted
                | E::VippsRefused
                | E::ShopperConfirmed
                | E::ShopperDeclined
                | E::ChargeApproved
                | E::ChargeFailed,
            )
            | (S::Authorised | S::Cancelled | S::Expired, _) => invalid,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Created => "created",
            Self::Initiating => "initiating",
            Self::AwaitingApp => "awaiting_app",
            Self::Charging => "charging",
            Self::Authorised => "authorised",
            Self::Failed => "failed",
            Self::Cancelled => "cancelled",
            Self::Expired => "expired",
        }
    }

    pub const ALL: [Self; 8] = [
        Self::Created,
        Self::Initiating,
        Self::AwaitingApp,
        Self::Charging,
        Self::Authorised,
        Self::Failed,
        Self::Cancelled,
        Self::Expired,
    ];
}

impl fmt::Display for PaymentState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, thiserror::Error)]
#[error("unknown payment state {0:?} in the database")]
pub struct UnknownState(pub String);

impl FromStr for PaymentState {
    type Err = UnknownState;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|state| state.as_str() == s)
            .ok_or_else(|| UnknownState(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::PaymentEvent as E;
    use super::PaymentState as S;
    use super::*;

    #[test]
    fn the_happy_path_ends_authorised() {
        let events = [
            E::StartRequested,
            E::VippsAccepted,
            E::ShopperConfirmed,
            E::ChargeApproved,
        ];
        let end = events.into_iter().try_fold(S::Created, S::apply);
        assert_eq!(end, Ok(S::Authorised));
    }

    #[test]
    fn a_refused_init_lets_the_shopper_try_again() {
        assert_eq!(
            S::Created
                .apply(E::StartRequested)
                .and_then(|s| s.apply(E::VippsRefused)),
            Ok(S::Created)
        );
    }

    #[test]
    fn a_decline_by_shopper_or_acquirer_fails_the_payment() {
        assert_eq!(S::AwaitingApp.apply(E::ShopperDeclined), Ok(S::Failed));
        assert_eq!(S::Charging.apply(E::ChargeFailed), Ok(S::Failed));
    }

    #[test]
    fn final_states_take_no_event() {
        let events = [
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
        for state in [S::Cancelled, S::Expired, S::Authorised] {
            for event in events {
                assert_eq!(
                    state.apply(event),
                    Err(InvalidTransition { from: state, event })
                );
            }
        }
    }

    #[test]
    fn a_failed_payment_can_be_tried_again_or_given_up_but_not_charged() {
        assert_eq!(S::Failed.apply(E::StartRequested), Ok(S::Initiating));
        assert_eq!(S::Failed.apply(E::CancelRequested), Ok(S::Cancelled));
        assert!(S::Failed.apply(E::ShopperConfirmed).is_err());
        assert!(S::Failed.apply(E::ChargeApproved).is_err());
    }

    #[test]
    fn a_payment_left_unfinished_expires_and_then_takes_nothing() {
        assert_eq!(S::Created.apply(E::Expired), Ok(S::Expired));
        assert_eq!(S::Failed.apply(E::Expired), Ok(S::Expired));
        assert!(S::Expired.apply(E::StartRequested).is_err());
    }

    #[test]
    fn a_payment_cannot_be_charged_twice_or_started_twice() {
        assert!(S::Charging.apply(E::ShopperConfirmed).is_err());
        assert!(S::AwaitingApp.apply(E::StartRequested).is_err());
        assert!(S::Initiating.apply(E::StartRequested).is_err());
    }

    #[test]
    fn a_payment_left_initiating_is_settled_by_what_vipps_knows_or_cancelled_but_never_expired() {
        assert_eq!(S::Initiating.apply(E::VippsAccepted), Ok(S::AwaitingApp));
        assert_eq!(S::Initiating.apply(E::VippsRefused), Ok(S::Created));
        assert_eq!(S::Initiating.apply(E::CancelRequested), Ok(S::Cancelled));
        // Vipps may have it: only its answer (or its silence, through details) settles it.
        assert!(S::Initiating.apply(E::Expired).is_err());
        assert!(S::Initiating.apply(E::ShopperConfirmed).is_err());
    }

    #[test]
    fn a_cancelled_payment_cannot_be_charged() {
        let cancelled = S::AwaitingApp.apply(E::CancelRequested);
        assert_eq!(cancelled, Ok(S::Cancelled));
        assert!(
            cancelled
                .and_then(|s| s.apply(E::ShopperConfirmed))
                .is_err()
        );
    }

    #[test]
    fn states_round_trip_through_their_names() {
        for state in S::ALL {
            assert_eq!(state.as_str().parse::<S>().ok(), Some(state));
        }
        assert!("paid".parse::<S>().is_err());
    }
}
