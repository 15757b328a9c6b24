//! The merchant dashboard's own calls (`/dashboard/api/…`): signing in and out. Everything
//! else the dashboard does goes through the merchant API, with the session's cookie and
//! its CSRF token in place of a secret key.

use serde::{Deserialize, Serialize};

use crate::{MerchantId, UserId};

/// The session cookie over plain HTTP (development): HttpOnly, SameSite=Strict, Path=/.
pub const SESSION_COOKIE: &str = "psp_session";
/// The session cookie over HTTPS: `Secure` too, and with the `__Host-` prefix, so that no
/// other site on the same domain (a sibling subdomain) can set one for us.
pub const SECURE_SESSION_COOKIE: &str = "__Host-psp_session";
/// The header a session's requests carry its CSRF token in (a foreign page can neither
/// read the token nor send a custom header to us).
pub const CSRF_HEADER: &str = "x-csrf-token";

/// A dashboard user's sign-in name: an email address, trimmed and lowercased, at most 254
/// characters, with one `@` between a local part and a domain that has a dot.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("an email address is `name@domain.tld`, at most 254 characters")]
pub struct EmailError;

impl Email {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Email {
    type Error = EmailError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        let email = value.trim().to_lowercase();
        let (local, domain) = email.split_once('@').ok_or(EmailError)?;
        let plain = |part: &str| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_alphanumeric() || "._%+-'".contains(c))
        };
        let domain_ok = plain(domain)
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.');
        if plain(local) && domain_ok && email.len() <= 254 {
            Ok(Self(email))
        } else {
            Err(EmailError)
        }
    }
}

impl std::str::FromStr for Email {
    type Err = EmailError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::try_from(s.to_owned())
    }
}

impl From<Email> for String {
    fn from(value: Email) -> Self {
        value.0
    }
}

/// A new password: 12 to 1024 characters (long passphrases welcome; the bound keeps
/// hashing cheap to refuse).
#[derive(Clone, PartialEq, Eq)]
pub struct NewPassword(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a password is 12 to 1024 characters")]
pub struct PasswordError;

impl NewPassword {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for NewPassword {
    type Error = PasswordError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        if (12..=1024).contains(&value.chars().count()) {
            Ok(Self(value))
        } else {
            Err(PasswordError)
        }
    }
}

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(…)")
    }
}

/// `POST /dashboard/api/session`. The email is not parsed: any wrong pair gets the same
/// answer, whatever was wrong with it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignIn {
    pub email: String,
    pub password: String,
}

impl std::fmt::Debug for SignIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignIn")
            .field("email", &self.email)
            .finish_non_exhaustive()
    }
}

/// The signed-in user, their merchant and the session's CSRF token
/// (`GET`/`POST /dashboard/api/session`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    pub user: DashboardUser,
    pub merchant: SessionMerchant,
    /// Send it back in [`CSRF_HEADER`] with every request of the session.
    pub csrf_token: String,
    /// Unix seconds.
    pub expires_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DashboardUser {
    pub id: UserId,
    pub email: Email,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionMerchant {
    pub id: MerchantId,
    pub name: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_trimmed_lowercased_and_plain() {
        let email = Email::try_from(" Kari.Nordmann@Shop.NO ".to_owned());
        assert_eq!(
            email.map(String::from).as_deref(),
            Ok("kari.nordmann@shop.no")
        );
        for bad in [
            "",
            "kari",
            "@shop.no",
            "kari@",
            "kari@shop",
            "a@b@c.no",
            "a b@c.no",
            "k@.no",
        ] {
            assert_eq!(Email::try_from(bad.to_owned()), Err(EmailError), "{bad}");
        }
    }

    #[test]
    fn passwords_are_12_to_1024_characters_and_never_printed() {
        assert!(NewPassword::try_from("short".to_owned()).is_err());
        assert!(NewPassword::try_from("x".repeat(1025)).is_err());
        let password = NewPassword::try_from("correct horse battery".to_owned());
        assert!(password.is_ok());
        assert!(!format!("{password:?}").contains("horse"));
        let sign_in = SignIn {
            email: "a@b.no".to_owned(),
            password: "hunter2hunter2".to_owned(),
        };
        assert!(!format!("{sign_in:?}").contains("hunter2"));
    }
}
