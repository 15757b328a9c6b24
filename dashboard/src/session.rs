//! Who is signed in: the session from `/dashboard/api/session`, restored on load, replaced
//! by signing in, dropped by signing out or by a 401 to a request of this very session.
//! Pages get their [`Api`] from here.

use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::dashboard::Session;

use crate::api::{self, Api};

/// Where the dashboard stands with the backend.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionState {
    /// Asking the backend whether the cookie still stands for a session (page load).
    Checking,
    SignedOut(SignedOutBecause),
    SignedIn(Session),
}

/// Why nobody is signed in, which the sign-in page tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignedOutBecause {
    /// Nobody signed in yet in this browser (or the cookie is gone).
    NotYet,
    /// The merchant API said 401: the session expired or was ended elsewhere.
    Expired,
    /// The user pressed Sign out.
    SignedOut,
}

/// [`SessionState`] without the session, for views that only need to know which.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Checking,
    SignedOut(SignedOutBecause),
    SignedIn,
}

/// The session, shared by every page through the context.
#[derive(Debug, Clone, Copy)]
pub struct Auth {
    state: RwSignal<SessionState>,
}

impl Auth {
    /// Provides the context and asks the backend for the session the cookie stands for.
    pub fn provide() -> Self {
        let auth = Self {
            state: RwSignal::new(SessionState::Checking),
        };
        provide_context(auth);
        spawn_local(async move {
            let state = match api::current_session().await {
                Ok(session) => SessionState::SignedIn(session),
                Err(_) => SessionState::SignedOut(SignedOutBecause::NotYet),
            };
            auth.state.set(state);
        });
        auth
    }

    /// The context's session (a signed-out one outside the app, which never happens).
    pub fn get() -> Self {
        use_context().unwrap_or_else(|| Self {
            state: RwSignal::new(SessionState::SignedOut(SignedOutBecause::NotYet)),
        })
    }

    /// Which state, tracked.
    pub fn phase(self) -> Phase {
        self.state.with(|state| match state {
            SessionState::Checking => Phase::Checking,
            SessionState::SignedOut(because) => Phase::SignedOut(*because),
            SessionState::SignedIn(_) => Phase::SignedIn,
        })
    }

    /// The signed-in merchant's name and user's email, tracked.
    pub fn who(self) -> Option<(String, String)> {
        self.state.with(|state| match state {
            SessionState::SignedIn(session) => Some((
                session.merchant.name.clone(),
                session.user.email.as_str().to_owned(),
            )),
            SessionState::Checking | SessionState::SignedOut(_) => None,
        })
    }

    /// The merchant API as the signed-in user; `None` while nobody is. A 401 to one of its
    /// requests ends the session only if it is still the one the request was sent in (a
    /// late answer to the last user's request must not sign out the next).
    pub fn api(self) -> Option<Api> {
        let token = self.csrf_token()?;
        let sent_with = token.clone();
        Some(Api::new(
            token,
            Rc::new(move || {
                if is_current(self.csrf_token().as_deref(), &sent_with) {
                    self.ended(SignedOutBecause::Expired);
                }
            }),
        ))
    }

    /// Signs in; on success the state turns `SignedIn` (and the router moves on).
    pub async fn sign_in(self, email: String, password: String) -> Result<(), api::Error> {
        let session = api::sign_in(email, password).await?;
        self.state.set(SessionState::SignedIn(session));
        Ok(())
    }

    /// Signs out at the backend, and here once it has said so, or said 401 (a session it no
    /// longer knows is over anyway). Without that (no answer, a server error) the session
    /// may still stand: the user stays signed in and gets the error.
    pub async fn sign_out(self) -> Result<(), api::Error> {
        let Some(token) = self.csrf_token() else {
            self.ended(SignedOutBecause::SignedOut);
            return Ok(());
        };
        let answer = api::sign_out(&token).await;
        if !signed_out_by(&answer) {
            return answer;
        }
        if is_current(self.csrf_token().as_deref(), &token) {
            self.ended(SignedOutBecause::SignedOut);
        }
        Ok(())
    }

    /// The signed-in session's CSRF token, untracked.
    fn csrf_token(self) -> Option<String> {
        self.state.with_untracked(|state| match state {
            SessionState::SignedIn(session) => Some(session.csrf_token.clone()),
            SessionState::Checking | SessionState::SignedOut(_) => None,
        })
    }

    fn ended(self, because: SignedOutBecause) {
        self.state.set(SessionState::SignedOut(because));
    }
}

/// Whether the session signed in now (its token `current`) is the one whose token a request
/// was sent with.
fn is_current(current: Option<&str>, sent_with: &str) -> bool {
    current == Some(sent_with)
}

/// Whether the backend's answer to Sign out means the session is over.
fn signed_out_by(answer: &Result<(), api::Error>) -> bool {
    match answer {
        Ok(()) | Err(api::Error::Unauthorized) => true,
        Err(api::Error::Api { status, .. }) => *status == 401,
        Err(api::Error::Network) => false,
    }
}

#[cfg(test)]
mod tests {
    use shared::checkout::{ApiErrorBody, ErrorCode};

    use super::*;

    fn answer(status: u16) -> Result<(), api::Error> {
        Err(api::Error::Api {
            status,
            body: ApiErrorBody {
                code: ErrorCode::Unknown,
                message: String::new(),
                param: None,
            },
        })
    }

    #[test]
    fn only_a_yes_or_a_401_signs_out_and_no_answer_or_a_server_error_does_not() {
        assert!(signed_out_by(&Ok(())));
        assert!(signed_out_by(&answer(401)));
        assert!(!signed_out_by(&Err(api::Error::Network)));
        assert!(!signed_out_by(&answer(500)));
        assert!(!signed_out_by(&answer(503)));
        assert!(!signed_out_by(&answer(403)));
    }

    #[test]
    fn a_late_401_ends_only_the_session_its_request_was_sent_in() {
        assert!(is_current(Some("t1"), "t1"));
        assert!(!is_current(Some("t2"), "t1"));
        assert!(!is_current(None, "t1"));
    }
}
