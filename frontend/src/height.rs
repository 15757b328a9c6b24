//! Watches the widget's content height so the parent page can size the iframe to fit.

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
