//! The widget page's merchant: the payment's, found by the id in the page's URL. It says
//! who may frame the page (`frame-ancestors`: its origins) and fills in its defaults
//! (language, look) where the page's URL leaves them out. No merchant (no, unknown or
//! disabled payment's) means no framing but our own.

use std::collections::HashMap;

use shared::PaymentId;
use shared::account::{Merchant, MerchantStatus, Origin};

use crate::app::AppState;

/// The active merchant of the payment named `payment`, if any.
pub async fn of_payment(state: &AppState, payment: Option<&str>) -> Option<Merchant> {
    let id = payment?.parse::<PaymentId>().ok()?;
    match state.payments.merchants.of_payment(&id).await {
        Ok(merchant) => (merchant.status == MerchantStatus::Active).then_some(merchant),
        Err(error) => {
            tracing::debug!(%error, "widget page: no merchant for the payment");
            None
        }
    }
}

/// The origins that may frame the page.
pub fn origins(merchant: Option<&Merchant>) -> &[Origin] {
    merchant.map_or(&[], |m| m.allowed_origins.as_slice())
}

/// The page's query with the merchant's defaults added for what it leaves out (`locale`,
/// appearance variables); `None` when there is nothing to add. The page's own values win.
pub fn with_defaults(query: &HashMap<String, String>, merchant: &Merchant) -> Option<String> {
    let mut added: Vec<(&str, &str)> = Vec::new();
    if let Some(lang) = merchant.language.filter(|_| !query.contains_key("locale")) {
        added.push(("locale", lang.code()));
    }
    for (key, value) in merchant.appearance.variables() {
        if !query.contains_key(key) {
            added.push((key, value));
        }
    }
    if added.is_empty() {
        return None;
    }
    let mut pairs: Vec<(&str, &str)> = query
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    pairs.sort_unstable();
    pairs.extend(added);
    serde_urlencoded::to_string(pairs).ok()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use shared::text::Lang;

    use super::*;

    fn merchant(language: Option<Lang>, colour: Option<&str>) -> Option<Merchant> {
        let variables: BTreeMap<String, String> = colour
            .map(|c| ("colorPrimary".to_owned(), c.to_owned()))
            .into_iter()
            .collect();
        Some(Merchant {
            id: shared::MerchantId::from_random([1; 16]),
            name: "Fjord Kaffe AS".to_owned().try_into().ok()?,
            msn: "654321".parse().ok()?,
            allowed_origins: vec!["https://kaffe.example".parse().ok()?],
            language,
            appearance: variables.try_into().ok()?,
            status: MerchantStatus::Active,
            created_at: 0,
        })
    }

    fn query(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn the_merchants_language_and_look_fill_in_what_the_page_leaves_out() {
        let Some(m) = merchant(Some(Lang::Nn), Some("#0a5c36")) else {
            unreachable!()
        };
        let target = with_defaults(&query(&[("payment", "pay_x")]), &m);
        assert_eq!(
            target.as_deref(),
            Some("payment=pay_x&locale=nn&colorPrimary=%230a5c36")
        );
    }

    #[test]
    fn the_pages_own_values_win_and_nothing_to_add_means_no_redirect() {
        let Some(m) = merchant(Some(Lang::Nn), Some("#0a5c36")) else {
            unreachable!()
        };
        let page = query(&[
            ("payment", "pay_x"),
            ("locale", "en"),
            ("colorPrimary", "red"),
        ]);
        assert_eq!(with_defaults(&page, &m), None);
        let Some(plain) = merchant(None, None) else {
            unreachable!()
        };
        assert_eq!(with_defaults(&query(&[("payment", "pay_x")]), &plain), None);
    }
}
