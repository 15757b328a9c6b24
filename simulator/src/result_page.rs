//! The outcome of a finished payment, as the landing page and the phone app show it:
//! `#result` with `data-outcome="ok"|"fail"` and `data-error-id`, and a way back to the shop.

use maud::{Markup, html};
use shared::vipps::Confirmed;

use crate::state::Outcome;

/// `#result` and the "Back to the shop" link (`#back-to-shop`).
pub fn section(outcome: &Outcome, sent: Confirmed, psp_redirect_url: &str) -> Markup {
    let (kind, error_id, headline) = match outcome {
        Outcome::Approved => ("ok", "", "Payment approved".to_owned()),
        Outcome::Declined {
            error_id,
            error_text,
        } => (
            "fail",
            error_id.as_str(),
            format!("Payment failed: {error_text}"),
        ),
        Outcome::TooLate => (
            "fail",
            "",
            "Payment failed: the payment service did not answer in time".to_owned(),
        ),
        Outcome::PspError { .. } => (
            "fail",
            "",
            "Payment failed: the payment service could not take the payment".to_owned(),
        ),
    };
    let why = match sent {
        Confirmed::Yes => "",
        Confirmed::No => "You rejected the payment in the app.",
        Confirmed::Cancel => "You cancelled the payment.",
        Confirmed::Timeout => "The payment was not confirmed in time.",
    };
    html! {
        div class="card" id="result" data-outcome=(kind) data-error-id=(error_id) {
            h2 { (headline) }
            p class="muted" { (why) }
        }
        a id="back-to-shop" class="button primary" href=(psp_redirect_url) { "Back to the shop" }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declines_show_the_psp_error_text_and_id() {
        let outcome = Outcome::Declined {
            error_id: "89".to_owned(),
            error_text: "Insufficient <funds>".to_owned(),
        };
        let html = section(&outcome, Confirmed::Yes, "http://shop.test/?a=1&b=2").into_string();
        assert!(
            html.contains("data-outcome=\"fail\" data-error-id=\"89\""),
            "{html}"
        );
        assert!(
            html.contains("Payment failed: Insufficient &lt;funds&gt;"),
            "{html}"
        );
        assert!(
            html.contains("href=\"http://shop.test/?a=1&amp;b=2\""),
            "{html}"
        );
    }

    #[test]
    fn approvals_are_ok() {
        let html = section(&Outcome::Approved, Confirmed::Yes, "http://shop.test/").into_string();
        assert!(
            html.contains("data-outcome=\"ok\"") && html.contains("Payment approved"),
            "{html}"
        );
    }
}
