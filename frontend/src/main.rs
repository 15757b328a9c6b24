//! The checkout widget: a Leptos client-side app in an iframe on the merchant's page.
//! See `flow` for how it runs and `checkout` for the state machine.

mod api;
mod boot;
mod checkout;
mod clock;
mod components;
mod config;
mod device;
mod flow;
mod height;
mod messaging;
mod polling;
mod popup;
mod text;
mod theme;
mod wire;

fn main() {
    // index.html shows a placeholder until the app runs.
    let document = web_sys::window().and_then(|window| window.document());
    if let Some(boot) = document.and_then(|document| document.get_element_by_id("boot")) {
        boot.remove();
    }
    leptos::mount::mount_to_body(components::App);
}
