//! Reading an init body the way Vipps does: leniently, answering each problem with
//! Vipps's own error code instead of a generic parse failure.

use serde_json::Value;
use shared::vipps::ErrorDetails;

use super::fields;
use crate::payment::ValidInit;
use crate::vipps_error::{detail, invalid_field};

/// Every problem with the body, or the checked request.
pub fn parse(body: &Value) -> Result<ValidInit, Vec<ErrorDetails>> {
    let Some(body) = body.as_object() else {
        return Err(vec![invalid_field(
            "body",
            "Invalid request: the body must be a JSON object",
        )]);
    };
    let mut errors = Vec::new();
    let mut required = |field: &str| {
        let value = body.get(field).filter(|v| !v.is_null());
        if value.is_none() {
            errors.push(invalid_field(
                field,
                &format!("Invalid request: {field} is required"),
            ));
        }
        value
    };
    let psp_id = required("pspTransactionId");
    let order_id = required("merchantOrderId");
    let amount = required("amount");
    let currency = required("currency");
    let redirect = required("pspRedirectUrl");
    let make_payment = required("makePaymentUrl");

    let psp_transaction_id =
        psp_id.and_then(|v| fields::parsed(v, "pspTransactionId", &mut errors));
    let merchant_order_id =
        order_id.and_then(|v| fields::parsed(v, "merchantOrderId", &mut errors));
    let amount = amount.and_then(|v| fields::amount(v, &mut errors));
    if currency.is_some_and(|c| c.as_str() != Some("NOK")) {
        errors.push(detail(
            "currency",
            "Invalid currency: only NOK",
            Some("currency"),
            Some("transaction.currency.invalid"),
        ));
    }
    let psp_redirect_url = redirect.and_then(|v| {
        fields::web_url(
            v,
            invalid_field("pspRedirectUrl", "Invalid pspRedirectUrl"),
            &mut errors,
        )
    });
    let make_payment_url = make_payment.and_then(|v| {
        let error = detail(
            "makePaymentUrl",
            "Invalid makePaymentUrl",
            Some("makePaymentUrl"),
            None,
        );
        fields::web_url(v, error, &mut errors)
    });
    let phone = fields::phone(body, &mut errors);
    let make_payment_token = fields::optional_string(body, "makePaymentToken", &mut errors)
        .filter(|token| fields::header_safe(token, "makePaymentToken", &mut errors));
    let payment_text = fields::optional_string(body, "paymentText", &mut errors);
    let is_app = fields::optional_bool(body, "isApp", &mut errors);
    match (
        psp_transaction_id,
        merchant_order_id,
        amount,
        psp_redirect_url,
        make_payment_url,
    ) {
        (
            Some(psp_transaction_id),
            Some(merchant_order_id),
            Some(amount),
            Some(psp_redirect_url),
            Some(make_payment_url),
        ) if errors.is_empty() => Ok(ValidInit {
            psp_transaction_id,
            merchant_order_id,
            phone: phone.flatten(),
            amount,
            payment_text,
            psp_redirect_url,
            make_payment_url,
            make_payment_token,
            is_app,
        }),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn body() -> Value {
        json!({
            "pspTransactionId": "abc123", "merchantOrderId": "order1", "amount": 29900,
            "currency": "NOK", "pspRedirectUrl": "http://shop.test/back",
            "makePaymentUrl": "https://psp.test/makepayment", "makePaymentToken": "tok",
            "customerMobileNumber": "91234567", "paymentText": "Socks", "isApp": false
        })
    }

    fn codes(
        mut body: Value,
        field: &str,
        value: Value,
    ) -> Vec<(String, Option<String>, Option<String>)> {
        if let Some(map) = body.as_object_mut() {
            if value.is_null() {
                map.remove(field);
            } else {
                map.insert(field.to_owned(), value);
            }
        }
        parse(&body)
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|e| (e.error_code, e.error_field, e.error_key))
            .collect()
    }

    fn one(
        code: &str,
        field: &str,
        key: Option<&str>,
    ) -> Vec<(String, Option<String>, Option<String>)> {
        vec![(
            code.to_owned(),
            Some(field.to_owned()),
            key.map(str::to_owned),
        )]
    }

    #[test]
    fn a_complete_request_passes() {
        let Ok(init) = parse(&body()) else {
            unreachable!("valid body")
        };
        assert_eq!(init.amount.ore(), 29900);
        assert_eq!(init.phone.map(String::from).as_deref(), Some("91234567"));
        assert_eq!(init.make_payment_token.as_deref(), Some("tok"));
    }

    #[test]
    fn amounts_below_one_are_amount_less_than_one() {
        assert_eq!(
            codes(body(), "amount", json!(0)),
            one("amount", "amount", Some("amount.less.than.one"))
        );
        assert_eq!(
            codes(body(), "amount", json!(-5)),
            one("amount", "amount", Some("amount.less.than.one"))
        );
        assert_eq!(
            codes(body(), "amount", json!(1.5)),
            one("51", "amount", None)
        );
    }

    #[test]
    fn other_currencies_are_transaction_currency_invalid() {
        assert_eq!(
            codes(body(), "currency", json!("SEK")),
            one("currency", "currency", Some("transaction.currency.invalid"))
        );
    }

    #[test]
    fn missing_required_fields_are_invalid_requests_naming_the_field() {
        for field in [
            "pspTransactionId",
            "merchantOrderId",
            "amount",
            "currency",
            "pspRedirectUrl",
            "makePaymentUrl",
        ] {
            assert_eq!(
                codes(body(), field, Value::Null),
                one("51", field, None),
                "{field}"
            );
        }
    }

    #[test]
    fn phone_numbers_and_urls_are_checked() {
        assert_eq!(
            codes(body(), "customerMobileNumber", json!("+4791234567")),
            one("51", "customerMobileNumber", None)
        );
        assert_eq!(
            codes(body(), "customerMobileNumber", json!("9123456")),
            one("51", "customerMobileNumber", None)
        );
        assert_eq!(
            codes(body(), "pspRedirectUrl", json!("javascript:alert(1)")),
            one("51", "pspRedirectUrl", None)
        );
        assert_eq!(
            codes(body(), "makePaymentUrl", json!("not a url")),
            one("makePaymentUrl", "makePaymentUrl", None)
        );
        assert_eq!(
            codes(body(), "makePaymentToken", json!("a\nb")),
            one("51", "makePaymentToken", None)
        );
        assert_eq!(codes(body(), "customerMobileNumber", Value::Null), vec![]);
    }
}
