//! The window with the Vipps landing page. Popup blockers only allow windows opened
//! inside the click, before we know the address: it opens blank, is pointed at Vipps
//! when the start request answers, and is closed if there is nothing to show.

use js_sys::Reflect;
use wasm_bindgen::JsValue;
use web_sys::Window;

use crate::checkout::Step;

/// The window's name, so a second Pay reuses it.
const NAME: &str = "vipps-landing";

/// A blank window we opened, still ours to point somewhere.
pub struct Popup(Window);

/// Opens a blank window; `None` if the browser blocked it. Call it inside the click.
pub fn open() -> Option<Popup> {
    let window = web_sys::window()?;
    window
        .open_with_url_and_target("about:blank", NAME)
        .ok()
        .flatten()
        .map(Popup)
}

/// Points the window at the landing page of `step`, or closes it. If the window cannot
/// show the landing page, the step offers a link instead.
pub fn hand_over(popup: Option<Popup>, mut step: Step) -> Step {
    let Some(Popup(window)) = popup else {
        return step;
    };
    if let Step::Waiting(waiting) = &mut step
        && !waiting.processing
    {
        let shown = waiting
            .vipps_url
            .as_deref()
            .is_some_and(|url| navigate(&window, url));
        if shown {
            return step;
        }
        waiting.show_link = true;
    }
    _ = window.close();
    step
}

/// `false` if the shopper already closed the window, or it cannot be pointed at `url`.
fn navigate(window: &Window, url: &str) -> bool {
    if window.closed().unwrap_or(true) {
        return false;
    }
    // The landing page gets no handle back to the widget.
    _ = Reflect::set(window, &"opener".into(), &JsValue::NULL);
    window.location().set_href(url).is_ok()
}
