//! The phone form the server puts in the page while the app loads
//! (`backend/src/routes/widget_page.rs`): the shopper may already type into it and press
//! Pay. When the app leaves its first loading step it takes the form over: what was
//! typed goes into the app's own field, the focus and caret follow, a press on Pay is
//! carried out, and the server's form is removed (the app's `<main>` shows from then on).

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlInputElement};

use crate::text::Lang;

const FORM: &str = "boot-form";
const INPUT: &str = "boot-phone";

/// What the shopper left in the server's form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Handover {
    pub typed: String,
    /// The field had the focus: the app's field gets it, with the caret where it was.
    pub caret: Option<(u32, u32)>,
    /// Pay was pressed before the app ran.
    pub pending: bool,
}

fn element(id: &str) -> Option<Element> {
    web_sys::window()?.document()?.get_element_by_id(id)
}

/// The language the server wrote the form in, so that the app does not switch it.
pub fn lang() -> Option<Lang> {
    Lang::from_tag(&element(FORM)?.get_attribute("lang")?)
}

/// Removes the server's form, returning what the shopper left in it; `None` once done
/// (or when the page came without it).
pub fn hand_over() -> Option<Handover> {
    let root = element(FORM)?;
    let handover = element(INPUT)
        .and_then(|input| input.dyn_into::<HtmlInputElement>().ok())
        .map(|input| {
            let focused = web_sys::window()
                .and_then(|window| window.document())
                .and_then(|document| document.active_element())
                .is_some_and(|active| active == **input);
            let caret = match (input.selection_start(), input.selection_end()) {
                (Ok(Some(start)), Ok(Some(end))) if focused => Some((start, end)),
                _ if focused => Some((0, 0)),
                _ => None,
            };
            Handover {
                typed: input.value(),
                caret,
                pending: root
                    .query_selector("form[data-pending]")
                    .ok()
                    .flatten()
                    .is_some(),
            }
        })
        .unwrap_or_default();
    root.remove();
    Some(handover)
}

/// Puts the focus and caret into the app's phone field.
pub fn place_caret(id: &str, (start, end): (u32, u32)) {
    if let Some(input) = element(id).and_then(|e| e.dyn_into::<HtmlInputElement>().ok()) {
        _ = input.focus();
        _ = input.set_selection_range(start, end);
    }
}
