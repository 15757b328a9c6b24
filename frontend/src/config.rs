//! What the widget is told at start: the payment id, the language and the theme from its
//! URL (`?payment=pay_…&locale=nb&theme=dark`), and the client secret from the parent
//! page's `init` message (never from a URL).

use std::fmt;

use shared::PaymentId;

/// Everything needed to call the widget API for one payment.
#[derive(Debug, Clone)]
pub struct Config {
    pub payment_id: PaymentId,
    pub client_secret: ClientSecret,
}

/// The payment's client secret. `Debug` hides it.
#[derive(Clone, PartialEq, Eq)]
pub struct ClientSecret(String);

impl ClientSecret {
    /// 1 to 512 visible ASCII characters: anything else cannot be sent as a header.
    pub fn parse(value: String) -> Option<Self> {
        let visible = value.bytes().all(|b| b.is_ascii_graphic());
        (visible && (1..=512).contains(&value.len())).then_some(Self(value))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ClientSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ClientSecret(***)")
    }
}

/// The value of `name` in a `location.search` such as `?payment=pay_…&locale=nb`.
pub fn query_param<'a>(search: &'a str, name: &str) -> Option<&'a str> {
    search.trim_start_matches('?').split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        (key == name).then_some(value)
    })
}

/// The payment id in a `location.search`.
pub fn payment_id_from_query(search: &str) -> Option<PaymentId> {
    query_param(search, "payment").and_then(|id| id.parse().ok())
}

/// This page's `location.search` (empty if unreadable).
pub fn location_search() -> String {
    web_sys::window()
        .and_then(|window| window.location().search().ok())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "pay_0123456789abcdef0123456789abcdef";

    #[test]
    fn the_payment_id_comes_from_the_payment_parameter() {
        let id = payment_id_from_query(&format!("?payment={ID}"));
        assert_eq!(id.as_ref().map(PaymentId::as_str), Some(ID));
        let id = payment_id_from_query(&format!("?lang=nb&payment={ID}"));
        assert_eq!(id.as_ref().map(PaymentId::as_str), Some(ID));
    }

    #[test]
    fn a_missing_or_malformed_payment_id_is_refused() {
        assert_eq!(payment_id_from_query(""), None);
        assert_eq!(payment_id_from_query("?payment="), None);
        assert_eq!(payment_id_from_query("?payment=pay_123"), None);
        assert_eq!(payment_id_from_query(&format!("?xpayment={ID}")), None);
    }

    #[test]
    fn other_parameters_are_read_by_name() {
        let search = format!("?payment={ID}&locale=nn&theme=dark");
        assert_eq!(query_param(&search, "locale"), Some("nn"));
        assert_eq!(query_param(&search, "theme"), Some("dark"));
        assert_eq!(query_param(&search, "lang"), None);
    }

    #[test]
    fn client_secrets_must_fit_in_a_header_and_never_print() {
        let secret = ClientSecret::parse("cs_abc123".to_owned());
        assert_eq!(secret.as_ref().map(ClientSecret::expose), Some("cs_abc123"));
        assert_eq!(format!("{secret:?}"), "Some(ClientSecret(***))");
        assert_eq!(ClientSecret::parse(String::new()), None);
        assert_eq!(ClientSecret::parse("two words".to_owned()), None);
        assert_eq!(ClientSecret::parse("line\nbreak".to_owned()), None);
    }
}
