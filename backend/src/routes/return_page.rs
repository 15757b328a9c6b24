//! `GET /return/{id}`: the page Vipps sends the shopper back to (`pspRedirectUrl`).
//!
//! It shows our own state, never a value from the redirect, and updates itself until the
//! payment is final: the redirect may open in another browser than the widget's, or
//! never happen, and the merchant's page learns the outcome through the widget, not here.
//! Anyone with the link can open it, so it tells the status only: no amount, no
//! merchant, no decline reason.

use axum::extract::{Query, State};
use axum::http::HeaderValue;
use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, HeaderMap, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS,
    X_FRAME_OPTIONS,
};
use axum::response::{Html, IntoResponse};
use maud::{DOCTYPE, Markup, PreEscaped, html};
use serde::Deserialize;
use shared::checkout::CheckoutStatus;
use shared::text::{Key, Lang, ReturnKey, return_text, text};

use super::csp;
use super::extract::{PaymentPath, accept_language};
use crate::app::AppState;
use crate::error::ApiError;
use crate::payments::{PaymentError, now_unix, view};

/// Seconds between reloads while the payment is not final.
const REFRESH_SECS: u32 = 2;

#[derive(Debug, Deserialize)]
pub struct ReturnQuery {
    /// The widget's language, added to `pspRedirectUrl` when the payment started.
    lang: Option<String>,
}

pub async fn return_page(
    State(state): State<AppState>,
    PaymentPath(id): PaymentPath,
    Query(query): Query<ReturnQuery>,
    headers: HeaderMap,
) -> Result<impl IntoResponse, ApiError> {
    let payment = state.payments.payment(&id).await?;
    let merchant = state
        .payments
        .merchants
        .get(&payment.merchant_id)
        .await
        .map_err(PaymentError::from)?;
    let lang = Lang::for_page(
        query.lang.as_deref().or(merchant.language.map(Lang::code)),
        accept_language(&headers),
    );
    let status = view::checkout_status(&payment, now_unix());
    let page = Page {
        merchant: merchant.name.as_str().to_owned(),
        lang,
        status,
        internal_state: payment.state.to_string(),
        back: payment.return_url.map(|url| url.as_str().to_owned()),
    };
    let policy = csp::scriptless_page(STYLE, &state.config.csp_report_uri);
    let policy = HeaderValue::from_str(&policy).unwrap_or(HeaderValue::from_static(
        "default-src 'none'; frame-ancestors 'none'",
    ));
    Ok((
        [
            (CACHE_CONTROL, HeaderValue::from_static("no-store")),
            (CONTENT_SECURITY_POLICY, policy),
            (REFERRER_POLICY, HeaderValue::from_static("no-referrer")),
            // Never framed: `frame-ancestors 'none'` says so, and this says it to
            // browsers that predate CSP's framing rules.
            (X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
            (X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
        ],
        Html(page.render().into_string()),
    ))
}

struct Page {
    /// Whose payment it is, as the shopper knows them.
    merchant: String,
    lang: Lang,
    status: CheckoutStatus,
    /// Our state's name, for tests and support (`data-status`).
    internal_state: String,
    /// The merchant's page for this order.
    back: Option<String>,
}

impl Page {
    fn heading(&self) -> &'static str {
        let lang = self.lang;
        match self.status {
            CheckoutStatus::AwaitingPhone
            | CheckoutStatus::AwaitingApp
            | CheckoutStatus::Processing => return_text(lang, ReturnKey::InProgress),
            CheckoutStatus::Succeeded => text(lang, Key::Succeeded),
            CheckoutStatus::Failed => text(lang, Key::Failed),
            CheckoutStatus::Cancelled => text(lang, Key::Cancelled),
            CheckoutStatus::Expired => text(lang, Key::Expired),
        }
    }

    fn detail(&self) -> &'static str {
        let lang = self.lang;
        match self.status {
            CheckoutStatus::AwaitingPhone | CheckoutStatus::AwaitingApp => {
                return_text(lang, ReturnKey::FinishInApp)
            }
            CheckoutStatus::Processing => text(lang, Key::Processing),
            CheckoutStatus::Succeeded => return_text(lang, ReturnKey::PaidDetail),
            CheckoutStatus::Failed => return_text(lang, ReturnKey::FailedDetail),
            CheckoutStatus::Cancelled => text(lang, Key::CancelledDetail),
            CheckoutStatus::Expired => text(lang, Key::ExpiredDetail),
        }
    }

    fn render(&self) -> Markup {
        let back = self.back.as_deref();
        html! {
            (DOCTYPE)
            html lang=(self.lang.code()) {
                head {
                    meta charset="utf-8";
                    meta name="viewport" content="width=device-width,initial-scale=1";
                    meta name="color-scheme" content="light dark";
                    @if !self.status.is_final() {
                        meta http-equiv="refresh" content=(REFRESH_SECS);
                    }
                    title { (self.heading()) }
                    style { (PreEscaped(STYLE)) }
                }
                body {
                    main id="return" data-status=(self.internal_state)
                        data-final=(self.status.is_final()) {
                        p id="merchant" class="merchant" { (self.merchant) }
                        h1 { (self.heading()) }
                        p { (self.detail()) }
                        @if let Some(url) = back {
                            p { a id="back-to-shop" href=(url) {
                                (return_text(self.lang, ReturnKey::BackToShop))
                            } }
                        }
                    }
                }
            }
        }
    }
}

