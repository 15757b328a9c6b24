//! The merchant dashboard: a Leptos client-side app the backend serves at `/dashboard/`.
//! It signs a dashboard user in (`session`), then reads and acts on the merchant's
//! payments, API keys, webhook endpoints and events through the merchant API (`api`).

mod api;
mod app;
mod components;
mod dates;
mod errors;
mod guard;
mod idempotency;
mod labels;
mod locale;
mod money;
mod pages;
mod paths;
mod session;
mod statuses;
mod text;

fn main() {
    leptos::mount::mount_to_body(app::App);
}
