//! Watches the widget's content height so the parent page can size the iframe to fit.
//! A `ResizeObserver` catches every change while the page renders; `measure` is asked
//! right after each step change too, since observers wait for a frame that a page in a
//! background window may not get.

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{HtmlElement, ResizeObserver};

/// Calls `on_change` with `element`'s height in CSS pixels now and whenever it changes.
/// The observer lives as long as the page.
pub fn observe(element: HtmlElement, on_change: impl Fn(i32) + 'static) {
    on_change(element.offset_height());
    let target = element.clone();
    let callback = Closure::<dyn FnMut()>::new(move || on_change(target.offset_height()));
    if let Ok(observer) = ResizeObserver::new(callback.as_ref().unchecked_ref()) {
        observer.observe(&element);
        // Both must outlive this function; the widget never unmounts.
        callback.forget();
        std::mem::forget(observer);
    }
}

/// The widget's height now (`<main>`), laying the page out if it must.
pub fn measure() -> Option<i32> {
    let main = web_sys::window()?
        .document()?
        .query_selector("main")
        .ok()??;
    Some(main.dyn_into::<HtmlElement>().ok()?.offset_height())
}
