//! The dashboard's addresses in the browser (all under `/dashboard/`, which the backend
//! answers with the page whatever follows) and the query strings they carry.

use shared::PaymentId;
use shared::merchant::PaymentStatus;

use crate::statuses;

/// The router's base: every route below is relative to it.
pub const BASE: &str = "/dashboard";
pub const SIGN_IN: &str = "/dashboard/sign-in";
pub const PAYMENTS: &str = "/dashboard/payments";
pub const DEVELOPERS: &str = "/dashboard/developers";

/// One payment's page.
pub fn payment(id: &PaymentId) -> String {
    format!("{PAYMENTS}/{id}")
}

/// The payments list searched for `q` (trimmed; left out when empty) in `status`.
pub fn payments(status: Option<PaymentStatus>, q: &str) -> String {
    let mut query = Vec::new();
    if let Some(status) = status {
        query.push(format!("status={}", statuses::wire_name(status)));
    }
    if !q.trim().is_empty() {
        query.push(format!("q={}", encode(q.trim())));
    }
    if query.is_empty() {
        PAYMENTS.to_owned()
    } else {
        format!("{PAYMENTS}?{}", query.join("&"))
    }
}

/// The sign-in page, which goes on to `next` (a path and query of ours) once signed in.
pub fn sign_in_then(next: &str) -> String {
    if after_sign_in(Some(next)) == PAYMENTS {
        SIGN_IN.to_owned()
    } else {
        format!("{SIGN_IN}?next={}", encode(next))
    }
}

/// Where to go after signing in: `next` if it is one of our pages (never another site, nor
/// the sign-in page again), else the payments.
pub fn after_sign_in(next: Option<&str>) -> &str {
    match next {
        Some(next)
            if next.starts_with("/dashboard/")
                && !next.starts_with(SIGN_IN)
                && !next.contains("//")
                && !next.contains('\\') =>
        {
            next
        }
        _ => PAYMENTS,
    }
}

/// `value` percent-encoded for a query string: everything but RFC 3986's unreserved
/// characters.
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(hex(byte >> 4));
            out.push(hex(byte & 0x0f));
        }
    }
    out
}

fn hex(nibble: u8) -> char {
    char::from(
        b"0123456789ABCDEF"
            .get(usize::from(nibble))
            .copied()
            .unwrap_or(b'0'),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_payments_list_carries_its_filters_encoded() {
        assert_eq!(payments(None, "  "), "/dashboard/payments");
        assert_eq!(
            payments(Some(PaymentStatus::PartiallyCaptured), " ordre 7/ø "),
            "/dashboard/payments?status=partially_captured&q=ordre%207%2F%C3%B8"
        );
    }

    #[test]
    fn sign_in_goes_on_only_to_our_own_pages() {
        assert_eq!(
            after_sign_in(Some("/dashboard/developers")),
            "/dashboard/developers"
        );
        for foreign in [
            "https://evil.example/",
            "//evil.example/dashboard/",
            "/dashboard//evil.example",
            "/dashboard/\\evil.example",
            "/dashboard/sign-in?next=/dashboard/",
            "/other",
        ] {
            assert_eq!(after_sign_in(Some(foreign)), PAYMENTS, "{foreign}");
        }
        assert_eq!(after_sign_in(None), PAYMENTS);
        assert_eq!(
            sign_in_then("/dashboard/payments?q=a b"),
            "/dashboard/sign-in?next=%2Fdashboard%2Fpayments%3Fq%3Da%20b"
        );
        assert_eq!(
            sign_in_then("/dashboard/"),
            SIGN_IN.to_owned() + "?next=%2Fdashboard%2F"
        );
        assert_eq!(sign_in_then("/elsewhere"), SIGN_IN);
    }
}
