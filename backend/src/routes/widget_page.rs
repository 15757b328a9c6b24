//! `GET /widget/`: the widget's page, with the phone form already in it when the payment
//! waits for one, so the shopper sees and can type into the form before the app's
//! JavaScript and WebAssembly have arrived.
//!
//! The form is plain HTML in the widget's own markup and classes (`style.css`), in the
//! merchant's `locale` or else the browser's language, wearing the merchant's appearance
//! variables (the loader puts them in the URL; only values of a plain shape are taken,
//! `shared::appearance`). Its Pay button works at once: a
//! press before the app runs is kept (`data-pending`) and carried out by the app, which
//! then takes the form over with what was typed, the focus and the caret
//! (`frontend/src/boot.rs`). The payment is looked up by its id alone, so the page says
//! nothing more than whether the payment still waits for a number (as `/return/{id}`
//! does): amount and merchant come with the app, over the client secret.
//! In every other case (a started, final or unknown payment) the page is served as
//! built, with its loading spinner.

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use maud::{Markup, PreEscaped, html};
use std::collections::HashMap;

use shared::PaymentId;
use shared::appearance::{VARIABLES, plainly_valid};
use shared::checkout::CheckoutStatus;
use shared::text::{Key, Lang, text};

use super::csp;
use super::extract::accept_language;
use super::widget::security_headers;
use super::widget_merchant;
use crate::app::AppState;
use crate::payments::{now_unix, view};

/// `?payment=…&locale=…&theme=…` and the appearance variables (`&colorPrimary=…`), as
/// the loader writes them; unknown keys are ignored.
type PageQuery = HashMap<String, String>;

pub async fn page(
    State(state): State<AppState>,
    Query(query): Query<PageQuery>,
    headers: HeaderMap,
) -> Response {
    let param = |name: &str| query.get(name).map(String::as_str);
    let merchant = widget_merchant::of_payment(&state, param("payment")).await;
    if let Some(target) = merchant
        .as_ref()
        .and_then(|m| widget_merchant::with_defaults(&query, m))
    {
        return Redirect::to(&format!("/widget/?{target}")).into_response();
    }
    let origins = widget_merchant::origins(merchant.as_ref());
    let report_uri = &state.config.csp_report_uri;
    let path = state.config.widget_dir.join("index.html");
    let Ok(built) = tokio::fs::read_to_string(&path).await else {
        tracing::error!(path = %path.display(), "the widget is not built");
        return (
            StatusCode::NOT_FOUND,
            security_headers(&csp::widget_page("", origins, report_uri)),
            "The widget is not built.",
        )
            .into_response();
    };
    let page = match awaits_phone(&state, param("payment")).await {
        true => {
            let lang = Lang::for_page(param("locale"), accept_language(&headers));
            with_boot_form(built, lang, &look(&query))
        }
        false => built,
    };
    // The policy allows the inline scripts and styles of this very page, by hash.
    let policy = csp::widget_page(&page, origins, report_uri);
    (security_headers(&policy), Html(page)).into_response()
}

/// The payment exists and waits for the shopper's number. Anything else, a store error
/// included, serves the page without the form: the app finds out and says what it is.
async fn awaits_phone(state: &AppState, payment: Option<&str>) -> bool {
    let Some(id) = payment.and_then(|id| id.parse::<PaymentId>().ok()) else {
        return false;
    };
    match state.payments.store.get(&id).await {
        Ok(Some(payment)) => {
            view::checkout_status(&payment, now_unix()) == CheckoutStatus::AwaitingPhone
        }
        Ok(None) => false,
        Err(error) => {
            tracing::warn!(%error, "widget page: payment lookup failed");
            false
        }
    }
}

/// `built` with the form at the end of its body.
fn with_boot_form(mut built: String, lang: Lang, look: &str) -> String {
    let at = built.rfind("</body>").unwrap_or(built.len());
    built.insert_str(at, &boot_form(lang, look).into_string());
    built
}

/// The merchant's appearance variables of a plain shape as CSS declarations
/// (`--primary:#0a5c36;`); the others wait for the app, which asks the browser.
fn look(query: &PageQuery) -> String {
    VARIABLES
        .iter()
        .filter_map(|variable| {
            let value = query.get(variable.key)?;
            plainly_valid(variable.kind, value).then(|| format!("{}:{value};", variable.property))
        })
        .collect()
}

