//! Where the sign-in guard sends the browser: a signed-out browser to the sign-in page (to
//! come back after), a signed-in one from the sign-in page on. Plain Rust, tested natively.

use crate::paths;
use crate::session::{Phase, SignedOutBecause};

/// Where to go from `path` (with `search`, the query without its `?`) in `phase`; `next`
/// is the sign-in page's `next`. `None`: stay.
pub fn redirect(phase: Phase, path: &str, search: &str, next: Option<&str>) -> Option<String> {
    let on_sign_in = path == paths::SIGN_IN;
    match phase {
        Phase::Checking => None,
        // Signed out on purpose: start afresh, not where the last user was.
        Phase::SignedOut(SignedOutBecause::SignedOut) if !on_sign_in => {
            Some(paths::SIGN_IN.to_owned())
        }
        Phase::SignedOut(_) if !on_sign_in => {
            let here = if search.is_empty() {
                path.to_owned()
            } else {
                format!("{path}?{search}")
            };
            Some(paths::sign_in_then(&here))
        }
        Phase::SignedIn if on_sign_in => Some(paths::after_sign_in(next).to_owned()),
        Phase::SignedOut(_) | Phase::SignedIn => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXPIRED: Phase = Phase::SignedOut(SignedOutBecause::Expired);

    #[test]
    fn nothing_moves_while_the_session_is_being_checked() {
        assert_eq!(redirect(Phase::Checking, paths::PAYMENTS, "", None), None);
        assert_eq!(redirect(Phase::Checking, paths::SIGN_IN, "", None), None);
    }

    #[test]
    fn a_signed_out_browser_goes_to_sign_in_and_comes_back_where_it_was() {
        assert_eq!(
            redirect(EXPIRED, paths::PAYMENTS, "q=7", None).as_deref(),
            Some("/dashboard/sign-in?next=%2Fdashboard%2Fpayments%3Fq%3D7")
        );
        let never_yet = Phase::SignedOut(SignedOutBecause::NotYet);
        assert_eq!(
            redirect(never_yet, paths::DEVELOPERS, "", None).as_deref(),
            Some("/dashboard/sign-in?next=%2Fdashboard%2Fdevelopers")
        );
        assert_eq!(redirect(EXPIRED, paths::SIGN_IN, "", None), None);
    }

    #[test]
    fn signing_out_on_purpose_starts_afresh() {
        let signed_out = Phase::SignedOut(SignedOutBecause::SignedOut);
        assert_eq!(
            redirect(signed_out, paths::PAYMENTS, "q=7", None).as_deref(),
            Some(paths::SIGN_IN)
        );
    }

    #[test]
    fn a_signed_in_browser_leaves_the_sign_in_page_for_our_own_next_only() {
        assert_eq!(
            redirect(
                Phase::SignedIn,
                paths::SIGN_IN,
                "",
                Some("/dashboard/developers")
            )
            .as_deref(),
            Some(paths::DEVELOPERS)
        );
        assert_eq!(
            redirect(
                Phase::SignedIn,
                paths::SIGN_IN,
                "",
                Some("https://evil.example/")
            )
            .as_deref(),
            Some(paths::PAYMENTS)
        );
        assert_eq!(redirect(Phase::SignedIn, paths::PAYMENTS, "", None), None);
    }
}
