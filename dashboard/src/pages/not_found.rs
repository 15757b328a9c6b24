//! Any other address under `/dashboard/`.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::heading::PageHeading;
use crate::locale::tr;
use crate::paths;
use crate::text::Key;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! {
        <main id="main" tabindex="-1">
            <PageHeading key=Key::NoSuchPage />
            <p>
                <A href=paths::PAYMENTS>{tr(Key::AllPayments)}</A>
            </p>
        </main>
    }
}