/// The phone step as the app draws it (`components/phone_form.rs`), with a placeholder
/// for the summary. The field has no `name`: without JavaScript a submit sends no number
/// anywhere (a URL would carry it into logs). The style
/// hides the spinner, and the app's `<main>` until it takes over, and sets the merchant's
/// look (`look`: checked declarations) until the app sets it on `<html>`. The script keeps
/// a press on Pay for the app and tells the loader the height.
fn boot_form(lang: Lang, look: &str) -> Markup {
    let t = |key| text(lang, key);
    html! {
        style { (boot_style(look)) }
        div id="boot-form" class="boot-stage" lang=(lang.code()) {
            div class="summary skeleton" aria-hidden="true" {
                p class="merchant" {} p class="description" {} p class="amount" {}
            }
            form class="pay-form" novalidate data-starting=(t(Key::Starting))
                data-stuck=(t(Key::NoInit)) data-stuck-ms=(STUCK_MS) {
                h1 { (t(Key::PhoneHeading)) }
                label for="boot-phone" { (t(Key::PhoneLabel)) }
                p id="boot-phone-hint" class="hint" { (t(Key::PhoneHint)) }
                input id="boot-phone" type="tel" inputmode="tel" autocomplete="tel-national"
                    aria-describedby="boot-phone-hint";
                button type="submit" class="vipps-button" { (t(Key::Pay)) }
            }
        }
        script { (PreEscaped(BOOT_SCRIPT)) }
    }
}

/// The form's CSS. HTML escaping has no meaning inside `<style>` (its text is CSS, read
/// raw): what keeps the merchant's values in their place is their plain shape
/// (`plainly_valid`: no `<`, `;`, `{` or `}`), and a `look` with `<` in it is dropped.
fn boot_style(look: &str) -> PreEscaped<String> {
    let look = if look.contains('<') { "" } else { look };
    PreEscaped(format!(
        "#boot{{display:none}}#boot-form~main{{display:none}}:root{{{look}}}"
    ))
}

/// How long a press on Pay may wait for the app before the form says to reload the page
/// (the app's code did not arrive). `data-stuck-ms` on the form; tests lower it.
const STUCK_MS: u32 = 15_000;

/// Before the app runs: Pay marks the form pending and shows "Opening Vipps…", and if the
/// app has not taken over after `data-stuck-ms`, an alert says to reload. The height goes
/// to the embedding page's origin, as the browser tells it (`location.ancestorOrigins`,
/// else the origin of `document.referrer`); when it tells neither, the height waits for
/// the app, which sends it to the origin of the loader's `init`.
const BOOT_SCRIPT: &str = "(function(){var f=document.querySelector('#boot-form form'),\
a=location.ancestorOrigins,o=a&&a.length?a[0]:'';if(!o)try{o=new URL(document.referrer).origin}\
catch(e){}function size(){if(parent!==window&&/^https?:/.test(o))parent.postMessage(\
{source:'vipps-psp',type:'resize',height:document.documentElement.scrollHeight},o)}\
f.addEventListener('submit',function(e){e.preventDefault();if(f.dataset.pending)return;\
f.dataset.pending='1';var b=f.querySelector('button');b.disabled=true;\
b.textContent=f.dataset.starting;setTimeout(function(){if(!f.isConnected)return;\
var p=document.createElement('p');p.id='boot-stuck';p.className='field-error';\
p.setAttribute('role','alert');p.textContent=f.dataset.stuck;f.append(p);size()},\
+f.dataset.stuckMs)});size()})()";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_appearance_values_reach_the_page() {
        let query: PageQuery = [
            ("colorPrimary", "#0a5c36"),
            ("borderRadius", "url(javascript:alert(1))"),
            ("fontFamily", "Inter, sans-serif"),
            ("colorText", "red;}</style><script>alert(1)</script>"),
            ("unknown", "#fff"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        assert_eq!(look(&query), "--primary:#0a5c36;--font:Inter, sans-serif;");
        let form = boot_form(Lang::En, &look(&query)).into_string();
        assert!(form.contains(":root{--primary:#0a5c36;--font:Inter, sans-serif;}</style>"));
    }

    #[test]
    fn the_form_speaks_the_merchants_locale_else_the_browsers() {
        let form = boot_form(Lang::Nb, "").into_string();
        assert!(form.contains("<div id=\"boot-form\" class=\"boot-stage\" lang=\"nb\">"));
        assert!(form.contains("<label for=\"boot-phone\">Mobilnummer</label>"));
        assert!(form.contains("data-starting=\"Åpner Vipps …\""));
        assert!(form.contains("autocomplete=\"tel-national\""));
        let page = with_boot_form("<p>built</p></body></html>".to_owned(), Lang::En, "");
        assert!(page.starts_with("<p>built</p><style>"), "{page}");
        assert!(page.ends_with("</script></body></html>"), "{page}");
    }
}
