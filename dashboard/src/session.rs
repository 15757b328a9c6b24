//! Who is signed in: the session from `/dashboard/api/session`, restored on load, replaced
//! by signing in, dropped by signing out or by any 401. Pages get their [`Api`] from here.

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

    /// The merchant API as the signed-in user; `None` while nobody is.
    pub fn api(self) -> Option<Api> {
        self.state.with_untracked(|state| match state {
            SessionState::SignedIn(session) => Some(Api::new(
                session.csrf_token.clone(),
                Rc::new(move || self.ended(SignedOutBecause::Expired)),
            )),
            SessionState::Checking | SessionState::SignedOut(_) => None,
        })
    }

    /// Signs in; on success the state turns `SignedIn` (and the router moves on).
    pub async fn sign_in(self, email: String, password: String) -> Result<(), api::Error> {
        let session = api::sign_in(email, password).await?;
        self.state.set(SessionState::SignedIn(session));
        Ok(())
    }

    /// Signs out at the backend, then here whatever the backend said: a session the
    /// backend no longer knows is over anyway.
    pub async fn sign_out(self) {
        let token = self.state.with_untracked(|state| match state {
            SessionState::SignedIn(session) => Some(session.csrf_token.clone()),
            SessionState::Checking | SessionState::SignedOut(_) => None,
        });
        if let Some(token) = token {
            _ = api::sign_out(&token).await;
        }
        self.ended(SignedOutBecause::SignedOut);
    }

    fn ended(self, because: SignedOutBecause) {
        self.state.set(SessionState::SignedOut(because));
    }
}
