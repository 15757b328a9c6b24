//! Is the shopper on a phone? Then Vipps switches to the app (`is_app`) instead of
//! showing a landing page in a new window.

/// A screen whose short side is at most this many CSS pixels is a phone's.
const PHONE_SHORT_SIDE: i32 = 600;

/// The shopper is on a phone: a touch screen of phone size, or a user agent that says so.
pub fn is_phone(user_agent: &str, coarse_pointer: bool, screen_short_side: i32) -> bool {
    let agent = user_agent.as_bytes();
    let mobile_agent = ["Mobi", "Android", "iPhone", "iPad"]
        .iter()
        .any(|word| agent.windows(word.len()).any(|w| w == word.as_bytes()));
    mobile_agent
        || (coarse_pointer && screen_short_side > 0 && screen_short_side <= PHONE_SHORT_SIDE)
}

/// This browser is a phone's. Reads the screen, not the iframe (which may be narrow on a
/// desktop too).
pub fn this_is_a_phone() -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let agent = window.navigator().user_agent().unwrap_or_default();
    let coarse = window
        .match_media("(pointer: coarse)")
        .ok()
        .flatten()
        .is_some_and(|query| query.matches());
    let short_side = window
        .screen()
        .ok()
        .and_then(|screen| Some(screen.width().ok()?.min(screen.height().ok()?)))
        .unwrap_or(0);
    is_phone(&agent, coarse, short_side)
}

#[cfg(test)]
mod tests {
    use super::*;

    const IPHONE: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148";
    const DESKTOP: &str =
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36";

    #[test]
    fn phones_are_told_apart_from_desktops() {
        assert!(is_phone(IPHONE, true, 390));
        assert!(!is_phone(DESKTOP, false, 1080));
        // A phone that asks for the desktop site still has a small touch screen.
        assert!(is_phone(DESKTOP, true, 412));
        // A touch laptop is not a phone.
        assert!(!is_phone(DESKTOP, true, 900));
        assert!(!is_phone(DESKTOP, true, 0));
    }
}
