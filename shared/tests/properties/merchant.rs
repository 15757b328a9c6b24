//! The merchant API's newtypes and bodies: `Description`, `ReturnUrl`, `CreatePayment`,
//! `AmountRequest`.

use proptest::prelude::*;
use shared::merchant::{AmountRequest, CreatePayment, Description, ReturnUrl};
use shared::{Amount, Currency, MerchantOrderId, MobileNumber};

fn fail(e: impl std::fmt::Display) -> TestCaseError {
    TestCaseError::fail(e.to_string())
}

fn description() -> impl Strategy<Value = Description> {
    "[^\\p{Cc}\\s][^\\p{Cc}]{0,98}[^\\p{Cc}\\s]|[^\\p{Cc}\\s]"
        .prop_filter_map("a valid description", |s| Description::try_from(s).ok())
}

fn return_url() -> impl Strategy<Value = ReturnUrl> {
    "https?://[a-z0-9][a-z0-9.-]{0,30}(:[0-9]{1,5})?(/[A-Za-z0-9._~%/?=&#-]{0,60})?"
        .prop_filter_map("a valid URL", |s| ReturnUrl::try_from(s).ok())
}

fn create_payment() -> impl Strategy<Value = CreatePayment> {
    (
        1..=u64::from(Amount::MAX_ORE),
        "[A-Za-z0-9]{1,30}",
        description(),
        prop::option::of("[49][0-9]{7}"),
        prop::option::of(return_url()),
    )
        .prop_filter_map(
            "valid parts",
            |(ore, order, description, phone, return_url)| {
                Some(CreatePayment {
                    amount: Amount::from_ore(ore).ok()?,
                    currency: Currency::Nok,
                    merchant_order_id: order.parse::<MerchantOrderId>().ok()?,
                    description,
                    phone_number: match phone {
                        Some(p) => Some(p.parse::<MobileNumber>().ok()?),
                        None => None,
                    },
                    return_url,
                })
            },
        )
}

proptest! {
    #[test]
    fn descriptions_round_trip(d in description()) {
        prop_assert_eq!(Description::try_from(String::from(d.clone())), Ok(d.clone()));
        let json = serde_json::to_string(&d).map_err(fail)?;
        prop_assert_eq!(serde_json::from_str::<Description>(&json).ok(), Some(d));
    }

    #[test]
    fn a_description_is_one_to_100_characters_without_controls(s in any::<String>()) {
        if let Ok(d) = Description::try_from(s) {
            prop_assert!((1..=100).contains(&d.as_str().chars().count()));
            prop_assert!(!d.as_str().chars().any(char::is_control));
            prop_assert_eq!(d.as_str().trim(), d.as_str());
        }
    }

    #[test]
    fn return_urls_round_trip(url in return_url()) {
        prop_assert_eq!(ReturnUrl::try_from(String::from(url.clone())), Ok(url.clone()));
        let json = serde_json::to_string(&url).map_err(fail)?;
        prop_assert_eq!(serde_json::from_str::<ReturnUrl>(&json).ok(), Some(url));
    }

    #[test]
    fn an_accepted_return_url_is_http_and_free_of_markup(s in any::<String>(), tail in "[ -~]{0,40}") {
        for candidate in [s, format!("https://{tail}"), format!("http://{tail}")] {
            if let Ok(url) = ReturnUrl::try_from(candidate) {
                let url = url.as_str();
                prop_assert!(url.starts_with("https://") || url.starts_with("http://"));
                prop_assert!(url.len() <= 2048);
                prop_assert!(!url.contains(['"', '\'', '<', '>', '`', ' ']));
                prop_assert!(!url.chars().any(|c| c.is_whitespace() || c.is_control()));
            }
        }
    }

    #[test]
    fn create_payment_bodies_round_trip(body in create_payment()) {
        let json = serde_json::to_vec(&body).map_err(fail)?;
        prop_assert_eq!(serde_json::from_slice::<CreatePayment>(&json).ok(), Some(body));
    }

    #[test]
    fn amount_requests_round_trip(ore in prop::option::of(1..=u64::from(Amount::MAX_ORE))) {
        let body = AmountRequest { amount: ore.and_then(|o| Amount::from_ore(o).ok()) };
        let json = serde_json::to_vec(&body).map_err(fail)?;
        prop_assert_eq!(serde_json::from_slice::<AmountRequest>(&json).ok(), Some(body));
    }

    #[test]
    fn merchant_bodies_never_panic_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        let _ = serde_json::from_slice::<CreatePayment>(&bytes);
        let _ = serde_json::from_slice::<AmountRequest>(&bytes);
    }
}