/// The widget's look without its CSS file: system font, Vipps orange links, dark mode.
const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:28rem;margin:4rem auto;\
padding:0 1rem;color:#1f1f1f;background:#fff;line-height:1.5}h1{font-size:1.4rem}\
a{color:#b83c00}@media(prefers-color-scheme:dark){body{color:#f2f2f2;background:#121212}\
a{color:#ff8a4c}}";

#[cfg(test)]
mod tests {
    use super::*;

    fn page(status: CheckoutStatus, lang: Lang) -> Page {
        Page {
            lang,
            status,
            merchant: "Demo Shop AS".to_owned(),
            internal_state: "authorised".to_owned(),
            back: Some("https://shop.example/o?a=1&b=2".to_owned()),
        }
    }

    #[test]
    fn a_final_page_stands_still_and_one_in_progress_reloads_itself() {
        let done = page(CheckoutStatus::Succeeded, Lang::Nb)
            .render()
            .into_string();
        assert!(done.contains("<html lang=\"nb\">"), "{done}");
        assert!(done.contains("<h1>Betalingen er fullført</h1>"), "{done}");
        assert!(done.contains(">Tilbake til butikken</a>"), "{done}");
        assert!(done.contains("href=\"https://shop.example/o?a=1&amp;b=2\""));
        assert!(!done.contains("http-equiv=\"refresh\""), "{done}");
        let waiting = page(CheckoutStatus::Processing, Lang::En)
            .render()
            .into_string();
        assert!(waiting.contains("http-equiv=\"refresh\" content=\"2\""));
        assert!(
            waiting.contains("<h1>Payment in progress</h1>"),
            "{waiting}"
        );
        assert!(waiting.contains("data-final=\"false\""), "{waiting}");
    }

    #[test]
    fn every_status_has_its_own_words_in_every_language() {
        for lang in [Lang::Nb, Lang::Nn, Lang::En] {
            let mut seen = std::collections::HashSet::new();
            for status in CheckoutStatus::ALL {
                let p = page(status, lang);
                seen.insert((p.heading(), p.detail()));
            }
            // Awaiting the phone and awaiting the app read the same; all others differ.
            assert_eq!(seen.len(), CheckoutStatus::ALL.len() - 1, "{lang:?}");
        }
    }

    #[test]
    fn whatever_reaches_the_page_is_escaped_where_it_lands() {
        // A `ReturnUrl` refuses these characters today; the page does not rely on it.
        let mut hostile = page(CheckoutStatus::Succeeded, Lang::En);
        hostile.back = Some("https://shop.example/\"><script>alert(1)</script>".to_owned());
        hostile.internal_state = "<b>\"x\"</b>".to_owned();
        let html = hostile.render().into_string();
        assert!(!html.contains("<script>"), "{html}");
        assert!(!html.contains("<b>"), "{html}");
        assert!(
            html.contains("href=\"https://shop.example/&quot;&gt;&lt;script&gt;alert(1)"),
            "{html}"
        );
        assert!(
            html.contains("data-status=\"&lt;b&gt;&quot;x&quot;&lt;/b&gt;\""),
            "{html}"
        );
    }
}
