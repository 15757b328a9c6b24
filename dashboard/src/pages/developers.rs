//! Developers (`/dashboard/developers`): API keys, webhook endpoints and the event log.

use leptos::prelude::*;

use crate::components::api_keys::ApiKeys;
use crate::components::events::Events;
use crate::components::heading::PageHeading;
use crate::components::webhook_endpoints::WebhookEndpoints;
use crate::text::Key;

#[component]
pub fn DevelopersPage() -> impl IntoView {
    view! {
        <PageHeading key=Key::Developers />
        <ApiKeys />
        <WebhookEndpoints />
        <Events />
    }
}
